/** Typed failures of the realtime client. */

import type { WireError } from './protocol';

/** Why a connection failed or ended. */
export type ConnectionFailureReason =
  | 'unreachable'
  | 'unauthorized'
  | 'forbidden'
  | 'rate_limited'
  | 'bad_model'
  | 'timeout'
  | 'no_session_created'
  | 'closed'
  | 'http_error'
  | 'insecure_browser_key'
  | 'no_websocket'
  | 'aborted';

/** Details that prove a {@link ConnectionError}. */
export interface ConnectionErrorDetails {
  /** HTTP status of the pre-check. */
  status?: number;
  /** HTTP body of the pre-check (text, truncated to 4 KiB). */
  body?: string;
  /** WebSocket close code. */
  code?: number;
  /** WebSocket close reason. */
  closeReason?: string;
  cause?: unknown;
}

/** Base class of every error the library creates. */
export class RealtimeError extends Error {
  override name = 'RealtimeError';
}

/** A connection could not be made, or ended. `reason` says why; `status`/`body`/`code` prove it. */
export class ConnectionError extends RealtimeError {
  override name = 'ConnectionError';
  readonly reason: ConnectionFailureReason;
  readonly status?: number;
  readonly body?: string;
  readonly code?: number;
  readonly closeReason?: string;

  constructor(reason: ConnectionFailureReason, message: string, details: ConnectionErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.reason = reason;
    if (details.status !== undefined) this.status = details.status;
    if (details.body !== undefined) this.body = details.body;
    if (details.code !== undefined) this.code = details.code;
    if (details.closeReason !== undefined) this.closeReason = details.closeReason;
  }
}

/** A frame from the server that is not a valid event (not JSON, no `type`), or a server `error` event. */
export class RealtimeProtocolError extends RealtimeError {
  override name = 'RealtimeProtocolError';
  /** The offending frame (truncated) or the server error object. */
  readonly frame?: string;
  readonly serverError?: WireError;
  constructor(message: string, opts: { frame?: string; serverError?: WireError; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    if (opts.frame !== undefined) this.frame = opts.frame;
    if (opts.serverError !== undefined) this.serverError = opts.serverError;
  }
}

/** The client was asked to do something its state does not allow (e.g. send while disconnected). */
export class ClientStateError extends RealtimeError {
  override name = 'ClientStateError';
}

/** Invalid arguments to a public method (duplicate tool, bad content, …). */
export class InvalidArgumentError extends RealtimeError {
  override name = 'InvalidArgumentError';
}

/** A `waitFor…` helper timed out. */
export class WaitTimeoutError extends RealtimeError {
  override name = 'WaitTimeoutError';
}

/** A `waitFor…` helper was aborted through its AbortSignal. */
export class WaitAbortedError extends RealtimeError {
  override name = 'WaitAbortedError';
}

/** Maps an HTTP status of the pre-check to a failure reason. */
export function reasonForHttpStatus(status: number): ConnectionFailureReason {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 429) return 'rate_limited';
  if (status === 400 || status === 404) return 'bad_model';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 502 || status === 503) return 'unreachable';
  return 'http_error';
}

/** Maps a close code from the local relay (DESIGN §7) to a failure reason; null for ordinary codes. */
export function reasonForCloseCode(code: number): ConnectionFailureReason | null {
  switch (code) {
    case 4401:
      return 'unauthorized';
    case 4403:
      return 'forbidden';
    case 4429:
      return 'rate_limited';
    case 4502:
      return 'unreachable';
    case 4504:
      return 'timeout';
    default:
      return null;
  }
}
