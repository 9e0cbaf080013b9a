/**
 * The relay: a thin WebSocket pass-through from the browser to the configured upstream, adding the
 * server-held key. Frames go unchanged both ways (text stays text, binary stays binary); the relay
 * never answers, rewrites or invents a protocol event. What it adds is transport policy: Origin
 * allow-list, a bounded queue until the upstream opens, backpressure, frame size limit, close-code
 * propagation, and optional JSONL recording with secrets redacted.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { closeReason, createRedactor, redactHeaders, type Redactor } from './redact';
import { RelayRecorder, type FrameSource } from './recorder';
import { closeCodeForError, closeCodeForStatus, isSendableCloseCode, RelayClose } from './close-codes';
import { displayUpstream, upstreamSocketUrl } from './upstream';
import type { OriginDecision } from './origin';

/** Largest frame relayed in either direction; larger ones close with 1009. */
export const RELAY_MAX_FRAME_BYTES = 16 * 1024 * 1024;

/** Options of a {@link Relay}. */
export interface RelayOptions {
  /** Upstream realtime URL (ws: or wss:). */
  upstreamUrl: URL;
  /** The server-held key, sent as `Authorization: Bearer`. */
  apiKey: string;
  /** Origin policy (see origin.ts). */
  checkOrigin: (req: IncomingMessage) => OriginDecision;
  /** Access-token check (RELAY_ACCESS_TOKEN); default: everyone the Origin policy admits. */
  checkToken?: (req: IncomingMessage) => boolean;
  /** Directory for JSONL recordings; null/undefined = off. */
  recordDir?: string | null;
  /** One line per connection event; never receives a secret. */
  log?: (line: string) => void;
  /** Default 16 MiB. */
  maxFrameBytes?: number;
  /** Bytes queued from the browser before the upstream opens; beyond it the browser is closed with 1013. Default 8 MiB. */
  maxQueueBytes?: number;
  /** Upstream handshake limit in ms (then 4504). Default 10 000. */
  handshakeTimeoutMs?: number;
  /** Bytes waiting to be sent to one side above which the other side is paused. Default 4 MiB. */
  highWaterMark?: number;
}

const BETA_SUBPROTOCOL = 'openai-beta.realtime-v1';
const KEY_SUBPROTOCOL_PREFIX = 'openai-insecure-api-key.';

/**
 * Picks the subprotocol answered to the browser: `realtime` when offered (WHATWG clients fail if
 * the server selects none), else the first offered one that is not a key; never a key.
 */
export function selectRelayProtocol(offered: Set<string>): string | false {
  if (offered.has('realtime')) return 'realtime';
  for (const protocol of offered) if (!protocol.startsWith(KEY_SUBPROTOCOL_PREFIX)) return protocol;
  return false;
}

function offeredProtocols(req: IncomingMessage): string[] {
  const header = req.headers['sec-websocket-protocol'];
  if (!header) return [];
  return header.split(',').map((p) => p.trim()).filter(Boolean);
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** One browser ↔ upstream pair. */
class Bridge {
  readonly #queue: { data: Buffer; binary: boolean }[] = [];
  #queuedBytes = 0;
  #finished = false;
  #pausedClient = false;
  #pausedUpstream = false;
  /** Set when the upstream failed in a way that decides the browser's close code. */
  #upstreamFailure: { code: number; reason: string } | null = null;
  #settle: () => void = () => {};
  /** Resolves once both sockets are closed and the recording is flushed. */
  readonly done: Promise<void> = new Promise((resolve) => (this.#settle = resolve));

  constructor(
    readonly id: string,
    private readonly client: WebSocket,
    private readonly upstream: WebSocket,
    private readonly options: Required<Omit<RelayOptions, 'recordDir' | 'log' | 'checkOrigin' | 'checkToken'>>,
    private readonly redact: Redactor,
    private readonly recorder: RelayRecorder | null,
    private readonly log: (line: string) => void,
    private readonly onFinished: () => void,
  ) {
    client.on('message', (data, isBinary) => this.#fromClient(toBuffer(data), isBinary));
    client.on('close', (code, reason) => this.#clientClosed(code, reason.toString('utf8')));
    client.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') this.log(`relay ${id}: browser frame over the size limit (1009)`);
    });
    upstream.on('open', () => this.#upstreamOpened());
    upstream.on('message', (data, isBinary) => this.#fromUpstream(toBuffer(data), isBinary));
    upstream.on('unexpected-response', (_req, res) => this.#upstreamRefused(res));
    upstream.on('error', (error: Error & { code?: string }) => this.#upstreamError(error));
    upstream.on('close', (code, reason) => this.#upstreamClosed(code, reason.toString('utf8')));
  }

  #fromClient(data: Buffer, binary: boolean): void {
    this.recorder?.frame('client', data, binary);
    if (this.upstream.readyState === WebSocket.OPEN) {
      this.#send(this.upstream, data, binary, 'client');
      return;
    }
    if (this.upstream.readyState !== WebSocket.CONNECTING) return;
    this.#queue.push({ data, binary });
    this.#queuedBytes += data.length;
    if (this.#queuedBytes > this.options.maxQueueBytes) {
      this.log(`relay ${this.id}: queue before upstream open exceeded ${this.options.maxQueueBytes} bytes`);
      this.#finish(RelayClose.queueFull, 'relay queue full: upstream not open yet', 1001, 'client queue overflow');
    } else if (this.#queuedBytes > this.options.maxQueueBytes / 2 && !this.#pausedClient) {
      this.client.pause(); // backpressure on the browser until the upstream opens
      this.#pausedClient = true;
    }
  }

  #fromUpstream(data: Buffer, binary: boolean): void {
    this.recorder?.frame('upstream', data, binary);
    if (this.client.readyState === WebSocket.OPEN) this.#send(this.client, data, binary, 'upstream');
  }

  /** Sends and applies backpressure: the source is paused while the destination's buffer is high. */
  #send(target: WebSocket, data: Buffer, binary: boolean, from: FrameSource): void {
    const source = from === 'client' ? this.client : this.upstream;
    target.send(data, { binary }, () => {
      if (target.bufferedAmount <= this.options.highWaterMark / 2) this.#resume(from, source);
    });
    if (target.bufferedAmount > this.options.highWaterMark) this.#pause(from, source);
  }

  #pause(from: FrameSource, source: WebSocket): void {
    if (source.readyState !== WebSocket.OPEN) return;
    if (from === 'client' && !this.#pausedClient) {
      this.#pausedClient = true;
      source.pause();
    } else if (from === 'upstream' && !this.#pausedUpstream) {
      this.#pausedUpstream = true;
      source.pause();
    }
  }

  #resume(from: FrameSource, source: WebSocket): void {
    if (source.readyState !== WebSocket.OPEN) return;
    if (from === 'client' && this.#pausedClient) {
      this.#pausedClient = false;
      source.resume();
    } else if (from === 'upstream' && this.#pausedUpstream) {
      this.#pausedUpstream = false;
      source.resume();
    }
  }

  #upstreamOpened(): void {
    this.log(`relay ${this.id}: upstream open`);
    this.recorder?.note('upstream-open', { protocol: this.upstream.protocol });
    if (this.client.readyState !== WebSocket.OPEN) {
      this.upstream.close(1000, 'client gone');
      return;
    }
    for (const frame of this.#queue.splice(0)) this.#send(this.upstream, frame.data, frame.binary, 'client');
    this.#queuedBytes = 0;
    if (this.#pausedClient && this.upstream.bufferedAmount <= this.options.highWaterMark) {
      this.#pausedClient = false;
      this.client.resume();
    }
  }

  #upstreamRefused(res: IncomingMessage): void {
    const status = res.statusCode ?? 0;
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => {
      const body = Buffer.concat(chunks).toString('utf8');
      const message = upstreamErrorMessage(body) ?? res.statusMessage ?? '';
      const reason = `upstream HTTP ${status}${message ? `: ${message}` : ''}`;
      this.log(`relay ${this.id}: upstream refused the upgrade with HTTP ${status}`);
      this.#upstreamFailure = { code: closeCodeForStatus(status), reason };
      this.upstream.terminate();
    };
    res.on('data', (chunk: Buffer) => {
      if (size < 4096) chunks.push(chunk);
      size += chunk.length;
    });
    res.on('end', done);
    res.on('error', done);
    // A body that never ends must not hold the browser: settle after a short while.
    setTimeout(() => res.destroy(), 2000).unref();
  }

  #upstreamError(error: Error & { code?: string }): void {
    if (this.#upstreamFailure || this.#finished) return;
    if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
      this.#upstreamFailure = { code: RelayClose.tooBig, reason: 'upstream frame over the size limit' };
    } else if (this.upstream.readyState !== WebSocket.OPEN) {
      const code = closeCodeForError(error);
      this.#upstreamFailure = {
        code,
        reason: code === RelayClose.timeout ? 'upstream timeout' : `upstream unreachable: ${error.code ?? error.message}`,
      };
      this.log(`relay ${this.id}: ${this.#upstreamFailure.reason}`);
    }
  }

  #upstreamClosed(code: number, reason: string): void {
    if (this.#finished) return;
    let toClient: { code: number; reason: string };
    if (this.#upstreamFailure) toClient = this.#upstreamFailure;
    else if (code === 1006 || code === 1015) toClient = { code: RelayClose.unreachable, reason: 'upstream connection lost' };
    else if (code === 1005) toClient = { code: 1005, reason: '' };
    else if (!isSendableCloseCode(code)) toClient = { code: RelayClose.internal, reason: `upstream closed with ${code}` };
    else toClient = { code, reason };
    this.log(`relay ${this.id}: upstream closed ${code}; closing browser with ${toClient.code}`);
    this.recorder?.note('upstream-close', { code, reason, toClient: toClient.code });
    this.#finish(toClient.code, toClient.reason, null, '');
  }

  #clientClosed(code: number, reason: string): void {
    if (this.#finished) return;
    this.log(`relay ${this.id}: browser closed ${code}`);
    this.recorder?.note('client-close', { code, reason });
    const sendable = isSendableCloseCode(code);
    this.#finish(null, '', sendable ? code : 1000, sendable ? reason : '');
  }

  /** Closes both sides once. `null` leaves that side alone (it closed already). */
  #finish(clientCode: number | null, clientReason: string, upstreamCode: number | null, upstreamReason: string): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#queue.length = 0;
    this.#queuedBytes = 0;
    if (clientCode !== null && this.client.readyState === WebSocket.OPEN) {
      if (clientCode === 1005) this.client.close();
      else this.client.close(clientCode, closeReason(clientReason, this.redact));
    }
    if (upstreamCode !== null) {
      if (this.upstream.readyState === WebSocket.OPEN) this.upstream.close(upstreamCode, closeReason(upstreamReason, this.redact));
      else if (this.upstream.readyState === WebSocket.CONNECTING) this.upstream.terminate();
    }
    // Sockets that do not finish their closing handshake are cut after a grace period.
    const timer = setTimeout(() => {
      this.client.terminate();
      this.upstream.terminate();
    }, 5000);
    timer.unref();
    let pending = 2;
    const settled = (): void => {
      if (--pending > 0) return;
      clearTimeout(timer);
      this.onFinished();
      void (this.recorder?.close() ?? Promise.resolve()).then(() => this.#settle());
    };
    for (const socket of [this.client, this.upstream]) {
      if (socket.readyState === WebSocket.CLOSED) settled();
      else socket.once('close', settled);
    }
  }

  /** Server shutdown: closes both sides with 1001. */
  shutdown(): void {
    this.#finish(RelayClose.goingAway, 'server shutting down', RelayClose.goingAway, 'server shutting down');
  }

  /** Cuts both sockets without a closing handshake. */
  terminate(): void {
    this.client.terminate();
    this.upstream.terminate();
  }
}

/** Extracts a human message from an upstream JSON error body (`{error:{message}}` or `{message}`). */
function upstreamErrorMessage(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
    if (parsed.error && typeof parsed.error.message === 'string') return parsed.error.message;
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not JSON
  }
  const text = body.trim();
  return text ? text.slice(0, 80) : null;
}

/** The relay endpoint: one instance per server. */
export class Relay {
  readonly #wss: WebSocketServer;
  readonly #bridges = new Set<Bridge>();
  readonly #redact: Redactor;
  readonly #log: (line: string) => void;
  readonly #settings: Required<Omit<RelayOptions, 'recordDir' | 'log' | 'checkOrigin' | 'checkToken'>>;
  #nextId = 1;
  #closed = false;

  constructor(private readonly options: RelayOptions) {
    this.#redact = createRedactor([options.apiKey]);
    const log = options.log ?? (() => {});
    this.#log = (line) => log(this.#redact(line));
    this.#settings = {
      upstreamUrl: options.upstreamUrl,
      apiKey: options.apiKey,
      maxFrameBytes: options.maxFrameBytes ?? RELAY_MAX_FRAME_BYTES,
      maxQueueBytes: options.maxQueueBytes ?? 8 * 1024 * 1024,
      handshakeTimeoutMs: options.handshakeTimeoutMs ?? 10_000,
      highWaterMark: options.highWaterMark ?? 4 * 1024 * 1024,
    };
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: this.#settings.maxFrameBytes,
      perMessageDeflate: false,
      handleProtocols: (offered) => selectRelayProtocol(offered),
    });
  }

  /** Open browser connections. */
  get connectionCount(): number {
    return this.#bridges.size;
  }

  /** Upstream URL for display (no query, never a key). */
  get upstream(): string {
    return displayUpstream(this.options.upstreamUrl);
  }

  /** Handles an upgrade on /relay/v1/realtime: Origin check (403), then the bridge. Owns the socket. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    if (this.#closed) {
      rejectUpgrade(socket, 503, 'relay shutting down');
      return;
    }
    const decision = this.options.checkOrigin(req);
    if (!decision.allowed) {
      this.#log(`relay: upgrade refused (403): ${decision.reason}`);
      rejectUpgrade(socket, 403, 'origin not allowed');
      return;
    }
    if (this.options.checkToken && !this.options.checkToken(req)) {
      this.#log('relay: upgrade refused (401): missing or wrong relay access token');
      rejectUpgrade(socket, 401, 'relay access token required (use it as the API key)');
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (client) => this.#bridge(client, req));
  }

  #bridge(client: WebSocket, req: IncomingMessage): void {
    const id = String(this.#nextId++);
    const search = new URL(req.url ?? '/', 'http://relay.invalid').search;
    const target = upstreamSocketUrl(this.options.upstreamUrl, search);
    const headers: Record<string, string> = { Authorization: `Bearer ${this.options.apiKey}` };
    const beta = offeredProtocols(req).includes(BETA_SUBPROTOCOL) || /realtime=v1/i.test(String(req.headers['openai-beta'] ?? ''));
    if (beta) headers['OpenAI-Beta'] = 'realtime=v1';
    let recorder: RelayRecorder | null = null;
    if (this.options.recordDir) {
      try {
        recorder = new RelayRecorder(this.options.recordDir, id, this.#redact);
        recorder.note('open', {
          upstream: `${displayUpstream(target)}${target.search}`,
          requestHeaders: redactHeaders(req.headers, this.#redact),
          beta,
        });
      } catch (error) {
        this.#log(`relay ${id}: recording disabled: ${(error as Error).message}`);
      }
    }
    this.#log(`relay ${id}: browser connected; dialling ${displayUpstream(target)}${beta ? ' (beta)' : ''}`);
    const upstream = new WebSocket(target, {
      headers,
      handshakeTimeout: this.#settings.handshakeTimeoutMs,
      maxPayload: this.#settings.maxFrameBytes,
      followRedirects: false,
    });
    const bridge = new Bridge(id, client, upstream, this.#settings, this.#redact, recorder, this.#log, () =>
      this.#bridges.delete(bridge),
    );
    this.#bridges.add(bridge);
  }

  /** Closes every connection with 1001 (cut after 2 s without a closing handshake) and stops accepting new ones. */
  async close(): Promise<void> {
    this.#closed = true;
    const bridges = [...this.#bridges];
    for (const bridge of bridges) bridge.shutdown();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, 2000)));
    await Promise.race([Promise.all(bridges.map((b) => b.done)), grace]);
    clearTimeout(timer);
    for (const bridge of bridges) bridge.terminate();
    await Promise.all(bridges.map((b) => b.done));
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }
}

/** Answers an upgrade request with a plain HTTP error and closes the socket. */
export function rejectUpgrade(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ error: { type: 'invalid_request_error', code: `http_${status}`, message } });
  const statusText = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 503: 'Service Unavailable' }[status] ?? 'Error';
  socket.end(
    `HTTP/1.1 ${status} ${statusText}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
