/**
 * Mapping relay paths onto the upstream: the WebSocket URL with the browser's query, and the REST
 * endpoints next to it (`wss:` → `https:`, `ws:` → `http:`).
 */

/** Upstream WebSocket URL for one connection: the configured URL with the browser's query merged in. */
export function upstreamSocketUrl(upstream: URL, search: string): URL {
  const url = new URL(upstream.href);
  for (const [name, value] of new URLSearchParams(search)) url.searchParams.set(name, value);
  return url;
}

/** The http(s) counterpart of the upstream realtime URL (same path, no query). */
function httpRealtimeUrl(upstream: URL): URL {
  const url = new URL(upstream.href);
  url.protocol = upstream.protocol === 'wss:' ? 'https:' : 'http:';
  url.search = '';
  url.hash = '';
  return url;
}

/** The REST routes the relay forwards, relative to `/relay/v1/`. */
export type RelayRestRoute = 'realtime' | 'models' | 'realtime/voiceList';

/**
 * The upstream URL of a relayed REST call: the pre-check (`realtime`, same path and query as the
 * socket), the model list (next to the realtime path's parent) or the voice list (under it).
 */
export function upstreamRestUrl(upstream: URL, route: RelayRestRoute, search: string): URL {
  const realtime = httpRealtimeUrl(upstream);
  const base = realtime.pathname.replace(/\/+$/, '');
  if (route === 'realtime') {
    const url = upstreamSocketUrl(upstream, search);
    url.protocol = realtime.protocol;
    return url;
  }
  const url = new URL(realtime.href);
  url.pathname = route === 'models' ? `${base.replace(/\/[^/]*$/, '')}/models` : `${base}/voiceList`;
  return url;
}

/** Upstream URL for display (server-info, logs): scheme, host and path only. */
export function displayUpstream(upstream: URL): string {
  return `${upstream.protocol}//${upstream.host}${upstream.pathname}`;
}
