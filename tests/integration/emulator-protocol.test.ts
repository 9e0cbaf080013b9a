import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base64Pcm, connect, startEmulator, ToneSynthesizer, type EmulatorHarness, type Frame } from '../helpers/emulator-harness';
import { checkInvariants } from '../helpers/emulator-invariants';

let h: EmulatorHarness;
const synth = new ToneSynthesizer(10);

beforeAll(async () => {
  h = await startEmulator({ synthesizer: synth, pacingSpeed: 20 });
});
afterAll(async () => {
  await h.close();
});

function userText(text: string, type = 'input_text'): Record<string, unknown> {
  return { type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type, text }] } };
}

describe('emulator handshake and session', () => {
  it('sends session.created first with beta defaults and selects the realtime subprotocol', async () => {
    const c = await connect(h, 'beta');
    expect(c.ws.protocol).toBe('realtime');
    const created = await c.waitFor('session.created');
    expect(c.frames[0].type).toBe('session.created');
    const s = created.session as Record<string, unknown>;
    expect(s.modalities).toEqual(['text', 'audio']);
    expect(s.voice).toBe('龙婉');
    expect(s.turn_detection).toMatchObject({ type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 500 });
    await c.close();
  });

  it('speaks GA without the beta marker, and beta with the OpenAI-Beta header', async () => {
    const ga = await connect(h, 'ga');
    const s = (await ga.waitFor('session.created')).session as Record<string, unknown>;
    expect(s.type).toBe('realtime');
    expect(s.output_modalities).toEqual(['audio']);
    expect((s.audio as { input: { format: unknown } }).input.format).toEqual({ type: 'audio/pcm', rate: 24000 });
    expect(ga.ws.protocol).toBe('');
    const beta = await connect(h, 'ga', '', { headers: { 'OpenAI-Beta': 'realtime=v1' } });
    const sb = (await beta.waitFor('session.created')).session as Record<string, unknown>;
    expect(sb.modalities).toEqual(['text', 'audio']);
    await ga.close();
    await beta.close();
  });

  it('merges session.update and answers session.updated with the effective config (xStar names)', async () => {
    const c = await connect(h, 'beta');
    c.send({ type: 'session.update', session: { input_audio_format: 'Raw16KHz16BitMonoPcm', output_audio_format: 'Raw8KHz16BitMonoPcm' } });
    c.send({ type: 'session.update', session: { instructions: 'agent_template={幻星}', turn_detection: null } });
    const second = await c.waitFor('session.updated', () => true, 2);
    const s = second.session as Record<string, unknown>;
    expect(s.input_audio_format).toBe('Raw16KHz16BitMonoPcm');
    expect(s.output_audio_format).toBe('Raw8KHz16BitMonoPcm');
    expect(s.instructions).toBe('agent_template={幻星}');
    expect(s.turn_detection).toBeNull();
    expect(s.voice).toBe('龙婉');
    await c.close();
  });

  it('answers bad updates with error code, param and the offending event_id, and changes nothing', async () => {
    const c = await connect(h, 'ga');
    c.send({ event_id: 'e1', type: 'session.update', session: { instructions: 'x' } });
    c.send({ event_id: 'e2', type: 'session.update', session: { type: 'realtime', modalities: ['text'] } });
    c.send({ event_id: 'e3', type: 'session.update', session: { type: 'realtime', audio: { input: { format: { type: 'audio/pcm', rate: 16000 } } } } });
    c.send({ event_id: 'e4', type: 'session.update', session: { type: 'realtime', audio: { output: { format: 'Raw16KHz16BitMonoPcm' } } } });
    const errors = await Promise.all([1, 2, 3, 4].map((n) => c.waitFor('error', () => true, n)));
    expect(errors.map((e) => e.error)).toMatchObject([
      { code: 'missing_required_parameter', param: 'session.type', event_id: 'e1' },
      { code: 'unknown_parameter', param: 'session.modalities', event_id: 'e2' },
      { code: 'invalid_value', param: 'session.audio.input.format.rate', event_id: 'e3' },
      { code: 'invalid_value', param: 'session.audio.output.format', event_id: 'e4' },
    ]);
    expect(c.of('session.updated')).toHaveLength(0);
    const b = await connect(h, 'beta');
    b.send({ event_id: 'm1', type: 'session.update', session: { output_audio_format: 'MonoMp3' } });
    b.send({ event_id: 'm2', type: 'session.update', session: { input_audio_format: 'pcm8' } });
    b.send({ event_id: 'm3', type: 'session.update', session: { colour: 'blue' } });
    const be = await Promise.all([1, 2, 3].map((n) => b.waitFor('error', () => true, n)));
    expect(be.map((e) => e.error)).toMatchObject([
      { code: 'invalid_value', param: 'session.output_audio_format', event_id: 'm1' },
      { code: 'invalid_value', param: 'session.input_audio_format', event_id: 'm2' },
      { code: 'unknown_parameter', param: 'session.colour', event_id: 'm3' },
    ]);
    await c.close();
    await b.close();
  });

  it('never crashes on bad frames: invalid JSON, missing or unknown type', async () => {
    const c = await connect(h, 'beta');
    c.sendRaw('{not json');
    c.send({ event_id: 'x1', foo: 1 });
    c.send({ event_id: 'x2', type: 'response.explode' });
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    const errs = await Promise.all([1, 2, 3, 4].map((n) => c.waitFor('error', () => true, n)));
    expect(errs.map((e) => (e.error as { code: string }).code)).toEqual(['invalid_event', 'invalid_event', 'invalid_value', 'invalid_event']);
    expect((errs[2].error as { param: string; event_id: string }).param).toBe('type');
    expect((errs[2].error as { event_id: string }).event_id).toBe('x2');
    c.send({ type: 'session.update', session: { voice: 'marin' } });
    await c.waitFor('session.updated');
    await c.close();
  });
});

describe('emulator responses', () => {
  it('text input → deterministic audio reply in exact beta order, in the negotiated format and rate', async () => {
    const c = await connect(h, 'beta');
    c.send({ type: 'session.update', session: { output_audio_format: 'Raw8KHz16BitMonoPcm', turn_detection: null } });
    await c.waitFor('session.updated');
    c.send(userText('Hello there'));
    c.send({ event_id: 'r1', type: 'response.create' });
    const done = await c.waitFor('response.done');
    expect((done.response as { status: string }).status).toBe('completed');
    const r = done.response as { id: string; usage: { total_tokens: number } };
    expect(r.usage.total_tokens).toBeGreaterThan(0);
    const seq = c.types().filter((t) => t.startsWith('response.') || t === 'conversation.item.created');
    const compact = seq.filter((t, i) => t !== seq[i - 1]);
    expect(compact).toEqual([
      'conversation.item.created',
      'response.created',
      'response.output_item.added',
      'conversation.item.created',
      'response.content_part.added',
      ...compact.slice(5, compact.indexOf('response.audio.done')),
      'response.audio.done',
      'response.audio_transcript.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.done',
    ]);
    const deltas = c.of('response.audio.delta');
    const samples = deltas.map((d) => base64Pcm(d.delta as string));
    // 8 kHz, 40 ms per delta (the last may be shorter).
    for (const s of samples.slice(0, -1)) expect(s.length).toBe(320);
    const total = samples.reduce((n, s) => n + s.length, 0);
    const text = 'You said: Hello there This is the offline realtime emulator.';
    expect(synth.requests.at(-1)).toMatchObject({ text, voice: 'en-us' });
    // The tone synthesiser makes 10 ms per character at 22050 Hz, resampled to 8 kHz.
    expect(Math.abs(total - Math.ceil((Math.round(22050 * Array.from(text).length * 0.01) * 8000) / 22050))).toBeLessThanOrEqual(1);
    const transcript = c.of('response.audio_transcript.delta').map((d) => d.delta).join('');
    expect(transcript).toBe(text);
    expect(c.of('response.audio_transcript.done')[0].transcript).toBe(text);
    expect(checkInvariants(c.frames, 'beta')).toEqual([]);
    await c.close();
  });

  it('transcript deltas go out in step with the audio deltas', async () => {
    const c = await connect(h, 'beta');
    c.send({ type: 'session.update', session: { turn_detection: null } });
    c.send(userText('one two three four five six seven eight nine ten'));
    c.send({ type: 'response.create' });
    await c.waitFor('response.done');
    const kinds = c.frames.filter((f) => f.type === 'response.audio.delta' || f.type === 'response.audio_transcript.delta').map((f) => f.type[15]);
    const audioTotal = kinds.filter((k) => k === 'd').length;
    const words = kinds.filter((k) => k === 't').length;
    expect(words).toBe(18);
    // The j-th word goes out right after the audio delta that reaches j/n of the speech.
    let audioSoFar = 0;
    let j = 0;
    for (const k of kinds) {
      if (k === 'd') audioSoFar++;
      else {
        j++;
        expect(audioSoFar).toBeGreaterThanOrEqual(Math.floor((j / words) * audioTotal) - 1);
        expect(audioSoFar).toBeLessThanOrEqual(Math.ceil((j / words) * audioTotal) + 1);
      }
    }
    await c.close();
  });

  it('default pacing is real time: the audio takes at least its own duration to arrive', async () => {
    const rt = await startEmulator({ synthesizer: new ToneSynthesizer(10) });
    try {
      const c = await connect(rt, 'ga');
      c.send(userText('Real time please, about one second.'));
      c.send({ type: 'response.create' });
      await c.waitFor('response.output_audio.delta');
      const t0 = Date.now();
      await c.waitFor('response.done');
      const wall = Date.now() - t0;
      const samples = c.of('response.output_audio.delta').reduce((n, d) => n + base64Pcm(d.delta as string).length, 0);
      const audioMs = (samples / 24000) * 1000;
      expect(audioMs).toBeGreaterThan(500);
      // Lower bound only (load can only make it slower): all but the first 40 ms delta are paced.
      expect(wall).toBeGreaterThanOrEqual(audioMs - 80);
      await c.close();
    } finally {
      await rt.close();
    }
  });

  it('GA: same flow with GA names, added/done item events and output_audio content', async () => {
    const c = await connect(h, 'ga');
    c.send(userText('你好'));
    c.send({ type: 'response.create' });
    const done = await c.waitFor('response.done');
    const types = c.types();
    expect(types).toContain('response.output_audio.delta');
    expect(types).toContain('conversation.item.done');
    expect(types.some((t) => t === 'response.audio.delta' || t === 'conversation.item.created')).toBe(false);
    const out = (done.response as { output: { content: { type: string; transcript: string }[] }[] }).output;
    expect(out[0].content[0]).toMatchObject({ type: 'output_audio', transcript: '你说的是：你好。我是离线实时模拟器。' });
    expect(synth.requests.at(-1)).toMatchObject({ voice: 'cmn' });
    expect(checkInvariants(c.frames, 'ga')).toEqual([]);
    await c.close();
  });

  it('text modality → text deltas; tts_text is spoken as given', async () => {
    const c = await connect(h, 'beta');
    c.send({ type: 'session.update', session: { modalities: ['text'] } });
    c.send(userText('Plain text please'));
    c.send({ type: 'response.create' });
    await c.waitFor('response.done');
    expect(c.of('response.text.delta').map((d) => d.delta).join('')).toBe('You said: Plain text please This is the offline realtime emulator.');
    expect(c.of('response.audio.delta')).toHaveLength(0);
    c.send({ type: 'session.update', session: { modalities: ['text', 'audio'] } });
    c.send(userText('电量低，请充电。', 'tts_text'));
    c.send({ type: 'response.create' });
    const d2 = await c.waitFor('response.done', () => true, 2);
    expect(synth.requests.at(-1)).toMatchObject({ text: '电量低，请充电。', voice: 'cmn' });
    const out = (d2.response as { output: { content: { transcript: string }[] }[] }).output;
    expect(out[0].content[0].transcript).toBe('电量低，请充电。');
    expect(checkInvariants(c.frames, 'beta')).toEqual([]);
    await c.close();
  });

  it('commit of less than 100 ms → input_audio_buffer_commit_empty; 100 ms commits', async () => {
    const c = await connect(h, 'beta');
    c.send({ type: 'session.update', session: { input_audio_format: 'Raw16KHz16BitMonoPcm', turn_detection: null } });
    c.send({ type: 'input_audio_buffer.append', audio: Buffer.alloc(3198).toString('base64') });
    c.send({ event_id: 'c1', type: 'input_audio_buffer.commit' });
    const err = await c.waitFor('error');
    expect(err.error).toMatchObject({ code: 'input_audio_buffer_commit_empty', event_id: 'c1' });
    c.send({ type: 'input_audio_buffer.append', audio: Buffer.alloc(2).toString('base64') });
    c.send({ type: 'input_audio_buffer.commit' });
    const committed = await c.waitFor('input_audio_buffer.committed');
    const created = await c.waitFor('conversation.item.created', (f) => (f.item as { id: string }).id === committed.item_id);
    expect((created.item as { content: unknown[] }).content).toEqual([{ type: 'input_audio', transcript: null }]);
    c.send({ type: 'input_audio_buffer.clear' });
    await c.waitFor('input_audio_buffer.cleared');
    await c.close();
  });
});

export type { Frame };
