// Auto-reconnect of the session bridge against the REAL emulator: a dropped socket (fault drop-after-ms) is
// reconnected with a new connection id, the session config is sent again (one session.update), the conversation
// and the log are kept, the gap is marked and the earlier items are marked as no longer on the server.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { SessionBridge } from '../../src/app/bridge';
import { createAppStore } from '../../src/app/app-store';
import { createReconnectStore } from '../../src/app/reconnect-state';
import { createConsoleStore, type ConsoleStore } from '../../src/store';
import type { WebSocketConstructor } from '../../src/lib/realtime/transport';
import type { ReconnectPolicy } from '../../src/lib/realtime/reconnect';
import { startTestServer } from '../helpers/server-harness';
import { tick, until } from '../helpers/bridge-harness';

type Server = Awaited<ReturnType<typeof startTestServer>>;

const live: (() => Promise<void>)[] = [];

function makeBridge(url: string, opts: { query?: Record<string, string>; policy?: Partial<ReconnectPolicy>; enabled?: boolean } = {}) {
  const store = createConsoleStore({ storage: null });
  const reconnect = createReconnectStore({ persist: false, enabled: opts.enabled ?? true });
  const bridge = new SessionBridge({
    store,
    appStore: createAppStore({ persist: false }),
    reconnect,
    reconnectPolicy: { baseDelayMs: 50, maxDelayMs: 200, jitter: 0.5, maxAttempts: 4, ...opts.policy },
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    origin: url,
    schedule: tick,
    statsIntervalMs: 50,
    applyDebounceMs: 10,
    connectTimeoutMs: 3000,
    query: opts.query,
  });
  const stop = bridge.start();
  let disposed: Promise<void> | null = null;
  const dispose = () => (disposed ??= Promise.resolve(stop()));
  live.push(dispose);
  return { store, reconnect, bridge, dispose };
}

const log = (store: ConsoleStore) => [...store.getState().events.log];
const types = (store: ConsoleStore, direction: 'client' | 'server' | 'local') => log(store).filter((e) => e.direction === direction).map((e) => e.type);

describe('bridge auto-reconnect ↔ emulator', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startTestServer({}, { synthesizer: null, emulatorPacingSpeed: 20 });
  });
  afterAll(async () => {
    await server.close();
  });
  afterEach(async () => {
    for (const d of live.splice(0)) await d();
  });

  it('reconnects after a drop: new connection id, one session.update again, conversation and log kept, gap and stale items marked', async () => {
    // The test owns the query object: the fault is removed after the first connection, so the reconnect stays up.
    const query: Record<string, string> = { fault: 'drop-after-ms:1500' };
    const { store, reconnect, bridge } = makeBridge(server.url, { query });
    const states: string[] = [];
    store.subscribe((n, p) => {
      if (n.connection.state !== p.connection.state) states.push(n.connection.state);
    });
    expect(await bridge.connect()).toBe(true);
    delete query.fault;
    const firstId = store.getState().connection.connectionId;
    await until(() => Object.values(store.getState().conversation.items).some((i) => i.role === 'assistant' && i.status !== 'in_progress'), 10_000, 'greeting reply');
    const before = store.getState().conversation.order.slice();
    expect(before.length).toBeGreaterThanOrEqual(2);
    const logBefore = store.getState().events.size;

    await until(() => states.includes('reconnecting'), 5000, 'reconnecting after the drop');
    await until(() => store.getState().connection.state === 'open' && !reconnect.getState().active, 10_000, 'reconnected');
    // Wire events reach the log through the per-frame batcher: wait until the new session.created is in it.
    await until(() => log(store).filter((e) => e.direction === 'server' && e.type === 'session.created').length === 2, 5000, 'second session.created logged');
    const s = store.getState();
    expect(s.connection.connectionId).toBeGreaterThan(firstId);
    expect(s.connection.error).toBeNull();
    expect(bridge.getClient()?.isConnected()).toBe(true);
    // The conversation is kept, every earlier item is terminal and marked as no longer on the server.
    for (const id of before) {
      const item = s.conversation.items[id];
      expect(item, id).toBeDefined();
      expect(item.stale, id).toBe(true);
      expect(item.status).not.toBe('in_progress');
      expect(item.connectionId).toBe(firstId);
    }
    // The log is kept and continues: gap marker, reconnect notes, and the session configured again exactly once.
    expect(s.events.size).toBeGreaterThan(logBefore);
    const entries = log(store);
    const gap = entries.findIndex((e) => e.type === 'local.gap');
    const reconnected = entries.findIndex((e) => e.type === 'local.reconnected');
    expect(gap).toBeGreaterThan(0);
    expect(reconnected).toBeGreaterThan(gap);
    // The gap comes after everything the old connection logged, and before anything of the new one.
    const connects = entries.map((e, i) => (e.type === 'local.connect' ? i : -1)).filter((i) => i >= 0);
    expect(connects[0]).toBeLessThan(gap);
    expect(connects[1]).toBeGreaterThan(gap);
    expect(entries.slice(connects[0], gap).filter((e) => e.type === 'session.created')).toHaveLength(1);
    expect(entries.slice(gap).filter((e) => e.direction !== 'local' && e.at < entries[gap].at)).toEqual([]);
    const afterGap = entries.slice(gap);
    expect(afterGap.filter((e) => e.direction === 'client' && e.type === 'session.update')).toHaveLength(1);
    expect(afterGap.filter((e) => e.direction === 'server' && e.type === 'session.created')).toHaveLength(1);
    // No second greeting and nothing of the old conversation replayed.
    expect(afterGap.filter((e) => e.direction === 'client' && e.type === 'conversation.item.create')).toHaveLength(0);
    expect(types(store, 'local').filter((t) => t === 'local.connect')).toHaveLength(2);
    expect(states).toEqual(expect.arrayContaining(['open', 'reconnecting', 'connecting']));

    // The new connection works: a message gets a reply that is not stale.
    bridge.sendText('hello again', 'input_text');
    await until(() => Object.values(store.getState().conversation.items).some((i) => i.role === 'assistant' && i.connectionId === s.connection.connectionId && i.status === 'completed'), 10_000, 'reply on the new connection');
    const fresh = Object.values(store.getState().conversation.items).filter((i) => i.connectionId === s.connection.connectionId);
    expect(fresh.every((i) => !i.stale)).toBe(true);
    await bridge.disconnect();
    expect(store.getState().connection.state).toBe('closed');
  });

  it('gives up after maxAttempts when the server is gone, and shows the last error', async () => {
    const lone = await startTestServer({}, { synthesizer: null, emulatorPacingSpeed: 20 });
    const { store, reconnect, bridge } = makeBridge(lone.url, { policy: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 40 }, query: { fault: 'drop-after-ms:300' } });
    expect(await bridge.connect()).toBe(true);
    await lone.close(); // the drop comes, and nothing answers any more
    await until(() => store.getState().connection.state === 'closed', 10_000, 'closed after giving up');
    expect(reconnect.getState().active).toBe(false);
    expect(reconnect.getState().attempt).toBe(3);
    const local = types(store, 'local');
    expect(local.filter((t) => t === 'local.reconnect_failed')).toHaveLength(3);
    expect(local).toContain('local.reconnect_gave_up');
    expect(store.getState().connection.error?.reason).toMatch(/unreachable|closed|timeout/);
    expect(bridge.getClient()).toBeNull();
  });

  it('does not reconnect after a user disconnect, or when auto-reconnect is off', async () => {
    const a = makeBridge(server.url);
    expect(await a.bridge.connect()).toBe(true);
    await a.bridge.disconnect();
    await new Promise((r) => setTimeout(r, 300));
    expect(a.store.getState().connection.state).toBe('closed');
    expect(types(a.store, 'local')).not.toContain('local.reconnecting');

    const b = makeBridge(server.url, { enabled: false, query: { fault: 'drop-after-ms:300' } });
    expect(await b.bridge.connect()).toBe(true);
    await until(() => b.store.getState().connection.state === 'closed', 5000, 'closed after the drop');
    await new Promise((r) => setTimeout(r, 300));
    expect(b.store.getState().connection.state).toBe('closed');
    expect(b.store.getState().connection.error?.reason).toBe('closed');
    expect(types(b.store, 'local')).not.toContain('local.reconnecting');
  });

  it('does not retry a refused key (emulator 1008 invalid_api_key)', async () => {
    const locked = await startTestServer({ EMULATOR_API_KEY: 'k'.repeat(12) }, { synthesizer: null });
    try {
      const { store, bridge } = makeBridge(locked.url);
      expect(await bridge.connect()).toBe(false);
      await new Promise((r) => setTimeout(r, 300));
      expect(store.getState().connection.state).toBe('closed');
      expect(store.getState().connection.error?.reason).toBe('unauthorized');
      expect(types(store, 'local')).not.toContain('local.reconnecting');
    } finally {
      await locked.close();
    }
  });

  it('cancel during the backoff stops the cycle and leaves the state closed', async () => {
    const { store, reconnect, bridge } = makeBridge(server.url, { policy: { baseDelayMs: 5000, maxDelayMs: 5000, jitter: 0 }, query: { fault: 'drop-after-ms:300' } });
    expect(await bridge.connect()).toBe(true);
    await until(() => store.getState().connection.state === 'reconnecting', 5000, 'reconnecting');
    expect(reconnect.getState()).toMatchObject({ active: true, attempt: 1, maxAttempts: 4 });
    expect(reconnect.getState().nextAt).toBeGreaterThan(Date.now());
    bridge.cancelReconnect();
    await until(() => store.getState().connection.state === 'closed', 2000, 'closed');
    expect(reconnect.getState().active).toBe(false);
    expect(types(store, 'local')).toContain('local.reconnect_cancelled');
    expect(bridge.getClient()).toBeNull();
  });
});
