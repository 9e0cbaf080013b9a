import { useId, useState } from 'react';
import { useT } from '../../i18n';
import type { ClientEventType } from '../../lib/realtime/protocol';
import { getCommands } from '../../store/commands';
import { useConsoleStoreApi } from '../../store/store';
import { COMPOSER_TYPES, clientEventTemplate } from './templates';

/** Sends any client event as JSON, starting from a template per type (a collapsible section under the list). */
export function EventComposer() {
  const t = useT();
  const api = useConsoleStoreApi();
  const selectId = useId();
  const textId = useId();
  const [type, setType] = useState<ClientEventType>('response.create');
  const [text, setText] = useState(() => JSON.stringify(clientEventTemplate('response.create', { settings: api.getState().session.requested }), null, 2));
  // Collapsed by default so the list keeps the room; the open state survives re-renders.
  const [open, setOpen] = useState(false);
  const [status, setStatus] = useState<{ kind: 'error' | 'ok'; message: string } | null>(null);

  const applyTemplate = (next: ClientEventType) => {
    setType(next);
    const s = api.getState();
    const order = s.conversation.order;
    setText(JSON.stringify(clientEventTemplate(next, { settings: s.session.requested, lastItemId: order[order.length - 1] }), null, 2));
    setStatus(null);
  };

  const send = () => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      setStatus({ kind: 'error', message: t('events.composer.invalidJson', { message: (e as Error).message }) });
      return;
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || typeof (parsed as { type?: unknown }).type !== 'string') {
      setStatus({ kind: 'error', message: t('events.composer.needType') });
      return;
    }
    const event = parsed as { type: string; [key: string]: unknown };
    getCommands().sendRawEvent(event);
    setStatus({ kind: 'ok', message: t('events.composer.sent', { type: event.type }) });
  };

  return (
    <details className="event-composer" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t('events.composer.title')}</summary>
      <form
        className="event-composer-form"
        aria-label={t('events.composer.title')}
        onSubmit={(e) => {
          e.preventDefault();
          send();
        }}
      >
        <div className="event-composer-row">
          <label htmlFor={selectId}>{t('events.composer.template')}</label>
          <select id={selectId} value={type} onChange={(e) => applyTemplate(e.target.value as ClientEventType)}>
            {COMPOSER_TYPES.map((ty) => (
              <option key={ty} value={ty}>
                {ty}
              </option>
            ))}
          </select>
        </div>
        <label htmlFor={textId} className="visually-hidden">
          {t('events.composer.json')}
        </label>
        <textarea
          id={textId}
          className="event-composer-json"
          spellCheck={false}
          rows={6}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              send();
            }
          }}
        />
        <div className="event-composer-row">
          <button type="submit" className="btn">
            {t('events.composer.send')}
          </button>
          {status && (
            <span role={status.kind === 'error' ? 'alert' : 'status'} className={status.kind === 'error' ? 'text-error' : 'text-ok'}>
              {status.message}
            </span>
          )}
        </div>
      </form>
    </details>
  );
}
