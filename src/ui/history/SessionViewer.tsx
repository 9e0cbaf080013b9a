// A recorded session shown read-only: its header, the conversation (text, transcripts, tool calls, audio) and the
// event log. Nothing here can send anything; audio plays from object URLs this component owns and revokes.
import { useEffect, useMemo, useState } from 'react';
import { useT } from '../../i18n';
import { encodeWav, WAV_MIME } from '../../lib/dsp/wav';
import { unpackAudio, type RecordedItem, type SessionRecording } from '../../lib/session-file';
import { JsonTree } from '../common/JsonTree';
import { formatElapsed } from '../common/format';
import { replayName } from './file-name';

const PAGE = 500;

/** Props of {@link SessionViewer}. */
export interface SessionViewerProps {
  recording: SessionRecording;
  onClose(): void;
  onExport(): void;
}

function ItemAudio({ audio }: { audio: NonNullable<RecordedItem['audio']> }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let created: string | null = null;
    try {
      created = URL.createObjectURL(new Blob([encodeWav(unpackAudio(audio), audio.sampleRate) as BlobPart], { type: WAV_MIME }));
      setUrl(created);
    } catch {
      setUrl(null); // undecodable audio: the item still shows its text
    }
    return () => {
      if (created) URL.revokeObjectURL(created);
    };
  }, [audio]);
  return url ? <audio controls preload="none" src={url} /> : null;
}

function ItemView({ item }: { item: RecordedItem }) {
  return (
    <li className="history-item" data-testid="history-item" data-role={item.role} data-status={item.status}>
      <div className="history-item-role">{item.role}</div>
      {item.text && <p className="history-item-text">{item.text}</p>}
      {item.transcript && <p className="history-item-transcript">{item.transcript}</p>}
      {item.tool && (
        <p className="history-item-tool">
          <code>
            {item.tool.name}({item.tool.arguments})
          </code>
          {item.tool.output !== undefined && <> → <code>{item.tool.output}</code></>}
        </p>
      )}
      {item.audio && <ItemAudio audio={item.audio} />}
    </li>
  );
}

/** The read-only session view. */
export function SessionViewer({ recording, onClose, onExport }: SessionViewerProps) {
  const t = useT();
  const [shown, setShown] = useState(PAGE);
  const { header, events, items } = recording;
  const title = header.title || header.model || header.profile || header.created;
  const visible = useMemo(() => events.slice(0, shown), [events, shown]);
  return (
    <section className="history-viewer" aria-label={t('replay.title', { title })}>
      <header className="history-viewer-header">
        <h3>{t('replay.title', { title })}</h3>
        <p className="history-meta">{t('replay.meta', { created: new Date(header.created).toLocaleString(), profile: header.profile || '—', model: header.model || '—' })}</p>
        <div className="panel-actions">
          <button type="button" className="btn btn-small" onClick={onExport}>
            {t('replay.export')}
          </button>
          <button type="button" className="btn btn-small" onClick={onClose}>
            {t('replay.close')}
          </button>
        </div>
      </header>
      <p className="history-meta">{t('replay.hint', { name: replayName(recording) })}</p>
      <h4>{t('replay.conversation')}</h4>
      {items.length === 0 ? <p>{t('replay.noItems')}</p> : <ol className="history-items">{items.map((it) => <ItemView key={it.id} item={it} />)}</ol>}
      <h4>{t('replay.events', { n: events.length })}</h4>
      <ol className="history-events">
        {visible.map((e, i) => (
          <li key={i} data-testid="history-event-row" data-type={e.event.type} data-direction={e.direction}>
            <details>
              <summary>
                <span className="history-event-t">{formatElapsed(e.t)}</span> <span className={`history-dir dir-${e.direction}`}>{e.direction}</span>{' '}
                <code>{e.event.type}</code>
              </summary>
              <JsonTree value={e.event} openDepth={1} />
            </details>
          </li>
        ))}
      </ol>
      {events.length > shown && (
        <button type="button" className="btn btn-small" onClick={() => setShown((n) => n + PAGE)}>
          {t('replay.more', { n: Math.min(PAGE, events.length - shown) })}
        </button>
      )}
    </section>
  );
}
