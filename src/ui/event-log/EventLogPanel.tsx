import '../common/panel-extras.css';
import { useId } from 'react';
import type { Rect } from '@tanstack/react-virtual';
import { useT } from '../../i18n';
import { toNdjson } from '../../store/event-view';
import { useConsoleStore, useConsoleStoreApi } from '../../store/store';
import { downloadBlob } from '../common/clipboard';
import { EventComposer } from './EventComposer';
import { EventFilterBar } from './EventFilterBar';
import { EventList } from './EventList';

/** Props of {@link EventLogPanel}. */
export interface EventLogPanelProps {
  /** Fixed list viewport (tests without layout); see {@link EventList}. */
  viewportRect?: Rect;
}

/** The event log panel: status line, filters, virtualised list, export and the composer. */
export function EventLogPanel({ viewportRect }: EventLogPanelProps) {
  const t = useT();
  const titleId = useId();
  const api = useConsoleStoreApi();
  return (
    <section className="panel event-log-panel" aria-labelledby={titleId}>
      <header className="panel-header">
        <h2 id={titleId}>{t('events.title')}</h2>
        <EventLogStatus />
        <div className="panel-actions">
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              const { view } = api.getState().events;
              const stamp = new Date().toISOString().replace(/[:.]/g, '-');
              downloadBlob(new Blob([toNdjson(view.events())], { type: 'application/x-ndjson' }), `realtime-events-${stamp}.ndjson`);
            }}
          >
            {t('events.export')}
          </button>
          <button type="button" className="btn btn-small" onClick={() => api.getState().clearEvents()}>
            {t('events.clear')}
          </button>
        </div>
      </header>
      <EventFilterBar />
      <EventList viewportRect={viewportRect} />
      <EventComposer />
    </section>
  );
}

/** "N shown · M kept · K dropped". */
function EventLogStatus() {
  const t = useT();
  useConsoleStore((s) => s.events.version);
  const view = useConsoleStore((s) => s.events.view);
  const size = useConsoleStore((s) => s.events.size);
  const dropped = useConsoleStore((s) => s.events.dropped);
  return (
    <p className="event-log-status" aria-live="off">
      <span data-testid="event-count">{t('events.count', { shown: view.eventCount, total: size })}</span>
      {dropped > 0 && (
        <span className="event-dropped" data-testid="event-dropped">
          {' · '}
          {t('events.dropped', { n: dropped })}
        </span>
      )}
    </p>
  );
}
