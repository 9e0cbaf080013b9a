import { detectLanguage, type Language } from '../../i18n/language';
import type { GetState, SetState } from './types';

/** A transient notice. */
export interface Toast {
  id: number;
  kind: 'info' | 'success' | 'error';
  /** Already translated text. */
  message: string;
}

/** UI state. `language` and `theme` are persisted (`?lang=` still wins at start). */
export interface UiData {
  language: Language;
  /** Tab shown in the narrow (single column) layout. */
  activeTab: string;
  /** Open/closed state of collapsible panels by id. */
  panels: Record<string, boolean>;
  theme: 'system' | 'light' | 'dark';
  toasts: Toast[];
}

export interface UiSlice {
  ui: UiData;
  setLanguage(language: Language): void;
  setActiveTab(tab: string): void;
  setPanelOpen(panel: string, open: boolean): void;
  setTheme(theme: UiData['theme']): void;
  /** Shows a toast; returns its id. */
  pushToast(kind: Toast['kind'], message: string): number;
  dismissToast(id: number): void;
}

export function initialUi(): UiData {
  return { language: detectLanguage(), activeTab: 'conversation', panels: {}, theme: 'system', toasts: [] };
}

export function createUiSlice(set: SetState, _get: GetState): UiSlice {
  let nextToast = 1;
  return {
    ui: initialUi(),
    setLanguage: (language) => set((s) => ({ ui: { ...s.ui, language } })),
    setActiveTab: (activeTab) => set((s) => ({ ui: { ...s.ui, activeTab } })),
    setPanelOpen: (panel, open) => set((s) => ({ ui: { ...s.ui, panels: { ...s.ui.panels, [panel]: open } } })),
    setTheme: (theme) => set((s) => ({ ui: { ...s.ui, theme } })),
    pushToast: (kind, message) => {
      const id = nextToast++;
      set((s) => ({ ui: { ...s.ui, toasts: [...s.ui.toasts, { id, kind, message }].slice(-5) } }));
      return id;
    },
    dismissToast: (id) => set((s) => ({ ui: { ...s.ui, toasts: s.ui.toasts.filter((t) => t.id !== id) } })),
  };
}
