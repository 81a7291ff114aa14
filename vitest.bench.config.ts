import { defineConfig } from 'vitest/config';

// Benchmarks are measurements, not pass/fail timings: run with `npm run bench`, results in bench-results/,
// then each ratio beside the previous release's (test/bench/release-history.ts).
export default defineConfig({
  test: {
    include: ['test/bench/**/*.bench.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    globalSetup: ['test/support/build-web.ts', 'test/bench/release-history.ts'],
  },
});
