// Screenshots of a RUNNING console (it builds nothing): zh and en × wide (1440×900) and narrow (390×844), into
// test-results/screenshots/. Usage: node scripts/screenshot.mjs [URL] [--connect]
//   URL defaults to http://127.0.0.1:4001. With --connect, each shot connects to the local emulator first and
//   waits for the greeting's reply, so the panels show a live session.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { findChromium } from './find-chromium.mjs';
import { chromiumAudioArgs } from './chromium-flags.mjs';

const args = process.argv.slice(2);
const base = (args.find((a) => !a.startsWith('--')) ?? 'http://127.0.0.1:4001').replace(/\/$/, '');
const connect = args.includes('--connect');
const outDir = join(process.cwd(), 'test-results', 'screenshots');
mkdirSync(outDir, { recursive: true });

const executablePath = findChromium();
if (!executablePath) {
  console.error('No Chromium found: set CHROME_PATH.');
  process.exit(1);
}

// DESIGN §9 flags; the fake microphone says one sentence (then silence) instead of beeping every second.
const flags = chromiumAudioArgs(join(process.cwd(), 'tests', 'fixtures', 'audio', 'zh-hello.wav'));

const sizes = { wide: { width: 1440, height: 900 }, narrow: { width: 390, height: 844 } };
const written = [];
for (const lang of ['zh', 'en']) {
  for (const [name, viewport] of Object.entries(sizes)) {
    const profile = mkdtempSync(join(tmpdir(), 'rc-shot-'));
    const context = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args: flags, viewport, deviceScaleFactor: name === 'narrow' ? 2 : 1 });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      page.on('pageerror', (err) => console.error(`[${lang}/${name}] page error:`, err.message));
      await page.goto(`${base}/?lang=${lang}`, { waitUntil: 'load' });
      await page.waitForSelector('html[data-ready="true"]', { state: 'attached', timeout: 30_000 });
      if (connect) {
        await page.click('[data-testid="connect"]');
        await page.waitForSelector('[data-testid="connection-status"][data-state="open"]', { timeout: 20_000 });
        await page
          .waitForSelector('[data-testid="conversation-item"][data-role="assistant"][data-status="completed"]', { timeout: 30_000 })
          .catch(() => console.warn(`[${lang}/${name}] no completed assistant reply within 30 s; capturing anyway`));
        await page.waitForTimeout(500);
        const live = await page.evaluate(() => {
          const h = window.__realtimeConsole;
          const s = h?.getState();
          return { items: s?.conversation.order.length, events: s?.events.size, player: h?.getPlayerStats() };
        });
        console.log(`[${lang}/${name}] store: ${live.items} items, ${live.events} events; player: ${JSON.stringify(live.player)}`);
      }
      const file = join(outDir, `console-${lang}-${name}${connect ? '-live' : ''}.png`);
      await page.screenshot({ path: file, fullPage: name === 'narrow' });
      written.push(file);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  }
}
for (const f of written) console.log(f);
