// The log as the panel shows it: filtered, with runs of deltas coalesced into one row that carries the exact
// count. Maintained incrementally next to the EventLog (append and drop are O(1) amortised); rebuilt only when
// the filter changes. The stored log always keeps every event.
import type { Direction, EventLog, LogEntry } from './event-log';

/** The filter the panel edits. */
export interface EventFilter {
  /** Directions shown. */
  directions: Record<Direction, boolean>;
  /** Types unticked in the checklist (types never seen are shown by default). */
  hiddenTypes: string[];
  /** Case-insensitive substring searched in the JSON of the stored (stripped) event. */
  search: string;
  /** Coalesce runs of delta events into one row. */
  coalesce: boolean;
  /** Show only errors. */
  errorsOnly: boolean;
}

/** The default filter: everything shown, deltas coalesced. */
export function defaultEventFilter(): EventFilter {
  return { directions: { client: true, server: true, local: true }, hiddenTypes: [], search: '', coalesce: true, errorsOnly: false };
}

/** A row of the view: one event (`count` 1) or a run of `count` consecutive events of one delta type. */
export interface LogRow {
  /** First event of the run still kept. */
  first: LogEntry;
  /** Last (newest) event of the run. */
  last: LogEntry;
  count: number;
  /** Sum of the frame sizes of the run's kept events. */
  bytes: number;
}

/** Event types whose consecutive occurrences are coalesced in the view. */
export function isCoalescible(type: string): boolean {
  return type.endsWith('.delta') || type === 'input_audio_buffer.append';
}

const searchCache = new WeakMap<LogEntry, string>();

/** Lower-cased JSON of an entry's stored event (cached per entry). */
export function searchText(entry: LogEntry): string {
  let s = searchCache.get(entry);
  if (s === undefined) {
    s = safeJson(entry.event).toLowerCase();
    searchCache.set(entry, s);
  }
  return s;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '"[unserialisable event]"';
  }
}

/** Whether `entry` passes `filter`. */
export function matchesFilter(entry: LogEntry, filter: EventFilter, hidden: ReadonlySet<string>): boolean {
  if (!filter.directions[entry.direction]) return false;
  if (filter.errorsOnly && !entry.isError) return false;
  if (hidden.has(entry.type)) return false;
  const q = filter.search.trim().toLowerCase();
  if (q !== '' && !searchText(entry).includes(q) && !entry.type.toLowerCase().includes(q)) return false;
  return true;
}

/** Filtered, coalesced rows over an {@link EventLog}. */
export class EventView {
  private rows: LogRow[] = [];
  /** Index of the first live row in `rows` (rows before it were dropped; compacted lazily). */
  private start = 0;
  private filter: EventFilter;
  private hidden: Set<string>;
  private events_ = 0;

  constructor(
    private readonly log: EventLog,
    filter: EventFilter = defaultEventFilter(),
  ) {
    this.filter = filter;
    this.hidden = new Set(filter.hiddenTypes);
    this.rebuild();
  }

  /** Number of rows. */
  get length(): number {
    return this.rows.length - this.start;
  }

  /** Row `i` (0 = oldest). */
  row(i: number): LogRow | undefined {
    return this.rows[this.start + i];
  }

  /** All rows, oldest first (a copy). */
  toArray(): LogRow[] {
    return this.rows.slice(this.start);
  }

  /** Number of events the view shows (sum of run counts; maintained incrementally). */
  get eventCount(): number {
    return this.events_;
  }

  /** Replaces the filter and rebuilds the rows (O(log size)). */
  setFilter(filter: EventFilter): void {
    this.filter = filter;
    this.hidden = new Set(filter.hiddenTypes);
    this.rebuild();
  }

  /** Whether an entry passes the current filter. */
  matches(entry: LogEntry): boolean {
    return matchesFilter(entry, this.filter, this.hidden);
  }

  /** Rebuilds all rows from the log. */
  rebuild(): void {
    this.rows = [];
    this.start = 0;
    this.events_ = 0;
    for (const e of this.log) this.added(e);
  }

  /** Feeds a newly appended entry. */
  added(entry: LogEntry): void {
    if (!this.matches(entry)) return;
    this.events_++;
    const last = this.rows.length > this.start ? this.rows[this.rows.length - 1] : undefined;
    if (
      last &&
      this.filter.coalesce &&
      isCoalescible(entry.type) &&
      last.last.type === entry.type &&
      last.last.direction === entry.direction
    ) {
      this.rows[this.rows.length - 1] = { first: last.first, last: entry, count: last.count + 1, bytes: last.bytes + entry.size };
      return;
    }
    this.rows.push({ first: entry, last: entry, count: 1, bytes: entry.size });
  }

  /**
   * Feeds the entries the log dropped, oldest first, after the log has removed them. A dropped entry that passed
   * the filter is the first event of the first row: that row shrinks by one, or disappears.
   */
  droppedBatch(entries: readonly LogEntry[]): void {
    const matching = entries.filter((e) => this.matches(e));
    let firstKept: LogEntry | null | undefined; // lazily: first matching entry still in the log
    for (let k = 0; k < matching.length; k++) {
      const entry = matching[k];
      if (this.start >= this.rows.length) return;
      const row = this.rows[this.start];
      if (row.first !== entry) continue;
      this.events_--;
      if (row.count === 1) {
        this.start++;
        continue;
      }
      // The run's next event is the next matching one: later in this batch, else the oldest matching kept entry.
      let next: LogEntry | undefined = matching[k + 1];
      if (!next) {
        if (firstKept === undefined) firstKept = this.firstMatchingKept();
        next = firstKept ?? row.last;
      }
      this.rows[this.start] = { first: next, last: row.last, count: row.count - 1, bytes: row.bytes - entry.size };
    }
    if (this.start > 1024 && this.start * 2 > this.rows.length) {
      this.rows = this.rows.slice(this.start);
      this.start = 0;
    }
  }

  private firstMatchingKept(): LogEntry | null {
    for (let i = 0; i < this.log.size; i++) {
      const e = this.log.at(i)!;
      if (this.matches(e)) return e;
    }
    return null;
  }

  /** Every event the view covers (runs expanded), oldest first. */
  *events(): IterableIterator<LogEntry> {
    for (const e of this.log) if (this.matches(e)) yield e;
  }
}

/** One NDJSON line per entry: `{seq, t, at, direction, type, size, isError, event}`. */
export function toNdjson(entries: Iterable<LogEntry>): string {
  const lines: string[] = [];
  for (const e of entries) {
    const head = JSON.stringify({ seq: e.seq, t: e.t, at: e.at, direction: e.direction, type: e.type, size: e.size, isError: e.isError });
    lines.push(`${head.slice(0, -1)},"event":${safeJson(e.event)}}`);
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}
