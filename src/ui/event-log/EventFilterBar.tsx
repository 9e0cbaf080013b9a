import { useId } from 'react';
import { useT } from '../../i18n';
import type { Direction } from '../../store/event-log';
import { useConsoleStore, useConsoleStoreApi } from '../../store/store';

const DIRECTIONS: Direction[] = ['client', 'server', 'local'];

/** Direction toggles, errors-only, coalescing, free-text search and the type checklist with counts. */
export function EventFilterBar() {
  const t = useT();
  const api = useConsoleStoreApi();
  const filter = useConsoleStore((s) => s.events.filter);
  const searchId = useId();
  return (
    <div className="event-filter" role="group" aria-label={t('events.directionFilter')}>
      <fieldset className="event-filter-directions">
        <legend className="visually-hidden">{t('events.directionFilter')}</legend>
        {DIRECTIONS.map((d) => (
          <label key={d} className="chip">
            <input
              type="checkbox"
              checked={filter.directions[d]}
              onChange={(e) => api.getState().setEventFilter({ directions: { ...filter.directions, [d]: e.target.checked } })}
            />
            {t(`events.direction.${d}`)}
          </label>
        ))}
        <label className="chip">
          <input type="checkbox" checked={filter.errorsOnly} onChange={(e) => api.getState().setEventFilter({ errorsOnly: e.target.checked })} />
          {t('events.errorsOnly')}
        </label>
        <label className="chip">
          <input type="checkbox" checked={filter.coalesce} onChange={(e) => api.getState().setEventFilter({ coalesce: e.target.checked })} />
          {t('events.coalesce')}
        </label>
      </fieldset>
      <label htmlFor={searchId} className="visually-hidden">
        {t('events.search')}
      </label>
      <input
        id={searchId}
        type="search"
        className="event-search"
        placeholder={t('events.search')}
        value={filter.search}
        onChange={(e) => api.getState().setEventFilter({ search: e.target.value })}
      />
      <TypeChecklist />
    </div>
  );
}

/** The type checklist; counts are those of the kept log. */
function TypeChecklist() {
  const t = useT();
  const api = useConsoleStoreApi();
  useConsoleStore((s) => s.events.version); // re-render when counts change
  const log = useConsoleStore((s) => s.events.log);
  const hiddenTypes = useConsoleStore((s) => s.events.filter.hiddenTypes);
  const hidden = new Set(hiddenTypes);
  const types = [...log.typeCounts.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  return (
    <details className="event-types">
      <summary>{t('events.typeFilter', { n: types.length })}</summary>
      <div className="event-types-actions">
        <button type="button" className="btn btn-small" onClick={() => api.getState().setEventFilter({ hiddenTypes: [] })}>
          {t('events.typesAll')}
        </button>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => api.getState().setEventFilter({ hiddenTypes: types.map(([ty]) => ty) })}
        >
          {t('events.typesNone')}
        </button>
      </div>
      <ul className="event-types-list">
        {types.map(([type, n]) => (
          <li key={type}>
            <label>
              <input type="checkbox" checked={!hidden.has(type)} onChange={(e) => api.getState().toggleEventType(type, e.target.checked)} />
              <span className="ev-type">{type}</span> <span className="ev-type-count" data-testid="type-count">{n}</span>
            </label>
          </li>
        ))}
      </ul>
    </details>
  );
}
