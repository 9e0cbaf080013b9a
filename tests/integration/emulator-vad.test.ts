import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWav } from '../../src/lib/dsp/wav';
import { encodeMulaw } from '../../src/lib/dsp/g711';
import { base64Pcm, connect, pcmBase64, startEmulator, ToneSynthesizer, type EmulatorHarness, type RecordingClient } from '../helpers/emulator-harness';
import { checkInvariants } from '../helpers/emulator-invariants';

const DIR = new URL('../fixtures/audio/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('manifest.json', DIR), 'utf8')) as Record<string, { speech_segments_ms: [number, number][] }>;

let h: EmulatorHarness;
beforeAll(async () => {
  h = await startEmulator({ synthesizer: new ToneSynthesizer(10), pacingSpeed: 50 });
});
afterAll(async () => {
  await h.close();
});

function load(file: string): Int16Array {
  return decodeWav(readFileSync(new URL(file, DIR))).samples;
}

/** Appends 16 kHz audio in chunks of `chunkMs`, as fast as the socket takes it. */
function appendAll(c: RecordingClient, samples: Int16Array, chunkMs: number): void {
  const per = (16000 * chunkMs) / 1000;
  for (let i = 0; i < samples.length; i += per) c.send({ type: 'input_audio_buffer.append', audio: pcmBase64(samples.subarray(i, i + per)) });
}

function vadEvents(c: RecordingClient): string[] {
  return c.frames
    .filter((f) => f.type === 'input_audio_buffer.speech_started' || f.type === 'input_audio_buffer.speech_stopped')
    .map((f) => `${f.type.slice(19)}@${(f.audio_start_ms ?? f.audio_end_ms) as number}`);
}

describe('server VAD over the socket', () => {
  for (const [file, entry] of Object.entries(manifest)) {
    it(`${file}: the listed turns, the same for 20 ms and 100 ms appends (faster than real time)`, async () => {
      const samples = load(file);
      const runs: string[][] = [];
      for (const chunkMs of [20, 100]) {
        const c = await connect(h, 'beta');
        c.send({
          type: 'session.update',
          session: { input_audio_format: 'Raw16KHz16BitMonoPcm', turn_detection: { type: 'server_vad', create_response: false } },
        });
        appendAll(c, samples, chunkMs);
        const n = entry.speech_segments_ms.length;
        await c.waitFor('input_audio_buffer.committed', () => true, n);
        const starts = c.of('input_audio_buffer.speech_started');
        const stops = c.of('input_audio_buffer.speech_stopped');
        expect(starts).toHaveLength(n);
        entry.speech_segments_ms.forEach(([s, e], i) => {
          expect(Math.abs((starts[i].audio_start_ms as number) - (s - 300))).toBeLessThanOrEqual(100);
          expect(Math.abs((stops[i].audio_end_ms as number) - (e + 500))).toBeLessThanOrEqual(100);
          expect(stops[i].item_id).toBe(starts[i].item_id);
        });
        expect(c.of('response.created')).toHaveLength(0);
        expect(checkInvariants(c.frames, 'beta')).toEqual([]);
        runs.push(vadEvents(c));
        await c.close();
      }
      expect(runs[0]).toEqual(runs[1]);
    });
  }

  it('G.711 µ-law input at 8 kHz: the same turn, timeline in ms of the µ-law bytes', async () => {
    const wav = load('en-weather.wav');
    const at8k = new Int16Array(Math.floor(wav.length / 2));
    for (let i = 0; i < at8k.length; i++) at8k[i] = wav[2 * i];
    const c = await connect(h, 'ga');
    c.send({
      type: 'session.update',
      session: { type: 'realtime', audio: { input: { format: { type: 'audio/pcmu' }, turn_detection: { type: 'server_vad', create_response: false } } } },
    });
    const bytes = encodeMulaw(at8k);
    for (let i = 0; i < bytes.length; i += 160) c.send({ type: 'input_audio_buffer.append', audio: Buffer.from(bytes.subarray(i, i + 160)).toString('base64') });
    await c.waitFor('conversation.item.done');
    expect(Math.abs((c.of('input_audio_buffer.speech_started')[0].audio_start_ms as number) - 700)).toBeLessThanOrEqual(100);
    expect(Math.abs((c.of('input_audio_buffer.speech_stopped')[0].audio_end_ms as number) - 3810)).toBeLessThanOrEqual(100);
    expect(checkInvariants(c.frames, 'ga')).toEqual([]);
    await c.close();
  });

  it('voice turn: transcription says what it is (delta + cumulative transcript), the reply plays the user audio back', async () => {
    const samples = load('zh-hello.wav');
    const c = await connect(h, 'beta');
    c.send({
      type: 'session.update',
      session: {
        input_audio_format: 'Raw16KHz16BitMonoPcm',
        output_audio_format: 'Raw16KHz16BitMonoPcm',
        input_audio_transcription: { model: 'whisper-1' },
      },
    });
    appendAll(c, samples, 20);
    const done = await c.waitFor('response.done');
    const stop = c.of('input_audio_buffer.speech_stopped')[0];
    const start = c.of('input_audio_buffer.speech_started')[0];
    const seconds = (((stop.audio_end_ms as number) - (start.audio_start_ms as number)) / 1000).toFixed(1);
    const deltas = c.of('conversation.item.input_audio_transcription.delta');
    expect(deltas.map((d) => d.delta).join('')).toBe(`(speech, ${seconds} s)`);
    expect(deltas.at(-1)?.transcript).toBe(`(speech, ${seconds} s)`);
    const completed = c.of('conversation.item.input_audio_transcription.completed')[0];
    expect(completed).toMatchObject({ item_id: stop.item_id, transcript: `(speech, ${seconds} s)`, usage: { type: 'tokens' } });
    const transcript = c.of('response.audio_transcript.done')[0].transcript;
    expect(transcript).toBe(`你说了${seconds}秒。下面是我听到的声音。`);
    // The reply ends with the user's own audio, sample for sample (same 16 kHz rate in and out).
    const reply = new Int16Array(c.of('response.audio.delta').flatMap((d) => Array.from(base64Pcm(d.delta as string))));
    const from = ((start.audio_start_ms as number) * 16000) / 1000;
    const to = ((stop.audio_end_ms as number) * 16000) / 1000;
    const user = samples.subarray(from, to);
    expect(Array.from(reply.subarray(reply.length - user.length))).toEqual(Array.from(user));
    expect((done.response as { status: string }).status).toBe('completed');
    expect(checkInvariants(c.frames, 'beta')).toEqual([]);
    await c.close();
  });

  it('barge-in: speech during a reply cancels it (turn_detected), then the new turn is answered', async () => {
    const samples = load('en-barge-in.wav');
    const c = await connect(h, 'beta', 'reply=long');
    c.send({ type: 'session.update', session: { input_audio_format: 'Raw16KHz16BitMonoPcm' } });
    appendAll(c, samples, 20);
    const second = await c.waitFor('response.done', () => true, 2);
    const [first] = c.of('response.done');
    expect(first.response).toMatchObject({ status: 'cancelled', status_details: { type: 'cancelled', reason: 'turn_detected' } });
    expect(second.response).toMatchObject({ status: 'completed' });
    const i = c.types().indexOf('input_audio_buffer.speech_started', c.types().indexOf('response.created'));
    expect(i).toBeGreaterThan(0);
    expect(c.types().indexOf('response.done')).toBeGreaterThan(i);
    const cancelledItem = (first.response as { output: { status: string }[] }).output[0];
    expect(cancelledItem.status).toBe('incomplete');
    expect(checkInvariants(c.frames, 'beta')).toEqual([]);
    await c.close();
  });

  it('interrupt_response false: the reply is not cancelled; the next turn is answered after it', async () => {
    const samples = load('en-barge-in.wav');
    const c = await connect(h, 'beta');
    c.send({ type: 'session.update', session: { input_audio_format: 'Raw16KHz16BitMonoPcm', turn_detection: { type: 'server_vad', interrupt_response: false } } });
    appendAll(c, samples, 20);
    await c.waitFor('response.done', () => true, 2);
    expect(c.of('response.done').map((d) => (d.response as { status: string }).status)).toEqual(['completed', 'completed']);
    expect(checkInvariants(c.frames, 'beta')).toEqual([]);
    await c.close();
  });
});
