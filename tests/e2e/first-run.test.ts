// Journey 1: first run. A fresh profile (no settings) opens the console, connects to the local emulator, and the
// greeting's reply plays (the microphone is quiet, so nothing interrupts it) (the player renders all of its samples) and shows in the conversation.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect, conversation, eventLog, launchJourney, openConsole, renderedSamples, screenshot, waitForEvents, waitForPlayed, type JourneyBrowser } from '../helpers/e2e-browser';

describe('journey 1: first run', () => {
  let b: JourneyBrowser;
  beforeAll(async () => {
    b = await launchJourney('silence');
  });
  afterAll(async () => b?.close());

  it('connects with default settings; the greeting reply plays and shows', async () => {
    const { page } = b;
    await openConsole(page, inject('e2eBase'), 'zh');
    const state0 = await page.evaluate(() => window.__realtimeConsole!.getState().connection.profileId);
    expect(state0).toBe('local');
    await connect(page);
    await waitForEvents(page, 'response.done', 1, 60_000, 'server');
    const items = await conversation(page);
    const reply = items.find((i) => i.role === 'assistant');
    expect(reply).toBeDefined();
    await waitForPlayed(page, reply!.id);

    const after = await conversation(page);
    const greeting = after.find((i) => i.role === 'user')!;
    expect(greeting.contentKind).toBe('input_text');
    expect(greeting.text).toContain('用户上线了');
    const done = after.find((i) => i.id === reply!.id)!;
    expect(done.status).toBe('completed');
    expect(done.transcript.length).toBeGreaterThan(0);
    expect(done.audioSamples).toBeGreaterThan(done.audioRate / 2); // more than half a second of speech
    // The player runs at the session's output rate (so rendered counts and truncate offsets share the item's rate).
    expect(await page.evaluate(() => window.__realtimeConsole!.getState().audio.granted.outputRate)).toBe(done.audioRate);
    expect((await renderedSamples(page))[reply!.id]).toBeGreaterThanOrEqual(done.audioSamples);

    // The user sees it: the reply's transcript in an assistant conversation item, the status pill open.
    const view = page.locator(`[data-testid="conversation-item"][data-role="assistant"][data-status="completed"]`).first();
    await view.waitFor({ timeout: 10_000 });
    expect(await view.innerText()).toContain(done.transcript.slice(0, 8));

    // And the event log tells the same story, in order.
    const log = await eventLog(page);
    const types = log.filter((e) => e.direction !== 'local').map((e) => e.type);
    const idx = (t: string) => types.indexOf(t);
    expect(idx('session.created')).toBeGreaterThanOrEqual(0);
    expect(idx('session.update')).toBeGreaterThanOrEqual(0);
    expect(idx('conversation.item.create')).toBeGreaterThan(idx('session.created'));
    expect(idx('response.create')).toBeGreaterThan(idx('conversation.item.create'));
    expect(idx('response.audio.delta')).toBeGreaterThan(idx('response.create'));
    expect(types.lastIndexOf('response.done')).toBeGreaterThan(idx('response.audio.delta'));
    expect(await page.locator('[data-testid="event-row"]').count()).toBeGreaterThan(0);
    expect(b.pageErrors).toEqual([]);
    await screenshot(page, '1-first-run');
  });
});
