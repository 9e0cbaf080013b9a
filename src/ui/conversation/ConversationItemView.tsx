import { memo } from 'react';
import { useT, type TFunction } from '../../i18n';
import type { ConversationItem } from '../../store/slices/conversation';
import { formatMs } from '../common/format';
import { ItemAudioView } from './ItemAudioView';

function Transcript({ item, t }: { item: ConversationItem; t: TFunction }) {
  const s = item.transcriptStatus;
  const hasUserAudio = item.role === 'user' && (item.contentKind === 'input_audio' || item.audio !== undefined);
  if (s === 'failed') {
    return (
      <p className="item-transcript is-error" role="note">
        {item.transcript && <span>{item.transcript} </span>}
        {t('conversation.transcript.failed', { message: item.transcriptError ?? '' })}
      </p>
    );
  }
  if (item.transcript === '' && s === 'none') {
    return hasUserAudio ? <p className="item-transcript is-pending">{t('conversation.transcript.awaiting')}</p> : null;
  }
  return (
    <p className="item-transcript" data-transcript-status={s}>
      <span className="item-transcript-text">{item.transcript}</span>
      {s === 'partial' && <span className="badge badge-live"> {t('conversation.transcript.partial')}</span>}
      {s === 'truncated' && <span className="badge badge-warn"> {t('conversation.transcript.truncated')}</span>}
    </p>
  );
}

function ToolCall({ item, t }: { item: ConversationItem; t: TFunction }) {
  const tool = item.tool;
  if (!tool) return null;
  const duration = tool.endedAt !== undefined ? tool.endedAt - tool.startedAt : undefined;
  return (
    <div className="item-tool">
      <p className="item-tool-name">
        <code>{t('conversation.tool.call', { name: tool.name })}</code>
        {tool.callId && <span className="item-tool-callid"> {tool.callId}</span>}
      </p>
      <div className="item-tool-section">
        <span className="item-tool-label">{t('conversation.tool.arguments')}</span>
        <pre className="item-tool-args">{tool.arguments}</pre>
      </div>
      <div className="item-tool-section">
        <span className="item-tool-label">{t('conversation.tool.result')}</span>
        {tool.output !== undefined ? <pre className="item-tool-output">{tool.output}</pre> : <em>{t('conversation.tool.pending')}</em>}
        {duration !== undefined && <span className="item-tool-duration"> {t('conversation.tool.duration', { ms: formatMs(duration) })}</span>}
      </div>
    </div>
  );
}

/** One conversation item: role, status, text, transcript, tool call, audio, truncation mark, delete. */
export const ConversationItemView = memo(function ConversationItemView({
  item,
  onDelete,
}: {
  item: ConversationItem;
  onDelete: (id: string) => void;
}) {
  const t = useT();
  const roleName = t(`conversation.role.${item.role}`);
  return (
    <article
      className={`conv-item role-${item.role} type-${item.type} status-${item.status}`}
      data-testid="conversation-item"
      data-role={item.role}
      data-status={item.status}
      data-item-id={item.id}
      aria-label={`${roleName} ${item.id}`}
    >
      <header className="conv-item-header">
        <span className="conv-item-role">{item.type === 'function_call_output' ? t('conversation.tool.output') : roleName}</span>
        <span className={`badge status-${item.status}`}>{t(`conversation.status.${item.status}`)}</span>
        {item.contentKind === 'tts_text' && <span className="badge">tts_text</span>}
        {item.stale && (
          <span className="badge badge-muted" data-testid="stale-badge" title={t('reconnect.staleHint')}>
            {t('reconnect.stale')}
          </span>
        )}
        {item.truncatedAtMs !== undefined && (
          <span className="badge badge-warn" data-testid="truncated-at">
            {t('conversation.truncatedAt', { ms: Math.round(item.truncatedAtMs) })}
          </span>
        )}
        <button type="button" className="btn btn-small btn-ghost conv-item-delete" aria-label={t('conversation.delete', { id: item.id })} onClick={() => onDelete(item.id)}>
          {t('common.delete')}
        </button>
      </header>
      {item.type === 'function_call' && <ToolCall item={item} t={t} />}
      {item.type === 'function_call_output' && item.tool?.output !== undefined && <pre className="item-tool-output">{item.tool.output}</pre>}
      {item.text !== '' && <p className="item-text">{item.text}</p>}
      {item.type === 'message' && <Transcript item={item} t={t} />}
      {item.audio && (
        <ItemAudioView
          itemId={item.id}
          role={item.role}
          audio={item.audio}
          truncatedAtMs={item.truncatedAtMs}
          live={item.role === 'assistant' && item.status === 'in_progress'}
        />
      )}
    </article>
  );
});
