/** URL building for the WebSocket and the HTTP pre-check. */

import { InvalidArgumentError } from './errors';

/** Query parameters for a connection. */
export interface ConnectQuery {
  model?: string;
  userId?: string;
  /** Further parameters, appended in order; empty values are left out. */
  extra?: Readonly<Record<string, string | undefined>>;
}

/**
 * Appends `model`, `userId` and extra parameters to `base`, URL-encoded, whether or not `base` already has a query.
 * Empty values are left out; `model` values like `qwen-max@DashScope` pass through (encoded as the URL standard
 * requires, which servers decode back to the same string). Existing parameters of the same name are replaced.
 */
export function buildRealtimeUrl(base: string, query: ConnectQuery = {}): string {
  let url: URL;
  try {
    url = new URL(base);
  } catch (cause) {
    throw new InvalidArgumentError(`not a valid URL: ${base}`, { cause });
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new InvalidArgumentError(`a realtime URL must start with ws: or wss: (got ${url.protocol})`);
  }
  const set = (key: string, value: string | undefined) => {
    if (value === undefined || value === '') return;
    url.searchParams.set(key, value);
  };
  set('model', query.model);
  set('userId', query.userId);
  for (const [k, v] of Object.entries(query.extra ?? {})) set(k, v);
  return url.toString();
}

/** The pre-check URL for a WebSocket URL: same path and query, `ws:` -> `http:`, `wss:` -> `https:`. */
export function precheckUrl(wsUrl: string): string {
  const url = new URL(wsUrl);
  if (url.protocol === 'ws:') url.protocol = 'http:';
  else if (url.protocol === 'wss:') url.protocol = 'https:';
  return url.toString();
}
