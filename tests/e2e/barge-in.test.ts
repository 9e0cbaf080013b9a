// Journey 4: barge-in (full duplex, emulator `reply=long` typed into the URL field). A text turn starts a reply of
// at least 10 s; once it is audibly playing, the user picks en-barge-in.wav as the microphone ("WAV file as
// microphone") and talks over it. The console cancels and sends `conversation.item.truncate` whose `audio_end_ms`
// is what the player rendered of that item (within 50 ms), and no audio of the interrupted item plays afterwards.
// Why the text turn first: interrupting only once audio is playing keeps the journey independent of how fast
// the emulator synthesises on a loaded machine (a voice-first reply may not have started by the second utterance).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  connect,
  conversation,
  emulatorUrl,
  eventLog,
  fixturePath,
  launchJourney,
  openConsole,
  renderedSamples,
  screenshot,
  setUrl,
  waitForConversation,
  type JourneyBrowser,
} from '../helpers/e2e-browser';

describe('journey 4: barge-in', () => {
  let b: JourneyBrowser;
  beforeAll(async () => {
    b = await launchJourney('silence');
  });
  afterAll(async () => b?.close());

  it('speech cuts the playing reply at the heard offset; nothing of it plays afterwards', async () => {
    const { page } = b;
    const base = inject('e2eBase');
    await openConsole(page, base, 'en');
    await setUrl(page, emulatorUrl(base, 'reply=long'));
    await page.getByRole('checkbox', { name: 'Greeting on connect' }).uncheck();
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await connect(page);
    // The client keeps the query parameter the user typed (and adds its own).
    expect(sockets).toHaveLength(1);
    expect(new URL(sockets[0]).searchParams.get('reply')).toBe('long');

    await page.getByRole('textbox', { name: 'Message' }).fill('Tell me about the weather in Shanghai.');
    await page.getByRole('button', { name: 'Send message' }).click();
    const withReply = await waitForConversation(page, 'an assistant reply with audio', (l) => l.some((i) => i.role === 'assistant' && i.audioSamples > 0), 60_000);
    const reply = withReply.find((i) => i.role === 'assistant')!;
    // Wait until the user has heard a second of it.
    await page.waitForFunction((id) => (window.__realtimeConsole!.getPlayerStats()?.samplesRendered[id] ?? 0) > 0, reply.id, { timeout: 30_000 });
    const rate = reply.audioRate;
    await page.waitForFunction(({ id, n }) => (window.__realtimeConsole!.getPlayerStats()?.samplesRendered[id] ?? 0) >= n, { id: reply.id, n: rate }, { timeout: 30_000 });

    // The user talks over it.
    await page.getByLabel('WAV file as microphone').setInputFiles(fixturePath('en-barge-in.wav', ''));
    await waitForConversation(page, 'the interrupted reply and a user audio item', (l) => l.some((i) => i.contentKind === 'input_audio') && l.find((i) => i.id === reply.id)?.status !== 'in_progress', 60_000);
    // Let anything still buffered for the cut item have its chance to (wrongly) play.
    await page.waitForTimeout(1_500);

    const log = await eventLog(page);
    const story = log.filter((e) => !e.type.endsWith('.delta') && e.type !== 'input_audio_buffer.append').map((e) => `${e.direction[0]} ${e.type}`);
    const truncates = log.filter((e) => e.direction === 'client' && e.type === 'conversation.item.truncate');
    const cut = truncates.find((e) => e.event.item_id === reply.id);
    expect(cut, story.join('\n')).toBeDefined();
    const speech = log.find((e) => e.direction === 'server' && e.type === 'input_audio_buffer.speech_started')!;
    expect(cut!.seq).toBeGreaterThan(speech.seq);

    const endMs = Number(cut!.event.audio_end_ms);
    const rendered = await renderedSamples(page);
    const renderedMs = ((rendered[reply.id] ?? 0) * 1000) / rate;
    expect(endMs).toBeGreaterThanOrEqual(1_000);
    const dbg = await page.evaluate(() => { const s = window.__realtimeConsole!.getState(); return JSON.stringify({ granted: s.audio.granted, eff: s.session.effective && { o: (s.session.effective as Record<string, unknown>).output_audio_format }, req: s.session.requested.outputFormat, stats: window.__realtimeConsole!.getPlayerStats() }); });
    expect(Math.abs(renderedMs - endMs), dbg).toBeLessThanOrEqual(50);
    const after = (await conversation(page)).find((i) => i.id === reply.id)!;
    // More was received than was heard (the emulator streams ahead of playback), and that rest never played.
    expect((after.audioSamples * 1000) / rate, dbg).toBeGreaterThan(endMs + 50);
    expect(after.status).not.toBe('in_progress');
    expect(after.truncatedAtMs).toBe(endMs);
    // Every cut in the session (a later reply may be interrupted by the second utterance) is at the heard offset.
    for (const t of truncates) {
      const id = String(t.event.item_id);
      const item = (await conversation(page)).find((i) => i.id === id)!;
      expect(Math.abs(((rendered[id] ?? 0) * 1000) / item.audioRate - Number(t.event.audio_end_ms)), id).toBeLessThanOrEqual(50);
    }

    // On screen: the cut mark on the interrupted reply.
    const view = page.locator(`[data-testid="conversation-item"][data-item-id="${reply.id}"]`);
    await view.locator('[data-testid="truncated-at"]').waitFor({ timeout: 10_000 });
    expect(await view.locator('[data-testid="truncated-at"]').innerText()).toContain(String(Math.round(endMs)));
    expect(b.pageErrors).toEqual([]);
    await screenshot(page, '4-barge-in');
  });
});
