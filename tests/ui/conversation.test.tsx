import { describe, expect, test, vi } from 'vitest';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { ConversationPanel } from '../../src/ui/conversation';
import { ConsoleStoreProvider, createConsoleStore } from '../../src/store/store';
import { registerCommands, type ConsoleCommands } from '../../src/store/commands';
import { decodeWav } from '../../src/lib/dsp/wav';

function setup(lang: 'en' | 'zh' = 'en') {
  const store = createConsoleStore({ storage: null });
  store.getState().setLanguage(lang);
  render(
    <ConsoleStoreProvider store={store}>
      <ConversationPanel />
    </ConsoleStoreProvider>,
  );
  const st = () => store.getState();
  const run = (fn: () => void) => act(fn);
  return { store, st, run };
}

function fakeCommands() {
  const calls: [string, ...unknown[]][] = [];
  const cmds: ConsoleCommands = {
    sendRawEvent: (e) => calls.push(['sendRawEvent', e]),
    sendText: (text, kind) => calls.push(['sendText', text, kind]),
    deleteItem: (id) => calls.push(['deleteItem', id]),
    interrupt: () => calls.push(['interrupt']),
  };
  return { calls, unregister: registerCommands(cmds) };
}

const items = () => screen.queryAllByTestId('conversation-item');

describe('ConversationPanel', () => {
  test('items in order with role and status; streaming text and transcripts update in place', () => {
    const { st, run } = setup();
    run(() => {
      st().upsertItem({ id: 'u1', role: 'user', type: 'message', status: 'completed', text: 'Hello there', contentKind: 'input_text' });
      st().upsertItem({ id: 'a1', role: 'assistant', type: 'message', status: 'in_progress' });
    });
    expect(items().map((x) => [x.dataset.role, x.dataset.status])).toEqual([
      ['user', 'completed'],
      ['assistant', 'in_progress'],
    ]);
    const a1 = items()[1];
    run(() => st().appendTranscript('a1', 'Hi'));
    expect(within(a1).getByText('Hi')).toBeTruthy();
    run(() => st().appendTranscript('a1', ', how can I help?'));
    expect(items()[1]).toBe(a1);
    expect(within(a1).getByText('Hi, how can I help?')).toBeTruthy();
    expect(within(a1).getByText(/transcribing/)).toBeTruthy();
    run(() => {
      st().setTranscript('a1', 'Hi, how can I help?', 'final');
      st().setItemStatus('a1', 'completed');
    });
    expect(a1.dataset.status).toBe('completed');
    expect(within(a1).queryByText(/transcribing/)).toBeNull();
  });

  test('user audio awaits its transcript; streaming ASR partials replace the text in place; failures show', () => {
    const { st, run } = setup();
    run(() => st().upsertItem({ id: 'u', role: 'user', type: 'message', status: 'completed', contentKind: 'input_audio' }));
    const u = items()[0];
    expect(within(u).getByText('(awaiting transcript)')).toBeTruthy();
    run(() => st().setTranscript('u', '今天', 'partial'));
    run(() => st().setTranscript('u', '今天天气', 'partial'));
    expect(u.querySelector('.item-transcript-text')!.textContent).toBe('今天天气');
    expect(u.querySelectorAll('.item-transcript')).toHaveLength(1);
    run(() => st().setTranscript('u', '今天天气怎么样', 'final'));
    expect(u.querySelector('.item-transcript-text')!.textContent).toBe('今天天气怎么样');
    run(() => st().failTranscript('u', 'asr timeout'));
    expect(within(u).getByText(/Transcription failed: asr timeout/)).toBeTruthy();
  });

  test('tool calls show name, streaming arguments, output and duration', () => {
    const { st, run } = setup();
    run(() => st().upsertItem({ id: 'f', role: 'assistant', type: 'function_call', status: 'in_progress', tool: { name: 'math_game', callId: 'c1' }, createdAt: 10_000 }));
    const f = items()[0];
    run(() => st().appendToolArguments('f', '{"numbers":[3,8'));
    expect(f.querySelector('.item-tool-args')!.textContent).toBe('{"numbers":[3,8');
    expect(within(f).getByText('waiting for output')).toBeTruthy();
    run(() => {
      st().appendToolArguments('f', ',3,8]}');
      st().setToolOutput('c1', '{"answer":"8/(3-8/3)"}', 10_420);
    });
    expect(within(f).getByText('Function call math_game')).toBeTruthy();
    expect(f.querySelector('.item-tool-args')!.textContent).toBe('{"numbers":[3,8,3,8]}');
    expect(f.querySelector('.item-tool-output')!.textContent).toBe('{"answer":"8/(3-8/3)"}');
    expect(within(f).getByText(/took 420 ms/)).toBeTruthy();
  });

  test('truncated items are marked where they were cut', () => {
    const { st, run } = setup();
    run(() => {
      st().upsertItem({ id: 'a', role: 'assistant', type: 'message', status: 'in_progress' });
      st().appendItemAudio('a', new Int16Array(8000), 8000);
      st().markItemTruncated('a', 640);
    });
    const a = items()[0];
    expect(within(a).getByTestId('truncated-at').textContent).toBe('Cut at 640 ms');
    const mark = within(a).getByTestId('truncation-mark');
    expect(mark.style.left).toBe('64%');
  });

  test('delete goes through the commands while connected, and removes locally while offline', () => {
    const { calls, unregister } = fakeCommands();
    try {
      const { st, run } = setup();
      run(() => {
        st().upsertItem({ id: 'x1', role: 'user', type: 'message', text: 'one' });
        st().upsertItem({ id: 'x2', role: 'user', type: 'message', text: 'two' });
        st().setConnectionState('connecting');
        st().setConnectionState('open');
      });
      fireEvent.click(screen.getByRole('button', { name: 'Delete item x1' }));
      expect(calls).toEqual([['deleteItem', 'x1']]);
      expect(items()).toHaveLength(2);
      run(() => st().removeItem('x1')); // what the bridge does on conversation.item.deleted
      expect(items()).toHaveLength(1);
      run(() => st().setConnectionState('closed'));
      fireEvent.click(screen.getByRole('button', { name: 'Delete item x2' }));
      expect(calls).toHaveLength(1);
      expect(items()).toHaveLength(0);
    } finally {
      unregister();
    }
  });

  test('per-item audio: WAV download at the item rate; no waveform instance in jsdom', async () => {
    const { st, run } = setup();
    const pcm = new Int16Array(1600).map((_, i) => (i % 50) * 100);
    run(() => {
      st().upsertItem({ id: 'u', role: 'user', type: 'message', status: 'completed', contentKind: 'input_audio' });
      st().appendItemAudio('u', pcm, 16000);
    });
    const u = items()[0];
    expect(within(u).getByRole('group', { name: 'User audio, 0.10 s at 16000 Hz' })).toBeTruthy();
    expect(within(u).queryByRole('button', { name: 'Play audio' })).toBeNull();
    let blob: Blob | null = null;
    const create = vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      blob = b as Blob;
      return 'blob:wav';
    });
    const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    try {
      fireEvent.click(within(u).getByRole('button', { name: 'Download WAV' }));
      expect(click).toHaveBeenCalledOnce();
      const wav = decodeWav(new Uint8Array(await blob!.arrayBuffer()));
      expect(wav.sampleRate).toBe(16000);
      expect([...wav.samples]).toEqual([...pcm]);
    } finally {
      create.mockRestore();
      revoke.mockRestore();
      click.mockRestore();
    }
  });

  test('the text box interrupts playing audio, then sends input_text or tts_text', () => {
    const { calls, unregister } = fakeCommands();
    try {
      const { st, run } = setup();
      const box = screen.getByRole('textbox', { name: 'Message' });
      const send = screen.getByRole('button', { name: 'Send message' }) as HTMLButtonElement;
      fireEvent.change(box, { target: { value: 'hello' } });
      expect(send.disabled).toBe(true); // not connected
      run(() => {
        st().setConnectionState('connecting');
        st().setConnectionState('open');
      });
      expect(send.disabled).toBe(false);
      fireEvent.click(send);
      expect(calls).toEqual([['interrupt'], ['sendText', 'hello', 'input_text']]);
      expect((box as HTMLTextAreaElement).value).toBe('');
      fireEvent.change(screen.getByRole('combobox', { name: 'Send as' }), { target: { value: 'tts_text' } });
      fireEvent.change(box, { target: { value: '电量低' } });
      fireEvent.keyDown(box, { key: 'Enter' });
      expect(calls.slice(2)).toEqual([['interrupt'], ['sendText', '电量低', 'tts_text']]);
    } finally {
      unregister();
    }
  });

  test('keeps the conversation across disconnects, with a divider per connection (zh)', () => {
    const { st, run } = setup('zh');
    run(() => {
      st().setConnectionState('connecting');
      st().setConnectionState('open');
      st().upsertItem({ id: 'a', role: 'user', type: 'message', text: '第一次' });
      st().setConnectionState('closed');
      st().setConnectionState('connecting');
      st().setConnectionState('open');
      st().upsertItem({ id: 'b', role: 'assistant', type: 'message', status: 'completed', text: '第二次' });
    });
    expect(items().map((x) => x.dataset.itemId)).toEqual(['a', 'b']);
    expect(screen.getAllByTestId('connection-divider').map((d) => d.textContent)).toEqual(['第 1 次连接', '第 2 次连接']);
    expect(screen.getByRole('heading', { name: '对话' })).toBeTruthy();
  });
});
