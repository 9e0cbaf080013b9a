/**
 * Mounts the embedded realtime server into the Vite dev (and preview) server: one extra `upgrade`
 * listener that takes only `/v1/realtime` and `/relay/v1/realtime` (Vite's HMR socket is left
 * alone) and one middleware for the REST endpoints and pre-checks. `.env` is read with `loadEnv`.
 */
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadEnv, type Connect, type Plugin, type ResolvedConfig } from 'vite';
import { createRealtimeServer, type RealtimeServer } from './index';
import { loadServerConfig } from './config';

/** Options of {@link realtimeServerPlugin}. */
export interface RealtimeServerPluginOptions {
  /** Extra environment over `.env` and `process.env` (tests). */
  env?: Record<string, string>;
}

async function mount(
  config: ResolvedConfig,
  httpServer: HttpServer | null,
  middlewares: Connect.Server,
  options: RealtimeServerPluginOptions,
  tls: boolean,
): Promise<RealtimeServer> {
  const env = { ...loadEnv(config.mode, config.envDir === false ? config.root : config.envDir, ''), ...options.env };
  const serverConfig = loadServerConfig(env);
  const realtime = await createRealtimeServer({
    config: serverConfig,
    log: (line) => config.logger.info(line, { timestamp: true }),
    listenInfo: () => {
      const address = httpServer?.address();
      if (!address || typeof address === 'string') return null;
      return { port: (address as AddressInfo).port, tls, host: typeof config.server.host === 'string' ? config.server.host : '127.0.0.1' };
    },
  });
  middlewares.use((req, res, next) => {
    if (!realtime.handleRequest(req, res)) next();
  });
  if (httpServer) {
    httpServer.on('upgrade', (req, socket, head) => {
      realtime.handleUpgrade(req, socket, head); // other paths (Vite's HMR) are left to their owners
    });
    httpServer.once('close', () => void realtime.close());
  }
  if (realtime.relay) config.logger.info(`relay enabled on /relay/v1/realtime → ${realtime.relay.upstream}`);
  return realtime;
}

/** The Vite plugin that hosts the emulator and the relay on the dev server's own port. */
export function realtimeServerPlugin(options: RealtimeServerPluginOptions = {}): Plugin {
  let resolved: ResolvedConfig;
  return {
    name: 'realtime-console:server',
    configResolved(config) {
      resolved = config;
    },
    async configureServer(server) {
      await mount(resolved, server.httpServer as HttpServer | null, server.middlewares, options, Boolean(resolved.server.https));
    },
    async configurePreviewServer(server) {
      await mount(resolved, server.httpServer as HttpServer | null, server.middlewares, options, Boolean(resolved.preview.https));
    },
  };
}
