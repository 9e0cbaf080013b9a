// The keyboard-shortcuts popover.
import { useEffect, useId, useRef } from 'react';
import { useT } from '../../i18n';
import { useAppState, useAppStoreApi } from '../../app/context';
import { SHORTCUTS } from '../../app/shortcuts';

/** The "?" button and its popover (a non-modal dialog; Esc closes it). */
export function HelpPopover() {
  const t = useT();
  const titleId = useId();
  const api = useAppStoreApi();
  const open = useAppState((s) => s.helpOpen);
  const dialog = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (open) dialog.current?.focus();
  }, [open]);
  return (
    <div className="help">
      <button type="button" className="btn btn-icon" aria-expanded={open} aria-haspopup="dialog" aria-label={t('app.help')} title={`${t('app.help')} (?)`} onClick={() => api.setState({ helpOpen: !open })}>
        ?
      </button>
      {open && (
        <div ref={dialog} className="help-popover" role="dialog" aria-labelledby={titleId} tabIndex={-1}>
          <h2 id={titleId}>{t('shortcuts.title')}</h2>
          <dl>
            {SHORTCUTS.map((s) => (
              <div key={s.keys} className="help-row">
                <dt>
                  <kbd>{s.keys}</kbd>
                </dt>
                <dd>{t(s.labelKey)}</dd>
              </div>
            ))}
          </dl>
          <p className="field-hint">{t('shortcuts.note')}</p>
          <button type="button" className="btn btn-small" onClick={() => api.setState({ helpOpen: false })}>
            {t('common.close')}
          </button>
        </div>
      )}
    </div>
  );
}
