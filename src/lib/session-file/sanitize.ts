// Nothing secret leaves the console: URLs lose credentials and every query parameter not known to be harmless;
// objects lose fields whose names say they hold a secret.

/** Query parameters kept in a recorded URL (everything else may be a key, e.g. `api_key`, `token`). */
const SAFE_QUERY = new Set(['model', 'userid', 'reply', 'fault', 'replay', 'replay_speed', 'intent', 'deployment', 'api-version']);

/** Field names whose values are replaced by {@link REDACTED}. */
const SECRET_FIELD = /^(api[-_]?key|apikey|authorization|client[-_]?secret|secret|password|access[-_]?token|token|key)$/i;

/** What a removed secret reads as. */
export const REDACTED = '[redacted]';

/** The URL without user info and without query parameters outside a small allow-list. Unparsable → ''. */
export function sanitizeUrl(url: string): string {
  if (url.trim() === '') return '';
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return '';
  }
  u.username = '';
  u.password = '';
  u.hash = '';
  for (const name of [...u.searchParams.keys()]) {
    if (!SAFE_QUERY.has(name.toLowerCase())) u.searchParams.delete(name);
  }
  return u.toString();
}

/**
 * A deep copy of a JSON value with secret-named fields redacted (strings replaced by {@link REDACTED}, objects
 * such as GA `client_secret: {value, expires_at}` likewise). Depth-bounded: deeper values are kept as they are.
 */
export function scrubSecrets<T>(value: T, depth = 0): T {
  if (depth > 32 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrubSecrets(v, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = SECRET_FIELD.test(k) && v !== null && v !== '' ? REDACTED : scrubSecrets(v, depth + 1);
  }
  return out as T;
}
