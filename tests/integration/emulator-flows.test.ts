import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAlaw } from '../../src/lib/dsp/g711';
import { connect, RecordingClient, startEmulator, ToneSynthesizer, type EmulatorHarness } from '../helpers/emulator-harness';
import { checkInvariants } from '../helpers/emulator-invariants';

let h: EmulatorHarness;
const synth = new ToneSynthesizer(10);

beforeAll(async () => {
  h = await startEmulator({ synthesizer: synth, pacingSpeed: 10 });
});
afterAll(async () => {
  await h.close();
});

function say(c: RecordingClient, text: string, eventId?: string): void {
  c.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] } });
  c.send({ event_id: eventId, type: 'response.create' });
}

function httpGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let data = '';
      res.on('data', (d: Buffer) => (data += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(data) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('cancel, truncate, delete, retrieve', () => {
  it('response.cancel → cancelled with client_cancelled; a second cancel → response_cancel_not_active', async () => {
    const c = await connect(h, 'beta', 'reply=long');
    say(c, 'Tell me a long story');
    await c.waitFor('response.audio.delta', () => true, 3);
    c.send({ event_id: 'k1', type: 'response.cancel' });
    const done = await c.waitFor('response.done');
    expect(done.response).toMatchObject({ status: 'cancelled', status_details: { type: 'cancelled', reason: 'client_cancelled' } });
    const after = c.frames.length;
    c.send({ event_id: 'k2', type: 'response.cancel' });
    const err = await c.waitFor('error');
    expect(err.error).toMatchObject({ code: 'response_cancel_not_active', event_id: 'k2' });
    // Nothing of the cancelled response follows its response.done.
    await new Promise((r) => setTimeout(r, 100));
    expect(c.frames.slice(after).filter((f) => f.type.startsWith('response.'))).toEqual([]);
    expect(checkInvariants(c.frames, 'beta')).toEqual([]);
    await c.close();
  });

  it('a second response.create while one is active → conversation_already_has_active_response', async () => {
    const c = await connect(h, 'ga', 'reply=long');
    say(c, 'one');
    await c.waitFor('response.created');
    c.send({ event_id: 'dup', type: 'response.create' });
    const err = await c.waitFor('error');
    expect(err.error).toMatchObject({ code: 'conversation_already_has_active_response', event_id: 'dup' });
    c.send({ type: 'response.cancel' });
    await c.waitFor('response.done');
    // Out-of-band responses may run beside the default conversation's.
    say(c, 'two');
    await c.waitFor('response.created', () => true, 2);
    c.send({ type: 'response.create', response: { conversation: 'none', output_modalities: ['text'], metadata: { topic: 'side' } } });
    const side = await c.waitFor('response.done', (f) => (f.response as { metadata: unknown }).metadata !== null);
    expect(side.response).toMatchObject({ status: 'completed', conversation_id: null, metadata: { topic: 'side' } });
    c.send({ type: 'response.cancel' });
    await c.waitFor('response.done', () => true, 3);
    expect(checkInvariants(c.frames, 'ga')).toEqual([]);
    await c.close();
  });

  it('truncate: success trims audio and transcript; beyond the generated audio → error; retrieve reflects it', async () => {
    const c = await connect(h, 'beta');
    c.send({ type: 'session.update', session: { output_audio_format: 'g711_alaw' } });
    say(c, 'Short answer please');
    const done = await c.waitFor('response.done');
    const item = (done.response as { output: { id: string }[] }).output[0];
    const totalSamples = c.of('response.audio.delta').reduce((n, d) => n + Buffer.from(d.delta as string, 'base64').length, 0);
    const generatedMs = Math.floor((totalSamples / 8000) * 1000);
    c.send({ event_id: 't1', type: 'conversation.item.truncate', item_id: item.id, content_index: 0, audio_end_ms: generatedMs + 1 });
    const err = await c.waitFor('error');
    expect(err.error).toMatchObject({ code: 'invalid_value', param: 'audio_end_ms', event_id: 't1' });
    c.send({ type: 'conversation.item.truncate', item_id: item.id, content_index: 0, audio_end_ms: 500 });
    const truncated = await c.waitFor('conversation.item.truncated');
    expect(truncated).toMatchObject({ item_id: item.id, content_index: 0, audio_end_ms: 500 });
    c.send({ type: 'conversation.item.retrieve', item_id: item.id });
    const got = await c.waitFor('conversation.item.retrieved');
    const part = (got.item as { content: { type: string; audio: string; transcript: string }[] }).content[0];
    expect(part.type).toBe('audio');
    expect(part.transcript).toBe('');
    const audio = decodeAlaw(new Uint8Array(Buffer.from(part.audio, 'base64')));
    expect(audio.length).toBe(4000);
    c.send({ event_id: 't2', type: 'conversation.item.truncate', item_id: 'item_nope', content_index: 0, audio_end_ms: 0 });
    expect((await c.waitFor('error', () => true, 2)).error).toMatchObject({ code: 'item_not_found', event_id: 't2' });
    await c.close();
  });

  it('delete removes an item (deleted), then retrieve/delete of it → item_not_found', async () => {
    const c = await connect(h, 'ga');
    c.send({ type: 'conversation.item.create', item: { id: 'item_mine', type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] } });
    const added = await c.waitFor('conversation.item.added');
    expect((added.item as { id: string }).id).toBe('item_mine');
    await c.waitFor('conversation.item.done');
    c.send({ type: 'conversation.item.retrieve', item_id: 'item_mine' });
    expect(((await c.waitFor('conversation.item.retrieved')).item as { content: unknown[] }).content).toEqual([{ type: 'input_text', text: 'hi' }]);
    c.send({ type: 'conversation.item.delete', item_id: 'item_mine' });
    expect(await c.waitFor('conversation.item.deleted')).toMatchObject({ item_id: 'item_mine' });
    c.send({ event_id: 'd2', type: 'conversation.item.delete', item_id: 'item_mine' });
    expect((await c.waitFor('error')).error).toMatchObject({ code: 'item_not_found', param: 'item_id', event_id: 'd2' });
    c.send({ event_id: 'a1', type: 'conversation.item.create', item: { type: 'message', role: 'assistant', content: [{ type: 'output_audio', transcript: 'x' }] } });
    expect((await c.waitFor('error', () => true, 2)).error).toMatchObject({ code: 'invalid_value', event_id: 'a1' });
    await c.close();
  });
});

describe('tools and plugins', () => {
  it('/tool NAME {json} calls a declared client tool, waits for its output, then answers with it', async () => {
    const c = await connect(h, 'ga');
    c.send({
      type: 'session.update',
      session: { type: 'realtime', tools: [{ type: 'function', name: 'get_weather', parameters: { type: 'object' } }] },
    });
    say(c, '/tool get_weather {"city":"Shanghai"}');
    const done = await c.waitFor('response.done');
    const call = (done.response as { output: { type: string; name: string; arguments: string; call_id: string }[] }).output[0];
    expect(call).toMatchObject({ type: 'function_call', name: 'get_weather', arguments: '{"city":"Shanghai"}' });
    expect(c.of('response.function_call_arguments.done')[0]).toMatchObject({ name: 'get_weather', arguments: '{"city":"Shanghai"}', call_id: call.call_id });
    expect(c.of('response.function_call_arguments.delta').map((d) => d.delta).join('')).toBe('{"city":"Shanghai"}');
    c.send({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: call.call_id, output: '{"temp":21}' } });
    c.send({ type: 'response.create' });
    await c.waitFor('response.done', () => true, 2);
    expect(c.of('response.output_audio_transcript.done')[0].transcript).toBe('The get_weather tool returned: {"temp":21}');
    expect(checkInvariants(c.frames, 'ga')).toEqual([]);
    await c.close();
  });

  it('math_game: "24 points" text calls the plugin and speaks every distinct solution count', async () => {
    const c = await connect(h, 'beta');
    say(c, '请帮我用三、八、八、三算出二十四点。');
    const done = await c.waitFor('response.done');
    const out = (done.response as { output: { type: string; name?: string; arguments?: string; content?: { transcript: string }[] }[] }).output;
    expect(out[0]).toMatchObject({ type: 'function_call', name: 'math_game' });
    expect(JSON.parse(out[0].arguments as string)).toEqual({ numbers: [3, 8, 8, 3], target: 24 });
    expect(out[1].content?.[0].transcript).toBe('用3、8、8、3算24，共有1种解法：8 ÷ (3 - 8 ÷ 3)。');
    say(c, '/tool math_game {"numbers":[1,2,3,4]}');
    const d2 = await c.waitFor('response.done', () => true, 2);
    const o2 = (d2.response as { output: { content?: { transcript: string }[] }[] }).output;
    expect(o2[1].content?.[0].transcript).toMatch(/^4 solutions to make 24 from 1, 2, 3, 4: /);
    expect(checkInvariants(c.frames, 'beta')).toEqual([]);
    await c.close();
  });

  it('remember/recall per userId survive a reconnect; other users do not see them', async () => {
    const a = await connect(h, 'beta', 'userId=alice');
    say(a, '/tool remember {"fact":"my cat is called Mimi"}');
    await a.waitFor('response.done');
    await a.close();
    const a2 = await connect(h, 'beta', 'userId=alice');
    say(a2, 'What do you remember about me?');
    const done = await a2.waitFor('response.done');
    const out = (done.response as { output: { name?: string; content?: { transcript: string }[] }[] }).output;
    expect(out[0].name).toBe('recall');
    expect(out[1].content?.[0].transcript).toBe('I remember: my cat is called Mimi.');
    const b = await connect(h, 'beta', 'userId=bob');
    say(b, '/tool recall {}');
    const db = await b.waitFor('response.done');
    expect((db.response as { output: { content?: { transcript: string }[] }[] }).output[1].content?.[0].transcript).toBe(
      'I do not remember anything about you yet.',
    );
    await a2.close();
    await b.close();
  });

  it('switch_voice and adjust_voice_speed change the synthesiser pitch and rate', async () => {
    const c = await connect(h, 'beta');
    say(c, '/tool switch_voice {"voice":"龙老铁"}');
    await c.waitFor('response.done');
    say(c, 'hello');
    await c.waitFor('response.done', () => true, 2);
    const pitchAfter = synth.requests.at(-1)?.pitch;
    expect(pitchAfter).toBe(25);
    say(c, '/tool adjust_voice_speed {"speed":1.5}');
    await c.waitFor('response.done', () => true, 3);
    say(c, 'hello again');
    await c.waitFor('response.done', () => true, 4);
    expect(synth.requests.at(-1)?.wordsPerMinute).toBe(Math.round(155 * 1.5));
    await c.close();
  });
});

describe('faults, auth, pre-check, REST', () => {
  it('fault=rate-limit → 429 on the pre-check and the upgrade', async () => {
    const pre = await httpGet(`${h.httpUrl}/v1/realtime?model=m&fault=rate-limit`);
    expect(pre.status).toBe(429);
    expect(pre.body).toMatchObject({ error: { code: 'rate_limit_exceeded' } });
    const c = new RecordingClient(`${h.wsUrl}?fault=rate-limit`);
    await expect(c.opened).rejects.toThrow('HTTP 429');
  });

  it('fault=drop-after-ms drops the socket without a close frame (1006)', async () => {
    const c = await connect(h, 'beta', 'fault=drop-after-ms:50');
    await c.closed;
    expect(c.closeCode).toBe(1006);
  });

  it('fault=malformed-after-ms sends one frame that is not JSON; the session continues', async () => {
    const c = await connect(h, 'beta', 'fault=malformed-after-ms:20');
    await c.until(() => c.malformed.length === 1);
    c.send({ type: 'input_audio_buffer.clear' });
    await c.waitFor('input_audio_buffer.cleared');
    await c.close();
  });

  it('fault=delay-first-audio-ms holds back the first audio delta', async () => {
    const c = await connect(h, 'beta', 'fault=delay-first-audio-ms:300,jitter-ms:5');
    say(c, 'hi');
    await c.waitFor('response.content_part.added');
    const t0 = Date.now();
    await c.waitFor('response.audio.delta');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    await c.waitFor('response.done');
    expect(checkInvariants(c.frames, 'beta')).toEqual([]);
    await c.close();
  });

  it('fault=jitter-ms delays deltas but keeps their order and content (replies are deterministic)', async () => {
    const plain = await connect(h, 'ga');
    const jittery = await connect(h, 'ga', 'fault=jitter-ms:30');
    for (const c of [plain, jittery]) say(c, 'Same words twice');
    await Promise.all([plain.waitFor('response.done'), jittery.waitFor('response.done')]);
    const audio = (c: RecordingClient) => c.of('response.output_audio.delta').map((d) => d.delta);
    expect(audio(jittery)).toEqual(audio(plain));
    expect(audio(plain).length).toBeGreaterThan(3);
    expect(checkInvariants(jittery.frames, 'ga')).toEqual([]);
    await plain.close();
    await jittery.close();
  });

  it('with an API key: wrong key → error invalid_api_key then close 1008; pre-check 401; right key works', async () => {
    const k = await startEmulator({ apiKey: 'sk-right', synthesizer: synth });
    try {
      const bad = new RecordingClient(k.wsUrl, { protocols: ['realtime', 'openai-insecure-api-key.sk-wrong', 'openai-beta.realtime-v1'] });
      await bad.closed;
      expect(bad.frames.map((f) => f.type)).toEqual(['error']);
      expect(bad.frames[0].error).toMatchObject({ code: 'invalid_api_key' });
      expect(bad.closeCode).toBe(1008);
      expect((await httpGet(`${k.httpUrl}/v1/realtime?model=x`, { Authorization: 'Bearer sk-wrong' })).status).toBe(401);
      expect((await httpGet(`${k.httpUrl}/v1/realtime?model=x&userId=u`, { Authorization: 'Bearer sk-right' })).status).toBe(200);
      const viaProtocol = new RecordingClient(k.wsUrl, { protocols: ['realtime', 'openai-insecure-api-key.sk-right'] });
      await viaProtocol.waitFor('session.created');
      expect(viaProtocol.ws.protocol).toBe('realtime');
      const viaHeader = new RecordingClient(k.wsUrl, { headers: { Authorization: 'Bearer sk-right' } });
      await viaHeader.waitFor('session.created');
      expect(k.emulator.sessionCount).toBe(2);
      await viaProtocol.close();
      await viaHeader.close();
    } finally {
      await k.close();
    }
  });

  it('models and voice list; close() ends every session with 1001', async () => {
    const e = await startEmulator();
    try {
      const voices = await httpGet(`${e.httpUrl}/v1/realtime/voiceList`);
      expect((voices.body.data as { name: string }[]).some((v) => v.name === '龙婉')).toBe(true);
      const models = await httpGet(`${e.httpUrl}/v1/models`);
      expect(models.body.object).toBe('list');
      const c = await connect(e, 'ga');
      await c.waitFor('session.created');
      expect(e.emulator.sessionCount).toBe(1);
      // Without a synthesiser replies are text only, even with audio output requested.
      say(c, 'hello');
      await c.waitFor('response.done');
      expect(c.of('response.output_text.delta').length).toBeGreaterThan(0);
      expect(c.of('response.output_audio.delta')).toHaveLength(0);
      await e.emulator.close();
      await c.closed;
      expect(c.closeCode).toBe(1001);
      expect(e.emulator.sessionCount).toBe(0);
    } finally {
      await e.close();
    }
  });
});

describe('GA idle timeout', () => {
  it('no speech for idle_timeout_ms after a response → timeout_triggered, silent commit, a response', async () => {
    const c = await connect(h, 'ga');
    c.send({ type: 'session.update', session: { type: 'realtime', audio: { input: { turn_detection: { type: 'server_vad', idle_timeout_ms: 5000 } } } } });
    await c.waitFor('session.updated');
    // 1 s of silence before any response does not count.
    c.send({ type: 'input_audio_buffer.append', audio: Buffer.alloc(48000).toString('base64') });
    say(c, 'hello');
    await c.waitFor('response.done');
    // 6 s of silence in 100 ms appends (24 kHz PCM).
    for (let i = 0; i < 60; i++) c.send({ type: 'input_audio_buffer.append', audio: Buffer.alloc(4800).toString('base64') });
    const t = await c.waitFor('input_audio_buffer.timeout_triggered');
    expect(t).toMatchObject({ audio_start_ms: 1000, audio_end_ms: 6000 });
    const committed = await c.waitFor('input_audio_buffer.committed');
    expect(committed.item_id).toBe(t.item_id);
    const done = await c.waitFor('response.done', () => true, 2);
    expect((done.response as { output: { content: { transcript: string }[] }[] }).output[0].content[0].transcript).toBe('Are you still there?');
    expect(c.of('input_audio_buffer.timeout_triggered')).toHaveLength(1);
    expect(checkInvariants(c.frames, 'ga')).toEqual([]);
    await c.close();
  });
});

describe('reply=long and output formats', () => {
  it('reply=long makes a reply at least 10 s long (44.1 kHz output)', async () => {
    const s = new ToneSynthesizer(40);
    const e = await startEmulator({ synthesizer: s, pacingSpeed: 50 });
    try {
      const c = await connect(e, 'beta', 'reply=long');
      c.send({ type: 'session.update', session: { output_audio_format: 'Raw44100Hz16BitMonoPcm' } });
      say(c, 'hi');
      await c.waitFor('response.done');
      const bytes = c.of('response.audio.delta').reduce((n, d) => n + Buffer.from(d.delta as string, 'base64').length, 0);
      expect(bytes / 2 / 44100).toBeGreaterThanOrEqual(10);
      for (const d of c.of('response.audio.delta').slice(0, -1)) expect(Buffer.from(d.delta as string, 'base64').length).toBe(1764 * 2);
      await c.close();
    } finally {
      await e.close();
    }
  });
});
