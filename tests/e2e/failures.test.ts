// Journey 8: failures the user must be able to read.
//  - The relay's upstream (a second emulator with EMULATOR_API_KEY) rejects the relay's key: "unauthorized" and
//    its remedy show in the error banner.
//  - The emulator drops the socket mid-reply (`fault=drop-after-ms`): the close shows (banner with the close
//    code, a gap mark in the event log).
//  - A malformed frame (`fault=malformed-after-ms`): an error shows, and the session goes on (a text turn after it
//    is answered).
import { afterEach, describe, expect, inject, it } from 'vitest';
import { connect, emulatorUrl, eventLog, launchJourney, openConsole, screenshot, setUrl, waitForConversation, type JourneyBrowser } from '../helpers/e2e-browser';

describe('journey 8: failures', () => {
  let b: JourneyBrowser | undefined;
  afterEach(async () => {
    await b?.close();
    b = undefined;
  });

  it('relay whose upstream rejects its key: "unauthorized" and the remedy', async () => {
    b = await launchJourney('silence');
    const { page } = b;
    await openConsole(page, inject('e2eRelayBase'), 'en');
    // The relay profile is offered once the server says the relay is on.
    const profile = page.getByRole('combobox', { name: 'Provider' });
    await expect.poll(() => profile.locator('option[value="relay"]').count(), { timeout: 10_000 }).toBe(1);
    await profile.selectOption('relay');
    await page.click('[data-testid="connect"]');
    const banner = page.locator('[data-testid="error-banner"]');
    await banner.waitFor({ timeout: 20_000 });
    expect(await banner.getAttribute('data-reason')).toBe('unauthorized');
    const text = await banner.innerText();
    expect(text).toContain('unauthorized (401)');
    expect(text).toContain("The key was refused. Check the API key (or the relay's REALTIME_API_KEY) and try again.");
    await page.waitForSelector('[data-testid="connection-status"][data-state="closed"]', { timeout: 20_000 });
    // The relay's key never reaches the page.
    expect(JSON.stringify(await eventLog(page))).not.toContain('sk-e2e-wrong');
    expect(b.pageErrors).toEqual([]);
    await screenshot(page, '8a-relay-unauthorized');
  });

  it('the emulator drops the socket mid-reply: the close shows', async () => {
    b = await launchJourney('silence');
    const { page } = b;
    const base = inject('e2eBase');
    await openConsole(page, base, 'en');
    await setUrl(page, emulatorUrl(base, 'fault=drop-after-ms:2500'));
    await connect(page); // the greeting's reply starts streaming
    const banner = page.locator('[data-testid="error-banner"][data-reason="closed"]');
    await banner.waitFor({ timeout: 20_000 });
    expect(await banner.innerText()).toContain('Connection problem: connection closed');
    expect(await banner.innerText()).toContain('The server closed the connection.');
    const log = await eventLog(page);
    const gap = log.findIndex((e) => e.direction === 'local' && JSON.stringify(e.event).includes('closed 10'));
    expect(gap, JSON.stringify(log.filter((e) => e.direction === 'local').map((e) => e.event))).toBeGreaterThan(0);
    // It was mid-reply: a response had started and not finished before the close.
    const before = log.slice(0, gap).filter((e) => e.direction === 'server').map((e) => e.type);
    expect(before).toContain('response.created');
    expect(before).not.toContain('response.done');
    expect(b.pageErrors).toEqual([]);
    await screenshot(page, '8b-dropped-mid-reply');
  });

  it('a malformed frame shows an error and the session goes on', async () => {
    b = await launchJourney('silence');
    const { page } = b;
    const base = inject('e2eBase');
    await openConsole(page, base, 'en');
    await page.getByRole('checkbox', { name: 'Greeting on connect' }).uncheck();
    await setUrl(page, emulatorUrl(base, 'fault=malformed-after-ms:500'));
    await connect(page);
    const toast = page.locator('.toast-error');
    await toast.first().waitFor({ timeout: 15_000 });
    expect((await toast.first().innerText()).length).toBeGreaterThan(0);
    expect(await page.getAttribute('[data-testid="connection-status"]', 'data-state')).toBe('open');
    // The session goes on: a text turn is answered.
    const panel = page.getByRole('region', { name: 'Conversation', exact: true });
    await panel.getByRole('textbox', { name: 'Message' }).fill('Are you still there?');
    await panel.getByRole('button', { name: 'Send message' }).click();
    await waitForConversation(page, 'a completed reply', (l) => l.some((i) => i.role === 'assistant' && i.status === 'completed' && i.transcript !== ''), 60_000);
    expect(await page.getAttribute('[data-testid="connection-status"]', 'data-state')).toBe('open');
    expect(b.pageErrors).toEqual([]);
    await screenshot(page, '8c-malformed-frame');
  });
});
