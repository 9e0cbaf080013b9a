// A 3-minute real-time soak of the built console in Chromium: the production build (as `npm run build`) served by the
// standalone server in-process (offline emulator, server VAD, eSpeak NG replies when installed), connected from the
// real UI, the fake microphone looping a two-utterance fixture so the user keeps talking and barging in. Every 15 s:
// JS heap after GC (CDP), live AudioContexts and object URLs (counted by wrapping their constructors/functions in an
// init script), logged events, dropped events, items. Exactly SOAK_SECONDS (default 180), then everything closes.
import type { Page } from 'playwright-core';
import { buildConsole } from './helpers/build-console';
import { fixturePath, heapAfterGcMB, launchChromium } from './helpers/chromium';
import { startStandaloneServer } from '../src/server/standalone';
import { loadServerConfig } from '../src/server/config';
import type { BenchResult } from './types';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 180);
const EVERY_S = 15;

interface SoakSample {
  t: number;
  heapMB: number;
  liveContexts: number;
  createdContexts: number;
  liveUrls: number;
  events: number;
  dropped: number;
  items: number;
  itemAudioMB: number;
  underruns: number;
  state: string;
}

/**
 * Counts live AudioContexts and object URLs; installed before any page script runs. Plain JavaScript text: a
 * serialised TypeScript function would carry the transpiler's helpers.
 */
const INSTRUMENT = `(() => {
  const live = new Set();
  let created = 0;
  const Orig = window.AudioContext;
  window.AudioContext = class extends Orig {
    constructor(options) {
      super(options);
      created++;
      live.add(this);
      this.addEventListener('statechange', () => { if (this.state === 'closed') live.delete(this); });
    }
  };
  const urls = new Set();
  const create = URL.createObjectURL.bind(URL);
  const revoke = URL.revokeObjectURL.bind(URL);
  URL.createObjectURL = (obj) => { const u = create(obj); urls.add(u); return u; };
  URL.revokeObjectURL = (u) => { urls.delete(u); revoke(u); };
  window.__soak = { live: () => live.size, created: () => created, urls: () => urls.size };
})();`;

async function sample(page: Page, t: number): Promise<SoakSample> {
  const heapMB = await heapAfterGcMB(page);
  const s = await page.evaluate(() => {
    const soak = (window as unknown as { __soak: { live: () => number; created: () => number; urls: () => number } }).__soak;
    const st = window.__realtimeConsole!.getState();
    let audio = 0;
    for (const id of st.conversation.order) audio += st.conversation.items[id].audio?.samples ?? 0;
    return {
      liveContexts: soak.live(),
      createdContexts: soak.created(),
      liveUrls: soak.urls(),
      events: st.events.size,
      dropped: st.events.dropped,
      items: st.conversation.order.length,
      itemAudioMB: (audio * 2) / 2 ** 20,
      underruns: window.__realtimeConsole!.getPlayerStats()?.underruns ?? 0,
      state: st.connection.state,
    };
  });
  return { t, heapMB, ...s };
}

export default async function (): Promise<BenchResult[]> {
  const dist = await buildConsole();
  const server = await startStandaloneServer({ config: loadServerConfig({ PORT: '0' }), staticDir: dist, log: () => {} });
  const browser = await launchChromium(fixturePath('en-barge-in.wav'), { loop: true });
  const samples: SoakSample[] = [];
  let errors = 0;
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => {
      errors++;
      console.error(`soak page error: ${e.message}`);
    });
    await page.addInitScript({ content: INSTRUMENT });
    await page.goto(`${server.url}/?lang=en`);
    await page.waitForSelector('html[data-ready="true"]', { state: 'attached', timeout: 30_000 });
    await page.click('[data-testid="connect"]');
    await page.waitForSelector('[data-testid="connection-status"][data-state="open"]', { timeout: 20_000 });
    const t0 = Date.now();
    for (let k = 0; k * EVERY_S <= SECONDS; k++) {
      const due = t0 + k * EVERY_S * 1000;
      if (due > Date.now()) await page.waitForTimeout(due - Date.now());
      samples.push(await sample(page, Math.round((Date.now() - t0) / 1000)));
    }
    await page.evaluate(() => window.__realtimeConsole!.bridge.disconnect());
    await page.waitForTimeout(500);
    const closed = await sample(page, Math.round((Date.now() - t0) / 1000));
    await page.close();

    const a = samples[0];
    const z = samples[samples.length - 1];
    const hours = (z.t - a.t) / 3600;
    const trace = samples.map((s) => `${s.t}s ${s.heapMB.toFixed(1)}MB/${s.liveContexts}ctx/${s.liveUrls}url/${s.events}ev/${s.items}it`).join(' ');
    const maxCtx = Math.max(...samples.map((s) => s.liveContexts));
    return [
      {
        name: 'soak.browser_3min.heap_growth_MB',
        unit: 'MB',
        value: z.heapMB - a.heapMB,
        baseline: null,
        ratio: null,
        note: `JS heap after GC (CDP), ${a.heapMB.toFixed(1)} → ${z.heapMB.toFixed(1)} MB over ${z.t - a.t} s of a live session against the emulator (≈ ${((z.heapMB - a.heapMB) / hours).toFixed(0)} MB/h if linear; item audio held in ArrayBuffers, outside this heap: ${z.itemAudioMB.toFixed(1)} MB in ${z.items} items); ${errors} page errors; final state ${z.state}; samples: ${trace}`,
      },
      {
        name: 'soak.browser_3min.live_audio_contexts_max',
        unit: 'contexts',
        value: maxCtx,
        baseline: null,
        ratio: null,
        note: `most AudioContexts alive at any 15 s sample (${z.createdContexts} created in all; ${closed.liveContexts} alive after disconnect); target ≤ 2 (anchors F.15)`,
      },
      {
        name: 'soak.browser_3min.live_object_urls_end',
        unit: 'URLs',
        value: z.liveUrls,
        baseline: null,
        ratio: null,
        note: `object URLs created and not revoked at the end (start ${a.liveUrls}; after disconnect ${closed.liveUrls})`,
      },
      {
        name: 'soak.browser_3min.events',
        unit: 'events',
        value: z.events,
        baseline: null,
        ratio: null,
        note: `events in the log at the end (${z.dropped} dropped at the cap), ${z.items} conversation items, ${z.underruns} player underruns`,
      },
    ];
  } finally {
    await browser.close();
    await server.close();
  }
}
