// Key safety, end to end with a recognisable fake key: it never shows up in the event log (connect entry
// included), the NDJSON export, the relay's JSONL recording, the servers' logs, the state or URL the console
// shows, the client's debug output, or the built bundle (key given through the build environment). The relay keeps
// its Origin rule, and the standalone server sends the Content-Security-Policy the issue asks for.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { SessionBridge } from '../../src/app/bridge';
import { createAppStore } from '../../src/app/app-store';
import { createReconnectStore } from '../../src/app/reconnect-state';
import { createConsoleStore, toNdjson, type ConsoleStore } from '../../src/store';
import { RealtimeClient } from '../../src/lib/realtime/client';
import type { WebSocketConstructor } from '../../src/lib/realtime/transport';
import { connectClient, startTestServer } from '../helpers/server-harness';

const WS = WebSocket as unknown as WebSocketConstructor;
// Built at run time so no committed file carries a key-shaped literal.
const KEY = ['sk', 'test', 'KEYSAFETY', Date.now().toString(36), Math.random().toString(36).slice(2, 10)].join('-');
const ROOT = join(import.meta.dirname, '..', '..');

type Server = Awaited<ReturnType<typeof startTestServer>>;

const tick = (cb: () => void) => {
  const id = setTimeout(cb, 5);
  return () => clearTimeout(id);
};

async function until(cond: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every file under `dir`, recursively. */
function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

function expectNoKey(text: string, where: string): void {
  expect(text.length, `${where} is empty`).toBeGreaterThan(0);
  expect(text.includes(KEY), `the key appears in ${where}`).toBe(false);
}

/** Everything the console keeps about a session, as text. */
function storeText(store: ConsoleStore): string {
  const s = store.getState();
  return JSON.stringify({ connection: s.connection, session: s.session, conversation: s.conversation, metrics: s.metrics, log: [...s.events.log] });
}

function makeBridge(origin: string, profileId: string, url = '') {
  const store = createConsoleStore({ storage: null });
  store.getState().setProfileFields({ profileId, url });
  store.getState().updateRequested({ greeting: { enabled: false, text: '', kind: 'input_text' } });
  const bridge = new SessionBridge({
    store,
    appStore: createAppStore({ persist: false }),
    reconnect: createReconnectStore({ persist: false, enabled: false }),
    WebSocket: WS,
    origin,
    getKey: () => KEY,
    schedule: tick,
    statsIntervalMs: 50,
    connectTimeoutMs: 5000,
  });
  const stop = bridge.start();
  return { store, bridge, stop };
}

async function textTurn(bridge: SessionBridge, store: ConsoleStore): Promise<void> {
  bridge.sendText('hello, say something short', 'input_text');
  await until(() => Object.values(store.getState().conversation.items).some((i) => i.role === 'assistant' && i.status === 'completed'), 10_000, 'assistant reply');
  await until(() => [...store.getState().events.log].some((e) => e.type === 'response.done'), 5000, 'response.done logged');
}

describe('key safety', () => {
  let upstream: Server;
  let relay: Server;
  let recordDir: string;

  beforeAll(async () => {
    // The upstream accepts only KEY, so the key really travels (relay → upstream, or browser → emulator).
    upstream = await startTestServer({ EMULATOR_API_KEY: KEY }, { synthesizer: null, emulatorPacingSpeed: 50 });
    recordDir = mkdtempSync(join(tmpdir(), 'rc-keysafety-rec-'));
    relay = await startTestServer({ REALTIME_API_KEY: KEY, REALTIME_UPSTREAM_URL: `ws://127.0.0.1:${upstream.port}/v1/realtime`, RECORD_DIR: recordDir });
  });
  afterAll(async () => {
    await relay?.close();
    await upstream?.close();
    if (recordDir) rmSync(recordDir, { recursive: true, force: true });
  });

  it('relay profile: not in the log (connect entry included), the export, the state, the recording or the server logs', async () => {
    const { store, bridge, stop } = makeBridge(relay.url, 'relay');
    try {
      expect(await bridge.connect()).toBe(true);
      await textTurn(bridge, store);
      const log = [...store.getState().events.log];
      const connectEntry = log.find((e) => e.type === 'local.connect');
      expect(connectEntry).toBeDefined();
      expect(JSON.stringify(connectEntry!.event)).toContain('/relay/v1/realtime');
      expectNoKey(JSON.stringify(connectEntry!.event), 'the connect entry');
      expectNoKey(toNdjson(store.getState().events.view.events()), 'the NDJSON export');
      expectNoKey(storeText(store), 'the store');
    } finally {
      await stop();
    }
    await until(() => walk(recordDir).some((f) => readFileSync(f, 'utf8').includes('response.done')), 5000, 'recording written');
    for (const f of walk(recordDir)) expectNoKey(readFileSync(f, 'utf8'), `recording ${f}`);
    expectNoKey(relay.logs.join('\n'), 'the relay server log');
    expectNoKey(upstream.logs.join('\n') || '(empty)', 'the upstream server log');
  });

  it('direct profile with the key in the browser: not in the log, the export, the shown URL or the state', async () => {
    const wsUrl = `ws://127.0.0.1:${upstream.port}/v1/realtime`;
    const { store, bridge, stop } = makeBridge(upstream.url, 'xstar', wsUrl);
    try {
      expect(await bridge.connect()).toBe(true);
      await textTurn(bridge, store);
      const connectEntry = [...store.getState().events.log].find((e) => e.type === 'local.connect')!;
      expect(connectEntry.event).toMatchObject({ profile: 'xstar', auth: 'browser key' });
      expect(String((connectEntry.event as { url?: unknown }).url)).toContain(`127.0.0.1:${upstream.port}/v1/realtime`);
      expectNoKey(JSON.stringify(connectEntry.event), 'the connect entry');
      expectNoKey(toNdjson(store.getState().events.view.events()), 'the NDJSON export');
      expectNoKey(storeText(store), 'the store (connection state and URL included)');
    } finally {
      await stop();
    }
    expectNoKey(upstream.logs.join('\n') || '(empty)', 'the emulator log');
  });

  it('a key pasted into the URL is masked in the connect entry', async () => {
    const wsUrl = `ws://127.0.0.1:${upstream.port}/v1/realtime?api_key=${KEY}`;
    const { store, bridge, stop } = makeBridge(upstream.url, 'xstar', wsUrl);
    try {
      await bridge.connect();
      const connectEntry = [...store.getState().events.log].find((e) => e.type === 'local.connect')!;
      expect(String((connectEntry.event as { url?: unknown }).url)).toContain('api_key=***');
      expectNoKey(JSON.stringify(connectEntry.event), 'the connect entry');
    } finally {
      await stop();
    }
  });

  it('client debug output (console and debug callback), subprotocol auth: no key', async () => {
    const printed: string[] = [];
    const spies = (['log', 'debug', 'info', 'warn', 'error'] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation((...args: unknown[]) => void printed.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '))),
    );
    const callback: string[] = [];
    try {
      for (const debug of [true, (m: string, d?: unknown) => void callback.push(`${m} ${JSON.stringify(d ?? null)}`)]) {
        const client = new RealtimeClient({ url: `ws://127.0.0.1:${upstream.port}/v1/realtime`, apiKey: KEY, WebSocket: WS, provider: 'xstar', authStyle: 'subprotocol', precheck: true, debug });
        try {
          await client.connect({ model: 'emulator-realtime' });
          await client.waitForSessionCreated({ timeoutMs: 5000 });
          client.sendUserMessageContent([{ type: 'input_text', text: 'hi' }]);
          await client.waitFor('response.done', { timeoutMs: 10_000 });
        } finally {
          client.reset();
        }
      }
    } finally {
      for (const s of spies) s.mockRestore();
    }
    expect(printed.some((l) => l.includes('[realtime] connecting'))).toBe(true);
    expectNoKey(printed.join('\n'), 'console output');
    expect(callback.some((l) => l.startsWith('connecting'))).toBe(true);
    expectNoKey(callback.join('\n'), 'the debug callback');
  });

  it('the relay enforces its Origin rule (a foreign Origin gets HTTP 403 at the upgrade)', async () => {
    const foreign = await connectClient(`ws://127.0.0.1:${relay.port}/relay/v1/realtime?model=x`, [], { headers: { Origin: 'https://evil.example' } }).then(
      () => 'opened',
      (err: Error) => err.message,
    );
    expect(foreign).toMatch(/403/);
  });

  it('the built console carries no key given through the build environment, and is served with the CSP', async () => {
    const out = mkdtempSync(join(tmpdir(), 'rc-keysafety-dist-'));
    try {
      const env = { ...process.env, REALTIME_API_KEY: KEY, EMULATOR_API_KEY: KEY, VITE_REALTIME_API_KEY: KEY, VITE_API_KEY: KEY, VITE_OPENAI_API_KEY: KEY, VITE_XSTAR_API_KEY: KEY, OPENAI_API_KEY: KEY };
      await new Promise<void>((resolve, reject) =>
        execFile(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', out, '--emptyOutDir', '--logLevel', 'error'], { cwd: ROOT, env, timeout: 90_000 }, (err, _o, stderr) =>
          err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(),
        ),
      );
      const files = walk(out);
      expect(files.some((f) => f.endsWith('.js'))).toBe(true);
      for (const f of files) expect(readFileSync(f).includes(KEY), `the key is in ${f}`).toBe(false);
      // The standalone server serving that build sends the CSP.
      const served = await startTestServer({}, { synthesizer: null, staticDir: out });
      try {
        const res = await fetch(`${served.url}/`);
        const csp = res.headers.get('content-security-policy') ?? '';
        const directive = (name: string) => csp.split(';').map((d) => d.trim()).find((d) => d.startsWith(`${name} `))?.split(/\s+/).slice(1) ?? [];
        expect(directive('default-src')).toEqual(["'self'"]);
        expect(directive('connect-src')).toEqual(expect.arrayContaining(["'self'", 'ws:', 'wss:', 'https:']));
        expect(directive('media-src')).toEqual(expect.arrayContaining(["'self'", 'blob:']));
        expect(directive('worker-src')).toEqual(expect.arrayContaining(["'self'"])); // AudioWorklet modules load from the page's origin
        expect(directive('script-src')).not.toContain("'unsafe-inline'");
        expectNoKey(await res.text(), 'index.html');
      } finally {
        await served.close();
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
