import { afterEach, describe, expect, it } from 'vitest';
import { WavStreamPlayer } from '../../src/lib/audio';
import { countNonZero, firstNonZero, marker, sleep, tap, waitFor } from './helpers/audio';

let player: WavStreamPlayer | null = null;
afterEach(async () => {
  await player?.disconnect();
  player = null;
});

async function connected(options: ConstructorParameters<typeof WavStreamPlayer>[0] = {}) {
  player = new WavStreamPlayer({ sampleRate: 8000, ...options });
  await player.connect();
  const ctx = player.getContext() as AudioContext;
  const t = await tap(ctx, player.getOutputNode() as AudioNode);
  return { p: player, ctx, t };
}

describe('WavStreamPlayer in Chromium', () => {
  it('runs its context at the output rate and renders exactly the samples given, short chunks included', async () => {
    // A 500 ms jitter buffer: the chunks are posted in one task, but a loaded machine may render a quantum between
    // two of their messages; holding until all are queued keeps this test about content, not scheduling.
    const { p, ctx, t } = await connected({ prebufferMs: 500 });
    expect(ctx.sampleRate).toBe(8000);
    let plays = 0;
    let ends = 0;
    p.onplay = () => plays++;
    p.onended = () => ends++;
    // Chunks of awkward sizes, including ones shorter than a 128-sample render quantum.
    const sizes = [50, 1000, 7, 128, 333, 1, 2000];
    const chunks = sizes.map((n, i) => marker(n, i + 1));
    for (const c of chunks) p.add16BitPCM(c, 'item-1');
    const total = sizes.reduce((a, b) => a + b, 0);
    expect(await waitFor(() => ends === 1, 10_000)).toBe(true);
    t.stop();
    const out = t.samples();
    const start = firstNonZero(out);
    expect(start).toBeGreaterThanOrEqual(0);
    const expected = chunks.flatMap((c) => Array.from(c, (v) => Math.fround(v / 32768)));
    expect(countNonZero(out)).toBe(total);
    expect(Array.from(out.subarray(start, start + total))).toEqual(expected);
    expect(p.getStats().samplesRendered['item-1']).toBe(total);
    expect(p.getStats().underruns).toBe(0);
    expect(plays).toBe(1);
    expect(ends).toBe(1);
  });

  it('interrupt() reports the rendered offset within one quantum, and later deltas of that track are dropped', async () => {
    const { p, t } = await connected();
    p.add16BitPCM(marker(8000 * 4, 3), 'long'); // 4 s
    await waitFor(() => (p.getStats().samplesRendered['long'] ?? 0) > 4000, 10_000);
    await sleep(300);
    const r = await p.interrupt();
    expect(r?.trackId).toBe('long');
    await sleep(300);
    // More audio of the interrupted track (a late delta) is dropped; a new track plays normally.
    p.add16BitPCM(marker(800, 4), 'long');
    const fresh = marker(1600, 5);
    p.add16BitPCM(fresh, 'next');
    await waitFor(() => p.getStats().samplesRendered['next'] === 1600, 10_000);
    await sleep(200);
    t.stop();
    const out = t.samples();
    // Truth: the first contiguous non-zero run is what was heard of 'long'.
    const s = firstNonZero(out);
    let e = s;
    while (e < out.length && out[e] !== 0) e++;
    const heard = e - s;
    expect(Math.abs((r?.offset ?? -1) - heard)).toBeLessThanOrEqual(128);
    expect(r?.currentTime).toBeCloseTo((r?.offset ?? 0) / 8000, 9);
    // After it: exactly the new track, nothing of the late 'long' delta.
    expect(countNonZero(out)).toBe(heard + 1600);
    const nextStart = firstNonZero(out, e);
    expect(Array.from(out.subarray(nextStart, nextStart + 1600))).toEqual(Array.from(fresh, (v) => Math.fround(v / 32768)));
    expect(p.isInterrupted('long')).toBe(true);
    expect(p.getStats().samplesRendered['long']).toBe(r?.offset);
  });

  it('an underrun leaves no gap inside later audio and does not reset offsets', async () => {
    const { p, t } = await connected({ idleMs: 5000 });
    let ends = 0;
    p.onended = () => ends++;
    const a = marker(800, 6);
    const b = marker(2400, 7);
    p.add16BitPCM(a, 'item');
    await waitFor(() => p.getStats().samplesRendered['item'] === 800, 10_000);
    await sleep(300); // starved for a while (shorter than idleMs: an underrun, not the end)
    p.add16BitPCM(b, 'item');
    await waitFor(() => p.getStats().samplesRendered['item'] === 3200, 10_000);
    await sleep(200);
    t.stop();
    const out = t.samples();
    const bStart = firstNonZero(out, firstNonZero(out) + 800);
    expect(Array.from(out.subarray(bStart, bStart + 2400))).toEqual(Array.from(b, (v) => Math.fround(v / 32768)));
    expect(countNonZero(out)).toBe(3200);
    const stats = p.getStats();
    expect(stats.underruns).toBe(1);
    expect(stats.underrunGapMs).toBeGreaterThan(100);
    expect(stats.samplesRendered['item']).toBe(3200);
    expect(ends).toBe(0);
  });

  it('prebufferMs holds playback so that late chunks join the earlier ones without a gap', async () => {
    const { p, t } = await connected({ prebufferMs: 1500 });
    const a = marker(400, 13);
    const b = marker(400, 14);
    p.add16BitPCM(a, 'j');
    await sleep(250); // a jittery late chunk, well inside the prebuffer window
    p.add16BitPCM(b, 'j');
    expect(await waitFor(() => p.getStats().samplesRendered['j'] === 800, 10_000)).toBe(true);
    await sleep(100);
    t.stop();
    const out = t.samples();
    const s = firstNonZero(out);
    expect(Array.from(out.subarray(s, s + 800))).toEqual([...a, ...b].map((v) => Math.fround(v / 32768)));
    expect(countNonZero(out)).toBe(800);
    expect(p.getStats().underruns).toBe(0);
  });

  it('resamples in the worklet when the context runs at another rate (offsets stay at the player rate)', async () => {
    // 22050 Hz output played through a 44100 Hz context: the same path a browser takes when it refuses a rate.
    player = new WavStreamPlayer({ sampleRate: 22050 });
    const Original = window.AudioContext;
    window.AudioContext = class extends Original {
      constructor(o?: AudioContextOptions) {
        super({ ...o, sampleRate: 44100 });
      }
    };
    try {
      await player.connect();
    } finally {
      window.AudioContext = Original;
    }
    const p = player;
    expect(p.getStats().contextRate).toBe(44100);
    p.add16BitPCM(marker(22050, 8), 'x'); // 1 s
    expect(await waitFor(() => p.getStats().samplesRendered['x'] === 22050, 10_000)).toBe(true);
  });

  it('reports stats synchronously: buffered ms, output latency, rates', async () => {
    const { p } = await connected();
    p.add16BitPCM(marker(8000 * 2, 9), 't');
    await waitFor(() => p.getStats().bufferedMs > 0, 5000);
    const s = p.getStats();
    expect(s.sampleRate).toBe(8000);
    expect(s.contextRate).toBe(8000);
    expect(s.bufferedMs).toBeGreaterThan(500);
    expect(s.bufferedMs).toBeLessThanOrEqual(2000);
    expect(s.outputLatencyMs).toBeGreaterThanOrEqual(0);
    expect(s.playing).toBe(true);
    const f = p.getFrequencies('music');
    expect(f.values.length).toBe(96);
    expect(Math.max(...f.values)).toBeGreaterThan(0);
  });

  it('typed errors before connect(); interrupt() on an idle or disconnected player gives null', async () => {
    player = new WavStreamPlayer();
    expect(() => player?.add16BitPCM(new Int16Array(10))).toThrow(/connect/);
    expect(await player.interrupt()).toBeNull();
    await player.connect();
    expect(await player.interrupt()).toBeNull(); // nothing has played
    expect(() => new WavStreamPlayer({ sampleRate: 100 })).toThrow(/sampleRate/);
  });
});
