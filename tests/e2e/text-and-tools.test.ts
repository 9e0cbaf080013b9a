// Journey 6: typed turns and tools. A text turn gets a reply; a `tts_text` message is spoken exactly as written;
// a call of a client tool (the get_weather example) waits in the tools panel until the user answers it there;
// the emulator's built-in `math_game` shows as a function call followed by its result.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { connect, conversation, eventLog, launchJourney, openConsole, screenshot, waitForConversation, type ItemSummary, type JourneyBrowser } from '../helpers/e2e-browser';

/** Types `text` in the message box (as `kind`) and sends it. */
async function send(page: Page, text: string, kind: 'input_text' | 'tts_text' = 'input_text'): Promise<void> {
  const panel = page.getByRole('region', { name: 'Conversation', exact: true });
  await panel.getByRole('combobox', { name: 'Send as' }).selectOption(kind);
  await panel.getByRole('textbox', { name: 'Message' }).fill(text);
  await panel.getByRole('button', { name: 'Send message' }).click();
}

/** Waits for a completed assistant message after item index `after`, and returns it. */
async function replyAfter(page: Page, after: number): Promise<ItemSummary> {
  const items = await waitForConversation(page, `a completed assistant reply after item ${after}`, (l) => l.slice(after + 1).some((i) => i.role === 'assistant' && i.type === 'message' && i.status === 'completed' && i.transcript !== ''), 60_000);
  return items.slice(after + 1).find((i) => i.role === 'assistant' && i.type === 'message' && i.status === 'completed')!;
}

describe('journey 6: text, tts_text and tools', () => {
  let b: JourneyBrowser;
  beforeAll(async () => {
    b = await launchJourney('silence');
  });
  afterAll(async () => b?.close());

  it('text turn, tts_text, a tool answered from the tools panel, math_game with its result', async () => {
    const { page } = b;
    await openConsole(page, inject('e2eBase'), 'en');
    await page.getByRole('checkbox', { name: 'Greeting on connect' }).uncheck();
    // A client tool whose calls the user answers by hand.
    await page.getByRole('button', { name: 'Add example (get_weather)' }).click();
    await page.getByRole('checkbox', { name: 'Answer calls automatically with the fixed result' }).uncheck();
    await connect(page);
    const update = (await eventLog(page)).filter((e) => e.direction === 'client' && e.type === 'session.update').at(-1)!;
    expect(JSON.stringify(update.event)).toContain('"name":"get_weather"');

    // 1. A text turn.
    await send(page, 'Hello, what can you do?');
    const text = await replyAfter(page, 0);
    expect((await conversation(page))[0]).toMatchObject({ role: 'user', contentKind: 'input_text', text: 'Hello, what can you do?' });
    expect(text.transcript).toMatch(/[a-z]/i);
    expect(text.audioSamples).toBeGreaterThan(0);
    await expect.poll(() => page.locator(`[data-testid="conversation-item"][data-item-id="${text.id}"]`).innerText()).toContain(text.transcript.slice(0, 20));

    // 2. tts_text: spoken exactly as written.
    let n = (await conversation(page)).length;
    const verbatim = 'This sentence is spoken exactly as written.';
    await send(page, verbatim, 'tts_text');
    const spoken = await replyAfter(page, n - 1);
    expect((await conversation(page))[n]).toMatchObject({ role: 'user', contentKind: 'tts_text', text: verbatim });
    expect(spoken.transcript.trim()).toBe(verbatim);
    expect(spoken.audioSamples).toBeGreaterThan(0);

    // 3. The model calls get_weather; the call waits in the tools panel; the user answers it there.
    n = (await conversation(page)).length;
    await send(page, '/tool get_weather {"city":"Shanghai"}');
    const answer = page.getByRole('textbox', { name: 'Output for get_weather' });
    await answer.waitFor({ timeout: 30_000 });
    const call = (await conversation(page)).find((i) => i.type === 'function_call' && i.tool?.name === 'get_weather')!;
    expect(JSON.parse(call.tool!.arguments)).toEqual({ city: 'Shanghai' });
    expect(call.tool!.output).toBeUndefined();
    await answer.fill('{"temp_c":21,"sky":"clear"}');
    await page.getByRole('button', { name: 'Send answer' }).click();
    const afterTool = await replyAfter(page, (await conversation(page)).findIndex((i) => i.id === call.id));
    expect(afterTool.transcript).toContain('get_weather');
    expect(afterTool.transcript).toContain('21');
    const items = await conversation(page);
    const output = items.find((i) => i.type === 'function_call_output')!;
    expect(output.tool?.callId).toBe(call.tool!.callId);
    expect(output.tool?.output).toBe('{"temp_c":21,"sky":"clear"}');
    const sentOutput = (await eventLog(page)).find((e) => e.direction === 'client' && e.type === 'conversation.item.create' && JSON.stringify(e.event).includes('function_call_output'));
    expect(JSON.stringify(sentOutput!.event)).toContain(call.tool!.callId);
    expect(await page.getByText('No calls waiting.').count()).toBe(1);

    // 4. The built-in math_game plugin: a function call, then its result.
    n = (await conversation(page)).length;
    await send(page, '/tool math_game {"numbers":[4,7,8,8],"target":24}');
    const game = await waitForConversation(page, 'the math_game call and its result', (l) => {
      const c = l.findIndex((i) => i.type === 'function_call' && i.tool?.name === 'math_game');
      return c >= 0 && l.slice(c + 1).some((i) => i.role === 'assistant' && i.type === 'message' && i.status === 'completed' && i.transcript !== '');
    }, 60_000);
    const gameCall = game.find((i) => i.type === 'function_call' && i.tool?.name === 'math_game')!;
    expect(JSON.parse(gameCall.tool!.arguments)).toEqual({ numbers: [4, 7, 8, 8], target: 24 });
    const result = game.slice(game.indexOf(gameCall) + 1).find((i) => i.role === 'assistant' && i.type === 'message')!;
    expect(result.transcript).toContain('24');
    const callView = page.locator(`[data-testid="conversation-item"][data-item-id="${gameCall.id}"]`);
    await expect.poll(() => callView.innerText()).toContain('math_game');
    expect(await page.locator(`[data-testid="conversation-item"][data-item-id="${result.id}"]`).innerText()).toContain('24');
    expect(b.pageErrors).toEqual([]);
    await screenshot(page, '6-text-and-tools');
  });
});
