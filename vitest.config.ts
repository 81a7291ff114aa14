import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**', 'test/bench/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration suites start their own Mosquitto/Chromium; two cores, so keep parallelism modest.
    maxWorkers: 2,
    // CI (CI=true) runs a failed test once more: on 2 cores shared by Chromium, brokers and two workers a
    // timing-sensitive test can lose a race it wins alone. A test that fails twice fails the run, and a
    // retried one is named in the output (README.md, "The two commands").
    retry: process.env.CI ? 1 : 0,
    // the browser pages are served as bundles: built once before any test serves them
    globalSetup: ['test/support/build-web.ts'],
  },
});
