import type { ServerResponse } from 'node:http';

/** Writes a JSON body with no caching. */
export function sendJson(res: ServerResponse, status: number, value: unknown, extraHeaders: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    ...extraHeaders,
  });
  res.end(res.req?.method === 'HEAD' ? undefined : body);
}

/** Writes an error in the OpenAI shape `{error:{type, code, message, param}}`. */
export function sendError(res: ServerResponse, status: number, code: string, message: string, extraHeaders: Record<string, string> = {}): void {
  sendJson(res, status, { error: { type: 'invalid_request_error', code, message, param: null } }, extraHeaders);
}
