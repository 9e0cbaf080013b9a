/**
 * Table-driven base64 for audio payloads. Works on any typed-array view (honours byteOffset/byteLength)
 * and runs the same in browsers and Node without atob/btoa per-character loops.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ENC = new Uint8Array(64);
for (let i = 0; i < 64; i++) ENC[i] = ALPHABET.charCodeAt(i);
// 255 marks an invalid character; '=' is handled separately; URL-safe '-' and '_' are accepted too.
const DEC = new Uint8Array(256).fill(255);
for (let i = 0; i < 64; i++) DEC[ALPHABET.charCodeAt(i)] = i;
DEC['-'.charCodeAt(0)] = 62;
DEC['_'.charCodeAt(0)] = 63;

const decoder = new TextDecoder('latin1');

/** Anything that is bytes: a typed-array view (any element type) or a whole ArrayBuffer. */
export type ByteSource = ArrayBufferView | ArrayBuffer;

/** Returns a Uint8Array over exactly the bytes of `src` (no copy). */
export function asBytes(src: ByteSource): Uint8Array {
  if (src instanceof Uint8Array) return src;
  if (ArrayBuffer.isView(src)) return new Uint8Array(src.buffer, src.byteOffset, src.byteLength);
  return new Uint8Array(src);
}

/** Encodes bytes as standard base64 with padding. */
export function encodeBase64(src: ByteSource): string {
  const bytes = asBytes(src);
  const n = bytes.length;
  const out = new Uint8Array(Math.ceil(n / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o++] = ENC[v >> 18];
    out[o++] = ENC[(v >> 12) & 63];
    out[o++] = ENC[(v >> 6) & 63];
    out[o++] = ENC[v & 63];
  }
  const rest = n - i;
  if (rest === 1) {
    const v = bytes[i] << 16;
    out[o++] = ENC[v >> 18];
    out[o++] = ENC[(v >> 12) & 63];
    out[o++] = 61;
    out[o++] = 61;
  } else if (rest === 2) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out[o++] = ENC[v >> 18];
    out[o++] = ENC[(v >> 12) & 63];
    out[o++] = ENC[(v >> 6) & 63];
    out[o++] = 61;
  }
  return decoder.decode(out);
}

/** Error thrown for text that is not base64. */
export class Base64Error extends Error {
  override name = 'Base64Error';
}

/**
 * Decodes base64 (standard or URL-safe, padding optional, ASCII whitespace ignored) into a fresh,
 * 2-byte-aligned Uint8Array. Throws {@link Base64Error} on any other character.
 */
export function decodeBase64(text: string): Uint8Array {
  let len = text.length;
  while (len > 0 && text.charCodeAt(len - 1) === 61) len--;
  const out = new Uint8Array(Math.floor((len * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  let i = 0;
  // Fast path: whole groups of four valid characters (the common case, no whitespace). Anything else (whitespace,
  // an invalid character, the tail) falls through to the bit-accumulator loop below, which starts aligned.
  for (; i + 3 < len; i += 4) {
    const c0 = text.charCodeAt(i);
    const c1 = text.charCodeAt(i + 1);
    const c2 = text.charCodeAt(i + 2);
    const c3 = text.charCodeAt(i + 3);
    if ((c0 | c1 | c2 | c3) > 255) break;
    const a = DEC[c0];
    const b = DEC[c1];
    const c = DEC[c2];
    const d = DEC[c3];
    if ((a | b | c | d) > 63) break;
    out[o++] = (a << 2) | (b >> 4);
    out[o++] = ((b & 15) << 4) | (c >> 2);
    out[o++] = ((c & 3) << 6) | d;
  }
  for (; i < len; i++) {
    const c = text.charCodeAt(i);
    const d = c < 256 ? DEC[c] : 255;
    if (d === 255) {
      if (c === 32 || c === 10 || c === 13 || c === 9) continue;
      throw new Base64Error(`invalid base64 character at ${i}`);
    }
    acc = (acc << 6) | d;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return o === out.length ? out : out.subarray(0, o);
}

/** Length in bytes that `text` decodes to, without decoding it. */
export function base64DecodedLength(text: string): number {
  let len = text.length;
  while (len > 0 && text.charCodeAt(len - 1) === 61) len--;
  return Math.floor((len * 3) / 4);
}
