/**
 * Who may use the relay. A request with an Origin header must carry an allowed origin; a request
 * without one (a Node client, curl) is accepted only from a loopback address.
 */
import type { IncomingMessage } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { isLoopbackHostname, normalizeOrigin } from '../config';

/** True when the TCP peer is on this machine's loopback interface. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.replace(/^::ffff:/i, '');
  return a === '::1' || /^127(?:\.\d{1,3}){3}$/.test(a);
}

/** Describes where this server listens, to derive "the console's own origin". */
export interface ListenInfo {
  port: number;
  tls: boolean;
  /** Bind address; a wildcard (0.0.0.0, ::) means every local interface address. */
  host: string;
}

/** The console's own origins (normalised): loopback, the bind host, and local interfaces when bound to all. */
export function ownOrigins(listen: ListenInfo): string[] {
  const scheme = listen.tls ? 'https' : 'http';
  const hosts = new Set<string>(['localhost']);
  const bind = listen.host.replace(/^\[|\]$/g, '');
  if (bind === '0.0.0.0' || bind === '::' || bind === '') {
    for (const list of Object.values(networkInterfaces())) {
      for (const nic of list ?? []) hosts.add(nic.family === 'IPv6' ? `[${nic.address}]` : nic.address);
    }
  } else if (!isLoopbackHostname(bind)) {
    hosts.add(bind.includes(':') ? `[${bind}]` : bind);
  }
  const out: string[] = [];
  for (const host of hosts) {
    const normalised = normalizeOrigin(`${scheme}://${host}:${listen.port}`);
    if (normalised) out.push(normalised);
  }
  return out;
}

/** A decision on one request, with the reason for the log. */
export interface OriginDecision {
  allowed: boolean;
  reason: string;
}

/**
 * Builds the Origin policy. `allowed` is the parsed RELAY_ALLOWED_ORIGINS (or null for the default),
 * `listen` returns where the server is listening now (the port may be picked at start-up).
 */
export function createOriginPolicy(allowed: string[] | null, listen: () => ListenInfo | null): (req: IncomingMessage) => OriginDecision {
  return (req) => {
    const origin = req.headers.origin;
    if (origin === undefined || origin === '') {
      return isLoopbackAddress(req.socket.remoteAddress)
        ? { allowed: true, reason: 'no Origin, loopback peer' }
        : { allowed: false, reason: 'no Origin from a non-loopback peer' };
    }
    const normalised = normalizeOrigin(origin);
    if (!normalised) return { allowed: false, reason: `unusable Origin ${origin}` };
    let list = allowed;
    if (!list) {
      const info = listen();
      list = info ? ownOrigins(info) : [];
    }
    return list.includes(normalised)
      ? { allowed: true, reason: `Origin ${normalised} allowed` }
      : { allowed: false, reason: `Origin ${normalised} not allowed` };
  };
}

/** The key a browser or Node client presents: `Authorization: Bearer …` or the `openai-insecure-api-key.` subprotocol. */
export function presentedKey(req: IncomingMessage): string | null {
  const auth = req.headers.authorization;
  const bearer = typeof auth === 'string' ? /^Bearer\s+(\S+)$/i.exec(auth.trim())?.[1] : undefined;
  if (bearer) return bearer;
  const protocols = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  const entry = protocols.find((p) => p.startsWith('openai-insecure-api-key.'));
  return entry ? entry.slice('openai-insecure-api-key.'.length) : null;
}

/**
 * Builds the relay's access-token check (RELAY_ACCESS_TOKEN): with no token configured everyone the
 * Origin policy admits may connect; with one, the presented key must equal it (constant-time).
 */
export function createTokenCheck(token: string | null): (req: IncomingMessage) => boolean {
  if (!token) return () => true;
  const expected = Buffer.from(token);
  return (req) => {
    const given = Buffer.from(presentedKey(req) ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
}
