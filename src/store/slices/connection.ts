import type { GetState, SetState } from './types';

/** Connection lifecycle (DESIGN §4: an explicit state machine). */
export type ConnectionStatus = 'idle' | 'connecting' | 'open' | 'closing' | 'closed' | 'reconnecting';

/** A typed connection failure as the UI shows it. */
export interface ConnectionErrorInfo {
  /** Machine reason, e.g. `unreachable`, `unauthorized`, `rate_limited`, `bad_model`, `handshake_timeout`, `mic_denied`. */
  reason: string;
  /** Human message (may come from the server). */
  message: string;
  /** i18n key of the remedy text (part B's dictionary entries). */
  remedyKey: string;
  /** WebSocket close code or server error code. */
  code?: number | string;
  /** HTTP status of the pre-check, if any. */
  status?: number;
  /** Extra detail (response body excerpt, close reason). Never a secret. */
  detail?: string;
}

/** Connection data. `profileId`, `url`, `model`, `userId` are persisted; the API key is never in the store. */
export interface ConnectionData {
  profileId: string;
  /** Empty = the profile's default URL. */
  url: string;
  model: string;
  userId: string;
  state: ConnectionStatus;
  error: ConnectionErrorInfo | null;
  /** Epoch ms the socket opened (origin of the log's `t`), null when not open. */
  connectedAt: number | null;
  /** Increments on every new connection attempt; conversation items remember theirs. */
  connectionId: number;
  /** Dialect of the current connection, once known. */
  dialect: 'beta' | 'ga' | null;
}

/** Editable, persisted connection fields. */
export type ProfileFields = Pick<ConnectionData, 'profileId' | 'url' | 'model' | 'userId'>;

export interface ConnectionSlice {
  connection: ConnectionData;
  /**
   * Moves the state machine. `connecting` from a non-connecting state starts a new connection (connectionId+1,
   * error cleared); `open` sets `connectedAt` (`at`, default now); `closed`/`idle` clear `connectedAt`.
   */
  setConnectionState(state: ConnectionStatus, at?: number): void;
  /** Sets (or clears with null) the typed error. */
  setConnectionError(error: ConnectionErrorInfo | null): void;
  /** Edits profile fields (persisted). */
  setProfileFields(fields: Partial<ProfileFields>): void;
  /** Records the dialect of the current connection. */
  setDialect(dialect: 'beta' | 'ga' | null): void;
}

/** Initial connection data. */
export function initialConnection(): ConnectionData {
  return {
    profileId: 'local',
    url: '',
    model: '',
    userId: '',
    state: 'idle',
    error: null,
    connectedAt: null,
    connectionId: 0,
    dialect: null,
  };
}

export function createConnectionSlice(set: SetState, _get: GetState): ConnectionSlice {
  return {
    connection: initialConnection(),
    setConnectionState: (state, at) =>
      set((s) => {
        const c = s.connection;
        const next: ConnectionData = { ...c, state };
        if (state === 'connecting' && c.state !== 'connecting') {
          next.connectionId = c.connectionId + 1;
          next.error = null;
          next.connectedAt = null;
        }
        if (state === 'open') next.connectedAt = at ?? Date.now();
        if (state === 'closed' || state === 'idle') next.connectedAt = null;
        return { connection: next };
      }),
    setConnectionError: (error) => set((s) => ({ connection: { ...s.connection, error } })),
    setProfileFields: (fields) => set((s) => ({ connection: { ...s.connection, ...fields } })),
    setDialect: (dialect) => set((s) => ({ connection: { ...s.connection, dialect } })),
  };
}
