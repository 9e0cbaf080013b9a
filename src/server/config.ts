/**
 * Server configuration from the environment (`.env` is loaded by the caller: Vite's `loadEnv` in
 * development, `process.loadEnvFile` in the standalone server). Pure: no I/O, no process access.
 */

/** Default upstream of the relay. */
export const DEFAULT_UPSTREAM_URL = 'wss://api.xstar.city/v1/realtime';
/** Default port of the console and the standalone server. */
export const DEFAULT_PORT = 4001;
/** Default bind address: loopback only. */
export const DEFAULT_HOST = '127.0.0.1';

/** A configuration value that cannot be used; the message names the variable, never a secret. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The resolved configuration of the embedded server. */
export interface ServerConfig {
  /** Port to listen on (standalone server); 0 picks a free one. */
  port: number;
  /** Bind address (standalone server). */
  host: string;
  relay: {
    /** Upstream realtime WebSocket URL (ws: or wss:). */
    upstreamUrl: URL;
    /** The server-held key; the relay is enabled only when this is set. */
    apiKey: string | null;
    /** Explicitly allowed Origins (normalised), or null for "the console's own origin". */
    allowedOrigins: string[] | null;
    /** Directory for JSONL recordings, or null when recording is off. */
    recordDir: string | null;
    /**
     * Optional shared secret the browser must present to use the relay (as its API key: the
     * `openai-insecure-api-key.` subprotocol or `Authorization: Bearer`). Null = Origin policy only.
     */
    accessToken: string | null;
  };
  emulator: {
    /** When set, the emulator accepts only this key. */
    apiKey: string | null;
    /** Directories searched for `?replay=NAME` files: REPLAY_DIR (default `./recordings`), then RECORD_DIR. */
    replayDirs?: string[];
  };
}

function nonEmpty(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/** Parses a port number (0–65535). */
export function parsePort(value: string | undefined, fallback = DEFAULT_PORT): number {
  const text = nonEmpty(value);
  if (text === null) return fallback;
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw new ConfigError(`PORT must be an integer 0–65535, got "${text}"`);
  return Number(text);
}

/** Parses the upstream realtime URL; only ws: and wss: are accepted. */
export function parseUpstreamUrl(value: string | undefined): URL {
  const text = nonEmpty(value) ?? DEFAULT_UPSTREAM_URL;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`REALTIME_UPSTREAM_URL is not a URL: "${text}"`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new ConfigError(`REALTIME_UPSTREAM_URL must start with ws:// or wss://, got "${url.protocol}"`);
  }
  if (url.username || url.password) throw new ConfigError('REALTIME_UPSTREAM_URL must not contain credentials');
  return url;
}

/**
 * Normalises an Origin for comparison: lower case, default ports dropped, and the loopback names
 * `localhost`, `127.0.0.1` and `[::1]` treated alike (all become `localhost`). Returns null for
 * anything that is not an http(s) origin.
 */
export function normalizeOrigin(origin: string): string | null {
  let url: URL;
  try {
    url = new URL(origin.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const host = isLoopbackHostname(url.hostname) ? 'localhost' : url.hostname.toLowerCase();
  return `${url.protocol}//${host}${url.port ? `:${url.port}` : ''}`;
}

/** True for `localhost`, `127.x.x.x`, `::1` (bracketed or not). */
export function isLoopbackHostname(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(?:\.\d{1,3}){3}$/.test(h);
}

/** Parses `RELAY_ALLOWED_ORIGINS` (comma list) into normalised origins; `*` is refused on purpose. */
export function parseAllowedOrigins(value: string | undefined): string[] | null {
  const text = nonEmpty(value);
  if (text === null) return null;
  const origins: string[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    if (part === '*') throw new ConfigError('RELAY_ALLOWED_ORIGINS must list origins; "*" would lend the key to any web page');
    const normalised = normalizeOrigin(part);
    if (!normalised) throw new ConfigError(`RELAY_ALLOWED_ORIGINS contains an invalid origin: "${part}"`);
    origins.push(normalised);
  }
  return origins.length ? origins : null;
}

/** Builds the configuration from environment variables; throws {@link ConfigError} on bad values. */
export function loadServerConfig(env: Record<string, string | undefined>): ServerConfig {
  return {
    port: parsePort(env.PORT),
    host: nonEmpty(env.HOST) ?? DEFAULT_HOST,
    relay: {
      upstreamUrl: parseUpstreamUrl(env.REALTIME_UPSTREAM_URL),
      apiKey: nonEmpty(env.REALTIME_API_KEY),
      allowedOrigins: parseAllowedOrigins(env.RELAY_ALLOWED_ORIGINS),
      recordDir: nonEmpty(env.RECORD_DIR),
      accessToken: nonEmpty(env.RELAY_ACCESS_TOKEN),
    },
    emulator: {
      apiKey: nonEmpty(env.EMULATOR_API_KEY),
      replayDirs: [nonEmpty(env.REPLAY_DIR) ?? './recordings', ...(nonEmpty(env.RECORD_DIR) ? [nonEmpty(env.RECORD_DIR)!] : [])],
    },
  };
}
