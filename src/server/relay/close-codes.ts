/** How upstream failures become close codes towards the browser (DESIGN §7). */

/** Close codes of the relay's own making. */
export const RelayClose = {
  unauthorized: 4401,
  forbidden: 4403,
  rateLimited: 4429,
  unreachable: 4502,
  timeout: 4504,
  /** The browser sent more than the relay queues before the upstream opened. */
  queueFull: 1013,
  tooBig: 1009,
  goingAway: 1001,
  internal: 1011,
} as const;

/** Close code for an HTTP status the upstream answered the upgrade with. */
export function closeCodeForStatus(status: number): number {
  if (status === 401) return RelayClose.unauthorized;
  if (status === 403) return RelayClose.forbidden;
  if (status === 429) return RelayClose.rateLimited;
  if (status === 504 || status === 408) return RelayClose.timeout;
  if (status >= 400 && status < 500) return 4000 + status; // e.g. 4404 for an unknown model
  return RelayClose.unreachable;
}

/** Close code for a network-level error while connecting to the upstream. */
export function closeCodeForError(error: Error & { code?: string }): number {
  if (/handshake has timed out/i.test(error.message) || error.code === 'ETIMEDOUT') return RelayClose.timeout;
  return RelayClose.unreachable;
}

/** True when `ws` may send this code in a close frame (1005, 1006 and 1015 are reserved). */
export function isSendableCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
}
