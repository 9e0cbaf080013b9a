import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { connectClient, startTestServer, type TestClient } from '../helpers/server-harness';
import { encodeSessionFile, packAudio, readRecording, type SessionRecording } from '../../src/lib/session-file';
import { readFileSync } from 'node:fs';

// Record a session against a real emulator through the relay (RECORD_DIR), then replay it from the same
// server's emulator with `?replay=NAME` over a real socket: same server frames, same order, original timing.
const KEY = 'sk-replay-upstream-key';
const BETA = ['realtime', 'openai-beta.realtime-v1'];

/** Arrival offsets (ms since open) of every text frame a client gets. */
function timed(client: TestClient, openedAt: number): { t: number; text: string }[] {
  const out: { t: number; text: string }[] = [];
  client.ws.on('message', (data, binary) => {
    if (!binary) out.push({ t: performance.now() - openedAt, text: data.toString() });
  });
  return out;
}

describe('emulator replay mode', () => {
  let upstream: Awaited<ReturnType<typeof startTestServer>>;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let recordDir: string;
  let replayDir: string;

  beforeAll(async () => {
    upstream = await startTestServer({ EMULATOR_API_KEY: KEY }, { synthesizer: null });
    recordDir = mkdtempSync(join(tmpdir(), 'rc-replay-rec-'));
    replayDir = mkdtempSync(join(tmpdir(), 'rc-replay-dir-'));
    server = await startTestServer({
      REALTIME_API_KEY: KEY,
      REALTIME_UPSTREAM_URL: `ws://127.0.0.1:${upstream.port}/v1/realtime`,
      RECORD_DIR: recordDir,
      REPLAY_DIR: replayDir,
    });
  });
  afterAll(async () => {
    await server?.close();
    await upstream?.close();
    for (const d of [recordDir, replayDir]) if (d) rmSync(d, { recursive: true, force: true });
  });

  it('replays a relay recording: the same server frames in order, each within tolerance of its recorded time', async () => {
    const live = await connectClient(`ws://127.0.0.1:${server.port}/relay/v1/realtime?model=emulator-realtime`, BETA, {
      headers: { Origin: `http://localhost:${server.port}` },
    });
    await live.waitForEvent('session.created');
    live.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hello replay' }] } });
    live.send({ type: 'response.create' });
    await live.waitForEvent('response.done', 15_000);
    const liveTexts = live.frames.filter((f) => !f.binary).map((f) => f.data.toString());
    live.ws.close(1000, 'done');
    await live.closed;
    await expect.poll(() => readdirSync(recordDir).length).toBe(1);
    const file = readdirSync(recordDir)[0];
    await expect.poll(() => readFileSync(join(recordDir, file), 'utf8').includes('client-close')).toBe(true);
    const recorded = readRecording(readFileSync(join(recordDir, file), 'utf8'))
      .events.filter((e) => e.direction === 'server')
      .map((e) => e.t);

    // RECORD_DIR is a replay source too: the file name is the replay name.
    const name = basename(file);
    const openedAt = performance.now();
    const replay = await connectClient(`ws://127.0.0.1:${server.port}/v1/realtime?replay=${encodeURIComponent(name)}`, BETA);
    const got = timed(replay, openedAt);
    await expect.poll(() => got.length, { timeout: 15_000 }).toBe(liveTexts.length);
    expect(got.map((g) => g.text)).toEqual(liveTexts);
    expect(JSON.parse(got[0].text).type).toBe('session.created');
    for (let i = 0; i < got.length; i++) {
      expect(got[i].t).toBeGreaterThanOrEqual(recorded[i] - 5);
      expect(got[i].t).toBeLessThan(recorded[i] + 250);
    }
    // Client frames are accepted and ignored; nothing extra arrives.
    replay.send({ type: 'response.create' });
    await new Promise((r) => setTimeout(r, 100));
    expect(got.length).toBe(liveTexts.length);
    replay.ws.close();
    await replay.closed;
  });

  it('replays a console session file at replay_speed, refilling audio deltas from the recorded item audio', async () => {
    const pcm = new Int16Array(1600).map((_, i) => (i * 37) % 3000);
    const rec: SessionRecording = {
      header: { format: 'realtime-console-session', version: 1, created: new Date().toISOString(), profile: 'local', url: '', model: 'm', dialect: 'beta', settings: {} },
      events: [
        { t: 0, direction: 'server', event: { type: 'session.created', session: { output_audio_format: 'Raw16KHz16BitMonoPcm' } } },
        { t: 100, direction: 'client', event: { type: 'response.create' } },
        { t: 400, direction: 'server', event: { type: 'response.audio.delta', item_id: 'a1', delta: '[audio 1600 B]' } },
        { t: 800, direction: 'server', event: { type: 'response.audio.delta', item_id: 'a1', delta: '[audio 1600 B]' } },
      ],
      items: [{ id: 'a1', role: 'assistant', type: 'message', status: 'completed', text: '', transcript: '', createdAt: 0, audio: packAudio(pcm, 16000) }],
    };
    writeFileSync(join(replayDir, 'turn.rcsession.jsonl'), encodeSessionFile(rec));
    const openedAt = performance.now();
    const client = await connectClient(`ws://127.0.0.1:${server.port}/v1/realtime?replay=turn&replay_speed=2`, BETA);
    const got = timed(client, openedAt);
    await expect.poll(() => got.length, { timeout: 5000 }).toBe(3);
    expect(got[2].t).toBeGreaterThanOrEqual(395);
    expect(got[2].t).toBeLessThan(700);
    const deltas = got.slice(1).map((g) => Buffer.from((JSON.parse(g.text) as { delta: string }).delta, 'base64'));
    const joined = Buffer.concat(deltas);
    expect(new Int16Array(joined.buffer, joined.byteOffset, joined.length / 2)).toEqual(pcm);
    client.ws.close();
    await client.closed;
  });

  it('refuses path traversal, unknown names and unreadable files with typed HTTP errors', async () => {
    writeFileSync(join(replayDir, 'broken.jsonl'), 'this is not a recording\n');
    const refused = async (query: string): Promise<number> => {
      try {
        const c = await connectClient(`ws://127.0.0.1:${server.port}/v1/realtime?${query}`, BETA);
        c.ws.close();
        return 101;
      } catch (e) {
        return (e as { status: number }).status;
      }
    };
    expect(await refused('replay=..%2F..%2Fetc%2Fpasswd')).toBe(400);
    expect(await refused('replay=nothing-here')).toBe(404);
    expect(await refused('replay=broken')).toBe(422);
    const pre = await fetch(`http://127.0.0.1:${server.port}/v1/realtime?replay=nothing-here`);
    expect(pre.status).toBe(404);
    expect(((await pre.json()) as { error: { code: string } }).error.code).toBe('replay_not_found');
    expect((await fetch(`http://127.0.0.1:${server.port}/v1/realtime?replay=turn`)).status).toBe(200);
  });
});
