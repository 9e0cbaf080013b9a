import { describe, expect, it } from 'vitest';
import { Base64Error, base64DecodedLength, decodeBase64, encodeBase64 } from '../../src/lib/dsp/base64';

describe('base64', () => {
  it('matches Node Buffer for every length 0..300 with random bytes', () => {
    for (let n = 0; n <= 300; n++) {
      const bytes = new Uint8Array(n);
      for (let i = 0; i < n; i++) bytes[i] = (i * 131 + n * 7) & 0xff;
      const b64 = encodeBase64(bytes);
      expect(b64).toBe(Buffer.from(bytes).toString('base64'));
      expect(Array.from(decodeBase64(b64))).toEqual(Array.from(bytes));
      expect(base64DecodedLength(b64)).toBe(n);
    }
  });

  it('honours byteOffset and byteLength of a typed-array view', () => {
    const all = new Int16Array([1, 2, 3, 4, 5, 6]);
    const view = all.subarray(2, 4);
    const decoded = decodeBase64(encodeBase64(view));
    expect(decoded.byteLength).toBe(4);
    expect(Array.from(new Int16Array(decoded.buffer, decoded.byteOffset, 2))).toEqual([3, 4]);
  });

  it('accepts URL-safe characters, missing padding and whitespace', () => {
    const bytes = new Uint8Array([0xfb, 0xff, 0xbf]);
    expect(Array.from(decodeBase64('-_-_'))).toEqual(Array.from(bytes));
    expect(Array.from(decodeBase64('+/+/\n'))).toEqual(Array.from(bytes));
    expect(Array.from(decodeBase64('YQ'))).toEqual([0x61]);
  });

  it('throws a typed error on invalid characters', () => {
    expect(() => decodeBase64('ab$c')).toThrow(Base64Error);
  });
});
