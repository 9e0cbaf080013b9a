import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer as createViteServer, type ViteDevServer } from 'vite';
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import { connectClient, startTestServer } from '../helpers/server-harness';
import { realtimeServerPlugin } from '../../src/server/vite-plugin';

describe('REST endpoints and pre-check of the embedded server', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let base: string;
  beforeAll(async () => {
    server = await startTestServer({ EMULATOR_API_KEY: 'sk-emulator-only' }, { synthesizer: null });
    base = `http://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server.close();
  });

  it('GET /v1/models lists models in the OpenAI shape', async () => {
    const res = await fetch(`${base}/v1/models`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await res.json()) as { object: string; data: { id: string; object: string; owned_by: string }[] };
    expect(body.object).toBe('list');
    expect(body.data.length).toBeGreaterThan(0);
    for (const m of body.data) {
      expect(typeof m.id).toBe('string');
      expect(m.object).toBe('model');
      expect(typeof m.owned_by).toBe('string');
    }
  });

  it('GET /v1/realtime/voiceList includes 龙婉', async () => {
    const body = (await (await fetch(`${base}/v1/realtime/voiceList`)).json()) as { data: { name: string }[] };
    expect(body.data.map((v) => v.name)).toContain('龙婉');
  });

  it('pre-check: 401 with a JSON error without the key, 200 with it, 429 on fault=rate-limit', async () => {
    const none = await fetch(`${base}/v1/realtime?model=emulator-realtime&userId=u`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');
    const ok = await fetch(`${base}/v1/realtime?model=emulator-realtime&userId=u`, { headers: { Authorization: 'Bearer sk-emulator-only' } });
    expect(ok.status).toBe(200);
    const limited = await fetch(`${base}/v1/realtime?model=m&fault=rate-limit`, { headers: { Authorization: 'Bearer sk-emulator-only' } });
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { error: { code: string } }).error).toBeTruthy();
  });

  it('answers CORS preflights on the emulator (it holds no secret)', async () => {
    const res = await fetch(`${base}/v1/realtime?model=m`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://elsewhere.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toMatch(/Authorization/i);
  });

  it('GET /api/server-info tells the UI what is on offer, without secrets', async () => {
    const text = await (await fetch(`${base}/api/server-info`)).text();
    const info = JSON.parse(text) as { relay: { enabled: boolean; upstream: string; tokenRequired: boolean }; emulator: { tts: boolean; ttsReason: string | null; auth: boolean }; version: string };
    expect(info.relay).toEqual({ enabled: false, upstream: 'wss://api.xstar.city/v1/realtime', tokenRequired: false });
    expect(info.emulator).toEqual({ tts: false, ttsReason: 'no synthesiser configured', auth: true });
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(text).not.toContain('sk-emulator-only');
  });

  it('refuses other methods and unknown relay paths with JSON errors', async () => {
    expect((await fetch(`${base}/v1/models`, { method: 'POST' })).status).toBe(405);
    const unknown = await fetch(`${base}/relay/v1/files`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('relay_disabled');
  });

  it('emulator socket: the wrong key gets invalid_api_key then 1008; upgrades elsewhere get 404', async () => {
    const client = await connectClient(`ws://127.0.0.1:${server.port}/v1/realtime?model=m`, [], { headers: { Authorization: 'Bearer nope' } });
    const error = await client.waitForEvent('error');
    expect((error.error as { code: string }).code).toBe('invalid_api_key');
    expect((await client.closed).code).toBe(1008);
    const status = await connectClient(`ws://127.0.0.1:${server.port}/elsewhere`).then(
      () => null,
      (e: { status?: number }) => e.status,
    );
    expect(status).toBe(404);
  });
});

describe('Vite dev server with the plugin (npm start)', () => {
  let vite: ViteDevServer;
  let port: number;
  beforeAll(async () => {
    vite = await createViteServer({
      configFile: false,
      root: process.cwd(),
      logLevel: 'silent',
      plugins: [realtimeServerPlugin({ env: { REALTIME_API_KEY: 'sk-dev-relay', REALTIME_UPSTREAM_URL: 'ws://127.0.0.1:1/v1/realtime' } })],
      server: { port: 0, host: '127.0.0.1', strictPort: false, watch: null },
      optimizeDeps: { noDiscovery: true, include: [] },
    });
    await vite.listen();
    port = (vite.httpServer?.address() as AddressInfo).port;
  }, 60_000);
  afterAll(async () => {
    await vite?.close();
  });

  it('serves the REST endpoints and the console on the same port', async () => {
    const models = await fetch(`http://127.0.0.1:${port}/v1/models`);
    expect(models.status).toBe(200);
    const info = (await (await fetch(`http://127.0.0.1:${port}/api/server-info`)).json()) as { relay: { enabled: boolean } };
    expect(info.relay.enabled).toBe(true);
    const html = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    expect(html).toContain('<div id="root">');
  });

  it('takes the emulator and relay upgrades and leaves Vite HMR alone', async () => {
    const emulator = await connectClient(`ws://127.0.0.1:${port}/v1/realtime?model=emulator-realtime`);
    await emulator.waitForEvent('session.created');
    emulator.ws.close(1000);
    await emulator.closed;
    // The relay is mounted too: its upstream here is unreachable, which it reports as 4502.
    const relay = await connectClient(`ws://127.0.0.1:${port}/relay/v1/realtime?model=m`, [], { headers: { Origin: `http://localhost:${port}` } });
    expect((await relay.closed).code).toBe(4502);
    // Vite's own HMR socket still connects (subprotocol vite-hmr on the base path).
    const hmr = new WebSocket(`ws://127.0.0.1:${port}/`, 'vite-hmr');
    const opened = await new Promise<boolean>((resolve) => {
      hmr.once('open', () => resolve(true));
      hmr.once('error', () => resolve(false));
    });
    expect(opened).toBe(true);
    hmr.terminate();
  });
});
