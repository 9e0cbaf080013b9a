// Store-level costs of the console UI: appending to the bounded event log (with the filtered/coalesced view kept
// up to date), rebuilding the view for a search, and appending audio deltas to a conversation item. Each compares
// with the naive immutable approach (copy the array on every append), measured in the same run.
import { performance } from 'node:perf_hooks';
import { encodeBase64 } from '../src/lib/dsp/base64';
import { createConsoleStore } from '../src/store/store';
import type { IncomingEvent } from '../src/store/event-log';
import { stripAudioPayloads } from '../src/store/event-log';
import type { BenchResult } from './types';

const N = 100_000;
const BATCH = 16; // ≈ events per animation frame in a busy duplex session

function makeEvents(n: number): IncomingEvent[] {
  const audio = encodeBase64(new Uint8Array(640)); // 20 ms at 16 kHz
  const out: IncomingEvent[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % 10;
    const event =
      k < 5
        ? { type: 'input_audio_buffer.append', audio }
        : k < 8
          ? { type: 'response.audio.delta', response_id: 'r', item_id: 'i', output_index: 0, content_index: 0, delta: audio }
          : { type: 'response.audio_transcript.delta', response_id: 'r', item_id: 'i', output_index: 0, content_index: 0, delta: '你好' };
    out.push({ direction: k < 5 ? 'client' : 'server', event, frame: JSON.stringify(event), at: i });
  }
  return out;
}

function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

export default async function bench(): Promise<BenchResult[]> {
  const events = makeEvents(N);
  const results: BenchResult[] = [];

  // 1. Fill an empty log to 100k in per-frame batches.
  const store = createConsoleStore({ storage: null });
  const fill = time(() => {
    for (let i = 0; i < N; i += BATCH) store.getState().appendEvents(events.slice(i, i + BATCH));
  });
  // Baseline: the same work (strip + size) into an immutable array copied per batch, as a naive store would.
  let naive: unknown[] = [];
  const fillNaive = time(() => {
    for (let i = 0; i < N; i += BATCH) {
      const add = events.slice(i, i + BATCH).map((e) => ({ e: stripAudioPayloads(e.event), size: (e.frame as string).length }));
      naive = [...naive, ...add];
    }
  });
  results.push({
    name: 'ui.store.append_us_per_event',
    unit: 'µs/event',
    value: (fill * 1000) / N,
    baseline: (fillNaive * 1000) / N,
    ratio: fillNaive / fill,
    note: `${N} events (50% input appends, 30% audio deltas, 20% transcript deltas) in batches of ${BATCH}; view kept coalesced; baseline copies the array per batch`,
  });

  // 2. Steady state at capacity: every append drops the oldest.
  const more = makeEvents(20_000);
  const steady = time(() => {
    for (let i = 0; i < more.length; i += BATCH) store.getState().appendEvents(more.slice(i, i + BATCH));
  });
  results.push({
    name: 'ui.store.append_at_capacity_us_per_event',
    unit: 'µs/event',
    value: (steady * 1000) / more.length,
    baseline: null,
    ratio: null,
    note: `log full at ${N}; 20,000 more events, each dropping the oldest (dropped=${store.getState().events.dropped})`,
  });

  // 3. Rebuilding the view for a search over 100k events.
  const search = time(() => store.getState().setEventFilter({ search: '你好' }));
  const rows = store.getState().events.view.length;
  const search2 = time(() => store.getState().setEventFilter({ search: 'item_id' }));
  results.push({
    name: 'ui.store.search_rebuild_ms',
    unit: 'ms',
    value: search2,
    baseline: search,
    ratio: search / search2,
    note: `filter rebuild over ${N} kept events; baseline = first search (builds the per-entry JSON cache), value = a second search (${rows} rows first time)`,
  });

  // 4. Audio deltas appended to one conversation item.
  const conv = createConsoleStore({ storage: null });
  conv.getState().upsertItem({ id: 'a', role: 'assistant', type: 'message' });
  const DELTAS = 3_000; // 60 s of 20 ms deltas
  const chunk = new Int16Array(160);
  const audio = time(() => {
    for (let i = 0; i < DELTAS; i++) conv.getState().appendItemAudio('a', chunk.slice(), 8000);
  });
  let merged = new Int16Array(0);
  const audioNaive = time(() => {
    for (let i = 0; i < DELTAS; i++) {
      const next = new Int16Array(merged.length + chunk.length);
      next.set(merged);
      next.set(chunk, merged.length);
      merged = next;
    }
  });
  results.push({
    name: 'ui.store.item_audio_us_per_delta',
    unit: 'µs/delta',
    value: (audio * 1000) / DELTAS,
    baseline: (audioNaive * 1000) / DELTAS,
    ratio: audioNaive / audio,
    note: `${DELTAS} deltas of 160 samples (60 s at 8 kHz) into one item; baseline re-concatenates the Int16Array per delta`,
  });
  return results;
}
