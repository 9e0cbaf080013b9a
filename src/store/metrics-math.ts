// Pure latency statistics over per-turn spans.

/** The milestones of one turn, epoch ms (DESIGN §3 step 7). */
export interface TurnSpan {
  turnId: number;
  /** The response this turn produced, once known. */
  responseId?: string;
  speechStoppedAt?: number;
  committedAt?: number;
  /** The user sent text (no audio) to start this turn. */
  textSentAt?: number;
  responseCreatedAt?: number;
  firstTextAt?: number;
  firstAudioAt?: number;
  /** First rendered sample plus the output latency of the context. */
  firstAudibleAt?: number;
  doneAt?: number;
  status?: string;
  usage?: TokenUsage;
}

/** Token usage of one `response.done`. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
}

/** The phases the waterfall draws and the statistics cover. */
export const PHASES = [
  { id: 'stopToCommit', from: 'speechStoppedAt', to: 'committedAt' },
  { id: 'commitToCreated', from: 'committedAt', to: 'responseCreatedAt' },
  { id: 'createdToFirstText', from: 'responseCreatedAt', to: 'firstTextAt' },
  { id: 'createdToFirstAudio', from: 'responseCreatedAt', to: 'firstAudioAt' },
  { id: 'firstAudioToAudible', from: 'firstAudioAt', to: 'firstAudibleAt' },
  { id: 'createdToDone', from: 'responseCreatedAt', to: 'doneAt' },
  { id: 'endToEnd', from: 'turnStart', to: 'firstAudibleAt' },
] as const;

/** A phase id. */
export type PhaseId = (typeof PHASES)[number]['id'];

/** When the user's side of the turn ended: speech stopped, else commit, else text sent. */
export function turnStart(span: TurnSpan): number | undefined {
  return span.speechStoppedAt ?? span.committedAt ?? span.textSentAt;
}

/** Duration of `phase` in `span`, ms, or undefined when a milestone is missing (or out of order). */
export function phaseDuration(span: TurnSpan, phase: PhaseId): number | undefined {
  const p = PHASES.find((x) => x.id === phase)!;
  const from = p.from === 'turnStart' ? turnStart(span) : span[p.from];
  const to = span[p.to];
  if (from === undefined || to === undefined) return undefined;
  const d = to - from;
  return d >= 0 ? d : undefined;
}

/**
 * Percentile with linear interpolation between closest ranks (the common "R-7" definition):
 * p in [0, 100]; NaN for an empty sample.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

/** p50/p95 and sample count of one phase. */
export interface PhaseStats {
  phase: PhaseId;
  count: number;
  p50: number;
  p95: number;
}

/** Statistics of every phase over `spans`. */
export function phaseStats(spans: readonly TurnSpan[]): PhaseStats[] {
  return PHASES.map(({ id }) => {
    const values: number[] = [];
    for (const s of spans) {
      const d = phaseDuration(s, id);
      if (d !== undefined) values.push(d);
    }
    return { phase: id, count: values.length, p50: percentile(values, 50), p95: percentile(values, 95) };
  });
}

/** Reads `response.done` usage of either dialect into {@link TokenUsage}. */
export function readUsage(usage: unknown): TokenUsage | undefined {
  if (!usage || typeof usage !== 'object') return undefined;
  const u = usage as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  const inputTokens = num(u.input_tokens);
  const outputTokens = num(u.output_tokens);
  const totalTokens = typeof u.total_tokens === 'number' ? u.total_tokens : inputTokens + outputTokens;
  return { inputTokens, outputTokens, totalTokens };
}
