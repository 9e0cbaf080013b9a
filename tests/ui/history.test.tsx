import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { ConsoleStoreProvider, createConsoleStore } from '../../src/store/store';
import { HistoryProvider, SessionPersistence } from '../../src/app/persistence';
import { HistoryButton, HistoryPanel } from '../../src/ui/history';
import { decodeSessionFile, encodeSessionFile, unpackAudio } from '../../src/lib/session-file';

let n = 0;
const running: SessionPersistence[] = [];

async function setup() {
  const store = createConsoleStore({ storage: null });
  store.getState().setLanguage('en');
  const history = new SessionPersistence({ store, dbName: `history-ui-${++n}`, limits: { flushIntervalMs: 10 } });
  running.push(history);
  await history.start();
  const st = () => store.getState();
  const talk = async (text: string) => {
    act(() => {
      st().setProfileFields({ profileId: 'local', model: 'emulator-realtime' });
      st().setConnectionState('connecting');
      st().setConnectionState('open');
      st().appendEvents([
        { direction: 'server', event: { type: 'session.created', session: {} } },
        { direction: 'server', event: { type: 'response.done', response: { status: 'completed' } } },
      ]);
      st().upsertItem({ id: `u-${text}`, role: 'user', type: 'message', status: 'completed', text });
      st().upsertItem({ id: `a-${text}`, role: 'assistant', type: 'message', status: 'completed', transcript: `echo ${text}` });
      st().appendItemAudio(`a-${text}`, new Int16Array(320).fill(3), 16000);
    });
    await act(() => history.flush());
    act(() => st().setConnectionState('closed'));
    await act(() => history.flush());
  };
  render(
    <ConsoleStoreProvider store={store}>
      <HistoryProvider history={history}>
        <HistoryPanel />
      </HistoryProvider>
    </ConsoleStoreProvider>,
  );
  return { store, history, talk, st };
}

/** Captures what downloadBlob saves (jsdom has no object URLs). */
function captureDownloads() {
  const blobs: Blob[] = [];
  const create = vi.fn((b: Blob) => {
    blobs.push(b);
    return `blob:test/${blobs.length}`;
  });
  const revoke = vi.fn();
  Object.assign(URL, { createObjectURL: create, revokeObjectURL: revoke });
  const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
  return { blobs, revoke, restore: () => click.mockRestore() };
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

describe('history panel', () => {
  it('lists stored sessions newest first with their status, counts and the storage used', async () => {
    const { talk } = await setup();
    await talk('first');
    await talk('second');
    await waitFor(() => expect(screen.getAllByTestId('history-row')).toHaveLength(2));
    const rows = screen.getAllByTestId('history-row');
    expect(rows[0].textContent).toContain('second');
    expect(rows[1].textContent).toContain('first');
    expect(rows[0].dataset.status).toBe('ended');
    expect(rows[0].textContent).toContain('2 events · 2 items');
    expect(screen.getByTestId('history-storage').textContent).toMatch(/History uses \d/);
  });

  it('opens a session read-only: its conversation and events, with audio players', async () => {
    const { talk } = await setup();
    const dl = captureDownloads();
    await talk('hello');
    fireEvent.click(await screen.findByRole('button', { name: 'Open: hello' }));
    const viewer = await screen.findByRole('region', { name: /Session \(read-only\)/ });
    const items = within(viewer).getAllByTestId('history-item');
    expect(items.map((i) => i.dataset.role)).toEqual(['user', 'assistant']);
    expect(items[1].textContent).toContain('echo hello');
    await waitFor(() => expect(items[1].querySelector('audio')?.getAttribute('src')).toMatch(/^blob:/));
    expect(within(viewer).getAllByTestId('history-event-row').map((r) => r.dataset.type)).toEqual(['session.created', 'response.done']);
    // Nothing in the viewer can send: no text box, no send button.
    expect(within(viewer).queryByRole('textbox')).toBeNull();
    fireEvent.click(within(viewer).getByRole('button', { name: 'Close session view' }));
    expect(screen.queryByRole('region', { name: /Session \(read-only\)/ })).toBeNull();
    expect(dl.revoke).toHaveBeenCalled(); // the audio object URL is released on close
    dl.restore();
  });

  it('exports a session as a session file that decodes back with its audio', async () => {
    const { talk } = await setup();
    const dl = captureDownloads();
    await talk('export me');
    fireEvent.click(await screen.findByRole('button', { name: 'Export: export me' }));
    await waitFor(() => expect(dl.blobs).toHaveLength(1));
    const rec = decodeSessionFile(await dl.blobs[0].text());
    expect(rec.events.map((e) => e.event.type)).toEqual(['session.created', 'response.done']);
    expect(unpackAudio(rec.items[1].audio!)).toEqual(new Int16Array(320).fill(3));
    dl.restore();
  });

  it('deletes a session', async () => {
    const { talk } = await setup();
    await talk('a');
    await talk('b');
    fireEvent.click(await screen.findByRole('button', { name: 'Delete: a' }));
    await waitFor(() => expect(screen.getAllByTestId('history-row')).toHaveLength(1));
    expect(screen.getByTestId('history-row').textContent).toContain('b');
  });

  it('imports a session file read-only, and reports a bad file with a clear message', async () => {
    const { st } = await setup();
    const text = encodeSessionFile({
      header: { format: 'realtime-console-session', version: 1, created: '2026-01-01T00:00:00.000Z', profile: 'xstar', url: '', model: 'qwen', dialect: 'beta', settings: {}, title: 'imported one' },
      events: [{ t: 5, direction: 'server', event: { type: 'session.created' } }],
      items: [{ id: 'x', role: 'assistant', type: 'message', status: 'completed', text: 'from file', transcript: '', createdAt: 0 }],
    });
    const input = screen.getByTestId('history-import') as HTMLInputElement;
    fireEvent.change(input, { target: { files: [new File([text], 'one.rcsession.jsonl')] } });
    const viewer = await screen.findByRole('region', { name: 'Session (read-only): imported one' });
    expect(within(viewer).getByTestId('history-item').textContent).toContain('from file');
    fireEvent.change(input, { target: { files: [new File([text.replace('"version":1', '"version":7')], 'new.rcsession.jsonl')] } });
    await waitFor(() => expect(st().ui.toasts.at(-1)?.kind).toBe('error'));
    expect(st().ui.toasts.at(-1)?.message).toContain('format version 7');
  });

  it('the header button opens the panel in a dialog; Escape closes it', async () => {
    const store = createConsoleStore({ storage: null });
    store.getState().setLanguage('en');
    render(
      <ConsoleStoreProvider store={store}>
        <HistoryButton />
      </ConsoleStoreProvider>,
    );
    fireEvent.click(screen.getByTestId('history-open'));
    expect(screen.getByRole('dialog', { name: 'Session history' })).toBeTruthy();
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
