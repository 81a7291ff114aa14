// Appends the batch to the store every batchMs (a full batch goes at once, event-batch.ts), and what
// is left when the recorder stops, after the features that fill it have let go.
import type { RecorderContext, RecorderFeature } from '../context.js';

export function batchesFeature(ctx: RecorderContext): RecorderFeature {
  let timer: NodeJS.Timeout | undefined;
  return {
    start() {
      timer = setInterval(() => void ctx.batch.flush(), ctx.options.batchMs ?? 100);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await ctx.batch.flush();
    },
  };
}
