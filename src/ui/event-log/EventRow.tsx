import { memo } from 'react';
import { useT } from '../../i18n';
import type { LogRow } from '../../store/event-view';
import { CopyButton } from '../common/CopyButton';
import { JsonTree } from '../common/JsonTree';
import { formatBytes, formatElapsed } from '../common/format';

const ARROW = { client: '↑', server: '↓', local: '•' } as const;

/** One row of the log: a single event, or a coalesced run with its exact count. */
export const EventRow = memo(function EventRow({
  row,
  expanded,
  onToggle,
}: {
  row: LogRow;
  expanded: boolean;
  onToggle: (seq: number) => void;
}) {
  const t = useT();
  const { first, last, count } = row;
  const isError = first.isError || last.isError;
  const direction = t(`events.direction.${first.direction}`);
  const time = formatElapsed(first.t);
  const label =
    count > 1
      ? t('events.runLabel', { direction, type: first.type, n: count, time })
      : t('events.rowLabel', { direction, type: first.type, time, size: formatBytes(row.bytes) });
  return (
    <div
      role="listitem"
      data-testid="event-row"
      data-type={first.type}
      data-direction={first.direction}
      data-count={count}
      data-seq={first.seq}
      data-error={isError ? 'true' : undefined}
      className={`event-row dir-${first.direction}${isError ? ' is-error' : ''}`}
    >
      <button type="button" className="event-row-main" aria-expanded={expanded} aria-label={label} onClick={() => onToggle(first.seq)}>
        <span className="ev-time">{time}</span>
        <span className={`ev-dir ev-dir-${first.direction}`} aria-hidden="true">
          {ARROW[first.direction]}
        </span>
        <span className="ev-type">{first.type}</span>
        {count > 1 && <span className="ev-count">{t('events.runCount', { n: count })}</span>}
        <span className="ev-size">{formatBytes(row.bytes)}</span>
      </button>
      {expanded && (
        <div className="event-row-detail">
          {count > 1 && <p className="ev-run-note">{t('events.runNote', { n: count, seq: last.seq })}</p>}
          <CopyButton text={() => JSON.stringify(last.event, null, 2)} label={t('events.copyEvent')} />
          <JsonTree value={last.event} label={last.type} />
        </div>
      )}
    </div>
  );
});
