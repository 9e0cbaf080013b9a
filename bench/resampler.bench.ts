// Resampler throughput on one core, as multiples of real time, for the ratios the project uses.
// Baseline: a direct (non-polyphase) windowed-sinc that evaluates its Kaiser/sinc coefficients per output
// sample — what a straightforward port would do — with the same filter length, on the same input.
import { StreamingResampler } from '../src/lib/dsp/resampler';
import type { BenchResult } from './types';

const PAIRS: [number, number, string][] = [
  [48000, 16000, 'capture 48k→16k'],
  [44100, 16000, 'capture 44.1k→16k'],
  [22050, 8000, 'server TTS 22.05k→8k'],
  [22050, 24000, 'server TTS 22.05k→24k'],
  [8000, 48000, 'player fallback 8k→48k'],
];

function signal(rate: number, seconds: number): Float32Array {
  const x = new Float32Array(rate * seconds);
  for (let i = 0; i < x.length; i++) x[i] = 0.5 * Math.sin(i * 0.01) + 0.1 * Math.sin(i * 0.37);
  return x;
}

/** Streams `x` through the resampler in 128-sample blocks (as the worklet does); returns seconds taken. */
function timeStreaming(x: Float32Array, from: number, to: number): number {
  const r = new StreamingResampler(from, to);
  const t0 = performance.now();
  for (let i = 0; i < x.length; i += 128) r.process(x.subarray(i, i + 128));
  r.flush();
  return (performance.now() - t0) / 1000;
}

function besselI0(x: number): number {
  let sum = 1, term = 1;
  for (let k = 1; k < 40; k++) {
    term *= (x * x) / 4 / (k * k);
    sum += term;
  }
  return sum;
}

/** Direct windowed-sinc with per-output coefficient evaluation and the same half-width. */
function timeDirect(x: Float32Array, from: number, to: number, halfWidth: number): number {
  const nyq = Math.min(from, to) / 2;
  const fc = (0.95 * nyq) / from;
  const beta = 0.1102 * (70 - 8.7);
  const i0b = besselI0(beta);
  const n = Math.ceil((x.length * to) / from);
  const y = new Float32Array(n);
  const t0 = performance.now();
  for (let k = 0; k < n; k++) {
    const t = (k * from) / to;
    const c = Math.floor(t);
    let acc = 0;
    for (let j = c - halfWidth + 1; j <= c + halfWidth; j++) {
      if (j < 0 || j >= x.length) continue;
      const tau = t - j;
      const arg = 2 * fc * tau;
      const sinc = tau === 0 ? 1 : Math.sin(Math.PI * arg) / (Math.PI * arg);
      const r = tau / halfWidth;
      const w = r * r >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - r * r)) / i0b;
      acc += x[j] * 2 * fc * sinc * w;
    }
    y[k] = acc;
  }
  return (performance.now() - t0) / 1000;
}

export default async function (): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const [from, to, label] of PAIRS) {
    const seconds = 10;
    const x = signal(from, seconds);
    timeStreaming(x.subarray(0, from), from, to); // warm-up (JIT, filter table)
    const best = Math.min(timeStreaming(x, from, to), timeStreaming(x, from, to));
    const r = new StreamingResampler(from, to);
    // The direct baseline is slow: time 1 s of audio and scale.
    const direct = timeDirect(x.subarray(0, from), from, to, r.latencyInputSamples);
    const value = seconds / best;
    const baseline = 1 / direct;
    results.push({
      name: `dsp.resampler.${from}_${to}.x_realtime`,
      unit: '× real time',
      value,
      baseline,
      ratio: value / baseline,
      note: `${label}; ${r.taps} taps, ${r.latencySamples} output samples of delay; 10 s in 128-sample blocks, best of 2; baseline: direct windowed-sinc computing its coefficients per sample (1 s)`,
    });
  }
  return results;
}
