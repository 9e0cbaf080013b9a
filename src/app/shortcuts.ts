// Keyboard shortcuts (listed in the help popover): Space held = push-to-talk, Ctrl/⌘+Enter = connect/disconnect,
// Esc = interrupt (or close the popover), M = mute, / = focus the message box, ? = help. None fire while typing.
import { useEffect } from 'react';
import type { ConsoleStore } from '../store';
import type { AppStore } from './app-store';
import type { BridgeCommands } from './bridge';

/** One documented shortcut. */
export interface ShortcutInfo {
  keys: string;
  /** i18n key of the description. */
  labelKey: 'shortcuts.ptt' | 'shortcuts.connect' | 'shortcuts.interrupt' | 'shortcuts.mute' | 'shortcuts.focusMessage' | 'shortcuts.help';
}

/** The shortcuts, in the order the help shows them. */
export const SHORTCUTS: readonly ShortcutInfo[] = [
  { keys: 'Space', labelKey: 'shortcuts.ptt' },
  { keys: 'Ctrl / ⌘ + Enter', labelKey: 'shortcuts.connect' },
  { keys: 'Esc', labelKey: 'shortcuts.interrupt' },
  { keys: 'M', labelKey: 'shortcuts.mute' },
  { keys: '/', labelKey: 'shortcuts.focusMessage' },
  { keys: '?', labelKey: 'shortcuts.help' },
];

/** True when keys typed at `target` are text (inputs, textareas, selects, contenteditable). */
export function isTextEntry(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== 'function') return false;
  const el = target as HTMLElement;
  if (el.isContentEditable) return true;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (el as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'file', 'color'].includes(type);
}

/** Installs the shortcuts on `target` (window); returns the remover. */
export function installShortcuts(target: Window, bridge: BridgeCommands, store: ConsoleStore, app: AppStore): () => void {
  let spaceHeld = false;
  const pttPossible = () => {
    const s = store.getState();
    return s.connection.state === 'open' && s.session.requested.turnDetection.mode === 'manual';
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      const st = store.getState().connection.state;
      void (st === 'open' || st === 'connecting' ? bridge.disconnect() : bridge.connect());
      return;
    }
    if (e.key === 'Escape') {
      if (app.getState().helpOpen) app.setState({ helpOpen: false });
      else if (!isTextEntry(e.target)) bridge.interrupt();
      return;
    }
    if (isTextEntry(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === ' ' || e.code === 'Space') {
      if (!pttPossible()) return;
      e.preventDefault(); // no page scroll, no click on a focused button
      if (!e.repeat && !spaceHeld) {
        spaceHeld = true;
        bridge.pttStart();
      }
      return;
    }
    if (e.repeat) return;
    if (e.key === 'm' || e.key === 'M') {
      bridge.setMuted(!store.getState().audio.muted);
    } else if (e.key === '?') {
      app.setState((a) => ({ helpOpen: !a.helpOpen }));
    } else if (e.key === '/') {
      const box = target.document.querySelector<HTMLTextAreaElement | HTMLInputElement>('.text-composer textarea, .text-composer input[type="text"]');
      if (box) {
        e.preventDefault();
        box.focus();
      }
    }
  };
  const onKeyUp = (e: KeyboardEvent) => {
    if ((e.key === ' ' || e.code === 'Space') && spaceHeld) {
      e.preventDefault();
      spaceHeld = false;
      void bridge.pttEnd();
    }
  };
  // Releasing Space in another window must not leave the microphone open.
  const onBlur = () => {
    if (spaceHeld) {
      spaceHeld = false;
      void bridge.pttEnd();
    }
  };
  target.addEventListener('keydown', onKeyDown);
  target.addEventListener('keyup', onKeyUp);
  target.addEventListener('blur', onBlur);
  return () => {
    target.removeEventListener('keydown', onKeyDown);
    target.removeEventListener('keyup', onKeyUp);
    target.removeEventListener('blur', onBlur);
  };
}

/** React hook form of {@link installShortcuts}. */
export function useShortcuts(bridge: BridgeCommands, store: ConsoleStore, app: AppStore): void {
  useEffect(() => {
    if (typeof window === 'undefined') return;
    return installShortcuts(window, bridge, store, app);
  }, [bridge, store, app]);
}
