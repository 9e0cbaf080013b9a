// Writes each connection's event log, conversation (with audio) and settings to IndexedDB as they happen:
// observes the console store (never the bridge), batches writes (at most one transaction per flush interval,
// never per event or audio frame), bounds what it keeps (per-session and total caps, oldest sessions evicted),
// and marks sessions that were live when the tab died as `interrupted` on the next start. Never the API key:
// the store does not hold it, URLs are sanitised and secret-named fields scrubbed.
import { sanitizeUrl, scrubSecrets } from '../../lib/session-file';
import type { ConsoleState, ConsoleStore, ConversationItem } from '../../store';
import type { AudioTrack } from '../../store/audio-track';
import { openHistoryDb, sessionRange, type HistoryDb, type StoredAudioChunk, type StoredEvent, type StoredItem, type StoredSessionMeta } from './db';
import { deleteSession } from './repository';

/** Bounds of the history. */
export interface PersistenceLimits {
  /** Sessions kept (oldest evicted). */
  maxSessions: number;
  /** Bytes kept over all sessions (oldest evicted; the live session is never evicted). */
  maxTotalBytes: number;
  /** Events stored per session (later ones are counted as truncated). */
  maxSessionEvents: number;
  /** Bytes (events + audio) stored per session. */
  maxSessionBytes: number;
  /** How often pending changes are written, ms. */
  flushIntervalMs: number;
}

/** Default limits: 50 sessions, 256 MiB in total, 50 000 events and 64 MiB per session, one write a second. */
export const DEFAULT_PERSISTENCE_LIMITS: PersistenceLimits = {
  maxSessions: 50,
  maxTotalBytes: 256 * 1024 * 1024,
  maxSessionEvents: 50_000,
  maxSessionBytes: 64 * 1024 * 1024,
  flushIntervalMs: 1000,
};

/** Options of {@link SessionPersistence}. */
export interface PersistenceOptions {
  store: ConsoleStore;
  /** Database name (tests use their own). */
  dbName?: string;
  limits?: Partial<PersistenceLimits>;
  /** Failures (quota, private mode); default: ignored after the first is reported through `lastError`. */
  onError?: (error: unknown) => void;
}

interface Current {
  meta: StoredSessionMeta;
  connectionId: number;
  lastSeq: number;
  written: Map<string, ConversationItem>;
  /** Conversation position of each stored item (first-seen order). */
  index: Map<string, number>;
  audio: Map<string, { track: AudioTrack; samples: number }>;
}

/** What one write stores. */
interface Batch {
  meta: StoredSessionMeta;
  events: StoredEvent[];
  items: StoredItem[];
  chunks: StoredAudioChunk[];
  resetAudio: string[];
}

/** The history writer. One per page; `start()` once, `stop()` when the page goes away (or in tests). */
export class SessionPersistence {
  readonly limits: PersistenceLimits;
  private db: HistoryDb | null = null;
  private current: Current | null = null;
  private unsubscribe: (() => void) | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private dirty = false;
  private chain: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<() => void>();
  private stopped = false;
  private lastStart = 0;
  /** The last write failure, if any. */
  lastError: unknown = null;

  constructor(private readonly options: PersistenceOptions) {
    this.limits = { ...DEFAULT_PERSISTENCE_LIMITS, ...options.limits };
  }

  /** The open database (null before `start()` resolved or when IndexedDB is unavailable). */
  get database(): HistoryDb | null {
    return this.db;
  }

  /** Id of the session being recorded, or null. */
  get currentSessionId(): string | null {
    return this.current?.meta.id ?? null;
  }

  /** Opens the database, marks sessions left `live` by a crash as `interrupted`, and starts observing the store. */
  async start(): Promise<void> {
    try {
      this.db = await openHistoryDb(this.options.dbName);
    } catch (error) {
      this.fail(error);
      return;
    }
    if (this.stopped) {
      this.db.close();
      this.db = null;
      return;
    }
    const tx = this.db.transaction('sessions', 'readwrite');
    for (const s of await tx.store.getAll()) {
      if (s.status === 'live') await tx.store.put({ ...s, status: 'interrupted', endedAt: s.endedAt ?? s.updatedAt });
    }
    await tx.done;
    const { store } = this.options;
    this.unsubscribe = store.subscribe((state, prev) => this.observe(state, prev));
    const s = store.getState();
    if (s.connection.state === 'connecting' || s.connection.state === 'open') this.begin(s);
    if (typeof window !== 'undefined') {
      window.addEventListener('pagehide', this.onHide);
      document.addEventListener('visibilitychange', this.onHide);
    }
    this.emit();
  }

  /** Writes everything pending now (resolves when written). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.chain = this.chain.then(() => this.write()).catch((error: unknown) => this.fail(error));
    return this.chain;
  }

  /** Final write, then releases the subscription, timer, listeners and the database. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (typeof window !== 'undefined') {
      window.removeEventListener('pagehide', this.onHide);
      document.removeEventListener('visibilitychange', this.onHide);
    }
    await this.flush();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.db?.close();
    this.db = null;
    this.listeners.clear();
  }

  /** Called after every write or deletion (the history panel refreshes). Returns an unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Deletes a stored session (not the one being recorded: it would be written again). */
  async delete(id: string): Promise<boolean> {
    if (!this.db || id === this.currentSessionId) return false;
    await deleteSession(this.db, id);
    this.emit();
    return true;
  }

  private readonly onHide = (): void => {
    if (typeof document !== 'undefined' && document.visibilityState === 'visible') return;
    void this.flush();
  };

  private observe(state: ConsoleState, prev: ConsoleState): void {
    const c = state.connection;
    const p = prev.connection;
    if (c.connectionId !== p.connectionId && (c.state === 'connecting' || c.state === 'open')) {
      this.begin(state);
      return;
    }
    if (!this.current) return;
    if (c.state === 'open' && p.state !== 'open') {
      this.current.meta.openedAt = c.connectedAt ?? Date.now();
      if (c.dialect) this.current.meta.dialect = c.dialect;
    }
    if (c.dialect && c.dialect !== this.current.meta.dialect) this.current.meta.dialect = c.dialect;
    if ((c.state === 'closed' || c.state === 'idle') && p.state !== c.state) {
      this.end();
      return;
    }
    if (state.events.version !== prev.events.version || state.conversation !== prev.conversation) this.markDirty();
  }

  private begin(state: ConsoleState): void {
    if (this.current) this.end();
    const c = state.connection;
    // Strictly increasing start times: the history is ordered (and evicted) by them.
    const now = Math.max(Date.now(), this.lastStart + 1);
    this.lastStart = now;
    const id = `s-${now.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    this.current = {
      connectionId: c.connectionId,
      lastSeq: state.events.log.lastSeq,
      written: new Map(),
      index: new Map(),
      audio: new Map(),
      meta: {
        id,
        title: '',
        startedAt: now,
        openedAt: c.connectedAt,
        updatedAt: now,
        endedAt: null,
        status: 'live',
        profile: c.profileId,
        url: sanitizeUrl(c.url),
        model: c.model,
        dialect: c.dialect,
        settings: scrubSecrets({ ...state.session.requested, applyMode: state.session.applyMode }) as unknown as Record<string, unknown>,
        eventCount: 0,
        itemCount: 0,
        bytes: 0,
        truncated: false,
      },
    };
    this.markDirty();
  }

  private end(): void {
    const cur = this.current;
    if (!cur) return;
    this.current = null;
    // The last batch is taken now and written with the session marked ended.
    const batch = this.collect(cur, this.options.store.getState());
    batch.meta.status = 'ended';
    batch.meta.endedAt = Date.now();
    this.chain = this.chain.then(() => this.commit(batch)).catch((error: unknown) => this.fail(error));
  }

  private markDirty(): void {
    this.dirty = true;
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.limits.flushIntervalMs);
  }

  /** One transaction with everything new since the last write of `cur`. */
  private async write(cur: Current | null = this.current): Promise<void> {
    if (!this.db || !cur) return;
    if (cur === this.current && !this.dirty && cur.meta.updatedAt !== cur.meta.startedAt) return;
    if (cur === this.current) this.dirty = false;
    await this.commit(this.collect(cur, this.options.store.getState()));
  }

  /**
   * Synchronously takes what is new in `state` for `cur` (the log is mutated in place, and the user may clear it
   * or the conversation right after a disconnect: what happened is captured before that).
   */
  private collect(cur: Current, state: ConsoleState): Batch {
    const { meta } = cur;
    const lim = this.limits;

    // New log entries (the log is a bounded ring: walk back from the newest to the last one written).
    const log = state.events.log;
    const fresh: StoredEvent[] = [];
    for (let i = log.size - 1; i >= 0; i--) {
      const e = log.at(i)!;
      if (e.seq <= cur.lastSeq) break;
      fresh.push({ sessionId: meta.id, seq: e.seq, t: e.t, direction: e.direction, event: scrubSecrets(e.event) as StoredEvent['event'] });
    }
    fresh.reverse();
    if (fresh.length) cur.lastSeq = fresh[fresh.length - 1].seq;
    const events: StoredEvent[] = [];
    for (const e of fresh) {
      const size = approxSize(e.event);
      if (meta.eventCount >= lim.maxSessionEvents || meta.bytes + size > lim.maxSessionBytes) {
        meta.truncated = true;
        continue;
      }
      meta.eventCount++;
      meta.bytes += size;
      events.push(e);
    }

    // Items of this connection that changed, and the audio appended since the last write. Items removed from the
    // view later stay in the history: it records what happened.
    const conv = state.conversation;
    const items: StoredItem[] = [];
    const chunks: StoredAudioChunk[] = [];
    const resetAudio: string[] = [];
    for (const id of conv.order) {
      const it = conv.items[id];
      if (it.connectionId !== cur.connectionId || cur.written.get(id) === it) continue;
      cur.written.set(id, it);
      let index = cur.index.get(id);
      if (index === undefined) {
        index = cur.index.size;
        cur.index.set(id, index);
      }
      items.push(toStoredItem(meta.id, it, index));
      if (!meta.title && it.role === 'user') meta.title = (it.text || it.transcript).trim().slice(0, 80);
      const audio = it.audio;
      if (!audio) continue;
      let done = cur.audio.get(id);
      if (done && done.track !== audio.track) {
        resetAudio.push(id);
        done = undefined;
      }
      const from = done?.samples ?? 0;
      if (audio.samples <= from) continue;
      const pcm = audio.track.copyRange(from, audio.samples);
      if (meta.bytes + pcm.byteLength > lim.maxSessionBytes) {
        meta.truncated = true;
        continue;
      }
      meta.bytes += pcm.byteLength;
      chunks.push({ sessionId: meta.id, itemId: id, offset: from, sampleRate: audio.sampleRate, pcm });
      cur.audio.set(id, { track: audio.track, samples: audio.samples });
    }
    meta.itemCount = cur.index.size;
    meta.updatedAt = Date.now();
    // Until the user has said something, the title is the profile and model (stored, not remembered).
    const title = meta.title || [meta.profile, meta.model].filter(Boolean).join(' · ');
    return { meta: { ...meta, title }, events, items, chunks, resetAudio };
  }

  private async commit(batch: Batch): Promise<void> {
    const db = this.db;
    if (!db) return;
    const { meta } = batch;
    const tx = db.transaction(['sessions', 'events', 'items', 'audio'], 'readwrite');
    const ops: Promise<unknown>[] = [tx.objectStore('sessions').put(meta)];
    for (const e of batch.events) ops.push(tx.objectStore('events').put(e));
    for (const it of batch.items) ops.push(tx.objectStore('items').put(it));
    for (const id of batch.resetAudio) {
      ops.push(tx.objectStore('audio').delete(IDBKeyRange.bound([meta.id, id], [meta.id, id, []])));
    }
    for (const c of batch.chunks) ops.push(tx.objectStore('audio').put(c));
    await Promise.all([...ops, tx.done]);
    await this.evict(db);
    this.emit();
  }

  /** Drops the oldest sessions (never the live one) while over the session count or the byte budget. */
  private async evict(db: HistoryDb): Promise<void> {
    const all = await db.getAllFromIndex('sessions', 'startedAt'); // oldest first
    let total = all.reduce((n, s) => n + s.bytes, 0);
    let count = all.length;
    for (const s of all) {
      if (count <= this.limits.maxSessions && total <= this.limits.maxTotalBytes) break;
      if (s.id === this.currentSessionId) continue;
      await deleteSession(db, s.id);
      count--;
      total -= s.bytes;
    }
  }

  private emit(): void {
    for (const l of [...this.listeners]) {
      try {
        l();
      } catch {
        // a listener's failure is its own
      }
    }
  }

  private fail(error: unknown): void {
    this.lastError = error;
    this.options.onError?.(error);
  }
}

function toStoredItem(sessionId: string, it: ConversationItem, index: number): StoredItem {
  const out: StoredItem = {
    sessionId,
    index,
    id: it.id,
    role: it.role,
    type: it.type,
    status: it.status,
    text: it.text,
    transcript: it.transcript,
    createdAt: it.createdAt,
  };
  if (it.contentKind) out.contentKind = it.contentKind;
  if (it.truncatedAtMs !== undefined) out.truncatedAtMs = it.truncatedAtMs;
  if (it.tool) {
    out.tool = { name: it.tool.name, callId: it.tool.callId, arguments: it.tool.arguments, ...(it.tool.output !== undefined ? { output: it.tool.output } : {}) };
  }
  return out;
}

function approxSize(event: unknown): number {
  try {
    return (JSON.stringify(event) ?? '').length + 32;
  } catch {
    return 64;
  }
}

export { sessionRange };
