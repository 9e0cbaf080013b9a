// @vitest-environment jsdom
// Server text is rendered as text, never as HTML: a conversation item, a tool call, the error banner and an
// expanded log row whose strings are HTML/script payloads produce no element from them. And the connection bar
// of a direct profile never shows the stored key (only its masked hint).
import { afterEach, describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { ConversationItemView } from '../../src/ui/conversation/ConversationItemView';
import { ConnectionBar, ErrorBanner } from '../../src/ui/connection';
import { EventRow } from '../../src/ui/event-log/EventRow';
import { maskKey, saveKey } from '../../src/app/key-storage';
import { createAppStore } from '../../src/app/app-store';
import { createConsoleStore } from '../../src/store';
import type { ConversationItem } from '../../src/store/slices/conversation';
import { renderWith } from '../ui/bridge-helpers';

const HTML = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b>bold</b>';
const KEY = ['sk', 'test', 'KEYSAFETY', 'render', Math.random().toString(36).slice(2, 10)].join('-');

afterEach(() => {
  cleanup();
  sessionStorage.clear();
  localStorage.clear();
});

function expectInert(container: HTMLElement): void {
  expect(container.querySelector('img, script, b')).toBeNull();
  expect((window as { __pwned?: unknown }).__pwned).toBeUndefined();
  expect(container.textContent).toContain('<img src=x onerror=');
}

describe('server text is rendered as text', () => {
  it('conversation item: text, transcript, tool name, arguments and output', () => {
    const item: ConversationItem = {
      id: 'item_x',
      role: 'assistant',
      type: 'function_call',
      status: 'completed',
      text: HTML,
      transcript: HTML,
      transcriptStatus: 'final',
      tool: { name: HTML, callId: 'call_1', arguments: HTML, output: HTML, startedAt: 0, endedAt: 5 },
      createdAt: 0,
      connectionId: 1,
    };
    const { container } = renderWith(createElement(ConversationItemView, { item, onDelete: () => undefined }));
    expectInert(container);
    const message = { ...item, id: 'item_y', type: 'message' as const, tool: undefined };
    const second = renderWith(createElement(ConversationItemView, { item: message, onDelete: () => undefined }));
    expectInert(second.container);
  });

  it('error banner with a server-supplied message and detail', () => {
    const store = createConsoleStore({ storage: null });
    store.getState().setConnectionError({ reason: 'closed', message: HTML, remedyKey: 'conn.remedy.closed', code: 4502, detail: HTML });
    const { container } = renderWith(createElement(ErrorBanner), { store });
    expect(screen.getByTestId('error-banner')).toBeTruthy();
    expectInert(container);
  });

  it('an expanded event-log row of a server event full of markup', () => {
    const store = createConsoleStore({ storage: null });
    store.getState().appendEvent({ direction: 'server', event: { type: 'error', error: { message: HTML, code: HTML } }, at: 1 });
    const row = store.getState().events.view.row(0)!;
    const { container } = renderWith(createElement(EventRow, { row, expanded: true, onToggle: () => undefined }), { store });
    fireEvent.click(container.querySelector('button')!);
    expectInert(container);
  });
});

describe('the connection bar never shows the key', () => {
  it('direct profile with a stored key: only a masked hint in the page', () => {
    saveKey('xstar', KEY, false);
    const store = createConsoleStore({ storage: null });
    store.getState().setProfileFields({ profileId: 'xstar' });
    const app = createAppStore({ persist: false });
    app.setState({ key: { hint: maskKey(KEY), remember: false } }); // what the bridge's refreshKeyHint publishes
    const { container } = renderWith(createElement(ConnectionBar), { store, app });
    const html = container.innerHTML;
    expect(html).toContain(maskKey(KEY));
    expect(html.includes(KEY)).toBe(false);
    for (const input of container.querySelectorAll('input')) expect(input.value.includes(KEY)).toBe(false);
    expect(JSON.stringify(store.getState().connection).includes(KEY)).toBe(false);
  });
});
