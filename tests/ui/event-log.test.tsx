import { describe, expect, test, vi } from 'vitest';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { EventLogPanel } from '../../src/ui/event-log';
import { ConsoleStoreProvider, createConsoleStore, type ConsoleStore } from '../../src/store/store';
import { registerCommands, type ConsoleCommands } from '../../src/store/commands';
import type { IncomingEvent } from '../../src/store/event-log';

const RECT = { width: 800, height: 600 };

function setup(lang: 'en' | 'zh' = 'en') {
  const store = createConsoleStore({ storage: null });
  store.getState().setLanguage(lang);
  const utils = render(
    <ConsoleStoreProvider store={store}>
      <EventLogPanel viewportRect={RECT} />
    </ConsoleStoreProvider>,
  );
  return { store, ...utils };
}

const ev = (direction: IncomingEvent['direction'], type: string, extra: Record<string, unknown> = {}): IncomingEvent => ({
  direction,
  event: { type, ...extra },
  at: 1_000,
});

function feed(store: ConsoleStore, batch: IncomingEvent[]) {
  act(() => store.getState().appendEvents(batch));
}

const rows = () => screen.queryAllByTestId('event-row');

describe('EventLogPanel', () => {
  test('renders rows with type and direction, and a coalesced run row with its exact count', () => {
    const { store } = setup();
    feed(store, [
      ev('client', 'session.update'),
      ev('server', 'response.audio.delta', { delta: 'AAAA' }),
      ev('server', 'response.audio.delta', { delta: 'AAAA' }),
      ev('server', 'response.audio.delta', { delta: 'AAAA' }),
      ev('server', 'response.done'),
    ]);
    const r = rows();
    expect(r.map((x) => [x.dataset.type, x.dataset.direction, x.dataset.count])).toEqual([
      ['session.update', 'client', '1'],
      ['response.audio.delta', 'server', '3'],
      ['response.done', 'server', '1'],
    ]);
    expect(within(r[1]).getByText('×3')).toBeTruthy();
    expect(screen.getByTestId('event-count').textContent).toBe('5 shown · 5 kept');
  });

  test('virtualises: 100,000 events render only a window of rows', () => {
    const { store } = setup();
    const batch = Array.from({ length: 100_000 }, (_, i) => ev(i % 2 ? 'client' : 'server', `type.${i % 2}`));
    feed(store, batch);
    const n = rows().length;
    expect(n).toBeGreaterThan(5);
    expect(n).toBeLessThan(100);
    expect(store.getState().events.size).toBe(100_000);
  });

  test('shows the dropped count of a bounded log', () => {
    const { store } = setup();
    act(() => store.getState().setEventCapacity(3));
    feed(store, [ev('server', 'a'), ev('server', 'b')]);
    feed(store, [ev('server', 'c'), ev('server', 'd'), ev('server', 'e')]);
    expect(screen.getByTestId('event-dropped').textContent).toContain('2 dropped');
    expect(rows().map((x) => x.dataset.type)).toEqual(['c', 'd', 'e']);
  });

  test('filters by direction, by the type checklist (with counts) and by free text', () => {
    const { store } = setup();
    feed(store, [
      ev('client', 'session.update', { session: { voice: '龙婉' } }),
      ev('server', 'session.created', { session: { voice: 'x' } }),
      ev('server', 'session.created', { session: { voice: 'y' } }),
    ]);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Server' }));
    expect(rows().map((x) => x.dataset.type)).toEqual(['session.update']);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Server' }));
    expect(rows()).toHaveLength(3);

    const created = screen.getByRole('checkbox', { name: /session\.created/ });
    expect(created.closest('label')!.querySelector('[data-testid="type-count"]')!.textContent).toBe('2');
    fireEvent.click(created);
    expect(rows().map((x) => x.dataset.type)).toEqual(['session.update']);
    fireEvent.click(created);

    fireEvent.change(screen.getByRole('searchbox', { name: 'Search the JSON' }), { target: { value: '"y"' } });
    expect(rows()).toHaveLength(1);
    expect(rows()[0].dataset.type).toBe('session.created');
  });

  test('expands a row to a JSON tree with stripped audio, and highlights errors', () => {
    const { store } = setup();
    feed(store, [ev('client', 'input_audio_buffer.append', { audio: 'AAAAAAAA' }), ev('server', 'error', { error: { message: 'boom' } })]);
    const [append, error] = rows();
    expect(error.className).toContain('is-error');
    expect(append.className).not.toContain('is-error');
    const btn = within(append).getByRole('button', { expanded: false });
    fireEvent.click(btn);
    expect(within(append).getByText('"[audio 6 B]"')).toBeTruthy();
    expect(within(append).getByRole('button', { name: 'Copy event JSON' })).toBeTruthy();
  });

  test('the composer sends the edited event through the commands interface, and rejects bad JSON', () => {
    const sent: unknown[] = [];
    const fake: ConsoleCommands = { sendRawEvent: (e) => sent.push(e), sendText: vi.fn(), deleteItem: vi.fn(), interrupt: vi.fn() };
    const unregister = registerCommands(fake);
    try {
      setup();
      fireEvent.click(screen.getByText('Send a client event'));
      fireEvent.change(screen.getByRole('combobox', { name: 'Template' }), { target: { value: 'conversation.item.truncate' } });
      const json = screen.getByRole('textbox', { name: 'Event JSON' }) as HTMLTextAreaElement;
      expect(JSON.parse(json.value)).toMatchObject({ type: 'conversation.item.truncate', content_index: 0, audio_end_ms: 0 });
      fireEvent.click(screen.getByRole('button', { name: 'Send event' }));
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({ type: 'conversation.item.truncate' });

      fireEvent.change(json, { target: { value: '{"type": ' } });
      fireEvent.click(screen.getByRole('button', { name: 'Send event' }));
      expect(screen.getByRole('alert').textContent).toMatch(/Invalid JSON/);
      fireEvent.change(json, { target: { value: '{"no_type": 1}' } });
      fireEvent.click(screen.getByRole('button', { name: 'Send event' }));
      expect(screen.getByRole('alert').textContent).toMatch(/"type"/);
      expect(sent).toHaveLength(1);

      // The session.update template carries the console's current settings.
      fireEvent.change(screen.getByRole('combobox', { name: 'Template' }), { target: { value: 'session.update' } });
      expect(JSON.parse(json.value).session).toMatchObject({ voice: '龙婉', input_audio_format: 'Raw16KHz16BitMonoPcm' });
    } finally {
      unregister();
    }
  });

  test('exports the filtered events as NDJSON', async () => {
    const { store } = setup();
    feed(store, [ev('client', 'session.update'), ev('server', 'session.created')]);
    let blob: Blob | null = null;
    const create = vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      blob = b as Blob;
      return 'blob:test';
    });
    const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    try {
      fireEvent.click(screen.getByRole('checkbox', { name: 'Client' }));
      fireEvent.click(screen.getByRole('button', { name: 'Export NDJSON' }));
      expect(click).toHaveBeenCalledOnce();
      const text = await blob!.text();
      const lines = text.trim().split('\n').map((l) => JSON.parse(l));
      expect(lines.map((l) => l.type)).toEqual(['session.created']);
      await new Promise((r) => setTimeout(r, 0));
      expect(revoke).toHaveBeenCalledWith('blob:test');
    } finally {
      create.mockRestore();
      revoke.mockRestore();
      click.mockRestore();
    }
  });

  test('auto-scroll follows the bottom, stops when the user scrolls up, and resumes with "Jump to latest"', () => {
    const { store } = setup();
    feed(store, Array.from({ length: 200 }, (_, i) => ev('server', `t${i}`)));
    const list = screen.getByRole('list', { name: 'Events' });
    expect(list.dataset.following).toBe('true');
    // Simulate the user scrolling away from the bottom (jsdom has no layout: provide the geometry).
    Object.defineProperty(list, 'scrollHeight', { configurable: true, value: 200 * 28 });
    Object.defineProperty(list, 'clientHeight', { configurable: true, value: 600 });
    list.scrollTop = 100;
    fireEvent.scroll(list);
    expect(list.dataset.following).toBe('false');
    feed(store, [ev('server', 'more')]);
    expect(list.dataset.following).toBe('false');
    fireEvent.click(screen.getByRole('button', { name: 'Jump to latest' }));
    expect(list.dataset.following).toBe('true');
    list.scrollTop = 200 * 28 - 600;
    fireEvent.scroll(list);
    expect(list.dataset.following).toBe('true');
  });

  test('speaks Chinese with ?lang=zh semantics (ui.language = zh)', () => {
    setup('zh');
    expect(screen.getByRole('heading', { name: '事件日志' })).toBeTruthy();
    expect(screen.getByRole('button', { name: '导出 NDJSON' })).toBeTruthy();
  });
});
