import type { IncomingMessage } from 'node:http';
import { API_KEY_SUBPROTOCOL_PREFIX, BETA_HEADER_VALUE, BETA_SUBPROTOCOL, REALTIME_SUBPROTOCOL, type Dialect } from '../../lib/realtime/protocol';
import { parseFaults, type FaultPlan } from './faults';

export type { Dialect };

/** Everything the emulator reads from the HTTP request of an upgrade or a pre-check. */
export interface HandshakeInfo {
  dialect: Dialect;
  /** The key the client presented (subprotocol or Authorization), or null. Never logged. */
  apiKey: string | null;
  model: string | null;
  /** xStar `userId`: selects the per-user memory of the `remember`/`recall` plugins. */
  userId: string | null;
  /** `reply=long`: every reply at least 10 s long. */
  replyLong: boolean;
  faults: FaultPlan;
  /** `fault=` entries that were not understood. */
  rejectedFaults: string[];
  /** `replay=NAME` (and `replay_speed=N`, default 1): serve a recorded session instead of emulating. */
  replay: { name: string; speed: number } | null;
}

/** Reads `replay` / `replay_speed` (speed clamped to 0.1–100; unparsable → 1). */
function parseReplay(params: URLSearchParams): HandshakeInfo['replay'] {
  const name = params.get('replay');
  if (name === null || name === '') return null;
  const raw = Number(params.get('replay_speed') ?? '1');
  const speed = Number.isFinite(raw) && raw > 0 ? Math.min(100, Math.max(0.1, raw)) : 1;
  return { name, speed };
}

const KEY_PROTOCOL = API_KEY_SUBPROTOCOL_PREFIX;

function offeredProtocols(req: IncomingMessage): string[] {
  const header = req.headers['sec-websocket-protocol'];
  if (typeof header !== 'string') return [];
  return header
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/** Reads dialect, key, model, userId, reply length and faults from a request. */
export function parseHandshake(req: IncomingMessage): HandshakeInfo {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://emulator.invalid');
  } catch {
    url = new URL('http://emulator.invalid/');
  }
  const protocols = offeredProtocols(req);
  const betaHeader = req.headers['openai-beta'];
  const betaHeaderValues = (Array.isArray(betaHeader) ? betaHeader : [betaHeader ?? ''])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim());
  const dialect: Dialect = protocols.includes(BETA_SUBPROTOCOL) || betaHeaderValues.includes(BETA_HEADER_VALUE) ? 'beta' : 'ga';

  let apiKey: string | null = null;
  const keyProtocol = protocols.find((p) => p.startsWith(KEY_PROTOCOL));
  if (keyProtocol) apiKey = keyProtocol.slice(KEY_PROTOCOL.length);
  const auth = req.headers.authorization;
  if (apiKey === null && typeof auth === 'string') {
    const match = /^Bearer\s+(.+)$/i.exec(auth.trim());
    if (match) apiKey = match[1].trim();
  }

  const { plan, rejected } = parseFaults(url.searchParams.getAll('fault'));
  return {
    dialect,
    apiKey,
    model: url.searchParams.get('model'),
    userId: url.searchParams.get('userId'),
    replyLong: url.searchParams.getAll('reply').includes('long'),
    faults: plan,
    rejectedFaults: rejected,
    replay: parseReplay(url.searchParams),
  };
}

/**
 * `ws` handleProtocols: select `realtime` when offered (WHATWG clients fail if none is selected),
 * otherwise any offered protocol that is not a key, otherwise none.
 */
export function selectProtocol(protocols: Set<string>): string | false {
  if (protocols.has(REALTIME_SUBPROTOCOL)) return REALTIME_SUBPROTOCOL;
  for (const p of protocols) if (!p.startsWith(KEY_PROTOCOL)) return p;
  return false;
}
