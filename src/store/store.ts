// The console store: one zustand (v5) vanilla store, one slice per concern, with non-secret settings persisted
// to localStorage. React components use `useConsoleStore(selector)`; non-React code (the bridge) uses
// `consoleStore.getState()` / `.subscribe()`.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { createContext, createElement, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { persist, createJSONStorage, type StateStorage } from 'zustand/middleware';
import { languageFromQuery } from '../i18n/language';
import { createAudioSlice, type AudioSlice } from './slices/audio';
import { createConnectionSlice, type ConnectionSlice } from './slices/connection';
import { createConversationSlice, type ConversationSlice } from './slices/conversation';
import { createEventsSlice, initialEvents, type EventsSlice } from './slices/events';
import { createMetricsSlice, type MetricsSlice } from './slices/metrics';
import { createSessionSlice, type SessionSlice } from './slices/session';
import { createUiSlice, type UiSlice } from './slices/ui';
import type { SetState } from './slices/types';
import { defaultSessionSettings } from './settings';

/** The whole store: data under one key per slice, actions at the top level. */
export type ConsoleState = ConnectionSlice & SessionSlice & EventsSlice & ConversationSlice & AudioSlice & MetricsSlice & UiSlice;

/** localStorage key of the persisted settings. */
export const PERSIST_KEY = 'realtime-console:settings';
const PERSIST_VERSION = 1;

/**
 * What is persisted: profile fields (no key: the store never holds it), requested session settings and apply
 * mode, device/duplex choices, log capacity and filter, language and theme. Never events, conversation, audio.
 */
export interface PersistedSettings {
  connection: { profileId: string; url: string; model: string; userId: string };
  session: { requested: ConsoleState['session']['requested']; applyMode: ConsoleState['session']['applyMode'] };
  audio: { selectedDeviceId: string | null; duplex: 'full' | 'half' };
  events: { capacity: number };
  ui: { language: ConsoleState['ui']['language']; theme: ConsoleState['ui']['theme'] };
}

/** Picks the persisted part of the state. */
export function partializeSettings(s: ConsoleState): PersistedSettings {
  return {
    connection: { profileId: s.connection.profileId, url: s.connection.url, model: s.connection.model, userId: s.connection.userId },
    session: { requested: s.session.requested, applyMode: s.session.applyMode },
    audio: { selectedDeviceId: s.audio.selectedDeviceId, duplex: s.audio.duplex },
    events: { capacity: s.events.capacity },
    ui: { language: s.ui.language, theme: s.ui.theme },
  };
}

/** Merges persisted settings into a fresh state (defensive: unknown/missing fields keep their defaults). */
export function mergeSettings(persisted: unknown, current: ConsoleState): ConsoleState {
  if (!persisted || typeof persisted !== 'object') return current;
  const p = persisted as Partial<PersistedSettings>;
  const next: ConsoleState = { ...current };
  if (p.connection) next.connection = { ...current.connection, ...pickStrings(p.connection, ['profileId', 'url', 'model', 'userId']) };
  if (p.session) {
    const defaults = defaultSessionSettings();
    const r = (p.session.requested ?? {}) as Partial<typeof defaults>;
    next.session = {
      ...current.session,
      requested: {
        ...defaults,
        ...r,
        template: { ...defaults.template, ...(r.template ?? {}) },
        transcription: { ...defaults.transcription, ...(r.transcription ?? {}) },
        greeting: { ...defaults.greeting, ...(r.greeting ?? {}) },
        turnDetection: r.turnDetection ?? defaults.turnDetection,
      },
      applyMode: p.session.applyMode === 'button' ? 'button' : 'auto',
    };
  }
  if (p.audio) {
    next.audio = {
      ...current.audio,
      selectedDeviceId: typeof p.audio.selectedDeviceId === 'string' ? p.audio.selectedDeviceId : null,
      duplex: p.audio.duplex === 'half' ? 'half' : 'full',
    };
  }
  if (p.events && typeof p.events.capacity === 'number' && p.events.capacity > 0 && p.events.capacity !== current.events.capacity) {
    next.events = initialEvents(p.events.capacity);
  }
  if (p.ui) {
    // `?lang=` in the URL wins over the remembered language.
    const forced = typeof window !== 'undefined' && window.location ? languageFromQuery(window.location.search) : null;
    const lang = forced ?? (p.ui.language === 'zh' || p.ui.language === 'en' ? p.ui.language : current.ui.language);
    const theme = p.ui.theme === 'light' || p.ui.theme === 'dark' ? p.ui.theme : 'system';
    next.ui = { ...current.ui, language: lang, theme };
  }
  return next;
}

function pickStrings<K extends string>(o: Record<string, unknown>, keys: K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const k of keys) if (typeof o[k] === 'string') out[k] = o[k] as string;
  return out;
}

/** Options for {@link createConsoleStore}. */
export interface ConsoleStoreOptions {
  /** Where settings persist; default localStorage. `null` disables persistence (tests, benchmarks). */
  storage?: StateStorage | null;
}

/** The store API type. */
export type ConsoleStore = StoreApi<ConsoleState>;

/** Builds a store (the app uses the {@link consoleStore} singleton; tests may build their own). */
export function createConsoleStore(options: ConsoleStoreOptions = {}): ConsoleStore {
  const slices = (set: SetState, get: () => ConsoleState): ConsoleState => ({
    ...createConnectionSlice(set, get),
    ...createSessionSlice(set, get),
    ...createEventsSlice(set, get),
    ...createConversationSlice(set, get),
    ...createAudioSlice(set, get),
    ...createMetricsSlice(set, get),
    ...createUiSlice(set, get),
  });
  if (options.storage === null) return createStore<ConsoleState>()((set, get) => slices(set, get));
  const raw = options.storage ?? safeLocalStorage();
  if (!raw) return createStore<ConsoleState>()((set, get) => slices(set, get));
  const storage = dedupeWrites(raw);
  return createStore<ConsoleState>()(
    persist((set, get) => slices(set, get), {
      name: PERSIST_KEY,
      version: PERSIST_VERSION,
      storage: createJSONStorage<PersistedSettings>(() => storage),
      partialize: partializeSettings,
      merge: mergeSettings,
    }),
  );
}

/**
 * persist() writes on every state change (60 times a second while events stream in); the settings rarely change,
 * so identical writes are skipped here.
 */
function dedupeWrites(storage: StateStorage): StateStorage {
  const last = new Map<string, string>();
  return {
    getItem: (name) => {
      const value = storage.getItem(name);
      if (typeof value === 'string') last.set(name, value); // what hydration read needs no rewrite
      return value;
    },
    setItem: (name, value) => {
      if (last.get(name) === value) return;
      last.set(name, value);
      return storage.setItem(name, value);
    },
    removeItem: (name) => {
      last.delete(name);
      return storage.removeItem(name);
    },
  };
}

function safeLocalStorage(): StateStorage | null {
  try {
    if (typeof localStorage === 'undefined') return null;
    return localStorage;
  } catch {
    return null; // e.g. storage disabled by the browser's privacy settings
  }
}

/** The application's store. */
export const consoleStore: ConsoleStore = createConsoleStore();

const StoreContext = createContext<ConsoleStore>(consoleStore);

/** Provides another store to a subtree (tests, stories). Without it components use {@link consoleStore}. */
export function ConsoleStoreProvider(props: { store: ConsoleStore; children?: ReactNode }) {
  return createElement(StoreContext.Provider, { value: props.store }, props.children);
}

/** The store the calling component sees (for imperative reads in event handlers: `api.getState()`). */
export function useConsoleStoreApi(): ConsoleStore {
  return useContext(StoreContext);
}

/** React hook: `useConsoleStore((s) => s.connection.state)`. Use `useShallow` for object/array selections. */
export function useConsoleStore<T>(selector: (state: ConsoleState) => T): T {
  return useStore(useContext(StoreContext), selector);
}
