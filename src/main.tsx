// Browser entry: one session bridge on the real audio engine, the React app, and `window.__realtimeConsole`.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { consoleStore } from './store';
import { SessionBridge } from './app/bridge';
import { BrowserAudioLayer } from './app/browser-audio';
import { appStore } from './app/app-store';
import { BridgeProvider } from './app/context';
import { App } from './ui/App';
import { SessionPersistence, installHistory } from './app/persistence';
import './ui/styles.css';

/** What power users and tests find on `window.__realtimeConsole`. */
export interface RealtimeConsoleHandle {
  /** The console store's state (conversation, events, metrics, settings; never the API key). */
  getState: typeof consoleStore.getState;
  /** The player's stats: samples rendered per track and underruns (null while no output is open). */
  getPlayerStats: () => ReturnType<SessionBridge['playerStats']>;
  store: typeof consoleStore;
  appStore: typeof appStore;
  bridge: SessionBridge;
}

declare global {
  interface Window {
    __realtimeConsole?: RealtimeConsoleHandle;
  }
}

const bridge = new SessionBridge({ store: consoleStore, appStore, audio: new BrowserAudioLayer() });
const stop = bridge.start();
window.__realtimeConsole = {
  getState: consoleStore.getState,
  getPlayerStats: () => bridge.playerStats(),
  store: consoleStore,
  appStore,
  bridge,
};
window.addEventListener('pagehide', () => void stop());
// Session history in IndexedDB (observes the store; flushes on pagehide itself).
const sessionHistory = new SessionPersistence({ store: consoleStore });
installHistory(sessionHistory);
void sessionHistory.start();

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <BridgeProvider bridge={bridge}>
        <App />
      </BridgeProvider>
    </StrictMode>,
  );
}
