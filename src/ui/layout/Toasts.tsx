// Transient notices (server errors, tool failures) from the store's ui.toasts; each closes itself after a while.
import { useEffect } from 'react';
import { useT } from '../../i18n';
import { useConsoleStore, useConsoleStoreApi, type Toast } from '../../store';

function ToastItem({ toast }: { toast: Toast }) {
  const t = useT();
  const api = useConsoleStoreApi();
  useEffect(() => {
    const id = setTimeout(() => api.getState().dismissToast(toast.id), toast.kind === 'error' ? 8000 : 4000);
    return () => clearTimeout(id);
  }, [api, toast.id, toast.kind]);
  return (
    <li className={`toast toast-${toast.kind}`}>
      <span>{toast.message}</span>
      <button type="button" className="btn btn-icon btn-quiet" aria-label={t('app.toastDismiss')} onClick={() => api.getState().dismissToast(toast.id)}>
        ✕
      </button>
    </li>
  );
}

/** The toast stack (a polite live region). */
export function Toasts() {
  const toasts = useConsoleStore((s) => s.ui.toasts);
  return (
    <ul className="toasts" role="status" aria-live="polite">
      {toasts.map((toast) => (
        <ToastItem key={toast.id} toast={toast} />
      ))}
    </ul>
  );
}
