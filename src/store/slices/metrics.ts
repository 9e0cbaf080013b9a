import { readUsage, type TokenUsage, type TurnSpan } from '../metrics-math';
import type { GetState, SetState } from './types';

/** Milestones the bridge reports. */
export type Milestone =
  | 'speechStopped'
  | 'committed'
  | 'textSent'
  | 'responseCreated'
  | 'firstText'
  | 'firstAudio'
  | 'firstAudible'
  | 'done';

/** Metrics state. */
export interface MetricsData {
  /** Most recent turns, oldest first (bounded to {@link MAX_TURNS}). */
  turns: TurnSpan[];
  nextTurnId: number;
  /** Token usage summed over every `response.done`. */
  totals: TokenUsage;
  responses: number;
}

export interface MetricsSlice {
  metrics: MetricsData;
  /**
   * Records a milestone at epoch ms `at`.
   * - `speechStopped` / `committed` / `textSent` open a new turn unless the open turn is still waiting for its
   *   response (so stopped → committed land in one turn).
   * - `responseCreated` attaches `responseId` to the open turn waiting for a response, or opens a turn
   *   (server-initiated responses, e.g. the greeting).
   * - `firstText` / `firstAudio` / `firstAudible` / `done` go to the turn of `responseId` (else the newest);
   *   only the first occurrence counts.
   */
  recordMilestone(milestone: Milestone, at: number, responseId?: string): void;
  /** `response.done`: records done time, status and usage (either dialect's usage object). */
  recordResponseDone(responseId: string | undefined, at: number, status?: string, usage?: unknown): void;
  clearMetrics(): void;
}

/** Turns kept. */
export const MAX_TURNS = 500;

export function initialMetrics(): MetricsData {
  return { turns: [], nextTurnId: 1, totals: { inputTokens: 0, outputTokens: 0, totalTokens: 0 }, responses: 0 };
}

const FIELD: Record<Milestone, keyof TurnSpan> = {
  speechStopped: 'speechStoppedAt',
  committed: 'committedAt',
  textSent: 'textSentAt',
  responseCreated: 'responseCreatedAt',
  firstText: 'firstTextAt',
  firstAudio: 'firstAudioAt',
  firstAudible: 'firstAudibleAt',
  done: 'doneAt',
};

/** Pure reducer behind `recordMilestone` (exported for tests). */
export function applyMilestone(m: MetricsData, milestone: Milestone, at: number, responseId?: string): MetricsData {
  const turns = m.turns.slice();
  let nextTurnId = m.nextTurnId;
  const open = () => {
    const t: TurnSpan = { turnId: nextTurnId++ };
    turns.push(t);
    if (turns.length > MAX_TURNS) turns.splice(0, turns.length - MAX_TURNS);
    return turns.length - 1;
  };
  const last = turns.length - 1;
  const waiting = last >= 0 && turns[last].responseCreatedAt === undefined && turns[last].doneAt === undefined;
  let idx: number;
  switch (milestone) {
    case 'speechStopped':
    case 'committed':
    case 'textSent': {
      const field = FIELD[milestone];
      idx = waiting && turns[last][field] === undefined ? last : open();
      break;
    }
    case 'responseCreated':
      idx = waiting ? last : open();
      break;
    default: {
      idx = responseId ? turns.findIndex((t) => t.responseId === responseId) : -1;
      if (idx < 0) idx = last;
      if (idx < 0) return m;
    }
  }
  const span: TurnSpan = { ...turns[idx] };
  const field = FIELD[milestone];
  if (span[field] === undefined) (span as unknown as Record<string, unknown>)[field] = at;
  if (milestone === 'responseCreated' && responseId) span.responseId = responseId;
  turns[idx] = span;
  return { ...m, turns, nextTurnId };
}

export function createMetricsSlice(set: SetState, _get: GetState): MetricsSlice {
  return {
    metrics: initialMetrics(),
    recordMilestone: (milestone, at, responseId) => set((s) => ({ metrics: applyMilestone(s.metrics, milestone, at, responseId) })),
    recordResponseDone: (responseId, at, status, usage) =>
      set((s) => {
        const m = applyMilestone(s.metrics, 'done', at, responseId);
        const u = readUsage(usage);
        const idx = responseId ? m.turns.findIndex((t) => t.responseId === responseId) : m.turns.length - 1;
        if (idx >= 0) m.turns[idx] = { ...m.turns[idx], status, usage: u };
        const totals = u
          ? {
              inputTokens: m.totals.inputTokens + u.inputTokens,
              outputTokens: m.totals.outputTokens + u.outputTokens,
              totalTokens: m.totals.totalTokens + u.totalTokens,
            }
          : m.totals;
        return { metrics: { ...m, totals, responses: m.responses + 1 } };
      }),
    clearMetrics: () => set({ metrics: initialMetrics() }),
  };
}
