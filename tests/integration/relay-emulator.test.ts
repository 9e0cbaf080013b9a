import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectClient, startTestServer, type TestClient } from '../helpers/server-harness';

// The relay in front of a second, real emulator as its upstream (which accepts only KEY).
const KEY = 'sk-upstream-key-for-relay-tests';
const BETA = ['realtime', 'openai-beta.realtime-v1'];

interface Recorded {
  kind: string;
  from?: 'client' | 'upstream';
  binary?: boolean;
  text?: string;
}

function readRecording(dir: string): Recorded[] {
  const files = readdirSync(dir).sort();
  return files.flatMap((f) =>
    readFileSync(join(dir, f), 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Recorded),
  );
}

describe('relay with an emulator as its upstream', () => {
  let upstream: Awaited<ReturnType<typeof startTestServer>>;
  let relay: Awaited<ReturnType<typeof startTestServer>>;
  let wrongKeyRelay: Awaited<ReturnType<typeof startTestServer>>;
  let recordDir: string;

  beforeAll(async () => {
    upstream = await startTestServer({ EMULATOR_API_KEY: KEY }, { synthesizer: null, emulatorPacingSpeed: 50 });
    const upstreamUrl = `ws://127.0.0.1:${upstream.port}/v1/realtime`;
    recordDir = mkdtempSync(join(tmpdir(), 'rc-relay-emu-'));
    relay = await startTestServer({ REALTIME_API_KEY: KEY, REALTIME_UPSTREAM_URL: upstreamUrl, RECORD_DIR: recordDir });
    wrongKeyRelay = await startTestServer({ REALTIME_API_KEY: 'sk-not-the-right-key', REALTIME_UPSTREAM_URL: upstreamUrl });
  });
  afterAll(async () => {
    await Promise.all([relay?.close(), wrongKeyRelay?.close()]);
    await upstream?.close();
    if (recordDir) rmSync(recordDir, { recursive: true, force: true });
  });

  const connect = (server: typeof relay, query = '?model=emulator-realtime&userId=relay-user', protocols = BETA): Promise<TestClient> =>
    connectClient(`ws://127.0.0.1:${server.port}/relay/v1/realtime${query}`, protocols, {
      headers: { Origin: `http://localhost:${server.port}` },
    });

  it('completes a text turn with the server-held key; every frame the browser got came from the upstream, unchanged', async () => {
    const client = await connect(relay);
    const sent: string[] = [];
    const send = (event: unknown): void => {
      const text = JSON.stringify(event);
      sent.push(text);
      client.ws.send(text);
    };
    await client.waitForEvent('session.created');
    send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hello through the relay' }] } });
    send({ type: 'response.create' });
    const done = await client.waitForEvent('response.done', 15_000);
    expect((done.response as { status: string }).status).toBe('completed');
    expect(client.events().some((e) => e.type === 'error')).toBe(false);
    client.ws.close(1000, 'OK');
    await client.closed;

    await expect.poll(() => readRecording(recordDir).some((l) => l.kind === 'note' && JSON.stringify(l).includes('client-close'))).toBe(true);
    await expect
      .poll(() => readRecording(recordDir).filter((l) => l.kind === 'frame' && l.from === 'upstream').length, { timeout: 5000 })
      .toBe(client.frames.length);
    const recorded = readRecording(recordDir).filter((l) => l.kind === 'frame');
    const fromUpstream = recorded.filter((l) => l.from === 'upstream').map((l) => l.text);
    const fromClient = recorded.filter((l) => l.from === 'client').map((l) => l.text);
    // Nothing answered or rewritten by the relay: the browser received exactly the upstream's frames, in order.
    expect(client.frames.map((f) => f.data.toString('utf8'))).toEqual(fromUpstream);
    expect(fromClient).toEqual(sent);
  });

  it('passes a tool call through untouched: exactly one function_call_output reaches the upstream', async () => {
    const before = readRecording(recordDir).length;
    const client = await connect(relay);
    await client.waitForEvent('session.created');
    client.send({
      type: 'session.update',
      session: {
        tools: [{ type: 'function', name: 'get_weather', description: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
      },
    });
    client.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: '/tool get_weather {"city":"Paris"}' }] } });
    client.send({ type: 'response.create' });
    const first = await client.waitForEvent('response.done', 15_000);
    const call = ((first.response as { output: { type: string; call_id?: string; name?: string }[] }).output ?? []).find((o) => o.type === 'function_call');
    expect(call?.name).toBe('get_weather');
    client.send({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: call?.call_id, output: '{"temp":21}' } });
    client.send({ type: 'response.create' });
    await expect.poll(() => client.events().filter((e) => e.type === 'response.done').length, { timeout: 15_000 }).toBe(2);
    client.ws.close(1000, 'OK');
    await client.closed;
    await expect.poll(() => readRecording(recordDir).slice(before).some((l) => l.kind === 'note' && JSON.stringify(l).includes('client-close'))).toBe(true);
    const outputs = readRecording(recordDir)
      .slice(before)
      .filter((l) => l.kind === 'frame' && l.from === 'client' && l.text?.includes('function_call_output'));
    expect(outputs).toHaveLength(1);
    const fromUpstream = readRecording(recordDir).slice(before).filter((l) => l.kind === 'frame' && l.from === 'upstream').map((l) => l.text);
    expect(client.frames.map((f) => f.data.toString('utf8'))).toEqual(fromUpstream);
  });

  it('passes the upstream auth failure through: its error event, then its own close code', async () => {
    const client = await connect(wrongKeyRelay);
    const error = await client.waitForEvent('error');
    expect((error.error as { code: string }).code).toBe('invalid_api_key');
    const closed = await client.closed;
    expect(closed.code).toBe(1008);
  });

  it('turns an upstream 429 at the upgrade into close code 4429', async () => {
    const client = await connect(relay, '?model=emulator-realtime&fault=rate-limit');
    const closed = await client.closed;
    expect(closed.code).toBe(4429);
    expect(closed.reason).toMatch(/429/);
    expect(client.frames).toHaveLength(0);
  });

  it('forwards the pre-check with the key (200) and the REST lists', async () => {
    const base = `http://127.0.0.1:${relay.port}/relay/v1`;
    const ok = await fetch(`${base}/realtime?model=emulator-realtime&userId=u1`);
    expect(ok.status).toBe(200);
    const wrong = await fetch(`http://127.0.0.1:${wrongKeyRelay.port}/relay/v1/realtime?model=emulator-realtime`);
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');
    const voices = (await (await fetch(`${base}/realtime/voiceList`)).json()) as { data: { name: string }[] };
    expect(voices.data.map((v) => v.name)).toContain('龙婉');
    const models = (await (await fetch(`${base}/models`)).json()) as { object: string; data: { object: string }[] };
    expect(models.object).toBe('list');
    expect(models.data.every((m) => m.object === 'model')).toBe(true);
  });
});
