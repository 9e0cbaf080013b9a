// Audio engine latencies in real Chromium (headless, fake microphone playing a fixture):
// capture latency (speech onset → the frame carrying it) with 20 ms frames vs the reference's 4096-sample
// chunks through the same pipeline, and the player's delay from add16BitPCM to the first rendered sample.
// The fixture has two utterances (onsets at 1.0 s and 7.7 s), so a slow start on a loaded machine still
// leaves an onset after ≥ 0.5 s of quiet to measure.
import { createServer, type ViteDevServer } from 'vite';
import { chromium, type Browser } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import { findChromium } from '../scripts/find-chromium.mjs';
import { chromiumAudioArgs } from '../tests/browser/chromium-args';
import type { BenchResult } from './types';

const root = fileURLToPath(new URL('..', import.meta.url));
const FAKE_MIC = fileURLToPath(new URL('../tests/fixtures/audio/en-barge-in.wav', import.meta.url));
const PAGE = '/__audio-bench.html';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export default async function (): Promise<BenchResult[]> {
  const chrome = findChromium();
  if (!chrome) throw new Error('Chromium not found (install chromium or set CHROME_PATH)');
  let server: ViteDevServer | null = null;
  let browser: Browser | null = null;
  try {
    server = await createServer({
      configFile: false,
      root,
      logLevel: 'silent',
      server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
      worker: { format: 'es' },
      plugins: [
        {
          name: 'audio-bench-page',
          configureServer(s) {
            s.middlewares.use((req, res, next) => {
              if (req.url !== PAGE) return next();
              res.setHeader('content-type', 'text/html');
              res.end('<!doctype html><meta charset="utf-8"><script type="module" src="/bench/audio-page.ts"></script>');
            });
          },
        },
      ],
    });
    await server.listen();
    const address = server.httpServer?.address();
    if (!address || typeof address === 'string') throw new Error('vite did not listen');
    browser = await chromium.launch({ executablePath: chrome, headless: true, args: chromiumAudioArgs(FAKE_MIC) });
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${address.port}${PAGE}`);
    await page.waitForFunction(() => window.__audioBench?.ready === true, null, { timeout: 30_000 });

    const [ours, reference] = await page.evaluate(() => window.__audioBench.captureLatency([320, 4096]));
    const play = await page.evaluate(() => window.__audioBench.playerDelay(10));
    const playMedian = median(play.delaysMs);
    // Worst case: the onset is the first sample of a frame, so the whole frame must fill before it leaves.
    const worst = (r: typeof ours) => r.latencyMs - r.frameWaitMs + (r.chunkSamples / 16000) * 1000;
    return [
      {
        name: 'audio.capture.onset_to_frame_ms',
        unit: 'ms',
        value: ours.latencyMs,
        baseline: reference.latencyMs,
        ratio: reference.latencyMs / ours.latencyMs,
        note: `fake mic onset → frame on the main thread at ${ours.contextRate} Hz → 16 kHz: frame wait ${ours.frameWaitMs.toFixed(1)} + filter ${ours.filterMs.toFixed(1)} + quantum ${ours.quantumMs.toFixed(1)} + delivery ${ours.deliveryMs.toFixed(1)} ms; baseline: the reference's 4096-sample chunks, same pipeline, same run (one onset each)`,
      },
      {
        name: 'audio.capture.onset_to_frame_worst_ms',
        unit: 'ms',
        value: worst(ours),
        baseline: worst(reference),
        ratio: worst(reference) / worst(ours),
        note: 'the measured filter + quantum + delivery delays plus a whole frame of wait (20 ms frames vs 4096-sample chunks = 256 ms at 16 kHz)',
      },
      {
        name: 'audio.player.add_to_first_sample_ms',
        unit: 'ms',
        value: playMedian,
        baseline: null,
        ratio: null,
        note: `median of ${play.delaysMs.length} starts from idle at ${play.contextRate} Hz (render quantum ${((128 / play.contextRate) * 1000).toFixed(0)} ms); add16BitPCM → 'play' message back on the main thread (upper bound); max ${Math.max(...play.delaysMs).toFixed(1)} ms; output latency (reported separately by the player): ${play.outputLatencyMs.toFixed(1)} ms`,
      },
    ];
  } finally {
    await browser?.close();
    await server?.close();
  }
}
