import { afterEach, describe, expect, it } from 'vitest';
import { AudioEngineError, WavRecorder, WavStreamPlayer } from '../../src/lib/audio';
import { decodeWav } from '../../src/lib/dsp/wav';
import { resampleInt16 } from '../../src/lib/dsp/resampler';
import fixtureUrl from '../fixtures/audio/en-weather.wav?url';
import { sleep, trackAudioContexts, waitFor } from './helpers/audio';

async function fixtureBytes(): Promise<Uint8Array> {
  return new Uint8Array(await (await fetch(fixtureUrl)).arrayBuffer());
}

let rec: WavRecorder | null = null;
afterEach(async () => {
  await rec?.end();
  rec = null;
});

describe('WavRecorder lifecycle and file source', () => {
  it('useFile() feeds a WAV through the same pipeline in real time, at another target rate too', async () => {
    const bytes = await fixtureBytes();
    const fixture = decodeWav(bytes);
    rec = new WavRecorder({ sampleRate: 8000, frameMs: 20 });
    await rec.useFile(bytes);
    let ended = false;
    rec.onsourceended = () => (ended = true);
    await rec.begin();
    expect(rec.getInfo().source).toBe('file');
    const frames: Int16Array[] = [];
    await rec.record(({ mono }) => frames.push(mono));
    expect(await waitFor(() => ended, fixture.durationMs + 5000)).toBe(true);
    await rec.pause();
    expect(frames.slice(0, -1).every((f) => f.length === 160)).toBe(true);
    const got = new Int16Array(frames.reduce((a, f) => a + f.length, 0));
    let at = 0;
    for (const f of frames) {
      got.set(f, at);
      at += f.length;
    }
    // Received samples match the file's duration within 5% (the source starts as soon as begin() connects it).
    expect(Math.abs(got.length / 8000 - fixture.durationMs / 1000) / (fixture.durationMs / 1000)).toBeLessThan(0.05);
    // Content: correlates with the fixture brought to 8 kHz by the one-shot resampler.
    const ref = resampleInt16(fixture.samples, 16000, 8000);
    let best = 0;
    for (let lag = -800; lag <= 800; lag++) best = Math.max(best, corr(ref, got, lag));
    expect(best).toBeGreaterThan(0.95);
    // save() returns the same audio as a WAV with correct sizes and MIME type.
    const wav = await rec.save();
    expect(wav.blob.type).toBe('audio/wav');
    const parsed = decodeWav(new Uint8Array(await wav.blob.arrayBuffer()));
    expect(parsed.sampleRate).toBe(8000);
    expect(parsed.samples.length).toBe(got.length);
    const header = new DataView(await wav.blob.slice(0, 44).arrayBuffer());
    expect(header.getUint32(4, true)).toBe(36 + got.length * 2);
  });

  it('pause() flushes the partial frame exactly once, and no frame arrives after it resolves', async () => {
    rec = new WavRecorder({ sampleRate: 16000 });
    await rec.useFile(await fixtureBytes());
    await rec.begin();
    const frames: Int16Array[] = [];
    await rec.record(({ mono }) => frames.push(mono), 1000); // chunkSize in samples
    await sleep(700);
    await rec.pause();
    const count = frames.length;
    const total = frames.reduce((a, f) => a + f.length, 0);
    expect(frames.slice(0, -1).every((f) => f.length === 1000)).toBe(true);
    expect(frames[frames.length - 1].length).toBeLessThanOrEqual(1000);
    expect(rec.getStatus()).toBe('paused');
    expect(rec.recording).toBe(false);
    await sleep(300);
    expect(frames.length).toBe(count);
    expect(rec.read().length).toBe(total);
  });

  it('pause() before record() resolves is safe', async () => {
    rec = new WavRecorder();
    await rec.useFile(await fixtureBytes());
    const begun = rec.begin();
    let frames = 0;
    const recording = rec.record(() => frames++);
    await rec.pause();
    await begun;
    expect(await recording).toBe(false);
    await sleep(300);
    expect(frames).toBe(0);
    expect(rec.getStatus()).toBe('paused');
  });

  it('typed errors for misuse; record() before begin() rejects', async () => {
    rec = new WavRecorder();
    await expect(rec.record(() => {})).rejects.toBeInstanceOf(AudioEngineError);
    expect(() => rec?.getFrequencies()).toThrow(AudioEngineError);
    expect(() => new WavRecorder({ sampleRate: 12.5 })).toThrow(AudioEngineError);
  });

  it('getFrequencies() returns normalised values in reused arrays', async () => {
    rec = new WavRecorder();
    await rec.useFile(await fixtureBytes());
    await rec.begin();
    await sleep(1500); // into the speech
    const a = rec.getFrequencies('voice');
    expect(a.values.length).toBe(a.labels.length);
    expect(Math.max(...a.values)).toBeGreaterThan(0);
    expect(a.values.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(rec.getFrequencies('voice').values).toBe(a.values);
  });

  it('clear() and end() revoke the object URLs the recorder owns, not those the caller kept', async () => {
    rec = new WavRecorder();
    await rec.useFile(await fixtureBytes());
    await rec.begin();
    await rec.record();
    await sleep(200);
    const owned = await rec.save(); // works while recording
    await rec.pause();
    const kept = await rec.save({ keepUrl: true });
    expect(kept.samples.length).toBeGreaterThanOrEqual(owned.samples.length);
    await rec.clear();
    await expect(fetch(owned.url)).rejects.toThrow();
    expect((await fetch(kept.url)).ok).toBe(true);
    URL.revokeObjectURL(kept.url);
    expect(rec.read().length).toBe(0);
  });

  it('keeps at most maxRecordMs of audio for save()', async () => {
    rec = new WavRecorder({ sampleRate: 16000, maxRecordMs: 200 });
    await rec.useFile(await fixtureBytes());
    await rec.begin();
    await rec.record();
    await sleep(800);
    await rec.pause();
    expect(rec.read().length).toBeLessThanOrEqual(3200);
    expect(rec.read().length).toBeGreaterThan(3000);
    expect(rec.getInfo().droppedSamples).toBeGreaterThan(0);
  });

  it('lists the fake microphone, reports the device change listener once at start, and removes it', async () => {
    rec = new WavRecorder();
    const devices = await rec.listDevices();
    expect(devices.length).toBeGreaterThan(0);
    expect(devices.filter((d) => d.default).length).toBe(1);
    const calls: number[] = [];
    rec.listenForDeviceChange((list) => calls.push(list.length));
    expect(await waitFor(() => calls.length === 1, 2000)).toBe(true);
    expect(calls[0]).toBe(devices.length);
    rec.listenForDeviceChange(null);
    navigator.mediaDevices.dispatchEvent(new Event('devicechange'));
    await sleep(400);
    expect(calls.length).toBe(1);
  });

  it('static decode() makes a WAV from samples or WAV bytes, resampling without an AudioContext', async () => {
    const contexts = trackAudioContexts();
    try {
      const pcm = new Int16Array(8000).map((_, i) => Math.round(8000 * Math.sin(i * 0.1)));
      const a = await WavRecorder.decode(pcm, 16000, 8000);
      expect(a.sampleRate).toBe(16000);
      expect(a.samples.length).toBe(16000);
      expect(a.duration).toBeCloseTo(1, 6);
      expect(a.blob.type).toBe('audio/wav');
      const b = await WavRecorder.decode(a.blob, 16000);
      expect(Array.from(b.samples)).toEqual(Array.from(a.samples));
      expect(b.values[100]).toBeCloseTo(a.samples[100] / 32768, 6);
      const same = await WavRecorder.decode(pcm, 8000, 8000);
      expect(Array.from(same.samples)).toEqual(Array.from(pcm));
      for (const f of [a, b, same]) URL.revokeObjectURL(f.url);
      expect(contexts.all.length).toBe(0);
    } finally {
      contexts.restore();
    }
  });

  it('20 begin/end cycles (and 20 player connect/disconnect cycles) leave no AudioContext alive beyond the current one', async () => {
    const contexts = trackAudioContexts();
    try {
      const bytes = await fixtureBytes();
      for (let i = 0; i < 20; i++) {
        rec = new WavRecorder();
        if (i % 2) await rec.useFile(bytes); // alternate microphone and file sources
        await rec.begin();
        await rec.record(() => {});
        const file = await rec.end();
        URL.revokeObjectURL(file.url);
        expect(rec.getStatus()).toBe('ended');
      }
      rec = new WavRecorder();
      await rec.begin();
      const player = new WavStreamPlayer();
      for (let i = 0; i < 20; i++) {
        await player.connect();
        player.add16BitPCM(new Int16Array(160).fill(1000), `t${i}`);
        await player.disconnect();
      }
      await player.connect();
      expect(contexts.all.length).toBe(20 + 1 + 21);
      expect(contexts.live()).toBe(2); // the current recorder's and the current player's
      await player.disconnect();
      expect(contexts.live()).toBe(1);
    } finally {
      contexts.restore();
    }
  });
});

function corr(ref: Int16Array, got: Int16Array, lag: number): number {
  let xy = 0, xx = 0, yy = 0;
  const n = Math.min(ref.length, got.length - lag);
  for (let i = Math.max(0, -lag); i < n; i++) {
    const x = ref[i], y = got[i + lag];
    xy += x * y; xx += x * x; yy += y * y;
  }
  return xx && yy ? xy / Math.sqrt(xx * yy) : 0;
}
