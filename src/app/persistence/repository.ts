// Reading and deleting stored sessions, and turning one into a session file (the history panel's backend).
import { packAudio, SESSION_FILE_FORMAT, SESSION_FILE_VERSION, type RecordedItem, type SessionRecording } from '../../lib/session-file';
import { concatInt16 } from '../../lib/dsp/pcm';
import { sessionRange, type HistoryDb, type StoredSessionMeta } from './db';

/** Storage figures for the panel. */
export interface StorageFigures {
  /** Bytes the history holds (sum of the sessions' estimates). */
  historyBytes: number;
  /** Origin-wide usage and quota from `navigator.storage.estimate()`, when the browser offers it. */
  usage: number | null;
  quota: number | null;
}

/** Sessions, newest first. */
export async function listSessions(db: HistoryDb): Promise<StoredSessionMeta[]> {
  const all = await db.getAllFromIndex('sessions', 'startedAt');
  return all.reverse();
}

/** Deletes a session and everything it holds. */
export async function deleteSession(db: HistoryDb, id: string): Promise<void> {
  const tx = db.transaction(['sessions', 'events', 'items', 'audio'], 'readwrite');
  const range = sessionRange(id);
  await Promise.all([
    tx.objectStore('sessions').delete(id),
    tx.objectStore('events').delete(range),
    tx.objectStore('items').delete(range),
    tx.objectStore('audio').delete(range),
    tx.done,
  ]);
}

/** A stored session as a recording (events in order, items in conversation order with their audio); null if gone. */
export async function loadRecording(db: HistoryDb, id: string): Promise<SessionRecording | null> {
  const tx = db.transaction(['sessions', 'events', 'items', 'audio'], 'readonly');
  const range = sessionRange(id);
  const [meta, events, items, chunks] = await Promise.all([
    tx.objectStore('sessions').get(id),
    tx.objectStore('events').getAll(range),
    tx.objectStore('items').getAll(range),
    tx.objectStore('audio').getAll(range),
  ]);
  await tx.done;
  if (!meta) return null;
  const audioByItem = new Map<string, { rate: number; parts: Int16Array[] }>();
  for (const c of chunks.sort((a, b) => (a.itemId === b.itemId ? a.offset - b.offset : 0))) {
    const entry = audioByItem.get(c.itemId);
    if (!entry || entry.rate !== c.sampleRate) audioByItem.set(c.itemId, { rate: c.sampleRate, parts: [c.pcm] });
    else entry.parts.push(c.pcm);
  }
  const outItems: RecordedItem[] = items
    .sort((a, b) => a.index - b.index)
    .map(({ sessionId: _s, index: _i, ...item }) => {
      const audio = audioByItem.get(item.id);
      return audio ? { ...item, audio: packAudio(concatInt16(audio.parts), audio.rate) } : item;
    });
  return {
    header: {
      format: SESSION_FILE_FORMAT,
      version: SESSION_FILE_VERSION,
      created: new Date(meta.startedAt).toISOString(),
      generator: 'realtime-console',
      profile: meta.profile,
      url: meta.url,
      model: meta.model,
      dialect: meta.dialect,
      settings: meta.settings,
      title: meta.title,
    },
    events: events.sort((a, b) => a.seq - b.seq).map((e) => ({ t: e.t, direction: e.direction, event: e.event })),
    items: outItems,
  };
}

/** History bytes plus the browser's estimate where available. */
export async function storageFigures(db: HistoryDb): Promise<StorageFigures> {
  const sessions = await db.getAll('sessions');
  const historyBytes = sessions.reduce((n, s) => n + s.bytes, 0);
  let usage: number | null = null;
  let quota: number | null = null;
  try {
    const est = typeof navigator !== 'undefined' && navigator.storage?.estimate ? await navigator.storage.estimate() : null;
    usage = est?.usage ?? null;
    quota = est?.quota ?? null;
  } catch {
    // not offered (e.g. an insecure context): the history's own figure is still shown
  }
  return { historyBytes, usage, quota };
}
