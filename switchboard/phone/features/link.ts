// phone/link: the adapter reports every change of the phone system's reachability; the bridge says
// each change once (and tells the other features, which mark their values stale while it is down),
// and says the current link on every connect. Its own absence is the will's and a clean stop's.
import type { Feature } from '../../../events/feature.js';
import { type BridgeContext, hearing, iso, publish } from '../bridge-context.js';

export function linkFeature(ctx: BridgeContext): Feature {
  const { org, link } = ctx;
  const say = () => publish(ctx, { kind: 'phone-link', org, body: link.current });
  return hearing(ctx, {
    broker: { subscribed: say },
    phone: {
      reachable: ({ up, detail }) => {
        if (link.known && link.current.up === up) return;
        link.known = true;
        link.current = {
          v: 1,
          up,
          since: iso(ctx.now()),
          system: ctx.phone.system,
          ...(detail ? { detail } : {}),
        };
        ctx.log[up ? 'info' : 'warn'](`phone system link ${up ? 'up' : 'down'}`, detail ? { detail } : {});
        say();
        ctx.phoneBus.emit('linkChanged', link.current);
      },
    },
  });
}
