import { afterEach, describe, expect, test } from 'vitest';
import type { StateStorage } from 'zustand/middleware';
import { createConsoleStore, PERSIST_KEY } from '../../src/store/store';

function memoryStorage(): StateStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

afterEach(() => {
  window.history.replaceState(null, '', '/');
});

describe('persisted settings', () => {
  test('persists only non-secret settings, never events, conversation or audio', () => {
    const storage = memoryStorage();
    const store = createConsoleStore({ storage });
    const st = () => store.getState();
    st().setProfileFields({ profileId: 'xstar-relay', model: 'm1', userId: 'u42' });
    st().setTemplateField('bot_info', '你是小奇奇');
    st().setDuplex('half');
    st().setLanguage('zh');
    st().appendEvents([{ direction: 'client', event: { type: 'session.update', session: {} } }]);
    st().upsertItem({ id: 'i1', role: 'user', type: 'message', text: 'secret conversation' });
    st().appendItemAudio('i1', new Int16Array(10), 16000);
    const saved = JSON.parse(storage.data.get(PERSIST_KEY)!);
    expect(Object.keys(saved.state).sort()).toEqual(['audio', 'connection', 'events', 'session', 'ui']);
    expect(saved.state.connection).toEqual({ profileId: 'xstar-relay', url: '', model: 'm1', userId: 'u42' });
    expect(saved.state.session.requested.template.bot_info).toBe('你是小奇奇');
    expect(saved.state.audio).toEqual({ selectedDeviceId: null, duplex: 'half' });
    expect(saved.state.events).toEqual({ capacity: 100_000 });
    const text = storage.data.get(PERSIST_KEY)!;
    expect(text).not.toContain('secret conversation');
    expect(text).not.toContain('session.update');
    expect(text.toLowerCase()).not.toContain('apikey');
  });

  test('a new store hydrates the saved settings; bad saved data keeps the defaults', () => {
    const storage = memoryStorage();
    const a = createConsoleStore({ storage });
    a.getState().setProfileFields({ model: 'saved-model' });
    a.getState().updateRequested({ voice: '龙小淳' });
    a.getState().setEventCapacity(500);
    const b = createConsoleStore({ storage });
    expect(b.getState().connection.model).toBe('saved-model');
    expect(b.getState().session.requested.voice).toBe('龙小淳');
    expect(b.getState().session.requested.inputFormat).toBe('Raw16KHz16BitMonoPcm');
    expect(b.getState().events.capacity).toBe(500);
    expect(b.getState().events.log.capacity).toBe(500);
    expect(b.getState().connection.state).toBe('idle');

    storage.data.set(PERSIST_KEY, JSON.stringify({ state: { session: { requested: { voice: 7, template: null } }, audio: { duplex: 'weird' } }, version: 1 }));
    const c = createConsoleStore({ storage });
    expect(c.getState().audio.duplex).toBe('full');
    expect(c.getState().session.requested.template.agent_template).toBe('幻星');
  });

  test('?lang= wins over the remembered language', () => {
    const storage = memoryStorage();
    const a = createConsoleStore({ storage });
    a.getState().setLanguage('en');
    window.history.replaceState(null, '', '/?lang=zh');
    expect(createConsoleStore({ storage }).getState().ui.language).toBe('zh');
    window.history.replaceState(null, '', '/?lang=en');
    expect(createConsoleStore({ storage: null }).getState().ui.language).toBe('en');
  });
});

test('streaming events does not rewrite unchanged settings', () => {
  const storage = memoryStorage();
  let writes = 0;
  const counting = { ...storage, setItem: (k: string, v: string) => { writes++; storage.setItem(k, v); } };
  const store = createConsoleStore({ storage: counting });
  store.getState().appendEvents([{ direction: 'server', event: { type: 'first' } }]); // first write of an empty storage
  const before = writes;
  expect(before).toBe(1);
  for (let i = 0; i < 20; i++) store.getState().appendEvents([{ direction: 'server', event: { type: 'response.audio.delta', delta: '' } }]);
  expect(writes).toBe(before);
  store.getState().setProfileFields({ model: 'changed' });
  expect(writes).toBe(before + 1);
});

describe('connection slice', () => {
  test('state machine bookkeeping: new connection ids, connectedAt, errors cleared on reconnect', () => {
    const store = createConsoleStore({ storage: null });
    const st = () => store.getState();
    st().setConnectionState('connecting');
    expect(st().connection.connectionId).toBe(1);
    st().setConnectionState('connecting'); // idempotent
    expect(st().connection.connectionId).toBe(1);
    st().setConnectionState('open', 5000);
    expect(st().connection.connectedAt).toBe(5000);
    st().setConnectionError({ reason: 'closed', message: 'bye', remedyKey: 'remedy.closed', code: 1006 });
    st().setConnectionState('closed');
    expect(st().connection.connectedAt).toBeNull();
    expect(st().connection.error!.code).toBe(1006);
    st().setConnectionState('connecting');
    expect(st().connection).toMatchObject({ connectionId: 2, error: null });
  });
});
