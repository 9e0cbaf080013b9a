// The tab bar of the narrow (single column) layout; hidden by CSS on wide screens where all panels show.
import type { KeyboardEvent } from 'react';
import { useT, type MessageKey } from '../../i18n';
import { useConsoleStore, useConsoleStoreApi } from '../../store';

/** Panel ids, in tab order. */
export const PANEL_IDS = ['conversation', 'session', 'tools', 'events', 'metrics'] as const;
export type PanelId = (typeof PANEL_IDS)[number];

/** Tab id of a panel (for aria-labelledby). */
export const tabId = (p: PanelId) => `tab-${p}`;
/** Element id of a panel's area. */
export const areaId = (p: PanelId) => `area-${p}`;

/** Roving-tabindex tab list (arrow keys move between tabs). */
export function Tabs() {
  const t = useT();
  const api = useConsoleStoreApi();
  const active = useConsoleStore((s) => s.ui.activeTab);
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = PANEL_IDS.indexOf(active as PanelId);
    let next = -1;
    if (e.key === 'ArrowRight') next = (i + 1) % PANEL_IDS.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + PANEL_IDS.length) % PANEL_IDS.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = PANEL_IDS.length - 1;
    if (next < 0) return;
    e.preventDefault();
    api.getState().setActiveTab(PANEL_IDS[next]);
    document.getElementById(tabId(PANEL_IDS[next]))?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label={t('app.tabs')} onKeyDown={onKey}>
      {PANEL_IDS.map((p) => (
        <button
          key={p}
          id={tabId(p)}
          type="button"
          role="tab"
          aria-selected={active === p}
          aria-controls={areaId(p)}
          tabIndex={active === p ? 0 : -1}
          className={active === p ? 'is-on' : ''}
          onClick={() => api.getState().setActiveTab(p)}
        >
          {t(`nav.${p}` as MessageKey)}
        </button>
      ))}
    </div>
  );
}
