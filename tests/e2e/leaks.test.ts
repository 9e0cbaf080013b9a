// Leaks (reliability item 6): 20 connect → talk → disconnect cycles in real Chromium against the built console leave
// no extra live AudioContexts, live microphone tracks, object URLs or window/document listeners. The page is
// instrumented before any script runs (constructors and add/remove pairs are wrapped); the baseline is taken
// after one warm-up cycle, so what the console keeps by design (e.g. lazily created singletons) is not counted.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchJourney, openConsole, type JourneyBrowser } from '../helpers/e2e-browser';

interface Live {
  audioContexts: number;
  tracks: number;
  objectUrls: number;
  listeners: number;
}

declare global {
  interface Window {
    __leaks?: () => Live;
  }
}

/** Runs in the page before the console's scripts. */
function instrument(): void {
  const contexts = new Set<AudioContext>();
  const tracks = new Set<MediaStreamTrack>();
  const urls = new Set<string>();
  const listeners = new Map<string, number>();
  const Base = window.AudioContext;
  window.AudioContext = class extends Base {
    constructor(options?: AudioContextOptions) {
      super(options);
      contexts.add(this);
    }
  };
  const md = navigator.mediaDevices;
  const gum = md.getUserMedia.bind(md);
  md.getUserMedia = async (c?: MediaStreamConstraints) => {
    const stream = await gum(c);
    for (const t of stream.getTracks()) tracks.add(t);
    return stream;
  };
  const create = URL.createObjectURL.bind(URL);
  const revoke = URL.revokeObjectURL.bind(URL);
  URL.createObjectURL = (o: Blob | MediaSource) => {
    const u = create(o);
    urls.add(u);
    return u;
  };
  URL.revokeObjectURL = (u: string) => {
    urls.delete(u);
    revoke(u);
  };
  const ids = new WeakMap<object, number>();
  let nextId = 1;
  const idOf = (o: object) => ids.get(o) ?? (ids.set(o, nextId++), nextId - 1);
  const keyOf = (target: EventTarget, type: string, l: unknown, opts: unknown) => {
    const capture = typeof opts === 'boolean' ? opts : !!(opts as { capture?: boolean } | undefined)?.capture;
    return `${target === window ? 'w' : 'd'}|${type}|${l && typeof l === 'object' || typeof l === 'function' ? idOf(l as object) : 0}|${capture}`;
  };
  const add = EventTarget.prototype.addEventListener;
  const remove = EventTarget.prototype.removeEventListener;
  EventTarget.prototype.addEventListener = function (this: EventTarget, type: string, l: EventListenerOrEventListenerObject | null, opts?: boolean | AddEventListenerOptions) {
    if ((this === window || this === document) && l && !(typeof opts === 'object' && opts?.once)) listeners.set(keyOf(this, type, l, opts), 1);
    return add.call(this, type, l, opts);
  };
  EventTarget.prototype.removeEventListener = function (this: EventTarget, type: string, l: EventListenerOrEventListenerObject | null, opts?: boolean | EventListenerOptions) {
    if (this === window || this === document) listeners.delete(keyOf(this, type, l, opts));
    return remove.call(this, type, l, opts);
  };
  window.__leaks = () => ({
    audioContexts: [...contexts].filter((c) => c.state !== 'closed').length,
    tracks: [...tracks].filter((t) => t.readyState === 'live').length,
    objectUrls: urls.size,
    listeners: listeners.size,
  });
}

const live = (page: Page) => page.evaluate(() => window.__leaks!());

/** Highest counts seen while connected (proves the instrumentation sees the console's resources at all). */
const peak: Live = { audioContexts: 0, tracks: 0, objectUrls: 0, listeners: 0 };

async function cycle(page: Page, n: number): Promise<void> {
  await page.click('[data-testid="connect"]');
  await page.waitForSelector('[data-testid="connection-status"][data-state="open"]', { timeout: 20_000 });
  const panel = page.getByRole('region', { name: 'Conversation', exact: true });
  await panel.getByRole('textbox', { name: 'Message' }).fill(`hi ${n}`);
  await panel.getByRole('button', { name: 'Send message' }).click();
  await page.waitForFunction(
    () => {
      const log = window.__realtimeConsole!.getState().events.log;
      for (let i = log.size - 1; i >= 0; i--) {
        const e = log.at(i)!;
        // The reply is playing (or done): disconnecting mid-playback is the harsher case for cleanup.
        if (e.type === 'response.done' || e.type === 'response.audio.delta' || e.type === 'response.output_audio.delta') return true;
        if (e.type === 'conversation.item.create') return false;
      }
      return false;
    },
    undefined,
    { timeout: 20_000 },
  );
  const during = await live(page);
  for (const k of Object.keys(peak) as (keyof Live)[]) peak[k] = Math.max(peak[k], during[k]);
  await page.click('[data-testid="connect"]');
  await page.waitForFunction(() => ['closed', 'idle'].includes(window.__realtimeConsole!.getState().connection.state), undefined, { timeout: 10_000 });
  // The user clears the views: items that are gone must release their waveform URLs.
  await page.evaluate(() => {
    const s = window.__realtimeConsole!.getState();
    s.clearConversation();
    s.clearEvents();
  });
}

describe('leaks', () => {
  let b: JourneyBrowser;
  beforeAll(async () => {
    b = await launchJourney('silence');
    await b.page.addInitScript(instrument);
  });
  afterAll(async () => b?.close());

  it('20 connect, talk, disconnect cycles leave no extra AudioContexts, tracks, object URLs or listeners', async () => {
    const { page } = b;
    await openConsole(page, inject('e2eBase'), 'en');
    await page.getByRole('checkbox', { name: 'Greeting on connect' }).uncheck();
    const t0 = Date.now();
    await cycle(page, 0);
    console.log(`leaks: warm-up cycle ${Date.now() - t0} ms`);
    await page.waitForTimeout(300);
    const baseline = await live(page);
    const started = Date.now();
    for (let i = 1; i <= 20; i++) {
      const t0 = Date.now();
      await cycle(page, i);
      console.log(`leaks: cycle ${i} ${Date.now() - t0} ms ${JSON.stringify(await live(page))}`);
    }
    await page.waitForTimeout(300); // let close() promises and unmount effects settle
    const after = await live(page);
    console.log(`leaks: baseline ${JSON.stringify(baseline)}, after 20 cycles ${JSON.stringify(after)} (${Date.now() - started} ms)`);
    // While connected the console had a microphone track and AudioContexts open: the counters do count.
    expect(peak.tracks).toBeGreaterThanOrEqual(1);
    expect(peak.audioContexts).toBeGreaterThanOrEqual(1);
    expect(after.audioContexts).toBeLessThanOrEqual(Math.max(baseline.audioContexts, 1));
    expect(after.tracks).toBeLessThanOrEqual(baseline.tracks);
    expect(after.objectUrls).toBeLessThanOrEqual(baseline.objectUrls);
    expect(after.listeners).toBeLessThanOrEqual(baseline.listeners);
    expect(b.pageErrors).toEqual([]);
  }, 240_000); // ~65 s on an idle machine (3 s a cycle); the margin is for loaded CI runners
});
