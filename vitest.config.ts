import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**', 'test/bench/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration suites start their own Mosquitto/Chromium; two cores, so keep parallelism modest.
    maxWorkers: 2,
    // the browser pages are served as bundles: built once before any test serves them
    globalSetup: ['test/support/build-web.ts'],
  },
});
