// Journey 5: push-to-talk in manual mode, by holding Space. The fake microphone says "What is the weather like in
// Shanghai today?" (en-weather.wav, speech at 1.0–3.3 s). A tap shorter than the minimum is cleared (nothing is
// committed); holding Space over the sentence commits exactly one user audio item, which gets a reply.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect, eventLog, launchJourney, openConsole, screenshot, waitForConversation, waitForEvents, type JourneyBrowser } from '../helpers/e2e-browser';

describe('journey 5: push-to-talk', () => {
  let b: JourneyBrowser;
  beforeAll(async () => {
    b = await launchJourney('en-weather.wav');
  });
  afterAll(async () => b?.close());

  it('a held Space commits one turn; a too-short press is cleared', async () => {
    const { page } = b;
    await openConsole(page, inject('e2eBase'), 'en');
    await page.getByRole('checkbox', { name: 'Greeting on connect' }).uncheck();
    await page.getByRole('region', { name: 'Controls' }).getByRole('radio', { name: 'Manual (push-to-talk)' }).click();
    await connect(page);
    await waitForEvents(page, 'session.updated', 1, 20_000, 'server');
    const updates = (await eventLog(page)).filter((e) => e.direction === 'client' && e.type === 'session.update');
    expect(JSON.stringify(updates.at(-1)!.event)).toContain('"turn_detection":null');
    // Shortcuts are ignored while typing: take the focus out of any field.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const ptt = page.locator('[data-testid="ptt"]');

    // A tap: too short, cleared.
    await page.keyboard.down('Space');
    await page.keyboard.up('Space');
    await waitForEvents(page, 'input_audio_buffer.clear', 1, 10_000, 'client');
    let log = await eventLog(page);
    expect(log.filter((e) => e.direction === 'local' && e.type.includes('ptt_too_short'))).toHaveLength(1);
    expect(log.filter((e) => e.type === 'input_audio_buffer.commit')).toHaveLength(0);

    // Hold Space over the sentence (it ends 3.3 s into the fixture).
    await page.keyboard.down('Space');
    const heldAt = Date.now();
    await page.waitForSelector('[data-testid="ptt"][aria-pressed="true"]', { timeout: 5_000 });
    await page.waitForTimeout(3_800);
    await page.keyboard.up('Space');
    const heldMs = Date.now() - heldAt;
    expect(await ptt.getAttribute('aria-pressed')).toBe('false');

    const items = await waitForConversation(
      page,
      'a user audio item and a completed reply',
      (l) => l.some((i) => i.contentKind === 'input_audio') && l.some((i) => i.role === 'assistant' && i.status === 'completed' && i.transcript !== ''),
      60_000,
    );
    const users = items.filter((i) => i.role === 'user');
    expect(users).toHaveLength(1);
    const user = users[0];
    expect(user.contentKind).toBe('input_audio');
    // The item holds what was captured while Space was down (not more).
    const userMs = (user.audioSamples * 1000) / user.audioRate;
    expect(userMs).toBeGreaterThan(2_500);
    expect(userMs).toBeLessThanOrEqual(heldMs + 200);
    const reply = items.find((i) => i.role === 'assistant')!;
    // (Its language follows the session's voice, 龙婉 by default, for voice input.)
    const spoken = /(?:You spoke for |你说了)([\d.]+)/.exec(reply.transcript);
    expect(spoken, reply.transcript).not.toBeNull();
    expect(Math.abs(Number(spoken![1]) * 1000 - userMs)).toBeLessThanOrEqual(150);

    log = await eventLog(page);
    const client = log.filter((e) => e.direction === 'client').map((e) => e.type);
    expect(client.filter((t) => t === 'input_audio_buffer.commit')).toHaveLength(1);
    expect(client.indexOf('response.create')).toBeGreaterThan(client.indexOf('input_audio_buffer.commit'));
    // No server VAD in manual mode.
    expect(log.filter((e) => e.type === 'input_audio_buffer.speech_started')).toHaveLength(0);
    expect(b.pageErrors).toEqual([]);
    await screenshot(page, '5-push-to-talk');
  });
});
