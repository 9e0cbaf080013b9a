/**
 * A scripted Realtime server for integration tests: a real `ws` server on an ephemeral loopback port that speaks
 * both dialects (beta when the client offers the beta subprotocol or header, GA otherwise), answers the HTTP
 * pre-check, records everything the client sends, and lets a test push exactly the server events it wants.
 */

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { encodeBase64 } from '../../src/lib/dsp/base64';
import {
  API_KEY_SUBPROTOCOL_PREFIX,
  BETA_SUBPROTOCOL,
  serverEventName,
  type Dialect,
  type RawEvent,
} from '../../src/lib/realtime/protocol';

/** What the pre-check GET answers. */
export interface PrecheckAnswer {
  status: number;
  body: string;
}

/** One recorded pre-check request. */
export interface PrecheckRequest {
  url: string;
  authorization: string | undefined;
}

/** Options of the server. */
export interface ScriptedServerOptions {
  /** Send `session.created` as soon as a client connects (default true). */
  autoSessionCreated?: boolean;
  /** Answer every `session.update` with `session.updated` carrying the merged session (default true). */
  autoSessionUpdated?: boolean;
  /** Answer the WebSocket upgrade with this HTTP status instead of upgrading. */
  upgradeStatus?: number;
}

let idSeq = 0;
const nextId = (prefix: string) => `${prefix}_${(++idSeq).toString(36).padStart(6, '0')}`;

/** One client connection, seen from the server. */
export class ScriptedConnection {
  readonly dialect: Dialect;
  readonly url: URL;
  readonly headers: IncomingMessage['headers'];
  readonly protocols: string[];
  /** Every client event, parsed. */
  readonly received: RawEvent[] = [];
  /** Every raw text frame. */
  readonly frames: string[] = [];
  session: Record<string, unknown>;
  private waiters: { type: string | undefined; resolve: (e: RawEvent) => void; index: number }[] = [];
  private readIndex = 0;
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly socket: WebSocket;

  constructor(socket: WebSocket, req: IncomingMessage, opts: Required<Omit<ScriptedServerOptions, 'upgradeStatus'>>) {
    this.socket = socket;
    this.url = new URL(req.url ?? '/', 'http://localhost');
    this.headers = req.headers;
    this.protocols = String(req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const beta = this.protocols.includes(BETA_SUBPROTOCOL) || String(req.headers['openai-beta'] ?? '').includes('realtime=v1');
    this.dialect = beta ? 'beta' : 'ga';
    this.session =
      this.dialect === 'beta'
        ? { id: nextId('sess'), object: 'realtime.session', modalities: ['text', 'audio'], voice: 'alloy', input_audio_format: 'pcm16', output_audio_format: 'pcm16', turn_detection: null, tools: [] }
        : { id: nextId('sess'), object: 'realtime.session', type: 'realtime', output_modalities: ['audio'], audio: { input: { format: { type: 'audio/pcm', rate: 24000 } }, output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'marin' } }, tools: [] };
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const text = data.toString();
      this.frames.push(text);
      let event: RawEvent;
      try {
        event = JSON.parse(text) as RawEvent;
      } catch {
        return;
      }
      this.received.push(event);
      if (event.type === 'session.update' && opts.autoSessionUpdated) {
        this.mergeSession(event.session as Record<string, unknown>);
        this.send({ type: 'session.updated', session: this.session });
      }
      this.flushWaiters();
    });
    if (opts.autoSessionCreated) this.send({ type: 'session.created', session: this.session });
  }

  /** The API key the client presented (header or subprotocol), if any. */
  get apiKey(): string | undefined {
    const auth = this.headers.authorization;
    if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice(7);
    const p = this.protocols.find((x) => x.startsWith(API_KEY_SUBPROTOCOL_PREFIX));
    return p?.slice(API_KEY_SUBPROTOCOL_PREFIX.length);
  }

  /** Sends one server event (adds an `event_id`); the type is written in this connection's dialect. */
  send(event: { type: string; [k: string]: unknown }): void {
    const out = { event_id: nextId('event'), ...event, type: serverEventName(event.type, this.dialect) };
    this.socket.send(JSON.stringify(out));
  }

  /** Sends a raw text frame (for malformed-frame tests). */
  sendRaw(text: string): void {
    this.socket.send(text);
  }

  /** Closes the socket from the server side. */
  close(code = 1000, reason = ''): void {
    this.socket.close(code, reason);
  }

  /** Drops the TCP connection without a close frame. */
  terminate(): void {
    this.socket.terminate();
  }

  /** Resolves with the next client event (of `type`, if given) not yet consumed by an earlier call. */
  nextClientEvent(type?: string, timeoutMs = 5000): Promise<RawEvent> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no client event ${type ?? '(any)'} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        type,
        index: this.readIndex,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      });
      this.flushWaiters();
    });
  }

  /** All client events of `type` received so far. */
  eventsOfType(type: string): RawEvent[] {
    return this.received.filter((e) => e.type === type);
  }

  private flushWaiters(): void {
    const pending = this.waiters;
    this.waiters = [];
    for (const w of pending) {
      let found = -1;
      for (let i = w.index; i < this.received.length; i++) {
        if (w.type === undefined || this.received[i].type === w.type) {
          found = i;
          break;
        }
      }
      if (found >= 0) {
        this.readIndex = Math.max(this.readIndex, found + 1);
        w.resolve(this.received[found]);
      } else this.waiters.push(w);
    }
  }

  private mergeSession(update: Record<string, unknown>): void {
    if (this.dialect === 'ga') {
      const audio = (update.audio ?? {}) as { input?: Record<string, unknown>; output?: Record<string, unknown> };
      const cur = (this.session.audio ?? {}) as { input?: Record<string, unknown>; output?: Record<string, unknown> };
      this.session = {
        ...this.session,
        ...update,
        audio: { input: { ...cur.input, ...audio.input }, output: { ...cur.output, ...audio.output } },
      };
    } else this.session = { ...this.session, ...update };
  }

  // ----------------------------------------------------------------------------------------------------------
  // Scripted server behaviour in this connection's dialect

  /** The item announcement(s) of the dialect: beta `created`; GA `added` (and `done` when `final`). */
  announceItem(item: Record<string, unknown>, previousItemId: string | null = null): void {
    if (this.dialect === 'beta') this.send({ type: 'conversation.item.created', previous_item_id: previousItemId, item });
    else this.send({ type: 'conversation.item.added', previous_item_id: previousItemId, item });
  }

  /** GA only: `conversation.item.done`. */
  itemDone(item: Record<string, unknown>): void {
    if (this.dialect === 'ga') this.send({ type: 'conversation.item.done', item });
  }

  /** Assistant content type of the dialect. */
  contentType(kind: 'text' | 'audio'): string {
    return this.dialect === 'ga' ? (kind === 'text' ? 'output_text' : 'output_audio') : kind;
  }

  /** `response.created` with a fresh id; returns it. */
  responseCreated(id = nextId('resp')): string {
    this.send({ type: 'response.created', response: { id, object: 'realtime.response', status: 'in_progress', status_details: null, output: [], usage: null } });
    return id;
  }

  /** `response.done`. */
  responseDone(id: string, status = 'completed', output: unknown[] = [], statusDetails: unknown = null): void {
    this.send({ type: 'response.done', response: { id, object: 'realtime.response', status, status_details: statusDetails, output, usage: { total_tokens: 10, input_tokens: 4, output_tokens: 6 } } });
  }

  /**
   * A complete audio response: created, item, part, audio and transcript deltas, done events.
   * `chunks` are the audio bytes per delta (in the session's output format).
   */
  audioResponse(opts: { chunks: Uint8Array[]; transcript: string; itemId?: string; finish?: boolean }): { responseId: string; itemId: string } {
    const responseId = this.responseCreated();
    const itemId = opts.itemId ?? nextId('item');
    const item = { id: itemId, object: 'realtime.item', type: 'message', role: 'assistant', status: 'in_progress', content: [] };
    this.send({ type: 'response.output_item.added', response_id: responseId, output_index: 0, item });
    this.announceItem(item);
    const ref = { response_id: responseId, item_id: itemId, output_index: 0, content_index: 0 };
    this.send({ type: 'response.content_part.added', ...ref, part: { type: 'audio', transcript: '' } });
    const words = opts.transcript.split(/(?<= )/);
    opts.chunks.forEach((c, i) => {
      this.send({ type: 'response.audio.delta', ...ref, delta: encodeBase64(c) });
      if (words[i]) this.send({ type: 'response.audio_transcript.delta', ...ref, delta: words[i] });
    });
    for (let i = opts.chunks.length; i < words.length; i++) this.send({ type: 'response.audio_transcript.delta', ...ref, delta: words[i] });
    if (opts.finish === false) return { responseId, itemId };
    this.finishAudioResponse(responseId, itemId, opts.transcript);
    return { responseId, itemId };
  }

  /** The done events of an audio response. */
  finishAudioResponse(responseId: string, itemId: string, transcript: string, status = 'completed'): void {
    const ref = { response_id: responseId, item_id: itemId, output_index: 0, content_index: 0 };
    const itemStatus = status === 'completed' ? 'completed' : 'incomplete';
    this.send({ type: 'response.audio.done', ...ref });
    this.send({ type: 'response.audio_transcript.done', ...ref, transcript });
    this.send({ type: 'response.content_part.done', ...ref, part: { type: 'audio', transcript } });
    const done = { id: itemId, object: 'realtime.item', type: 'message', role: 'assistant', status: itemStatus, content: [{ type: this.contentType('audio'), transcript }] };
    this.send({ type: 'response.output_item.done', response_id: responseId, output_index: 0, item: done });
    this.itemDone(done);
    this.responseDone(responseId, status, [done]);
  }

  /** A complete text response. */
  textResponse(text: string): { responseId: string; itemId: string } {
    const responseId = this.responseCreated();
    const itemId = nextId('item');
    const item = { id: itemId, object: 'realtime.item', type: 'message', role: 'assistant', status: 'in_progress', content: [] };
    this.send({ type: 'response.output_item.added', response_id: responseId, output_index: 0, item });
    this.announceItem(item);
    const ref = { response_id: responseId, item_id: itemId, output_index: 0, content_index: 0 };
    this.send({ type: 'response.content_part.added', ...ref, part: { type: 'text', text: '' } });
    for (const w of text.split(/(?<= )/)) this.send({ type: 'response.text.delta', ...ref, delta: w });
    this.send({ type: 'response.text.done', ...ref, text });
    this.send({ type: 'response.content_part.done', ...ref, part: { type: 'text', text } });
    const done = { ...item, status: 'completed', content: [{ type: this.contentType('text'), text }] };
    this.send({ type: 'response.output_item.done', response_id: responseId, output_index: 0, item: done });
    this.itemDone(done);
    this.responseDone(responseId, 'completed', [done]);
    return { responseId, itemId };
  }

  /** A response with parallel function calls. */
  toolCallResponse(calls: { name: string; arguments: string }[]): { responseId: string; callIds: string[] } {
    const responseId = this.responseCreated();
    const done: Record<string, unknown>[] = [];
    const callIds: string[] = [];
    calls.forEach((c, i) => {
      const itemId = nextId('item');
      const callId = nextId('call');
      callIds.push(callId);
      const item = { id: itemId, object: 'realtime.item', type: 'function_call', status: 'in_progress', call_id: callId, name: c.name, arguments: '' };
      this.send({ type: 'response.output_item.added', response_id: responseId, output_index: i, item });
      this.announceItem(item);
      const half = Math.floor(c.arguments.length / 2);
      for (const d of [c.arguments.slice(0, half), c.arguments.slice(half)]) {
        this.send({ type: 'response.function_call_arguments.delta', response_id: responseId, item_id: itemId, output_index: i, call_id: callId, delta: d });
      }
      this.send({ type: 'response.function_call_arguments.done', response_id: responseId, item_id: itemId, output_index: i, call_id: callId, arguments: c.arguments, ...(this.dialect === 'ga' ? { name: c.name } : {}) });
      const fin = { ...item, status: 'completed', arguments: c.arguments };
      this.send({ type: 'response.output_item.done', response_id: responseId, output_index: i, item: fin });
      this.itemDone(fin);
      done.push(fin);
    });
    this.responseDone(responseId, 'completed', done);
    return { responseId, callIds };
  }
}

/** The scripted server. */
export class ScriptedServer {
  readonly connections: ScriptedConnection[] = [];
  readonly precheckRequests: PrecheckRequest[] = [];
  precheck: PrecheckAnswer = { status: 200, body: '{"ok":true}' };
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private waiters: ((c: ScriptedConnection) => void)[] = [];
  private port = 0;
  private readonly opts: ScriptedServerOptions;

  private constructor(opts: ScriptedServerOptions) {
    this.opts = opts;
    this.http = createServer((req, res) => {
      this.precheckRequests.push({ url: req.url ?? '', authorization: req.headers.authorization });
      res.writeHead(this.precheck.status, { 'content-type': 'application/json' });
      res.end(this.precheck.body);
    });
    this.wss = new WebSocketServer({
      noServer: true,
      // Select `realtime` when offered, as WHATWG clients require a selected subprotocol.
      handleProtocols: (protocols) => (protocols.has('realtime') ? 'realtime' : false),
    });
    this.http.on('upgrade', (req, socket, head) => {
      if (this.opts.upgradeStatus) {
        socket.end(`HTTP/1.1 ${this.opts.upgradeStatus} Refused\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        const conn = new ScriptedConnection(ws, req, {
          autoSessionCreated: this.opts.autoSessionCreated ?? true,
          autoSessionUpdated: this.opts.autoSessionUpdated ?? true,
        });
        this.connections.push(conn);
        const w = this.waiters;
        this.waiters = [];
        for (const resolve of w) resolve(conn);
      });
    });
  }

  /** Starts a server on 127.0.0.1 and an ephemeral port. */
  static async start(opts: ScriptedServerOptions = {}): Promise<ScriptedServer> {
    const s = new ScriptedServer(opts);
    await new Promise<void>((resolve) => s.http.listen(0, '127.0.0.1', resolve));
    s.port = (s.http.address() as AddressInfo).port;
    return s;
  }

  /** `ws://127.0.0.1:PORT/v1/realtime`. */
  get url(): string {
    return `ws://127.0.0.1:${this.port}/v1/realtime`;
  }

  /** Resolves with the next connection (or the first one not yet handed out when `index` is given). */
  nextConnection(timeoutMs = 5000): Promise<ScriptedConnection> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no connection')), timeoutMs);
      this.waiters.push((c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
  }

  /** Closes every socket and the server. */
  async close(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }
}
