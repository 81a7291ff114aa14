// call/{queueId}: each call event once (not retained, for measurements); one whose id was seen is a
// duplicate from the phone system, counted and dropped.
import type { Feature } from '../../../events/feature.js';
import { type BridgeContext, hearing, iso, publish } from '../bridge-context.js';
import { seenIds } from './seen-ids.js';

/** Call-event ids remembered for dropping duplicates: a day's events of a busy contact centre. */
const SEEN_CALL_IDS = 50_000;

export function callEventsFeature(ctx: BridgeContext): Feature {
  const seen = seenIds(SEEN_CALL_IDS);
  return hearing(ctx, {
    phone: {
      call: (e) => {
        if (!seen.first(e.id)) {
          ctx.stats.duplicates++;
          return;
        }
        publish(ctx, {
          kind: 'call-event',
          org: ctx.org,
          queueId: e.queueId,
          body: {
            v: 1,
            id: e.id,
            call: e.call,
            event: e.event,
            at: iso(e.at),
            ...(e.enteredAt !== undefined ? { enteredAt: iso(e.enteredAt) } : {}),
            ...(e.position !== undefined ? { position: e.position } : {}),
            ...(e.ext !== undefined ? { ext: e.ext } : {}),
          },
        });
      },
    },
  });
}
