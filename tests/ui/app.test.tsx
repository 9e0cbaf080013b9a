import { describe, expect, test } from 'vitest';
import { act, fireEvent, screen } from '@testing-library/react';
import { App } from '../../src/ui/App';
import { fakeBridge, renderWith } from './bridge-helpers';

describe('app shell', () => {
  test('mounts every panel, marks the document ready and loads the server info', () => {
    const bridge = fakeBridge();
    delete document.documentElement.dataset.ready;
    renderWith(<App />, { bridge });
    expect(document.documentElement.dataset.ready).toBe('true');
    expect(bridge.loadServerInfo).toHaveBeenCalled();
    for (const name of ['Session settings', 'Tools', 'Conversation', 'Event log', 'Metrics']) {
      expect(screen.getAllByRole('heading', { name }).length).toBeGreaterThan(0);
    }
    expect(screen.getByTestId('connect')).toBeTruthy();
    expect(screen.getByTestId('connection-status').dataset.state).toBe('idle');
    expect(document.documentElement.lang).toBe('en');
  });

  test('switches language (every visible string from the dictionary) and sets <html lang>', () => {
    const { store } = renderWith(<App />);
    fireEvent.click(screen.getByRole('radio', { name: '中文' }));
    expect(store.getState().ui.language).toBe('zh');
    expect(document.documentElement.lang).toBe('zh-CN');
    expect(screen.getByTestId('connect').textContent).toBe('连接');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('实时语音控制台');
    expect(document.title).toBe('实时语音控制台');
  });

  test('tabs select the panel shown on narrow screens, with arrow-key navigation', () => {
    const { store } = renderWith(<App />);
    const tabs = screen.getAllByRole('tab');
    expect(tabs.map((t) => t.textContent)).toEqual(['Conversation', 'Session', 'Tools', 'Events', 'Metrics']);
    expect(document.getElementById('area-conversation')!.className).toContain('is-active');
    fireEvent.click(screen.getByRole('tab', { name: 'Events' }));
    expect(store.getState().ui.activeTab).toBe('events');
    expect(document.getElementById('area-events')!.className).toContain('is-active');
    expect(document.getElementById('area-conversation')!.className).not.toContain('is-active');
    fireEvent.keyDown(screen.getByRole('tab', { name: 'Events' }), { key: 'ArrowRight' });
    expect(store.getState().ui.activeTab).toBe('metrics');
    expect(screen.getByRole('tab', { name: 'Metrics' }).getAttribute('aria-selected')).toBe('true');
  });

  test('the help popover lists the shortcuts; theme choice reaches <html data-theme>', () => {
    const { app } = renderWith(<App />);
    fireEvent.click(screen.getByRole('button', { name: 'Keyboard shortcuts' }));
    expect(app.getState().helpOpen).toBe(true);
    const dialog = screen.getByRole('dialog');
    expect(dialog.textContent).toContain('Hold to talk (manual turns)');
    expect(dialog.textContent).toContain('Space');
    fireEvent.change(screen.getByLabelText('Theme'), { target: { value: 'dark' } });
    expect(document.documentElement.dataset.theme).toBe('dark');
    fireEvent.change(screen.getByLabelText('Theme'), { target: { value: 'system' } });
    expect(document.documentElement.dataset.theme).toBeUndefined();
  });

  test('server errors appear as toasts that can be dismissed', () => {
    const { store } = renderWith(<App />);
    act(() => {
      store.getState().pushToast('error', 'invalid_value: bad format');
    });
    expect(screen.getByText('invalid_value: bad format')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss notice' }));
    expect(screen.queryByText('invalid_value: bad format')).toBeNull();
  });
});
