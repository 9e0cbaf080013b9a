// Failures → the typed error the connection bar shows, with the i18n key of its remedy. Duck-typed so this module
// (and the bridge) never import the browser audio engine.
import type { ConnectionErrorInfo } from '../store';

/** Reasons the UI knows a remedy for. */
export const REMEDY_REASONS = [
  'mic_denied',
  'no_microphone',
  'audio_unsupported',
  'unauthorized',
  'forbidden',
  'rate_limited',
  'bad_model',
  'unreachable',
  'relay_unreachable',
  'timeout',
  'no_session_created',
  'closed',
  'http_error',
  'insecure_browser_key',
  'invalid_url',
  'unknown',
] as const;

/** One of {@link REMEDY_REASONS}. */
export type RemedyReason = (typeof REMEDY_REASONS)[number];

/** The i18n key of a reason's remedy. */
export function remedyKeyFor(reason: string): `conn.remedy.${RemedyReason}` {
  const r = (REMEDY_REASONS as readonly string[]).includes(reason) ? (reason as RemedyReason) : 'unknown';
  return `conn.remedy.${r}`;
}

interface ErrorLike {
  name?: string;
  message?: string;
  reason?: string;
  status?: number;
  code?: number;
  closeReason?: string;
  body?: string;
}

/** Maps a connection failure (ConnectionError, InvalidArgumentError, anything) to the banner's error. */
export function connectionErrorInfo(err: unknown, opts: { relay?: boolean } = {}): ConnectionErrorInfo {
  const e = (err && typeof err === 'object' ? err : { message: String(err) }) as ErrorLike;
  const message = e.message || String(err);
  if (e.name === 'InvalidArgumentError') return { reason: 'invalid_url', message, remedyKey: remedyKeyFor('invalid_url') };
  let reason = e.name === 'ConnectionError' && e.reason ? e.reason : 'unknown';
  if (reason === 'unreachable' && opts.relay) reason = 'relay_unreachable';
  const info: ConnectionErrorInfo = { reason, message, remedyKey: remedyKeyFor(reason) };
  if (typeof e.status === 'number') info.status = e.status;
  if (typeof e.code === 'number') info.code = e.code;
  const detail = e.closeReason || (e.body ? e.body.slice(0, 300) : '');
  if (detail) info.detail = detail;
  return info;
}

/** Maps an audio start failure (AudioEngineError reasons) to the banner's error. */
export function audioErrorInfo(err: unknown): ConnectionErrorInfo {
  const e = (err && typeof err === 'object' ? err : { message: String(err) }) as ErrorLike;
  const r = e.reason === 'microphone-denied' ? 'mic_denied' : e.reason === 'no-microphone' ? 'no_microphone' : 'audio_unsupported';
  return { reason: r, message: e.message || String(err), remedyKey: remedyKeyFor(r) };
}
