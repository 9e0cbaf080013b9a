import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectClient, startStubUpstream, startTestServer, type StubUpstream, type TestClient } from '../helpers/server-harness';

const KEY = 'sk-relay-test-0123456789abcdef';

describe('relay: a thin pass-through to a stub upstream', () => {
  let stub: StubUpstream;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let relayUrl: string;
  let origin: string;
  const clients: TestClient[] = [];
  const open = async (query = '?model=m1&userId=u1', protocols: string[] = [], headers: Record<string, string> = {}) => {
    const client = await connectClient(`${relayUrl}${query}`, protocols, { headers: { Origin: origin, ...headers } });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    stub = await startStubUpstream();
    server = await startTestServer(
      { REALTIME_API_KEY: KEY, REALTIME_UPSTREAM_URL: stub.wsUrl },
      { relayLimits: { handshakeTimeoutMs: 2500, maxQueueBytes: 256 * 1024 } },
    );
    relayUrl = `ws://127.0.0.1:${server.port}/relay/v1/realtime`;
    origin = `http://localhost:${server.port}`;
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.ws.terminate();
  });
  afterAll(async () => {
    await server.close();
    await stub.close();
  });

  it('adds the server key, keeps model and userId, maps the beta marker, never forwards the browser key', async () => {
    const upstreamP = stub.nextConnection();
    const client = await open('?model=qwen-max%40DashScope&userId=alice', ['realtime', 'openai-insecure-api-key.browser-secret', 'openai-beta.realtime-v1']);
    const upstream = await upstreamP;
    expect(client.ws.protocol).toBe('realtime');
    expect(upstream.req.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(upstream.req.headers['openai-beta']).toBe('realtime=v1');
    const url = new URL(upstream.req.url ?? '', 'http://x');
    expect(url.pathname).toBe('/v1/realtime');
    expect(url.searchParams.get('model')).toBe('qwen-max@DashScope');
    expect(url.searchParams.get('userId')).toBe('alice');
    expect(JSON.stringify(upstream.req.headers)).not.toContain('browser-secret');
    expect(upstream.req.headers['sec-websocket-protocol']).toBeUndefined();
  });

  it('speaks GA upstream (no beta header) when the browser offers no beta marker', async () => {
    const upstreamP = stub.nextConnection();
    const client = await open('?model=gpt-realtime');
    const upstream = await upstreamP;
    expect(client.ws.protocol).toBe('');
    expect(upstream.req.headers['openai-beta']).toBeUndefined();
    expect(upstream.req.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('relays frames byte-identical both ways, text as text and binary as binary, in order', async () => {
    const upstreamP = stub.nextConnection();
    const client = await open();
    const upstream = await upstreamP;
    const texts = ['{"type":"session.update","session":{"voice":"龙婉"}}', '{ "odd" :  "spacing",\n"type":"x" }', 'not json at all', '😀'.repeat(1000)];
    const blobs = [randomBytes(1), randomBytes(70_000), randomBytes(3)];
    for (const t of texts) client.ws.send(t);
    for (const b of blobs) client.ws.send(b);
    await expect.poll(() => upstream.frames.length).toBe(texts.length + blobs.length);
    expect(upstream.frames.map((f) => f.binary)).toEqual([...texts.map(() => false), ...blobs.map(() => true)]);
    texts.forEach((t, i) => expect(upstream.frames[i].data.equals(Buffer.from(t, 'utf8'))).toBe(true));
    blobs.forEach((b, i) => expect(upstream.frames[texts.length + i].data.equals(b)).toBe(true));

    for (const t of texts) upstream.ws.send(t);
    for (const b of blobs) upstream.ws.send(b);
    await expect.poll(() => client.frames.length).toBe(texts.length + blobs.length);
    texts.forEach((t, i) => {
      expect(client.frames[i].binary).toBe(false);
      expect(client.frames[i].data.equals(Buffer.from(t, 'utf8'))).toBe(true);
    });
    blobs.forEach((b, i) => {
      expect(client.frames[texts.length + i].binary).toBe(true);
      expect(client.frames[texts.length + i].data.equals(b)).toBe(true);
    });
  });

  it('queues what the browser sends before the upstream opens and delivers it in order', async () => {
    stub.delayNext(300);
    const upstreamP = stub.nextConnection();
    const client = await open();
    for (let i = 0; i < 20; i++) client.send({ type: 'input_audio_buffer.append', seq: i });
    const upstream = await upstreamP;
    await expect.poll(() => upstream.frames.length).toBe(20);
    expect(upstream.frames.map((f) => JSON.parse(f.data.toString()).seq)).toEqual([...Array(20).keys()]);
  });

  it('holds a fast browser back (pauses it) rather than queueing without bound, and loses nothing', async () => {
    stub.delayNext(500);
    const upstreamP = stub.nextConnection();
    const client = await open();
    const chunk = 'x'.repeat(64 * 1024); // 8 × 64 KiB = twice the 256 KiB queue limit of this server
    for (let i = 0; i < 8; i++) client.ws.send(`${i}${chunk}`);
    const upstream = await upstreamP;
    await expect.poll(() => upstream.frames.length).toBe(8);
    expect(upstream.frames.map((f) => f.data.toString('utf8', 0, 1))).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
  });

  it('bounds that queue: a frame that overflows it closes the browser with 1013', async () => {
    stub.delayNext(500);
    const client = await open();
    client.ws.send('y'.repeat(300 * 1024));
    const closed = await client.closed;
    expect(closed.code).toBe(1013);
    expect(closed.reason).toMatch(/queue/);
  });

  it('propagates close codes and reasons both ways', async () => {
    let upstreamP = stub.nextConnection();
    let client = await open();
    let upstream = await upstreamP;
    upstream.ws.close(4000, 'upstream says bye');
    expect(await client.closed).toEqual({ code: 4000, reason: 'upstream says bye' });

    upstreamP = stub.nextConnection();
    client = await open();
    upstream = await upstreamP;
    client.ws.close(4100, 'browser says bye');
    expect(await upstream.closed).toEqual({ code: 4100, reason: 'browser says bye' });

    upstreamP = stub.nextConnection();
    client = await open();
    upstream = await upstreamP;
    upstream.ws.terminate(); // abnormal: no close frame
    expect((await client.closed).code).toBe(4502);
  });

  it.each([
    [401, 4401, '{"error":{"message":"Incorrect API key provided"}}', /401.*Incorrect API key/],
    [403, 4403, '{"error":{"message":"forbidden"}}', /403/],
    [429, 4429, '{"error":{"message":"Rate limit reached"}}', /429.*Rate limit/],
    [404, 4404, '{"error":{"message":"model not found"}}', /404/],
    [500, 4502, 'boom', /500/],
  ])('maps an upstream HTTP %i at the upgrade to close code %i with a reason', async (status, code, body, reason) => {
    stub.refuseNext(status, body);
    const client = await open();
    const closed = await client.closed;
    expect(closed.code).toBe(code);
    expect(closed.reason).toMatch(reason);
    expect(closed.reason).not.toContain(KEY);
  });

  it('reports an unreachable upstream as 4502 and a silent one as 4504', async () => {
    const dead = await startTestServer(
      { REALTIME_API_KEY: KEY, REALTIME_UPSTREAM_URL: 'ws://127.0.0.1:1/v1/realtime' },
      {},
    );
    try {
      const client = await connectClient(`ws://127.0.0.1:${dead.port}/relay/v1/realtime?model=m`, [], { headers: { Origin: `http://127.0.0.1:${dead.port}` } });
      const closed = await client.closed;
      expect(closed.code).toBe(4502);
      expect(closed.reason).toMatch(/unreachable/);
    } finally {
      await dead.close();
    }
    stub.hangNext();
    const client = await open();
    const closed = await client.closed;
    expect(closed.code).toBe(4504);
  });

  it('closes frames over 16 MiB with 1009 and never forwards them', async () => {
    const upstreamP = stub.nextConnection();
    const client = await open();
    const upstream = await upstreamP;
    client.ws.send('first'); // once it arrives, the relay's upstream socket is open
    await expect.poll(() => upstream.frames.length).toBe(1);
    client.ws.send(Buffer.alloc(16 * 1024 * 1024 + 1, 1));
    const closed = await client.closed;
    expect(closed.code).toBe(1009);
    await upstream.closed;
    expect(upstream.frames.length).toBe(1);
  });

  it('applies backpressure: a browser that stops reading stops the upstream being read', async () => {
    const upstreamP = stub.nextConnection();
    const client = await open();
    const upstream = await upstreamP;
    client.ws.pause();
    const frame = Buffer.alloc(1024 * 1024, 7);
    for (let i = 0; i < 64; i++) upstream.ws.send(frame);
    await new Promise((r) => setTimeout(r, 500));
    // Without backpressure the relay would have read all 64 MiB; with it most of it still waits upstream.
    expect(upstream.ws.bufferedAmount).toBeGreaterThan(24 * 1024 * 1024);
    client.ws.resume();
    await expect.poll(() => client.frames.length, { timeout: 10_000 }).toBe(64);
    expect(client.frames.every((f) => f.binary && f.data.length === frame.length)).toBe(true);
  });

  it('forwards the REST calls with the key: models, voice list and the pre-check', async () => {
    stub.rest = (req, res) => {
      const status = req.url?.startsWith('/v1/realtime?') && req.url.includes('model=bad') ? 401 : 200;
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ path: req.url, auth: req.headers.authorization === `Bearer ${KEY}` }));
    };
    const base = `http://127.0.0.1:${server.port}/relay/v1`;
    const models = await fetch(`${base}/models`, { headers: { Origin: origin } });
    expect(models.status).toBe(200);
    expect(await models.json()).toEqual({ path: '/v1/models', auth: true });
    const voices = await fetch(`${base}/realtime/voiceList`);
    expect(await voices.json()).toEqual({ path: '/v1/realtime/voiceList', auth: true });
    const precheck = await fetch(`${base}/realtime?model=m1&userId=u1`, { headers: { Authorization: 'Bearer browser-dummy' } });
    expect(precheck.status).toBe(200);
    expect(await precheck.json()).toEqual({ path: '/v1/realtime?model=m1&userId=u1', auth: true });
    const refused = await fetch(`${base}/realtime?model=bad`);
    expect(refused.status).toBe(401);
    const foreign = await fetch(`${base}/models`, { headers: { Origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
  });

  it('never sends the key to the browser', async () => {
    const info = await (await fetch(`http://127.0.0.1:${server.port}/api/server-info`)).text();
    expect(JSON.parse(info).relay).toEqual({ enabled: true, upstream: stub.wsUrl, tokenRequired: false });
    expect(info).not.toContain(KEY);
    expect(server.logs.join('\n')).not.toContain(KEY);
  });
});

describe('relay: who may connect', () => {
  let stub: StubUpstream;
  beforeAll(async () => {
    stub = await startStubUpstream();
  });
  afterAll(async () => {
    await stub.close();
  });

  it('accepts its own origin (localhost and 127.0.0.1 alike) and requests without Origin from loopback; refuses others with 403', async () => {
    const server = await startTestServer({ REALTIME_API_KEY: KEY, REALTIME_UPSTREAM_URL: stub.wsUrl });
    try {
      const url = `ws://127.0.0.1:${server.port}/relay/v1/realtime?model=m`;
      for (const origin of [`http://localhost:${server.port}`, `http://127.0.0.1:${server.port}`, undefined]) {
        const client = await connectClient(url, [], { headers: origin ? { Origin: origin } : {} });
        client.ws.close();
        await client.closed;
      }
      for (const origin of ['https://evil.example', `http://localhost:${server.port + 1}`, `https://localhost:${server.port}`, 'null']) {
        const refused = await connectClient(url, [], { headers: { Origin: origin } }).then(
          () => null,
          (error: { status?: number }) => error.status,
        );
        expect(refused, origin).toBe(403);
      }
      expect(server.logs.some((l) => /refused \(403\)/.test(l))).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('follows RELAY_ALLOWED_ORIGINS when set', async () => {
    const server = await startTestServer({
      REALTIME_API_KEY: KEY,
      REALTIME_UPSTREAM_URL: stub.wsUrl,
      RELAY_ALLOWED_ORIGINS: 'https://console.example, http://127.0.0.1:5173',
    });
    try {
      const url = `ws://127.0.0.1:${server.port}/relay/v1/realtime?model=m`;
      for (const origin of ['https://console.example', 'http://localhost:5173']) {
        const client = await connectClient(url, [], { headers: { Origin: origin } });
        client.ws.close();
      }
      const refused = await connectClient(url, [], { headers: { Origin: `http://localhost:${server.port}` } }).then(
        () => null,
        (error: { status?: number }) => error.status,
      );
      expect(refused).toBe(403);
    } finally {
      await server.close();
    }
  });

  it('with RELAY_ACCESS_TOKEN, wants that token as the API key (subprotocol or bearer) and never forwards it', async () => {
    const server = await startTestServer({ REALTIME_API_KEY: KEY, REALTIME_UPSTREAM_URL: stub.wsUrl, RELAY_ACCESS_TOKEN: 'relay-pass-123' });
    try {
      const url = `ws://127.0.0.1:${server.port}/relay/v1/realtime?model=m`;
      const origin = { Origin: `http://localhost:${server.port}` };
      const refused = await connectClient(url, ['realtime'], { headers: origin }).then(
        () => null,
        (error: { status?: number }) => error.status,
      );
      expect(refused).toBe(401);
      const wrong = await connectClient(url, ['realtime', 'openai-insecure-api-key.nope'], { headers: origin }).then(
        () => null,
        (error: { status?: number }) => error.status,
      );
      expect(wrong).toBe(401);
      const upstreamP = stub.nextConnection();
      const browser = await connectClient(url, ['realtime', 'openai-insecure-api-key.relay-pass-123'], { headers: origin });
      const upstream = await upstreamP;
      expect(upstream.req.headers.authorization).toBe(`Bearer ${KEY}`);
      expect(JSON.stringify(upstream.req.headers)).not.toContain('relay-pass-123');
      browser.ws.close();
      const node = await connectClient(url, [], { headers: { Authorization: 'Bearer relay-pass-123' } });
      node.ws.close();
      stub.rest = (_req, res) => res.end('{}');
      expect((await fetch(`http://127.0.0.1:${server.port}/relay/v1/models`)).status).toBe(401);
      expect((await fetch(`http://127.0.0.1:${server.port}/relay/v1/models`, { headers: { Authorization: 'Bearer relay-pass-123' } })).status).toBe(200);
      const info = (await (await fetch(`http://127.0.0.1:${server.port}/api/server-info`)).json()) as { relay: { tokenRequired: boolean } };
      expect(info.relay.tokenRequired).toBe(true);
      expect(server.logs.join('\n')).not.toContain('relay-pass-123');
    } finally {
      await server.close();
    }
  });

  it('is absent without a key: 404 on the socket path and relay_disabled on REST', async () => {
    const server = await startTestServer({ REALTIME_UPSTREAM_URL: stub.wsUrl });
    try {
      const status = await connectClient(`ws://127.0.0.1:${server.port}/relay/v1/realtime`).then(
        () => null,
        (error: { status?: number }) => error.status,
      );
      expect(status).toBe(404);
      const res = await fetch(`http://127.0.0.1:${server.port}/relay/v1/models`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('relay_disabled');
      const info = (await (await fetch(`http://127.0.0.1:${server.port}/api/server-info`)).json()) as { relay: { enabled: boolean } };
      expect(info.relay.enabled).toBe(false);
    } finally {
      await server.close();
    }
  });
});

describe('relay: recording', () => {
  it('writes every frame to JSONL with keys redacted', async () => {
    const stub = await startStubUpstream();
    const dir = mkdtempSync(join(tmpdir(), 'rc-record-'));
    const server = await startTestServer({ REALTIME_API_KEY: KEY, REALTIME_UPSTREAM_URL: stub.wsUrl, RECORD_DIR: dir });
    try {
      const upstreamP = stub.nextConnection();
      const client = await connectClient(`ws://127.0.0.1:${server.port}/relay/v1/realtime?model=m`, ['realtime', 'openai-insecure-api-key.sk-browserkey123456'], {
        headers: { Authorization: 'Bearer sk-headerkey1234567' },
      });
      const upstream = await upstreamP;
      client.send({ type: 'session.update', note: `my key is ${KEY}` });
      client.ws.send(Buffer.from([1, 2, 3]));
      upstream.ws.send(JSON.stringify({ type: 'session.created' }));
      await client.waitFor(() => true);
      await expect.poll(() => upstream.frames.length).toBe(2);
      client.ws.close(1000, 'done');
      await client.closed;
      await expect.poll(() => readdirSync(dir).length).toBe(1);
      const file = join(dir, readdirSync(dir)[0]);
      await expect.poll(() => readFileSync(file, 'utf8').includes('client-close'), { timeout: 5000 }).toBe(true);
      const text = readFileSync(file, 'utf8');
      const lines = text.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; from?: string; binary?: boolean; base64?: string; text?: string });
      const fromClient = lines.filter((l) => l.kind === 'frame' && l.from === 'client');
      const fromUpstream = lines.filter((l) => l.kind === 'frame' && l.from === 'upstream');
      expect(fromClient.map((f) => f.binary)).toEqual([false, true]);
      expect(fromUpstream.map((f) => f.text)).toEqual(['{"type":"session.created"}']);
      expect(fromClient[1].base64).toBe(Buffer.from([1, 2, 3]).toString('base64'));
      expect(fromClient[0].text).toContain('[redacted]');
      expect(lines.some((l) => l.kind === 'note')).toBe(true);
      for (const secret of [KEY, 'sk-browserkey123456', 'sk-headerkey1234567']) expect(text).not.toContain(secret);
    } finally {
      await server.close();
      await stub.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('relay: shutdown', () => {
  it('closes both sides with 1001 when the server stops', async () => {
    const stub = await startStubUpstream();
    const server = await startTestServer({ REALTIME_API_KEY: KEY, REALTIME_UPSTREAM_URL: stub.wsUrl });
    try {
      const upstreamP = stub.nextConnection();
      const client = await connectClient(`ws://127.0.0.1:${server.port}/relay/v1/realtime?model=m`);
      const upstream = await upstreamP;
      client.ws.send('ping'); // once it arrives, the relay's upstream socket is open
      await expect.poll(() => upstream.frames.length).toBe(1);
      await server.close();
      expect([(await client.closed).code, (await upstream.closed).code]).toEqual([1001, 1001]);
      expect(server.realtime.relay?.connectionCount).toBe(0);
    } finally {
      await server.close();
      await stub.close();
    }
  });
});
