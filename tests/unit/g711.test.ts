import { describe, expect, it } from 'vitest';
import { alawToLinear, decodeAlaw, decodeMulaw, encodeAlaw, encodeMulaw, linearToAlaw, linearToMulaw, mulawToLinear } from '../../src/lib/dsp/g711';

function ramp(): Int16Array {
  const out = new Int16Array(65536);
  for (let i = 0; i < out.length; i++) out[i] = i - 32768;
  return out;
}

describe('G.711', () => {
  it('µ-law: every code decodes and re-encodes to itself (except the duplicate zero)', () => {
    for (let b = 0; b < 256; b++) {
      const back = linearToMulaw(mulawToLinear(b));
      if (b === 0x7f) expect(back === 0x7f || back === 0xff).toBe(true);
      else expect(back).toBe(b);
    }
  });

  it('A-law: every code decodes and re-encodes to itself', () => {
    for (let b = 0; b < 256; b++) expect(linearToAlaw(alawToLinear(b))).toBe(b);
  });

  it('round-trip error stays within the companding step (relative error under 7% above 256)', () => {
    const pcm = ramp();
    for (const [enc, dec] of [
      [encodeMulaw, decodeMulaw],
      [encodeAlaw, decodeAlaw],
    ] as const) {
      const back = dec(enc(pcm));
      let worst = 0;
      for (let i = 0; i < pcm.length; i++) {
        const x = pcm[i];
        if (Math.abs(x) < 256) {
          expect(Math.abs(back[i] - x)).toBeLessThanOrEqual(16);
        } else {
          worst = Math.max(worst, Math.abs(back[i] - x) / Math.abs(x));
        }
      }
      expect(worst).toBeLessThan(0.07);
    }
  });

  it('known reference values', () => {
    expect(mulawToLinear(0xff)).toBe(0);
    expect(mulawToLinear(0x00)).toBe(-32124);
    expect(mulawToLinear(0x80)).toBe(32124);
    expect(alawToLinear(0xd5)).toBe(8);
    expect(alawToLinear(0x55)).toBe(-8);
    expect(alawToLinear(0xaa)).toBe(32256);
  });
});
