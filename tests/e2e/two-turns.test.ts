// Journey 3: two voice turns in one session (zh-two-turns.wav: speech at 1.01–5.62 s and 8.57–15.25 s). Exactly
// two user audio items appear — the greeting is a text item — each committed by the server VAD, and the second
// turn gets a completed reply.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect, eventLog, launchJourney, openConsole, screenshot, waitForConversation, waveformDrawn, type JourneyBrowser } from '../helpers/e2e-browser';

describe('journey 3: two turns', () => {
  let b: JourneyBrowser;
  beforeAll(async () => {
    b = await launchJourney('zh-two-turns.wav');
  });
  afterAll(async () => b?.close());

  it('shows exactly two user audio items and one text item (the greeting)', async () => {
    const { page } = b;
    await openConsole(page, inject('e2eBase'), 'zh');
    await connect(page);
    const items = await waitForConversation(
      page,
      'a completed reply after the second user audio item',
      (list) => {
        const audio = list.map((i, n) => (i.contentKind === 'input_audio' ? n : -1)).filter((n) => n >= 0);
        return audio.length >= 2 && list.slice(audio[1] + 1).some((i) => i.role === 'assistant' && i.status === 'completed' && i.audioSamples > 0);
      },
      120_000,
    );
    // By now the fixture (17.6 s) has ended: nothing more will be heard.
    const users = items.filter((i) => i.role === 'user');
    expect(users.filter((i) => i.contentKind === 'input_audio')).toHaveLength(2);
    expect(users.filter((i) => i.contentKind === 'input_text').map((i) => i.text)).toEqual([expect.stringContaining('用户上线了')]);
    expect(users).toHaveLength(3);
    const [first, second] = users.filter((i) => i.contentKind === 'input_audio');
    // Each holds its own utterance: 4.6 s and 6.7 s of speech (plus padding).
    expect(first.audioSamples / first.audioRate).toBeGreaterThan(4.6);
    expect(first.audioSamples / first.audioRate).toBeLessThan(6.5);
    expect(second.audioSamples / second.audioRate).toBeGreaterThan(6.6);
    expect(second.audioSamples / second.audioRate).toBeLessThan(8.5);

    const server = (await eventLog(page)).filter((e) => e.direction === 'server');
    expect(server.filter((e) => e.type === 'input_audio_buffer.speech_started')).toHaveLength(2);
    expect(server.filter((e) => e.type === 'input_audio_buffer.speech_stopped')).toHaveLength(2);
    expect(server.filter((e) => e.type === 'input_audio_buffer.committed').map((e) => e.event.item_id)).toEqual([first.id, second.id]);

    // On screen: three user items, both audio items with a waveform.
    await expect.poll(() => page.locator('[data-testid="conversation-item"][data-role="user"]').count()).toBe(3);
    await expect.poll(() => waveformDrawn(page, first.id), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => waveformDrawn(page, second.id), { timeout: 15_000 }).toBe(true);
    expect(b.pageErrors).toEqual([]);
    await screenshot(page, '3-two-turns');
  });
});
