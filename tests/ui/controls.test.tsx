import { afterEach, describe, expect, test } from 'vitest';
import { act, fireEvent, screen } from '@testing-library/react';
import { Controls } from '../../src/ui/controls';
import { installShortcuts, isTextEntry } from '../../src/app/shortcuts';
import { createConsoleStore } from '../../src/store';
import { createAppStore } from '../../src/app/app-store';
import { fakeBridge, renderWith } from './bridge-helpers';

const manualOpen = () => {
  const store = createConsoleStore({ storage: null });
  store.getState().updateRequested({ turnDetection: { mode: 'manual' } });
  store.getState().setConnectionState('open');
  return store;
};

let uninstall: (() => void) | null = null;
afterEach(() => {
  uninstall?.();
  uninstall = null;
});

describe('controls', () => {
  test('push-to-talk by pointer (touch included): press starts, release / cancel ends', () => {
    const bridge = fakeBridge();
    const store = manualOpen();
    renderWith(<Controls />, { bridge, store });
    const ptt = screen.getByTestId('ptt') as HTMLButtonElement;
    expect(ptt.disabled).toBe(false);
    fireEvent.pointerDown(ptt, { pointerId: 3, pointerType: 'touch', button: 0 });
    expect(bridge.pttStart).toHaveBeenCalledTimes(1);
    // A second down without an up (multi-touch) does not start twice.
    fireEvent.pointerDown(ptt, { pointerId: 4, pointerType: 'touch', button: 0 });
    expect(bridge.pttStart).toHaveBeenCalledTimes(1);
    fireEvent.pointerUp(ptt, { pointerId: 3, pointerType: 'touch' });
    expect(bridge.pttEnd).toHaveBeenCalledTimes(1);
    fireEvent.pointerDown(ptt, { pointerId: 5, pointerType: 'mouse', button: 0 });
    fireEvent.pointerCancel(ptt, { pointerId: 5 });
    expect(bridge.pttStart).toHaveBeenCalledTimes(2);
    expect(bridge.pttEnd).toHaveBeenCalledTimes(2);
    // Right button does nothing.
    fireEvent.pointerDown(ptt, { pointerId: 6, pointerType: 'mouse', button: 2 });
    expect(bridge.pttStart).toHaveBeenCalledTimes(2);
  });

  test('the PTT button reflects the held state and is disabled when not connected or in VAD mode', () => {
    const store = manualOpen();
    renderWith(<Controls />, { store });
    const ptt = screen.getByTestId('ptt') as HTMLButtonElement;
    act(() => store.getState().setPttActive(true));
    expect(ptt.getAttribute('aria-pressed')).toBe('true');
    expect(ptt.textContent).toContain('Release to send');
    act(() => store.getState().setConnectionState('closed'));
    expect(ptt.disabled).toBe(true);
    act(() => {
      store.getState().setConnectionState('open');
      store.getState().updateRequested({ turnDetection: { mode: 'server_vad', threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: 500, createResponse: true, interruptResponse: true } });
    });
    expect(screen.queryByTestId('ptt')).toBeNull();
    expect(screen.getByRole('status').textContent).toBe('Mic paused');
  });

  test('mute, interrupt, duplex, device and WAV file go to the bridge', () => {
    const bridge = fakeBridge();
    const store = manualOpen();
    act(() => store.getState().setDevices([{ deviceId: 'd1', label: 'USB mic' }]));
    renderWith(<Controls />, { bridge, store });
    fireEvent.click(screen.getByRole('button', { name: 'Mute' }));
    expect(bridge.setMuted).toHaveBeenCalledWith(true);
    fireEvent.click(screen.getByRole('button', { name: 'Interrupt' }));
    expect(bridge.interrupt).toHaveBeenCalledTimes(1);
    fireEvent.change(screen.getByLabelText('Duplex'), { target: { value: 'half' } });
    expect(bridge.setDuplex).toHaveBeenCalledWith('half');
    fireEvent.change(screen.getByLabelText('Microphone'), { target: { value: 'd1' } });
    expect(bridge.selectDevice).toHaveBeenCalledWith('d1');
    const file = new File([new Uint8Array(44)], 'turn.wav', { type: 'audio/wav' });
    fireEvent.change(screen.getByLabelText('WAV file as microphone'), { target: { files: [file] } });
    expect(bridge.useWavFile).toHaveBeenCalledWith(file);
    act(() => store.getState().setMicSource({ kind: 'file', fileName: 'turn.wav' }));
    expect(screen.getByText('Source: turn.wav')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Back to the microphone' }));
    expect(bridge.useWavFile).toHaveBeenLastCalledWith(null);
    // Level meters are labelled meters.
    expect(screen.getByRole('meter', { name: 'Microphone level' })).toBeTruthy();
    expect(screen.getByRole('meter', { name: 'Speaker level' })).toBeTruthy();
  });
});

describe('keyboard shortcuts', () => {
  test('Space held = push-to-talk (manual, connected, not typing); repeats are ignored', () => {
    const bridge = fakeBridge();
    const store = manualOpen();
    uninstall = installShortcuts(window, bridge, store, createAppStore({ persist: false }));
    fireEvent.keyDown(document.body, { key: ' ', code: 'Space' });
    fireEvent.keyDown(document.body, { key: ' ', code: 'Space', repeat: true });
    expect(bridge.pttStart).toHaveBeenCalledTimes(1);
    fireEvent.keyUp(document.body, { key: ' ', code: 'Space' });
    expect(bridge.pttEnd).toHaveBeenCalledTimes(1);
    // Typing a space in a text field is text.
    const box = document.createElement('textarea');
    document.body.appendChild(box);
    fireEvent.keyDown(box, { key: ' ', code: 'Space' });
    expect(bridge.pttStart).toHaveBeenCalledTimes(1);
    box.remove();
    // Not in manual mode: Space does nothing.
    act(() => store.getState().updateRequested({ turnDetection: { mode: 'server_vad', threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: 500, createResponse: true, interruptResponse: true } }));
    fireEvent.keyDown(document.body, { key: ' ', code: 'Space' });
    expect(bridge.pttStart).toHaveBeenCalledTimes(1);
  });

  test('Ctrl+Enter connects, Esc interrupts, M mutes, ? toggles the help', () => {
    const bridge = fakeBridge();
    const store = createConsoleStore({ storage: null });
    const app = createAppStore({ persist: false });
    uninstall = installShortcuts(window, bridge, store, app);
    fireEvent.keyDown(document.body, { key: 'Enter', ctrlKey: true });
    expect(bridge.connect).toHaveBeenCalledTimes(1);
    store.getState().setConnectionState('open');
    fireEvent.keyDown(document.body, { key: 'Enter', metaKey: true });
    expect(bridge.disconnect).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(bridge.interrupt).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(document.body, { key: 'm' });
    expect(bridge.setMuted).toHaveBeenCalledWith(true);
    fireEvent.keyDown(document.body, { key: '?' });
    expect(app.getState().helpOpen).toBe(true);
    // Esc closes the help first instead of interrupting.
    fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(app.getState().helpOpen).toBe(false);
    expect(bridge.interrupt).toHaveBeenCalledTimes(1);
  });

  test('isTextEntry tells text fields from buttons and checkboxes', () => {
    const make = (html: string) => {
      const d = document.createElement('div');
      d.innerHTML = html;
      return d.firstElementChild!;
    };
    expect(isTextEntry(make('<input type="text">'))).toBe(true);
    expect(isTextEntry(make('<input>'))).toBe(true);
    expect(isTextEntry(make('<textarea></textarea>'))).toBe(true);
    expect(isTextEntry(make('<select></select>'))).toBe(true);
    expect(isTextEntry(make('<input type="checkbox">'))).toBe(false);
    expect(isTextEntry(make('<button></button>'))).toBe(false);
    expect(isTextEntry(null)).toBe(false);
  });
});
