// Emulator benchmarks: VAD cost (streaming vs rescanning), input throughput over a real socket, latency to the
// first audio delta, real-time pacing accuracy, event-loop delay with concurrent streams, and the 24-points solver.
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { decodeWav } from '../src/lib/dsp/wav';
import { detectTurns, Vad } from '../src/server/emulator/vad';
import { solveMathGame, solveMathGameAsync } from '../src/server/emulator/plugins/math-game';
import { connect, pcmBase64, startEmulator, ToneSynthesizer } from '../tests/helpers/emulator-harness';
import type { BenchResult } from './types';

const DEFAULTS = { threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: 500 };
const fixture = (name: string) => decodeWav(readFileSync(new URL(`../tests/fixtures/audio/${name}`, import.meta.url)));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function vadBench(): Promise<BenchResult[]> {
  const wav = fixture('zh-two-turns.wav');
  const frame = 320;
  // Streaming detector: each 20 ms append costs one frame's work.
  const t0 = performance.now();
  const reps = 20;
  for (let r = 0; r < reps; r++) {
    const v = new Vad(16000, DEFAULTS);
    for (let i = 0; i < wav.samples.length; i += frame) v.push(wav.samples.subarray(i, i + frame));
  }
  const streamMs = (performance.now() - t0) / reps;
  // Baseline: a detector that rescans the whole buffer on every append (what a stateless VAD does).
  const t1 = performance.now();
  for (let i = frame; i <= wav.samples.length; i += frame) detectTurns(wav.samples.subarray(0, i), 16000, DEFAULTS);
  const rescanMs = performance.now() - t1;
  return [
    {
      name: 'emulator.vad.ms_per_17s_recording',
      unit: 'ms',
      value: streamMs,
      baseline: rescanMs,
      ratio: rescanMs / streamMs,
      note: `zh-two-turns.wav (${(wav.durationMs / 1000).toFixed(1)} s) in 20 ms appends; baseline rescans the buffer per append; ${(wav.durationMs / streamMs).toFixed(0)}× real time`,
    },
  ];
}

async function socketBench(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  const h = await startEmulator({ synthesizer: new ToneSynthesizer(40) });
  try {
    // Input throughput: 60 s of 16 kHz audio in 20 ms appends, until the last VAD turn is committed.
    const wav = fixture('en-weather.wav').samples;
    const c = await connect(h, 'beta');
    c.send({ type: 'session.update', session: { input_audio_format: 'Raw16KHz16BitMonoPcm', turn_detection: { type: 'server_vad', create_response: false } } });
    await c.waitFor('session.updated');
    const frames: string[] = [];
    const reps = Math.ceil(60_000 / 5659);
    for (let r = 0; r < reps; r++) for (let i = 0; i < wav.length; i += 320) frames.push(pcmBase64(wav.subarray(i, i + 320)));
    const t0 = performance.now();
    for (const f of frames) c.send({ type: 'input_audio_buffer.append', audio: f });
    await c.waitFor('input_audio_buffer.committed', () => true, reps, 60_000);
    const ms = performance.now() - t0;
    out.push({
      name: 'emulator.input.realtime_factor',
      unit: '× real time',
      value: (reps * 5659) / ms,
      baseline: 1,
      ratio: (reps * 5659) / ms,
      note: `${frames.length} appends of 20 ms (16 kHz PCM) through a loopback socket with server VAD, until the ${reps}th turn is committed`,
    });
    await c.close();

    // Latency to the first audio delta and pacing accuracy (real time, default pacing).
    const firsts: number[] = [];
    let pacing = 0;
    for (let r = 0; r < 5; r++) {
      const k = await connect(h, 'beta');
      k.send({ type: 'session.update', session: { turn_detection: null, output_audio_format: 'Raw16KHz16BitMonoPcm' } });
      k.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: `ping ${r}` }] } });
      const t = performance.now();
      k.send({ type: 'response.create' });
      await k.waitFor('response.audio.delta');
      firsts.push(performance.now() - t);
      await k.waitFor('response.done', () => true, 1, 20_000);
      const wall = performance.now() - t;
      const audioMs = (k.of('response.audio.delta').reduce((n, d) => n + Buffer.from(d.delta as string, 'base64').length, 0) / 2 / 16000) * 1000;
      pacing = wall / audioMs;
      await k.close();
    }
    out.push({
      name: 'emulator.first_audio_delta_ms',
      unit: 'ms',
      value: median(firsts),
      baseline: null,
      ratio: null,
      note: 'response.create → first audio delta over loopback, tone synthesiser (no TTS cost), median of 5',
    });
    out.push({
      name: 'emulator.pacing.wall_over_audio',
      unit: 'ratio',
      value: pacing,
      baseline: 1,
      ratio: null,
      note: 'wall time from response.create to response.done ÷ audio duration (1.00 = exact real time)',
    });

    // Event-loop delay with 20 concurrent real-time streams.
    const hist = monitorEventLoopDelay({ resolution: 5 });
    hist.enable();
    const clients = await Promise.all(Array.from({ length: 20 }, () => connect(h, 'ga')));
    for (const k of clients) {
      k.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'concurrent streams' }] } });
      k.send({ type: 'response.create' });
    }
    await Promise.all(clients.map((k) => k.waitFor('response.done', () => true, 1, 30_000)));
    hist.disable();
    out.push({
      name: 'emulator.event_loop_delay_p99_ms',
      unit: 'ms',
      value: hist.percentile(99) / 1e6,
      baseline: null,
      ratio: null,
      note: '20 sessions streaming 24 kHz replies at once (40 ms deltas), p99 event-loop delay in the test process (client + server)',
    });
    await Promise.all(clients.map((k) => k.close()));
  } finally {
    await h.close();
  }
  return out;
}

async function mathBench(): Promise<BenchResult[]> {
  const time = (numbers: number[]) => {
    const t = performance.now();
    const r = solveMathGame({ numbers });
    return { ms: performance.now() - t, r };
  };
  time([1, 2, 3, 4]);
  const four = median([0, 1, 2, 3, 4].map(() => time([3, 3, 8, 8]).ms));
  const six = time([13, 11, 7, 5, 3, 2]);
  // The emulator runs the solver in slices between event-loop turns: measure the longest stall.
  const hist = monitorEventLoopDelay({ resolution: 1 });
  hist.enable();
  const t = performance.now();
  await solveMathGameAsync({ numbers: [13, 11, 7, 5, 3, 2] });
  const asyncMs = performance.now() - t;
  hist.disable();
  return [
    { name: 'emulator.math_game.4_numbers_ms', unit: 'ms', value: four, baseline: null, ratio: null, note: '3 3 8 8, every distinct solution' },
    {
      name: 'emulator.math_game.6_numbers_ms',
      unit: 'ms',
      value: six.ms,
      baseline: null,
      ratio: null,
      note: `13 11 7 5 3 2: ${six.r.count} solutions${six.r.truncated ? ' (search budget reached)' : ''}`,
    },
    {
      name: 'emulator.math_game.6_numbers_max_stall_ms',
      unit: 'ms',
      value: hist.max / 1e6,
      baseline: six.ms,
      ratio: six.ms / (hist.max / 1e6),
      note: `longest event-loop stall of the sliced search (${asyncMs.toFixed(0)} ms in all); baseline: one synchronous search`,
    },
  ];
}

export default async function (): Promise<BenchResult[]> {
  return [...(await vadBench()), ...(await mathBench()), ...(await socketBench())];
}
