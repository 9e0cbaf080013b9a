// Shared helpers of part B's UI tests: a recording fake bridge and a render wrapper with fresh stores.
import { vi } from 'vitest';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { ConsoleStoreProvider, createConsoleStore, type ConsoleStore } from '../../src/store';
import { createAppStore, type AppStore } from '../../src/app/app-store';
import { BridgeProvider, NOOP_BRIDGE } from '../../src/app/context';
import type { BridgeCommands } from '../../src/app/bridge';

/** Every command replaced by a spy (async ones resolve). */
export function fakeBridge(): { [K in keyof BridgeCommands]: ReturnType<typeof vi.fn> } & BridgeCommands {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(NOOP_BRIDGE)) out[k] = vi.fn(v as (...a: unknown[]) => unknown);
  return out as unknown as { [K in keyof BridgeCommands]: ReturnType<typeof vi.fn> } & BridgeCommands;
}

/** Renders `ui` with fresh (non-persisted) stores and the given bridge; language `en` unless told. */
export function renderWith(ui: ReactElement, opts: { language?: 'zh' | 'en'; store?: ConsoleStore; app?: AppStore; bridge?: BridgeCommands } = {}) {
  const store = opts.store ?? createConsoleStore({ storage: null });
  store.getState().setLanguage(opts.language ?? 'en');
  const app = opts.app ?? createAppStore({ persist: false });
  const bridge = opts.bridge ?? fakeBridge();
  const result = render(
    <ConsoleStoreProvider store={store}>
      <BridgeProvider bridge={bridge} appStore={app}>
        {ui}
      </BridgeProvider>
    </ConsoleStoreProvider>,
  );
  return { ...result, store, app, bridge };
}
