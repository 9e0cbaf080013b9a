import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WavFormatError, decodeWav, encodeWav } from '../../src/lib/dsp/wav';
import manifest from '../fixtures/audio/manifest.json';

describe('WAV', () => {
  it('writes correct RIFF sizes and header fields', () => {
    const pcm = new Int16Array([0, 1000, -1000, 32767, -32768]);
    const wav = encodeWav(pcm, 8000);
    const v = new DataView(wav.buffer);
    const ascii = (at: number) => String.fromCharCode(...wav.subarray(at, at + 4));
    expect(ascii(0)).toBe('RIFF');
    expect(v.getUint32(4, true)).toBe(wav.length - 8);
    expect(ascii(8)).toBe('WAVE');
    expect(v.getUint16(20, true)).toBe(1);
    expect(v.getUint32(24, true)).toBe(8000);
    expect(v.getUint32(28, true)).toBe(16000);
    expect(v.getUint32(40, true)).toBe(10);
    const back = decodeWav(wav);
    expect(back.sampleRate).toBe(8000);
    expect(Array.from(back.samples)).toEqual(Array.from(pcm));
  });

  it('packs a subarray view without its neighbours', () => {
    const all = new Int16Array([9, 9, 1, 2, 9]);
    const wav = encodeWav(all.subarray(2, 4), 16000);
    expect(Array.from(decodeWav(wav).samples)).toEqual([1, 2]);
  });

  it('reads every fixture with the manifest duration', () => {
    for (const [name, info] of Object.entries(manifest)) {
      const wav = decodeWav(new Uint8Array(readFileSync(new URL(`../fixtures/audio/${name}`, import.meta.url))));
      expect(wav.sampleRate).toBe(info.sample_rate);
      expect(Math.abs(wav.durationMs - info.duration_ms)).toBeLessThan(2);
    }
  });

  it('rejects non-WAV bytes with a typed error', () => {
    expect(() => decodeWav(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]))).toThrow(WavFormatError);
  });
});
