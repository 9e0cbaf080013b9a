// Session writer/reader, event-name tables, URL building, provider profiles and frame parsing.
import { describe, expect, it } from 'vitest';
import {
  BETA_TO_GA_SERVER_EVENT,
  GA_TO_BETA_SERVER_EVENT,
  InvalidArgumentError,
  PROVIDERS,
  buildRealtimeUrl,
  localProfileFor,
  normalizeEventType,
  parseFrame,
  precheckUrl,
  readSession,
  serverEventName,
  writeBetaSession,
  writeGaSession,
} from '../../src/lib/realtime';

describe('name tables', () => {
  it('are inverse of each other and normalise both dialects to one name', () => {
    for (const [beta, ga] of Object.entries(BETA_TO_GA_SERVER_EVENT)) {
      expect((GA_TO_BETA_SERVER_EVENT as Record<string, string>)[ga]).toBe(beta);
      expect(normalizeEventType(beta)).toBe(ga);
      expect(normalizeEventType(ga)).toBe(ga);
      expect(serverEventName(beta, 'ga')).toBe(ga);
      expect(serverEventName(ga, 'beta')).toBe(beta);
    }
    expect(normalizeEventType('conversation.item.created')).toBe('conversation.item.added');
    expect(normalizeEventType('session.updated')).toBe('session.updated');
  });
});

describe('parseFrame', () => {
  it('accepts objects with a type and reports everything else without throwing', () => {
    expect(parseFrame('{"type":"response.audio.delta","delta":""}')).toMatchObject({ ok: true, type: 'response.output_audio.delta' });
    expect(parseFrame('nope')).toMatchObject({ ok: false, message: 'frame is not JSON' });
    expect(parseFrame('null')).toMatchObject({ ok: false });
    expect(parseFrame('{"type":5}')).toMatchObject({ ok: false, message: 'frame has no "type"' });
    expect(parseFrame('x'.repeat(10_000))).toMatchObject({ ok: false });
    expect((parseFrame('x'.repeat(10_000)) as { frame: string }).frame.length).toBe(200);
  });
});

describe('URL', () => {
  it('encodes model and userId, keeps an existing query, leaves out empty values', () => {
    expect(buildRealtimeUrl('wss://api.xstar.city/v1/realtime', { model: 'qwen-max@DashScope', userId: 'a b&c' })).toBe(
      'wss://api.xstar.city/v1/realtime?model=qwen-max%40DashScope&userId=a+b%26c',
    );
    expect(new URL(buildRealtimeUrl('wss://h/v1/realtime', { model: 'qwen-max@DashScope' })).searchParams.get('model')).toBe('qwen-max@DashScope');
    expect(buildRealtimeUrl('ws://h:1/x?api-version=1', { model: 'm', userId: '' })).toBe('ws://h:1/x?api-version=1&model=m');
    expect(buildRealtimeUrl('ws://h/x?model=old', { model: 'new' })).toBe('ws://h/x?model=new');
    expect(() => buildRealtimeUrl('http://h/x')).toThrow(InvalidArgumentError);
    expect(() => buildRealtimeUrl('not a url')).toThrow(InvalidArgumentError);
  });

  it('maps ws: to http: and wss: to https: for the pre-check, same path and query', () => {
    expect(precheckUrl('ws://127.0.0.1:4001/v1/realtime?model=m&userId=u')).toBe('http://127.0.0.1:4001/v1/realtime?model=m&userId=u');
    expect(precheckUrl('wss://api.xstar.city/v1/realtime?model=m')).toBe('https://api.xstar.city/v1/realtime?model=m');
  });
});

describe('providers', () => {
  it('declare dialect, formats and capabilities', () => {
    expect(PROVIDERS.xstar).toMatchObject({ dialect: 'beta', precheckByDefault: true, defaultInputFormat: 'Raw16KHz16BitMonoPcm', defaultOutputFormat: 'Raw8KHz16BitMonoPcm' });
    expect(PROVIDERS.xstar.capabilities).toEqual({ truncate: false, ttsText: true, streamingAsr: 'cumulative' });
    expect(PROVIDERS.openai).toMatchObject({ dialect: 'ga', capabilities: { truncate: true, ttsText: false, streamingAsr: 'incremental' } });
    const local = localProfileFor('https://console.example:4001');
    expect(local.defaultUrl).toBe('wss://console.example:4001/v1/realtime');
    expect(localProfileFor('http://localhost:4001', true).defaultUrl).toBe('ws://localhost:4001/relay/v1/realtime');
  });
});

describe('session writer', () => {
  const config = {
    modalities: ['text' as const, 'audio' as const],
    instructions: 'agent_template={幻星}',
    voice: '龙婉',
    input_audio_format: 'Raw16KHz16BitMonoPcm',
    output_audio_format: 'Raw8KHz16BitMonoPcm',
    input_audio_transcription: { model: 'asr' },
    turn_detection: { type: 'server_vad', silence_duration_ms: 500 },
    tools: [{ name: 't', parameters: { type: 'object' } }],
    tool_choice: 'auto' as const,
    temperature: 0.8,
    max_response_output_tokens: 'inf' as const,
  };

  it('beta: flat keys, tools typed, GA format objects converted to names', () => {
    const { session, dropped } = writeBetaSession({ ...config, speed: 1.2 });
    expect(session).toEqual({ ...config, tools: [{ name: 't', parameters: { type: 'object' }, type: 'function' }] });
    expect(dropped).toEqual(['speed']);
    expect(writeBetaSession({ output_audio_format: { type: 'audio/pcm', rate: 16000 } }).session.output_audio_format).toBe('Raw16KHz16BitMonoPcm');
    expect(writeBetaSession({ output_audio_format: { type: 'audio/pcm', rate: 24000 } }, false).session.output_audio_format).toBe('pcm16');
    expect(writeBetaSession({ output_audio_format: { type: 'audio/pcmu' } }).session.output_audio_format).toBe('g711_ulaw');
  });

  it('GA: nested audio, session.type, renamed keys; temperature and MP3 dropped', () => {
    const { session, dropped } = writeGaSession({ ...config, output_audio_format: 'MonoMp3', speed: 1.1 });
    expect(session).toEqual({
      type: 'realtime',
      output_modalities: ['audio'],
      instructions: 'agent_template={幻星}',
      audio: {
        input: { format: { type: 'audio/pcm', rate: 16000 }, transcription: { model: 'asr' }, turn_detection: { type: 'server_vad', silence_duration_ms: 500 } },
        output: { voice: '龙婉', speed: 1.1 },
      },
      tools: [{ name: 't', parameters: { type: 'object' }, type: 'function' }],
      tool_choice: 'auto',
      max_output_tokens: 'inf',
    });
    expect(dropped.sort()).toEqual(['output_audio_format', 'temperature']);
    expect(writeGaSession({ modalities: ['text'] }).session.output_modalities).toEqual(['text']);
  });

  it('does not share nested objects with the caller', () => {
    const td = { type: 'server_vad', threshold: 0.5 };
    const { session } = writeGaSession({ turn_detection: td });
    (session.audio!.input!.turn_detection as { threshold: number }).threshold = 0.9;
    expect(td.threshold).toBe(0.5);
  });

  it('reads either dialect back into the flat shape (round trip)', () => {
    const ga = writeGaSession({ voice: 'marin', output_audio_format: 'g711_alaw', turn_detection: null, max_response_output_tokens: 100 }).session;
    expect(readSession(ga)).toEqual({ voice: 'marin', output_audio_format: { type: 'audio/pcma' }, turn_detection: null, max_response_output_tokens: 100 });
    expect(readSession({ id: 'sess_1', object: 'realtime.session', voice: 'v', output_audio_format: 'Raw8KHz16BitMonoPcm' })).toEqual({ voice: 'v', output_audio_format: 'Raw8KHz16BitMonoPcm' });
  });
});
