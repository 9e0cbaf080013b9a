/**
 * Static files of the built console (`dist/`) for the standalone server: GET/HEAD only, no path
 * escapes, SPA fallback to index.html for extensionless paths, long caching for hashed assets, and
 * the Content-Security-Policy of the built console.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { sendError } from './json';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The console's Content-Security-Policy: only its own scripts; sockets and fetches to any realtime
 * endpoint (the user picks the URL); audio from blobs; worklets and workers from itself or blobs.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "connect-src 'self' ws: wss: https: http: blob:",
  "media-src 'self' blob: data:",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/** Headers sent with every static answer. */
export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONSOLE_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/** Serves `root`; returns a request handler that always answers. */
export function createStaticHandler(root: string): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const base = normalize(root.endsWith(sep) ? root : root + sep);
  const resolveInside = (urlPath: string): string | null => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(urlPath);
    } catch {
      return null;
    }
    if (decoded.includes('\0')) return null;
    const file = normalize(join(base, decoded));
    return file.startsWith(base) ? file : null;
  };

  const sendFile = async (req: IncomingMessage, res: ServerResponse, file: string, immutable: boolean): Promise<boolean> => {
    let info;
    try {
      info = await stat(file);
    } catch {
      return false;
    }
    if (!info.isFile()) return false;
    const type = MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': type,
      'Content-Length': String(info.size),
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'Last-Modified': info.mtime.toUTCString(),
    });
    if (req.method === 'HEAD') {
      res.end();
      return true;
    }
    await new Promise<void>((resolve) => {
      const stream = createReadStream(file);
      stream.on('error', () => {
        res.destroy();
        resolve();
      });
      res.on('close', () => {
        stream.destroy();
        resolve();
      });
      stream.pipe(res);
    });
    return true;
  };

  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendError(res, 405, 'method_not_allowed', 'Only GET and HEAD are supported here.', { Allow: 'GET, HEAD' });
      return;
    }
    let pathname: string;
    try {
      pathname = new URL(req.url ?? '/', 'http://static.invalid').pathname;
    } catch {
      sendError(res, 400, 'bad_request', 'Malformed URL.');
      return;
    }
    const file = resolveInside(pathname.endsWith('/') ? `${pathname}index.html` : pathname);
    if (!file) {
      sendError(res, 400, 'bad_request', 'Invalid path.');
      return;
    }
    if (await sendFile(req, res, file, pathname.startsWith('/assets/'))) return;
    // SPA fallback: unknown routes without a file extension get the console itself.
    if (!extname(pathname) && (await sendFile(req, res, join(base, 'index.html'), false))) return;
    sendError(res, 404, 'not_found', `No file at ${pathname}.`);
  };
}
