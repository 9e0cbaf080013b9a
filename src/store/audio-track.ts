// Per-item audio kept as a chunk list: appending a delta is O(1) (no re-copy of what came before).
// The instance is mutable and lives outside React state; the owning item carries `samples`/`version`
// so components re-render when it grows.

/** Int16 PCM of one conversation item at one sample rate. */
export class AudioTrack {
  private chunks: Int16Array[] = [];
  private total = 0;
  private flat: Int16Array | null = null;

  constructor(readonly sampleRate: number) {}

  /** Samples stored. */
  get length(): number {
    return this.total;
  }

  /** Duration in ms at {@link sampleRate}. */
  get durationMs(): number {
    return (this.total / this.sampleRate) * 1000;
  }

  /** Appends a chunk (kept by reference: the caller must not reuse the buffer). */
  push(chunk: Int16Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.total += chunk.length;
    this.flat = null;
  }

  /**
   * A copy of samples [from, to) that touches only the chunks in that range (no whole-track concatenation),
   * so a writer taking the newly appended samples every second stays O(new samples).
   */
  copyRange(from: number, to: number = this.total): Int16Array {
    const start = Math.max(0, Math.min(from, this.total));
    const end = Math.max(start, Math.min(to, this.total));
    const out = new Int16Array(end - start);
    let base = 0;
    let o = 0;
    for (const c of this.chunks) {
      const cEnd = base + c.length;
      if (cEnd > start && base < end) {
        const a = Math.max(start, base) - base;
        const b = Math.min(end, cEnd) - base;
        out.set(c.subarray(a, b), o);
        o += b - a;
      }
      if (cEnd >= end) break;
      base = cEnd;
    }
    return out;
  }

  /** All samples as one array (concatenated once and cached until the next push). */
  toInt16Array(): Int16Array {
    if (this.flat && this.flat.length === this.total) return this.flat;
    if (this.chunks.length === 1) {
      this.flat = this.chunks[0];
      return this.flat;
    }
    const out = new Int16Array(this.total);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    // Collapse the chunk list so later reads and pushes stay cheap.
    this.chunks = [out];
    this.flat = out;
    return out;
  }
}
