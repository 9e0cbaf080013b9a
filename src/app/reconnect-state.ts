// Auto-reconnect: the user's choice (persisted in localStorage) and the progress of the current reconnect cycle
// (attempt n of N, when the next one starts). The session bridge writes the progress; the connection bar reads it.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { useStore } from 'zustand';

/** Reconnect setting and progress. */
export interface ReconnectState {
  /** Reconnect by itself after a drop (user setting, default on). */
  enabled: boolean;
  /** A reconnect cycle is running. */
  active: boolean;
  /** The current attempt (1-based; 0 before the first). */
  attempt: number;
  maxAttempts: number;
  /** Epoch ms the next attempt starts (null while one is running or when idle). */
  nextAt: number | null;
  /** Why the last connection ended (close code and reason), '' when none. */
  lastClose: string;
}

/** The reconnect store type. */
export type ReconnectStore = StoreApi<ReconnectState>;

const STORAGE_KEY = 'realtime-console:auto-reconnect';

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** Builds a reconnect store; `persist: false` keeps the setting in memory only (tests, Node). */
export function createReconnectStore(options: { persist?: boolean; enabled?: boolean } = {}): ReconnectStore {
  const ls = options.persist === false ? null : storage();
  let enabled = options.enabled ?? true;
  const saved = ls?.getItem(STORAGE_KEY);
  if (options.enabled === undefined && (saved === 'true' || saved === 'false')) enabled = saved === 'true';
  const store = createStore<ReconnectState>()(() => ({ enabled, active: false, attempt: 0, maxAttempts: 0, nextAt: null, lastClose: '' }));
  if (ls) {
    store.subscribe((next, prev) => {
      if (next.enabled === prev.enabled) return;
      try {
        ls.setItem(STORAGE_KEY, String(next.enabled));
      } catch {
        // storage full or blocked: the setting lasts for this page only
      }
    });
  }
  return store;
}

/** The application's reconnect store. */
export const reconnectStore: ReconnectStore = createReconnectStore();

/** React hook on a reconnect store (default: the application's). */
export function useReconnectState<T>(selector: (s: ReconnectState) => T, store: ReconnectStore = reconnectStore): T {
  return useStore(store, selector);
}
