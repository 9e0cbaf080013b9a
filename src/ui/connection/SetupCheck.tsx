// Results of "check my setup": microphone (permission, granted rate), server reachability, key pre-check.
import { useId } from 'react';
import { useT, type MessageKey } from '../../i18n';
import { useAppState, useAppStoreApi } from '../../app/context';

const ICON = { ok: '✓', warn: '!', fail: '✗', pending: '…' } as const;

/** Shown once a check has run (`data-testid="setup-check"`). */
export function SetupCheck() {
  const t = useT();
  const titleId = useId();
  const api = useAppStoreApi();
  const { results, running } = useAppState((s) => s.setup);
  if (results.length === 0) return null;
  return (
    <section className="setup-check" aria-labelledby={titleId} aria-busy={running} data-testid="setup-check">
      <header className="setup-check-header">
        <h2 id={titleId}>{t('conn.setupTitle')}</h2>
        <button type="button" className="btn btn-small" onClick={() => api.setState({ setup: { running: false, results: [] } })}>
          {t('common.close')}
        </button>
      </header>
      <ul>
        {results.map((r) => (
          <li key={r.id} className={`setup-result setup-${r.status}`} data-check={r.id} data-status={r.status}>
            <span className="setup-icon" aria-hidden="true">
              {ICON[r.status]}
            </span>
            <span className="setup-name">{t(`setup.${r.id}` as MessageKey)}</span>
            <span className="visually-hidden">{t(`setup.status.${r.status}` as MessageKey)}: </span>
            <span className="setup-message">{r.message}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
