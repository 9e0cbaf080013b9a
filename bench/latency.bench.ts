// Client-level latencies in real Chromium, through the console's own session path (SessionBridge + BrowserAudioLayer
// + RealtimeClient + store; bench/pages/latency.ts) connected to the bench server over a real socket, the fake
// microphone looping a fixture:
//  - capture: speech onset in the fake microphone → the input_audio_buffer.append carrying it handed to ws.send;
//  - playback: the first response.audio.delta's arrival on the page → the player reporting its first rendered sample;
//  - interrupt: input_audio_buffer.speech_started's arrival → the player stopped (its interrupt acknowledged), and
//    samples of the interrupted item rendered after that (ghost audio).
// Baseline (capture): the reference's packetisation, 4096-sample chunks (256 ms at 16 kHz, anchors F.8), through the
// same path: measured latency − our frame wait + its expected wait (half a chunk on average), computed, not measured.
import type { Page } from 'playwright-core';
import { buildBenchPage } from './helpers/build-console';
import { fixturePath, launchChromium, serveDir } from './helpers/chromium';
import { startBenchServer, type BenchConnection } from './helpers/bench-server';
import type { BenchResult } from './types';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CAPTURES = 3;
const PLAYS = 6;
const INTERRUPTS = 5;

function tone(rate: number, samples: number, from: number): Int16Array {
  const pcm = new Int16Array(samples);
  for (let i = 0; i < samples; i++) pcm[i] = Math.round(Math.sin((from + i) / 4) * 8000);
  return pcm;
}

/** Starts an audio response of `deltas` 20 ms deltas (all sent at once); returns its ids. */
function audioResponse(conn: BenchConnection, n: number, deltas: number, finish: boolean): void {
  const rate = conn.outputRate();
  const response = { id: `resp_${n}`, itemId: `item_${n}` };
  const ref = { response_id: response.id, item_id: response.itemId, output_index: 0, content_index: 0 };
  const item = { id: response.itemId, object: 'realtime.item', type: 'message', role: 'assistant', status: 'in_progress', content: [] };
  conn.send({ type: 'response.created', response: { id: response.id, object: 'realtime.response', status: 'in_progress', output: [] } });
  conn.send({ type: 'response.output_item.added', response_id: response.id, output_index: 0, item });
  conn.send({ type: conn.dialect === 'beta' ? 'conversation.item.created' : 'conversation.item.added', previous_item_id: null, item });
  conn.send({ type: 'response.content_part.added', ...ref, part: { type: 'audio', transcript: '' } });
  for (let i = 0; i < deltas; i++) conn.send({ type: 'response.audio.delta', ...ref, delta: Buffer.from(tone(rate, rate / 50, i * (rate / 50)).buffer).toString('base64') });
  if (!finish) return;
  conn.send({ type: 'response.audio.done', ...ref });
  const done = { ...item, status: 'completed', content: [{ type: conn.dialect === 'beta' ? 'audio' : 'output_audio', transcript: '' }] };
  conn.send({ type: 'response.output_item.done', response_id: response.id, output_index: 0, item: done });
  conn.send({ type: 'response.done', response: { id: response.id, object: 'realtime.response', status: 'completed', output: [done] } });
}

async function waitFor<T>(page: Page, fn: () => Promise<T | null>, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`latency bench: timed out waiting for ${what}`);
    await sleep(50);
  }
}

export default async function (): Promise<BenchResult[]> {
  const dir = await buildBenchPage('latency');
  const stat = await serveDir(dir);
  let conn: BenchConnection | null = null;
  const server = await startBenchServer((c) => (conn = c));
  // en-weather.wav: 1 s of quiet, speech, 2.3 s of quiet, looped: an onset every 5.7 s.
  const browser = await launchChromium(fixturePath('en-weather.wav'), { loop: true });
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error(`latency page: ${e.message}`));
    await page.goto(`${stat.origin}/bench/pages/latency.html?ws=${encodeURIComponent(server.origin)}`);
    await page.waitForFunction(() => window.__latencyBench?.ready === true, null, { timeout: 30_000 });
    if (!(await page.evaluate(() => window.__latencyBench.connect()))) throw new Error('the bridge did not connect to the bench server');
    const c = conn as BenchConnection | null;
    if (!c) throw new Error('no connection on the bench server');

    // Capture: onsets of the looping fixture.
    const captures = await waitFor(page, async () => {
      const cs = await page.evaluate(() => window.__latencyBench.captures());
      return cs.length >= CAPTURES ? cs : null;
    }, 40_000, `${CAPTURES} speech onsets`);
    const appends = await page.evaluate(() => window.__latencyBench.appends());

    // Playback: 200 ms responses from idle.
    const plays: number[] = [];
    for (let k = 0; k < PLAYS; k++) {
      await page.evaluate(() => window.__latencyBench.armPlayback());
      audioResponse(c, k + 1, 10, true);
      const r = await waitFor(page, () => page.evaluate(() => window.__latencyBench.playback()), 5000, 'first rendered sample');
      plays.push(r.deltaToPlayMs);
      await waitFor(page, async () => ((await page.evaluate(() => window.__latencyBench.playing())) ? null : true), 5000, 'player idle');
      await sleep(200);
    }

    // Interrupt: speech_started 300 ms into a 4 s response.
    const stops: number[] = [];
    let ghost = 0;
    for (let k = 0; k < INTERRUPTS; k++) {
      await page.evaluate(() => {
        window.__latencyBench.armPlayback();
        window.__latencyBench.armInterrupt();
      });
      audioResponse(c, 100 + k, 200, false);
      await waitFor(page, () => page.evaluate(() => window.__latencyBench.playback()), 5000, 'playback before the interrupt');
      await sleep(300);
      c.send({ type: 'input_audio_buffer.speech_started', audio_start_ms: 0, item_id: `item_u${k}` });
      const r = await waitFor(page, () => page.evaluate(() => window.__latencyBench.interrupt()), 5000, 'output silence');
      stops.push(r.speechToSilenceMs);
      await sleep(400);
      const after = await page.evaluate((id) => window.__latencyBench.rendered(id), r.trackId);
      ghost += Math.max(0, after - r.offset);
      c.send({ type: 'response.done', response: { id: `resp_${100 + k}`, object: 'realtime.response', status: 'cancelled', output: [] } });
      await sleep(200);
    }
    const outLat = await page.evaluate(() => window.__latencyBench.outputLatencyMs());
    await page.evaluate(() => window.__latencyBench.close());

    const cap = median(captures.map((x) => x.latencyMs));
    const capParts = captures[0];
    const frameMs = (320 / 16000) * 1000;
    // The reference's 4096-sample chunk: on average the onset waits half a chunk instead of our measured wait.
    const refCap = median(captures.map((x) => x.latencyMs - x.frameWaitMs + (4096 / 16000 / 2) * 1000));
    return [
      {
        name: 'client.capture.onset_to_append_ms',
        unit: 'ms',
        value: cap,
        baseline: refCap,
        ratio: refCap / cap,
        note: `median of ${captures.length} onsets (${captures.map((x) => x.latencyMs.toFixed(1)).join(', ')} ms) in the fake mic → ws.send of the append carrying it, through recorder+bridge+client (${appends} appends of ${frameMs} ms sent); first: frame wait ${capParts.frameWaitMs.toFixed(1)} + filter ${capParts.filterMs.toFixed(1)} + quantum ${capParts.quantumMs.toFixed(1)} + worklet→main→bridge→client→send ${capParts.deliveryToSendMs.toFixed(1)} ms; baseline computed: same path with the reference's 4096-sample chunks (half a chunk of wait on average)`,
      },
      {
        name: 'client.playback.delta_to_first_sample_ms',
        unit: 'ms',
        value: median(plays),
        baseline: null,
        ratio: null,
        note: `median of ${plays.length} responses from idle (${plays.map((x) => x.toFixed(1)).join(', ')} ms): first audio delta's arrival on the page → the player's 'first sample rendered' message back on the main thread (an upper bound), 24 kHz output; plus the device output latency ${outLat.toFixed(1)} ms`,
      },
      {
        name: 'client.interrupt.speech_started_to_silence_ms',
        unit: 'ms',
        value: median(stops),
        baseline: null,
        ratio: null,
        note: `median of ${stops.length} barge-ins (${stops.map((x) => x.toFixed(1)).join(', ')} ms): speech_started's arrival → the player's stop acknowledged (no further sample of the item rendered); target < 50 ms (anchors F.7)`,
      },
      {
        name: 'client.interrupt.ghost_samples',
        unit: 'samples',
        value: ghost,
        baseline: null,
        ratio: null,
        note: `samples of the interrupted items rendered after the stop (player stats 400 ms later minus the interrupt's offset), summed over ${stops.length} barge-ins; target 0`,
      },
    ];
  } finally {
    await browser.close();
    await server.close();
    await stat.close();
  }
}
