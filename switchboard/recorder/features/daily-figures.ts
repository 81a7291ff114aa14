// Rolls the closed days up into daily figures (rollup.ts) at start and every rollupMs; at stop it
// waits for the rollup under way, so the store is not closed under it.
import type { RecorderContext, RecorderFeature } from '../context.js';

export function dailyFiguresFeature(ctx: RecorderContext): RecorderFeature {
  let timer: NodeJS.Timeout | undefined;
  return {
    start() {
      void ctx.rollups.run();
      timer = setInterval(() => void ctx.rollups.run(), ctx.options.rollupMs ?? 300_000);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await ctx.rollups.idle();
    },
  };
}
