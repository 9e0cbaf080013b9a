import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { connectClient, startTestServer } from '../helpers/server-harness';

// `npm run build` + `npm run serve`, into a scratch directory inside the project (so the bundle
// resolves `ws` and `espeak-ng` from node_modules like the real dist-server/ does).
const run = promisify(execFile);
const root = process.cwd();
const scratch = resolve(root, 'test-results', `serve-${process.pid}`);
const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');

function rawGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((res, rej) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (response) => {
      let body = '';
      response.on('data', (c: Buffer) => (body += c.toString('utf8')));
      response.on('end', () => res({ status: response.statusCode ?? 0, body }));
    });
    req.on('error', rej);
    req.end();
  });
}

describe('standalone server (npm run build, npm run serve)', () => {
  let child: ChildProcess;
  let firstLine: string;
  let base: string;
  let port: number;
  let upstream: Awaited<ReturnType<typeof startTestServer>>;
  const stderr: string[] = [];

  beforeAll(async () => {
    rmSync(scratch, { recursive: true, force: true });
    mkdirSync(scratch, { recursive: true });
    await run(process.execPath, [vite, 'build', '--outDir', join(scratch, 'dist'), '--emptyOutDir', '--logLevel', 'error'], { cwd: root });
    await run(process.execPath, [vite, 'build', '--config', 'vite.server.config.ts', '--outDir', join(scratch, 'dist-server'), '--logLevel', 'error'], { cwd: root });
    upstream = await startTestServer({ EMULATOR_API_KEY: 'sk-serve-upstream' }, { synthesizer: null });
    child = spawn(process.execPath, [join(scratch, 'dist-server', 'serve.js')], {
      cwd: scratch,
      env: {
        PATH: process.env.PATH ?? '',
        PORT: '0',
        REALTIME_API_KEY: 'sk-serve-upstream',
        REALTIME_UPSTREAM_URL: `ws://127.0.0.1:${upstream.port}/v1/realtime`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr?.on('data', (c: Buffer) => stderr.push(c.toString('utf8')));
    firstLine = await new Promise<string>((res, rej) => {
      let out = '';
      const timer = setTimeout(() => rej(new Error(`no listening line; stderr: ${stderr.join('')}`)), 20_000);
      child.stdout?.on('data', (c: Buffer) => {
        out += c.toString('utf8');
        if (out.includes('\n')) {
          clearTimeout(timer);
          res(out.split('\n')[0]);
        }
      });
      child.once('exit', (code) => rej(new Error(`serve exited with ${code}: ${stderr.join('')}`)));
    });
    const match = /^listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(firstLine);
    base = match?.[1] ?? '';
    port = Number(match?.[2]);
  }, 120_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await upstream?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('prints one "listening on http://HOST:PORT" line with the port it picked', () => {
    expect(firstLine).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
    expect(port).toBeGreaterThan(0);
  });

  it('serves the built console with a Content-Security-Policy, its assets with the right types, and SPA routes', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    for (const directive of ["default-src 'self'", "connect-src 'self' ws: wss: https:", "media-src 'self' blob:", "worker-src 'self' blob:"]) {
      expect(csp).toContain(directive);
    }
    const html = await page.text();
    expect(html).toContain('<div id="root">');
    const script = /<script[^>]+src="([^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeTruthy();
    const asset = await fetch(`${base}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
    const route = await fetch(`${base}/sessions/42`);
    expect(route.status).toBe(200);
    expect(await route.text()).toBe(html);
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
    const traversal = await rawGet(port, '/%2e%2e/package.json');
    expect(traversal.body).not.toContain('"devDependencies"');
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(405);
  });

  it('serves the REST endpoints and reports the synthesiser loaded from the built worker', async () => {
    const models = (await (await fetch(`${base}/v1/models`)).json()) as { object: string };
    expect(models.object).toBe('list');
    const voices = (await (await fetch(`${base}/v1/realtime/voiceList`)).json()) as { data: { name: string }[] };
    expect(voices.data.map((v) => v.name)).toContain('龙婉');
    const info = (await (await fetch(`${base}/api/server-info`)).json()) as { relay: { enabled: boolean }; emulator: { tts: boolean; ttsReason: string | null } };
    expect(info.relay.enabled).toBe(true);
    expect(info.emulator).toMatchObject({ tts: true, ttsReason: null });
  });

  it('answers on both WebSocket endpoints: the emulator and the relay', async () => {
    const emulator = await connectClient(`ws://127.0.0.1:${port}/v1/realtime?model=emulator-realtime`, ['realtime', 'openai-beta.realtime-v1']);
    await emulator.waitForEvent('session.created');
    emulator.ws.close(1000);
    await emulator.closed;
    const relay = await connectClient(`ws://127.0.0.1:${port}/relay/v1/realtime?model=emulator-realtime`, ['realtime', 'openai-beta.realtime-v1'], {
      headers: { Origin: `http://localhost:${port}` },
    });
    await relay.waitForEvent('session.created');
    relay.ws.close(1000);
    await relay.closed;
  });

  it('speaks with the built worker: a Mandarin reply carries non-silent audio', async () => {
    const client = await connectClient(`ws://127.0.0.1:${port}/v1/realtime?model=emulator-realtime`, ['realtime', 'openai-beta.realtime-v1']);
    await client.waitForEvent('session.created');
    client.send({ type: 'session.update', session: { modalities: ['audio', 'text'], output_audio_format: 'pcm16' } });
    client.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: '你好' }] } });
    client.send({ type: 'response.create' });
    await client.waitForEvent('response.done', 20_000);
    const bytes = Buffer.concat(
      client.events().filter((e) => e.type === 'response.audio.delta').map((e) => Buffer.from(e.delta as string, 'base64')),
    );
    client.ws.close(1000);
    await client.closed;
    const samples = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1);
    expect(samples.length).toBeGreaterThan(24_000 * 0.3); // pcm16 is 24 kHz: more than 0.3 s of speech
    let peak = 0;
    for (const s of samples) peak = Math.max(peak, Math.abs(s));
    expect(peak).toBeGreaterThan(3000);
    expect(stderr.join('')).not.toMatch(/synthesi[sz]er unavailable/);
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
