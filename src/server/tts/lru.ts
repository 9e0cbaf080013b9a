/**
 * A small least-recently-used cache bounded both by entry count and by a caller-defined size
 * (bytes of audio here), so a few very long replies cannot hold the memory of many short ones.
 */
export class LruCache<K, V> {
  readonly #entries = new Map<K, { value: V; size: number }>();
  #totalSize = 0;

  /**
   * @param maxEntries most entries kept (≥ 1)
   * @param maxSize largest total of `sizeOf` over the kept entries
   * @param sizeOf the size of one value, e.g. its byte length
   */
  constructor(
    private readonly maxEntries: number,
    private readonly maxSize: number,
    private readonly sizeOf: (value: V) => number,
  ) {
    if (!(maxEntries >= 1) || !(maxSize >= 0)) throw new RangeError('LruCache needs maxEntries ≥ 1 and maxSize ≥ 0');
  }

  /** Number of entries held. */
  get size(): number {
    return this.#entries.size;
  }

  /** Sum of the sizes of the entries held. */
  get totalSize(): number {
    return this.#totalSize;
  }

  /** Returns the value and marks it most recently used. */
  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** Stores a value; a value larger than the whole budget is not kept at all. */
  set(key: K, value: V): void {
    this.delete(key);
    const size = this.sizeOf(value);
    if (size > this.maxSize) return;
    this.#entries.set(key, { value, size });
    this.#totalSize += size;
    while (this.#entries.size > this.maxEntries || this.#totalSize > this.maxSize) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
    }
  }

  /** Removes one entry. */
  delete(key: K): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#totalSize -= entry.size;
  }

  /** Removes everything. */
  clear(): void {
    this.#entries.clear();
    this.#totalSize = 0;
  }
}
