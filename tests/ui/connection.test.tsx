import { describe, expect, test, beforeEach } from 'vitest';
import { act, fireEvent, screen, within } from '@testing-library/react';
import { ConnectionBar, ErrorBanner, SetupCheck } from '../../src/ui/connection';
import { PERSIST_KEY, createConsoleStore, partializeSettings } from '../../src/store';
import { fakeBridge, renderWith } from './bridge-helpers';

beforeEach(() => {
  sessionStorage.clear();
  localStorage.clear();
});

describe('connection bar', () => {
  test('connect button and status follow the connection state', () => {
    const bridge = fakeBridge();
    const { store } = renderWith(<ConnectionBar />, { bridge });
    const button = screen.getByTestId('connect');
    const status = screen.getByTestId('connection-status');
    expect(status.dataset.state).toBe('idle');
    expect(button.textContent).toBe('Connect');
    fireEvent.click(button);
    expect(bridge.connect).toHaveBeenCalledTimes(1);
    act(() => store.getState().setConnectionState('connecting'));
    expect(status.dataset.state).toBe('connecting');
    expect(button.textContent).toBe('Disconnect');
    act(() => {
      store.getState().setConnectionState('open');
      store.getState().setDialect('beta');
    });
    expect(status.dataset.state).toBe('open');
    expect(status.textContent).toContain('Connected');
    // Settings are locked while connected.
    expect((screen.getByLabelText('Model') as HTMLInputElement).disabled).toBe(true);
    fireEvent.click(button);
    expect(bridge.disconnect).toHaveBeenCalledTimes(1);
  });

  test('the relay profile is offered only when the server reports it', () => {
    const { app } = renderWith(<ConnectionBar />);
    const select = screen.getByLabelText('Provider') as HTMLSelectElement;
    const labels = () => Array.from(select.options).map((o) => o.value);
    expect(labels()).toEqual(['local', 'xstar', 'openai']);
    act(() => app.setState({ serverInfo: { relay: { enabled: true, upstream: 'wss://api.xstar.city/v1/realtime' }, emulator: { tts: true, ttsReason: null } } }));
    expect(labels()).toEqual(['local', 'relay', 'xstar', 'openai']);
  });

  test('editing fields updates the store; a new user id is generated on demand', () => {
    const { store } = renderWith(<ConnectionBar />);
    fireEvent.change(screen.getByLabelText('Model'), { target: { value: 'qwen-max@DashScope' } });
    fireEvent.change(screen.getByLabelText('URL'), { target: { value: 'ws://example.test/v1/realtime' } });
    expect(store.getState().connection.model).toBe('qwen-max@DashScope');
    expect(store.getState().connection.url).toBe('ws://example.test/v1/realtime');
    fireEvent.click(screen.getByRole('button', { name: 'New user ID' }));
    expect(store.getState().connection.userId).toMatch(/^rc_[0-9a-f]{16}$/);
  });

  test('a direct profile keeps the key in sessionStorage (localStorage only when remembered), masked, never in the store', () => {
    const store = createConsoleStore({ storage: localStorage });
    store.getState().setProfileFields({ profileId: 'xstar' });
    const { app } = renderWith(<ConnectionBar />, { store });
    expect(screen.getByRole('note').textContent).toContain('anyone using this page');
    const key = 'sk-test-abcdefghijkl-9876';
    const input = screen.getByLabelText('API key') as HTMLInputElement;
    expect(input.type).toBe('password');
    fireEvent.change(input, { target: { value: key } });
    fireEvent.click(screen.getByRole('button', { name: 'Save key' }));
    expect(sessionStorage.getItem('realtime-console:key:xstar')).toBe(key);
    expect(localStorage.getItem('realtime-console:key:xstar')).toBeNull();
    expect(input.value).toBe('');
    expect(input.placeholder).toBe('Key stored (••••9876)');
    expect(app.getState().key.hint).toBe('••••9876');
    // Remember moves it to localStorage.
    fireEvent.click(screen.getByLabelText('Remember on this device'));
    expect(localStorage.getItem('realtime-console:key:xstar')).toBe(key);
    expect(sessionStorage.getItem('realtime-console:key:xstar')).toBeNull();
    // The persisted settings and the state never hold it.
    expect(JSON.stringify(partializeSettings(store.getState()))).not.toContain(key);
    expect(localStorage.getItem(PERSIST_KEY) ?? '').not.toContain(key);
    expect(document.body.textContent).not.toContain(key);
    fireEvent.click(screen.getByRole('button', { name: 'Forget key' }));
    expect(localStorage.getItem('realtime-console:key:xstar')).toBeNull();
  });
});

describe('error banner', () => {
  test('shows the cause, the proof and the remedy, in English and Chinese; dismiss clears it', () => {
    const { store } = renderWith(<ErrorBanner />);
    expect(screen.queryByTestId('error-banner')).toBeNull();
    act(() => store.getState().setConnectionError({ reason: 'unauthorized', message: 'pre-check answered HTTP 401', remedyKey: 'conn.remedy.unauthorized', status: 401 }));
    const banner = screen.getByTestId('error-banner');
    expect(banner.dataset.reason).toBe('unauthorized');
    expect(banner.getAttribute('role')).toBe('alert');
    expect(banner.textContent).toContain('unauthorized (401)');
    expect(banner.textContent).toContain('HTTP 401');
    expect(banner.textContent).toContain('Check the API key');
    act(() => store.getState().setLanguage('zh'));
    expect(banner.textContent).toContain('未授权（401）');
    expect(banner.textContent).toContain('请检查 API 密钥');
    fireEvent.click(within(banner).getByRole('button'));
    expect(store.getState().connection.error).toBeNull();
    expect(screen.queryByTestId('error-banner')).toBeNull();
  });

  test('a close with code shows the code; a microphone denial tells how to allow it', () => {
    const { store } = renderWith(<ErrorBanner />);
    act(() => store.getState().setConnectionError({ reason: 'closed', message: 'closed 4502 upstream unreachable', remedyKey: 'conn.remedy.closed', code: 4502, detail: 'upstream unreachable' }));
    expect(screen.getByTestId('error-banner').textContent).toContain('close code 4502');
    act(() => store.getState().setConnectionError({ reason: 'mic_denied', message: 'microphone permission was denied', remedyKey: 'conn.remedy.mic_denied' }));
    expect(screen.getByTestId('error-banner').textContent).toContain('Allow the microphone');
    expect(screen.getByTestId('error-banner').textContent).toContain('Text messages still work');
  });
});

describe('setup check', () => {
  test('lists each result with its status', () => {
    const { app } = renderWith(<SetupCheck />);
    expect(screen.queryByTestId('setup-check')).toBeNull();
    act(() =>
      app.setState({
        setup: {
          running: false,
          results: [
            { id: 'microphone', status: 'ok', message: 'Allowed: Fake, 48000 Hz' },
            { id: 'server', status: 'ok', message: 'Reachable' },
            { id: 'key', status: 'fail', message: 'HTTP 401' },
          ],
        },
      }),
    );
    const rows = screen.getByTestId('setup-check').querySelectorAll('li');
    expect(Array.from(rows, (r) => `${r.getAttribute('data-check')}:${r.getAttribute('data-status')}`)).toEqual(['microphone:ok', 'server:ok', 'key:fail']);
    expect(rows[0].textContent).toContain('48000 Hz');
  });
});
