// The history panel: stored sessions (newest first) with open (read-only), export and delete; import of a
// session file or relay recording; export of the session being recorded; the storage used.
import './history.css';
import { useCallback, useEffect, useId, useReducer, useRef, useState } from 'react';
import { useT } from '../../i18n';
import { useConsoleStoreApi } from '../../store';
import { useHistory, listSessions, loadRecording, storageFigures, type StorageFigures, type StoredSessionMeta } from '../../app/persistence';
import { encodeSessionFile, readRecording, SESSION_FILE_MIME, SessionFileError, type SessionRecording } from '../../lib/session-file';
import { downloadBlob } from '../common/clipboard';
import { formatBytes } from '../common/format';
import { SessionViewer } from './SessionViewer';
import { sessionFileName } from './file-name';

/** Saves a recording as a session file. */
export function exportRecording(rec: SessionRecording): void {
  downloadBlob(new Blob([encodeSessionFile(rec)], { type: SESSION_FILE_MIME }), sessionFileName(rec));
}

/** The panel. */
export function HistoryPanel() {
  const t = useT();
  const titleId = useId();
  const api = useConsoleStoreApi();
  const history = useHistory();
  const [sessions, setSessions] = useState<StoredSessionMeta[]>([]);
  const [figures, setFigures] = useState<StorageFigures | null>(null);
  const [open, setOpen] = useState<SessionRecording | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  // The database opens asynchronously: re-render on every change notification (the first one is "opened").
  const [, changed] = useReducer((n: number) => n + 1, 0);
  const db = history?.database ?? null;

  const refresh = useCallback(async () => {
    const db = history?.database;
    if (!db) return;
    try {
      const [list, fig] = await Promise.all([listSessions(db), storageFigures(db)]);
      setSessions(list);
      setFigures(fig);
    } catch {
      // the database closed under us (page unloading); the list keeps its last state
    }
  }, [history]);

  useEffect(() => {
    if (!history) return;
    void refresh();
    return history.onChange(() => {
      changed();
      void refresh();
    });
  }, [history, refresh]);

  const toast = (kind: 'info' | 'success' | 'error', message: string) => api.getState().pushToast(kind, message);

  const withRecording = async (id: string, fn: (rec: SessionRecording) => void) => {
    if (!db) return;
    const rec = await loadRecording(db, id);
    if (rec) fn(rec);
  };

  const exportCurrent = async () => {
    const id = history?.currentSessionId;
    if (!history || !id) {
      toast('info', t('history.noCurrent'));
      return;
    }
    await history.flush();
    await withRecording(id, (rec) => {
      exportRecording(rec);
      toast('success', t('history.exported'));
    });
  };

  const onImport = async (file: File) => {
    try {
      setOpen(readRecording(await file.text()));
    } catch (error) {
      const message = error instanceof SessionFileError ? error.message : String((error as Error)?.message ?? error);
      toast('error', t('history.importFailed', { message }));
    }
  };

  if (!history || !db) {
    return (
      <section className="panel history-panel" aria-labelledby={titleId}>
        <h2 id={titleId}>{t('history.title')}</h2>
        <p role="status">{t('history.unavailable')}</p>
      </section>
    );
  }

  return (
    <section className="panel history-panel" aria-labelledby={titleId}>
      <header className="panel-header">
        <h2 id={titleId}>{t('history.title')}</h2>
        <div className="panel-actions">
          <button type="button" className="btn btn-small" onClick={() => void exportCurrent()}>
            {t('history.exportCurrent')}
          </button>
          <button type="button" className="btn btn-small" onClick={() => fileRef.current?.click()}>
            {t('history.import')}
          </button>
          <input
            ref={fileRef}
            type="file"
            hidden
            data-testid="history-import"
            aria-label={t('history.import')}
            accept=".jsonl,.json,.ndjson,application/x-ndjson,application/json"
            onChange={(e) => {
              const f = e.currentTarget.files?.[0];
              e.currentTarget.value = '';
              if (f) void onImport(f);
            }}
          />
        </div>
      </header>
      {figures && (
        <p className="history-storage" data-testid="history-storage">
          {t('history.storage', { size: formatBytes(figures.historyBytes) })}
          {figures.usage !== null && figures.quota !== null && <> · {t('history.storageBrowser', { usage: formatBytes(figures.usage), quota: formatBytes(figures.quota) })}</>}
        </p>
      )}
      {open && <SessionViewer recording={open} onClose={() => setOpen(null)} onExport={() => exportRecording(open)} />}
      {sessions.length === 0 ? (
        <p>{t('history.empty')}</p>
      ) : (
        <ul className="history-list" aria-label={t('history.list')}>
          {sessions.map((s) => (
            <li key={s.id} className="history-row" data-testid="history-row" data-status={s.status}>
              <div className="history-row-main">
                <strong>{s.title || s.id}</strong>
                <span className={`history-status status-${s.status}`}>{t(`history.status.${s.status}`)}</span>
                <span className="history-meta">
                  {new Date(s.startedAt).toLocaleString()} · {t('history.counts', { events: s.eventCount, items: s.itemCount, size: formatBytes(s.bytes) })}
                  {s.truncated && <> · {t('history.truncated')}</>}
                </span>
              </div>
              <div className="history-row-actions">
                <button type="button" className="btn btn-small" aria-label={`${t('history.view')}: ${s.title || s.id}`} onClick={() => void withRecording(s.id, setOpen)}>
                  {t('history.view')}
                </button>
                <button type="button" className="btn btn-small" aria-label={`${t('history.export')}: ${s.title || s.id}`} onClick={() => void withRecording(s.id, exportRecording)}>
                  {t('history.export')}
                </button>
                <button
                  type="button"
                  className="btn btn-small"
                  aria-label={`${t('history.delete')}: ${s.title || s.id}`}
                  onClick={() =>
                    void history.delete(s.id).then((ok) => {
                      if (!ok) toast('info', t('history.deleteLive'));
                    })
                  }
                >
                  {t('history.delete')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
