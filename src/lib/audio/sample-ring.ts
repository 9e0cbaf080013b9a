/**
 * Bounded store of the most recent Int16 samples, as a list of chunks: O(1) append (no copy of earlier
 * audio), oldest chunks dropped once the bound is exceeded. Used by the recorder for save().
 */
export class BoundedSampleBuffer {
  private chunks: Int16Array[] = [];
  private head = 0;
  private total = 0;
  /** Samples dropped from the front since the last clear. */
  dropped = 0;

  constructor(readonly maxSamples: number) {}

  get length(): number {
    return this.total;
  }

  push(chunk: Int16Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.total += chunk.length;
    while (this.total - this.chunks[this.head].length >= this.maxSamples) {
      this.total -= this.chunks[this.head].length;
      this.dropped += this.chunks[this.head].length;
      this.head++;
    }
    if (this.head > 64 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }

  /** The most recent min(length, maxSamples) samples in one array. */
  read(): Int16Array {
    const start = Math.max(0, this.total - this.maxSamples);
    const out = new Int16Array(this.total - start);
    let skip = start;
    let at = 0;
    for (let i = this.head; i < this.chunks.length; i++) {
      const c = this.chunks[i];
      if (skip >= c.length) {
        skip -= c.length;
        continue;
      }
      const part = skip > 0 ? c.subarray(skip) : c;
      skip = 0;
      out.set(part, at);
      at += part.length;
    }
    return out;
  }

  clear(): void {
    this.chunks = [];
    this.head = 0;
    this.total = 0;
    this.dropped = 0;
  }
}
