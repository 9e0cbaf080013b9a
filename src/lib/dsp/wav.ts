/**
 * RIFF/WAVE packing and parsing for 16-bit PCM (and reading float32/8-bit/G.711 files).
 * Pure computation: returns bytes; callers wrap them in a Blob (browser) or write them (Node).
 */

import { decodeAlaw, decodeMulaw } from './g711';

/** MIME type for WAV blobs. */
export const WAV_MIME = 'audio/wav';

/** Packs interleaved 16-bit PCM into a canonical 44-byte-header WAV file. */
export function encodeWav(samples: Int16Array, sampleRate: number, channels = 1): Uint8Array {
  const dataBytes = samples.length * 2;
  const out = new Uint8Array(44 + dataBytes);
  const v = new DataView(out.buffer);
  writeAscii(out, 0, 'RIFF');
  v.setUint32(4, 36 + dataBytes, true);
  writeAscii(out, 8, 'WAVE');
  writeAscii(out, 12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, channels, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * channels * 2, true);
  v.setUint16(32, channels * 2, true);
  v.setUint16(34, 16, true);
  writeAscii(out, 36, 'data');
  v.setUint32(40, dataBytes, true);
  out.set(new Uint8Array(samples.buffer, samples.byteOffset, dataBytes), 44);
  return out;
}

/** A decoded WAV file: mono 16-bit samples (channels are averaged) plus the original layout. */
export interface DecodedWav {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** Mono mix of all channels, 16-bit. */
  samples: Int16Array;
  durationMs: number;
}

/** Error thrown for bytes that are not a WAV file this module can read. */
export class WavFormatError extends Error {
  override name = 'WavFormatError';
}

/**
 * Parses a WAV file. Supports PCM 8/16/24/32-bit, IEEE float 32-bit, µ-law and A-law, any channel count,
 * and skips unknown chunks. Tolerates a wrong RIFF or data size (streams written before their length was known).
 */
export function decodeWav(input: ArrayBuffer | Uint8Array): DecodedWav {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12 || readAscii(bytes, 0, 4) !== 'RIFF' || readAscii(bytes, 8, 4) !== 'WAVE') {
    throw new WavFormatError('not a RIFF/WAVE file');
  }
  let pos = 12;
  let format = 0;
  let channels = 0;
  let sampleRate = 0;
  let bits = 0;
  let data: Uint8Array | null = null;
  while (pos + 8 <= bytes.length) {
    const id = readAscii(bytes, pos, 4);
    let size = v.getUint32(pos + 4, true);
    const body = pos + 8;
    if (body + size > bytes.length) size = bytes.length - body;
    if (id === 'fmt ') {
      format = v.getUint16(body, true);
      channels = v.getUint16(body + 2, true);
      sampleRate = v.getUint32(body + 4, true);
      bits = v.getUint16(body + 14, true);
      if (format === 0xfffe && size >= 26) format = v.getUint16(body + 24, true);
    } else if (id === 'data') {
      data = bytes.subarray(body, body + size);
    }
    pos = body + size + (size & 1);
  }
  if (!format || !data) throw new WavFormatError('missing fmt or data chunk');
  if (channels < 1 || sampleRate < 1) throw new WavFormatError('invalid channel count or sample rate');
  const frameCount = Math.floor(data.length / ((bits / 8) * channels));
  const samples = new Int16Array(frameCount);
  const read = sampleReader(format, bits, data);
  for (let f = 0; f < frameCount; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += read(f * channels + c);
    samples[f] = Math.round(sum / channels);
  }
  return { sampleRate, channels, bitsPerSample: bits, samples, durationMs: (frameCount / sampleRate) * 1000 };
}

function sampleReader(format: number, bits: number, data: Uint8Array): (i: number) => number {
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (format === 1 && bits === 16) return (i) => v.getInt16(i * 2, true);
  if (format === 1 && bits === 8) return (i) => (data[i] - 128) << 8;
  if (format === 1 && bits === 24) return (i) => (v.getInt16(i * 3 + 1, true));
  if (format === 1 && bits === 32) return (i) => v.getInt32(i * 4, true) >> 16;
  if (format === 3 && bits === 32) {
    return (i) => {
      const s = v.getFloat32(i * 4, true);
      return s >= 1 ? 32767 : s <= -1 ? -32768 : Math.round(s * 32767);
    };
  }
  if (format === 7 && bits === 8) {
    const t = decodeMulaw(data);
    return (i) => t[i];
  }
  if (format === 6 && bits === 8) {
    const t = decodeAlaw(data);
    return (i) => t[i];
  }
  throw new WavFormatError(`unsupported WAV encoding (format ${format}, ${bits} bits)`);
}

function writeAscii(out: Uint8Array, at: number, s: string): void {
  for (let i = 0; i < s.length; i++) out[at + i] = s.charCodeAt(i);
}

function readAscii(bytes: Uint8Array, at: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(bytes[at + i]);
  return s;
}
