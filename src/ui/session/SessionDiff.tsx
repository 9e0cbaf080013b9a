// Requested vs effective session config, differences flagged.
import { useT } from '../../i18n';
import { selectSessionDiff, useConsoleStore } from '../../store';

function show(v: unknown): string {
  if (v === undefined) return '—';
  if (typeof v === 'string') return v.length > 80 ? `${v.slice(0, 77)}…` : v || '""';
  return JSON.stringify(v);
}

/** The diff table (`data-testid="session-diff"`; rows carry `data-field` and `data-status`). */
export function SessionDiff() {
  const t = useT();
  const effective = useConsoleStore((s) => s.session.effective);
  const rows = useConsoleStore(selectSessionDiff);
  if (!effective) return <p className="field-hint">{t('session.diff.none')}</p>;
  return (
    <table className="diff-table" data-testid="session-diff">
      <thead>
        <tr>
          <th scope="col">{t('session.diff.field')}</th>
          <th scope="col">{t('session.diff.requested')}</th>
          <th scope="col">{t('session.diff.effective')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.field} className={`diff-${r.status}`} data-field={r.field} data-status={r.status}>
            <th scope="row">
              <code>{r.field}</code>
              {r.status !== 'same' && <span className={`badge ${r.status === 'differs' ? 'badge-warn' : 'badge-muted'}`}>{t(`session.diff.${r.status}`)}</span>}
            </th>
            <td title={typeof r.requested === 'string' ? r.requested : undefined}>{show(r.requested)}</td>
            <td title={typeof r.effective === 'string' ? r.effective : undefined}>{show(r.effective)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
