/**
 * The input audio buffer of one session: decodes appended audio (PCM at any rate, G.711) to Int16 at the
 * input format's rate, keeps the session timeline in ms (cumulative, never reset by a commit), and holds
 * only a bounded window of recent samples (enough for the current turn and its playback echo).
 */
import { decodeAlaw, decodeMulaw } from '../../lib/dsp/g711';
import type { AudioFormatInfo } from '../../lib/realtime/formats';
import { ProtocolError } from './errors';

/** Longest stretch of input audio kept (older audio is dropped from the front). */
export const MAX_BUFFERED_MS = 120_000;

/** Audio taken out of the buffer by a commit. */
export interface CommittedAudio {
  samples: Int16Array;
  sampleRate: number;
  /** Timeline positions of the first and one-past-last sample. */
  startMs: number;
  endMs: number;
}

/** Bounded input buffer with timeline arithmetic. */
export class InputBuffer {
  private format: AudioFormatInfo;
  /** Timeline ms at which the current format (and sample numbering) began. */
  private originMs = 0;
  /** Samples appended under the current format. */
  private appended = 0;
  /** Sample index (under the current format) of data[0]. */
  private dataStart = 0;
  private data: Int16Array;
  private length = 0;
  /** Sample index where the uncommitted buffer begins. */
  private bufferStart = 0;
  /** A dangling odd byte of 16-bit PCM carried to the next append. */
  private carry: number | null = null;

  constructor(format: AudioFormatInfo) {
    this.format = format;
    this.data = new Int16Array(format.sampleRate);
  }

  /** Sample rate of the decoded samples. */
  get sampleRate(): number {
    return this.format.sampleRate;
  }

  /** Total ms appended during the session (the protocol's timeline). */
  get timelineMs(): number {
    return this.originMs + (this.appended / this.format.sampleRate) * 1000;
  }

  /** Samples appended under the current format (the VAD's sample numbering). */
  get appendedSamples(): number {
    return this.appended;
  }

  /** Milliseconds in the uncommitted buffer. */
  get bufferedMs(): number {
    return ((this.appended - this.bufferStart) / this.format.sampleRate) * 1000;
  }

  /** Timeline ms of a sample index under the current format. */
  sampleToMs(sample: number): number {
    return this.originMs + (sample / this.format.sampleRate) * 1000;
  }

  /** Sample index (under the current format) of a timeline position, clamped to 0. */
  msToSample(ms: number): number {
    return Math.max(0, Math.round(((ms - this.originMs) * this.format.sampleRate) / 1000));
  }

  /** Switches format: the buffer is dropped, the timeline continues. */
  setFormat(format: AudioFormatInfo): void {
    if (format.encoding === this.format.encoding && format.sampleRate === this.format.sampleRate) return;
    this.originMs = this.timelineMs;
    this.format = format;
    this.appended = 0;
    this.dataStart = 0;
    this.length = 0;
    this.bufferStart = 0;
    this.carry = null;
    this.data = new Int16Array(format.sampleRate);
  }

  /** Decodes and stores `bytes`; returns the new samples (for the VAD). */
  append(bytes: Uint8Array): Int16Array {
    const samples = this.decode(bytes);
    this.store(samples);
    return samples;
  }

  private decode(bytes: Uint8Array): Int16Array {
    switch (this.format.encoding) {
      case 'g711_ulaw':
        return decodeMulaw(bytes);
      case 'g711_alaw':
        return decodeAlaw(bytes);
      case 'pcm16': {
        let src = bytes;
        if (this.carry !== null) {
          src = new Uint8Array(bytes.length + 1);
          src[0] = this.carry;
          src.set(bytes, 1);
        }
        const count = src.length >> 1;
        this.carry = src.length % 2 === 1 ? src[src.length - 1] : null;
        const out = new Int16Array(count);
        for (let i = 0; i < count; i++) out[i] = ((src[2 * i + 1] << 24) >> 16) | src[2 * i];
        return out;
      }
      default:
        throw new ProtocolError(
          'invalid_value',
          `The offline emulator cannot decode ${this.format.encoding} input; use a PCM or G.711 format.`,
          'audio',
        );
    }
  }

  private store(samples: Int16Array): void {
    const max = Math.round((MAX_BUFFERED_MS * this.format.sampleRate) / 1000);
    // The uncommitted buffer holds the latest MAX_BUFFERED_MS at most.
    const end = this.appended + samples.length;
    if (end - this.bufferStart > max) this.bufferStart = end - max;
    if (this.length + samples.length > this.data.length) {
      // Drop what no turn can need any more: everything before the uncommitted buffer, then the oldest audio.
      const keepFrom = Math.max(this.bufferStart, this.appended + samples.length - max);
      const drop = Math.max(0, Math.min(this.length, keepFrom - this.dataStart));
      const kept = this.data.subarray(drop, this.length);
      const needed = kept.length + samples.length;
      let capacity = this.data.length;
      while (capacity < needed) capacity *= 2;
      const next = capacity === this.data.length ? this.data : new Int16Array(capacity);
      next.set(kept, 0);
      this.data = next;
      this.length = kept.length;
      this.dataStart += drop;
      if (this.bufferStart < this.dataStart) this.bufferStart = this.dataStart;
    }
    this.data.set(samples, this.length);
    this.length += samples.length;
    this.appended += samples.length;
  }

  /** Samples [from, to) (indices under the current format), clamped to what is kept. */
  private slice(from: number, to: number): Int16Array {
    const a = Math.max(from, this.dataStart) - this.dataStart;
    const b = Math.max(a, Math.min(to, this.appended) - this.dataStart);
    return this.data.slice(a, b);
  }

  /** Manual commit: takes the whole uncommitted buffer. */
  commitAll(): CommittedAudio {
    const from = this.bufferStart;
    const to = this.appended;
    const samples = this.slice(from, to);
    this.bufferStart = to;
    return { samples, sampleRate: this.format.sampleRate, startMs: this.sampleToMs(from), endMs: this.sampleToMs(to) };
  }

  /** VAD commit: takes samples [from, to); audio after `to` stays buffered for the next turn. */
  commitRange(from: number, to: number): CommittedAudio {
    const samples = this.slice(from, to);
    this.bufferStart = Math.max(this.bufferStart, Math.min(to, this.appended));
    return { samples, sampleRate: this.format.sampleRate, startMs: this.sampleToMs(from), endMs: this.sampleToMs(to) };
  }

  /** `input_audio_buffer.clear`. */
  clear(): void {
    this.bufferStart = this.appended;
    this.carry = null;
  }
}
