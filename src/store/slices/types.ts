import type { ConsoleState } from '../store';

/** zustand `set` as the slices use it (merge of top-level keys). */
export type SetState = (partial: Partial<ConsoleState> | ((state: ConsoleState) => Partial<ConsoleState>)) => void;
/** zustand `get`. */
export type GetState = () => ConsoleState;
