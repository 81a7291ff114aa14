// extcall/{ext}: each step of a call to a person's extension once (not retained, for the board's live
// notice and the recorder's figures); one whose id was seen is a duplicate, counted and dropped.
import type { Feature } from '../../../events/feature.js';
import { type BridgeContext, hearing, iso, publish } from '../bridge-context.js';
import { seenIds } from './seen-ids.js';

/** Step ids remembered for dropping duplicates: a day's calls to the extensions of a large municipality. */
const SEEN_STEP_IDS = 50_000;

export function extCallsFeature(ctx: BridgeContext): Feature {
  const seen = seenIds(SEEN_STEP_IDS);
  return hearing(ctx, {
    phone: {
      extCall: ({ ext, at, ...step }) => {
        if (!seen.first(step.id)) {
          ctx.stats.duplicates++;
          return;
        }
        publish(ctx, { kind: 'ext-call', org: ctx.org, ext, body: { v: 1, ...step, at: iso(at) } });
      },
    },
  });
}
