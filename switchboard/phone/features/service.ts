// The switchboard's open/closed/lunch state (switchboard-service, from the settings publisher) handed
// to the phone system, once per change (a reconnect's retained copy is not a change), so it switches
// its night service (docs/phone.md, "Night service").
import type { Feature } from '../../../events/feature.js';
import { type BridgeContext, hearing } from '../bridge-context.js';

export function serviceFeature(ctx: BridgeContext): Feature {
  let handedOn = '';
  return hearing(ctx, {
    broker: {
      'switchboard-service': ({ message: { body } }) => {
        if (!body) return;
        const key = JSON.stringify(body);
        if (key === handedOn) return;
        handedOn = key;
        ctx.phone.serviceChanged?.(body);
      },
    },
  });
}
