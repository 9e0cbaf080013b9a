// Nothing lost (reliability item 2), in real Chromium against the built console: a session recorded to IndexedDB
// survives a reload of the tab (listed as interrupted when the tab went away mid-session), opens read-only with
// its conversation, and exports as a session file that decodes with its audio. (Named leaks-* by file ownership.)
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { connect, launchJourney, openConsole, type JourneyBrowser } from '../helpers/e2e-browser';
import { decodeSessionFile } from '../../src/lib/session-file';

describe('session history across a reload', () => {
  let b: JourneyBrowser;
  beforeAll(async () => {
    b = await launchJourney('silence');
  });
  afterAll(async () => b?.close());

  it('a live session survives a reload as interrupted, opens read-only and exports with its audio', async () => {
    const { page } = b;
    await openConsole(page, inject('e2eBase'), 'en');
    await page.getByRole('checkbox', { name: 'Greeting on connect' }).uncheck();
    await connect(page);
    const panel = page.getByRole('region', { name: 'Conversation', exact: true });
    await panel.getByRole('textbox', { name: 'Message' }).fill('keep this across a reload');
    await panel.getByRole('button', { name: 'Send message' }).click();
    // Wait for the spoken reply itself (a completed assistant item with audio), not just any response.done.
    await page.waitForFunction(
      () => {
        const { conversation } = window.__realtimeConsole!.getState();
        return conversation.order.some((id) => {
          const it = conversation.items[id];
          return it.role === 'assistant' && it.status === 'completed' && (it.audio?.samples ?? 0) > 0;
        });
      },
      undefined,
      { timeout: 60_000 },
    );
    await page.waitForTimeout(1500); // one flush interval: the batch is in IndexedDB
    await page.reload({ waitUntil: 'load' }); // the tab goes away while connected
    await page.waitForSelector('html[data-ready="true"]', { state: 'attached' });
    await page.getByTestId('history-open').click();
    const dialog = page.getByRole('dialog', { name: 'Session history' });
    const row = dialog.getByTestId('history-row').first();
    await expect.poll(() => row.getAttribute('data-status')).toBe('interrupted');
    expect(await row.innerText()).toContain('keep this across a reload');
    await dialog.getByRole('button', { name: 'Open: keep this across a reload' }).click();
    const viewer = dialog.getByRole('region', { name: /Session \(read-only\)/ });
    await expect.poll(() => viewer.getByTestId('history-item').count()).toBeGreaterThanOrEqual(2);
    // The player element appears once the item's WAV object URL exists (an effect after the first render): poll.
    await expect.poll(() => viewer.locator('[data-testid="history-item"][data-role="assistant"] audio').count()).toBeGreaterThanOrEqual(1);
    const [download] = await Promise.all([page.waitForEvent('download'), viewer.getByRole('button', { name: 'Export file' }).click()]);
    const rec = decodeSessionFile(readFileSync((await download.path())!, 'utf8'));
    expect(rec.items.find((i) => i.role === 'user')?.text).toBe('keep this across a reload');
    expect(rec.items.some((i) => i.role === 'assistant' && i.audio && i.audio.data.length > 0)).toBe(true);
    expect(rec.events.some((e) => e.direction === 'server' && e.event.type === 'session.created')).toBe(true);
    expect(JSON.stringify(rec.header)).not.toMatch(/sk-|api_key/);
    expect(b.pageErrors).toEqual([]);
  }, 120_000);
});
