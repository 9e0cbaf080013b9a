// Browser side of the end-to-end journeys: one fresh Chromium profile per journey with a fake microphone playing
// a fixture (DESIGN §9 flags), the console opened from the standalone server, and readers for the UI test
// contract (DESIGN §7: data-testid, `data-ready`, `window.__realtimeConsole`).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { findChromium } from '../../scripts/find-chromium.mjs';
import { chromiumAudioArgs } from '../browser/chromium-args';
import { encodeWav } from '../../src/lib/dsp/wav';

/** Absolute path of a fixture in tests/fixtures/audio (`'silence'`: a quiet microphone, written per launch). */
export function fixturePath(name: string, profileDir: string): string {
  if (name !== 'silence') return resolve(process.cwd(), 'tests', 'fixtures', 'audio', name);
  const file = join(profileDir, 'silence.wav');
  writeFileSync(file, encodeWav(new Int16Array(16_000 * 2), 16_000));
  return file;
}

/** Where journey screenshots go. */
export const SCREENSHOT_DIR = resolve(process.cwd(), 'test-results', 'e2e');

/** A launched journey browser. */
export interface JourneyBrowser {
  context: BrowserContext;
  page: Page;
  /** Page errors (uncaught exceptions in the console) seen so far. */
  pageErrors: string[];
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/** Launches Chromium with a fresh profile whose fake microphone plays `fixture` once (then silence). */
export async function launchJourney(fixture: string): Promise<JourneyBrowser> {
  const executablePath = process.env.CHROME_PATH || findChromium();
  if (!executablePath) throw new Error('No Chromium found: install `chromium` or set CHROME_PATH.');
  const profile = mkdtempSync(join(tmpdir(), 'rc-e2e-'));
  const micDir = join(profile, 'mic');
  mkdirSync(micDir);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: chromiumAudioArgs(fixturePath(fixture, micDir)),
    viewport: { width: 1440, height: 900 },
    acceptDownloads: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  return {
    context,
    page,
    pageErrors,
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Opens the console at `base` (with `?lang=`) and waits for the app-ready marker. */
export async function openConsole(page: Page, base: string, lang: 'zh' | 'en' = 'en'): Promise<void> {
  await page.goto(`${base}/?lang=${lang}`, { waitUntil: 'load' });
  await page.waitForSelector('html[data-ready="true"]', { state: 'attached', timeout: 30_000 });
}

/** Types a WebSocket URL (with query parameters) into the connection bar's URL field. */
export async function setUrl(page: Page, url: string): Promise<void> {
  await page.getByRole('textbox', { name: 'URL', exact: true }).fill(url);
}

/** The local emulator's WebSocket URL on `base` with `query` (e.g. `reply=long`). */
export function emulatorUrl(base: string, query = ''): string {
  return `${base.replace(/^http/, 'ws')}/v1/realtime${query ? `?${query}` : ''}`;
}

/** Clicks Connect and waits for the status pill to say `open`. */
export async function connect(page: Page): Promise<void> {
  await page.click('[data-testid="connect"]');
  await page.waitForSelector('[data-testid="connection-status"][data-state="open"]', { timeout: 20_000 });
}

/** One event-log entry as the journeys read it. */
export interface LoggedEvent {
  seq: number;
  at: number;
  direction: 'client' | 'server' | 'local';
  type: string;
  event: Record<string, unknown>;
}

/** The whole event log (oldest first), from the store. */
export function eventLog(page: Page): Promise<LoggedEvent[]> {
  return page.evaluate(() => {
    const log = window.__realtimeConsole!.getState().events.log;
    const out = [];
    for (let i = 0; i < log.size; i++) {
      const e = log.at(i)!;
      out.push({ seq: e.seq, at: e.at, direction: e.direction, type: e.type, event: { ...e.event } });
    }
    return out;
  });
}

/** A conversation item as the journeys read it (no audio chunks). */
export interface ItemSummary {
  id: string;
  role: string;
  type: string;
  status: string;
  text: string;
  transcript: string;
  contentKind?: string;
  audioSamples: number;
  audioRate: number;
  truncatedAtMs?: number;
  tool?: { name: string; arguments: string; output?: string; callId: string };
}

/** The conversation, in display order. */
export function conversation(page: Page): Promise<ItemSummary[]> {
  return page.evaluate(() => {
    const { order, items } = window.__realtimeConsole!.getState().conversation;
    return order.map((id) => {
      const it = items[id];
      return {
        id: it.id,
        role: it.role,
        type: it.type,
        status: it.status,
        text: it.text,
        transcript: it.transcript,
        contentKind: it.contentKind,
        audioSamples: it.audio?.samples ?? 0,
        audioRate: it.audio?.sampleRate ?? 0,
        truncatedAtMs: it.truncatedAtMs,
        tool: it.tool ? { name: it.tool.name, arguments: it.tool.arguments, output: it.tool.output, callId: it.tool.callId } : undefined,
      };
    });
  });
}

/** The player's samples rendered per track (item id); empty while no output is open. */
export async function renderedSamples(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => ({ ...(window.__realtimeConsole!.getPlayerStats()?.samplesRendered ?? {}) }));
}

/** Waits until the event log holds at least `count` events of `type` (from `direction`, if given). */
export async function waitForEvents(page: Page, type: string, count = 1, timeout = 60_000, direction?: string): Promise<void> {
  await page.waitForFunction(
    ({ type, count, direction }) => {
      const log = window.__realtimeConsole!.getState().events.log;
      let n = 0;
      for (let i = 0; i < log.size; i++) {
        const e = log.at(i)!;
        if (e.type === type && (!direction || e.direction === direction)) n++;
      }
      return n >= count;
    },
    { type, count, direction },
    { timeout, polling: 100 },
  );
}

/** Waits until the player has rendered every sample of the item `id` (and at least one). */
export async function waitForPlayed(page: Page, id: string, timeout = 60_000): Promise<void> {
  await page
    .waitForFunction(
    (id) => {
      const h = window.__realtimeConsole!;
      const item = h.getState().conversation.items[id];
      const rendered = h.getPlayerStats()?.samplesRendered[id] ?? 0;
      return !!item?.audio && item.status !== 'in_progress' && rendered > 0 && rendered >= item.audio.samples;
    },
    id,
    { timeout, polling: 100 },
    )
    .catch(async (err: Error) => {
      const seen = await page.evaluate((id) => {
        const h = window.__realtimeConsole!;
        const item = h.getState().conversation.items[id];
        return { status: item?.status, samples: item?.audio?.samples, player: h.getPlayerStats() };
      }, id);
      throw new Error(`${err.message}\nitem ${id}: ${JSON.stringify(seen)}`);
    });
}

/** Saves `test-results/e2e/<name>.png` and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  console.log(`screenshot: ${file}`);
  return file;
}

/** Polls the conversation (every 200 ms) until `predicate` holds; resolves with that snapshot. */
export async function waitForConversation(page: Page, what: string, predicate: (items: ItemSummary[]) => boolean, timeout = 60_000): Promise<ItemSummary[]> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const items = await conversation(page);
    if (predicate(items)) return items;
    if (Date.now() > deadline) {
      const brief = items.map(({ id, role, type, status, contentKind, audioSamples, transcript, text }) => ({ id, role, type, status, contentKind, audioSamples, transcript: transcript.slice(0, 40), text: text.slice(0, 40) }));
      throw new Error(`timed out after ${timeout} ms waiting for ${what}; conversation: ${JSON.stringify(brief)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** True once the item's waveform (wavesurfer's canvas, in its shadow root) is drawn in the conversation. */
export function waveformDrawn(page: Page, itemId: string): Promise<boolean> {
  return page.evaluate((id) => {
    const row = document.querySelector(`[data-testid="conversation-item"][data-item-id="${id}"]`);
    if (!row) return false;
    const wave = row.querySelector('.item-audio-wave');
    if (!wave) return false;
    for (const el of wave.querySelectorAll('*')) {
      if (el.shadowRoot?.querySelector('canvas')) return true;
    }
    return !!wave.querySelector('canvas');
  }, itemId);
}
