// Journey 2: one voice turn with server VAD. The fake microphone says 你好，今天天气怎么样？ (zh-hello.wav, speech
// 1.01–5.62 s): the server reports speech started and stopped, the console shows a user audio item with its
// waveform, and the assistant's reply (the emulator says how long the user spoke, then plays it back) arrives
// with audio and a transcript, and plays to the end.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  connect,
  eventLog,
  launchJourney,
  openConsole,
  renderedSamples,
  screenshot,
  waitForConversation,
  waitForPlayed,
  waveformDrawn,
  type JourneyBrowser,
} from '../helpers/e2e-browser';

describe('journey 2: voice turn with server VAD', () => {
  let b: JourneyBrowser;
  beforeAll(async () => {
    b = await launchJourney('zh-hello.wav');
  });
  afterAll(async () => b?.close());

  it('speech started/stopped, a user audio item with a waveform, an assistant reply with audio and transcript', async () => {
    const { page } = b;
    await openConsole(page, inject('e2eBase'), 'zh');
    await connect(page);
    // The reply to the voice turn: the first completed assistant item after the user's audio item.
    const items = await waitForConversation(
      page,
      'a completed assistant reply after the user audio item',
      (list) => {
        const u = list.findIndex((i) => i.contentKind === 'input_audio');
        return u >= 0 && list.slice(u + 1).some((i) => i.role === 'assistant' && i.status === 'completed' && i.audioSamples > 0 && i.transcript !== '');
      },
      90_000,
    );
    const userAudio = items.filter((i) => i.role === 'user' && i.contentKind === 'input_audio');
    expect(userAudio).toHaveLength(1);
    const user = userAudio[0];
    const reply = items.slice(items.indexOf(user) + 1).find((i) => i.role === 'assistant' && i.status === 'completed')!;

    // The user's item holds what the VAD committed: the 4.6 s of speech plus padding, at the input rate.
    const userSeconds = user.audioSamples / user.audioRate;
    expect(userSeconds).toBeGreaterThan(4.6);
    expect(userSeconds).toBeLessThan(6.5);
    // The emulator reports the committed duration; it matches the item's audio.
    const spoken = /你说了([\d.]+)秒/.exec(reply.transcript);
    expect(spoken, reply.transcript).not.toBeNull();
    expect(Math.abs(Number(spoken![1]) - userSeconds)).toBeLessThanOrEqual(0.15);
    // The reply's audio is the sentence plus the user's audio played back: longer than the user's.
    expect(reply.audioSamples / reply.audioRate).toBeGreaterThan(userSeconds);

    // The event log: the VAD's events in order, around the user's item.
    const log = (await eventLog(page)).filter((e) => e.direction === 'server');
    const first = (t: string) => log.findIndex((e) => e.type === t);
    expect(log.filter((e) => e.type === 'input_audio_buffer.speech_started')).toHaveLength(1);
    expect(log.filter((e) => e.type === 'input_audio_buffer.speech_stopped')).toHaveLength(1);
    expect(first('input_audio_buffer.speech_stopped')).toBeGreaterThan(first('input_audio_buffer.speech_started'));
    const committed = log.find((e) => e.type === 'input_audio_buffer.committed')!;
    expect(committed.event.item_id).toBe(user.id);
    expect(first('input_audio_buffer.committed')).toBeGreaterThan(first('input_audio_buffer.speech_stopped'));
    const started = log.find((e) => e.type === 'input_audio_buffer.speech_started')!;
    const stopped = log.find((e) => e.type === 'input_audio_buffer.speech_stopped')!;
    // audio_start_ms / audio_end_ms are on the buffer's timeline: speech at 1.01–5.62 s of the fixture.
    const speechMs = Number(stopped.event.audio_end_ms) - Number(started.event.audio_start_ms);
    expect(speechMs).toBeGreaterThan(4_000);
    expect(speechMs).toBeLessThan(6_500);

    // What the user sees: the user item with its waveform, the reply's transcript.
    await page.waitForFunction((id) => !!document.querySelector(`[data-testid="conversation-item"][data-item-id="${id}"][data-role="user"]`), user.id);
    await expect.poll(() => waveformDrawn(page, user.id), { timeout: 15_000 }).toBe(true);
    const replyView = page.locator(`[data-testid="conversation-item"][data-item-id="${reply.id}"]`);
    expect(await replyView.getAttribute('data-status')).toBe('completed');
    expect(await replyView.innerText()).toContain(spoken![0]);

    // And the reply plays to its last sample.
    await waitForPlayed(page, reply.id, 60_000);
    expect((await renderedSamples(page))[reply.id]).toBeGreaterThanOrEqual(reply.audioSamples);
    expect(b.pageErrors).toEqual([]);
    await screenshot(page, '2-voice-turn');
  });
});
