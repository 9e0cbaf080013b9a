// Conversation turns through RealtimeClient against a real `ws` server on loopback, in both dialects: text and
// audio turns at 8/16/24 kHz, streaming transcripts both ways, parallel tool calls, interrupt and truncate math,
// server close mid-response, malformed frames and events out of order.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { decodeBase64 } from '../../src/lib/dsp/base64';
import { decodeMulaw, encodeMulaw } from '../../src/lib/dsp/g711';
import { RealtimeClient, type ConversationItem, type Dialect, type RealtimeClientOptions, type WebSocketConstructor } from '../../src/lib/realtime';
import { ScriptedServer, type ScriptedConnection } from '../helpers/scripted-server';

const WS = WebSocket as unknown as WebSocketConstructor;

let server: ScriptedServer;
const clients: RealtimeClient[] = [];

beforeEach(async () => {
  server = await ScriptedServer.start();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.reset();
  await server.close();
});

async function open(dialect: Dialect, opts: RealtimeClientOptions = {}): Promise<{ client: RealtimeClient; conn: ScriptedConnection }> {
  const client = new RealtimeClient({ url: server.url, WebSocket: WS, provider: dialect === 'ga' ? 'openai' : 'local', connectTimeoutMs: 3000, ...opts });
  clients.push(client);
  const next = server.nextConnection();
  await client.connect({ model: 'test' });
  const conn = await next;
  await client.waitForSessionCreated({ timeoutMs: 2000 });
  expect(conn.dialect).toBe(dialect);
  return { client, conn };
}

/** A deterministic ramp of `n` samples starting at `from`. */
function ramp(n: number, from = 0): Int16Array {
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = ((from + i) * 37) % 30000;
  return out;
}
const bytesOf = (s: Int16Array) => new Uint8Array(s.buffer.slice(s.byteOffset, s.byteOffset + s.byteLength));

/** Waits until `pred` holds, driven by conversation events (no polling). */
function until(client: RealtimeClient, pred: () => boolean, timeoutMs = 3000): Promise<void> {
  if (pred()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      done();
      reject(new Error('condition not met'));
    }, timeoutMs);
    const check = () => {
      if (pred()) {
        done();
        resolve();
      }
    };
    const events = ['realtime.event', 'conversation.updated', 'close', 'error'] as const;
    const done = () => {
      clearTimeout(timer);
      for (const e of events) client.off(e, check);
    };
    for (const e of events) client.on(e, check);
  });
}

describe.each(['beta', 'ga'] as const)('%s dialect', (dialect) => {
  it('text turn: user message, response.create, streamed text, terminal statuses', async () => {
    const { client, conn } = await open(dialect);
    const content = [{ type: 'input_text' as const, text: 'hello' }];
    const snapshot = JSON.stringify(content);
    client.sendUserMessageContent(content);
    expect(JSON.stringify(content)).toBe(snapshot);
    const create = await conn.nextClientEvent('conversation.item.create');
    expect(create.item).toEqual({ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hello' }] });
    await conn.nextClientEvent('response.create');
    conn.announceItem({ id: 'item_user1', type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_text', text: 'hello' }] });
    conn.itemDone({ id: 'item_user1', type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_text', text: 'hello' }] });
    const completed: ConversationItem[] = [];
    client.on('conversation.item.completed', ({ item }) => completed.push(item));
    const { itemId, responseId } = conn.textResponse('Hi there, friend.');
    await until(client, () => completed.length === 2);
    const items = client.conversation.getItems();
    expect(items.map((i) => [i.id, i.role, i.status])).toEqual([
      ['item_user1', 'user', 'completed'],
      [itemId, 'assistant', 'completed'],
    ]);
    expect(items[0].formatted.text).toBe('hello');
    expect(items[1].formatted.text).toBe('Hi there, friend.');
    expect(items[1].placeholder).toBe(false);
    const resp = client.conversation.getResponse(responseId)!;
    expect(resp.status).toBe('completed');
    expect(resp.usage?.total_tokens).toBe(10);
    expect(resp.firstTextDeltaAt).toBeTypeOf('number');
    expect(client.conversation.getActiveResponseId()).toBeNull();
    // Each item is reported completed once.
    expect(completed.map((i) => i.id)).toEqual(['item_user1', itemId]);
  });

  it('streaming transcripts: xStar cumulative `transcript` (replace) and OpenAI incremental `delta` (append), then completed', async () => {
    const { client, conn } = await open(dialect);
    const deltas: string[] = [];
    client.on('conversation.updated', ({ item, delta }) => {
      if (item.id === 'item_u' && delta?.transcript !== undefined) deltas.push(delta.transcript);
    });
    // Partials arrive before the item is announced: a placeholder keyed by id collects them.
    if (dialect === 'beta') {
      conn.send({ type: 'conversation.item.input_audio_transcription.delta', item_id: 'item_u', content_index: 0, transcript: '今天' });
      conn.send({ type: 'conversation.item.input_audio_transcription.delta', item_id: 'item_u', content_index: 0, transcript: '今天天气' });
    } else {
      conn.send({ type: 'conversation.item.input_audio_transcription.delta', item_id: 'item_u', content_index: 0, delta: '今天' });
      conn.send({ type: 'conversation.item.input_audio_transcription.delta', item_id: 'item_u', content_index: 0, delta: '天气' });
    }
    await until(client, () => client.conversation.getItem('item_u')?.formatted.transcript === '今天天气');
    const item = client.conversation.getItem('item_u')!;
    expect(item.placeholder).toBe(true);
    expect(item.formatted.transcriptStatus).toBe('streaming');
    expect(deltas).toEqual(['今天', '天气']);
    conn.announceItem({ id: 'item_u', type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_audio', transcript: null }] });
    conn.send({ type: 'conversation.item.input_audio_transcription.completed', item_id: 'item_u', content_index: 0, transcript: '今天天气怎么样' });
    await until(client, () => item.formatted.transcriptStatus === 'completed');
    expect(client.conversation.getItems()).toHaveLength(1);
    expect(client.conversation.getItem('item_u')).toBe(item);
    expect(item.placeholder).toBe(false);
    expect(item.status).toBe('completed');
    expect(item.formatted.transcript).toBe('今天天气怎么样');
    expect(item.content[0].transcript).toBe('今天天气怎么样');
  });

  it('transcription failure ends the transcript with the error instead of leaving it pending', async () => {
    const { client, conn } = await open(dialect);
    client.updateSession({ input_audio_transcription: { model: 'asr' } });
    conn.announceItem({ id: 'item_f', type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_audio', transcript: null }] });
    await until(client, () => client.conversation.getItem('item_f')?.formatted.transcriptStatus === 'pending');
    conn.send({ type: 'conversation.item.input_audio_transcription.failed', item_id: 'item_f', content_index: 0, error: { type: 'transcription_error', code: 'audio_unintelligible', message: 'could not transcribe' } });
    await until(client, () => client.conversation.getItem('item_f')?.formatted.transcriptStatus === 'failed');
    const item = client.conversation.getItem('item_f')!;
    expect(item.formatted.transcriptError?.code).toBe('audio_unintelligible');
    expect(item.status).toBe('completed');
  });

  it('two parallel tool calls: one output each (a throw becomes an error output), then exactly one response.create', async () => {
    const { client, conn } = await open(dialect);
    const calls: unknown[] = [];
    client.addTool({ name: 'add', parameters: { type: 'object' } }, async (args) => {
      calls.push(args);
      await new Promise((r) => setTimeout(r, 20));
      return { sum: (args.a as number) + (args.b as number) };
    });
    client.addTool({ name: 'boom' }, () => {
      throw new Error('kaput');
    });
    const toolErrors: string[] = [];
    client.on('error', (e) => {
      if (e.source === 'tool') toolErrors.push(e.message);
    });
    await conn.nextClientEvent('session.update');
    await conn.nextClientEvent('session.update');
    const { callIds } = conn.toolCallResponse([
      { name: 'add', arguments: '{"a":2,"b":3}' },
      { name: 'boom', arguments: '{}' },
    ]);
    await conn.nextClientEvent('response.create');
    // Give any stray extra response.create a chance to arrive.
    await new Promise((r) => setTimeout(r, 100));
    const outputs = conn.eventsOfType('conversation.item.create').map((e) => e.item as { type: string; call_id: string; output: string });
    expect(outputs).toHaveLength(2);
    const byCall = new Map(outputs.map((o) => [o.call_id, o]));
    expect(JSON.parse(byCall.get(callIds[0])!.output)).toEqual({ sum: 5 });
    expect(JSON.parse(byCall.get(callIds[1])!.output)).toEqual({ error: 'kaput' });
    expect(conn.eventsOfType('response.create')).toHaveLength(1);
    // The response.create comes after both outputs.
    const types = conn.received.map((e) => e.type);
    expect(types.lastIndexOf('conversation.item.create')).toBeLessThan(types.lastIndexOf('response.create'));
    expect(calls).toEqual([{ a: 2, b: 3 }]);
    expect(toolErrors).toHaveLength(1);
    const items = client.conversation.getItems().filter((i) => i.type === 'function_call');
    expect(items.map((i) => [i.formatted.tool?.name, i.formatted.tool?.arguments, i.status])).toEqual([
      ['add', '{"a":2,"b":3}', 'completed'],
      ['boom', '{}', 'completed'],
    ]);
  });

  it('a tool that returns undefined produces a valid output; a slow one times out into an error output', async () => {
    const { client, conn } = await open(dialect, { toolTimeoutMs: 100 });
    client.addTool({ name: 'nothing' }, () => undefined);
    client.addTool({ name: 'slow' }, () => new Promise((r) => setTimeout(r, 2000)));
    conn.toolCallResponse([
      { name: 'nothing', arguments: '' },
      { name: 'slow', arguments: '{}' },
    ]);
    await conn.nextClientEvent('response.create', 3000);
    const outputs = conn.eventsOfType('conversation.item.create').map((e) => (e.item as { output: string }).output);
    expect(outputs[0]).toBe('null');
    expect(JSON.parse(outputs[1]).error).toMatch(/timed out/);
    expect(conn.eventsOfType('response.create')).toHaveLength(1);
  });
});

describe('audio turns', () => {
  it.each([
    ['Raw8KHz16BitMonoPcm', 8000],
    ['Raw16KHz16BitMonoPcm', 16000],
    ['Raw24KHz16BitMonoPcm', 24000],
  ] as const)('beta output %s: samples at %i Hz, odd-sized deltas, O(1) appends, duration from the format', async (format, rate) => {
    const { client, conn } = await open('beta');
    client.updateSession({ output_audio_format: format });
    await client.waitFor('session.updated', { timeoutMs: 2000 });
    const pcm = ramp(rate / 2); // 500 ms
    const bytes = bytesOf(pcm);
    // Deltas of 20 ms, the first with an odd byte split to prove a sample split across deltas survives.
    const chunks: Uint8Array[] = [];
    const step = (rate / 50) * 2;
    chunks.push(bytes.subarray(0, step + 1));
    for (let at = step + 1; at < bytes.length; at += step) chunks.push(bytes.subarray(at, Math.min(bytes.length, at + step)));
    const deltaSamples: number[] = [];
    client.on('conversation.updated', ({ delta }) => {
      if (delta?.audio) deltaSamples.push(delta.audio.length);
    });
    const { itemId } = conn.audioResponse({ chunks, transcript: 'one two three' });
    const done = await client.waitForNextCompletedItem({ timeoutMs: 3000 });
    const item = done.item;
    expect(item.id).toBe(itemId);
    expect(item.formatted.audioFormat).toEqual({ name: format, encoding: 'pcm16', sampleRate: rate, compressed: false });
    expect(Array.from(item.formatted.audio)).toEqual(Array.from(pcm));
    expect(deltaSamples.reduce((a, b) => a + b, 0)).toBe(pcm.length);
    expect(item.formatted.audioDurationMs).toBe(500);
    expect(item.formatted.transcript).toBe('one two three');
    expect(item.formatted.transcriptStatus).toBe('completed');
    expect(client.conversation.getResponse(item.responseId!)?.firstAudioDeltaAt).toBeTypeOf('number');
  });

  it('GA output audio/pcm at 24 kHz arrives under the GA event names', async () => {
    const { client, conn } = await open('ga');
    const pcm = ramp(2400);
    conn.audioResponse({ chunks: [bytesOf(pcm.subarray(0, 1200)), bytesOf(pcm.subarray(1200))], transcript: 'hi' });
    const { item } = await client.waitForNextCompletedItem({ timeoutMs: 3000 });
    expect(conn.dialect).toBe('ga');
    expect(Array.from(item.formatted.audio)).toEqual(Array.from(pcm));
    expect(item.formatted.audioFormat?.sampleRate).toBe(24000);
    expect(item.content[0].type).toBe('output_audio');
  });

  it('G.711 µ-law output: bytes kept and decoded PCM exposed; compressed MP3 kept as bytes only', async () => {
    const { client, conn } = await open('beta');
    client.updateSession({ output_audio_format: 'g711_ulaw' });
    await client.waitFor('session.updated', { timeoutMs: 2000 });
    const law = encodeMulaw(ramp(800));
    conn.audioResponse({ chunks: [law.subarray(0, 333), law.subarray(333)], transcript: 'x' });
    const { item } = await client.waitForNextCompletedItem({ timeoutMs: 3000 });
    expect(Array.from(item.formatted.audioBytes)).toEqual(Array.from(law));
    expect(Array.from(item.formatted.audio)).toEqual(Array.from(decodeMulaw(law)));
    expect(item.formatted.audioDurationMs).toBe(100);

    client.updateSession({ output_audio_format: 'MonoMp3' });
    await client.waitFor('session.updated', { timeoutMs: 2000 });
    const mp3 = new Uint8Array([0xff, 0xfb, 0x90, 0x44, 0x00, 0x01, 0x02]);
    const seen: (Int16Array | undefined)[] = [];
    client.on('conversation.updated', ({ delta }) => {
      if (delta?.audioBytes) seen.push(delta.audio);
    });
    conn.audioResponse({ chunks: [mp3], transcript: 'y' });
    const { item: mp3Item } = await client.waitForNextCompletedItem({ timeoutMs: 3000 });
    expect(mp3Item.formatted.audioFormat?.encoding).toBe('mp3');
    expect(mp3Item.formatted.audioFormat?.compressed).toBe(true);
    expect(Array.from(mp3Item.formatted.audioBytes)).toEqual(Array.from(mp3));
    expect(mp3Item.formatted.audio.length).toBe(0);
    expect(mp3Item.formatted.audioDurationMs).toBeNull();
    expect(seen).toEqual([undefined]);
  });

  it.each([
    ['Raw16KHz16BitMonoPcm', 16000],
    ['Raw8KHz16BitMonoPcm', 8000],
  ] as const)('input %s: appended audio is sent as base64 of the exact view, and the user item gets [audio_start_ms, audio_end_ms) from the ring', async (format, rate) => {
    const { client, conn } = await open('beta');
    client.updateSession({ input_audio_format: format, turn_detection: { type: 'server_vad' } });
    await client.waitFor('session.updated', { timeoutMs: 2000 });
    const total = ramp(rate * 2); // 2 s of input in 20 ms frames
    const frame = rate / 50;
    // A subarray view into a larger buffer: only the view's bytes may be sent.
    const backing = new Int16Array(total.length + 10);
    backing.set(total, 5);
    const view = backing.subarray(5, 5 + total.length);
    for (let at = 0; at < view.length; at += frame) expect(client.appendInputAudio(view.subarray(at, at + frame))).toBe(true);
    for (let i = 0; i < view.length / frame; i++) await conn.nextClientEvent('input_audio_buffer.append');
    const sent = conn.eventsOfType('input_audio_buffer.append').map((e) => decodeBase64(e.audio as string));
    const joined = new Int16Array(total.length);
    let o = 0;
    for (const b of sent) {
      joined.set(new Int16Array(b.buffer, b.byteOffset, b.byteLength / 2), o);
      o += b.byteLength / 2;
    }
    expect(Array.from(joined)).toEqual(Array.from(total));
    const interrupted: unknown[] = [];
    client.on('conversation.interrupted', (e) => interrupted.push(e));
    conn.send({ type: 'input_audio_buffer.speech_started', audio_start_ms: 300, item_id: 'item_in' });
    conn.send({ type: 'input_audio_buffer.speech_stopped', audio_end_ms: 1250, item_id: 'item_in' });
    conn.send({ type: 'input_audio_buffer.committed', item_id: 'item_in', previous_item_id: null });
    conn.announceItem({ id: 'item_in', type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_audio', transcript: null }] });
    const { item } = await client.waitForNextItem({ timeoutMs: 2000 });
    expect(interrupted).toEqual([{ itemId: 'item_in', audioStartMs: 300 }]);
    expect(item.id).toBe('item_in');
    expect(item.formatted.audioStartMs).toBe(300);
    expect(item.formatted.audioEndMs).toBe(1250);
    expect(item.formatted.audioFormat?.sampleRate).toBe(rate);
    const start = (300 * rate) / 1000;
    const end = (1250 * rate) / 1000;
    expect(Array.from(item.formatted.audio)).toEqual(Array.from(total.subarray(start, end)));
  });

  it('manual turns: createResponse commits first and the committed item gets the audio since the last commit', async () => {
    const { client, conn } = await open('beta');
    client.updateSession({ input_audio_format: 'Raw16KHz16BitMonoPcm', turn_detection: null });
    await client.waitFor('session.updated', { timeoutMs: 2000 });
    const pcm = ramp(3200);
    client.appendInputAudio(pcm.subarray(0, 1600));
    client.appendInputAudio(new Float32Array(1600).fill(0.5));
    client.createResponse();
    await conn.nextClientEvent('input_audio_buffer.commit');
    await conn.nextClientEvent('response.create');
    const types = conn.received.map((e) => e.type).filter((t) => t !== 'session.update');
    expect(types).toEqual(['input_audio_buffer.append', 'input_audio_buffer.append', 'input_audio_buffer.commit', 'response.create']);
    conn.send({ type: 'input_audio_buffer.committed', item_id: 'item_m', previous_item_id: null });
    conn.announceItem({ id: 'item_m', type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_audio', transcript: null }] });
    const { item } = await client.waitForNextItem({ timeoutMs: 2000 });
    expect(item.formatted.audio.length).toBe(3200);
    expect(Array.from(item.formatted.audio.subarray(0, 1600))).toEqual(Array.from(pcm.subarray(0, 1600)));
    expect(item.formatted.audioStartMs).toBe(0);
    expect(item.formatted.audioEndMs).toBe(200);
  });
});

describe('interrupt and truncate', () => {
  it.each([
    ['Raw8KHz16BitMonoPcm', 8000],
    ['Raw16KHz16BitMonoPcm', 16000],
    ['Raw24KHz16BitMonoPcm', 24000],
  ] as const)('%s: cancel while active, truncate at floor(offset / %i * 1000), clamped, local audio cut', async (format, rate) => {
    const { client, conn } = await open('beta');
    client.updateSession({ output_audio_format: format });
    await client.waitFor('session.updated', { timeoutMs: 2000 });
    const pcm = ramp(rate); // 1 s received
    const { itemId, responseId } = conn.audioResponse({ chunks: [bytesOf(pcm.subarray(0, rate / 2)), bytesOf(pcm.subarray(rate / 2))], transcript: 'long answer here', finish: false });
    await until(client, () => client.conversation.getItem(itemId)?.formatted.audio.length === rate);
    expect(client.conversation.getActiveResponseId()).toBe(responseId);
    // Played 0.4567 s worth of samples at the item's own rate.
    const offset = Math.round(rate * 0.4567);
    const r = client.cancelResponse(itemId, offset);
    expect(r.cancelled).toBe(true);
    const expectedMs = Math.floor((offset / rate) * 1000);
    expect(r.truncate).toEqual({ itemId, contentIndex: 0, audioEndMs: expectedMs });
    await conn.nextClientEvent('response.cancel');
    const trunc = await conn.nextClientEvent('conversation.item.truncate');
    expect(trunc).toMatchObject({ item_id: itemId, content_index: 0, audio_end_ms: expectedMs });
    conn.send({ type: 'conversation.item.truncated', item_id: itemId, content_index: 0, audio_end_ms: expectedMs });
    const doneP = client.waitFor('response.done', { timeoutMs: 2000 });
    conn.finishAudioResponse(responseId, itemId, 'long answer here', 'cancelled');
    const { response } = await doneP;
    expect(response.status).toBe('cancelled');
    const item = client.conversation.getItem(itemId)!;
    // The wire item says `incomplete`; the cancelled response says why.
    expect(item.status).toBe('cancelled');
    expect(item.formatted.audio.length).toBe(Math.floor((expectedMs * rate) / 1000));
    expect(item.formatted.truncated).toEqual({ audioEndMs: expectedMs, contentIndex: 0 });
    expect(item.formatted.transcriptStatus).toBe('truncated');
    // After the response is done: no cancel, and a truncate past the received audio is clamped.
    const again = client.cancelResponse(itemId, rate * 10);
    expect(again.cancelled).toBe(false);
    expect(again.truncate?.audioEndMs).toBe(expectedMs);
    await conn.nextClientEvent('conversation.item.truncate');
    expect(conn.eventsOfType('response.cancel')).toHaveLength(1);
  });

  it('no truncate for a text-only item, for an unknown id, or where the profile says truncate is unsupported; no-arg cancel only cancels', async () => {
    const { client, conn } = await open('beta', { provider: 'xstar' });
    expect(client.capabilities.truncate).toBe(false);
    const { itemId } = conn.audioResponse({ chunks: [bytesOf(ramp(2400))], transcript: 'a', finish: false });
    await until(client, () => (client.conversation.getItem(itemId)?.formatted.audio.length ?? 0) > 0);
    expect(client.cancelResponse(itemId, 1000)).toMatchObject({ cancelled: true, truncate: null });
    expect(client.cancelResponse()).toMatchObject({ cancelled: true, truncate: null });
    client.disconnect();

    const { client: c2, conn: k2 } = await open('beta');
    const text = k2.textResponse('just text');
    await c2.waitForNextCompletedItem({ timeoutMs: 2000 });
    expect(c2.cancelResponse(text.itemId, 1000)).toMatchObject({ cancelled: false, truncate: null });
    expect(c2.cancelResponse('item_nope', 1000)).toMatchObject({ cancelled: false, truncate: null, item: null });
    await new Promise((r) => setTimeout(r, 50));
    expect(k2.eventsOfType('conversation.item.truncate')).toHaveLength(0);
    expect(k2.eventsOfType('response.cancel')).toHaveLength(0);
  });
});

describe('robustness', () => {
  it('server close mid-response: one close with a typed error, every open item ends incomplete', async () => {
    const { client, conn } = await open('beta');
    const { itemId } = conn.audioResponse({ chunks: [bytesOf(ramp(4800))], transcript: 'cut', finish: false });
    await until(client, () => (client.conversation.getItem(itemId)?.formatted.audio.length ?? 0) > 0);
    const closes: unknown[] = [];
    const completed: string[] = [];
    client.on('close', (c) => closes.push(c));
    client.on('conversation.item.completed', ({ item }) => completed.push(`${item.id}:${item.status}`));
    conn.close(1011, 'server crashed');
    await client.waitFor('close', { timeoutMs: 2000 });
    expect(closes).toHaveLength(1);
    expect((closes[0] as { error: { reason: string; code: number } }).error).toMatchObject({ reason: 'closed', code: 1011 });
    expect(completed).toEqual([`${itemId}:incomplete`]);
    expect(client.isConnected()).toBe(false);
    // The conversation stays readable after a server close (only disconnect() clears it).
    expect(client.conversation.getItem(itemId)?.formatted.audio.length).toBe(4800);
    expect(client.appendInputAudio(ramp(10))).toBe(false);
  });

  it('malformed frames become error events and never stop later events; throwing listeners never stop others', async () => {
    const { client, conn } = await open('beta');
    const errors: { source: string; message: string }[] = [];
    const later: string[] = [];
    client.on('error', (e) => errors.push({ source: e.source, message: e.message }));
    client.on('conversation.updated', () => {
      throw new Error('listener one broke');
    });
    client.on('conversation.updated', async () => {
      await Promise.resolve();
      throw new Error('listener two rejected');
    });
    client.on('conversation.updated', ({ item }) => later.push(item.id));
    conn.sendRaw('not json at all');
    conn.sendRaw('{"no_type":true}');
    conn.sendRaw('[1,2,3]');
    conn.send({ type: 'response.audio.delta', response_id: 'r', item_id: 'item_bad', output_index: 0, content_index: 0, delta: '@@@not base64@@@' });
    conn.send({ type: 'error', error: { type: 'invalid_request_error', code: 'response_cancel_not_active', message: 'no active response', param: null, event_id: 'evt_1' } });
    conn.textResponse('still alive');
    await client.waitForNextCompletedItem({ timeoutMs: 2000 });
    await new Promise((r) => setTimeout(r, 20));
    const bySource = (s: string) => errors.filter((e) => e.source === s);
    expect(bySource('protocol').map((e) => e.message)).toEqual(['frame is not JSON', 'frame has no "type"', 'frame is not a JSON object', expect.stringMatching(/cannot apply response.audio.delta/)]);
    expect(bySource('server').map((e) => e.message)).toEqual(['no active response']);
    expect(bySource('listener').length).toBeGreaterThanOrEqual(2);
    expect(bySource('listener').some((e) => e.message.includes('rejected'))).toBe(true);
    expect(later.length).toBeGreaterThan(3);
    expect(client.isConnected()).toBe(true);
  });

  it('events out of order: deltas before the item, a done before its added, a response.done without created', async () => {
    const { client, conn } = await open('ga');
    const ref = { response_id: 'resp_x', item_id: 'item_x', output_index: 0, content_index: 0 };
    conn.send({ type: 'response.output_audio_transcript.delta', ...ref, delta: 'early ' });
    conn.send({ type: 'response.output_audio.delta', ...ref, delta: Buffer.from(bytesOf(ramp(100))).toString('base64') });
    conn.send({ type: 'response.function_call_arguments.delta', response_id: 'resp_x', item_id: 'item_call', output_index: 1, call_id: 'call_1', delta: '{"a":' });
    await until(client, () => client.conversation.getItems().length === 2);
    expect(client.conversation.getItems().map((i) => [i.id, i.placeholder, i.type])).toEqual([
      ['item_x', true, 'message'],
      ['item_call', true, 'function_call'],
    ]);
    conn.send({ type: 'conversation.item.done', item: { id: 'item_x', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_audio', transcript: 'early words' }] } });
    conn.send({ type: 'conversation.item.added', item: { id: 'item_x', type: 'message', role: 'assistant', status: 'in_progress', content: [] } });
    conn.send({ type: 'response.done', response: { id: 'resp_x', status: 'completed', output: [{ id: 'item_call', type: 'function_call', status: 'completed', call_id: 'call_1', name: 'f', arguments: '{"a":1}' }] } });
    await until(client, () => client.conversation.getItem('item_call')?.status === 'completed');
    const x = client.conversation.getItem('item_x')!;
    expect(x.status).toBe('completed');
    expect(x.placeholder).toBe(false);
    expect(x.formatted.audio.length).toBe(100);
    expect(x.formatted.transcript).toBe('early words');
    expect(client.conversation.getItems()).toHaveLength(2);
  });
});
