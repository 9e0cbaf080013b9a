// React access to the bridge and the app store. Components call `useBridge()` for commands and
// `useAppState(selector)` for the app store; tests provide fakes through the providers.
import { createContext, createElement, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { NOOP_COMMANDS } from '../store';
import { appStore, type AppState, type AppStore, type SetupResult } from './app-store';
import type { BridgeCommands } from './bridge';

/** Commands that do nothing (before the bridge starts, and in isolated component tests). */
export const NOOP_BRIDGE: BridgeCommands = {
  ...NOOP_COMMANDS,
  connect: async () => false,
  disconnect: async () => undefined,
  cancelReconnect: () => undefined,
  applySession: () => undefined,
  pttStart: () => undefined,
  pttEnd: async () => undefined,
  setMuted: () => undefined,
  setDuplex: () => undefined,
  selectDevice: async () => undefined,
  useWavFile: async () => undefined,
  answerToolCall: () => undefined,
  previewVoice: () => false,
  runSetupCheck: async (): Promise<SetupResult[]> => [],
  loadServerInfo: async () => undefined,
  loadModels: async () => undefined,
  loadVoices: async () => undefined,
};

const BridgeContext = createContext<BridgeCommands>(NOOP_BRIDGE);
const AppStoreContext = createContext<AppStore>(appStore);

/** Provides the bridge (and optionally another app store) to a subtree. */
export function BridgeProvider(props: { bridge: BridgeCommands; appStore?: AppStore; children?: ReactNode }) {
  const inner = createElement(BridgeContext.Provider, { value: props.bridge }, props.children);
  return props.appStore ? createElement(AppStoreContext.Provider, { value: props.appStore }, inner) : inner;
}

/** The bridge's commands. */
export function useBridge(): BridgeCommands {
  return useContext(BridgeContext);
}

/** The app store API (imperative reads/writes in handlers). */
export function useAppStoreApi(): AppStore {
  return useContext(AppStoreContext);
}

/** Selects from the app store. */
export function useAppState<T>(selector: (s: AppState) => T): T {
  return useStore(useContext(AppStoreContext), selector);
}
