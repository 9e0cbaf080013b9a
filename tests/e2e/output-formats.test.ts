// Journey 7: output formats. For 8, 16 and 24 kHz PCM and G.711 µ-law / A-law, chosen in the session editor
// before connecting, a tts_text reply plays at the right speed: measured on the output's own clock (the
// AudioContext frame of each player stats snapshot, ~every 50 ms), the audio rendered per unit of clock — the
// median over the item's playback — is within 5% of 1, and every sample of the item is rendered. The full
// rendered duration (minus the silence inserted while waiting for late audio) is printed for each format.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect, conversation, launchJourney, openConsole, screenshot, type JourneyBrowser } from '../helpers/e2e-browser';

const FORMATS: { name: string; rate: number }[] = [
  { name: 'Raw8KHz16BitMonoPcm', rate: 8_000 },
  { name: 'Raw16KHz16BitMonoPcm', rate: 16_000 },
  { name: 'Raw24KHz16BitMonoPcm', rate: 24_000 },
  { name: 'g711_ulaw', rate: 8_000 },
  { name: 'g711_alaw', rate: 8_000 },
];

const SENTENCE = 'The quick brown fox jumps over the lazy dog, then it runs far away into the quiet green forest.';

interface Playback {
  itemId: string;
  itemRate: number;
  itemSamples: number;
  playerRate: number;
  /** Median over the ~50 ms stats intervals of (audio rendered / output clock elapsed); 1 = the right speed. */
  medianSpeed: number;
  intervals: number;
  /** ms of output clock from the first rendered sample to the last. */
  renderedMs: number;
  /** Silence the player inserted meanwhile because audio arrived late (the emulator streams in real time). */
  gapMs: number;
  underruns: number;
}

describe('journey 7: output formats play at the right speed', () => {
  let b: JourneyBrowser;
  beforeAll(async () => {
    b = await launchJourney('silence');
  });
  afterAll(async () => b?.close());

  it('8, 16, 24 kHz PCM and G.711 µ-law/A-law play at speed 1 (within 5%), every sample rendered', async () => {
    const { page } = b;
    await openConsole(page, inject('e2eBase'), 'en');
    await page.getByRole('checkbox', { name: 'Greeting on connect' }).uncheck();
    const results: Record<string, Playback> = {};
    for (const fmt of FORMATS) {
      await page.getByRole('combobox', { name: 'Output format' }).selectOption(fmt.name);
      await connect(page);
      const before = (await conversation(page)).length;
      const panel = page.getByRole('region', { name: 'Conversation', exact: true });
      await panel.getByRole('combobox', { name: 'Send as' }).selectOption('tts_text');
      await panel.getByRole('textbox', { name: 'Message' }).fill(SENTENCE);
      await panel.getByRole('button', { name: 'Send message' }).click();
      // Watch the player from inside the page (no round trip per sample).
      const playback = await page.evaluate(
        async ({ before, timeoutMs }) => {
          const h = window.__realtimeConsole!;
          const deadline = performance.now() + timeoutMs;
          // Snapshots of the player: [output clock frame, samples rendered of the item, inserted silence ms].
          const snaps: [number, number, number][] = [];
          let itemId = '';
          const underruns0 = h.getPlayerStats()?.underruns ?? 0;
          for (;;) {
            const s = h.getState();
            const items = s.conversation.order.slice(before).map((id) => s.conversation.items[id]);
            const item = items.find((i) => i.role === 'assistant');
            if (item) itemId = item.id;
            const stats = h.getPlayerStats();
            const n = item ? (stats?.samplesRendered[item.id] ?? 0) : 0;
            if (stats && (snaps.length === 0 || snaps[snaps.length - 1][0] !== stats.contextFrame)) snaps.push([stats.contextFrame, n, stats.underrunGapMs]);
            if (stats && item?.audio && item.status === 'completed' && n >= item.audio.samples && n > 0) {
              const total = item.audio.samples;
              const playerRate = s.audio.granted.outputRate ?? item.audio.sampleRate;
              const ctxRate = stats.contextRate ?? playerRate;
              // Start: the first snapshot with samples, minus the time those samples took.
              const first = snaps.find((p) => p[1] > 0)!;
              const start = first[0] / ctxRate - first[1] / playerRate;
              // End: the last snapshot short of the total, plus the time the rest took.
              const lastIdx = snaps.findIndex((p) => p[1] >= total);
              const before = snaps[lastIdx - 1];
              const end = before[0] / ctxRate + (total - before[1]) / playerRate;
              // Speed per stats interval while the item played: audio rendered / output clock elapsed.
              const speeds: number[] = [];
              for (let i = snaps.indexOf(first) + 1; i <= lastIdx; i++) {
                const [f0, n0] = snaps[i - 1];
                const [f1, n1] = snaps[i];
                if (n1 < total && f1 > f0) speeds.push((n1 - n0) / playerRate / ((f1 - f0) / ctxRate));
              }
              speeds.sort((x, y) => x - y);
              return {
                itemId,
                itemRate: item.audio.sampleRate,
                itemSamples: total,
                playerRate,
                medianSpeed: speeds.length ? speeds[Math.floor(speeds.length / 2)] : 0,
                intervals: speeds.length,
                renderedMs: (end - start) * 1000,
                gapMs: before[2] - first[2],
                underruns: stats.underruns - underruns0,
              };
            }
            if (performance.now() > deadline) return null;
            await new Promise((r) => setTimeout(r, 20));
          }
        },
        { before, timeoutMs: 60_000 },
      );
      expect(playback, fmt.name).not.toBeNull();
      results[fmt.name] = playback!;
      await page.click('[data-testid="connect"]'); // disconnect
      await page.waitForSelector('[data-testid="connection-status"][data-state="closed"]', { timeout: 15_000 });
    }
    console.log(
      'output formats:\n' +
        Object.entries(results)
          .map(([name, r]) => `  ${name}: ${((r.itemSamples * 1000) / r.itemRate).toFixed(0)} ms of audio rendered in ${r.renderedMs.toFixed(0)} ms, of which ${r.gapMs.toFixed(0)} ms waiting for late audio (${r.underruns} underruns; player ${r.playerRate} Hz); median speed ${r.medianSpeed.toFixed(3)} over ${r.intervals} intervals`)
          .join('\n'),
    );
    for (const fmt of FORMATS) {
      const r = results[fmt.name];
      expect(r.itemRate, fmt.name).toBe(fmt.rate);
      expect(r.playerRate, fmt.name).toBe(fmt.rate);
      const audioMs = (r.itemSamples * 1000) / r.itemRate;
      expect(audioMs, fmt.name).toBeGreaterThan(3_000);
      // The speed: within 5% of 1. (The whole rendered duration is printed above; on a CPU-starved machine the
      // output clock skips frames while nothing renders, which is a glitch, not a speed error, so the per-interval
      // median is what is asserted. A wrong rate shows as 0.33, 0.5, 2 or 3.)
      expect(r.intervals, fmt.name).toBeGreaterThanOrEqual(20);
      expect(Math.abs(r.medianSpeed - 1), `${fmt.name}: median speed ${r.medianSpeed}`).toBeLessThanOrEqual(0.05);
    }
    expect(b.pageErrors).toEqual([]);
    await screenshot(page, '7-output-formats');
  });
});
