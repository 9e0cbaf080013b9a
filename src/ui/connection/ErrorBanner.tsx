// The typed error of the connection (or the microphone), with its cause, proof and remedy.
import { useT, type MessageKey } from '../../i18n';
import { useConsoleStore, useConsoleStoreApi } from '../../store';
import { REMEDY_REASONS, remedyKeyFor } from '../../app/errors';

/** `data-testid="error-banner"`, `data-reason`: shown while the store holds a connection error. */
export function ErrorBanner() {
  const t = useT();
  const api = useConsoleStoreApi();
  const error = useConsoleStore((s) => s.connection.error);
  if (!error) return null;
  const known = (REMEDY_REASONS as readonly string[]).includes(error.reason);
  const reasonLabel = t(`conn.reason.${known ? error.reason : 'unknown'}` as MessageKey);
  const remedyKey = (error.remedyKey.startsWith('conn.remedy.') ? error.remedyKey : remedyKeyFor(error.reason)) as MessageKey;
  const proof = [
    error.status !== undefined ? t('conn.error.status', { status: error.status }) : null,
    typeof error.code === 'number' ? t('conn.error.code', { code: error.code }) : typeof error.code === 'string' ? error.code : null,
  ].filter(Boolean);
  return (
    <div className="error-banner" role="alert" data-testid="error-banner" data-reason={error.reason}>
      <div className="error-banner-body">
        <strong className="error-banner-title">{t('conn.error.title', { reason: reasonLabel })}</strong>
        {proof.length > 0 && <span className="error-banner-proof">{proof.join(' · ')}</span>}
        <p className="error-banner-message">{error.message}</p>
        {error.detail && <p className="error-banner-detail">{error.detail}</p>}
        <p className="error-banner-remedy">
          <span className="error-banner-remedy-label">{t('conn.error.remedy')}: </span>
          {t(remedyKey)}
        </p>
      </div>
      <button type="button" className="btn btn-small" onClick={() => api.getState().setConnectionError(null)}>
        {t('conn.error.dismiss')}
      </button>
    </div>
  );
}
