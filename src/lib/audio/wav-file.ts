/** WAV blobs and their object URLs for the browser (the bytes come from src/lib/dsp/wav). */
import { WAV_MIME, encodeWav } from '../dsp/wav';

/** A WAV recording: the bytes as a Blob, an object URL for it, and the samples. */
export interface WavFile {
  blob: Blob;
  /** Object URL of `blob`. Owned by whoever produced it unless stated otherwise; revoke with URL.revokeObjectURL. */
  url: string;
  /** Mono 16-bit samples. */
  samples: Int16Array;
  /** The samples as floats in [-1, 1) (channel 0); computed on first access. */
  readonly values: Float32Array;
  sampleRate: number;
  channelCount: 1;
  /** Duration in seconds (the reference API's field). */
  duration: number;
  durationMs: number;
}

/** Packs mono Int16 samples into a WAV Blob with a fresh object URL. */
export function makeWavFile(samples: Int16Array, sampleRate: number): WavFile {
  const bytes = encodeWav(samples, sampleRate);
  const blob = new Blob([bytes.buffer as ArrayBuffer], { type: WAV_MIME });
  const duration = samples.length / sampleRate;
  let values: Float32Array | null = null;
  return {
    blob,
    url: URL.createObjectURL(blob),
    samples,
    // Lazy: a 10-minute recording would otherwise cost another 38 MB that most callers never read.
    get values() {
      if (!values) {
        values = new Float32Array(samples.length);
        for (let i = 0; i < samples.length; i++) values[i] = samples[i] / 32768;
      }
      return values;
    },
    sampleRate,
    channelCount: 1,
    duration,
    durationMs: duration * 1000,
  };
}
