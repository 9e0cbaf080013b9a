// How the history panel finds the page's history writer: main.tsx installs it; tests provide their own.
import { createContext, createElement, useContext, type ReactNode } from 'react';
import type { SessionPersistence } from './recorder';

let installed: SessionPersistence | null = null;

/** Makes `p` the page's history (called once by main.tsx). */
export function installHistory(p: SessionPersistence | null): void {
  installed = p;
}

const HistoryContext = createContext<SessionPersistence | null>(null);

/** Provides another history to a subtree (tests). */
export function HistoryProvider(props: { history: SessionPersistence; children?: ReactNode }) {
  return createElement(HistoryContext.Provider, { value: props.history }, props.children);
}

/** The history in scope: the provided one, else the installed one, else null (IndexedDB unavailable). */
export function useHistory(): SessionPersistence | null {
  return useContext(HistoryContext) ?? installed;
}
