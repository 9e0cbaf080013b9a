import { defaultSessionSettings, type AgentTemplateFields, type SessionSettings } from '../settings';
import type { GetState, SetState } from './types';

/** Session editor state. */
export interface SessionData {
  /** What the console asks for (persisted). */
  requested: SessionSettings;
  /** The server's last `session.created`/`session.updated` `session` object as received (either dialect). */
  effective: Record<string, unknown> | null;
  /** `auto`: the bridge sends `session.update` on every change while connected; `button`: on "Apply". */
  applyMode: 'auto' | 'button';
  /** Requested settings changed since they were last sent. */
  dirty: boolean;
  /** Epoch ms of the last `session.update` sent. */
  lastAppliedAt: number | null;
  /** Keys the client reported it could not carry in the connection's dialect. */
  droppedKeys: string[];
}

export interface SessionSlice {
  session: SessionData;
  /** Merges a patch into the requested settings (or replaces them via a function); marks dirty. */
  updateRequested(patch: Partial<SessionSettings> | ((prev: SessionSettings) => SessionSettings)): void;
  /** Sets one agent-template field; marks dirty. */
  setTemplateField(key: keyof AgentTemplateFields, value: string): void;
  /** The bridge sent `session.update`: clears dirty, records the time and the keys the dialect dropped. */
  markApplied(at?: number, droppedKeys?: string[]): void;
  /** Stores the server's session (from `session.created` / `session.updated`), or clears it on disconnect. */
  setEffective(session: Record<string, unknown> | null): void;
  setApplyMode(mode: 'auto' | 'button'): void;
  /** Back to the defaults; marks dirty. */
  resetRequested(): void;
}

export function initialSession(): SessionData {
  return { requested: defaultSessionSettings(), effective: null, applyMode: 'auto', dirty: false, lastAppliedAt: null, droppedKeys: [] };
}

export function createSessionSlice(set: SetState, _get: GetState): SessionSlice {
  return {
    session: initialSession(),
    updateRequested: (patch) =>
      set((s) => {
        const requested = typeof patch === 'function' ? patch(s.session.requested) : { ...s.session.requested, ...patch };
        return { session: { ...s.session, requested, dirty: true } };
      }),
    setTemplateField: (key, value) =>
      set((s) => ({
        session: {
          ...s.session,
          requested: { ...s.session.requested, template: { ...s.session.requested.template, [key]: value } },
          dirty: true,
        },
      })),
    markApplied: (at, droppedKeys) =>
      set((s) => ({ session: { ...s.session, dirty: false, lastAppliedAt: at ?? Date.now(), droppedKeys: droppedKeys ?? [] } })),
    setEffective: (effective) => set((s) => ({ session: { ...s.session, effective } })),
    setApplyMode: (applyMode) => set((s) => ({ session: { ...s.session, applyMode } })),
    resetRequested: () => set((s) => ({ session: { ...s.session, requested: defaultSessionSettings(), dirty: true } })),
  };
}
