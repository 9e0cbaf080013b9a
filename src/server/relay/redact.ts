/**
 * Secret redaction for logs, recordings and close reasons: the server-held key, bearer tokens and
 * the browser's `openai-insecure-api-key.*` subprotocol never leave this server in clear.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** Replacement text for a removed secret. */
export const REDACTED = '[redacted]';

const PATTERNS: RegExp[] = [
  /(Bearer\s+)[^\s",']+/gi,
  /(openai-insecure-api-key\.)[^\s",']+/gi,
  /(\bsk-)[A-Za-z0-9_-]{8,}/g,
];

/** A function that removes `secrets` (exact strings) and well-known key shapes from a text. */
export type Redactor = (text: string) => string;

/** Builds a {@link Redactor} for the given secrets (empty strings are ignored). */
export function createRedactor(secrets: readonly (string | null | undefined)[]): Redactor {
  const exact = secrets.filter((s): s is string => typeof s === 'string' && s.length > 0);
  return (text) => {
    let out = text;
    for (const secret of exact) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    for (const pattern of PATTERNS) out = out.replace(pattern, `$1${REDACTED}`);
    return out;
  };
}

/** Copies request headers for a log or recording with `Authorization`, cookies and key subprotocols redacted. */
export function redactHeaders(headers: IncomingHttpHeaders, redact: Redactor): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    const lower = name.toLowerCase();
    out[lower] = lower === 'authorization' || lower === 'cookie' || lower === 'proxy-authorization' ? REDACTED : redact(text);
  }
  return out;
}

/**
 * Truncates a WebSocket close reason to the protocol's 123-byte limit without splitting a UTF-8
 * character, after redaction.
 */
export function closeReason(text: string, redact: Redactor): string {
  const clean = redact(text);
  const bytes = Buffer.from(clean, 'utf8');
  if (bytes.length <= 123) return clean;
  let end = 123;
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--; // step back to a character boundary
  return bytes.subarray(0, end).toString('utf8');
}
