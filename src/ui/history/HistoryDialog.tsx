// The header button that opens the history panel in a modal dialog (no change to the panel grid).
import { useEffect, useRef, useState } from 'react';
import { useT } from '../../i18n';
import { HistoryPanel } from './HistoryPanel';

/** "History" button + dialog; Escape or the close button closes it and returns focus to the button. */
export function HistoryButton() {
  const t = useT();
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const dialogRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const opener = buttonRef.current;
    dialogRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      opener?.focus();
    };
  }, [open]);
  return (
    <>
      <button ref={buttonRef} type="button" className="btn btn-small" data-testid="history-open" aria-haspopup="dialog" aria-expanded={open} onClick={() => setOpen(true)}>
        {t('history.open')}
      </button>
      {open && (
        <div className="history-backdrop" onClick={(e) => e.target === e.currentTarget && setOpen(false)}>
          <div ref={dialogRef} className="history-dialog" role="dialog" aria-modal="true" aria-label={t('history.title')} tabIndex={-1}>
            <button type="button" className="btn btn-small history-close" onClick={() => setOpen(false)}>
              {t('common.close')}
            </button>
            <HistoryPanel />
          </div>
        </div>
      )}
    </>
  );
}
