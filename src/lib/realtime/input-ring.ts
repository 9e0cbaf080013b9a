/**
 * A bounded ring of recent input samples, indexed by absolute sample position since the session started.
 * The client writes every appended frame here (instead of a cumulative buffer) so it can attach a user item's
 * audio between `audio_start_ms` and `audio_end_ms` after the fact. Older audio is overwritten.
 */

/** Bounded input ring. */
export class InputRing {
  readonly sampleRate: number;
  readonly capacity: number;
  private readonly ring: Int16Array;
  /** Absolute number of samples written since construction or reset. */
  private written = 0;

  /** @param sampleRate rate of the samples written; @param seconds how much recent audio to keep (default 60 s). */
  constructor(sampleRate: number, seconds = 60) {
    if (!(sampleRate > 0)) throw new RangeError(`invalid sample rate ${sampleRate}`);
    this.sampleRate = sampleRate;
    this.capacity = Math.max(1, Math.ceil(sampleRate * seconds));
    this.ring = new Int16Array(this.capacity);
  }

  /** Absolute position one past the last sample written. */
  get position(): number {
    return this.written;
  }

  /** Oldest absolute position still held. */
  get oldest(): number {
    return Math.max(0, this.written - this.capacity);
  }

  /** Appends samples (only the last `capacity` are kept). */
  write(samples: Int16Array): void {
    let src = samples;
    if (src.length > this.capacity) {
      this.written += src.length - this.capacity;
      src = src.subarray(src.length - this.capacity);
    }
    const at = this.written % this.capacity;
    const first = Math.min(src.length, this.capacity - at);
    this.ring.set(src.subarray(0, first), at);
    if (first < src.length) this.ring.set(src.subarray(first), 0);
    this.written += src.length;
  }

  /**
   * Copies the samples in [start, end) (absolute positions), clamped to what is still held.
   * Returns an empty array when nothing of the range is available.
   */
  read(start: number, end: number): Int16Array {
    const s = Math.max(Math.floor(start), this.oldest);
    const e = Math.min(Math.floor(end), this.written);
    if (e <= s) return new Int16Array(0);
    const out = new Int16Array(e - s);
    const at = s % this.capacity;
    const first = Math.min(out.length, this.capacity - at);
    out.set(this.ring.subarray(at, at + first), 0);
    if (first < out.length) out.set(this.ring.subarray(0, out.length - first), first);
    return out;
  }

  /** Forgets everything (new session). */
  reset(): void {
    this.written = 0;
  }
}
