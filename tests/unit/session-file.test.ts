import { describe, expect, it } from 'vitest';
import {
  SESSION_FILE_VERSION,
  SessionFileError,
  buildReplayPlan,
  decodeSessionFile,
  encodeSessionFile,
  packAudio,
  parseRelayRecording,
  readRecording,
  sanitizeUrl,
  unpackAudio,
  type SessionRecording,
} from '../../src/lib/session-file';
import { decodeBase64 } from '../../src/lib/dsp/base64';
import { bytesToInt16 } from '../../src/lib/dsp/pcm';
import { decodeMulaw } from '../../src/lib/dsp/g711';

function sample(): SessionRecording {
  const pcm = new Int16Array(800);
  for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(8000 * Math.sin(i / 5));
  return {
    header: {
      format: 'realtime-console-session',
      version: 1,
      created: '2026-11-25T10:00:00.000Z',
      profile: 'xstar',
      url: 'wss://user:pw@api.xstar.city/v1/realtime?model=qwen-plus&api_key=sk-secret&userId=u1',
      model: 'qwen-plus',
      dialect: 'beta',
      settings: { voice: '龙婉', apiKey: 'sk-secret', nested: { authorization: 'Bearer sk-secret' } },
    },
    events: [
      { t: 0, direction: 'server', event: { type: 'session.created', session: { output_audio_format: 'Raw8KHz16BitMonoPcm', client_secret: { value: 'ek_1' } } } },
      { t: 12, direction: 'client', event: { type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: '你好' }] } } },
      { t: 40, direction: 'server', event: { type: 'response.audio.delta', item_id: 'it_a', delta: '[audio 800 B]' } },
      { t: 80, direction: 'server', event: { type: 'response.audio.delta', item_id: 'it_a', delta: '[audio 800 B]' } },
      { t: 90, direction: 'local', event: { type: 'local.gap', reason: 'x' } },
    ],
    items: [
      { id: 'it_u', role: 'user', type: 'message', status: 'completed', text: '你好', transcript: '', createdAt: 1 },
      { id: 'it_a', role: 'assistant', type: 'message', status: 'completed', text: '', transcript: 'hi', createdAt: 2, audio: packAudio(pcm, 8000) },
    ],
  };
}

describe('session file format', () => {
  it('round-trips events, items and audio, with the secrets removed', () => {
    const text = encodeSessionFile(sample());
    expect(text).not.toContain('sk-secret');
    expect(text).not.toContain('ek_1');
    expect(text).not.toContain('pw@');
    const back = decodeSessionFile(text);
    expect(back.header.version).toBe(SESSION_FILE_VERSION);
    expect(back.header.url).toBe('wss://api.xstar.city/v1/realtime?model=qwen-plus&userId=u1');
    expect(back.header.settings).toEqual({ voice: '龙婉', apiKey: '[redacted]', nested: { authorization: '[redacted]' } });
    expect(back.events.map((e) => [e.t, e.direction, e.event.type])).toEqual(sample().events.map((e) => [e.t, e.direction, e.event.type]));
    expect(back.items.map((i) => i.id)).toEqual(['it_u', 'it_a']);
    expect(back.items[0].text).toBe('你好');
    expect(Array.from(unpackAudio(back.items[1].audio!))).toEqual(Array.from(unpackAudio(sample().items[1].audio!)));
  });

  it('refuses newer versions, foreign files and bad lines with typed errors naming the line', () => {
    const good = encodeSessionFile(sample());
    const newer = good.replace('"version":1', '"version":99');
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as SessionFileError;
      }
      throw new Error('no error');
    };
    expect(err(() => decodeSessionFile(newer))).toMatchObject({ code: 'unsupported_version', line: 1 });
    expect(err(() => decodeSessionFile(''))).toMatchObject({ code: 'empty' });
    expect(err(() => decodeSessionFile('hello'))).toMatchObject({ code: 'not_json', line: 1 });
    expect(err(() => decodeSessionFile('{"a":1}'))).toMatchObject({ code: 'not_a_session_file' });
    const lines = good.trimEnd().split('\n');
    lines[2] = '{"kind":"event","t":-1,"direction":"server","event":{"type":"x"}}';
    expect(err(() => decodeSessionFile(lines.join('\n')))).toMatchObject({ code: 'invalid_record', line: 3 });
    lines[2] = '{"kind":"item","id":"x","role":"user","type":"message","audio":{"sampleRate":8000,"encoding":"pcm16","data":"@@"}}';
    expect(err(() => decodeSessionFile(lines.join('\n')))).toMatchObject({ code: 'invalid_record', line: 3 });
    lines[2] = '{"kind":"future-thing","x":1}';
    expect(decodeSessionFile(lines.join('\n')).events.length).toBe(sample().events.length - 1);
    expect(err(() => decodeSessionFile(good, { maxChars: 10 }))).toBeInstanceOf(SessionFileError);
  });

  it('sanitises URLs: no credentials, only harmless query parameters; garbage gives an empty string', () => {
    expect(sanitizeUrl('ws://h/v1/realtime?token=abc&model=m&reply=long')).toBe('ws://h/v1/realtime?model=m&reply=long');
    expect(sanitizeUrl('not a url')).toBe('');
  });

  it('replay plan: server frames from session.created on, audio markers refilled from item audio in order', () => {
    const rec = sample();
    rec.events.unshift({ t: 0, direction: 'server', event: { type: 'pre.noise' } });
    const plan = buildReplayPlan(rec);
    expect(plan.map((f) => f.type)).toEqual(['session.created', 'response.audio.delta', 'response.audio.delta']);
    expect(plan.map((f) => f.t)).toEqual([0, 40, 80]);
    const pcm = unpackAudio(rec.items[1].audio!);
    const d1 = bytesToInt16(decodeBase64((JSON.parse((plan[1].data as { text: string }).text) as { delta: string }).delta));
    const d2 = bytesToInt16(decodeBase64((JSON.parse((plan[2].data as { text: string }).text) as { delta: string }).delta));
    expect(Array.from(d1)).toEqual(Array.from(pcm.subarray(0, 400)));
    expect(Array.from(d2)).toEqual(Array.from(pcm.subarray(400, 800)));
  });

  it('replay plan re-encodes G.711 output and fills unknown audio with silence of the right size', () => {
    const rec = sample();
    (rec.events[0].event.session as Record<string, unknown>).output_audio_format = 'g711_ulaw';
    rec.events.push({ t: 100, direction: 'server', event: { type: 'response.audio.delta', item_id: 'nope', delta: '[audio 10 B]' } });
    const plan = buildReplayPlan(rec);
    const delta = (i: number) => decodeBase64((JSON.parse((plan[i].data as { text: string }).text) as { delta: string }).delta);
    const pcm = unpackAudio(rec.items[1].audio!);
    const back = decodeMulaw(delta(1));
    expect(back.length).toBe(800);
    // µ-law is lossy: within a few percent of the original.
    for (let i = 0; i < 800; i += 97) expect(Math.abs(back[i] - pcm[i])).toBeLessThan(Math.abs(pcm[i]) * 0.07 + 40);
    expect(Array.from(delta(3))).toEqual(new Array(10).fill(0xff));
  });

  it('reads relay JSONL recordings: directions, times since open, unparsable frames kept verbatim', () => {
    const lines = [
      { t: 1000, kind: 'note', event: 'open', detail: { upstream: 'wss://api.xstar.city/v1/realtime?model=qwen-plus', beta: true } },
      { t: 1100, kind: 'frame', from: 'upstream', binary: false, bytes: 10, text: '{"type":"session.created","session":{}}' },
      { t: 1150, kind: 'frame', from: 'client', binary: false, bytes: 10, text: '{"type":"response.create"}' },
      { t: 1200, kind: 'frame', from: 'upstream', binary: false, bytes: 4, text: '{"ty' },
    ];
    const text = lines.map((l) => JSON.stringify(l)).join('\n');
    const rec = readRecording(text);
    expect(rec.header.dialect).toBe('beta');
    expect(rec.header.model).toBe('qwen-plus');
    expect(rec.events.map((e) => [e.t, e.direction, e.event.type])).toEqual([
      [0, 'local', 'local.relay.open'],
      [100, 'server', 'session.created'],
      [150, 'client', 'response.create'],
      [200, 'server', '(unparsable)'],
    ]);
    const plan = buildReplayPlan(rec);
    expect(plan.map((f) => f.data)).toEqual([{ text: '{"type":"session.created","session":{}}' }, { text: '{"ty' }]);
    expect(() => parseRelayRecording('{"t":1,"kind":"frame"}\nnope')).toThrow(SessionFileError);
    expect(() => readRecording('   ')).toThrow(SessionFileError);
  });
});
