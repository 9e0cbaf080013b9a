/**
 * Append-only byte storage as a list of fixed-size blocks: every append is O(its own size), with no reallocation of
 * what is already stored (a growing buffer's doubling copy of a long item stalls for a second at ~128 MB).
 * Reading the whole content concatenates once and caches the result until the next append.
 */
export class ChunkedBytes {
  private readonly minBlock: number;
  private readonly maxBlock: number;
  private blocks: Uint8Array[] = [];
  /** Bytes used in the last block. */
  private tail = 0;
  private len = 0;
  private flat: Uint8Array | null = null;

  /** Blocks grow with the content (at most doubling it) from `minBlock` up to `maxBlock`, so small items stay small. */
  constructor(minBlock = 8 * 1024, maxBlock = 1024 * 1024) {
    this.minBlock = Math.max(16, minBlock);
    this.maxBlock = Math.max(this.minBlock, maxBlock);
  }

  /** Bytes stored. */
  get length(): number {
    return this.len;
  }

  /** Appends a copy of `bytes`. */
  append(bytes: Uint8Array): void {
    let at = 0;
    while (at < bytes.length) {
      let block = this.blocks[this.blocks.length - 1];
      if (!block || this.tail === block.length) {
        block = new Uint8Array(Math.min(this.maxBlock, Math.max(this.minBlock, this.len + at)));
        this.blocks.push(block);
        this.tail = 0;
      }
      const n = Math.min(block.length - this.tail, bytes.length - at);
      block.set(bytes.subarray(at, at + n), this.tail);
      this.tail += n;
      at += n;
    }
    this.len += bytes.length;
    this.flat = null;
  }

  /** All stored bytes as one array (offset 0, so 16-bit views are aligned). Cached until the next change. */
  bytes(): Uint8Array {
    if (this.flat && this.flat.length === this.len) return this.flat;
    const out = new Uint8Array(this.len);
    let o = 0;
    for (let i = 0; i < this.blocks.length; i++) {
      const b = this.blocks[i];
      const used = i === this.blocks.length - 1 ? this.tail : b.length;
      out.set(b.subarray(0, used), o);
      o += used;
    }
    this.flat = out;
    return out;
  }

  /** The stored bytes as little-endian 16-bit samples (a trailing odd byte is not included). */
  int16(): Int16Array {
    const b = this.bytes();
    return new Int16Array(b.buffer, 0, b.length >> 1);
  }

  /**
   * Replaces the blocks with one exact-size array (dropping the unused end of the last block) and keeps it as the
   * cached flat copy. Called once when an item is finished; later appends, if any, start a new block.
   */
  compact(): void {
    if (this.blocks.length === 0) return;
    const all = this.bytes();
    this.blocks = [all];
    this.tail = all.length;
  }

  /** Keeps only the first `byteLength` bytes. */
  truncate(byteLength: number): void {
    const keep = Math.max(0, Math.min(this.len, Math.floor(byteLength)));
    if (keep === this.len) return;
    const kept = this.bytes().slice(0, keep);
    this.clear();
    this.append(kept);
  }

  /** Drops everything. */
  clear(): void {
    this.blocks = [];
    this.tail = 0;
    this.len = 0;
    this.flat = null;
  }
}
