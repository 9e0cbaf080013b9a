// The project's own RealtimeClient against the emulator over real sockets, in both dialects.
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { decodeWav } from '../../src/lib/dsp/wav';
import { RealtimeClient, type ConversationItem, type Dialect, type RawEvent, type WebSocketConstructor } from '../../src/lib/realtime';
import { startEmulator, ToneSynthesizer, type EmulatorHarness, type Frame } from '../helpers/emulator-harness';
import { checkInvariants } from '../helpers/emulator-invariants';

const WS = WebSocket as unknown as WebSocketConstructor;
const fixture = decodeWav(readFileSync(new URL('../fixtures/audio/en-weather.wav', import.meta.url))).samples;

let h: EmulatorHarness;
const clients: RealtimeClient[] = [];
beforeAll(async () => {
  h = await startEmulator({ synthesizer: new ToneSynthesizer(10), pacingSpeed: 20, apiKey: 'sk-test' });
});
afterEach(() => {
  for (const c of clients.splice(0)) c.disconnect();
});
afterAll(async () => {
  await h.close();
});

async function open(dialect: Dialect, query: Record<string, string> = {}): Promise<{ client: RealtimeClient; frames: Frame[]; errors: string[] }> {
  const client = new RealtimeClient({
    url: h.wsUrl,
    WebSocket: WS,
    apiKey: 'sk-test',
    provider: dialect === 'ga' ? 'openai' : 'local',
    precheck: dialect === 'beta',
    connectTimeoutMs: 5000,
    query,
  });
  clients.push(client);
  const frames: Frame[] = [];
  const errors: string[] = [];
  client.on('realtime.event', (p) => {
    if (p.source === 'server') frames.push(p.event as RawEvent as Frame);
  });
  client.on('error', (e) => errors.push(`${e.source}: ${e.message}`));
  await client.connect({ model: 'emulator', userId: 'client-test' });
  await client.waitForSessionCreated({ timeoutMs: 3000 });
  return { client, frames, errors };
}

function nextAssistant(client: RealtimeClient): Promise<ConversationItem> {
  return new Promise((resolve) => {
    const off = client.on('conversation.item.completed', ({ item }) => {
      if (item.role === 'assistant' && item.type === 'message') {
        client.off('conversation.item.completed', off);
        resolve(item);
      }
    });
  });
}

describe.each(['beta', 'ga'] as const)('RealtimeClient ↔ emulator (%s)', (dialect) => {
  it('text turn: streamed transcript and audio at the negotiated rate', async () => {
    const { client, frames, errors } = await open(dialect);
    client.updateSession({ output_audio_format: dialect === 'beta' ? 'Raw8KHz16BitMonoPcm' : 'pcm16', turn_detection: null });
    const reply = nextAssistant(client);
    client.sendUserMessageContent([{ type: 'input_text', text: 'Hello emulator' }]);
    const item = await reply;
    expect(item.status).toBe('completed');
    expect(item.formatted.transcript).toBe('You said: Hello emulator This is the offline realtime emulator.');
    const rate = dialect === 'beta' ? 8000 : 24000;
    expect(item.formatted.audioFormat?.sampleRate).toBe(rate);
    // Tone synthesiser: 10 ms per character.
    const expectedMs = Array.from(item.formatted.transcript).length * 10;
    expect(Math.abs((item.formatted.audio.length / rate) * 1000 - expectedMs)).toBeLessThan(5);
    expect(checkInvariants(frames, dialect)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('voice turn via appendInputAudio and server VAD: user item with the speech range, reply with playback', async () => {
    const { client, frames, errors } = await open(dialect);
    client.updateSession({
      input_audio_format: dialect === 'beta' ? 'Raw16KHz16BitMonoPcm' : 'pcm16',
      input_audio_transcription: { model: 'whisper-1' },
    });
    // GA accepts only 24 kHz PCM: bring the 16 kHz fixture there by sample repetition (3:2).
    let audio = fixture;
    if (dialect === 'ga') {
      audio = new Int16Array(Math.floor((fixture.length * 3) / 2));
      for (let i = 0; i < audio.length; i++) audio[i] = fixture[Math.floor((i * 2) / 3)];
    }
    const reply = nextAssistant(client);
    const per = dialect === 'ga' ? 480 : 320;
    for (let i = 0; i < audio.length; i += per) client.appendInputAudio(audio.subarray(i, i + per));
    const item = await reply;
    expect(item.formatted.transcript).toMatch(/^(You spoke for|你说了)/);
    const user = client.conversation.getItems().find((it) => it.role === 'user');
    expect(user?.formatted.transcript).toMatch(/^\(speech, 3\.\d s\)$/);
    expect(Math.abs((user?.formatted.audioStartMs ?? 0) - 700)).toBeLessThanOrEqual(100);
    expect(checkInvariants(frames, dialect)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('client tool: the call is handled by the client and the emulator answers with the output', async () => {
    const { client, frames, errors } = await open(dialect);
    client.addTool({ name: 'lookup', description: 'test tool', parameters: { type: 'object', properties: {} } }, (args) => ({ echoed: args.q }));
    client.updateSession({ turn_detection: null });
    const replies: ConversationItem[] = [];
    const twoReplies = new Promise<void>((resolve) => {
      client.on('conversation.item.completed', ({ item }) => {
        if (item.role === 'assistant') replies.push(item);
        if (replies.length === 1) resolve();
      });
    });
    client.sendUserMessageContent([{ type: 'input_text', text: '/tool lookup {"q":"abc"}' }]);
    await twoReplies;
    expect(replies[0].formatted.transcript).toBe('The lookup tool returned: {"echoed":"abc"}');
    expect(checkInvariants(frames, dialect)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('interrupt: cancelResponse(trackId, offset) cancels and truncates; the emulator confirms', async () => {
    const { client, frames, errors } = await open(dialect, { reply: 'long' });
    client.updateSession({ turn_detection: null });
    const started = new Promise<ConversationItem>((resolve) => {
      client.on('conversation.updated', ({ item, delta }) => {
        if (item.role === 'assistant' && delta?.audio && item.formatted.audio.length > 8000) resolve(item);
      });
    });
    client.sendUserMessageContent([{ type: 'input_text', text: 'talk for a while' }]);
    const item = await started;
    const rate = item.formatted.audioFormat?.sampleRate ?? 24000;
    const result = client.cancelResponse(item.id, Math.floor(rate / 4));
    expect(result.cancelled).toBe(true);
    expect(result.truncate).toEqual({ itemId: item.id, contentIndex: 0, audioEndMs: 250 });
    await new Promise<void>((resolve) => {
      const check = () => frames.some((f) => f.type === 'conversation.item.truncated') && frames.some((f) => f.type === 'response.done') && resolve();
      client.on('realtime.event', check);
      check();
    });
    const done = frames.find((f) => f.type === 'response.done') as Frame;
    expect((done.response as { status: string }).status).toBe('cancelled');
    expect(frames.find((f) => f.type === 'conversation.item.truncated')).toMatchObject({ item_id: item.id, audio_end_ms: 250 });
    expect(checkInvariants(frames, dialect)).toEqual([]);
    expect(errors).toEqual([]);
  });
});

describe('RealtimeClient ↔ emulator: xStar extensions, plugins, item management (beta)', () => {
  it('tts_text is spoken as given', async () => {
    const { client, frames, errors } = await open('beta');
    client.updateSession({ turn_detection: null });
    const reply = nextAssistant(client);
    client.sendUserMessageContent([{ type: 'tts_text', text: '电量低，请及时充电。' }]);
    const item = await reply;
    expect(item.formatted.transcript).toBe('电量低，请及时充电。');
    expect(item.formatted.audio.length).toBeGreaterThan(0);
    expect(checkInvariants(frames, 'beta')).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('math_game plugin: a function call item, then the spoken result', async () => {
    const { client, frames, errors } = await open('beta');
    client.updateSession({ turn_detection: null });
    const reply = nextAssistant(client);
    client.sendUserMessageContent([{ type: 'input_text', text: 'Make 24 points with 4 4 10 10' }]);
    const item = await reply;
    expect(item.formatted.transcript).toBe('1 solution to make 24 from 4, 4, 10, 10: (10 × 10 - 4) ÷ 4.');
    const call = client.conversation.getItems().find((it) => it.type === 'function_call');
    expect(call).toMatchObject({ name: 'math_game', arguments: '{"numbers":[4,4,10,10],"target":24}' });
    expect(checkInvariants(frames, 'beta')).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('deleteItem removes the item on both sides', async () => {
    const { client, frames, errors } = await open('beta');
    client.updateSession({ turn_detection: null });
    const reply = nextAssistant(client);
    client.sendUserMessageContent([{ type: 'input_text', text: 'hi' }]);
    const item = await reply;
    client.deleteItem(item.id);
    await new Promise<void>((resolve) => client.on('conversation.item.deleted', () => resolve()));
    expect(client.conversation.getItems().some((it) => it.id === item.id)).toBe(false);
    expect(frames.find((f) => f.type === 'conversation.item.deleted')).toMatchObject({ item_id: item.id });
    expect(errors).toEqual([]);
  });

  it('a second createResponse while one is active surfaces the server error; the session stays usable', async () => {
    const { client, errors } = await open('beta', { reply: 'long' });
    client.updateSession({ turn_detection: null });
    client.sendUserMessageContent([{ type: 'input_text', text: 'talk' }]);
    await client.waitFor('response.created', { timeoutMs: 3000 });
    client.createResponse();
    await new Promise<void>((resolve) => client.on('error', () => resolve()));
    expect(errors.some((e) => e.startsWith('server:'))).toBe(true);
    client.cancelResponse();
    const done = await client.waitFor('response.done', { timeoutMs: 3000 });
    expect(done.response.status).toBe('cancelled');
    expect(client.isConnected()).toBe(true);
  });
});

describe('RealtimeClient ↔ emulator: failures', () => {
  it('a wrong key fails the pre-check with a typed error', async () => {
    const client = new RealtimeClient({ url: h.wsUrl, WebSocket: WS, apiKey: 'sk-wrong', provider: 'local', precheck: true, connectTimeoutMs: 3000 });
    clients.push(client);
    await expect(client.connect({ model: 'emulator' })).rejects.toMatchObject({ name: 'ConnectionError', status: 401 });
  });

  it('a wrong key without pre-check: error invalid_api_key, then close 1008', async () => {
    const client = new RealtimeClient({ url: h.wsUrl, WebSocket: WS, apiKey: 'sk-wrong', provider: 'local', precheck: false, connectTimeoutMs: 3000 });
    clients.push(client);
    const closed = new Promise<number>((resolve) => client.on('close', (info) => resolve(info.code)));
    const serverErrors: string[] = [];
    client.on('error', (e) => serverErrors.push(e.serverError?.code ?? e.source));
    await client.connect({ model: 'emulator' }).catch(() => undefined);
    expect(await closed).toBe(1008);
    expect(serverErrors).toContain('invalid_api_key');
  });

  it('fault=rate-limit: the connection fails with 429', async () => {
    const client = new RealtimeClient({ url: h.wsUrl, WebSocket: WS, apiKey: 'sk-test', provider: 'local', precheck: true, connectTimeoutMs: 3000, query: { fault: 'rate-limit' } });
    clients.push(client);
    await expect(client.connect({ model: 'emulator' })).rejects.toMatchObject({ name: 'ConnectionError', status: 429 });
  });

  it('fault=drop-after-ms: the client reports an abnormal close (1006)', async () => {
    const { client } = await open('beta', { fault: 'drop-after-ms:100' });
    const info = await client.waitFor('close', { timeoutMs: 3000 });
    expect(info.code).toBe(1006);
    expect(client.isConnected()).toBe(false);
  });

  it('fault=malformed-after-ms: an error event, and the connection stays up', async () => {
    const { client, errors } = await open('beta', { fault: 'malformed-after-ms:50' });
    await client.waitFor('error', { timeoutMs: 3000 });
    expect(errors[0]).toMatch(/^(protocol|socket)/);
    expect(client.isConnected()).toBe(true);
  });
});
