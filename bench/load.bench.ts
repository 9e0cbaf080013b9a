// Load: 50 concurrent sessions on loopback, each streaming real-time 20 ms microphone frames and receiving a paced
// audio reply — straight to the emulator, and through the relay to an upstream emulator. The figure is how late each
// audio delta arrives against its real-time schedule: delta k is due at start + (audio before it), where start is
// the earliest start consistent with every arrival (min over k of arrival − audio before k), so a late first delta
// does not hide later lateness. Reported at p50/p99/max. Server and clients share this one Node process, so the
// lag measured includes the clients' own event loop: an upper bound of the server's.
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { startTestServer } from '../tests/helpers/server-harness';
import { ToneSynthesizer } from '../tests/helpers/emulator-harness';
import type { BenchResult } from './types';

/** Options of one load run. */
export interface LoadOptions {
  sessions: number;
  /** `emulator`: clients → emulator; `relay`: clients → relay → upstream emulator. */
  via: 'emulator' | 'relay';
  /** ms of (tone) speech each session sends before asking for the reply. */
  speakMs?: number;
  /** Sessions start spread over this many ms (a burst of 50 handshakes is not the point). */
  rampMs?: number;
  /** Hard limit of the whole run, ms. */
  timeoutMs?: number;
}

/** What one session saw. */
export interface SessionOutcome {
  ok: boolean;
  error?: string;
  deltas: number;
  /** Lateness of each audio delta against its schedule, ms (≥ 0). */
  lateness: number[];
  /** Audio deltas all came before `response.audio.done` and belong to one item. */
  ordered: boolean;
  responseStatus: string | null;
  framesSent: number;
}

/** Result of a load run. */
export interface LoadResult {
  sessions: SessionOutcome[];
  wallMs: number;
  lateness: { p50: number; p99: number; max: number; count: number };
}

const FRAME_MS = 20;
const IN_RATE = 16000;
const OUT_RATE = 8000;
const RELAY_KEY = ['load', 'relay', 'key', 'x'.repeat(8)].join('-');

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** 20 ms of a 300 Hz tone (or silence) at 16 kHz, as base64 PCM16. */
function frameB64(tone: boolean, k: number): string {
  const n = (IN_RATE * FRAME_MS) / 1000;
  const s = new Int16Array(n);
  if (tone) for (let i = 0; i < n; i++) s[i] = Math.round(6000 * Math.sin((2 * Math.PI * 300 * (k * n + i)) / IN_RATE));
  return Buffer.from(s.buffer).toString('base64');
}
// 15 frames = 4800 samples = exactly 90 periods of 300 Hz at 16 kHz: the tone loops seamlessly.
const TONE = Array.from({ length: 15 }, (_, k) => frameB64(true, k));
const SILENCE = frameB64(false, 0);

function runSession(url: string, speakMs: number, timeoutMs: number): Promise<SessionOutcome> {
  return new Promise((resolve) => {
    const out: SessionOutcome = { ok: false, deltas: 0, lateness: [], ordered: true, responseStatus: null, framesSent: 0 };
    const ws = new WebSocket(url, ['realtime', 'openai-beta.realtime-v1'], { perMessageDeflate: false });
    let mic: ReturnType<typeof setInterval> | null = null;
    let t0 = 0;
    let sent = 0;
    let asked = false;
    const implied: number[] = []; // arrival − audio before, per delta
    let audioBeforeMs = 0;
    let itemId: string | null = null;
    let audioDone = false;
    const finish = (error?: string) => {
      if (mic) clearInterval(mic);
      mic = null;
      clearTimeout(guard);
      if (error) out.error = error;
      const startAt = Math.min(...implied);
      out.lateness = implied.map((t) => t - startAt);
      out.framesSent = sent;
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.close();
      resolve(out);
    };
    const guard = setTimeout(() => finish('timeout'), timeoutMs);
    const send = (e: Record<string, unknown>) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(e));
    // The microphone: every frame that is due by the wall clock (catches up after a late timer, like a worklet).
    const pump = () => {
      const due = Math.floor((performance.now() - t0) / FRAME_MS);
      while (sent < due) {
        const speaking = sent * FRAME_MS < speakMs;
        send({ type: 'input_audio_buffer.append', audio: speaking ? TONE[sent % TONE.length] : SILENCE });
        sent++;
        if (!speaking && !asked) {
          asked = true;
          send({ type: 'input_audio_buffer.commit' });
          send({ type: 'response.create' });
        }
      }
    };
    ws.on('error', (err) => finish(`socket: ${err.message}`));
    ws.on('close', (code) => finish(`closed ${code}`));
    ws.on('message', (data) => {
      const now = performance.now();
      const e = JSON.parse(String(data)) as { type: string; delta?: string; item_id?: string; response?: { status?: string }; error?: { message?: string } };
      switch (e.type) {
        case 'session.created':
          send({ type: 'session.update', session: { modalities: ['text', 'audio'], input_audio_format: 'Raw16KHz16BitMonoPcm', output_audio_format: 'Raw8KHz16BitMonoPcm', turn_detection: null } });
          t0 = performance.now();
          mic = setInterval(pump, FRAME_MS);
          break;
        case 'response.audio.delta': {
          if (audioDone || (itemId !== null && e.item_id !== itemId)) out.ordered = false;
          itemId = e.item_id ?? null;
          const ms = (Buffer.byteLength(e.delta ?? '', 'base64') / 2 / OUT_RATE) * 1000;
          implied.push(now - audioBeforeMs);
          audioBeforeMs += ms;
          out.deltas++;
          break;
        }
        case 'response.audio.done':
          audioDone = true;
          break;
        case 'error':
          finish(`server error: ${e.error?.message ?? ''}`);
          break;
        case 'response.done':
          out.responseStatus = e.response?.status ?? null;
          out.ok = out.responseStatus === 'completed' && out.deltas > 0;
          finish();
          break;
      }
    });
  });
}

/** Runs `sessions` concurrent sessions and collects the lateness of every audio delta. */
export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const speakMs = opts.speakMs ?? 1500;
  const rampMs = opts.rampMs ?? 1000;
  const timeoutMs = opts.timeoutMs ?? 25_000;
  const upstream = await startTestServer(opts.via === 'relay' ? { EMULATOR_API_KEY: RELAY_KEY } : {}, { synthesizer: new ToneSynthesizer(20) });
  const relay =
    opts.via === 'relay' ? await startTestServer({ REALTIME_API_KEY: RELAY_KEY, REALTIME_UPSTREAM_URL: `ws://127.0.0.1:${upstream.port}/v1/realtime` }, { synthesizer: null }) : null;
  const url = relay ? `ws://127.0.0.1:${relay.port}/relay/v1/realtime?model=emulator-realtime` : `ws://127.0.0.1:${upstream.port}/v1/realtime?model=emulator-realtime`;
  const start = performance.now();
  try {
    const sessions = await Promise.all(
      Array.from({ length: opts.sessions }, (_, i) =>
        new Promise<SessionOutcome>((r) => setTimeout(() => r(runSession(url, speakMs, timeoutMs)), (i * rampMs) / opts.sessions)),
      ),
    );
    const all = sessions.flatMap((s) => s.lateness).sort((a, b) => a - b);
    return {
      sessions,
      wallMs: performance.now() - start,
      lateness: { p50: percentile(all, 50), p99: percentile(all, 99), max: all.length ? all[all.length - 1] : 0, count: all.length },
    };
  } finally {
    await relay?.close();
    await upstream.close();
  }
}

export default async function loadBench(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const via of ['emulator', 'relay'] as const) {
    const r = await runLoad({ sessions: 50, via });
    const ok = r.sessions.filter((s) => s.ok).length;
    const note = `load average ${loadavg()[0].toFixed(1)} on this machine; 50 sessions (${ok} completed), 20 ms real-time input, paced 8 kHz reply; ${r.lateness.count} deltas; p50 ${r.lateness.p50.toFixed(1)} ms, max ${r.lateness.max.toFixed(1)} ms; wall ${(r.wallMs / 1000).toFixed(1)} s; target p99 ≤ 100 ms`;
    results.push({ name: `load.${via}.delta_lateness_p99`, unit: 'ms', value: r.lateness.p99, baseline: 100, ratio: r.lateness.p99 > 0 ? 100 / r.lateness.p99 : null, note });
  }
  return results;
}
