// The bounded event log. It lives OUTSIDE React state: a chunked ring of entries that is mutated in place
// (O(1) amortised per append, no copy of the whole log), while the store bumps a version counter so React
// re-renders. Entries themselves are immutable once appended.
import { base64DecodedLength } from '../lib/dsp/base64';

/** Who produced an event: sent by the console, received from the server, or a local marker (gap, note). */
export type Direction = 'client' | 'server' | 'local';

/** One logged event. */
export interface LogEntry {
  /** Monotonic sequence number, never reused (also after drops and clears). */
  readonly seq: number;
  /** Milliseconds since the connection opened (or since the first event when not connected). */
  readonly t: number;
  /** Wall-clock time (epoch ms) the event was sent or received. */
  readonly at: number;
  readonly direction: Direction;
  readonly type: string;
  /** True byte count of the frame on the wire (UTF-8 of the JSON text). */
  readonly size: number;
  /** A copy of the event with audio payloads replaced by `"[audio N B]"` (N = decoded bytes). */
  readonly event: Readonly<Record<string, unknown>>;
  readonly isError: boolean;
}

/** What the bridge hands to `appendEvents`. */
export interface IncomingEvent {
  direction: Direction;
  /** The parsed event as sent/received (with its audio payloads: they are stripped here). */
  event: { type: string; [key: string]: unknown };
  /** Epoch ms; defaults to `Date.now()`. */
  at?: number;
  /** The raw frame, if at hand: its UTF-8 byte length becomes `size` (else the JSON of `event` is measured). */
  frame?: string | ArrayBuffer | ArrayBufferView;
  /** Known byte size of the frame (wins over `frame`). */
  size?: number;
}

/** Marker for a stripped audio payload. */
export function audioMarker(bytes: number): string {
  return `[audio ${bytes} B]`;
}

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;

/** UTF-8 byte length of a string, without encoding it. */
export function utf8ByteLength(s: string): number {
  // Fast path: frames are mostly ASCII (JSON with base64 audio); a native regex scan beats a JS char loop.
  if (!NON_ASCII.test(s)) return s.length;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/** The byte size of a frame. */
export function frameSize(e: IncomingEvent): number {
  if (typeof e.size === 'number') return e.size;
  const f = e.frame;
  if (typeof f === 'string') return utf8ByteLength(f);
  if (f instanceof ArrayBuffer) return f.byteLength;
  if (f && ArrayBuffer.isView(f)) return f.byteLength;
  try {
    return utf8ByteLength(JSON.stringify(e.event) ?? '');
  } catch {
    return 0; // e.g. a circular object handed in by mistake: log it without a size rather than throw
  }
}

const AUDIO_DELTA_TYPES = new Set(['response.audio.delta', 'response.output_audio.delta']);

function stripContentAudio(content: unknown): unknown {
  if (!Array.isArray(content)) return content;
  let changed = false;
  const out = content.map((part: unknown) => {
    if (part && typeof part === 'object' && typeof (part as { audio?: unknown }).audio === 'string') {
      changed = true;
      const p = part as Record<string, unknown>;
      return { ...p, audio: audioMarker(base64DecodedLength(p.audio as string)) };
    }
    return part;
  });
  return changed ? out : content;
}

function stripItem(item: unknown): unknown {
  if (!item || typeof item !== 'object') return item;
  const it = item as Record<string, unknown>;
  const content = stripContentAudio(it.content);
  return content === it.content ? item : { ...it, content };
}

/**
 * A shallow copy of `event` with every audio payload replaced by its decoded byte count:
 * `audio` of `input_audio_buffer.append`, `delta` of `response.(output_)audio.delta`, and `audio` of content
 * parts in `item` / `response.output[]`. Other fields are shared with the input (it is never mutated).
 */
export function stripAudioPayloads(event: { type: string; [key: string]: unknown }): Record<string, unknown> {
  const type = event.type;
  if (type === 'input_audio_buffer.append' && typeof event.audio === 'string') {
    return { ...event, audio: audioMarker(base64DecodedLength(event.audio)) };
  }
  if (AUDIO_DELTA_TYPES.has(type) && typeof event.delta === 'string') {
    return { ...event, delta: audioMarker(base64DecodedLength(event.delta)) };
  }
  let out: Record<string, unknown> = event;
  if (event.item && typeof event.item === 'object') {
    const item = stripItem(event.item);
    if (item !== event.item) out = { ...out, item };
  }
  const response = event.response as { output?: unknown } | undefined;
  if (response && typeof response === 'object' && Array.isArray(response.output)) {
    let changed = false;
    const output = response.output.map((it: unknown) => {
      const s = stripItem(it);
      if (s !== it) changed = true;
      return s;
    });
    if (changed) out = { ...out, response: { ...response, output } };
  }
  return out === event ? { ...event } : out;
}

/** Whether an event is an error worth highlighting. */
export function isErrorEvent(direction: Direction, event: { type: string; [key: string]: unknown }): boolean {
  const type = event.type;
  if (type === 'error' || type.endsWith('.failed') || type === 'local.error') return true;
  if (type === 'response.done') {
    const status = (event.response as { status?: string } | undefined)?.status;
    return status === 'failed';
  }
  return direction === 'local' && type.includes('error');
}

const CHUNK = 4096;

/**
 * Bounded, chunked log. `append` is O(1) amortised; when the capacity is exceeded the oldest entries are dropped
 * (and counted in {@link dropped}). Index 0 is the oldest kept entry.
 */
export class EventLog {
  private chunks: LogEntry[][] = [];
  /** Index of the oldest kept entry inside `chunks[0]`. */
  private head = 0;
  private count = 0;
  private nextSeq = 1;
  private capacityValue: number;
  private droppedValue = 0;
  private readonly types = new Map<string, number>();
  /** Epoch ms that `t` is measured from when no connection time is given. */
  private epoch: number | null = null;

  constructor(capacity = 100_000) {
    this.capacityValue = Math.max(1, Math.floor(capacity));
  }

  /** Number of entries kept. */
  get size(): number {
    return this.count;
  }
  /** Maximum number of entries kept. */
  get capacity(): number {
    return this.capacityValue;
  }
  /** Entries dropped because of the capacity, since creation or the last clear. */
  get dropped(): number {
    return this.droppedValue;
  }
  /** Sequence number the next entry will get. */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }
  /** Count of kept entries per type. */
  get typeCounts(): ReadonlyMap<string, number> {
    return this.types;
  }

  /** The entry at `index` (0 = oldest kept), or undefined. */
  at(index: number): LogEntry | undefined {
    if (index < 0 || index >= this.count) return undefined;
    const g = this.head + index;
    return this.chunks[Math.floor(g / CHUNK)][g % CHUNK];
  }

  /** Index of the entry with sequence `seq`, or -1 (binary search; seqs are increasing). */
  indexOfSeq(seq: number): number {
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.at(mid)!.seq;
      if (s === seq) return mid;
      if (s < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /**
   * Appends a batch; returns the entries appended and still kept, and the previously kept entries dropped (oldest
   * first) to make room.
   * `connectedAt` (epoch ms) is the origin of `t`; without it, the first event ever logged is.
   */
  append(batch: readonly IncomingEvent[], connectedAt: number | null): { added: LogEntry[]; dropped: LogEntry[] } {
    let added: LogEntry[] = [];
    let dropped: LogEntry[] = [];
    const firstNewSeq = this.nextSeq;
    for (const e of batch) {
      const at = e.at ?? Date.now();
      if (this.epoch === null) this.epoch = at;
      const origin = connectedAt ?? this.epoch;
      const type = e.event && typeof e.event === 'object' && typeof e.event.type === 'string' ? e.event.type : '(no type)';
      // A frame without a string `type` is kept as `{type: '(no type)', value: <what came>}`.
      const ev = type === '(no type)' ? { type, value: e.event as unknown } : e.event;
      const entry: LogEntry = Object.freeze({
        seq: this.nextSeq++,
        t: Math.max(0, at - origin),
        at,
        direction: e.direction,
        type,
        size: frameSize(e),
        event: stripAudioPayloads(ev),
        isError: isErrorEvent(e.direction, ev),
      });
      this.push(entry);
      added.push(entry);
      while (this.count > this.capacityValue) dropped.push(this.shift());
    }
    if (dropped.length > 0 && dropped[dropped.length - 1].seq >= firstNewSeq) {
      // The batch was larger than the room left: report only what was kept, and only old entries as dropped.
      const firstKept = this.count > 0 ? this.at(0)!.seq : this.nextSeq;
      added = added.filter((e) => e.seq >= firstKept);
      dropped = dropped.filter((e) => e.seq < firstNewSeq);
    }
    return { added, dropped };
  }

  /** Changes the capacity; drops (and returns) the oldest entries if the log is now over it. */
  setCapacity(capacity: number): LogEntry[] {
    this.capacityValue = Math.max(1, Math.floor(capacity));
    const dropped: LogEntry[] = [];
    while (this.count > this.capacityValue) dropped.push(this.shift());
    return dropped;
  }

  /** Removes every entry and resets the dropped count (sequence numbers keep increasing). */
  clear(): void {
    this.chunks = [];
    this.head = 0;
    this.count = 0;
    this.droppedValue = 0;
    this.types.clear();
    this.epoch = null;
  }

  /** Iterates the kept entries, oldest first. */
  *[Symbol.iterator](): IterableIterator<LogEntry> {
    for (let i = 0; i < this.count; i++) yield this.at(i)!;
  }

  private push(entry: LogEntry): void {
    const g = this.head + this.count;
    const ci = Math.floor(g / CHUNK);
    if (ci === this.chunks.length) this.chunks.push([]);
    this.chunks[ci].push(entry);
    this.count++;
    this.types.set(entry.type, (this.types.get(entry.type) ?? 0) + 1);
  }

  private shift(): LogEntry {
    const entry = this.chunks[0][this.head];
    this.head++;
    this.count--;
    this.droppedValue++;
    if (this.head === CHUNK) {
      // Dropping a whole chunk is O(number of chunks) = O(capacity / 4096): amortised O(1) per entry.
      this.chunks.shift();
      this.head = 0;
    }
    const n = (this.types.get(entry.type) ?? 1) - 1;
    if (n === 0) this.types.delete(entry.type);
    else this.types.set(entry.type, n);
    return entry;
  }
}
