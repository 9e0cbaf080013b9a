/**
 * Relayed REST calls (pre-check, model list, voice list): forwarded to the upstream with the
 * server-held key; the answer's status, content type and body go back unchanged (the key, should an
 * upstream echo it, is redacted). Redirects are refused so the key is never sent anywhere else.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Redactor } from './redact';

/** Options of {@link forwardRest}. */
export interface ForwardOptions {
  target: URL;
  apiKey: string;
  redact: Redactor;
  /** Default 15 000 ms, then 504. */
  timeoutMs?: number;
  /** Largest upstream body passed on. Default 8 MiB, then 502. */
  maxBodyBytes?: number;
}

/** Writes a JSON error in the OpenAI shape. */
export function sendJsonError(res: ServerResponse, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { type: 'invalid_request_error', code, message, param: null } });
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(body);
}

/** Forwards one GET to the upstream and pipes the answer back. Never throws. */
export async function forwardRest(req: IncomingMessage, res: ServerResponse, options: ForwardOptions): Promise<void> {
  const headers: Record<string, string> = { Authorization: `Bearer ${options.apiKey}`, Accept: req.headers.accept ?? 'application/json' };
  const beta = req.headers['openai-beta'];
  if (typeof beta === 'string') headers['OpenAI-Beta'] = beta;
  let response: Response;
  try {
    response = await fetch(options.target, {
      method: 'GET',
      headers,
      redirect: 'error',
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') sendJsonError(res, 504, 'upstream_timeout', 'The upstream did not answer in time.');
    else sendJsonError(res, 502, 'upstream_unreachable', 'The upstream could not be reached.');
    return;
  }
  try {
    const limit = options.maxBodyBytes ?? 8 * 1024 * 1024;
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > limit) {
      await response.body?.cancel();
      sendJsonError(res, 502, 'upstream_body_too_large', 'The upstream answer is too large to relay.');
      return;
    }
    let body = Buffer.from(await response.arrayBuffer());
    if (body.length > limit) {
      sendJsonError(res, 502, 'upstream_body_too_large', 'The upstream answer is too large to relay.');
      return;
    }
    if (body.includes(options.apiKey)) body = Buffer.from(options.redact(body.toString('utf8')), 'utf8');
    const out: Record<string, string> = { 'Cache-Control': 'no-store' };
    const type = response.headers.get('content-type');
    if (type) out['Content-Type'] = type;
    const retry = response.headers.get('retry-after');
    if (retry) out['Retry-After'] = retry;
    res.writeHead(response.status, out);
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch {
    if (!res.headersSent) sendJsonError(res, 502, 'upstream_failed', 'The upstream answer could not be read.');
    else res.destroy();
  }
}
