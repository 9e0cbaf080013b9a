// The session bridge against the REAL emulator in Node: real RealtimeClient over `ws`, real stores, and an audio
// layer without devices (Node has no AudioContext) that can feed recorded frames like a microphone.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { WebSocket } from 'ws';
import { SessionBridge } from '../../src/app/bridge';
import { NullAudioLayer } from '../../src/app/audio-layer';
import { createAppStore } from '../../src/app/app-store';
import { createConsoleStore, type ConsoleStore } from '../../src/store';
import type { WebSocketConstructor } from '../../src/lib/realtime/transport';
import { decodeWav } from '../../src/lib/dsp/wav';
import { startTestServer } from '../helpers/server-harness';
import { FeedAudioLayer, tick, until } from '../helpers/bridge-harness';
import { createSynthesizer } from '../../src/server/tts';

type Server = Awaited<ReturnType<typeof startTestServer>>;

/** A pushed "microphone" where half of what was queued for the current track counts as heard. */
class HalfHeardAudioLayer extends FeedAudioLayer {
  override async interrupt() {
    const r = await super.interrupt();
    return r ? { trackId: r.trackId, offset: Math.floor((this.played.get(r.trackId) ?? 0) / 2) } : null;
  }
}

const live: (() => Promise<void>)[] = [];

function makeBridge(server: Server, opts: { audio?: NullAudioLayer; query?: Record<string, string>; setup?: (store: ConsoleStore) => void } = {}) {
  const store = createConsoleStore({ storage: null });
  const app = createAppStore({ persist: false });
  opts.setup?.(store);
  const audio = opts.audio ?? new NullAudioLayer();
  const bridge = new SessionBridge({
    store,
    appStore: app,
    audio,
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    origin: server.url,
    schedule: tick,
    statsIntervalMs: 50,
    applyDebounceMs: 10,
    query: opts.query,
  });
  const stop = bridge.start();
  let disposed: Promise<void> | null = null;
  const dispose = () => (disposed ??= Promise.resolve(stop()));
  live.push(dispose);
  return { store, app, audio, bridge, dispose };
}

const loggedTypes = (store: ConsoleStore, direction: 'client' | 'server') =>
  [...store.getState().events.log].filter((e) => e.direction === direction).map((e) => e.type);

describe('session bridge ↔ emulator', () => {
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

  it('connects, configures the session once, greets, and the greeting reply lands in the conversation', async () => {
    const { store, bridge, dispose } = makeBridge(server);
    expect(store.getState().connection.userId).toMatch(/^rc_[0-9a-f]{16}$/);
    expect(await bridge.connect()).toBe(true);
    expect(store.getState().connection.state).toBe('open');
    await until(() => Object.values(store.getState().conversation.items).some((i) => i.role === 'assistant' && i.status === 'completed'), 15_000, 'assistant reply');
    const s = store.getState();
    const items = s.conversation.order.map((id) => s.conversation.items[id]);
    expect(items[0].role).toBe('user');
    expect(items[0].text).toContain('用户上线了');
    const reply = items.find((i) => i.role === 'assistant')!;
    expect((reply.text + reply.transcript).length).toBeGreaterThan(0);
    await until(() => loggedTypes(store, 'server').includes('response.done'), 5000, 'response.done in the log');
    const sent = loggedTypes(store, 'client');
    expect(sent.filter((t) => t === 'session.update')).toHaveLength(1);
    expect(sent.indexOf('session.update')).toBeLessThan(sent.indexOf('conversation.item.create'));
    expect(sent).toContain('response.create');
    expect(loggedTypes(store, 'server')).toContain('session.created');
    // The server echoed the requested config: formats and voice compare equal.
    await until(() => store.getState().session.effective !== null, 5000, 'effective session');
    const eff = store.getState().session.effective as { voice?: string };
    expect(eff.voice).toBe('龙婉');
    // Metrics: one turn for the greeting with created and done.
    const turn = store.getState().metrics.turns[0];
    expect(turn.textSentAt).toBeTypeOf('number');
    expect(turn.responseCreatedAt).toBeTypeOf('number');
    expect(turn.doneAt).toBeTypeOf('number');
    await bridge.disconnect();
    expect(store.getState().connection.state).toBe('closed');
    expect(bridge.getClient()).toBeNull();
    // The store keeps the conversation after disconnect.
    expect(store.getState().conversation.order.length).toBeGreaterThanOrEqual(2);
    await dispose();
  });

  it('applies session edits on change while connected and records the effective config', async () => {
    const { store, bridge, dispose } = makeBridge(server, {
      setup: (s) => s.getState().updateRequested({ greeting: { enabled: false, text: '', kind: 'input_text' } }),
    });
    await bridge.connect();
    store.getState().updateRequested({ voice: '龙小淳' });
    await until(() => (store.getState().session.effective as { voice?: string } | null)?.voice === '龙小淳', 5000, 'session.updated with the new voice');
    expect(store.getState().session.dirty).toBe(false);
    expect(loggedTypes(store, 'client').filter((t) => t === 'session.update')).toHaveLength(2);
    // No greeting was sent.
    expect(loggedTypes(store, 'client')).not.toContain('conversation.item.create');
    await dispose();
  });

  it('shows a typed error when the emulator refuses the key, and stays usable', async () => {
    const locked = await startTestServer({ EMULATOR_API_KEY: 'secret-key-123456' }, { synthesizer: null });
    try {
      const { store, bridge, dispose } = makeBridge(locked);
      expect(await bridge.connect()).toBe(false);
      const err = store.getState().connection.error;
      expect(err?.reason).toBe('unauthorized');
      expect(err?.remedyKey).toBe('conn.remedy.unauthorized');
      expect(store.getState().connection.state).toBe('closed');
      expect(bridge.getClient()).toBeNull();
      await dispose();
    } finally {
      await locked.close();
    }
  });

  it('reports an unreachable server with its remedy', async () => {
    const { store, bridge, dispose } = makeBridge(server, {
      setup: (s) => s.getState().setProfileFields({ url: 'ws://127.0.0.1:9/v1/realtime' }),
    });
    expect(await bridge.connect()).toBe(false);
    expect(store.getState().connection.error?.reason).toBe('unreachable');
    expect(store.getState().connection.error?.remedyKey).toBe('conn.remedy.unreachable');
    await dispose();
  });

  it('answers client tool calls automatically, or from the queue when auto-respond is off', async () => {
    const tool = { type: 'function' as const, name: 'lookup', description: 'test tool', parameters: { type: 'object', properties: { q: { type: 'string' } } } };
    const { store, app, bridge, dispose } = makeBridge(server, {
      setup: (s) => s.getState().updateRequested({ tools: [tool], greeting: { enabled: false, text: '', kind: 'input_text' } }),
    });
    app.setState({ tools: { autoRespond: true, results: { lookup: '{"answer":42}' } } });
    await bridge.connect();
    bridge.sendText('/tool lookup {"q":"x"}', 'input_text');
    await until(() => Object.values(store.getState().conversation.items).some((i) => i.type === 'function_call' && i.tool?.output === '{"answer":42}'), 10_000, 'auto tool output');
    // One follow-up response after the output (the tool runner's single response.create), then idle.
    await until(() => loggedTypes(store, 'server').filter((t) => t === 'response.done').length === 2, 10_000, 'follow-up response');
    // Then manual answers.
    app.setState({ tools: { autoRespond: false, results: {} } });
    bridge.sendText('/tool lookup {"q":"y"}', 'input_text');
    await until(() => app.getState().pendingCalls.length === 1, 10_000, 'pending call');
    const call = app.getState().pendingCalls[0];
    expect(call.name).toBe('lookup');
    expect(JSON.parse(call.arguments)).toEqual({ q: 'y' });
    bridge.answerToolCall(call.callId, '{"typed":true}');
    await until(() => Object.values(store.getState().conversation.items).some((i) => i.tool?.callId === call.callId && i.tool.output === '{"typed":true}'), 10_000, 'typed tool output');
    expect(app.getState().pendingCalls).toHaveLength(0);
    await dispose();
  });

  it('push-to-talk: a too-short press clears the buffer; a real press commits and gets a reply', async () => {
    const audio = new HalfHeardAudioLayer();
    const wav = decodeWav(new Uint8Array(readFileSync('tests/fixtures/audio/zh-hello.wav')));
    const { store, bridge, dispose } = makeBridge(server, {
      audio,
      setup: (s) => s.getState().updateRequested({ turnDetection: { mode: 'manual' }, greeting: { enabled: false, text: '', kind: 'input_text' } }),
    });
    await bridge.connect();
    // Release before any audio (and before the recorder was even asked): safe, and nothing is committed.
    bridge.pttStart();
    await bridge.pttEnd();
    bridge.pttStart();
    await until(() => audio.isRecording(), 2000, 'recording');
    audio.feed(wav.samples.subarray(0, 640)); // 40 ms
    await bridge.pttEnd();
    await until(() => loggedTypes(store, 'client').includes('input_audio_buffer.clear'), 2000, 'clear in the log');
    let sent = loggedTypes(store, 'client');
    expect(sent).not.toContain('input_audio_buffer.commit');
    bridge.pttStart();
    await until(() => audio.isRecording(), 2000, 'recording');
    audio.feed(wav.samples);
    await bridge.pttEnd();
    await until(() => loggedTypes(store, 'client').includes('response.create'), 2000, 'response.create in the log');
    sent = loggedTypes(store, 'client');
    expect(sent.filter((t) => t === 'input_audio_buffer.commit')).toHaveLength(1);
    expect(sent.lastIndexOf('response.create')).toBeGreaterThan(sent.indexOf('input_audio_buffer.commit'));
    await until(() => Object.values(store.getState().conversation.items).some((i) => i.role === 'assistant' && i.status === 'completed'), 15_000, 'reply to the voice turn');
    const user = Object.values(store.getState().conversation.items).find((i) => i.role === 'user');
    expect(user?.audio?.samples).toBeGreaterThan(wav.samples.length * 0.9);
    expect(user?.audio?.sampleRate).toBe(16000);
    // The assistant's audio went to the player at the output rate (8 kHz) – only if the emulator speaks.
    await dispose();
  });

  it('twenty connect/disconnect cycles leave no client, listener or server session behind', async () => {
    const { bridge, store, dispose } = makeBridge(server, {
      setup: (s) => s.getState().updateRequested({ greeting: { enabled: false, text: '', kind: 'input_text' } }),
    });
    const clients = [];
    for (let i = 0; i < 20; i++) {
      expect(await bridge.connect()).toBe(true);
      clients.push(bridge.getClient()!);
      await bridge.disconnect();
    }
    for (const c of clients) {
      expect(c.listenerCount('realtime.event')).toBe(0);
      expect(c.listenerCount('conversation.updated')).toBe(0);
      expect(c.isConnected()).toBe(false);
    }
    await until(() => server.realtime.emulator.sessionCount === 0, 5000, 'server sessions to close');
    expect(store.getState().connection.state).toBe('closed');
    await dispose();
  });

  it('half duplex: playback pauses the microphone and idle resumes it; full duplex leaves it on', async () => {
    const audio = new HalfHeardAudioLayer();
    const { store, bridge } = makeBridge(server, {
      audio,
      setup: (s) => s.getState().updateRequested({ greeting: { enabled: false, text: '', kind: 'input_text' } }),
    });
    await bridge.connect();
    await until(() => audio.isRecording(), 2000, 'VAD recording');
    audio.onPlay?.();
    await new Promise((r) => setTimeout(r, 20));
    expect(audio.isRecording()).toBe(true); // full duplex by default
    bridge.setDuplex('half');
    audio.onPlay?.();
    await until(() => !audio.isRecording() && !store.getState().audio.capturing, 2000, 'paused while the assistant speaks');
    audio.onIdle?.();
    await until(() => audio.isRecording() && store.getState().audio.capturing, 2000, 'resumed after playback');
  });
});

describe('session bridge ↔ emulator with speech synthesis', () => {
  let server: Server;
  let synth: Awaited<ReturnType<typeof createSynthesizer>>;
  beforeAll(async () => {
    synth = await createSynthesizer();
    server = await startTestServer({}, { synthesizer: synth, emulatorPacingSpeed: 4 });
  });
  afterAll(async () => {
    await server.close();
    await synth.close();
  });
  afterEach(async () => {
    for (const d of live.splice(0)) await d();
  });

  it('full-duplex barge-in: speech during a reply stops playback, cancels and truncates at what was heard', async () => {
    const audio = new HalfHeardAudioLayer();
    const wav = decodeWav(new Uint8Array(readFileSync('tests/fixtures/audio/zh-hello.wav')));
    const { store, bridge } = makeBridge(server, { audio, query: { reply: 'long' } });
    await bridge.connect();
    await until(() => audio.isRecording(), 5000, 'VAD recording');
    // The greeting's (long) reply starts playing.
    await until(() => [...audio.played.values()].some((n) => n > 8000), 20_000, 'reply audio');
    const trackId = [...audio.played.keys()][0];
    audio.feed(wav.samples);
    await until(() => loggedTypes(store, 'client').includes('conversation.item.truncate'), 10_000, 'truncate sent');
    const entries = [...store.getState().events.log];
    const truncate = entries.find((e) => e.type === 'conversation.item.truncate')!.event as { item_id: string; audio_end_ms: number };
    expect(truncate.item_id).toBe(trackId);
    expect(truncate.audio_end_ms).toBeGreaterThan(0);
    // No audio of the interrupted item is played after the interrupt.
    const playedAtInterrupt = audio.played.get(trackId)!;
    await until(() => store.getState().conversation.items[trackId]?.truncatedAtMs !== undefined, 10_000, 'item marked truncated');
    expect(audio.played.get(trackId)).toBe(playedAtInterrupt);
    expect(store.getState().conversation.items[trackId].truncatedAtMs).toBe(truncate.audio_end_ms);
  });
});

describe('setup check', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startTestServer({}, { synthesizer: null });
  });
  afterAll(async () => {
    await server.close();
  });
  afterEach(async () => {
    for (const d of live.splice(0)) await d();
  });

  it('reports the microphone, the server and the key; an unreachable URL fails the server check', async () => {
    const { bridge, app, store } = makeBridge(server);
    let results = await bridge.runSetupCheck();
    expect(results.map((r) => `${r.id}:${r.status}`)).toEqual(['microphone:fail', 'server:warn', 'key:ok']);
    expect(app.getState().setup.running).toBe(false);
    expect(results[2].message).toBe('No key needed');
    store.getState().setProfileFields({ url: 'ws://127.0.0.1:9/v1/realtime' });
    results = await bridge.runSetupCheck();
    expect(results.find((r) => r.id === 'server')?.status).toBe('fail');
    expect(results.find((r) => r.id === 'key')?.status).toBe('warn');
  });

  it('a locked emulator fails the key pre-check with 401', async () => {
    const locked = await startTestServer({ EMULATOR_API_KEY: 'secret-key-123456' }, { synthesizer: null });
    try {
      const { bridge } = makeBridge(locked);
      const results = await bridge.runSetupCheck();
      const key = results.find((r) => r.id === 'key')!;
      expect(key.status).toBe('fail');
      expect(key.message).toContain('HTTP 401');
    } finally {
      await locked.close();
    }
  });
});
