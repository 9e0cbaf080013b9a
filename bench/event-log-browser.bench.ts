// The event log in real Chromium: 100,000 duplex events pushed into the real console store and rendered by the real
// EventLogPanel (virtualised list), one appendEvents batch per animation frame as the bridge's batcher does, in a
// production build of a tiny page (bench/pages/event-log.tsx). Figures: events per second, longest frame (rAF
// deltas), JS heap after GC (CDP). Baseline in the same browser: the reference approach — React state copied per
// event, every event a DOM row — for its first 10,000 events only (it slows as it grows; not extrapolated).
import type { Page } from 'playwright-core';
import { buildBenchPage } from './helpers/build-console';
import { domNodes, fixturePath, heapAfterGcMB, launchChromium, serveDir } from './helpers/chromium';
import type { BenchResult } from './types';

const N = 100_000;
const NAIVE_N = 10_000;
const BATCH = 1000; // per animation frame: ~60,000 events/s offered, far above a live session's ~150/s

async function openPage(page: Page, origin: string): Promise<void> {
  page.on('pageerror', (e) => console.error(`event-log page: ${e.message}`));
  await page.goto(`${origin}/bench/pages/event-log.html`);
  await page.waitForFunction(() => window.__eventLogBench?.ready === true, null, { timeout: 30_000 });
}

export default async function (): Promise<BenchResult[]> {
  const dir = await buildBenchPage('event-log');
  const server = await serveDir(dir);
  const browser = await launchChromium(fixturePath('en-weather.wav'));
  try {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    await openPage(page, server.origin);
    const heap0 = await heapAfterGcMB(page);
    const ours = await page.evaluate(([n, b]) => window.__eventLogBench.runConsole(n, b), [N, BATCH] as const);
    const heap1 = await heapAfterGcMB(page);
    const nodes = await domNodes(page);
    await page.evaluate(() => window.__eventLogBench.unmount());
    await page.close();

    const page2 = await ctx.newPage();
    await openPage(page2, server.origin);
    const nheap0 = await heapAfterGcMB(page2);
    const naive = await page2.evaluate(([n, b]) => window.__eventLogBench.runNaive(n, b), [NAIVE_N, BATCH] as const);
    const nheap1 = await heapAfterGcMB(page2);
    const nnodes = await domNodes(page2);
    await page2.evaluate(() => window.__eventLogBench.unmount());
    await ctx.close();

    const how = `${BATCH} events per animation frame, interleaved input appends / audio deltas (640 B payloads) / transcript deltas`;
    return [
      {
        name: 'ui.browser.event_log_events_per_s',
        unit: 'events/s',
        value: ours.eventsPerSecond,
        baseline: naive.eventsPerSecond,
        ratio: ours.eventsPerSecond / naive.eventsPerSecond,
        note: `${N} events into the store + virtualised EventLogPanel in ${(ours.ms / 1000).toFixed(1)} s (${how}); baseline: state copied per event + one DOM row per event, its first ${NAIVE_N} events only (${(naive.ms / 1000).toFixed(1)} s)`,
      },
      {
        name: 'ui.browser.event_log_longest_frame_ms',
        unit: 'ms',
        value: ours.longestFrameMs,
        baseline: naive.longestFrameMs,
        ratio: naive.longestFrameMs / ours.longestFrameMs,
        note: `longest rAF interval over ${ours.frames} frames (p95 ${ours.p95FrameMs.toFixed(1)} ms; longest: ${ours.worst}); baseline over its first ${NAIVE_N} events (p95 ${naive.p95FrameMs.toFixed(1)} ms), still growing with the list`,
      },
      {
        name: 'ui.browser.event_log_heap_MB',
        unit: 'MB',
        value: heap1 - heap0,
        baseline: nheap1 - nheap0,
        ratio: (nheap1 - nheap0) / (heap1 - heap0),
        note: `JS heap growth after GC (CDP) holding ${N} events (${ours.rows} rows, ${ours.renderedRows} rendered, ${nodes} DOM nodes; page heap ${heap1.toFixed(1)} MB); baseline holds only ${NAIVE_N} events (${naive.renderedRows} rows rendered, ${nnodes} DOM nodes) — ×${N / NAIVE_N} for 100k`,
      },
    ];
  } finally {
    await browser.close();
    await server.close();
  }
}
