// Output-audio ingest cost: 60 minutes of 20 ms audio deltas (24 kHz PCM16, 480 samples each) into one
// conversation item through the client's real receive path (parse frame -> normalise -> conversation store ->
// events), against the reference client's merge-on-every-delta (atob + per-character decode, then allocate and
// copy the whole Int16Array per delta). The baseline is quadratic: it runs for its first minute only, a straight
// line is fitted to its per-delta cost against the stored length, and that line is extrapolated to minute 60.
import { performance } from 'node:perf_hooks';
import { encodeBase64 } from '../src/lib/dsp/base64';
import { RealtimeClient } from '../src/lib/realtime';
import type { BenchResult } from './types';

const RATE = 24_000;
const DELTA_SAMPLES = RATE / 50; // 20 ms
const MINUTES = 60;
const DELTAS = MINUTES * 60 * 50; // 180 000
const WINDOW = 200; // deltas per measurement window
const BASELINE_MINUTES = 1;

function deltaFrame(): string {
  const pcm = new Int16Array(DELTA_SAMPLES);
  for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(Math.sin(i / 7) * 8000);
  return JSON.stringify({
    type: 'response.audio.delta',
    event_id: 'event_1',
    response_id: 'resp_1',
    item_id: 'item_1',
    output_index: 0,
    content_index: 0,
    delta: encodeBase64(pcm),
  });
}

/** The reference client's path: atob + charCodeAt loop, then a fresh array and an element-by-element copy. */
function referenceDecode(b64: string): Int16Array {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Int16Array(bytes.buffer);
}
function referenceMerge(left: Int16Array, right: Int16Array): Int16Array {
  const out = new Int16Array(left.length + right.length);
  for (let i = 0; i < left.length; i++) out[i] = left[i];
  for (let j = 0; j < right.length; j++) out[left.length + j] = right[j];
  return out;
}

export default async function (): Promise<BenchResult[]> {
  const frame = deltaFrame();
  // Warm the JIT on a throwaway client and on the baseline functions, so "start" measures a short item, not a cold VM.
  {
    const warm = new RealtimeClient({ provider: 'local' });
    const rx = (warm as unknown as { receive(text: string): void }).receive.bind(warm);
    for (let i = 0; i < 3000; i++) rx(frame);
    warm.reset();
    const w = (JSON.parse(frame) as { delta: string }).delta;
    let acc: Int16Array = new Int16Array(0);
    for (let i = 0; i < 300; i++) acc = referenceMerge(acc.length > 48_000 ? new Int16Array(0) : acc, referenceDecode(w));
  }
  const client = new RealtimeClient({ provider: 'local' });
  client.updateSession({ output_audio_format: 'Raw24KHz16BitMonoPcm' });
  let received = 0;
  client.on('conversation.updated', ({ delta }) => {
    if (delta?.audio) received += delta.audio.length;
  });
  // The client's message handler, as the socket would call it.
  const receive = (client as unknown as { receive(text: string): void }).receive.bind(client);
  receive(JSON.stringify({ type: 'response.created', event_id: 'e0', response: { id: 'resp_1', status: 'in_progress' } }));

  const windows: number[] = [];
  let t0 = performance.now();
  for (let i = 1; i <= DELTAS; i++) {
    receive(frame);
    if (i % WINDOW === 0) {
      const t1 = performance.now();
      windows.push(((t1 - t0) * 1000) / WINDOW);
      t0 = t1;
    }
  }
  const item = client.conversation.getItem('item_1');
  const samples = item?.formatted.audio.length ?? 0;
  if (samples !== DELTAS * DELTA_SAMPLES || received !== samples) throw new Error(`ingest lost audio: ${samples} stored, ${received} reported`);
  // Start: median of the 200-delta windows over deltas 1001-2000 (after JIT warm-up); end: median of the last 25
  // windows (the last 5000 deltas). The worst window shows the buffer's doubling copies, amortised over its deltas.
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const ours = { start: median(windows.slice(5, 10)), end: median(windows.slice(-25)), worst: Math.max(...windows.slice(5)) };
  client.reset();

  // Baseline, first minute(s) only.
  const b64 = (JSON.parse(frame) as { delta: string }).delta;
  const baseDeltas = BASELINE_MINUTES * 60 * 50;
  const points: { n: number; us: number }[] = [];
  let audio: Int16Array = new Int16Array(0);
  const BW = 100;
  let bt0 = performance.now();
  for (let i = 1; i <= baseDeltas; i++) {
    audio = referenceMerge(audio, referenceDecode(b64));
    if (i % BW === 0) {
      const bt1 = performance.now();
      points.push({ n: audio.length - (BW / 2) * DELTA_SAMPLES, us: ((bt1 - bt0) * 1000) / BW });
      bt0 = bt1;
    }
  }
  // Least-squares line us = a + b * storedSamples, from the second window on.
  const fit = points.slice(1);
  const mx = fit.reduce((s, p) => s + p.n, 0) / fit.length;
  const my = fit.reduce((s, p) => s + p.us, 0) / fit.length;
  const b = fit.reduce((s, p) => s + (p.n - mx) * (p.us - my), 0) / fit.reduce((s, p) => s + (p.n - mx) ** 2, 0);
  const a = my - b * mx;
  const baseStart = median(points.slice(10, 20).map((p) => p.us)); // deltas 1001-2000, as for ours
  const baseMeasuredEnd = points[points.length - 1].us;
  const baseAt60 = a + b * DELTAS * DELTA_SAMPLES;
  // Total time of the whole hour for the baseline: sum over n of a + b * n * DELTA_SAMPLES.
  const baseTotalS = (DELTAS * a + b * DELTA_SAMPLES * ((DELTAS * (DELTAS + 1)) / 2)) / 1e6;
  const oursTotalS = (windows.reduce((s, w) => s + w, 0) * WINDOW) / 1e6;

  return [
    {
      name: 'client.ingest.us_per_delta_start',
      unit: 'µs/delta',
      value: ours.start,
      baseline: baseStart,
      ratio: baseStart / ours.start,
      note: 'median over deltas 1001-2000 of 24 kHz 20 ms audio through parse+normalise+store+events; baseline = reference atob decode + merge, same deltas',
    },
    {
      name: 'client.ingest.us_per_delta_end',
      unit: 'µs/delta',
      value: ours.end,
      baseline: baseAt60,
      ratio: baseAt60 / ours.end,
      note: `median over the last 5000 of 180000 deltas (60 min in one item); baseline extrapolated linearly from its first ${BASELINE_MINUTES} min (measured ${baseMeasuredEnd.toFixed(0)} µs at min ${BASELINE_MINUTES})`,
    },
    {
      name: 'client.ingest.us_per_delta_worst_window',
      unit: 'µs/delta',
      value: ours.worst,
      baseline: null,
      ratio: null,
      note: 'slowest 200-delta window of the hour (block allocation and GC; no stored audio is ever copied on append)',
    },
    {
      name: 'client.ingest.total_s_60min',
      unit: 's',
      value: oursTotalS,
      baseline: baseTotalS,
      ratio: baseTotalS / oursTotalS,
      note: 'whole hour of deltas; baseline total extrapolated from the fitted line (quadratic sum)',
    },
  ];
}
