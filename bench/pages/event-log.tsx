// Browser side of bench/event-log-browser.bench.ts: the real EventLogPanel on the real console store, fed like the
// bridge feeds it (one appendEvents batch per animation frame), and a naive reference log for comparison: React
// state copied per event (`prev.concat(e)`) rendered as one DOM row per event (no virtualisation).
import { useEffect, useState } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import '../../src/ui/styles.css';
import { encodeBase64 } from '../../src/lib/dsp/base64';
import { ConsoleStoreProvider, createConsoleStore } from '../../src/store';
import type { IncomingEvent } from '../../src/store/event-log';
import { EventLogPanel } from '../../src/ui/event-log';

/** What one run measured. */
export interface LogRun {
  events: number;
  ms: number;
  eventsPerSecond: number;
  longestFrameMs: number;
  p95FrameMs: number;
  frames: number;
  /** The three longest frames: `index:ms` (index 0 is the first batch). */
  worst: string;
}

/** A duplex stream: input appends and output audio deltas interleaved, a transcript delta every 10th event. */
function makeEvents(n: number, from = 0): IncomingEvent[] {
  const audio = encodeBase64(new Uint8Array(640)); // 20 ms at 16 kHz
  const out: IncomingEvent[] = [];
  for (let i = from; i < from + n; i++) {
    const event =
      i % 10 === 9
        ? { type: 'response.audio_transcript.delta', response_id: 'r', item_id: 'i', output_index: 0, content_index: 0, delta: '你好' }
        : i % 2 === 0
          ? { type: 'input_audio_buffer.append', event_id: `evt_${i}`, audio }
          : { type: 'response.audio.delta', event_id: `ev_${i}`, response_id: 'r', item_id: 'i', output_index: 0, content_index: 0, delta: audio };
    out.push({ direction: i % 10 === 9 || i % 2 === 1 ? 'server' : 'client', event, frame: JSON.stringify(event), at: 1_700_000_000_000 + i * 10 });
  }
  return out;
}

const nextFrame = () => new Promise<number>((r) => requestAnimationFrame(r));

/** Feeds `events` `batch` per animation frame through `append`; frame lengths are the rAF deltas meanwhile. */
async function feed(events: IncomingEvent[], batch: number, append: (b: IncomingEvent[]) => void): Promise<LogRun> {
  const deltas: number[] = [];
  let last = await nextFrame();
  const t0 = performance.now();
  for (let i = 0; i < events.length; i += batch) {
    append(events.slice(i, i + batch));
    const now = await nextFrame();
    deltas.push(now - last);
    last = now;
  }
  // Two more frames so the last batch is rendered.
  for (let k = 0; k < 2; k++) {
    const now = await nextFrame();
    deltas.push(now - last);
    last = now;
  }
  const ms = performance.now() - t0;
  const sorted = [...deltas].sort((a, b) => a - b);
  const worst = deltas.map((d, i) => [i, d] as const).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([i, d]) => `#${i}: ${d.toFixed(0)}`).join(', ');
  return { worst, events: events.length, ms, eventsPerSecond: (events.length / ms) * 1000, longestFrameMs: sorted[sorted.length - 1], p95FrameMs: sorted[Math.floor(sorted.length * 0.95)], frames: deltas.length };
}

let root: Root | null = null;
const host = () => document.getElementById('root')!;

/** The console's event log: real store + real panel. */
async function runConsole(n: number, batch: number): Promise<LogRun & { rows: number; renderedRows: number }> {
  const store = createConsoleStore({ storage: null });
  root = createRoot(host());
  root.render(
    <ConsoleStoreProvider store={store}>
      <EventLogPanel />
    </ConsoleStoreProvider>,
  );
  await nextFrame();
  const events = makeEvents(n);
  const run = await feed(events, batch, (b) => store.getState().appendEvents(b));
  if (store.getState().events.size !== Math.min(n, store.getState().events.capacity)) throw new Error(`store holds ${store.getState().events.size} events`);
  return { ...run, rows: store.getState().events.view.length, renderedRows: document.querySelectorAll('[data-index]').length };
}

interface RefEvent {
  time: string;
  source: string;
  event: { type: string; [k: string]: unknown };
}

function NaiveLog({ sink }: { sink: (add: (e: RefEvent) => void) => void }) {
  const [events, setEvents] = useState<RefEvent[]>([]);
  useEffect(() => sink((e) => setEvents((prev) => prev.concat(e))), [sink]);
  return (
    <div style={{ overflow: 'auto', flex: 1 }}>
      {events.map((e, i) => (
        <div key={i} className="event-row">
          <span>{e.time}</span> <span>{e.source}</span> <span>{e.event.type}</span>
        </div>
      ))}
    </div>
  );
}

/** The reference approach for the first `n` events. */
async function runNaive(n: number, batch: number): Promise<LogRun & { renderedRows: number }> {
  let add: ((e: RefEvent) => void) | null = null;
  root = createRoot(host());
  root.render(<NaiveLog sink={(a) => (add = a)} />);
  while (!add) await nextFrame();
  const push = add as (e: RefEvent) => void;
  const run = await feed(makeEvents(n), batch, (b) => {
    for (const e of b) push({ time: new Date(e.at ?? 0).toISOString(), source: e.direction, event: e.event });
  });
  return { ...run, renderedRows: host().querySelectorAll('.event-row').length };
}

function unmount(): void {
  root?.unmount();
  root = null;
}

declare global {
  interface Window {
    __eventLogBench: { runConsole: typeof runConsole; runNaive: typeof runNaive; unmount: typeof unmount; ready: boolean };
  }
}
window.__eventLogBench = { runConsole, runNaive, unmount, ready: true };
