import '../common/panel-extras.css';
import { Fragment, useCallback, useEffect, useId, useRef } from 'react';
import { useT } from '../../i18n';
import { getCommands } from '../../store/commands';
import { useConsoleStore, useConsoleStoreApi } from '../../store/store';
import { ConversationItemView } from './ConversationItemView';
import { TextComposer } from './TextComposer';

/** The conversation: items in order (kept across disconnects), a divider per connection, and the text box. */
export function ConversationPanel() {
  const t = useT();
  const titleId = useId();
  const api = useConsoleStoreApi();
  const order = useConsoleStore((s) => s.conversation.order);
  const items = useConsoleStore((s) => s.conversation.items);
  const scrollRef = useRef<HTMLDivElement>(null);
  const follow = useRef(true);

  const onDelete = useCallback(
    (id: string) => {
      // Connected: ask the server (the item disappears on `conversation.item.deleted`). Offline: remove locally.
      if (api.getState().connection.state === 'open') getCommands().deleteItem(id);
      else api.getState().removeItem(id);
    },
    [api],
  );

  // Keep the newest item in view while the user is at the bottom.
  const last = order.length ? items[order[order.length - 1]] : undefined;
  useEffect(() => {
    const el = scrollRef.current;
    if (el && follow.current) el.scrollTop = el.scrollHeight;
  }, [order.length, last]);

  return (
    <section className="panel conversation-panel" aria-labelledby={titleId}>
      <header className="panel-header">
        <h2 id={titleId}>{t('conversation.title')}</h2>
        <div className="panel-actions">
          <button type="button" className="btn btn-small" disabled={order.length === 0} onClick={() => api.getState().clearConversation()}>
            {t('conversation.clear')}
          </button>
        </div>
      </header>
      <div
        ref={scrollRef}
        className="conversation-list"
        role="feed"
        aria-label={t('conversation.list')}
        aria-busy={last?.status === 'in_progress'}
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          follow.current = el.scrollHeight - el.scrollTop - el.clientHeight <= 48;
        }}
      >
        {order.length === 0 && <p className="conversation-empty">{t('conversation.empty')}</p>}
        {order.map((id, i) => {
          const item = items[id];
          const prev = i > 0 ? items[order[i - 1]] : undefined;
          const divider = !prev || prev.connectionId !== item.connectionId;
          return (
            <Fragment key={id}>
              {divider && (
                <div className="conversation-divider" role="separator" data-testid="connection-divider">
                  {t('conversation.connection', { n: item.connectionId })}
                </div>
              )}
              <ConversationItemView item={item} onDelete={onDelete} />
            </Fragment>
          );
        })}
      </div>
      <TextComposer />
    </section>
  );
}
