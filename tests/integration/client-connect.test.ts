// Connection behaviour of RealtimeClient against a real `ws` server on loopback: handshake per dialect and auth
// style, URL building, pre-check, typed failures, close codes, session created/updated.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ConnectionError, RealtimeClient, type RealtimeClientOptions, type WebSocketConstructor } from '../../src/lib/realtime';
import { ScriptedServer } from '../helpers/scripted-server';

const WS = WebSocket as unknown as WebSocketConstructor;
const KEY = 'sk-test-SECRET-123';

let server: ScriptedServer;
const clients: RealtimeClient[] = [];

function makeClient(opts: RealtimeClientOptions = {}): RealtimeClient {
  const c = new RealtimeClient({ url: server.url, WebSocket: WS, provider: 'local', connectTimeoutMs: 3000, ...opts });
  clients.push(c);
  return c;
}

beforeEach(async () => {
  server = await ScriptedServer.start();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.reset();
  await server.close();
});

describe('handshake', () => {
  it('beta in Node: Authorization and OpenAI-Beta headers, model and userId URL-encoded', async () => {
    const client = makeClient({ apiKey: KEY, provider: 'xstar', precheck: false });
    const conn = server.nextConnection();
    await client.connect({ model: 'qwen-max@DashScope', userId: 'user 1/ä' });
    const c = await conn;
    expect(c.dialect).toBe('beta');
    expect(c.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(c.headers['openai-beta']).toBe('realtime=v1');
    expect(c.url.pathname).toBe('/v1/realtime');
    expect(c.url.searchParams.get('model')).toBe('qwen-max@DashScope');
    expect(c.url.searchParams.get('userId')).toBe('user 1/ä');
    expect(c.protocols).toEqual([]);
    expect(client.isConnected()).toBe(true);
  });

  it('GA: no beta marker, so the server speaks GA', async () => {
    const client = makeClient({ apiKey: KEY, provider: 'openai', url: server.url });
    const conn = server.nextConnection();
    await client.connect({ model: 'gpt-realtime', userId: 'ignored' });
    const c = await conn;
    expect(c.dialect).toBe('ga');
    expect(c.headers['openai-beta']).toBeUndefined();
    expect(c.headers.authorization).toBe(`Bearer ${KEY}`);
    // The OpenAI profile has no userId parameter.
    expect(c.url.searchParams.has('userId')).toBe(false);
  });

  it('subprotocol auth (browser style): realtime, key and beta marker; the key never reaches events or logs', async () => {
    const logs: string[] = [];
    const client = makeClient({ apiKey: KEY, authStyle: 'subprotocol', debug: (m, d) => logs.push(m + JSON.stringify(d ?? null)) });
    const seen: string[] = [];
    client.on('realtime.event', (e) => seen.push(JSON.stringify(e)));
    client.on('connection.state', (e) => seen.push(JSON.stringify(e)));
    const conn = server.nextConnection();
    await client.connect({ model: 'm' });
    const c = await conn;
    expect(c.protocols).toEqual(['realtime', `openai-insecure-api-key.${KEY}`, 'openai-beta.realtime-v1']);
    expect(c.apiKey).toBe(KEY);
    expect(c.headers.authorization).toBeUndefined();
    client.updateSession({ instructions: 'hi' });
    await client.waitFor('session.updated', { timeoutMs: 2000 });
    expect(seen.length).toBeGreaterThan(2);
    expect(logs.length).toBeGreaterThan(0);
    for (const s of [...seen, ...logs]) expect(s).not.toContain('SECRET');
  });

  it('appends to a URL that already has a query, and leaves out an empty userId', async () => {
    const client = makeClient({ url: `${server.url}?api-version=2025-01-01&reply=long` });
    const conn = server.nextConnection();
    await client.connect({ model: 'emu', userId: '' });
    const c = await conn;
    expect(c.url.searchParams.get('api-version')).toBe('2025-01-01');
    expect(c.url.searchParams.get('reply')).toBe('long');
    expect(c.url.searchParams.get('model')).toBe('emu');
    expect(c.url.searchParams.has('userId')).toBe(false);
  });
});

describe('pre-check', () => {
  it('xStar with a key: GET on the same path and query with Bearer, then the socket', async () => {
    const client = makeClient({ apiKey: KEY, provider: 'xstar' });
    const conn = server.nextConnection();
    await client.connect({ model: 'qwen-max', userId: 'u1' });
    await conn;
    expect(server.precheckRequests).toHaveLength(1);
    expect(server.precheckRequests[0].authorization).toBe(`Bearer ${KEY}`);
    expect(server.precheckRequests[0].url).toBe('/v1/realtime?model=qwen-max&userId=u1');
  });

  it.each([
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [429, 'rate_limited'],
    [404, 'bad_model'],
  ] as const)('HTTP %i becomes ConnectionError(%s) with status and body, and no socket opens', async (status, reason) => {
    server.precheck = { status, body: `{"error":{"message":"nope ${status}"}}` };
    const client = makeClient({ apiKey: KEY, provider: 'xstar' });
    const states: string[] = [];
    const errors: string[] = [];
    client.on('connection.state', (s) => states.push(s.state));
    client.on('error', (e) => errors.push(e.source));
    const err = await client.connect({ model: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    const ce = err as ConnectionError;
    expect(ce.reason).toBe(reason);
    expect(ce.status).toBe(status);
    expect(ce.body).toContain(`nope ${status}`);
    expect(server.connections).toHaveLength(0);
    expect(states).toEqual(['connecting', 'closed']);
    expect(errors).toEqual(['connection']);
    expect(client.isConnected()).toBe(false);
  });

  it('no pre-check without a key, even for xStar', async () => {
    const client = makeClient({ provider: 'xstar' });
    const conn = server.nextConnection();
    await client.connect({ model: 'x' });
    await conn;
    expect(server.precheckRequests).toHaveLength(0);
  });
});

describe('typed failures', () => {
  it('nothing listening: unreachable', async () => {
    const port = server.url.match(/:(\d+)\//)![1];
    await server.close();
    server = await ScriptedServer.start();
    const client = makeClient({ url: `ws://127.0.0.1:${port}/v1/realtime` });
    const err = (await client.connect().catch((e: unknown) => e)) as ConnectionError;
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.reason).toBe('unreachable');
  });

  it('upgrade answered 429: rate_limited with the status', async () => {
    await server.close();
    server = await ScriptedServer.start({ upgradeStatus: 429 });
    const client = makeClient();
    const err = (await client.connect().catch((e: unknown) => e)) as ConnectionError;
    expect(err.reason).toBe('rate_limited');
    expect(err.status).toBe(429);
  });

  it('connect timeout when the server never completes the handshake', async () => {
    const net = await import('node:net');
    const silent = net.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      const client = makeClient({ url: `ws://127.0.0.1:${port}/v1/realtime`, connectTimeoutMs: 300 });
      const err = (await client.connect().catch((e: unknown) => e)) as ConnectionError;
      expect(err.reason).toBe('timeout');
      expect(client.getState()).toBe('closed');
    } finally {
      silent.close();
    }
  });

  it('no session.created: waitForSessionCreated rejects with no_session_created', async () => {
    await server.close();
    server = await ScriptedServer.start({ autoSessionCreated: false });
    const client = makeClient();
    await client.connect();
    const err = (await client.waitForSessionCreated({ timeoutMs: 200 }).catch((e: unknown) => e)) as ConnectionError;
    expect(err.reason).toBe('no_session_created');
    expect(client.listenerCount('session.created')).toBe(0);
    expect(client.listenerCount('close')).toBe(0);
  });

  it.each([
    [4401, 'unauthorized'],
    [4403, 'forbidden'],
    [4429, 'rate_limited'],
    [4502, 'unreachable'],
    [4504, 'timeout'],
    [1011, 'closed'],
  ] as const)('close %i from the relay maps to %s, and close is reported once', async (code, reason) => {
    const client = makeClient();
    const conn = server.nextConnection();
    const closes: { code: number; reason?: string }[] = [];
    const errors: ConnectionError[] = [];
    client.on('close', (c) => closes.push({ code: c.code, reason: c.error?.reason }));
    client.on('error', (e) => {
      if (e.error instanceof ConnectionError) errors.push(e.error);
    });
    await client.connect();
    (await conn).close(code, 'upstream said no');
    await client.waitFor('close', { timeoutMs: 2000 }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    expect(closes).toEqual([{ code, reason }]);
    expect(errors).toHaveLength(1);
    expect(errors[0].code).toBe(code);
    expect(errors[0].closeReason).toBe('upstream said no');
    expect(client.getState()).toBe('closed');
  });

  it('emulator-style auth failure (error invalid_api_key, then close 1008) rejects waitForSessionCreated as unauthorized', async () => {
    await server.close();
    server = await ScriptedServer.start({ autoSessionCreated: false });
    const client = makeClient({ apiKey: 'wrong' });
    const conn = server.nextConnection();
    const serverErrors: (string | null | undefined)[] = [];
    client.on('error', (e) => {
      if (e.source === 'server') serverErrors.push(e.serverError?.code);
    });
    await client.connect();
    const c = await conn;
    const waiting = client.waitForSessionCreated({ timeoutMs: 3000 }).catch((e: unknown) => e);
    c.send({ type: 'error', error: { type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided', param: null, event_id: null } });
    c.close(1008, 'invalid api key');
    const err = (await waiting) as ConnectionError;
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.reason).toBe('unauthorized');
    expect(err.code).toBe(1008);
    expect(serverErrors).toEqual(['invalid_api_key']);
  });

  it('an API key in a browser without the flag is refused with a typed error', () => {
    const g = globalThis as { document?: unknown };
    g.document = {};
    try {
      expect(() => new RealtimeClient({ apiKey: KEY, WebSocket: WS })).toThrow(ConnectionError);
      expect(() => new RealtimeClient({ apiKey: KEY, WebSocket: WS, dangerouslyAllowAPIKeyInBrowser: true })).not.toThrow();
    } finally {
      delete g.document;
    }
  });

  it('client disconnect: states connecting → open → closing → closed, one close without error, conversation cleared', async () => {
    const client = makeClient();
    const states: string[] = [];
    const closes: unknown[] = [];
    client.on('connection.state', (s) => states.push(s.state));
    client.on('close', (c) => closes.push(c));
    const conn = server.nextConnection();
    await client.connect();
    const c = await conn;
    await client.waitForSessionCreated({ timeoutMs: 2000 });
    c.textResponse('hello there');
    await client.waitForNextCompletedItem({ timeoutMs: 2000 });
    expect(client.conversation.getItems()).toHaveLength(1);
    client.disconnect();
    expect(states).toEqual(['connecting', 'open', 'closing', 'closed']);
    expect(closes).toHaveLength(1);
    expect((closes[0] as { error?: unknown }).error).toBeUndefined();
    expect(client.conversation.getItems()).toHaveLength(0);
    const { code } = await c.closed;
    expect(code).toBe(1000);
  });

  it('disconnect during the pre-check or the handshake aborts that connect without an error event', async () => {
    const net = await import('node:net');
    const silent = net.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      const client = makeClient({ url: `ws://127.0.0.1:${port}/v1/realtime`, connectTimeoutMs: 5000 });
      const errors: string[] = [];
      const closes: number[] = [];
      client.on('error', (e) => errors.push(e.message));
      client.on('close', (c) => closes.push(c.code));
      const pending = client.connect().catch((e: unknown) => e);
      const waiting = client.waitForSessionCreated({ timeoutMs: 5000 }).catch((e: unknown) => e);
      await new Promise((r) => setTimeout(r, 50));
      client.disconnect();
      const err = (await pending) as ConnectionError;
      expect(err.reason).toBe('aborted');
      expect(((await waiting) as ConnectionError).reason).toBe('closed');
      expect(client.getState()).toBe('closed');
      expect(errors).toEqual([]);
      expect(closes).toEqual([1000]);

      // Aborted during the pre-check: the socket is never opened afterwards.
      const xs = makeClient({ apiKey: KEY, provider: 'xstar', url: server.url, fetch: () => new Promise<Response>((r) => setTimeout(() => r(new Response('ok')), 100)) });
      const p2 = xs.connect().catch((e: unknown) => e);
      xs.disconnect();
      expect(((await p2) as ConnectionError).reason).toBe('aborted');
      await new Promise((r) => setTimeout(r, 50));
      expect(server.connections).toHaveLength(0);
      expect(xs.getState()).toBe('closed');
    } finally {
      silent.close();
    }
  });

  it('connects and disconnects twenty times without accumulating listeners or sockets', async () => {
    const client = makeClient();
    for (let i = 0; i < 20; i++) {
      const conn = server.nextConnection();
      await client.connect();
      await client.waitForSessionCreated({ timeoutMs: 2000 });
      client.disconnect();
      await (await conn).closed;
    }
    expect(client.listenerCount('session.created')).toBe(0);
    expect(client.listenerCount('close')).toBe(0);
    expect(server.connections).toHaveLength(20);
  });
});

describe('session', () => {
  it('beta: one flat session.update; effective session read back; formats follow it', async () => {
    const client = makeClient();
    const conn = server.nextConnection();
    client.updateSession({ voice: '龙婉', input_audio_format: 'Raw16KHz16BitMonoPcm', output_audio_format: 'Raw8KHz16BitMonoPcm', turn_detection: { type: 'server_vad' }, temperature: 0.7 });
    await client.connect();
    const c = await conn;
    const created = await client.waitForSessionCreated({ timeoutMs: 2000 });
    expect(created.input_audio_format).toBeDefined();
    const update = await c.nextClientEvent('session.update');
    expect(update.session).toEqual({ voice: '龙婉', input_audio_format: 'Raw16KHz16BitMonoPcm', output_audio_format: 'Raw8KHz16BitMonoPcm', turn_detection: { type: 'server_vad' }, temperature: 0.7 });
    await client.waitFor('session.updated', { timeoutMs: 2000 });
    expect(client.getEffectiveSession()?.output_audio_format).toBe('Raw8KHz16BitMonoPcm');
    expect(client.conversation.getFormats().output.sampleRate).toBe(8000);
    expect(client.conversation.getFormats().input.sampleRate).toBe(16000);
    expect(client.getTurnDetectionType()).toBe('server_vad');
    expect(c.eventsOfType('session.update')).toHaveLength(1);
  });

  it('GA: the same config written nested with session.type, temperature dropped', async () => {
    const client = makeClient({ provider: 'openai', url: server.url });
    const conn = server.nextConnection();
    await client.connect({ model: 'gpt-realtime' });
    const c = await conn;
    const r = client.updateSession({ modalities: ['text', 'audio'], instructions: 'be brief', voice: 'marin', input_audio_format: 'pcm16', output_audio_format: 'g711_ulaw', input_audio_transcription: { model: 'whisper-1' }, turn_detection: null, temperature: 0.8, max_response_output_tokens: 200 });
    expect(r.dropped).toEqual(['temperature']);
    const update = await c.nextClientEvent('session.update');
    expect(update.session).toEqual({
      type: 'realtime',
      output_modalities: ['audio'],
      instructions: 'be brief',
      max_output_tokens: 200,
      audio: {
        input: { format: { type: 'audio/pcm', rate: 24000 }, transcription: { model: 'whisper-1' }, turn_detection: null },
        output: { voice: 'marin', format: { type: 'audio/pcmu' } },
      },
    });
    await client.waitFor('session.updated', { timeoutMs: 2000 });
    expect(client.getEffectiveSession()?.voice).toBe('marin');
    expect(client.conversation.getFormats().output.encoding).toBe('g711_ulaw');
  });

  it('addTool and removeTool both update the session', async () => {
    const client = makeClient();
    const conn = server.nextConnection();
    await client.connect();
    const c = await conn;
    client.addTool({ name: 'get_time', description: 'time', parameters: { type: 'object', properties: {} } }, () => '12:00');
    const first = await c.nextClientEvent('session.update');
    expect((first.session as { tools: { name: string; type: string }[] }).tools).toEqual([{ name: 'get_time', description: 'time', parameters: { type: 'object', properties: {} }, type: 'function' }]);
    client.removeTool('get_time');
    const second = await c.nextClientEvent('session.update');
    expect((second.session as { tools: unknown[] }).tools).toEqual([]);
    expect(() => client.removeTool('get_time')).toThrow(/does not exist/);
    client.addTool({ name: 'a' }, () => 1);
    expect(() => client.addTool({ name: 'a' }, () => 2)).toThrow(/already/);
  });
});
