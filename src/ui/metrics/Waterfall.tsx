import { memo } from 'react';
import { useT, type MessageKey } from '../../i18n';
import { turnStart, type TurnSpan } from '../../store/metrics-math';
import { formatMs } from '../common/format';

/** Milestones in causal order, with their label key and colour. */
const MARKS = [
  { field: 'speechStoppedAt', key: 'metrics.mark.speechStopped', color: '#9aa5b1' },
  { field: 'committedAt', key: 'metrics.mark.committed', color: '#7b8794' },
  { field: 'textSentAt', key: 'metrics.mark.textSent', color: '#7b8794' },
  { field: 'responseCreatedAt', key: 'metrics.mark.responseCreated', color: '#f0b429' },
  { field: 'firstTextAt', key: 'metrics.mark.firstText', color: '#3ebd93' },
  { field: 'firstAudioAt', key: 'metrics.mark.firstAudio', color: '#2bb0ed' },
  { field: 'firstAudibleAt', key: 'metrics.mark.firstAudible', color: '#4c63b6' },
  { field: 'doneAt', key: 'metrics.mark.done', color: '#cbd2d9' },
] as const satisfies readonly { field: keyof TurnSpan; key: MessageKey; color: string }[];

/** Segments of one turn: from each present milestone to the next present one (sorted by time). */
export function turnSegments(span: TurnSpan): { from: number; to: number; key: MessageKey; color: string; field: string }[] {
  const points = MARKS.flatMap((m) => {
    const at = span[m.field];
    return typeof at === 'number' ? [{ at, ...m }] : [];
  }).sort((a, b) => a.at - b.at);
  const out = [];
  for (let i = 1; i < points.length; i++) {
    out.push({ from: points[i - 1].at, to: points[i].at, key: points[i].key, color: points[i].color, field: points[i].field });
  }
  return out;
}

const ROW = 18;
const LABEL = 64;
const WIDTH = 600;

/** Per-turn waterfall of the most recent turns, drawn as SVG. */
export const Waterfall = memo(function Waterfall({ turns }: { turns: readonly TurnSpan[] }) {
  const t = useT();
  const rows = turns
    .map((span) => {
      const segs = turnSegments(span);
      const start = turnStart(span) ?? segs[0]?.from ?? span.responseCreatedAt;
      return { span, segs, start };
    })
    .filter((r) => r.start !== undefined && r.segs.length > 0);
  if (rows.length === 0) return <p className="metrics-empty">{t('metrics.empty')}</p>;
  const longest = Math.max(1, ...rows.map((r) => r.segs[r.segs.length - 1].to - r.start!));
  const scale = (WIDTH - LABEL - 8) / longest;
  return (
    <div className="waterfall">
      <svg
        className="waterfall-svg"
        role="img"
        aria-label={t('metrics.waterfall', { n: rows.length })}
        viewBox={`0 0 ${WIDTH} ${rows.length * ROW + 4}`}
        width="100%"
        preserveAspectRatio="xMinYMin meet"
        // A flex parent would otherwise shrink an SVG without an intrinsic height to nothing.
        style={{ display: 'block', width: '100%', height: 'auto', maxWidth: WIDTH }}
      >
        {rows.map(({ span, segs, start }, i) => (
          <g key={span.turnId} data-testid="waterfall-turn" data-turn-id={span.turnId} transform={`translate(0 ${i * ROW + 2})`}>
            <text x={0} y={ROW - 6} fontSize={11} fill="currentColor">
              {t('metrics.turn', { n: span.turnId })}
            </text>
            {segs.map((s) => (
              <rect
                key={s.field}
                data-phase={s.field}
                x={LABEL + (s.from - start!) * scale}
                y={2}
                width={Math.max(1, (s.to - s.from) * scale)}
                height={ROW - 6}
                fill={s.color}
              >
                <title>{`${t(s.key)}: +${formatMs(s.to - start!)} ms (${formatMs(s.to - s.from)} ms)`}</title>
              </rect>
            ))}
          </g>
        ))}
      </svg>
    </div>
  );
});
