/**
 * The standalone server (`npm run serve`): the built console from `dist/` plus the same realtime
 * endpoints as the dev server, on one plain `node:http` server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRealtimeServer, type RealtimeServer, type RealtimeServerOptions } from './index';
import type { ServerConfig } from './config';
import { createStaticHandler } from './http/static';
import type { Synthesizer } from './tts/types';

/** Options of {@link startStandaloneServer}. */
export interface StandaloneOptions {
  config: ServerConfig;
  /** Directory of the built console. */
  staticDir: string;
  log?: (line: string) => void;
  /** Default: start the offline synthesiser. */
  synthesizer?: Synthesizer | null;
  /** Passed to the router (tests). */
  emulatorPacingSpeed?: number;
  relayLimits?: RealtimeServerOptions['relayLimits'];
}

/** A running standalone server. */
export interface StandaloneServer {
  /** `http://HOST:PORT` with the actual port. */
  url: string;
  port: number;
  host: string;
  httpServer: Server;
  realtime: RealtimeServer;
  close(): Promise<void>;
}

/** Formats a host for a URL (IPv6 in brackets). */
function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** Starts listening; resolves once ready. */
export async function startStandaloneServer(options: StandaloneOptions): Promise<StandaloneServer> {
  const { config } = options;
  let listening: AddressInfo | null = null;
  const realtime = await createRealtimeServer({
    config,
    log: options.log,
    synthesizer: options.synthesizer,
    emulatorPacingSpeed: options.emulatorPacingSpeed,
    relayLimits: options.relayLimits,
    listenInfo: () => (listening ? { port: listening.port, tls: false, host: config.host } : null),
  });
  const serveStatic = createStaticHandler(options.staticDir);
  const httpServer = createServer((req, res) => {
    if (realtime.handleRequest(req, res)) return;
    void serveStatic(req, res);
  });
  httpServer.on('upgrade', (req, socket, head) => {
    if (!realtime.handleUpgrade(req, socket, head)) {
      socket.on('error', () => socket.destroy());
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    }
  });
  httpServer.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await realtime.close();
    throw error;
  }
  listening = httpServer.address() as AddressInfo;
  const port = listening.port;
  const url = `http://${urlHost(config.host)}:${port}`;
  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    host: config.host,
    httpServer,
    realtime,
    close: () => {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        await realtime.close();
        httpServer.closeAllConnections();
        await stopped;
      })();
      return closing;
    },
  };
}
