/**
 * Append-only byte storage with amortised O(1) appends (capacity doubles) and O(1) reads (a view, no copy).
 * The backing store starts at offset 0, so a 16-bit view over it is always aligned.
 */

const MIN_CAPACITY = 4096;

/** A growing byte buffer. */
export class GrowableBytes {
  private buf: Uint8Array;
  private len = 0;

  constructor(initialCapacity = MIN_CAPACITY) {
    this.buf = new Uint8Array(Math.max(16, initialCapacity));
  }

  /** Bytes stored. */
  get length(): number {
    return this.len;
  }

  /** Appends a copy of `bytes`. */
  append(bytes: Uint8Array): void {
    const need = this.len + bytes.byteLength;
    if (need > this.buf.byteLength) {
      let cap = this.buf.byteLength * 2;
      while (cap < need) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
    }
    this.buf.set(bytes, this.len);
    this.len = need;
  }

  /** A view of the stored bytes. It stays valid until the next append that grows the buffer or a truncate. */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  /** The stored bytes as little-endian 16-bit samples (a trailing odd byte is not included). */
  int16(): Int16Array {
    return new Int16Array(this.buf.buffer, 0, this.len >> 1);
  }

  /** Keeps only the first `byteLength` bytes. */
  truncate(byteLength: number): void {
    this.len = Math.max(0, Math.min(this.len, Math.floor(byteLength)));
  }

  /** Drops everything. */
  clear(): void {
    this.len = 0;
  }
}
