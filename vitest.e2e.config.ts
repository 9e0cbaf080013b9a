import { defineConfig } from 'vitest/config';

// End-to-end journeys (tests/e2e): playwright-core drives Chromium (CHROME_PATH, else scripts/find-chromium.mjs)
// against the built console served by the standalone server (tests/e2e/global-setup.ts). One file at a time:
// each journey plays real-time audio, and two shared cores starve concurrent AudioContexts. No retries.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/e2e/global-setup.ts'],
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    retry: 0,
  },
});
