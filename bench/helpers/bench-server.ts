// A lean Realtime server for benchmarks: a real `ws` server on an ephemeral loopback port that speaks both dialects
// (beta when the client offers the beta subprotocol or header) and, unlike tests/helpers/scripted-server.ts, records
// nothing — hours of simulated traffic must not grow this process. Behaviour is attached per connection.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { resolveFormat } from '../../src/lib/realtime/formats';
import { BETA_SUBPROTOCOL, REALTIME_SUBPROTOCOL, serverEventName, type Dialect } from '../../src/lib/realtime/protocol';

/** One client connection, seen from the server. */
export class BenchConnection {
  readonly dialect: Dialect;
  session: Record<string, unknown>;
  /** Called for every parsed client event (after session.update handling). */
  onEvent: ((event: { type: string; [k: string]: unknown }, receivedAt: number) => void) | null = null;
  private seq = 0;

  constructor(
    private readonly socket: WebSocket,
    req: IncomingMessage,
  ) {
    const protocols = String(req.headers['sec-websocket-protocol'] ?? '');
    this.dialect = protocols.includes(BETA_SUBPROTOCOL) || String(req.headers['openai-beta'] ?? '').includes('realtime=v1') ? 'beta' : 'ga';
    this.session =
      this.dialect === 'beta'
        ? { id: 'sess_bench', object: 'realtime.session', modalities: ['text', 'audio'], input_audio_format: 'pcm16', output_audio_format: 'pcm16', turn_detection: { type: 'server_vad' } }
        : { id: 'sess_bench', object: 'realtime.session', type: 'realtime', output_modalities: ['audio'], audio: { input: { format: { type: 'audio/pcm', rate: 24000 } }, output: { format: { type: 'audio/pcm', rate: 24000 } } } };
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const at = performance.now();
      let event: { type: string; [k: string]: unknown };
      try {
        event = JSON.parse(data.toString()) as { type: string };
      } catch {
        return;
      }
      if (event.type === 'session.update') {
        const update = (event.session ?? {}) as Record<string, unknown>;
        this.session = { ...this.session, ...update };
        this.send({ type: 'session.updated', session: this.session });
      }
      this.onEvent?.(event, at);
    });
    this.send({ type: 'session.created', session: this.session });
  }

  /** Output sample rate of the session (PCM formats; 24 kHz when unknown). */
  outputRate(): number {
    const audio = this.session.audio as { output?: { format?: unknown } } | undefined;
    const f = resolveFormat((audio?.output?.format ?? this.session.output_audio_format ?? 'pcm16') as string);
    return f?.sampleRate ?? 24000;
  }

  /** Sends one server event in this connection's dialect (adds an `event_id`). */
  send(event: { type: string; [k: string]: unknown }): void {
    this.socket.send(JSON.stringify({ event_id: `ev_${++this.seq}`, ...event, type: serverEventName(event.type, this.dialect) }));
  }

  close(): void {
    this.socket.close(1000, 'bench done');
  }
}

/** A running bench server. */
export interface BenchServer {
  /** http://127.0.0.1:PORT (the console's "origin"; the local profile connects to ws://…/v1/realtime). */
  origin: string;
  /** ws://127.0.0.1:PORT/v1/realtime */
  url: string;
  close(): Promise<void>;
}

/** Starts a server on an ephemeral loopback port; `onConnection` attaches each connection's behaviour. */
export async function startBenchServer(onConnection: (conn: BenchConnection) => void): Promise<BenchServer> {
  const http = createServer((_req, res) => {
    res.writeHead(404).end();
  });
  // Browsers require a selected subprotocol when they offered some: select `realtime`.
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024, handleProtocols: (p) => (p.has(REALTIME_SUBPROTOCOL) ? REALTIME_SUBPROTOCOL : false) });
  http.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => onConnection(new BenchConnection(ws, req))));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const port = (http.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    url: `ws://127.0.0.1:${port}/v1/realtime`,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}
