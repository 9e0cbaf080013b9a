// The emulator with the real offline synthesiser (eSpeak NG in a worker): spoken replies in Mandarin and
// English at the negotiated rate, recognisable as speech by the emulator's own VAD, reply=long over 10 s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSynthesizer, type OfflineSynthesizer } from '../../src/server/tts';
import { detectTurns } from '../../src/server/emulator/vad';
import { base64Pcm, connect, startEmulator, type EmulatorHarness, type RecordingClient } from '../helpers/emulator-harness';
import { checkInvariants } from '../helpers/emulator-invariants';

let tts: OfflineSynthesizer;
let h: EmulatorHarness;
beforeAll(async () => {
  tts = await createSynthesizer();
  h = await startEmulator({ synthesizer: tts, pacingSpeed: 40 });
});
afterAll(async () => {
  await h.close();
  await tts.close();
});

async function ask(c: RecordingClient, text: string, n = 1): Promise<{ samples: Int16Array; transcript: string }> {
  c.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] } });
  c.send({ type: 'response.create' });
  const done = await c.waitFor('response.done', () => true, n, 25_000);
  const rid = (done.response as { id: string }).id;
  const parts = [...c.of('response.audio.delta'), ...c.of('response.output_audio.delta')].filter((d) => d.response_id === rid).map((d) => base64Pcm(d.delta as string));
  const samples = new Int16Array(parts.reduce((k, p) => k + p.length, 0));
  let o = 0;
  for (const p of parts) {
    samples.set(p, o);
    o += p.length;
  }
  return { samples, transcript: [...c.of('response.audio_transcript.done'), ...c.of('response.output_audio_transcript.done')].at(-1)?.transcript as string };
}

describe('emulator with eSpeak NG', () => {
  it('engine is available', () => {
    expect(tts.available).toBe(true);
  });

  it('answers Chinese in Mandarin and English in English, as real speech at 16 kHz', async () => {
    const c = await connect(h, 'beta');
    c.send({ type: 'session.update', session: { output_audio_format: 'Raw16KHz16BitMonoPcm', turn_detection: null } });
    const zh = await ask(c, '你好');
    expect(zh.transcript).toBe('你说的是：你好。我是离线实时模拟器。');
    const en = await ask(c, 'Good morning', 2);
    expect(en.transcript).toBe('You said: Good morning This is the offline realtime emulator.');
    for (const r of [zh, en]) {
      const seconds = r.samples.length / 16000;
      expect(seconds).toBeGreaterThan(1);
      expect(seconds).toBeLessThan(10);
      // The emulator's own VAD hears speech in it.
      expect(detectTurns(r.samples, 16000, { threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: 500 }).length).toBeGreaterThanOrEqual(1);
    }
    expect(checkInvariants(c.frames, 'beta')).toEqual([]);
    await c.close();
  });

  it('reply=long: a reply of at least 10 s of real speech', async () => {
    const c = await connect(h, 'ga', 'reply=long');
    c.send({ type: 'session.update', session: { type: 'realtime', audio: { input: { turn_detection: null } } } });
    const r = await ask(c, 'Hi');
    expect(r.samples.length / 24000).toBeGreaterThanOrEqual(10);
    expect(checkInvariants(c.frames, 'ga')).toEqual([]);
    await c.close();
  });
});
