// The console's shell: header, connection bar, error banner, setup check, and the panels — a three-column grid
// on wide screens, tabs below 1100 px.
import { useEffect, type ReactNode } from 'react';
import { useT } from '../i18n';
import { useConsoleStore, useConsoleStoreApi, type UiData } from '../store';
import { useAppStoreApi, useBridge } from '../app/context';
import { useShortcuts } from '../app/shortcuts';
import { ConnectionBar, ErrorBanner, SetupCheck } from './connection';
import { SessionEditor } from './session';
import { ToolsPanel } from './tools';
import { Controls } from './controls';
import { ConversationPanel } from './conversation';
import { EventLogPanel } from './event-log';
import { MetricsPanel } from './metrics';
import { HelpPopover } from './layout/HelpPopover';
import { HistoryButton } from './history';
import { Toasts } from './layout/Toasts';
import { Tabs, areaId, tabId, type PanelId } from './layout/Tabs';

function Area({ id, children }: { id: PanelId; children: ReactNode }) {
  const active = useConsoleStore((s) => s.ui.activeTab === id);
  return (
    <div id={areaId(id)} className={`area area-${id}${active ? ' is-active' : ''}`} role="tabpanel" aria-labelledby={tabId(id)}>
      {children}
    </div>
  );
}

function HeaderTools() {
  const t = useT();
  const api = useConsoleStoreApi();
  const language = useConsoleStore((s) => s.ui.language);
  const theme = useConsoleStore((s) => s.ui.theme);
  return (
    <div className="header-tools">
      <div className="segmented segmented-small" role="radiogroup" aria-label={t('common.language')}>
        {(['zh', 'en'] as const).map((l) => (
          <button key={l} type="button" role="radio" aria-checked={language === l} className={language === l ? 'is-on' : ''} lang={l === 'zh' ? 'zh-CN' : 'en'} onClick={() => api.getState().setLanguage(l)}>
            {t(`common.lang.${l}`)}
          </button>
        ))}
      </div>
      <label className="visually-hidden" htmlFor="theme-select">
        {t('app.theme')}
      </label>
      <select id="theme-select" className="select-small" value={theme} onChange={(e) => api.getState().setTheme(e.target.value as UiData['theme'])}>
        <option value="system">{t('app.theme.system')}</option>
        <option value="light">{t('app.theme.light')}</option>
        <option value="dark">{t('app.theme.dark')}</option>
      </select>
      <HistoryButton />
      <HelpPopover />
    </div>
  );
}

/** The whole console. Marks `<html data-ready="true">` once mounted (UI test contract). */
export function App() {
  const t = useT();
  const store = useConsoleStoreApi();
  const app = useAppStoreApi();
  const bridge = useBridge();
  const language = useConsoleStore((s) => s.ui.language);
  const theme = useConsoleStore((s) => s.ui.theme);
  useShortcuts(bridge, store, app);

  useEffect(() => {
    const root = document.documentElement;
    root.lang = language === 'zh' ? 'zh-CN' : 'en';
    document.title = t('app.title');
  }, [language, t]);
  useEffect(() => {
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => {
    void bridge.loadServerInfo();
    document.documentElement.dataset.ready = 'true';
  }, [bridge]);

  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            ◉
          </span>
          <h1>{t('app.title')}</h1>
          <span className="brand-sub">{t('app.subtitle')}</span>
        </div>
        <HeaderTools />
      </header>
      <ConnectionBar />
      <ErrorBanner />
      <SetupCheck />
      <Tabs />
      <main className="workspace">
        <Area id="session">
          <SessionEditor />
        </Area>
        <Area id="tools">
          <ToolsPanel />
        </Area>
        <Area id="conversation">
          <div className="conversation-area">
            <ConversationPanel />
            <Controls />
          </div>
        </Area>
        <Area id="events">
          <EventLogPanel />
        </Area>
        <Area id="metrics">
          <MetricsPanel />
        </Area>
      </main>
      <Toasts />
    </div>
  );
}
