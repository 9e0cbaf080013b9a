import '../common/panel-extras.css';
import { useId } from 'react';
import { useT } from '../../i18n';
import { selectPhaseStats } from '../../store/selectors';
import { useConsoleStore, useConsoleStoreApi } from '../../store/store';
import { formatMs } from '../common/format';
import { Waterfall } from './Waterfall';

/** Turns drawn in the waterfall. */
const WATERFALL_TURNS = 12;

/** Latency per turn (waterfall + p50/p95), token usage, player health and the granted sample rates. */
export function MetricsPanel() {
  const t = useT();
  const titleId = useId();
  const api = useConsoleStoreApi();
  const turns = useConsoleStore((s) => s.metrics.turns);
  const stats = useConsoleStore(selectPhaseStats);
  return (
    <section className="panel metrics-panel" aria-labelledby={titleId}>
      <header className="panel-header">
        <h2 id={titleId}>{t('metrics.title')}</h2>
        <span className="metrics-turns">{t('metrics.turns', { n: turns.length })}</span>
        <div className="panel-actions">
          <button type="button" className="btn btn-small" onClick={() => api.getState().clearMetrics()}>
            {t('metrics.clear')}
          </button>
        </div>
      </header>
      <Waterfall turns={turns.slice(-WATERFALL_TURNS)} />
      <table className="metrics-table" data-testid="phase-stats">
        <thead>
          <tr>
            <th scope="col">{t('metrics.phase')}</th>
            <th scope="col">{t('metrics.count')}</th>
            <th scope="col">{t('metrics.p50')}</th>
            <th scope="col">{t('metrics.p95')}</th>
          </tr>
        </thead>
        <tbody>
          {stats.map((s) => (
            <tr key={s.phase} data-phase={s.phase}>
              <th scope="row">{t(`metrics.phase.${s.phase}`)}</th>
              <td>{s.count}</td>
              <td>{s.count ? formatMs(s.p50) : t('common.none')}</td>
              <td>{s.count ? formatMs(s.p95) : t('common.none')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="metrics-grid">
        <UsageBox />
        <PlayerBox />
        <RatesBox />
      </div>
    </section>
  );
}

function Box({ title, rows, testId }: { title: string; rows: [string, string][]; testId: string }) {
  return (
    <dl className="metrics-box" data-testid={testId} aria-label={title}>
      <div className="metrics-box-title">{title}</div>
      {rows.map(([k, v]) => (
        <div key={k} className="metrics-box-row">
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function UsageBox() {
  const t = useT();
  const totals = useConsoleStore((s) => s.metrics.totals);
  const responses = useConsoleStore((s) => s.metrics.responses);
  return (
    <Box
      testId="usage"
      title={t('metrics.usage')}
      rows={[
        [t('metrics.usage.input'), String(totals.inputTokens)],
        [t('metrics.usage.output'), String(totals.outputTokens)],
        [t('metrics.usage.total'), String(totals.totalTokens)],
        [t('metrics.responses'), String(responses)],
      ]}
    />
  );
}

function PlayerBox() {
  const t = useT();
  const player = useConsoleStore((s) => s.audio.player);
  return (
    <Box
      testId="player"
      title={t('metrics.player')}
      rows={[
        [t('metrics.underruns'), String(player.underruns)],
        [t('metrics.buffered'), t('common.ms', { n: formatMs(player.bufferedMs) })],
      ]}
    />
  );
}

function RatesBox() {
  const t = useT();
  const g = useConsoleStore((s) => s.audio.granted);
  const hz = (n: number | undefined) => (n === undefined ? t('common.none') : t('common.hz', { n }));
  return (
    <Box
      testId="rates"
      title={t('metrics.rates')}
      rows={[
        [t('metrics.rate.inputContext'), hz(g.inputContextRate)],
        [t('metrics.rate.input'), hz(g.inputRate)],
        [t('metrics.rate.outputContext'), hz(g.outputContextRate)],
        [t('metrics.rate.output'), hz(g.outputRate)],
        [t('metrics.rate.outputLatency'), g.outputLatencyMs === undefined ? t('common.none') : t('common.ms', { n: formatMs(g.outputLatencyMs) })],
      ]}
    />
  );
}
