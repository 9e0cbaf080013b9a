/** Output audio: bring any PCM to the negotiated output format and cut it into paced chunks. */
import { encodeAlaw, encodeMulaw } from '../../lib/dsp/g711';
import { floatToInt16Rounded, resampledLength, StreamingResampler } from '../../lib/dsp/resampler';
import type { AudioFormatInfo } from '../../lib/realtime/formats';

/** Audio delta duration (the protocol allows 20–100 ms; 40 ms keeps both overhead and latency low). */
export const CHUNK_MS = 40;

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

const PULL_CHUNKS = 5;

/** A stretch of 16-bit PCM at its own rate. */
export interface PcmSegment {
  samples: Int16Array;
  rate: number;
}

/**
 * Produces output chunks of a fixed size from segments at any rates, resampling lazily (one chunk's worth
 * at a time) so that a long reply never blocks the event loop and the first chunk is ready at once.
 * The output equals a one-shot resampling of each segment, concatenated.
 */
export class ChunkSource {
  /** Output samples the whole source yields. */
  readonly totalSamples: number;
  private segment = 0;
  private offset = 0;
  private produced = 0;
  private resampler: StreamingResampler | null = null;
  private pending: Int16Array = new Int16Array(0);

  constructor(
    private readonly segments: readonly PcmSegment[],
    private readonly outRate: number,
    private readonly chunk: number,
  ) {
    this.totalSamples = segments.reduce((n, s) => n + (s.rate === outRate ? s.samples.length : resampledLength(s.samples.length, s.rate, outRate)), 0);
  }

  /** Output samples of segment `i` (the one-shot length). */
  segmentLength(i: number): number {
    const s = this.segments[i];
    return s.rate === this.outRate ? s.samples.length : resampledLength(s.samples.length, s.rate, this.outRate);
  }

  /** The next chunk (the last one may be shorter), or null at the end. */
  next(): Int16Array | null {
    while (this.pending.length < this.chunk && this.segment < this.segments.length) this.pull();
    if (this.pending.length === 0) return null;
    const out = this.pending.slice(0, this.chunk);
    this.pending = this.pending.subarray(out.length);
    return out;
  }

  private append(samples: Int16Array): void {
    const joined = new Int16Array(this.pending.length + samples.length);
    joined.set(this.pending, 0);
    joined.set(samples, this.pending.length);
    this.pending = joined;
  }

  private pull(): void {
    const seg = this.segments[this.segment];
    const owed = this.segmentLength(this.segment);
    if (seg.rate === this.outRate) {
      this.append(seg.samples.subarray(this.offset, this.offset + this.chunk));
      this.offset += this.chunk;
      if (this.offset >= seg.samples.length) this.nextSegment();
      return;
    }
    this.resampler ??= new StreamingResampler(seg.rate, this.outRate);
    // Resample a few chunks' worth per pull: small enough to stay lazy, large enough to amortise the calls.
    const step = Math.max(1, Math.ceil((PULL_CHUNKS * this.chunk * seg.rate) / this.outRate));
    const piece = seg.samples.subarray(this.offset, this.offset + step);
    this.offset += piece.length;
    const f = new Float32Array(piece.length);
    for (let i = 0; i < piece.length; i++) f[i] = piece[i] / 32768;
    let y = this.resampler.process(f);
    let outInt = floatToInt16Rounded(y);
    if (this.offset >= seg.samples.length) {
      y = this.resampler.flush();
      const tail = floatToInt16Rounded(y);
      const both = new Int16Array(outInt.length + tail.length);
      both.set(outInt, 0);
      both.set(tail, outInt.length);
      outInt = both;
    }
    const room = owed - this.produced;
    this.append(outInt.subarray(0, Math.max(0, Math.min(outInt.length, room))));
    this.produced += Math.min(outInt.length, Math.max(0, room));
    if (this.offset >= seg.samples.length) this.nextSegment();
  }

  private nextSegment(): void {
    this.segment++;
    this.offset = 0;
    this.produced = 0;
    this.resampler = null;
  }
}
