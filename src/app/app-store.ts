// State owned by the app layer that is not part of the console store's contract: what the server offers, the
// fetched model and voice lists, the setup check, the API key's presence (never the key), and the tools panel's
// answers and pending calls. A small zustand store of its own; the tools settings persist in localStorage.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { persist, createJSONStorage } from 'zustand/middleware';

/** `GET /api/server-info` as the UI reads it. */
export interface ServerInfoView {
  relay: { enabled: boolean; upstream: string };
  emulator: { tts: boolean; ttsReason: string | null; auth?: boolean };
}

/** One line of the setup check. */
export interface SetupResult {
  id: 'microphone' | 'server' | 'key';
  status: 'pending' | 'ok' | 'warn' | 'fail';
  /** Already translated. */
  message: string;
}

/** A function call waiting for a hand-typed answer. */
export interface PendingToolCall {
  callId: string;
  name: string;
  arguments: string;
  itemId: string;
  at: number;
}

/** A fetched list and where it came from. */
export interface FetchedList {
  items: string[];
  state: 'idle' | 'loading' | 'ok' | 'error';
  error?: string;
}

export interface AppState {
  serverInfo: ServerInfoView | null;
  models: FetchedList;
  voices: FetchedList;
  setup: { running: boolean; results: SetupResult[] };
  /** Masked hint of the stored key ('' = none) and whether it is remembered. */
  key: { hint: string; remember: boolean };
  tools: {
    /** Answer calls at once with the tool's fixed result; otherwise queue them for a typed answer. */
    autoRespond: boolean;
    /** Fixed JSON result per tool name. */
    results: Record<string, string>;
  };
  pendingCalls: PendingToolCall[];
  /** The keyboard shortcuts popover is open. */
  helpOpen: boolean;
}

const TOOLS_KEY = 'realtime-console:tools';

function initial(): AppState {
  return {
    serverInfo: null,
    models: { items: [], state: 'idle' },
    voices: { items: [], state: 'idle' },
    setup: { running: false, results: [] },
    key: { hint: '', remember: false },
    tools: { autoRespond: true, results: {} },
    pendingCalls: [],
    helpOpen: false,
  };
}

function safeStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** The app store type. */
export type AppStore = StoreApi<AppState>;

/** Builds an app store (`persist: false` in tests). */
export function createAppStore(options: { persist?: boolean } = {}): AppStore {
  const storage = options.persist === false ? null : safeStorage();
  if (!storage) return createStore<AppState>()(() => initial());
  return createStore<AppState>()(
    persist(() => initial(), {
      name: TOOLS_KEY,
      version: 1,
      storage: createJSONStorage(() => storage),
      partialize: (s) => ({ tools: s.tools }),
      merge: (persisted, current) => {
        const p = persisted as Partial<AppState> | undefined;
        const t = p?.tools;
        if (!t || typeof t !== 'object') return current;
        return {
          ...current,
          tools: {
            autoRespond: typeof t.autoRespond === 'boolean' ? t.autoRespond : true,
            results: t.results && typeof t.results === 'object' ? { ...t.results } : {},
          },
        };
      },
    }),
  );
}

/** The application's app store. */
export const appStore: AppStore = createAppStore();

/** React hook on the app store. */
export function useAppStore<T>(selector: (s: AppState) => T, store: AppStore = appStore): T {
  return useStore(store, selector);
}
