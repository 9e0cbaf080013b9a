import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConsoleStore, type ConsoleStore } from '../../src/store';
import { SessionPersistence, listSessions, loadRecording, openHistoryDb, storageFigures, type PersistenceLimits } from '../../src/app/persistence';
import { unpackAudio } from '../../src/lib/session-file';

let dbCounter = 0;
const running: SessionPersistence[] = [];

async function setup(limits: Partial<PersistenceLimits> = {}, dbName = `history-test-${++dbCounter}`) {
  const store = createConsoleStore({ storage: null });
  const p = new SessionPersistence({ store, dbName, limits: { flushIntervalMs: 20, ...limits } });
  running.push(p);
  await p.start();
  return { store, p, dbName };
}

function connectAndTalk(store: ConsoleStore, opts: { url?: string; text?: string; audio?: number } = {}) {
  const s = () => store.getState();
  s().setProfileFields({ profileId: 'xstar', url: opts.url ?? 'wss://api.xstar.city/v1/realtime?api_key=sk-SECRET-1', model: 'qwen-plus' });
  s().setConnectionState('connecting');
  s().setConnectionState('open');
  s().appendEvents([
    { direction: 'server', event: { type: 'session.created', session: { client_secret: { value: 'ek_SECRET_2' } } } },
    { direction: 'client', event: { type: 'conversation.item.create', item: { type: 'message' } } },
  ]);
  s().upsertItem({ id: 'u1', role: 'user', type: 'message', status: 'completed', text: opts.text ?? 'hello history' });
  s().upsertItem({ id: 'a1', role: 'assistant', type: 'message' });
  const n = opts.audio ?? 1600;
  for (let i = 0; i < n; i += 160) s().appendItemAudio('a1', new Int16Array(160).fill(i), 16000);
  s().appendTranscript('a1', 'hi there');
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

describe('session persistence (IndexedDB)', () => {
  it('stores events, conversation and audio of a session; no key anywhere in the database', async () => {
    const { store, p, dbName } = await setup();
    connectAndTalk(store);
    await p.flush();
    store.getState().setConnectionState('closed');
    await p.flush();
    const db = await openHistoryDb(dbName);
    const [meta] = await listSessions(db);
    expect(meta).toMatchObject({ status: 'ended', profile: 'xstar', model: 'qwen-plus', eventCount: 2, itemCount: 2, title: 'hello history' });
    expect(meta.url).toBe('wss://api.xstar.city/v1/realtime');
    const rec = (await loadRecording(db, meta.id))!;
    expect(rec.events.map((e) => e.event.type)).toEqual(['session.created', 'conversation.item.create']);
    expect(rec.items.map((i) => [i.id, i.role, i.transcript])).toEqual([
      ['u1', 'user', ''],
      ['a1', 'assistant', 'hi there'],
    ]);
    const pcm = unpackAudio(rec.items[1].audio!);
    expect(pcm.length).toBe(1600);
    expect(pcm[160]).toBe(160);
    // Dump every store: neither the URL's key nor the ephemeral secret made it in.
    const dump = JSON.stringify(await Promise.all((['sessions', 'events', 'items'] as const).map((s) => db.getAll(s))));
    expect(dump).not.toContain('SECRET');
    expect(JSON.stringify(store.getState().session.requested)).not.toContain('SECRET');
    db.close();
  });

  it('batches writes: hundreds of events and audio frames in one interval become one transaction', async () => {
    const { store, p } = await setup({ flushIntervalMs: 200 });
    store.getState().setConnectionState('connecting');
    store.getState().setConnectionState('open');
    await p.flush();
    const spy = vi.spyOn(p.database!, 'transaction');
    for (let i = 0; i < 300; i++) store.getState().appendEvent({ direction: 'server', event: { type: 'response.text.delta', delta: String(i) } });
    for (let i = 0; i < 100; i++) store.getState().appendItemAudio('a1', new Int16Array(80), 8000);
    expect(spy).not.toHaveBeenCalled(); // nothing is written per event
    await vi.waitFor(async () => expect((await listSessions(p.database!))[0].eventCount).toBe(300), { timeout: 3000 });
    const writes = spy.mock.calls.filter((c) => Array.isArray(c[0]) && c[1] === 'readwrite').length;
    expect(writes).toBe(1);
    spy.mockRestore();
  });

  it('appends audio incrementally: a growing item is stored as chunks, read back whole', async () => {
    const { store, p } = await setup();
    connectAndTalk(store, { audio: 800 });
    await p.flush();
    for (let i = 0; i < 5; i++) store.getState().appendItemAudio('a1', new Int16Array(160).fill(7), 16000);
    await p.flush();
    const chunks = await p.database!.getAll('audio');
    expect(chunks.map((c) => [c.offset, c.pcm.length])).toEqual([
      [0, 800],
      [800, 800],
    ]);
    const rec = (await loadRecording(p.database!, p.currentSessionId!))!;
    expect(unpackAudio(rec.items[1].audio!).length).toBe(1600);
  });

  it('survives a reload: a session live when the page died is listed as interrupted by the next instance', async () => {
    const first = await setup();
    connectAndTalk(first.store, { text: 'before the crash' });
    await first.p.flush();
    // Simulate the crash: the first instance never gets to end the session (no stop, no close).
    running.splice(running.indexOf(first.p), 1);
    first.p.database!.close();
    const second = await setup({}, first.dbName);
    const [meta] = await listSessions(second.p.database!);
    expect(meta).toMatchObject({ status: 'interrupted', title: 'before the crash', itemCount: 2 });
    const rec = (await loadRecording(second.p.database!, meta.id))!;
    expect(rec.items[1].audio).toBeDefined();
  });

  it('keeps per-session caps (events counted as truncated) and evicts the oldest sessions over the total caps', async () => {
    const { store, p } = await setup({ maxSessionEvents: 3, maxSessions: 2 });
    for (let k = 0; k < 3; k++) {
      store.getState().setConnectionState('connecting');
      store.getState().setConnectionState('open');
      for (let i = 0; i < 5; i++) store.getState().appendEvent({ direction: 'server', event: { type: 'x', k } });
      await p.flush();
      store.getState().setConnectionState('closed');
      await p.flush();
    }
    const list = await listSessions(p.database!);
    expect(list).toHaveLength(2);
    expect(list.every((s) => s.eventCount === 3 && s.truncated)).toBe(true);
    const recs = await Promise.all(list.map((s) => loadRecording(p.database!, s.id)));
    // newest first: sessions 2 and 1 survive, session 0 was evicted
    expect(recs.map((r) => r!.events[0].event.k)).toEqual([2, 1]);
    const bytes = await setup({ maxTotalBytes: 5000 });
    for (let k = 0; k < 3; k++) {
      bytes.store.getState().setConnectionState('connecting');
      bytes.store.getState().setConnectionState('open');
      bytes.store.getState().appendItemAudio(`a${k}`, new Int16Array(1000), 8000); // 2000 B each
      await bytes.p.flush();
      bytes.store.getState().setConnectionState('closed');
      await bytes.p.flush();
    }
    const left = await listSessions(bytes.p.database!);
    expect(left.length).toBe(2);
    expect((await storageFigures(bytes.p.database!)).historyBytes).toBeLessThanOrEqual(5000);
  });

  it('titles a session by the first thing the user said, also when it comes after the first write', async () => {
    const { store, p } = await setup();
    store.getState().setProfileFields({ profileId: 'local', model: 'emulator-realtime' });
    store.getState().setConnectionState('connecting');
    store.getState().setConnectionState('open');
    store.getState().appendEvent({ direction: 'server', event: { type: 'session.created' } });
    await p.flush();
    expect((await listSessions(p.database!))[0].title).toBe('local · emulator-realtime');
    store.getState().upsertItem({ id: 'u', role: 'user', type: 'message', text: 'later words' });
    await p.flush();
    expect((await listSessions(p.database!))[0].title).toBe('later words');
  });

  it('keeps the last batch when the user clears the views right after disconnecting', async () => {
    const { store, p } = await setup({ flushIntervalMs: 10_000 });
    connectAndTalk(store, { text: 'last words' });
    store.getState().setConnectionState('closed');
    store.getState().clearConversation();
    store.getState().clearEvents();
    await p.flush();
    const [meta] = await listSessions(p.database!);
    expect(meta).toMatchObject({ status: 'ended', eventCount: 2, itemCount: 2, title: 'last words' });
    const rec = (await loadRecording(p.database!, meta.id))!;
    expect(rec.items.map((i) => i.id)).toEqual(['u1', 'a1']);
    expect(unpackAudio(rec.items[1].audio!).length).toBe(1600);
  });

  it('deletes stored sessions but not the one being recorded', async () => {
    const { store, p } = await setup();
    connectAndTalk(store);
    await p.flush();
    const live = p.currentSessionId!;
    expect(await p.delete(live)).toBe(false);
    store.getState().setConnectionState('closed');
    await p.flush();
    expect(await p.delete(live)).toBe(true);
    expect(await listSessions(p.database!)).toEqual([]);
    expect(await p.database!.getAll('audio')).toEqual([]);
  });
});
