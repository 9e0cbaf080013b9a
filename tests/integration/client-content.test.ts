// What the client sends for user content and input audio (exact bytes, no mutation of the caller's objects,
// capability checks), and that debug logging costs nothing when it is off.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { decodeBase64 } from '../../src/lib/dsp/base64';
import { decodeMulaw } from '../../src/lib/dsp/g711';
import { InvalidArgumentError, RealtimeClient, type RealtimeClientOptions, type WebSocketConstructor } from '../../src/lib/realtime';
import { ScriptedServer, type ScriptedConnection } from '../helpers/scripted-server';

const WS = WebSocket as unknown as WebSocketConstructor;
let server: ScriptedServer;
const clients: RealtimeClient[] = [];

beforeEach(async () => {
  server = await ScriptedServer.start();
});
afterEach(async () => {
  vi.restoreAllMocks();
  for (const c of clients.splice(0)) c.reset();
  await server.close();
});

async function open(opts: RealtimeClientOptions = {}): Promise<{ client: RealtimeClient; conn: ScriptedConnection }> {
  const client = new RealtimeClient({ url: server.url, WebSocket: WS, provider: 'local', connectTimeoutMs: 3000, ...opts });
  clients.push(client);
  const next = server.nextConnection();
  await client.connect({ model: 'test' });
  const conn = await next;
  await client.waitForSessionCreated({ timeoutMs: 2000 });
  return { client, conn };
}

describe('user content', () => {
  it('input_audio from a subarray view sends exactly the view\'s bytes and leaves the caller\'s objects untouched', async () => {
    const { client, conn } = await open();
    const backing = new Int16Array([9, 9, 1, 2, 3, 4, 9, 9]);
    const view = backing.subarray(2, 6);
    const content = [
      { type: 'input_audio' as const, audio: view },
      { type: 'tts_text' as const, text: '电量低' },
    ];
    const before = { ref0: content[0], audio: content[0].audio, keys: Object.keys(content[0]) };
    client.sendUserMessageContent(content);
    const ev = await conn.nextClientEvent('conversation.item.create');
    const parts = (ev.item as { content: { type: string; audio?: string; text?: string }[] }).content;
    expect(parts[1]).toEqual({ type: 'tts_text', text: '电量低' });
    const bytes = decodeBase64(parts[0].audio!);
    expect(Array.from(new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2))).toEqual([1, 2, 3, 4]);
    expect(content[0]).toBe(before.ref0);
    expect(content[0].audio).toBe(before.audio);
    expect(Object.keys(content[0])).toEqual(before.keys);
    expect(Array.from(backing)).toEqual([9, 9, 1, 2, 3, 4, 9, 9]);
    await conn.nextClientEvent('response.create');
  });

  it('empty content sends nothing; tts_text is refused where the provider lacks it; bad parts are typed errors', async () => {
    const { client, conn } = await open({ provider: 'openai', url: server.url });
    expect(client.sendUserMessageContent([])).toBe(false);
    expect(() => client.sendUserMessageContent([{ type: 'tts_text', text: 'x' }])).toThrow(InvalidArgumentError);
    expect(() => client.sendUserMessageContent([{ type: 'bogus' } as never])).toThrow(InvalidArgumentError);
    client.sendUserMessageContent([{ type: 'input_text', text: 'x' }], { createResponse: false });
    await conn.nextClientEvent('conversation.item.create');
    await new Promise((r) => setTimeout(r, 30));
    expect(conn.eventsOfType('response.create')).toHaveLength(0);
  });

  it('the composer\'s sendEvent does not modify the object it is given', async () => {
    const { client, conn } = await open();
    const event = { type: 'input_audio_buffer.clear' };
    expect(client.sendEvent(event)).toBe(true);
    expect(event).toEqual({ type: 'input_audio_buffer.clear' });
    const got = await conn.nextClientEvent('input_audio_buffer.clear');
    expect(typeof got.event_id).toBe('string');
  });
});

describe('input audio', () => {
  it('G.711 µ-law input: Int16 samples are encoded on the way out; odd-length byte input never throws', async () => {
    const { client, conn } = await open();
    client.updateSession({ input_audio_format: 'g711_ulaw' });
    await client.waitFor('session.updated', { timeoutMs: 2000 });
    const pcm = new Int16Array([0, 1000, -1000, 8000, -8000, 30000]);
    client.appendInputAudio(pcm);
    const ev = await conn.nextClientEvent('input_audio_buffer.append');
    const law = decodeBase64(ev.audio as string);
    expect(law.length).toBe(6);
    const back = decodeMulaw(law);
    for (let i = 0; i < pcm.length; i++) expect(Math.abs(back[i] - pcm[i])).toBeLessThan(Math.max(64, Math.abs(pcm[i]) / 16));

    client.updateSession({ input_audio_format: 'Raw16KHz16BitMonoPcm' });
    await client.waitFor('session.updated', { timeoutMs: 2000 });
    expect(() => client.appendInputAudio(new Uint8Array([1, 2, 3]))).not.toThrow();
    const odd = await conn.nextClientEvent('input_audio_buffer.append');
    expect(Array.from(decodeBase64(odd.audio as string))).toEqual([1, 2, 3]);
    expect(client.appendInputAudio(new Int16Array(0))).toBe(false);
    expect(() => client.appendInputAudio('nope' as never)).toThrow(InvalidArgumentError);
  });

  it('compressed input formats refuse samples with a typed error but pass encoded bytes through', async () => {
    const { client, conn } = await open();
    client.updateSession({ input_audio_format: 'Audio16KHz16BitMonoOpus' });
    await client.waitFor('session.updated', { timeoutMs: 2000 });
    expect(() => client.appendInputAudio(new Int16Array(10))).toThrow(InvalidArgumentError);
    client.appendInputAudio(new Uint8Array([0x4f, 0x67, 0x67]));
    const ev = await conn.nextClientEvent('input_audio_buffer.append');
    expect(Array.from(decodeBase64(ev.audio as string))).toEqual([0x4f, 0x67, 0x67]);
    // Manual turns (the session has no turn detection): createResponse commits the compressed audio first.
    expect(client.getTurnDetectionType()).toBeNull();
    client.createResponse();
    await conn.nextClientEvent('input_audio_buffer.commit');
    await conn.nextClientEvent('response.create');
    client.createResponse();
    await conn.nextClientEvent('response.create');
    expect(conn.eventsOfType('input_audio_buffer.commit')).toHaveLength(1);
  });
});

describe('debug logging', () => {
  it('off by default: receiving audio deltas stringifies nothing; on: it logs, but never per audio delta', async () => {
    const { client, conn } = await open();
    const done = client.waitFor('response.done', { timeoutMs: 2000 });
    // The scripted server stringifies synchronously inside audioResponse(); from here on only the client runs.
    conn.audioResponse({ chunks: Array.from({ length: 50 }, () => new Uint8Array(320)), transcript: 'x' });
    const stringify = vi.spyOn(JSON, 'stringify');
    await done;
    expect(client.conversation.getItems()[0].formatted.audio.length).toBe(50 * 160);
    expect(stringify).not.toHaveBeenCalled();
    stringify.mockRestore();

    const messages: string[] = [];
    const { client: dbg, conn: c2 } = await open({ debug: (m) => messages.push(m) });
    const done2 = dbg.waitFor('response.done', { timeoutMs: 2000 });
    c2.audioResponse({ chunks: Array.from({ length: 20 }, () => new Uint8Array(320)), transcript: 'y' });
    await done2;
    expect(messages.some((m) => m.startsWith('receive response.created'))).toBe(true);
    expect(messages.filter((m) => m.includes('audio.delta'))).toHaveLength(0);
  });
});

describe('formats from the effective session', () => {
  it('a GA format object keeps its rate through the server echo (no 24 kHz assumption)', async () => {
    const { client } = await open({ provider: 'openai', url: server.url });
    client.updateSession({ output_audio_format: { type: 'audio/pcm', rate: 16000 }, input_audio_format: 'g711_alaw' });
    await client.waitFor('session.updated', { timeoutMs: 2000 });
    expect(client.getEffectiveSession()?.output_audio_format).toEqual({ type: 'audio/pcm', rate: 16000 });
    expect(client.conversation.getFormats().output).toMatchObject({ encoding: 'pcm16', sampleRate: 16000 });
    expect(client.conversation.getFormats().input).toMatchObject({ encoding: 'g711_alaw', sampleRate: 8000 });
  });
});

describe('createResponse options', () => {
  it('are written in the connection\'s dialect', async () => {
    const { client: beta, conn: b } = await open();
    beta.createResponse({ modalities: ['text'], instructions: 'short', output_audio_format: { type: 'audio/pcm', rate: 16000 }, tools: [{ name: 't' }], conversation: 'none', metadata: { k: 1 } });
    const be = await b.nextClientEvent('response.create');
    expect(be.response).toEqual({ modalities: ['text'], instructions: 'short', output_audio_format: 'Raw16KHz16BitMonoPcm', tools: [{ name: 't', type: 'function' }], conversation: 'none', metadata: { k: 1 } });

    const { client: ga, conn: g } = await open({ provider: 'openai', url: server.url });
    ga.createResponse({ modalities: ['text', 'audio'], voice: 'marin', output_audio_format: 'g711_ulaw', max_response_output_tokens: 50, conversation: 'none' });
    const ge = await g.nextClientEvent('response.create');
    expect(ge.response).toEqual({ output_modalities: ['audio'], audio: { output: { voice: 'marin', format: { type: 'audio/pcmu' } } }, max_output_tokens: 50, conversation: 'none' });
  });
});
