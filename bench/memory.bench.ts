// Memory of a 60-minute full-duplex session, simulated as fast as the console consumes it, in Node: the real
// SessionBridge + RealtimeClient (over a real loopback socket) + console store, against the duplex bench server
// (bench/helpers/duplex-script.ts): 60 min of 20 ms input frames at 16 kHz appended, 60 min of 20 ms output deltas at
// 24 kHz received, transcripts, a user utterance (10 s of attached input audio) and a response per 30 s turn.
// The console side runs in a child process with --expose-gc so the figures hold only it; heap is sampled after GC.
// Baseline: the reference approach (cumulative input buffer, merge per delta, every event object kept with its
// payload) for its first minutes, extrapolated linearly to 60 min (its memory grows linearly with talk time).
// Item audio (the conversation's recorded speech) is the user's data and is kept by design: reported separately.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startBenchServer } from './helpers/bench-server';
import { attachDuplexScript, type DuplexCounters } from './helpers/duplex-script';
import type { MemorySample } from './helpers/memory-session';
import type { BenchResult } from './types';

const root = fileURLToPath(new URL('..', import.meta.url));
const child = fileURLToPath(new URL('./helpers/memory-session.ts', import.meta.url));
const MINUTES = Number(process.env.MEMORY_BENCH_MINUTES ?? 60);
const REFERENCE_MINUTES = 3;

function runChild(args: string[]): Promise<MemorySample[]> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', child, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      if (code !== 0) return reject(new Error(`memory child ${args[0]} exited ${code}: ${err.slice(-2000)}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as MemorySample[]);
      } catch {
        reject(new Error(`memory child ${args[0]} printed no result: ${out.slice(-500)} ${err.slice(-500)}`));
      }
    });
  });
}

/** Least-squares slope and intercept of y over x. */
function fit(points: { x: number; y: number }[]): { a: number; b: number } {
  const mx = points.reduce((s, p) => s + p.x, 0) / points.length;
  const my = points.reduce((s, p) => s + p.y, 0) / points.length;
  const b = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return { a: my - b * mx, b };
}

export default async function (): Promise<BenchResult[]> {
  let counters: DuplexCounters | null = null;
  const server = await startBenchServer((conn) => (counters = attachDuplexScript(conn, { turnSeconds: 30, speechSeconds: 10 })));
  let ours: MemorySample[];
  try {
    ours = await runChild(['ours', server.origin, String(MINUTES)]);
  } finally {
    await server.close();
  }
  const ref = await runChild(['reference', String(REFERENCE_MINUTES)]);
  const c = counters as DuplexCounters | null;
  if (!c || c.appends < MINUTES * 3000 || c.deltas < MINUTES * 3000) throw new Error(`duplex script incomplete: ${JSON.stringify(c)}`);

  const total = (s: MemorySample) => s.heapUsedMB + s.arrayBuffersMB;
  const start = ours[0];
  const end = ours[ours.length - 1];
  const at = (m: number) => ours.find((s) => s.minute === m);
  const mid = at(30) ?? end;
  const q = at(15) ?? end;
  // Bounded part: everything but the item audio (event log capped, input ring 60 s, stores, client).
  const bounded = (s: MemorySample) => total(s) - s.itemAudioMB;
  const perHour = (x0: number, x1: number, m0: number, m1: number) => ((x1 - x0) / (m1 - m0)) * 60;
  const growth = perHour(bounded(mid), bounded(end), mid.minute, end.minute);
  const refFit = fit(ref.map((s) => ({ x: s.minute, y: total(s) })));
  const refAt60 = refFit.a + refFit.b * 60;
  const refHeapFit = fit(ref.map((s) => ({ x: s.minute, y: s.heapUsedMB })));
  const refHeapAt60 = refHeapFit.a + refHeapFit.b * 60;
  const heapGrowth = perHour(mid.heapUsedMB, end.heapUsedMB, mid.minute, end.minute);
  const bufGrowth = perHour(mid.arrayBuffersMB - mid.itemAudioMB, end.arrayBuffersMB - end.itemAudioMB, mid.minute, end.minute);
  const refBoundedFit = fit(ref.map((s) => ({ x: s.minute, y: bounded(s) })));
  const refBoundedPerHour = refBoundedFit.b * 60;
  const trace = ours.map((s) => `${s.minute} min: heap ${s.heapUsedMB.toFixed(1)} + buffers ${s.arrayBuffersMB.toFixed(1)} MB, item audio ${s.itemAudioMB.toFixed(1)} MB, ${s.events} events, ${s.items} items`).join('; ');
  const refTrace = ref.map((s) => `${s.minute} min: ${total(s).toFixed(1)} MB (${s.events} events)`).join('; ');
  return [
    {
      name: 'memory.duplex_60min.total_MB',
      unit: 'MB',
      value: total(end),
      baseline: refAt60,
      ratio: refAt60 / total(end),
      note: `JS heap + ArrayBuffers after GC at minute ${end.minute} of a simulated full-duplex session (bridge+client+store, real socket; ${end.wallS.toFixed(0)} s wall); baseline = the reference approach measured to minute ${REFERENCE_MINUTES} and extrapolated linearly (${refTrace}); trace: ${trace}`,
    },
    {
      name: 'memory.duplex_60min.js_heap_MB',
      unit: 'MB',
      value: end.heapUsedMB,
      baseline: refHeapAt60,
      ratio: refHeapAt60 / end.heapUsedMB,
      note: `V8 heap used after GC at minute ${end.minute} (ArrayBuffer contents excluded); baseline: the reference's, extrapolated linearly from its first ${REFERENCE_MINUTES} min (base64 payload strings kept in event objects)`,
    },
    {
      name: 'memory.duplex_60min.item_audio_MB',
      unit: 'MB',
      value: end.itemAudioMB,
      baseline: null,
      ratio: null,
      note: `conversation audio kept by design (user data, one copy in the client's conversation and one in the store): ${MINUTES} min of 24 kHz assistant audio + 10 s of 16 kHz user audio per turn`,
    },
    {
      name: 'memory.duplex_60min.bounded_growth_MB_per_h',
      unit: 'MB/h',
      value: growth,
      baseline: refBoundedPerHour,
      ratio: refBoundedPerHour / Math.max(0.1, growth),
      note: `growth of everything except item audio from minute ${mid.minute} to ${end.minute} (event log full at its cap of ${end.events} entries, input ring 60 s): JS heap ${heapGrowth.toFixed(0)} MB/h + ArrayBuffers beyond item audio ${bufGrowth.toFixed(0)} MB/h; at 0/${q.minute}/${mid.minute}/${end.minute} min: ${[start, q, mid, end].map((s) => bounded(s).toFixed(1)).join(' / ')} MB; baseline: the reference's non-item-audio growth (event payloads + cumulative input buffer), fitted over its first ${REFERENCE_MINUTES} min; target (anchors F.1) < 20 MB/h`,
    },
  ];
}
