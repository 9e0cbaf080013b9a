import type { IncomingMessage } from 'node:http';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../src/server/emulator/errors';
import { parseFaults } from '../../src/server/emulator/faults';
import { parseHandshake, selectProtocol } from '../../src/server/emulator/handshake';
import { InputBuffer } from '../../src/server/emulator/input-buffer';
import { detectLanguage, splitForDeltas } from '../../src/server/emulator/language';
import { MemoryStore } from '../../src/server/emulator/plugins/memory';
import { planReply } from '../../src/server/emulator/reply';
import { applySessionUpdate, defaultConfig, sessionToWire } from '../../src/server/emulator/session-config';
import type { StoredItem } from '../../src/server/emulator/conversation';
import { listVoices } from '../../src/server/emulator';

function req(url: string, headers: Record<string, string> = {}): IncomingMessage {
  return { url, headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])) } as unknown as IncomingMessage;
}

function errorOf(fn: () => unknown): ProtocolError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ProtocolError) return e;
    throw e;
  }
  throw new Error('did not throw');
}

describe('handshake', () => {
  it('GA by default; beta by subprotocol or header; key from subprotocol or Authorization', () => {
    expect(parseHandshake(req('/v1/realtime?model=m')).dialect).toBe('ga');
    const b = parseHandshake(req('/v1/realtime?model=m&userId=u1', { 'sec-websocket-protocol': 'realtime, openai-insecure-api-key.sk-1, openai-beta.realtime-v1' }));
    expect(b).toMatchObject({ dialect: 'beta', apiKey: 'sk-1', model: 'm', userId: 'u1', replyLong: false });
    expect(parseHandshake(req('/v1/realtime', { 'OpenAI-Beta': 'realtime=v1', Authorization: 'Bearer sk-2' }))).toMatchObject({ dialect: 'beta', apiKey: 'sk-2' });
    expect(parseHandshake(req('/v1/realtime?reply=long')).replyLong).toBe(true);
  });

  it('selects realtime when offered, never a key protocol', () => {
    expect(selectProtocol(new Set(['realtime', 'openai-insecure-api-key.x']))).toBe('realtime');
    expect(selectProtocol(new Set(['openai-insecure-api-key.x']))).toBe(false);
    expect(selectProtocol(new Set())).toBe(false);
  });
});

describe('fault grammar', () => {
  it('parses every entry, rejects unknown ones', () => {
    const { plan, rejected } = parseFaults(['drop-after-ms:1500,delay-first-audio-ms:200', 'jitter-ms:30,malformed-after-ms:10,rate-limit,boom,jitter-ms:-1']);
    expect(plan).toEqual({ dropAfterMs: 1500, delayFirstAudioMs: 200, malformedAfterMs: 10, jitterMs: 30, rateLimit: true });
    expect(rejected).toEqual(['boom', 'jitter-ms:-1']);
  });
});

describe('session config', () => {
  const beta = defaultConfig('beta', 'sess_1', null);
  const ga = defaultConfig('ga', 'sess_2', 'gpt-realtime');

  it('defaults: server_vad 0.5/300/500 in both dialects; GA shape nests audio', () => {
    expect(sessionToWire(beta, 'beta').turn_detection).toMatchObject({ threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 500, create_response: true, interrupt_response: true });
    const w = sessionToWire(ga, 'ga') as { audio: { input: { turn_detection: unknown }; output: { voice: string } } };
    expect(w.audio.input.turn_detection).toMatchObject({ silence_duration_ms: 500, idle_timeout_ms: null });
    expect(w.audio.output.voice).toBe('marin');
  });

  it('merges only the keys present; turn_detection objects get defaults filled in', () => {
    const a = applySessionUpdate(beta, { instructions: 'x', turn_detection: { type: 'server_vad', threshold: 0.7 } }, 'beta');
    const b = applySessionUpdate(a, { voice: 'marin' }, 'beta');
    expect(b.instructions).toBe('x');
    expect(b.turnDetection).toMatchObject({ threshold: 0.7, silenceDurationMs: 500, prefixPaddingMs: 300 });
    expect(b.voice).toBe('marin');
    const s = applySessionUpdate(beta, { turn_detection: { type: 'semantic_vad', eagerness: 'high' } }, 'beta');
    expect(s.turnDetection?.silenceDurationMs).toBe(400);
  });

  it('xStar names in beta; GA objects in GA; errors carry code and param', () => {
    expect(applySessionUpdate(beta, { input_audio_format: 'Raw44KHz16BitMonoPcm' }, 'beta').input.info.sampleRate).toBe(44100);
    expect(applySessionUpdate(ga, { type: 'realtime', audio: { output: { format: { type: 'audio/pcmu' } } } }, 'ga').output.info.encoding).toBe('g711_ulaw');
    expect(errorOf(() => applySessionUpdate(beta, { input_audio_format: { type: 'audio/pcm' } }, 'beta'))).toMatchObject({ code: 'invalid_value', param: 'session.input_audio_format' });
    expect(errorOf(() => applySessionUpdate(ga, { type: 'realtime', temperature: 0.7 }, 'ga'))).toMatchObject({ code: 'unknown_parameter', param: 'session.temperature' });
    expect(errorOf(() => applySessionUpdate(ga, { type: 'realtime', output_modalities: ['text', 'audio'] }, 'ga'))).toMatchObject({ param: 'session.output_modalities' });
    expect(errorOf(() => applySessionUpdate(beta, { turn_detection: { threshold: 2 } }, 'beta'))).toMatchObject({ param: 'session.turn_detection.threshold' });
    expect(errorOf(() => applySessionUpdate(beta, { turn_detection: { foo: 1 } }, 'beta'))).toMatchObject({ code: 'unknown_parameter', param: 'session.turn_detection.foo' });
    expect(errorOf(() => applySessionUpdate(beta, { tools: [{ type: 'function' }] }, 'beta'))).toMatchObject({ param: 'session.tools[0].name' });
    expect(errorOf(() => applySessionUpdate(beta, { input_audio_format: 'Audio16KHz16BitMonoOpus' }, 'beta')).message).toMatch(/cannot decode or encode/);
  });

  it('a rejected update changes nothing', () => {
    const before = JSON.stringify(sessionToWire(beta, 'beta'));
    expect(() => applySessionUpdate(beta, { instructions: 'changed', voice: 7 }, 'beta')).toThrow(ProtocolError);
    expect(JSON.stringify(sessionToWire(beta, 'beta'))).toBe(before);
  });
});

describe('input buffer', () => {
  const pcm16k = { encoding: 'pcm16' as const, sampleRate: 16000, bytesPerSample: 2 };

  it('carries an odd byte between appends and keeps the timeline in ms', () => {
    const b = new InputBuffer(pcm16k);
    const bytes = new Uint8Array([0x01, 0x02, 0x03, 0x04, 0x05, 0x06]);
    expect(Array.from(b.append(bytes.subarray(0, 3)))).toEqual([0x0201]);
    expect(Array.from(b.append(bytes.subarray(3)))).toEqual([0x0403, 0x0605]);
    expect(b.timelineMs).toBeCloseTo(3 / 16, 9);
  });

  it('timeline continues across a format change; commits take the right ranges', () => {
    const b = new InputBuffer(pcm16k);
    b.append(new Uint8Array(3200)); // 100 ms
    b.setFormat({ encoding: 'g711_ulaw', sampleRate: 8000, bytesPerSample: 1 });
    expect(b.bufferedMs).toBe(0);
    b.append(new Uint8Array(800).fill(0xff)); // 100 ms of µ-law
    expect(b.timelineMs).toBe(200);
    const range = b.commitRange(400, 600);
    expect(range).toMatchObject({ startMs: 150, endMs: 175 });
    expect(range.samples.length).toBe(200);
    expect(b.bufferedMs).toBe(25);
    const all = b.commitAll();
    expect(all.samples.length).toBe(200);
    expect(b.bufferedMs).toBe(0);
  });

  it('stays bounded: at most 120 s kept', () => {
    const b = new InputBuffer({ encoding: 'pcm16', sampleRate: 8000, bytesPerSample: 2 });
    const second = new Uint8Array(16000);
    for (let i = 0; i < 200; i++) b.append(second);
    expect(b.timelineMs).toBe(200_000);
    expect(b.commitAll().samples.length).toBe(120 * 8000);
  });
});

describe('reply planner', () => {
  const ctx = { clientTools: ['get_weather'], voice: '龙婉', toolsAllowed: true };
  const user = (text: string, type: 'input_text' | 'tts_text' = 'input_text'): StoredItem => ({ id: 'u', type: 'message', role: 'user', status: 'completed', content: [{ type, text }] });

  it('echoes in the language of the text, deterministically', () => {
    expect(planReply([user('Hello')], ctx)).toEqual(planReply([user('Hello')], ctx));
    expect(planReply([user('Hello')], ctx)[0]).toMatchObject({ kind: 'message', language: 'en', text: 'You said: Hello This is the offline realtime emulator.' });
    expect(planReply([user('你好')], ctx)[0]).toMatchObject({ kind: 'message', language: 'zh' });
  });

  it('/tool: declared tool → client call; plugin → plugin call; unknown or bad JSON → a sentence', () => {
    expect(planReply([user('/tool get_weather {"city":"Paris"}')], ctx)[0]).toEqual({ kind: 'function_call', name: 'get_weather', arguments: '{"city":"Paris"}', plugin: null, language: 'en' });
    expect(planReply([user('/tool math_game {"numbers":[1,2,3,4]}')], ctx)[0]).toMatchObject({ kind: 'function_call', plugin: 'math_game' });
    expect(planReply([user('/tool nope {}')], ctx)[0]).toMatchObject({ kind: 'message', text: 'There is no tool named nope.' });
    expect(planReply([user('/tool get_weather {bad')], ctx)[0]).toMatchObject({ text: 'The arguments for get_weather are not valid JSON.' });
    expect(planReply([user('/tool get_weather {}')], { ...ctx, toolsAllowed: false })[0]).toMatchObject({ kind: 'message' });
  });

  it('tts_text verbatim; voice input reports its length with playback; function output is read out', () => {
    expect(planReply([user('电量低', 'tts_text')], ctx)[0]).toMatchObject({ text: '电量低', verbatim: true, language: 'zh' });
    const audio: StoredItem = { id: 'a', type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_audio', audioMs: 2345 }], pcm: { samples: new Int16Array(4), sampleRate: 16000 } };
    expect(planReply([audio], ctx)[0]).toMatchObject({ text: '你说了2.3秒。下面是我听到的声音。', playback: { sampleRate: 16000 } });
    expect(planReply([audio], { ...ctx, voice: 'marin' })[0]).toMatchObject({ text: 'You spoke for 2.3 seconds. Here is what I heard.' });
    const call: StoredItem = { id: 'c', type: 'function_call', status: 'completed', content: [], call_id: 'call_1', name: 'get_weather', arguments: '{}' };
    const out: StoredItem = { id: 'o', type: 'function_call_output', status: 'completed', content: [], call_id: 'call_1', output: 'sunny' };
    expect(planReply([user('weather?'), call, out], ctx)[0]).toMatchObject({ text: 'The get_weather tool returned: sunny', language: 'en' });
  });

  it('free-text plugin requests', () => {
    expect(planReply([user('Please remember that I like tea.')], ctx)[0]).toMatchObject({ kind: 'function_call', name: 'remember', arguments: '{"fact":"I like tea"}' });
    expect(planReply([user('说快一点')], ctx)[0]).toMatchObject({ name: 'adjust_voice_speed' });
    expect(planReply([user('换成龙小诚的声音')], ctx)[0]).toMatchObject({ name: 'switch_voice', arguments: '{"voice":"龙小诚"}' });
  });
});

describe('language and deltas', () => {
  it('CJK → zh, else en', () => {
    expect(detectLanguage('Hello 你好')).toBe('zh');
    expect(detectLanguage('Bonjour')).toBe('en');
  });

  it('delta pieces always concatenate to the text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ' ', '你', '好', '，', '。', 'b', '\n') }), (text) => {
        expect(splitForDeltas(text).join('')).toBe(text);
      }),
    );
  });
});

describe('memory and voices', () => {
  it('keeps facts per user, bounded to 50, deduplicated', () => {
    const m = new MemoryStore();
    for (let i = 0; i < 60; i++) m.remember('u', `fact ${i}`);
    m.remember('u', 'fact 59');
    expect(m.recall('u')).toHaveLength(50);
    expect(m.recall('u')[0]).toBe('fact 10');
    expect(m.recall('u', 'FACT 5')).toEqual(['fact 50', 'fact 51', 'fact 52', 'fact 53', 'fact 54', 'fact 55', 'fact 56', 'fact 57', 'fact 58', 'fact 59']);
    expect(m.recall('other')).toEqual([]);
  });

  it('voice list includes 龙婉 with its language', () => {
    expect(listVoices().data).toContainEqual({ id: '龙婉', name: '龙婉', language: 'zh-CN' });
  });
});
