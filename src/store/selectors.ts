// Selectors. Those returning new objects/arrays must be used with `useShallow` (zustand/react/shallow) or memoised.
import { diffSession, instructionsOf, toSessionConfig, type SessionDiffRow } from './settings';
import { phaseStats, type PhaseStats } from './metrics-math';
import type { ConsoleState } from './store';
import type { ConversationItem } from './slices/conversation';

/** True while a socket is open or being opened. */
export const selectIsConnected = (s: ConsoleState): boolean => s.connection.state === 'open';
export const selectIsBusy = (s: ConsoleState): boolean =>
  s.connection.state === 'connecting' || s.connection.state === 'closing' || s.connection.state === 'reconnecting';
/** The instructions string of the requested settings. */
export const selectInstructions = (s: ConsoleState): string => instructionsOf(s.session.requested);
/** The flat config to send with `session.update`. */
export const selectSessionConfig = (s: ConsoleState) => toSessionConfig(s.session.requested);
/** `manual` (push-to-talk) or `server_vad`. */
export const selectTurnMode = (s: ConsoleState): 'manual' | 'server_vad' => s.session.requested.turnDetection.mode;
/** Conversation items in order (new array when the conversation changed; use with useShallow). */
export const selectItems = (s: ConsoleState): ConversationItem[] => s.conversation.order.map((id) => s.conversation.items[id]);
export const selectItemIds = (s: ConsoleState): string[] => s.conversation.order;

const diffCache = new WeakMap<object, { effective: unknown; rows: SessionDiffRow[] }>();
/** Requested vs effective diff (memoised per requested/effective pair). */
export const selectSessionDiff = (s: ConsoleState): SessionDiffRow[] => {
  const cached = diffCache.get(s.session.requested);
  if (cached && cached.effective === s.session.effective) return cached.rows;
  const rows = diffSession(s.session.requested, s.session.effective);
  diffCache.set(s.session.requested, { effective: s.session.effective, rows });
  return rows;
};

const statsCache = new WeakMap<object, PhaseStats[]>();
/** p50/p95 per phase over the kept turns (memoised per turns array). */
export const selectPhaseStats = (s: ConsoleState): PhaseStats[] => {
  let r = statsCache.get(s.metrics.turns);
  if (!r) {
    r = phaseStats(s.metrics.turns);
    statsCache.set(s.metrics.turns, r);
  }
  return r;
};
