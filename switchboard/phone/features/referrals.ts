// Referrals out to the phone system: every change of a presence/{ext} (once per change; a reconnect's
// retained copy is not a change), with the reason's label in the organisation's language and whether
// it is private, from directory/org.
import type { Feature } from '../../../events/feature.js';
import type { OrgInfo } from '../../../protocol/index.js';
import { type BridgeContext, hearing } from '../bridge-context.js';
import { referralFor } from '../note.js';

export function referralsFeature(ctx: BridgeContext): Feature {
  const handedOn = new Map<string, string>();
  let orgInfo: OrgInfo | undefined;
  return hearing(ctx, {
    broker: {
      'directory-org': ({ message: m }) => {
        if (m.body) orgInfo = m.body;
      },
      presence: ({ message: { ext, body: presence } }) => {
        if (!presence) return;
        const key = JSON.stringify(presence);
        if (handedOn.get(ext) === key) return;
        handedOn.set(ext, key);
        ctx.phone.referralChanged(referralFor(ext, presence, orgInfo));
      },
    },
  });
}
