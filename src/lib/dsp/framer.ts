/**
 * Cuts a stream of float samples (one or two parallel channels) into Int16 frames of a fixed size,
 * keeping only the partial frame between pushes. Used by the capture worklet; pure and Node-testable.
 */

/** One frame: Int16 samples, and the index of its first sample in the stream. */
export interface PcmFrame {
  mono: Int16Array;
  /** The second channel's frame when pushes carried one, else null. */
  raw: Int16Array | null;
  position: number;
}

/** Fixed-size Int16 framer with an exact running sample position. */
export class PcmFramer {
  private mono: Float32Array;
  private raw: Float32Array;
  private filled = 0;
  private hasRaw = false;
  /** Samples pushed so far (frame positions count from the first push after construction or reset). */
  private position = 0;

  constructor(private frameSamples: number) {
    if (!(Number.isInteger(frameSamples) && frameSamples > 0)) throw new RangeError(`frameSamples must be a positive integer, got ${frameSamples}`);
    this.mono = new Float32Array(frameSamples);
    this.raw = new Float32Array(frameSamples);
  }

  /** Current frame size in samples. */
  get size(): number {
    return this.frameSamples;
  }

  /** Samples waiting in the partial frame. */
  get pending(): number {
    return this.filled;
  }

  /**
   * Appends samples (and optionally a parallel second channel of the same length); calls `emit` for
   * every completed frame.
   */
  push(mono: Float32Array, raw: Float32Array | null, emit: (frame: PcmFrame) => void): void {
    let i = 0;
    const n = mono.length;
    while (i < n) {
      const take = Math.min(this.frameSamples - this.filled, n - i);
      this.mono.set(mono.subarray(i, i + take), this.filled);
      if (raw) this.raw.set(raw.subarray(i, i + take), this.filled);
      this.hasRaw = raw !== null;
      this.filled += take;
      this.position += take;
      i += take;
      if (this.filled === this.frameSamples) emit(this.take());
    }
  }

  /** Emits the partial frame, if any (e.g. on pause). */
  flush(emit: (frame: PcmFrame) => void): void {
    if (this.filled > 0) emit(this.take());
  }

  /** Counts samples that were not framed (e.g. while paused) so positions stay on the stream's timeline. */
  skip(samples: number): void {
    this.position += samples;
  }

  /** Changes the frame size; the partial frame is flushed first. */
  resize(frameSamples: number, emit: (frame: PcmFrame) => void): void {
    if (frameSamples === this.frameSamples) return;
    if (!(Number.isInteger(frameSamples) && frameSamples > 0)) throw new RangeError(`frameSamples must be a positive integer, got ${frameSamples}`);
    this.flush(emit);
    this.frameSamples = frameSamples;
    this.mono = new Float32Array(frameSamples);
    this.raw = new Float32Array(frameSamples);
  }

  /** Drops the partial frame and restarts positions at 0. */
  reset(): void {
    this.filled = 0;
    this.position = 0;
  }

  private take(): PcmFrame {
    const n = this.filled;
    const mono = toInt16(this.mono, n);
    const raw = this.hasRaw ? toInt16(this.raw, n) : null;
    this.filled = 0;
    return { mono, raw, position: this.position - n };
  }
}

function toInt16(src: Float32Array, n: number): Int16Array {
  const dst = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const v = Math.round(src[i] * 32768);
    dst[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return dst;
}
