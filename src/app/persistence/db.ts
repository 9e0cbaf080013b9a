// The IndexedDB schema of the session history (via `idb`): one row per session, its events, its items, and its
// item audio as appended PCM chunks (so a growing item never rewrites what is already stored). Never a key.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { RecordedDirection, RecordedItem } from '../../lib/session-file';

/** Default database name. */
export const HISTORY_DB_NAME = 'realtime-console-history';
const DB_VERSION = 1;

/** Lifecycle of a stored session. `interrupted`: the tab closed or crashed while it was live. */
export type StoredSessionStatus = 'live' | 'ended' | 'interrupted' | 'imported';

/** One row of the history list. */
export interface StoredSessionMeta {
  id: string;
  title: string;
  /** Epoch ms the session started (connection attempt). */
  startedAt: number;
  /** Epoch ms the socket opened (origin of event times), if it did. */
  openedAt: number | null;
  updatedAt: number;
  endedAt: number | null;
  status: StoredSessionStatus;
  profile: string;
  /** Sanitised URL (no credentials, no secret query parameters). */
  url: string;
  model: string;
  dialect: 'beta' | 'ga' | null;
  /** Requested session settings (no key). */
  settings: Record<string, unknown>;
  eventCount: number;
  itemCount: number;
  /** Approximate bytes this session holds in the database. */
  bytes: number;
  /** Events or audio were not stored because the session reached its caps. */
  truncated: boolean;
}

/** A stored event. */
export interface StoredEvent {
  sessionId: string;
  seq: number;
  t: number;
  direction: RecordedDirection;
  event: { type: string; [key: string]: unknown };
}

/** A stored item (its audio lives in the `audio` store). */
export interface StoredItem extends Omit<RecordedItem, 'audio'> {
  sessionId: string;
  /** Position in the conversation. */
  index: number;
}

/** A chunk of an item's audio. */
export interface StoredAudioChunk {
  sessionId: string;
  itemId: string;
  /** Sample offset of this chunk in the item's audio. */
  offset: number;
  sampleRate: number;
  pcm: Int16Array;
}

/** The schema. */
export interface HistorySchema extends DBSchema {
  sessions: { key: string; value: StoredSessionMeta; indexes: { startedAt: number } };
  events: { key: [string, number]; value: StoredEvent };
  items: { key: [string, string]; value: StoredItem };
  audio: { key: [string, string, number]; value: StoredAudioChunk };
}

/** An open history database. */
export type HistoryDb = IDBPDatabase<HistorySchema>;

/** Opens (and creates or upgrades) the database. Rejects when IndexedDB is unavailable. */
export function openHistoryDb(name = HISTORY_DB_NAME): Promise<HistoryDb> {
  return openDB<HistorySchema>(name, DB_VERSION, {
    upgrade(db) {
      const sessions = db.createObjectStore('sessions', { keyPath: 'id' });
      sessions.createIndex('startedAt', 'startedAt');
      db.createObjectStore('events', { keyPath: ['sessionId', 'seq'] });
      db.createObjectStore('items', { keyPath: ['sessionId', 'id'] });
      db.createObjectStore('audio', { keyPath: ['sessionId', 'itemId', 'offset'] });
    },
  });
}

/** Key range covering every row of one session in a store keyed by `[sessionId, …]`. */
export function sessionRange(sessionId: string): IDBKeyRange {
  return IDBKeyRange.bound([sessionId], [sessionId, []]);
}
