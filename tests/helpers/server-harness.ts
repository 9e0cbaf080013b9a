/**
 * Test helpers for the embedded server: start a standalone server on an ephemeral loopback port,
 * a scriptable stub upstream, and a WebSocket client with an inbox and a close promise.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket, WebSocketServer, type ClientOptions } from 'ws';
import { loadServerConfig } from '../../src/server/config';
import { startStandaloneServer, type StandaloneServer, type StandaloneOptions } from '../../src/server/standalone';
import type { Synthesizer } from '../../src/server/tts/types';

let staticDir: string | null = null;

/** A static root with a recognisable index.html, for servers whose console is not under test (one per process). */
export function tinyStaticDir(): string {
  if (staticDir) return staticDir;
  const dir = mkdtempSync(join(tmpdir(), 'rc-static-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>test console</title><div id="root"></div>');
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  staticDir = dir;
  return dir;
}

/** Starts the standalone server on 127.0.0.1:0 with the given environment. */
export async function startTestServer(
  env: Record<string, string> = {},
  extra: { synthesizer?: Synthesizer | null; staticDir?: string } & Pick<StandaloneOptions, 'emulatorPacingSpeed' | 'relayLimits'> = {},
): Promise<StandaloneServer & { logs: string[] }> {
  const logs: string[] = [];
  const server = await startStandaloneServer({
    config: loadServerConfig({ PORT: '0', HOST: '127.0.0.1', ...env }),
    staticDir: extra.staticDir ?? tinyStaticDir(),
    synthesizer: extra.synthesizer === undefined ? null : extra.synthesizer,
    emulatorPacingSpeed: extra.emulatorPacingSpeed,
    relayLimits: extra.relayLimits,
    log: (line) => logs.push(line),
  });
  return Object.assign(server, { logs });
}

/** A received frame. */
export interface Frame {
  data: Buffer;
  binary: boolean;
}

/** A WebSocket client that records every frame and how it closed. */
export interface TestClient {
  ws: WebSocket;
  frames: Frame[];
  /** Resolves with the close code and reason (also for a failed handshake: 1006). */
  closed: Promise<{ code: number; reason: string }>;
  /** Resolves with the first frame (after `from`) for which `predicate` holds. */
  waitFor(predicate: (frame: Frame) => boolean, timeoutMs?: number, from?: number): Promise<Frame>;
  /** JSON text frames parsed. */
  events(): { type: string; [key: string]: unknown }[];
  /** Resolves with the first parsed event of this type. */
  waitForEvent(type: string, timeoutMs?: number): Promise<{ type: string; [key: string]: unknown }>;
  send(value: unknown): void;
}

/** Connects; resolves once open, rejects with the HTTP status (as `status`) when the upgrade is refused. */
export function connectClient(url: string, protocols: string[] = [], options: ClientOptions = {}): Promise<TestClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, { perMessageDeflate: false, maxPayload: 64 * 1024 * 1024, ...options });
    const frames: Frame[] = [];
    const waiters = new Set<() => void>();
    ws.on('message', (data, binary) => {
      frames.push({ data: Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer), binary });
      for (const w of [...waiters]) w();
    });
    const closed = new Promise<{ code: number; reason: string }>((res) => {
      ws.on('close', (code, reason) => res({ code, reason: reason.toString('utf8') }));
    });
    ws.on('error', () => {});
    let refused = false;
    ws.on('unexpected-response', (_req, res) => {
      refused = true;
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('utf8')));
      res.on('end', () => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode, body })));
      ws.terminate();
    });
    ws.once('open', () => {
      const client: TestClient = {
        ws,
        frames,
        closed,
        waitFor(predicate, timeoutMs = 10_000, from = 0) {
          return new Promise((res, rej) => {
            const check = (): boolean => {
              const hit = frames.slice(from).find(predicate);
              if (!hit) return false;
              waiters.delete(onFrame);
              clearTimeout(timer);
              res(hit);
              return true;
            };
            const onFrame = (): void => void check();
            const timer = setTimeout(() => {
              waiters.delete(onFrame);
              rej(new Error(`timed out after ${timeoutMs} ms waiting for a frame`));
            }, timeoutMs);
            if (!check()) waiters.add(onFrame);
            void closed.then(() => setTimeout(() => {
              if (waiters.has(onFrame)) {
                waiters.delete(onFrame);
                clearTimeout(timer);
                rej(new Error('socket closed while waiting for a frame'));
              }
            }, 50));
          });
        },
        events() {
          return frames.filter((f) => !f.binary).map((f) => JSON.parse(f.data.toString('utf8')) as { type: string });
        },
        async waitForEvent(type, timeoutMs) {
          const frame = await client.waitFor((f) => !f.binary && (JSON.parse(f.data.toString('utf8')) as { type?: string }).type === type, timeoutMs);
          return JSON.parse(frame.data.toString('utf8')) as { type: string };
        },
        send(value) {
          ws.send(JSON.stringify(value));
        },
      };
      resolve(client);
    });
    ws.once('close', () => {
      if (!refused) reject(new Error('closed before open'));
    });
  });
}

/** What the stub upstream saw of one connection. */
export interface StubConnection {
  req: IncomingMessage;
  ws: WebSocket;
  frames: Frame[];
  closed: Promise<{ code: number; reason: string }>;
}

/** A scriptable upstream: plain HTTP + WebSocket server on an ephemeral port. */
export interface StubUpstream {
  port: number;
  wsUrl: string;
  connections: StubConnection[];
  requests: IncomingMessage[];
  /** Next upgrade: answer with this HTTP status and body instead of accepting. */
  refuseNext(status: number, body?: string): void;
  /** Next upgrade: wait this long before accepting. */
  delayNext(ms: number): void;
  /** Next upgrade: never answer (handshake timeout). */
  hangNext(): void;
  /** REST answers: path → handler. */
  rest: (req: IncomingMessage, res: ServerResponse) => void;
  /** Resolves with the next accepted connection. */
  nextConnection(): Promise<StubConnection>;
  close(): Promise<void>;
}

/** Starts a stub upstream on 127.0.0.1:0. */
export async function startStubUpstream(): Promise<StubUpstream> {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
  const connections: StubConnection[] = [];
  const requests: IncomingMessage[] = [];
  const pendingSockets = new Set<Duplex>();
  let plan: { kind: 'refuse'; status: number; body: string } | { kind: 'delay'; ms: number } | { kind: 'hang' } | null = null;
  const connectionWaiters: ((c: StubConnection) => void)[] = [];
  const stub: StubUpstream = {
    port: 0,
    wsUrl: '',
    connections,
    requests,
    refuseNext: (status, body = '') => (plan = { kind: 'refuse', status, body }),
    delayNext: (ms) => (plan = { kind: 'delay', ms }),
    hangNext: () => (plan = { kind: 'hang' }),
    rest: (_req, res) => {
      res.writeHead(404);
      res.end();
    },
    nextConnection: () => new Promise((resolve) => connectionWaiters.push(resolve)),
    close: async () => {
      for (const c of connections) c.ws.terminate();
      for (const s of pendingSockets) s.destroy();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer((req, res) => {
    requests.push(req);
    stub.rest(req, res);
  });
  const accept = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      const frames: Frame[] = [];
      ws.on('message', (data, binary) => frames.push({ data: data as Buffer, binary }));
      ws.on('error', () => {});
      const closed = new Promise<{ code: number; reason: string }>((res) => ws.on('close', (code, reason) => res({ code, reason: reason.toString('utf8') })));
      const connection = { req, ws, frames, closed };
      connections.push(connection);
      for (const w of connectionWaiters.splice(0)) w(connection);
    });
  };
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    const current = plan;
    plan = null;
    if (current?.kind === 'refuse') {
      socket.end(`HTTP/1.1 ${current.status} Refused\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(current.body)}\r\nConnection: close\r\n\r\n${current.body}`);
    } else if (current?.kind === 'hang') {
      pendingSockets.add(socket);
    } else if (current?.kind === 'delay') {
      pendingSockets.add(socket);
      setTimeout(() => {
        pendingSockets.delete(socket);
        accept(req, socket, head);
      }, current.ms);
    } else {
      accept(req, socket, head);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.port = (server.address() as AddressInfo).port;
  stub.wsUrl = `ws://127.0.0.1:${stub.port}/v1/realtime`;
  return stub;
}
