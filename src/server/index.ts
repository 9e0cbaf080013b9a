/**
 * The embedded realtime server: one router for the emulator (always on `/v1/realtime`), the relay
 * (on `/relay/v1/realtime` when a key is configured) and their REST endpoints. Hosted by the Vite
 * dev server (vite-plugin.ts) and by the standalone server (standalone.ts) alike.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { Emulator, listModels, listVoices } from './emulator';
import { Relay, rejectUpgrade, type RelayOptions } from './relay/relay';
import { createOriginPolicy, createTokenCheck, type ListenInfo } from './relay/origin';
import { forwardRest } from './relay/rest';
import { createRedactor } from './relay/redact';
import { displayUpstream, upstreamRestUrl, type RelayRestRoute } from './relay/upstream';
import { createSynthesizer } from './tts/synthesizer';
import type { Synthesizer } from './tts/types';
import { isLoopbackHostname, type ServerConfig } from './config';
import { sendError, sendJson } from './http/json';
import { version as packageVersion } from '../../package.json';

export { loadServerConfig, ConfigError, type ServerConfig } from './config';
export type { ListenInfo } from './relay/origin';

/** `GET /api/server-info`: what this server offers, for the UI. Never contains a key. */
export interface ServerInfo {
  relay: { enabled: boolean; upstream: string; tokenRequired: boolean };
  emulator: { tts: boolean; ttsReason: string | null; auth: boolean };
  version: string;
}

/** Options of {@link createRealtimeServer}. */
export interface RealtimeServerOptions {
  config: ServerConfig;
  /** Where the host listens now (for the relay's default Origin allow-list); null before listening. */
  listenInfo: () => ListenInfo | null;
  /** The synthesiser to use; default: start the offline one. `null` = text-only replies. */
  synthesizer?: Synthesizer | null;
  /** Server log; default `console.log`. Never receives a key. */
  log?: (line: string) => void;
  /** Passed to the emulator (tests speed up audio pacing). */
  emulatorPacingSpeed?: number;
  /** Relay limits (tests use small ones); defaults as documented on {@link RelayOptions}. */
  relayLimits?: Pick<RelayOptions, 'handshakeTimeoutMs' | 'maxQueueBytes' | 'highWaterMark' | 'maxFrameBytes'>;
}

/** The router both hosts use. */
export interface RealtimeServer {
  /** Handles a request on one of the server's paths; returns false (and does nothing) otherwise. */
  handleRequest(req: IncomingMessage, res: ServerResponse): boolean;
  /** Handles a WebSocket upgrade on `/v1/realtime` or `/relay/v1/realtime`; returns false for other paths. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** The body of `GET /api/server-info`. */
  info(): ServerInfo;
  readonly emulator: Emulator;
  readonly relay: Relay | null;
  /** Closes every session and connection and the synthesiser it started. */
  close(): Promise<void>;
}

const EMULATOR_PATH = '/v1/realtime';
const RELAY_PATH = '/relay/v1/realtime';
const RELAY_REST: Record<string, RelayRestRoute> = {
  '/relay/v1/realtime': 'realtime',
  '/relay/v1/models': 'models',
  '/relay/v1/realtime/voiceList': 'realtime/voiceList',
};
/** The emulator holds no secret, so its REST answers may be read from any page (e.g. another console). */
const OPEN_CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type, OpenAI-Beta',
  'Access-Control-Allow-Methods': 'GET, OPTIONS',
};

function pathOf(req: IncomingMessage): { path: string; search: string } {
  try {
    const url = new URL(req.url ?? '/', 'http://server.invalid');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    return { path, search: url.search };
  } catch {
    return { path: '', search: '' };
  }
}

/** Creates the router; starts the offline synthesiser unless one is given. */
export async function createRealtimeServer(options: RealtimeServerOptions): Promise<RealtimeServer> {
  const { config } = options;
  const log = options.log ?? ((line: string) => console.log(line));
  const redact = createRedactor([config.relay.apiKey, config.emulator.apiKey, config.relay.accessToken]);
  const safeLog = (line: string): void => log(redact(line));
  const ownsSynthesizer = options.synthesizer === undefined;
  const synthesizer = options.synthesizer === undefined ? await createSynthesizer() : options.synthesizer;
  const emulator = new Emulator({
    apiKey: config.emulator.apiKey ?? undefined,
    ...(config.emulator.replayDirs ? { replayDirs: config.emulator.replayDirs } : {}),
    synthesizer,
    log: safeLog,
    ...(options.emulatorPacingSpeed ? { pacingSpeed: options.emulatorPacingSpeed } : {}),
  });
  const checkOrigin = createOriginPolicy(config.relay.allowedOrigins, options.listenInfo);
  const checkToken = createTokenCheck(config.relay.accessToken);
  const relayKey = config.relay.apiKey;
  const relay = relayKey
    ? new Relay({
        ...options.relayLimits,
        upstreamUrl: config.relay.upstreamUrl,
        apiKey: relayKey,
        checkOrigin,
        checkToken,
        recordDir: config.relay.recordDir,
        log: safeLog,
      })
    : null;

  if (relay && !config.relay.accessToken && !isLoopbackHostname(config.host)) {
    safeLog(`relay: warning: HOST=${config.host} is reachable from other machines and RELAY_ACCESS_TOKEN is not set; only the Origin allow-list protects the key`);
  }

  const info = (): ServerInfo => ({
    relay: { enabled: relay !== null, upstream: displayUpstream(config.relay.upstreamUrl), tokenRequired: config.relay.accessToken !== null },
    emulator: {
      tts: synthesizer?.available ?? false,
      ttsReason: synthesizer ? synthesizer.unavailableReason : 'no synthesiser configured',
      auth: config.emulator.apiKey !== null,
    },
    version: packageVersion,
  });

  const handleRequest = (req: IncomingMessage, res: ServerResponse): boolean => {
    const { path, search } = pathOf(req);
    const method = req.method ?? 'GET';
    const isRead = method === 'GET' || method === 'HEAD';
    if (path === EMULATOR_PATH || path === '/v1/models' || path === '/v1/realtime/voiceList') {
      for (const [name, value] of Object.entries(OPEN_CORS)) res.setHeader(name, value);
      if (method === 'OPTIONS') {
        res.writeHead(204, { 'Access-Control-Max-Age': '600' });
        res.end();
      } else if (path === EMULATOR_PATH) emulator.handlePrecheck(req, res);
      else if (!isRead) sendError(res, 405, 'method_not_allowed', 'Only GET is supported here.', { Allow: 'GET' });
      else sendJson(res, 200, path === '/v1/models' ? listModels() : listVoices());
      return true;
    }
    if (path === '/api/server-info') {
      if (!isRead) sendError(res, 405, 'method_not_allowed', 'Only GET is supported here.', { Allow: 'GET' });
      else sendJson(res, 200, info());
      return true;
    }
    if (path === '/relay' || path.startsWith('/relay/')) {
      const route = RELAY_REST[path];
      if (!relay || !relayKey) sendError(res, 404, 'relay_disabled', 'The relay is off: set REALTIME_API_KEY on the server to enable it.');
      else if (!route) sendError(res, 404, 'not_found', `No relay endpoint at ${path}.`);
      else if (!isRead) sendError(res, 405, 'method_not_allowed', 'Only GET is supported here.', { Allow: 'GET' });
      else {
        const decision = checkOrigin(req);
        if (!decision.allowed) {
          safeLog(`relay: REST ${path} refused (403): ${decision.reason}`);
          sendError(res, 403, 'origin_not_allowed', 'This origin may not use the relay (RELAY_ALLOWED_ORIGINS).');
        } else if (!checkToken(req)) {
          sendError(res, 401, 'invalid_relay_token', 'This relay needs its access token as the API key (RELAY_ACCESS_TOKEN).');
        } else {
          const target = upstreamRestUrl(config.relay.upstreamUrl, route, search);
          void forwardRest(req, res, { target, apiKey: relayKey, redact });
        }
      }
      return true;
    }
    return false;
  };

  const handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): boolean => {
    const { path } = pathOf(req);
    if (path === EMULATOR_PATH) {
      emulator.handleUpgrade(req, socket, head);
      return true;
    }
    if (path === RELAY_PATH) {
      if (relay) relay.handleUpgrade(req, socket, head);
      else {
        socket.on('error', () => socket.destroy());
        rejectUpgrade(socket, 404, 'relay disabled: set REALTIME_API_KEY on the server');
      }
      return true;
    }
    return false;
  };

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await Promise.all([emulator.close(), relay?.close()]);
      if (ownsSynthesizer) await synthesizer?.close();
    })();
    return closing;
  };

  return { handleRequest, handleUpgrade, info, emulator, relay, close };
}
