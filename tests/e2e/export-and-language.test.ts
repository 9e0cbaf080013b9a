// Journey 9: export the event log as NDJSON (a real download, parsed back: one line per logged event, in order,
// audio payloads replaced by size markers), then switch the language with the header's toggle (the whole UI
// follows, and the choice survives a reload).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, eventLog, launchJourney, screenshot, waitForEvents, SCREENSHOT_DIR, type JourneyBrowser } from '../helpers/e2e-browser';

describe('journey 9: export the event log, switch the language', () => {
  let b: JourneyBrowser;
  beforeAll(async () => {
    b = await launchJourney('silence');
  });
  afterAll(async () => b?.close());

  it('exports NDJSON matching the log; the language toggle switches the UI and persists', async () => {
    const { page } = b;
    const base = inject('e2eBase');
    // No ?lang: the browser's language (English in this headless Chromium) until the user picks one.
    await page.goto(`${base}/`, { waitUntil: 'load' });
    await page.waitForSelector('html[data-ready="true"]', { state: 'attached', timeout: 30_000 });
    await connect(page);
    await waitForEvents(page, 'response.done', 1, 60_000, 'server');
    await page.click('[data-testid="connect"]'); // disconnect: the log stops growing
    await page.waitForSelector('[data-testid="connection-status"][data-state="closed"]', { timeout: 15_000 });
    const lang0 = await page.evaluate(() => document.documentElement.lang);

    // Export.
    const exportButton = page.getByRole('button', { name: lang0 === 'en' ? 'Export NDJSON' : '导出 NDJSON' });
    const [download] = await Promise.all([page.waitForEvent('download'), exportButton.click()]);
    expect(download.suggestedFilename()).toMatch(/^realtime-events-.*\.ndjson$/);
    const file = join(SCREENSHOT_DIR, 'events.ndjson');
    await download.saveAs(file);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const exported = lines.map((l) => JSON.parse(l) as { seq: number; direction: string; type: string; event: Record<string, unknown> });
    const log = await eventLog(page);
    expect(exported.map((e) => [e.seq, e.direction, e.type])).toEqual(log.map((e) => [e.seq, e.direction, e.type]));
    expect(exported.map((e) => e.type)).toEqual(expect.arrayContaining(['session.created', 'session.update', 'response.create', 'response.done']));
    const audio = exported.find((e) => e.type === 'response.audio.delta')!;
    expect(String(audio.event.delta)).toMatch(/^\[audio \d+ B\]$/);

    // Switch the language to the other one, with the header's toggle.
    const target = lang0 === 'en' ? { radio: '中文', lang: 'zh-CN', connect: '连接', title: '实时语音控制台' } : { radio: 'English', lang: 'en', connect: 'Connect', title: 'Realtime Console' };
    await page.getByRole('radio', { name: target.radio }).click();
    await page.waitForFunction((l) => document.documentElement.lang === l, target.lang);
    expect(await page.locator('[data-testid="connect"]').innerText()).toBe(target.connect);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(target.title);
    expect(await page.title()).toBe(target.title);
    await screenshot(page, '9-export-and-language');
    // The choice is kept.
    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector('html[data-ready="true"]', { state: 'attached', timeout: 30_000 });
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(target.lang);
    expect(await page.locator('[data-testid="connect"]').innerText()).toBe(target.connect);
    expect(b.pageErrors).toEqual([]);
  });
});
