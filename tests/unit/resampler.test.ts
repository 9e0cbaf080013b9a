import { describe, expect, it } from 'vitest';
import {
  ResamplerError,
  StreamingResampler,
  resampleFloat32,
  resampleInt16,
  resampledLength,
} from '../../src/lib/dsp/resampler';

const AMP = 0.5;

function tone(freq: number, rate: number, n: number, amp = AMP): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = amp * Math.sin((2 * Math.PI * freq * i) / rate);
  return x;
}

/** Least-squares fit of a sinusoid at `freq` over [a, b): its amplitude, the residual RMS and the total RMS. */
function analyse(y: ArrayLike<number>, freq: number, rate: number, a: number, b: number) {
  let ys = 0, yc = 0, ss = 0, cc = 0, sc = 0, tot = 0;
  for (let i = a; i < b; i++) {
    const s = Math.sin((2 * Math.PI * freq * i) / rate);
    const c = Math.cos((2 * Math.PI * freq * i) / rate);
    ys += y[i] * s; yc += y[i] * c; ss += s * s; cc += c * c; sc += s * c; tot += y[i] * y[i];
  }
  // Solve the 2×2 normal equations (sin and cos are not orthogonal over a non-integer number of cycles).
  const det = ss * cc - sc * sc;
  const A = (ys * cc - yc * sc) / det;
  const B = (yc * ss - ys * sc) / det;
  let res = 0;
  for (let i = a; i < b; i++) {
    const r = y[i] - A * Math.sin((2 * Math.PI * freq * i) / rate) - B * Math.cos((2 * Math.PI * freq * i) / rate);
    res += r * r;
  }
  return { amp: Math.hypot(A, B), residualRms: Math.sqrt(res / (b - a)), rms: Math.sqrt(tot / (b - a)) };
}

const db = (ratio: number) => 20 * Math.log10(ratio);
const INPUT_RMS = AMP / Math.SQRT2;

// Every ratio the project uses: capture (native → 16 k), server TTS (22.05 k → 8/16/24/44.1 k), player fallback.
const PAIRS: [number, number][] = [
  [48000, 16000],
  [44100, 16000],
  [16000, 44100],
  [22050, 8000],
  [22050, 16000],
  [22050, 24000],
  [22050, 44100],
  [8000, 48000],
  [24000, 48000],
  [44100, 16001], // a reduced numerator too large for an exact table: interpolated phases
];

describe('resampler frequency response (sine sweeps)', () => {
  for (const [from, to] of PAIRS) {
    const nyquist = Math.min(from, to) / 2;
    it(`${from} → ${to}: flat within 1 dB to 0.9 × Nyquist, images/residue ≥ 60 dB down`, () => {
      // 0.25 s tones; analysis skips the first and last 10% (the filter's edges).
      const n = Math.round(from / 4);
      const outN = resampledLength(n, from, to);
      const a = Math.round(outN * 0.1), b = Math.round(outN * 0.9);
      let worstRipple = 0;
      let worstResidue = -Infinity;
      for (let k = 1; k <= 24; k++) {
        const f = (0.9 * nyquist * k) / 24;
        const y = resampleFloat32(tone(f, from, n), from, to);
        expect(y.length).toBe(outN);
        const m = analyse(y, f, to, a, b);
        worstRipple = Math.max(worstRipple, Math.abs(db(m.amp / AMP)));
        worstResidue = Math.max(worstResidue, db(m.residualRms / INPUT_RMS));
      }
      expect(worstRipple).toBeLessThan(1);
      // Upsampling images and any distortion show up in the residual after removing the tone.
      expect(worstResidue).toBeLessThan(-60);
    });

    if (from > to) {
      it(`${from} → ${to}: stopband (≥ target Nyquist) attenuated by at least 60 dB`, () => {
        const n = Math.round(from / 4);
        const outN = resampledLength(n, from, to);
        const a = Math.round(outN * 0.1), b = Math.round(outN * 0.9);
        let worst = -Infinity;
        for (let k = 0; k <= 24; k++) {
          const f = nyquist + ((from / 2 - nyquist) * k) / 24.5;
          const y = resampleFloat32(tone(f, from, n), from, to);
          worst = Math.max(worst, db(analyse(y, f, to, a, b).rms / INPUT_RMS));
        }
        expect(worst).toBeLessThan(-60);
      });
    }
  }
});

describe('StreamingResampler', () => {
  it('gives the same samples as the one-shot helper whatever the block sizes', () => {
    const from = 44100, to = 16000;
    const x = tone(440, from, 22050);
    for (let i = 0; i < x.length; i += 97) x[i] += 0.1; // some broadband content
    const whole = resampleFloat32(x, from, to);
    const r = new StreamingResampler(from, to);
    const got: number[] = [];
    const sizes = [128, 1, 7, 1000, 128, 3, 441];
    let at = 0, s = 0;
    while (at < x.length) {
      const len = sizes[s++ % sizes.length];
      got.push(...r.process(x.subarray(at, at + len)));
      at += len;
    }
    got.push(...r.flush());
    expect(got.length).toBe(whole.length);
    for (let i = 0; i < whole.length; i++) expect(got[i]).toBe(whole[i]);
  });

  it('reports its latency and emits a delayed impulse at the right place', () => {
    const r = new StreamingResampler(48000, 16000);
    expect(r.latencyInputSamples).toBeGreaterThan(0);
    expect(r.latencySamples).toBe(Math.ceil((r.latencyInputSamples * 16000) / 48000));
    // An impulse at input 4800 (100 ms) lands at output 1600, and appears once the delay has elapsed.
    const x = new Float32Array(4800 + 1024);
    x[4800] = 1;
    const out = r.process(x);
    const peakAt = out.reduce((best, v, i) => (v > out[best] ? i : best), 0);
    expect(peakAt).toBe(1600);
    // Everything up to input time (received - latency) has been emitted, nothing more.
    expect(out.length).toBe(Math.ceil(((x.length - r.latencyInputSamples) * 16000) / 48000));
  });

  it('allocates no new output buffer in steady state (returns views of one scratch buffer)', () => {
    const r = new StreamingResampler(48000, 16000);
    const block = tone(1000, 48000, 128);
    for (let i = 0; i < 8; i++) r.process(block); // warm-up: the scratch buffer reaches its final size
    const first = r.process(block);
    let same = true;
    for (let i = 0; i < 100; i++) same = same && r.process(block).buffer === first.buffer;
    expect(same).toBe(true);
    const into = new Float32Array(r.maxOutputLength(128));
    const view = r.process(block, into);
    expect(view.buffer).toBe(into.buffer);
  });

  it('passes samples through unchanged when the rates are equal', () => {
    const x = tone(1000, 16000, 500);
    const r = new StreamingResampler(16000, 16000);
    expect(r.latencySamples).toBe(0);
    expect(Array.from(r.process(x))).toEqual(Array.from(x));
    expect(r.flush().length).toBe(0);
    expect(Array.from(resampleFloat32(x, 16000, 16000))).toEqual(Array.from(x));
  });

  it('rejects invalid rates and options with a typed error', () => {
    expect(() => new StreamingResampler(0, 16000)).toThrow(ResamplerError);
    expect(() => new StreamingResampler(44100.5, 16000)).toThrow(ResamplerError);
    expect(() => new StreamingResampler(Number.NaN, 16000)).toThrow(ResamplerError);
    expect(() => new StreamingResampler(48000, 16000, { attenuationDb: 10 })).toThrow(ResamplerError);
    expect(() => resampleInt16(new Int16Array(4), 8000, -1)).toThrow(ResamplerError);
  });
});

describe('resampleInt16', () => {
  it('keeps length ceil(n × to / from) and a tone’s level (22050 → 8/16/24/44.1 kHz)', () => {
    const pcm = new Int16Array(22050);
    for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(16000 * Math.sin((2 * Math.PI * 500 * i) / 22050));
    for (const to of [8000, 16000, 24000, 44100]) {
      const y = resampleInt16(pcm, 22050, to);
      expect(y).toBeInstanceOf(Int16Array);
      expect(y.length).toBe(Math.ceil((22050 * to) / 22050));
      const m = analyse(y, 500, to, Math.round(to * 0.1), Math.round(to * 0.9));
      expect(Math.abs(db(m.amp / 16000))).toBeLessThan(0.1);
    }
  });

  it('clamps instead of wrapping around on full-scale input', () => {
    const pcm = new Int16Array(2000);
    for (let i = 0; i < pcm.length; i++) pcm[i] = i % 40 < 20 ? 32767 : -32768; // square wave overshoots
    const y = resampleInt16(pcm, 16000, 48000);
    let min = 0, max = 0;
    for (const v of y) { min = Math.min(min, v); max = Math.max(max, v); }
    expect(max).toBe(32767);
    expect(min).toBe(-32768);
    // No wrap: a sample next to a positive plateau is never hugely negative.
    for (let i = 1; i < y.length; i++) expect(Math.abs(y[i] - y[i - 1])).toBeLessThan(40000);
  });

  it('handles empty input', () => {
    expect(resampleInt16(new Int16Array(0), 22050, 8000).length).toBe(0);
    expect(resampleFloat32(new Float32Array(0), 8000, 48000).length).toBe(0);
  });
});
