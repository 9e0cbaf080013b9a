// The reconnect bits of the UI: the status pill during a cycle (attempt n of N, stays "reconnecting" while an
// attempt is connecting), the auto-reconnect toggle (persisted), "stop reconnecting", and the stale-item badge.
import { afterEach, describe, expect, test } from 'vitest';
import { act, fireEvent, screen } from '@testing-library/react';
import { ConnectionBar } from '../../src/ui/connection';
import { ConversationItemView } from '../../src/ui/conversation/ConversationItemView';
import { reconnectStore, createReconnectStore } from '../../src/app/reconnect-state';
import type { ConversationItem } from '../../src/store/slices/conversation';
import { fakeBridge, renderWith } from './bridge-helpers';

afterEach(() => {
  reconnectStore.setState({ enabled: true, active: false, attempt: 0, maxAttempts: 0, nextAt: null, lastClose: '' });
  localStorage.clear();
});

describe('reconnect UI', () => {
  test('the pill says reconnecting with the attempt count, also while an attempt connects; cancel calls the bridge', () => {
    const bridge = fakeBridge();
    const { store } = renderWith(<ConnectionBar />, { bridge });
    const pill = screen.getByTestId('connection-status');
    act(() => store.getState().setConnectionState('open'));
    expect(screen.queryByTestId('reconnect-cancel')).toBeNull();
    act(() => {
      store.getState().setConnectionState('reconnecting');
      reconnectStore.setState({ active: true, attempt: 2, maxAttempts: 8, nextAt: Date.now() + 1000 });
    });
    expect(pill.dataset.state).toBe('reconnecting');
    expect(screen.getByTestId('reconnect-attempt').textContent).toContain('attempt 2 of 8');
    act(() => store.getState().setConnectionState('connecting'));
    expect(pill.dataset.state).toBe('reconnecting');
    expect(screen.getByTestId('connect').textContent).toBe('Disconnect');
    fireEvent.click(screen.getByTestId('reconnect-cancel'));
    expect(bridge.cancelReconnect).toHaveBeenCalledTimes(1);
    act(() => {
      reconnectStore.setState({ active: false });
      store.getState().setConnectionState('open');
    });
    expect(pill.dataset.state).toBe('open');
    expect(screen.queryByTestId('reconnect-cancel')).toBeNull();
  });

  test('Chinese text for the attempt count', () => {
    const { store } = renderWith(<ConnectionBar />, { language: 'zh' });
    act(() => {
      store.getState().setConnectionState('reconnecting');
      reconnectStore.setState({ active: true, attempt: 1, maxAttempts: 3 });
    });
    expect(screen.getByTestId('connection-status').textContent).toContain('第 1/3 次尝试');
  });

  test('the toggle switches auto-reconnect and the choice survives a reload', () => {
    renderWith(<ConnectionBar />);
    const box = screen.getByTestId('auto-reconnect') as HTMLInputElement;
    expect(box.checked).toBe(true);
    fireEvent.click(box);
    expect(reconnectStore.getState().enabled).toBe(false);
    expect(box.checked).toBe(false);
    expect(createReconnectStore().getState().enabled).toBe(false); // read back from localStorage
    fireEvent.click(box);
    expect(createReconnectStore().getState().enabled).toBe(true);
  });

  test('an item of an earlier connection shows "not on server"; a live one does not', () => {
    const base: ConversationItem = { id: 'item_1', role: 'assistant', type: 'message', status: 'completed', text: 'hi', transcript: '', transcriptStatus: 'none', createdAt: 0, connectionId: 1 };
    const { rerender } = renderWith(<ConversationItemView item={base} onDelete={() => undefined} />);
    expect(screen.queryByTestId('stale-badge')).toBeNull();
    rerender(<ConversationItemView item={{ ...base, stale: true }} onDelete={() => undefined} />);
    expect(screen.getByTestId('stale-badge').textContent).toBe('not on server');
  });
});
