import { describe, expect, it } from 'vitest';
import { resampleInt16 } from '../../src/lib/dsp/resampler';
import { decodeAlaw, decodeMulaw } from '../../src/lib/dsp/g711';
import { ChunkSource, chunkSamples, encodeOutput } from '../../src/server/emulator/audio-out';

function signal(n: number, seed: number): Int16Array {
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.round(9000 * Math.sin((i * (seed + 1)) / 13) + ((i * 7919 + seed) % 1000) - 500);
  return out;
}

function drain(src: ChunkSource, chunk: number): Int16Array {
  const parts: Int16Array[] = [];
  for (let c = src.next(); c; c = src.next()) parts.push(c);
  parts.slice(0, -1).forEach((p) => expect(p.length).toBe(chunk));
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

describe('lazy output chunking', () => {
  for (const rate of [8000, 16000, 24000, 44100]) {
    it(`${rate} Hz: chunks of 40 ms equal one-shot resampling of each segment, concatenated`, () => {
      const speech = signal(22050, 1);
      const gap = new Int16Array(rate / 10);
      const user = signal(16000 * 0.7, 2);
      const chunk = chunkSamples(rate);
      expect(chunk).toBe((rate * 40) / 1000);
      const src = new ChunkSource([{ samples: speech, rate: 22050 }, { samples: gap, rate }, { samples: user, rate: 16000 }], rate, chunk);
      const got = drain(src, chunk);
      const a = resampleInt16(speech, 22050, rate);
      const c = rate === 16000 ? user : resampleInt16(user, 16000, rate);
      expect(got.length).toBe(src.totalSamples);
      expect(got.length).toBe(a.length + gap.length + c.length);
      expect(Array.from(got.subarray(0, a.length))).toEqual(Array.from(a));
      expect(Array.from(got.subarray(a.length + gap.length))).toEqual(Array.from(c));
      expect(src.segmentLength(0)).toBe(a.length);
    });
  }

  it('an empty source yields nothing', () => {
    expect(new ChunkSource([], 8000, 320).next()).toBeNull();
  });
});

describe('output encoding', () => {
  it('PCM little-endian, G.711 µ-law and A-law round-trip within codec error', () => {
    const s = signal(800, 3);
    const pcm = encodeOutput(s, { encoding: 'pcm16', sampleRate: 8000, bytesPerSample: 2 });
    expect(pcm.length).toBe(1600);
    expect(new DataView(pcm.buffer).getInt16(2, true)).toBe(s[1]);
    const mu = decodeMulaw(encodeOutput(s, { encoding: 'g711_ulaw', sampleRate: 8000, bytesPerSample: 1 }));
    const al = decodeAlaw(encodeOutput(s, { encoding: 'g711_alaw', sampleRate: 8000, bytesPerSample: 1 }));
    for (let i = 0; i < s.length; i++) {
      expect(Math.abs(mu[i] - s[i])).toBeLessThanOrEqual(Math.max(32, Math.abs(s[i]) / 16));
      expect(Math.abs(al[i] - s[i])).toBeLessThanOrEqual(Math.max(32, Math.abs(s[i]) / 16));
    }
  });
});
