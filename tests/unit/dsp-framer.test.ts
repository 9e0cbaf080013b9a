import { describe, expect, it } from 'vitest';
import { PcmFramer, type PcmFrame } from '../../src/lib/dsp/framer';

function ramp(from: number, n: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = ((from + i) % 1000) / 32768;
  return x;
}

describe('PcmFramer', () => {
  it('cuts 128-sample quanta resampled to 16 kHz into frames of exactly 320 samples, positions contiguous', () => {
    const f = new PcmFramer(320);
    const frames: PcmFrame[] = [];
    let at = 0;
    // 44.1 kHz quanta of 128 samples yield 46 or 47 samples at 16 kHz.
    for (let q = 0; q < 500; q++) {
      const n = q % 3 === 0 ? 47 : 46;
      f.push(ramp(at, n), null, (fr) => frames.push(fr));
      at += n;
    }
    expect(frames.every((fr) => fr.mono.length === 320)).toBe(true);
    expect(frames.length).toBe(Math.floor(at / 320));
    frames.forEach((fr, k) => {
      expect(fr.position).toBe(k * 320);
      expect(fr.raw).toBeNull();
      expect(fr.mono[0]).toBe((k * 320) % 1000);
    });
    expect(f.pending).toBe(at % 320);
  });

  it('flush() emits the partial frame once; skip() keeps positions on the stream timeline', () => {
    const f = new PcmFramer(320);
    const frames: PcmFrame[] = [];
    const emit = (fr: PcmFrame) => frames.push(fr);
    f.push(ramp(0, 500), null, emit);
    f.flush(emit);
    f.flush(emit);
    expect(frames.map((x) => x.mono.length)).toEqual([320, 180]);
    f.skip(1000); // paused for 1000 samples
    f.push(ramp(0, 320), null, emit);
    expect(frames[2].position).toBe(1500);
  });

  it('carries a second channel in parallel and converts with rounding and clamping', () => {
    const f = new PcmFramer(4);
    const frames: PcmFrame[] = [];
    f.push(new Float32Array([0.5, -1, 2, -2]), new Float32Array([1 / 32768, 0, 0.25, 0]), (fr) => frames.push(fr));
    expect(Array.from(frames[0].mono)).toEqual([16384, -32768, 32767, -32768]);
    expect(Array.from(frames[0].raw ?? [])).toEqual([1, 0, 8192, 0]);
  });

  it('resize() flushes first so no frame mixes two sizes; rejects bad sizes', () => {
    const f = new PcmFramer(320);
    const frames: PcmFrame[] = [];
    const emit = (fr: PcmFrame) => frames.push(fr);
    f.push(ramp(0, 100), null, emit);
    f.resize(160, emit);
    f.push(ramp(0, 320), null, emit);
    expect(frames.map((x) => x.mono.length)).toEqual([100, 160, 160]);
    expect(() => f.resize(0, emit)).toThrow(RangeError);
    expect(() => new PcmFramer(2.5)).toThrow(RangeError);
  });
});
