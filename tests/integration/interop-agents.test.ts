import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RealtimeAgent, RealtimeSession, tool, type TransportEvent } from '@openai/agents-realtime';
import { startTestServer } from '../helpers/server-harness';
import { createEventRecorder } from '../helpers/event-recorder';
import { fixturePcm, pcmChunks } from '../helpers/server-audio';
import { createSynthesizer, type OfflineSynthesizer } from '../../src/server/tts';

// @openai/agents-realtime@0.14.3 (a full GA client: sends session.update twice, retrieves items after
// transcription, runs tools itself) against the emulator.

type Raw = { type: string; [key: string]: unknown };

function track(session: RealtimeSession): { events: Raw[]; audioBytes: () => number; waitFor(type: string, count?: number, timeoutMs?: number): Promise<Raw> } {
  const rec = createEventRecorder();
  let audio = 0;
  session.on('transport_event', (event: TransportEvent) => rec.record(event as unknown as Raw));
  session.on('audio', (event) => {
    audio += event.data.byteLength;
  });
  return { events: rec.events, audioBytes: () => audio, waitFor: rec.waitFor };
}

describe('@openai/agents-realtime@0.14.3 against the emulator', () => {
  let tts: OfflineSynthesizer;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  const sessions: RealtimeSession[] = [];

  beforeAll(async () => {
    tts = await createSynthesizer();
    server = await startTestServer({}, { synthesizer: tts, emulatorPacingSpeed: 20 });
  });
  afterAll(async () => {
    for (const s of sessions) s.close();
    await server?.close();
    await tts?.close();
  });

  async function open(agent: RealtimeAgent, config: ConstructorParameters<typeof RealtimeSession>[1] = {}): Promise<{ session: RealtimeSession; log: ReturnType<typeof track> }> {
    const session = new RealtimeSession(agent, { transport: 'websocket', model: 'gpt-realtime', tracingDisabled: true, ...config });
    sessions.push(session);
    const log = track(session);
    const errors: unknown[] = [];
    session.on('error', (e) => errors.push(e));
    await session.connect({ apiKey: 'sk-agents-test', url: `ws://127.0.0.1:${server.port}/v1/realtime?model=gpt-realtime` });
    await log.waitFor('session.created');
    return { session, log };
  }

  it('completes a text turn and the SDK builds the assistant message in its history', async () => {
    const { session, log } = await open(new RealtimeAgent({ name: 'helper', instructions: 'Be brief.' }), { config: { outputModalities: ['text'] } });
    session.sendMessage('Hello, who are you?');
    const done = await log.waitFor('response.done');
    expect((done.response as { status: string }).status).toBe('completed');
    await expect
      .poll(() => session.history.some((item) => item.type === 'message' && item.role === 'assistant' && item.status === 'completed'))
      .toBe(true);
    expect(log.events.some((e) => e.type === 'error')).toBe(false);
    session.close();
  });

  it('completes an audio turn with server VAD: the SDK receives audio and the user transcript', async () => {
    const { session, log } = await open(new RealtimeAgent({ name: 'voice', instructions: 'Answer.' }), {
      config: { audio: { input: { format: { type: 'audio/pcm', rate: 24000 }, transcription: { model: 'whisper-1' }, turnDetection: { type: 'server_vad' } } } },
    });
    for (const chunk of pcmChunks(fixturePcm('en-weather.wav'), 24000)) {
      session.sendAudio(chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + chunk.byteLength) as ArrayBuffer);
    }
    await log.waitFor('input_audio_buffer.committed');
    await log.waitFor('conversation.item.input_audio_transcription.completed');
    const done = await log.waitFor('response.done', 1, 30_000);
    expect((done.response as { status: string }).status).toBe('completed');
    expect(log.audioBytes()).toBeGreaterThan(24000); // more than half a second of 24 kHz PCM16
    // The SDK follows the transcription with conversation.item.retrieve; the emulator must answer it.
    // (It only does so when the completed event passes its zod schema, whose `usage` must be the tokens shape.)
    await expect
      .poll(() => log.events.some((e) => e.type === 'conversation.item.retrieved'), {
        message: 'the SDK sent no conversation.item.retrieve (or got no answer) after the transcription completed',
      })
      .toBe(true);
    await expect
      .poll(() => session.history.some((item) => item.type === 'message' && item.role === 'user'))
      .toBe(true);
    expect(log.events.some((e) => e.type === 'error')).toBe(false);
    session.close();
  });

  it('runs its own tool when the model calls it, and the model answers with the result', async () => {
    const calls: string[] = [];
    const getWeather = tool({
      name: 'get_weather',
      description: 'Weather for a city',
      parameters: z.object({ city: z.string() }),
      execute: async ({ city }) => {
        calls.push(city);
        return `Sunny in ${city}`;
      },
    });
    const { session, log } = await open(new RealtimeAgent({ name: 'tools', instructions: 'Use tools.', tools: [getWeather] }), {
      config: { outputModalities: ['text'] },
    });
    session.sendMessage('/tool get_weather {"city":"Paris"}');
    await log.waitFor('response.done', 2, 30_000);
    expect(calls).toEqual(['Paris']);
    const second = log.events.filter((e) => e.type === 'response.done')[1];
    expect((second.response as { status: string }).status).toBe('completed');
    session.close();
  });
});
