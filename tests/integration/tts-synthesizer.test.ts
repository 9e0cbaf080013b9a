import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { threadId } from 'node:worker_threads';
import { createSynthesizer, SynthesisError, type OfflineSynthesizer } from '../../src/server/tts';
import { rmsInt16 } from '../../src/lib/dsp/pcm';

/** RMS over the loudest 100 ms window, so leading/trailing silence does not hide speech. */
function peakWindowRms(samples: Int16Array, rate: number): number {
  const win = Math.floor(rate / 10);
  let best = 0;
  for (let i = 0; i + win <= samples.length; i += win) best = Math.max(best, rmsInt16(samples.subarray(i, i + win)));
  return best;
}

describe('offline synthesiser (eSpeak NG in a worker)', () => {
  let tts: OfflineSynthesizer;
  beforeAll(async () => {
    tts = await createSynthesizer();
  });
  afterAll(async () => {
    await tts.close();
  });

  it('loads the engine', () => {
    expect(tts.unavailableReason).toBeNull();
    expect(tts.available).toBe(true);
  });

  it('speaks Mandarin: non-silent 22 050 Hz samples of plausible length', async () => {
    const text = '你好，我是本地模拟器。今天天气很好。';
    const { samples, sampleRate } = await tts.synthesize({ text, voice: 'cmn' });
    expect(sampleRate).toBe(22050);
    const seconds = samples.length / sampleRate;
    // 17 syllables at a normal rate: a few seconds, certainly between 1.5 and 8.
    expect(seconds).toBeGreaterThan(1.5);
    expect(seconds).toBeLessThan(8);
    expect(peakWindowRms(samples, sampleRate)).toBeGreaterThan(0.02);
  });

  it('speaks English, and a faster rate gives shorter audio', async () => {
    const text = 'Hello, I am the local emulator. The weather is nice today.';
    const normal = await tts.synthesize({ text, voice: 'en-us' });
    const fast = await tts.synthesize({ text, voice: 'en-us', wordsPerMinute: 350 });
    expect(normal.sampleRate).toBe(22050);
    const seconds = normal.samples.length / normal.sampleRate;
    expect(seconds).toBeGreaterThan(2);
    expect(seconds).toBeLessThan(8);
    expect(peakWindowRms(normal.samples, normal.sampleRate)).toBeGreaterThan(0.02);
    expect(fast.samples.length).toBeLessThan(normal.samples.length * 0.75);
  });

  it('runs in a worker thread, not on the event loop', async () => {
    await tts.synthesize({ text: 'worker check', voice: 'en-us' });
    expect(tts.stats.lastThreadId).not.toBeNull();
    expect(tts.stats.lastThreadId).not.toBe(threadId);
  });

  it('caches replies and hands out copies', async () => {
    const request = { text: '缓存测试', voice: 'cmn', pitch: 40 };
    const first = await tts.synthesize(request);
    const runs = tts.stats.syntheses;
    const hits = tts.stats.cacheHits;
    const second = await tts.synthesize(request);
    expect(tts.stats.syntheses).toBe(runs);
    expect(tts.stats.cacheHits).toBe(hits + 1);
    expect(Array.from(second.samples)).toEqual(Array.from(first.samples));
    first.samples.fill(0);
    const third = await tts.synthesize(request);
    expect(peakWindowRms(third.samples, third.sampleRate)).toBeGreaterThan(0.02);
    // A different pitch is a different entry.
    await tts.synthesize({ ...request, pitch: 70 });
    expect(tts.stats.syntheses).toBe(runs + 1);
  });

  it('shares one synthesis between concurrent identical requests', async () => {
    const request = { text: 'the same words at the same time', voice: 'en-gb' };
    const runs = tts.stats.syntheses;
    const [a, b] = await Promise.all([tts.synthesize(request), tts.synthesize(request)]);
    expect(tts.stats.syntheses).toBe(runs + 1);
    expect(a.samples.length).toBe(b.samples.length);
  });

  it('rejects bad requests with a typed error and keeps working', async () => {
    await expect(tts.synthesize({ text: 'x', voice: 'qq-bogus' })).rejects.toBeInstanceOf(SynthesisError);
    await expect(tts.synthesize({ text: 'x', voice: 'en; rm -rf' })).rejects.toThrow(/invalid voice/);
    await expect(tts.synthesize({ text: '   ', voice: 'en' })).rejects.toThrow(/empty/);
    await expect(tts.synthesize({ text: 'a'.repeat(5000), voice: 'en' })).rejects.toThrow(/longer than/);
    // Text that looks like command-line options is spoken, not interpreted.
    const spoken = await tts.synthesize({ text: '-v xx --help', voice: 'en-us' });
    expect(spoken.samples.length).toBeGreaterThan(22050 * 0.3);
  });
});

describe('offline synthesiser without its engine', () => {
  it('reports unavailability cleanly and rejects synthesis', async () => {
    const tts = await createSynthesizer({ engine: 'espeak-ng-not-installed' });
    try {
      expect(tts.available).toBe(false);
      expect(tts.unavailableReason).toMatch(/espeak-ng-not-installed/);
      await expect(tts.synthesize({ text: 'hello', voice: 'en' })).rejects.toBeInstanceOf(SynthesisError);
    } finally {
      await tts.close();
    }
  });

  it('bounds its cache by bytes', async () => {
    const tts = await createSynthesizer({ cacheBytes: 200_000 });
    try {
      await tts.synthesize({ text: 'first sentence that is long enough to be big', voice: 'en' });
      await tts.synthesize({ text: 'second sentence that is long enough to be big', voice: 'en' });
      await tts.synthesize({ text: 'third sentence that is long enough to be big', voice: 'en' });
      expect(tts.stats.cachedBytes).toBeLessThanOrEqual(200_000);
      expect(tts.stats.cachedEntries).toBeLessThan(3);
    } finally {
      await tts.close();
    }
    await expect(tts.synthesize({ text: 'after close', voice: 'en' })).rejects.toThrow(/closed/);
  });
});
