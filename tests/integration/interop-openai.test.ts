import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import OpenAI from 'openai';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';
import { OpenAIRealtimeWS as OpenAIRealtimeBetaWS } from 'openai/beta/realtime/ws';
import { startTestServer } from '../helpers/server-harness';
import { createEventRecorder } from '../helpers/event-recorder';
import { fixturePcm, pcmChunks, peakOfBase64 } from '../helpers/server-audio';
import { createSynthesizer, type OfflineSynthesizer } from '../../src/server/tts';

// openai@6.49.0's Node clients (GA and beta), written by nobody on this project, against the
// emulator directly and through the relay (whose upstream is a second server's emulator).

type AnyEvent = { type: string; [key: string]: unknown };
type Socket = { on(event: 'event', listener: (e: AnyEvent) => void): unknown; on(event: 'error', listener: (e: unknown) => void): unknown; send(e: unknown): void; close(props?: { code: number; reason: string }): void; socket: { once(event: 'open' | 'close', listener: () => void): unknown; readyState: number } };

const KEY = 'sk-interop-key';

function collect(rt: Socket): { events: AnyEvent[]; errors: unknown[]; waitFor(type: string, count?: number, timeoutMs?: number): Promise<AnyEvent> } {
  const rec = createEventRecorder();
  const errors: unknown[] = [];
  rt.on('event', (e) => rec.record(e));
  rt.on('error', (e) => errors.push(e));
  return { events: rec.events, errors, waitFor: rec.waitFor };
}

async function opened(rt: Socket): Promise<void> {
  if (rt.socket.readyState === 1) return;
  await new Promise<void>((resolve, reject) => {
    rt.socket.once('open', () => resolve());
    rt.socket.once('close', () => reject(new Error('closed before open')));
  });
}

async function closeSocket(rt: Socket): Promise<void> {
  const done = new Promise<void>((resolve) => rt.socket.once('close', () => resolve()));
  rt.close({ code: 1000, reason: 'OK' });
  await done;
}

describe('openai@6.49.0 Node clients against the embedded server', () => {
  let tts: OfflineSynthesizer;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let relayServer: Awaited<ReturnType<typeof startTestServer>>;

  beforeAll(async () => {
    tts = await createSynthesizer();
    server = await startTestServer({ EMULATOR_API_KEY: KEY }, { synthesizer: tts, emulatorPacingSpeed: 20 });
    relayServer = await startTestServer({ REALTIME_API_KEY: KEY, REALTIME_UPSTREAM_URL: `ws://127.0.0.1:${server.port}/v1/realtime` }, { synthesizer: null });
  });
  afterAll(async () => {
    await relayServer?.close();
    await server?.close();
    await tts?.close();
  });

  const client = (port: number, path: '/v1' | '/relay/v1', apiKey = KEY) =>
    new OpenAI({ apiKey, baseURL: `http://127.0.0.1:${port}${path}` });
  // The SDK forces wss:; the emulator speaks plain TCP on loopback.
  const tcp = (port: number) => ({ createConnection: () => connect(port, '127.0.0.1') });

  describe.each([
    ['directly', '/v1' as const, () => server.port],
    ['through the relay (SDK holds a dummy key)', '/relay/v1' as const, () => relayServer.port],
  ])('GA dialect (OpenAIRealtimeWS) %s', (_label, path, port) => {
    it('completes a text turn', async () => {
      const key = path === '/relay/v1' ? 'sk-dummy-browser-side' : KEY;
      const rt = new OpenAIRealtimeWS({ model: 'gpt-realtime', options: tcp(port()) }, client(port(), path, key)) as unknown as Socket;
      const log = collect(rt);
      await opened(rt);
      await log.waitFor('session.created');
      rt.send({ type: 'session.update', session: { type: 'realtime', output_modalities: ['text'], instructions: 'Be brief.' } });
      rt.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hello, who are you?' }] } });
      rt.send({ type: 'response.create' });
      const done = await log.waitFor('response.done');
      expect((done.response as { status: string }).status).toBe('completed');
      const deltas = log.events.filter((e) => e.type === 'response.output_text.delta').map((e) => e.delta as string);
      const textDone = log.events.find((e) => e.type === 'response.output_text.done');
      expect(deltas.length).toBeGreaterThan(0);
      expect(textDone?.text).toBe(deltas.join(''));
      expect(log.events.some((e) => e.type.startsWith('response.text.'))).toBe(false); // no beta names on GA
      expect(log.errors).toEqual([]);
      await closeSocket(rt);
    });

    it('completes an audio turn with server VAD: speech detected, transcribed, answered with audio', async () => {
      const key = path === '/relay/v1' ? 'sk-dummy-browser-side' : KEY;
      const rt = new OpenAIRealtimeWS({ model: 'gpt-realtime', options: tcp(port()) }, client(port(), path, key)) as unknown as Socket;
      const log = collect(rt);
      await opened(rt);
      await log.waitFor('session.created');
      rt.send({
        type: 'session.update',
        session: {
          type: 'realtime',
          output_modalities: ['audio'],
          audio: {
            input: { format: { type: 'audio/pcm', rate: 24000 }, transcription: { model: 'whisper-1' }, turn_detection: { type: 'server_vad' } },
            output: { format: { type: 'audio/pcm', rate: 24000 } },
          },
        },
      });
      await log.waitFor('session.updated');
      for (const chunk of pcmChunks(fixturePcm('en-weather.wav'), 24000)) {
        rt.send({ type: 'input_audio_buffer.append', audio: chunk.toString('base64') });
      }
      await log.waitFor('input_audio_buffer.speech_started');
      await log.waitFor('input_audio_buffer.speech_stopped');
      await log.waitFor('input_audio_buffer.committed');
      const transcript = await log.waitFor('conversation.item.input_audio_transcription.completed');
      expect(typeof transcript.transcript).toBe('string');
      const done = await log.waitFor('response.done', 1, 30_000);
      expect((done.response as { status: string }).status).toBe('completed');
      const audio = peakOfBase64(log.events.filter((e) => e.type === 'response.output_audio.delta').map((e) => e.delta as string));
      expect(audio.samples).toBeGreaterThan(24000 * 0.5);
      expect(audio.peak).toBeGreaterThan(1000);
      expect(log.events.some((e) => e.type === 'response.audio.delta')).toBe(false);
      expect(log.errors).toEqual([]);
      await closeSocket(rt);
    });
  });

  describe('beta dialect (openai/beta/realtime/ws, OpenAI-Beta: realtime=v1)', () => {
    it('completes a text turn with beta event names', async () => {
      const rt = new OpenAIRealtimeBetaWS({ model: 'gpt-4o-realtime-preview', options: tcp(server.port) }, client(server.port, '/v1')) as unknown as Socket;
      const log = collect(rt);
      await opened(rt);
      await log.waitFor('session.created');
      rt.send({ type: 'session.update', session: { modalities: ['text'] } });
      rt.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: '你好，你是谁？' }] } });
      rt.send({ type: 'response.create' });
      const done = await log.waitFor('response.done');
      expect((done.response as { status: string }).status).toBe('completed');
      const deltas = log.events.filter((e) => e.type === 'response.text.delta').map((e) => e.delta as string);
      expect(deltas.length).toBeGreaterThan(0);
      expect(log.events.find((e) => e.type === 'response.text.done')?.text).toBe(deltas.join(''));
      expect(log.events.some((e) => e.type.startsWith('response.output_text.'))).toBe(false);
      expect(log.errors).toEqual([]);
      await closeSocket(rt);
    });

    it('completes an audio turn: Mandarin speech in, transcript and spoken audio out', async () => {
      const rt = new OpenAIRealtimeBetaWS({ model: 'gpt-4o-realtime-preview', options: tcp(server.port) }, client(server.port, '/v1')) as unknown as Socket;
      const log = collect(rt);
      await opened(rt);
      await log.waitFor('session.created');
      rt.send({
        type: 'session.update',
        session: { modalities: ['text', 'audio'], input_audio_format: 'pcm16', output_audio_format: 'pcm16', input_audio_transcription: { model: 'whisper-1' }, turn_detection: { type: 'server_vad' } },
      });
      await log.waitFor('session.updated');
      for (const chunk of pcmChunks(fixturePcm('zh-hello.wav'), 24000)) {
        rt.send({ type: 'input_audio_buffer.append', audio: chunk.toString('base64') });
      }
      await log.waitFor('input_audio_buffer.committed');
      await log.waitFor('conversation.item.input_audio_transcription.completed');
      const done = await log.waitFor('response.done', 1, 30_000);
      expect((done.response as { status: string }).status).toBe('completed');
      const audio = peakOfBase64(log.events.filter((e) => e.type === 'response.audio.delta').map((e) => e.delta as string));
      expect(audio.samples).toBeGreaterThan(24000 * 0.5);
      expect(audio.peak).toBeGreaterThan(1000);
      expect(log.events.some((e) => e.type === 'response.audio_transcript.delta')).toBe(true);
      expect(log.errors).toEqual([]);
      await closeSocket(rt);
    });
  });
});
