import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { fileURLToPath } from 'node:url';
import { findChromium } from './scripts/find-chromium.mjs';

// Real-Chromium audio tests (tests/browser). The fake microphone plays one fixture, once, per browser
// launch; the other tests feed audio through WavRecorder.useFile(). Files run one at a time: two shared
// cores starve real-time AudioContexts otherwise. Served from 127.0.0.1 (a secure context: WebCodecs).
const FAKE_MIC = fileURLToPath(new URL('./tests/fixtures/audio/en-weather.wav', import.meta.url));

/** Chromium flags that make AudioContexts and the fake microphone work headless (DESIGN §9). */
export const CHROMIUM_AUDIO_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  `--use-file-for-fake-audio-capture=${FAKE_MIC}%noloop`,
  '--autoplay-policy=no-user-gesture-required',
];

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
          args: CHROMIUM_AUDIO_ARGS,
        },
      }),
      instances: [{ browser: 'chromium' }],
    },
  },
});
