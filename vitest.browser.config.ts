import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { fileURLToPath } from 'node:url';
import { findChromium } from './scripts/find-chromium.mjs';
import { chromiumAudioArgs } from './tests/browser/chromium-args';

// Real-Chromium audio tests (tests/browser). The fake microphone plays one fixture, once, per browser
// launch; the other tests feed audio through WavRecorder.useFile(). Files run one at a time: two shared
// cores starve real-time AudioContexts otherwise. Served from 127.0.0.1 (a secure context: WebCodecs).
const FAKE_MIC = fileURLToPath(new URL('./tests/fixtures/audio/en-weather.wav', import.meta.url));

export default defineConfig({
  server: { host: '127.0.0.1' },
  test: {
    include: ['tests/browser/**/*.test.ts'],
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 30_000,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      api: { host: '127.0.0.1' },
      provider: playwright({
        launchOptions: {
          executablePath: process.env.CHROME_PATH ?? findChromium() ?? undefined,
          args: chromiumAudioArgs(FAKE_MIC),
        },
      }),
      instances: [{ browser: 'chromium' }],
    },
  },
});
