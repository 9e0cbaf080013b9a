/** Output audio: bring any PCM to the negotiated output format and cut it into paced chunks. */
import { encodeAlaw, encodeMulaw } from '../../lib/dsp/g711';
import { resampleInt16 } from '../../lib/dsp/resampler';
import type { AudioFormatInfo } from '../../lib/realtime/formats';

/** Audio delta duration (the protocol allows 20–100 ms; 40 ms keeps both overhead and latency low). */
export const CHUNK_MS = 40;

/** Resamples 16-bit PCM to `toRate` (a copy-free pass-through when the rates match). */
export function toRate(samples: Int16Array, fromRate: number, toRateHz: number): Int16Array {
  return fromRate === toRateHz ? samples : resampleInt16(samples, fromRate, toRateHz);
}

/** Encodes samples at the format's rate into its wire bytes (16-bit little-endian PCM or G.711). */
export function encodeOutput(samples: Int16Array, format: AudioFormatInfo): Uint8Array {
  switch (format.encoding) {
    case 'g711_ulaw':
      return encodeMulaw(samples);
    case 'g711_alaw':
      return encodeAlaw(samples);
    case 'pcm16': {
      const out = new Uint8Array(samples.length * 2);
      const view = new DataView(out.buffer);
      for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, samples[i], true);
      return out;
    }
    default:
      throw new Error(`cannot encode ${format.encoding}`);
  }
}

/** Bytes per sample of an output format (1 for G.711, 2 for PCM). */
export function bytesPerSample(format: AudioFormatInfo): number {
  return format.bytesPerSample ?? 2;
}

/** Samples in one chunk at `rate`. */
export function chunkSamples(rate: number): number {
  return Math.max(1, Math.round((rate * CHUNK_MS) / 1000));
}
