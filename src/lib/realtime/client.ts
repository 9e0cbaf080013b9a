/**
 * RealtimeClient: the reference client's API (connect, updateSession, sendUserMessageContent, appendInputAudio,
 * createResponse, cancelResponse, tools, waitFor…, conversation) over both dialects and both providers, with typed
 * failures and no quadratic work per audio frame. Runs in browsers and in Node (inject `ws` as `WebSocket`).
 */

import { encodeBase64 } from '../dsp/base64';
import { decodeAlaw, decodeMulaw, encodeAlaw, encodeMulaw } from '../dsp/g711';
import { floatTo16BitPCM } from '../dsp/pcm';
import { Conversation, type ConversationChange, type ConversationItem, type ItemAudioFormat, type ItemDelta, type ResponseRecord } from './conversation';
import { Emitter } from './emitter';
import { ClientStateError, ConnectionError, InvalidArgumentError, RealtimeProtocolError, reasonForHttpStatus } from './errors';
import { msToSamples } from './formats';
import { InputRing } from './input-ring';
import { parseFrame } from './normalize';
import {
  API_KEY_SUBPROTOCOL_PREFIX,
  BETA_HEADER_NAME,
  BETA_HEADER_VALUE,
  BETA_SUBPROTOCOL,
  REALTIME_SUBPROTOCOL,
  type ContentPart,
  type Dialect,
  type Modality,
  type RawEvent,
  type ToolChoice,
  type ToolDefinition,
  type WireError,
  type WireSession,
} from './protocol';
import { getProvider, type ProviderCapabilities, type ProviderId, type ProviderProfile } from './providers';
import { readSession, writeBetaSession, writeSession, type FormatSpec, type SessionConfig } from './session';
import { ToolRegistry, ToolRunner, type ToolHandler } from './tools';
import { Transport, type CloseInfo, type ConnectionState, type WebSocketConstructor } from './transport';
import { buildRealtimeUrl, precheckUrl } from './url';
import { waitForEvent, type WaitOptions } from './wait';

/** Debug logger: `true` logs to the console, a function receives the messages. Off by default. */
export type DebugOption = boolean | ((message: string, data?: unknown) => void);

/** Constructor options (the reference client's, plus provider, dialect and injection points). */
export interface RealtimeClientOptions {
  /** WebSocket URL; default: the provider profile's URL. */
  url?: string;
  apiKey?: string;
  /** Required to use `apiKey` in a browser (the key is visible to the page's users). */
  dangerouslyAllowAPIKeyInBrowser?: boolean;
  /** Provider profile or its id (default `xstar`). */
  provider?: ProviderId | ProviderProfile;
  /** Overrides the profile's dialect. */
  dialect?: Dialect;
  /** WebSocket implementation (required in Node 20: pass `ws`). Default: `globalThis.WebSocket`. */
  WebSocket?: WebSocketConstructor;
  debug?: DebugOption;
  /** `header` (Authorization / OpenAI-Beta headers; Node `ws`) or `subprotocol` (browsers). Default by environment. */
  authStyle?: 'header' | 'subprotocol';
  /** Run the HTTP pre-check before opening the socket. Default: the profile's `precheckByDefault` when a key is set. */
  precheck?: boolean;
  /** fetch implementation for the pre-check (default `globalThis.fetch`). */
  fetch?: typeof fetch;
  /** Connect (and pre-check) timeout, ms (default 10000). */
  connectTimeoutMs?: number;
  /** Overrides of the profile's capabilities (e.g. `{ truncate: true }`). */
  capabilities?: Partial<ProviderCapabilities>;
  /** Seconds of recent input audio kept to attach to user items (default 60). */
  inputRingSeconds?: number;
  /** Timeout of a tool handler, ms (default 30000). */
  toolTimeoutMs?: number;
  /** Extra query parameters for every connection. */
  query?: Record<string, string>;
}

/** `connect()` arguments. */
export interface ConnectOptions {
  /** Model id, or `id@provider` (xStar). Default: the profile's default model. */
  model?: string;
  /** xStar user id (chat memory per user); left out when empty. */
  userId?: string;
  signal?: AbortSignal;
}

/** The `realtime.event` payload: every frame sent or received, as it was on the wire. */
export interface RealtimeEventPayload {
  /** ISO time. */
  time: string;
  /** ms since epoch. */
  timestamp: number;
  source: 'client' | 'server';
  event: RawEvent;
  /** Internal (normalised) type for server events. */
  normalizedType?: string;
}

/** Where an `error` came from. */
export type ClientErrorSource = 'server' | 'socket' | 'protocol' | 'connection' | 'listener' | 'tool';

/** The `error` event payload. */
export interface RealtimeClientErrorEvent {
  source: ClientErrorSource;
  message: string;
  error: Error;
  /** The server's error object (source `server`). */
  serverError?: WireError;
  /** The raw server event (source `server`). */
  event?: RawEvent;
}

/** Connection-state change. */
export interface ConnectionStateChange {
  state: ConnectionState;
  previous: ConnectionState;
  /** Set with `closed`. */
  close?: CloseInfo;
}

/** Events of the client. */
export interface RealtimeClientEvents {
  'realtime.event': RealtimeEventPayload;
  'conversation.updated': { item: ConversationItem; delta: ItemDelta | null };
  'conversation.item.appended': { item: ConversationItem };
  /** The item reached a terminal status (`item.status` says which). */
  'conversation.item.completed': { item: ConversationItem };
  'conversation.item.deleted': { item: ConversationItem };
  /** The user started speaking (server VAD): stop playback and call `cancelResponse(trackId, offset)`. */
  'conversation.interrupted': { itemId: string; audioStartMs: number };
  error: RealtimeClientErrorEvent;
  'connection.state': ConnectionStateChange;
  /** The socket closed (reported once per connection). */
  close: CloseInfo;
  'session.created': { session: SessionConfig; raw: WireSession };
  'session.updated': { session: SessionConfig; raw: WireSession };
  'response.created': { response: ResponseRecord };
  'response.done': { response: ResponseRecord };
}

/** User content for `sendUserMessageContent`. Audio may be samples, bytes or base64. */
export type UserContent =
  | { type: 'input_text'; text: string }
  | { type: 'tts_text'; text: string }
  | { type: 'input_audio'; audio: Int16Array | Float32Array | ArrayBuffer | Uint8Array | string; transcript?: string }
  | { type: 'item_reference'; id: string }
  | { type: 'input_image'; image_url: string };

/** Audio for `appendInputAudio`: samples (Int16/Float32, encoded to the input format) or wire bytes. */
export type InputAudio = Int16Array | Float32Array | ArrayBuffer | Uint8Array;

/** Per-response overrides for `createResponse`, in the flat shape (written in the connection's dialect). */
export interface ResponseOptions {
  modalities?: Modality[];
  instructions?: string;
  voice?: string;
  output_audio_format?: FormatSpec;
  tools?: ToolDefinition[];
  tool_choice?: ToolChoice;
  temperature?: number;
  max_response_output_tokens?: number | 'inf';
  conversation?: 'auto' | 'none';
  metadata?: Record<string, unknown>;
}

/** What `cancelResponse` did. */
export interface CancelResult {
  /** The item named by `trackId`, if known. */
  item: ConversationItem | null;
  /** `response.cancel` was sent (a response was active). */
  cancelled: boolean;
  /** The truncate that was sent, or null (no item, no audio, or truncate unsupported). */
  truncate: { itemId: string; contentIndex: number; audioEndMs: number } | null;
}

const DEFAULT_CONNECT_TIMEOUT = 10_000;
const isBrowser = () => typeof document !== 'undefined';

/** The realtime client. */
export class RealtimeClient {
  /** The client's conversation (cleared by `disconnect()`). */
  readonly conversation = new Conversation();
  readonly profile: ProviderProfile;
  readonly dialect: Dialect;
  readonly capabilities: ProviderCapabilities;

  private readonly emitter: Emitter<RealtimeClientEvents>;
  private readonly url: string;
  private readonly apiKey: string | undefined;
  private readonly opts: RealtimeClientOptions;
  private readonly tools = new ToolRegistry();
  private readonly toolRunner: ToolRunner;
  private readonly log: ((message: string, data?: unknown) => void) | null;

  private transport: Transport | null = null;
  private state: ConnectionState = 'idle';
  private sessionConfig: SessionConfig = {};
  private sessionConfigured = false;
  private effectiveSession: SessionConfig | null = null;
  private sessionCreated = false;
  private ring: InputRing | null = null;
  /** ms of input timeline before the current ring (the ring restarts when the input rate changes). */
  private ringBaseMs = 0;
  private uncommittedFrom: number | null = null;
  /** Audio was appended since the last commit/clear (whatever its format). */
  private uncommittedAudio = false;
  private readonly pendingCommits: { startSample: number; endSample: number; ring: InputRing }[] = [];
  private lastServerErrorCode: string | null = null;
  /** The negotiated format specs (requested, then as the server reports them). */
  private readonly formatSpecs: { input: FormatSpec | null; output: FormatSpec | null } = { input: null, output: null };
  /** Once tools were added, every update carries the full list (so removing the last one clears it). */
  private toolsTouched = false;
  private eventSeq = 0;
  /** Incremented by every connect and disconnect, so a superseded connect attempt knows it. */
  private attempt = 0;

  constructor(options: RealtimeClientOptions = {}) {
    this.opts = { ...options };
    this.profile = getProvider(options.provider);
    this.dialect = options.dialect ?? this.profile.dialect;
    this.capabilities = { ...this.profile.capabilities, ...options.capabilities };
    this.url = options.url ?? this.profile.defaultUrl;
    this.apiKey = options.apiKey || undefined;
    if (this.apiKey && isBrowser() && !options.dangerouslyAllowAPIKeyInBrowser) {
      throw new ConnectionError(
        'insecure_browser_key',
        'an API key in the browser is visible to every user of the page: pass dangerouslyAllowAPIKeyInBrowser: true to accept that, or use the local relay',
      );
    }
    this.log = !options.debug ? null : typeof options.debug === 'function' ? options.debug : (m, d) => console.debug(`[realtime] ${m}`, d ?? '');
    this.emitter = new Emitter<RealtimeClientEvents>((err, eventName) => {
      if (eventName === 'error') return; // an error listener failing must not loop
      const error = err instanceof Error ? err : new Error(String(err));
      this.emitter.emit('error', { source: 'listener', message: `a "${eventName}" listener failed: ${error.message}`, error });
    });
    this.toolRunner = new ToolRunner(
      this.tools,
      {
        sendOutput: (callId, output) => this.sendEvent({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: callId, output } }),
        createResponse: () => {
          if (this.isConnected()) this.createResponse();
        },
        reportError: (error, call) => this.emitter.emit('error', { source: 'tool', message: `tool "${call.name}" failed: ${error.message}`, error }),
      },
      options.toolTimeoutMs,
    );
    this.conversation.setFormats(null, null);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Events

  /** Adds a listener; returns it. Listeners are isolated: one that throws or rejects is reported as `error`. */
  on<K extends keyof RealtimeClientEvents>(name: K, listener: (payload: RealtimeClientEvents[K]) => unknown): (payload: RealtimeClientEvents[K]) => unknown {
    this.emitter.on(name, listener as (p: RealtimeClientEvents[K]) => void);
    return listener;
  }

  /** Removes a listener, or all listeners of `name`. */
  off<K extends keyof RealtimeClientEvents>(name: K, listener?: (payload: RealtimeClientEvents[K]) => unknown): void {
    this.emitter.off(name, listener as ((p: RealtimeClientEvents[K]) => void) | undefined);
  }

  /** Adds a one-shot listener; returns a function that removes it. */
  once<K extends keyof RealtimeClientEvents>(name: K, listener: (payload: RealtimeClientEvents[K]) => unknown): () => void {
    return this.emitter.once(name, listener as (p: RealtimeClientEvents[K]) => void);
  }

  /** Number of listeners (for leak checks). */
  listenerCount(name: keyof RealtimeClientEvents): number {
    return this.emitter.listenerCount(name);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Connection

  /** The connection state. */
  getState(): ConnectionState {
    return this.state;
  }

  /** True while the socket is open. */
  isConnected(): boolean {
    return this.state === 'open';
  }

  /** Bytes queued in the socket but not yet sent (for backpressure on the microphone loop); 0 when closed. */
  getBufferedAmount(): number {
    return this.transport?.bufferedAmount ?? 0;
  }

  /** True once `session.created` arrived on this connection. */
  isSessionCreated(): boolean {
    return this.sessionCreated;
  }

  /**
   * Pre-checks (optional), opens the socket and resolves once it is open. Rejects with a {@link ConnectionError}.
   * If a session config was set before (updateSession/addTool), it is sent once, right after open.
   */
  async connect(options: ConnectOptions = {}): Promise<true> {
    if (this.state === 'connecting' || this.state === 'open') throw new ClientStateError('already connected or connecting');
    const Ctor = this.opts.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!Ctor) throw new ConnectionError('no_websocket', 'no WebSocket implementation: pass the `ws` package as options.WebSocket in Node');
    const extra: Record<string, string> = { ...this.opts.query };
    const url = buildRealtimeUrl(this.url, {
      model: options.model ?? this.profile.defaultModel,
      userId: this.profile.extraQueryParams.includes('userId') ? options.userId : undefined,
      extra,
    });
    const authStyle = this.opts.authStyle ?? (isBrowser() ? 'subprotocol' : 'header');
    const protocols: string[] = [];
    const headers: Record<string, string> = {};
    if (authStyle === 'subprotocol') {
      protocols.push(REALTIME_SUBPROTOCOL);
      if (this.apiKey) protocols.push(API_KEY_SUBPROTOCOL_PREFIX + this.apiKey);
      if (this.dialect === 'beta') protocols.push(BETA_SUBPROTOCOL);
    } else {
      if (this.apiKey) headers.Authorization = `Bearer ${this.apiKey}`;
      if (this.dialect === 'beta') headers[BETA_HEADER_NAME] = BETA_HEADER_VALUE;
    }
    const attempt = ++this.attempt;
    this.resetSessionState();
    this.setState('connecting');
    this.log?.('connecting', { url, dialect: this.dialect, authStyle, protocols: protocols.map((p) => (p.startsWith(API_KEY_SUBPROTOCOL_PREFIX) ? `${API_KEY_SUBPROTOCOL_PREFIX}***` : p)) });
    const timeoutMs = this.opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT;
    try {
      const doPrecheck = this.opts.precheck ?? (this.profile.precheckByDefault && !!this.apiKey);
      if (doPrecheck) await this.precheck(url, timeoutMs, options.signal);
      if (attempt !== this.attempt) throw new ConnectionError('aborted', 'disconnected while connecting');
      const transport = new Transport({
        WebSocket: Ctor,
        url,
        protocols,
        headers,
        connectTimeoutMs: timeoutMs,
        onMessage: (text) => {
          try {
            this.receive(text);
          } catch (err) {
            // Nothing in receive() is expected to throw; if it does, it is reported, never thrown into the socket.
            const error = err instanceof Error ? err : new Error(String(err));
            this.emitter.emit('error', { source: 'protocol', message: `failed to handle a frame: ${error.message}`, error });
          }
        },
        onSocketError: (error) => this.emitter.emit('error', { source: 'socket', message: error.message, error }),
        onClose: (info) => this.handleClose(transport, info),
        explainClose: (code, reason) =>
          this.lastServerErrorCode === 'invalid_api_key' ? new ConnectionError('unauthorized', `server refused the API key (close ${code})`, { code, closeReason: reason }) : undefined,
      });
      this.transport = transport;
      await transport.open(options.signal);
      if (attempt !== this.attempt) throw new ConnectionError('aborted', 'disconnected while connecting');
    } catch (err) {
      const error = err instanceof ConnectionError ? err : new ConnectionError('unreachable', err instanceof Error ? err.message : String(err), { cause: err });
      // A connect superseded by disconnect() (or a newer connect) only reports to its caller.
      if (attempt !== this.attempt) throw error;
      this.transport = null;
      this.setState('closed', { code: error.code ?? 1006, reason: error.closeReason ?? error.message, wasClean: false, error });
      this.emitter.emit('error', { source: 'connection', message: error.message, error });
      throw error;
    }
    this.setState('open');
    if (this.sessionConfigured) this.sendSessionUpdate();
    return true;
  }

  /** Closes the connection and clears the client's conversation (the reference behaviour). */
  disconnect(): void {
    this.attempt++;
    const t = this.transport;
    this.transport = null;
    if (t) {
      if (this.state === 'open') this.setState('closing');
      t.close(1000, 'client disconnect');
    }
    if (this.state === 'connecting') {
      // Pre-check or handshake in flight: that attempt now rejects as aborted; report the end here.
      const info: CloseInfo = { code: 1000, reason: 'client disconnect', wasClean: true };
      this.setState('closed', info);
      this.emitter.emit('close', info);
    }
    this.toolRunner.reset();
    this.conversation.clear();
    this.resetSessionState();
  }

  /** Disconnects, removes every listener, and resets session config and tools. */
  reset(): void {
    this.disconnect();
    this.emitter.clear();
    this.tools.clear();
    this.toolsTouched = false;
    this.formatSpecs.input = null;
    this.formatSpecs.output = null;
    this.conversation.setFormats(null, null);
    this.sessionConfig = {};
    this.sessionConfigured = false;
    this.effectiveSession = null;
  }

  /** Resolves when `session.created` has arrived (at once if it already has). */
  async waitForSessionCreated(opts: WaitOptions = {}): Promise<SessionConfig> {
    if (this.sessionCreated) return this.effectiveSession ?? {};
    if (this.state !== 'connecting' && this.state !== 'open') throw new ClientStateError('not connected');
    const timeoutMs = opts.timeoutMs ?? this.opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT;
    const { session } = await waitForEvent(this.emitter, 'session.created', {
      ...opts,
      timeoutMs,
      onTimeout: () => new ConnectionError('no_session_created', `no session.created within ${timeoutMs} ms`),
      failOn: { close: (info) => info.error ?? new ConnectionError('closed', `connection closed: ${info.code} ${info.reason}`.trim(), { code: info.code, closeReason: info.reason }) },
    });
    return session;
  }

  /** Resolves with the next item appended to the conversation. */
  waitForNextItem(opts: WaitOptions = {}): Promise<{ item: ConversationItem }> {
    return waitForEvent(this.emitter, 'conversation.item.appended', opts);
  }

  /** Resolves with the next item that reaches a terminal status. */
  waitForNextCompletedItem(opts: WaitOptions = {}): Promise<{ item: ConversationItem }> {
    return waitForEvent(this.emitter, 'conversation.item.completed', opts);
  }

  /** Resolves with the next payload of any client event (with timeout and AbortSignal). */
  waitFor<K extends keyof RealtimeClientEvents>(name: K, opts: WaitOptions & { filter?: (p: RealtimeClientEvents[K]) => boolean } = {}): Promise<RealtimeClientEvents[K]> {
    return waitForEvent(this.emitter, name, opts);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Session

  /**
   * Merges `config` into the session config and, when connected, sends it in the connection's dialect (added tools
   * included). Returns the keys the dialect could not carry (e.g. `temperature` for GA).
   */
  updateSession(config: SessionConfig = {}): { sent: boolean; dropped: string[] } {
    for (const [k, v] of Object.entries(config)) if (v !== undefined) this.sessionConfig[k] = v;
    this.sessionConfigured = true;
    this.applyFormats(this.sessionConfig);
    if (!this.isConnected()) return { sent: false, dropped: [] };
    return this.sendSessionUpdate();
  }

  /** The config as requested (merged updates). */
  getSessionConfig(): SessionConfig {
    return { ...this.sessionConfig, tools: this.allTools() };
  }

  /** The config the server reports (last `session.created`/`session.updated`), or null. */
  getEffectiveSession(): SessionConfig | null {
    return this.effectiveSession;
  }

  /** `turn_detection.type` of the session (effective if known), or null for manual turns. */
  getTurnDetectionType(): string | null {
    const td = (this.effectiveSession ?? this.sessionConfig).turn_detection;
    if (!td || typeof td !== 'object') return null;
    const t = td.type;
    return typeof t === 'string' && t !== 'none' ? t : null;
  }

  /** Adds a tool and updates the session. Throws {@link InvalidArgumentError} for a bad or duplicate tool. */
  addTool(definition: ToolDefinition, handler: ToolHandler): { definition: ToolDefinition; handler: ToolHandler } {
    const tool = this.tools.add(definition, handler);
    this.toolsTouched = true;
    this.updateSession({});
    return tool;
  }

  /** Removes a tool and updates the session. Throws {@link InvalidArgumentError} when it does not exist. */
  removeTool(name: string): true {
    this.tools.remove(name);
    this.updateSession({});
    return true;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Conversation

  /**
   * Sends a user message (`input_text`, `tts_text`, `input_audio`) and, unless `createResponse: false` or the content
   * is empty, asks for a response. The caller's objects are never modified.
   */
  sendUserMessageContent(content: readonly UserContent[] = [], opts: { createResponse?: boolean } = {}): boolean {
    if (!Array.isArray(content)) throw new InvalidArgumentError('content must be an array');
    const parts: ContentPart[] = content.map((c) => this.contentPart(c));
    if (parts.length === 0) return false;
    const sent = this.sendEvent({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: parts } });
    if (sent && opts.createResponse !== false) this.createResponse();
    return sent;
  }

  /**
   * Appends input audio. Int16/Float32 samples are encoded to the input format (PCM or G.711); ArrayBuffer and
   * Uint8Array are taken as bytes already in the input format. A no-op returning false while disconnected.
   */
  appendInputAudio(audio: InputAudio): boolean {
    if (!this.isConnected()) return false;
    const fmt = this.conversation.getFormats().input;
    let wire: Uint8Array;
    let samples: Int16Array | null = null;
    if (audio instanceof Int16Array || audio instanceof Float32Array) {
      samples = audio instanceof Float32Array ? floatTo16BitPCM(audio) : audio;
      if (fmt.encoding === 'pcm16') wire = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
      else if (fmt.encoding === 'g711_ulaw') wire = encodeMulaw(samples);
      else if (fmt.encoding === 'g711_alaw') wire = encodeAlaw(samples);
      else throw new InvalidArgumentError(`input format ${fmt.name ?? fmt.encoding} is compressed: pass encoded bytes, not samples`);
    } else if (audio instanceof ArrayBuffer || audio instanceof Uint8Array) {
      wire = audio instanceof Uint8Array ? audio : new Uint8Array(audio);
      if (fmt.encoding === 'pcm16') samples = bytesAsInt16(wire);
      else if (fmt.encoding === 'g711_ulaw') samples = decodeMulaw(wire);
      else if (fmt.encoding === 'g711_alaw') samples = decodeAlaw(wire);
    } else {
      throw new InvalidArgumentError('appendInputAudio takes an Int16Array, Float32Array, ArrayBuffer or Uint8Array');
    }
    if (wire.byteLength === 0) return false;
    this.uncommittedAudio = true;
    if (samples && samples.length > 0) {
      const ring = this.inputRing(fmt);
      if (this.uncommittedFrom === null) this.uncommittedFrom = ring.position;
      ring.write(samples);
    }
    return this.sendEvent({ type: 'input_audio_buffer.append', audio: encodeBase64(wire) });
  }

  /** Commits the input buffer (manual turns). The committed item gets the audio appended since the last commit. */
  commitInputAudio(): boolean {
    if (!this.isConnected()) return false;
    if (this.ring && this.uncommittedFrom !== null) {
      this.pendingCommits.push({ startSample: this.uncommittedFrom, endSample: this.ring.position, ring: this.ring });
    }
    this.uncommittedFrom = null;
    this.uncommittedAudio = false;
    return this.sendEvent({ type: 'input_audio_buffer.commit' });
  }

  /** Clears the server's input buffer. */
  clearInputAudio(): boolean {
    this.uncommittedFrom = null;
    this.uncommittedAudio = false;
    return this.sendEvent({ type: 'input_audio_buffer.clear' });
  }

  /**
   * Asks for a response. With manual turns (no turn detection) and uncommitted audio, commits it first.
   */
  createResponse(options?: ResponseOptions): boolean {
    if (!this.isConnected()) return false;
    if (this.getTurnDetectionType() === null && this.uncommittedAudio) this.commitInputAudio();
    const event: RawEvent = { type: 'response.create' };
    if (options) event.response = this.writeResponseOptions(options);
    return this.sendEvent(event);
  }

  /**
   * Stops the current response. `response.cancel` is sent only while a response is active. With `trackId` (the
   * assistant item id) and `sampleOffset` (samples of it actually played, at the item's output rate), also sends
   * `conversation.item.truncate` with `audio_end_ms = floor(sampleOffset / rate * 1000)`, clamped to the audio
   * received — unless the item has no audio or the provider does not support truncate.
   */
  cancelResponse(trackId?: string, sampleOffset = 0): CancelResult {
    const result: CancelResult = { item: null, cancelled: false, truncate: null };
    if (!this.isConnected()) return result;
    const active = this.conversation.getActiveResponseId();
    if (active) result.cancelled = this.sendEvent({ type: 'response.cancel' });
    if (trackId === undefined) return result;
    const item = this.conversation.getItem(trackId) ?? null;
    result.item = item;
    if (!item || item.type !== 'message' || item.role !== 'assistant' || !this.capabilities.truncate) return result;
    const fmt = item.formatted.audioFormat;
    if (!fmt || item.formatted.audioByteLength === 0) return result;
    const offset = Number.isFinite(sampleOffset) && sampleOffset > 0 ? sampleOffset : 0;
    let audioEndMs = Math.floor((offset / fmt.sampleRate) * 1000);
    const received = item.formatted.audioDurationMs;
    if (received !== null) audioEndMs = Math.min(audioEndMs, Math.floor(received));
    const idx = item.content.findIndex((p) => p.type === 'audio' || p.type === 'output_audio');
    const contentIndex = idx >= 0 ? idx : 0;
    if (this.sendEvent({ type: 'conversation.item.truncate', item_id: item.id, content_index: contentIndex, audio_end_ms: audioEndMs })) {
      result.truncate = { itemId: item.id, contentIndex, audioEndMs };
    }
    return result;
  }

  /** Deletes an item on the server (the local copy goes on `conversation.item.deleted`). */
  deleteItem(id: string): boolean {
    return this.sendEvent({ type: 'conversation.item.delete', item_id: id });
  }

  /** Sends any client event as it is (the composer). Returns false while disconnected. */
  sendEvent(event: RawEvent | { type: string; [k: string]: unknown }): boolean {
    const t = this.transport;
    if (!t || this.state !== 'open') return false;
    // A copy, so the caller's object is never changed.
    const out: RawEvent = { ...(event as RawEvent) };
    if (out.event_id === undefined) out.event_id = `evt_${Date.now().toString(36)}${(this.eventSeq++).toString(36)}`;
    const ok = t.send(JSON.stringify(out));
    if (ok) {
      if (this.emitter.has('realtime.event')) this.emitter.emit('realtime.event', { time: new Date().toISOString(), timestamp: Date.now(), source: 'client', event: out });
      if (this.log && out.type !== 'input_audio_buffer.append') this.log(`send ${out.type}`, out);
    }
    return ok;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Internals

  private setState(state: ConnectionState, close?: CloseInfo): void {
    if (state === this.state) return;
    const previous = this.state;
    this.state = state;
    const change: ConnectionStateChange = { state, previous };
    if (close) change.close = close;
    this.emitter.emit('connection.state', change);
  }

  private resetSessionState(): void {
    this.sessionCreated = false;
    this.ring?.reset();
    this.ring = null;
    this.ringBaseMs = 0;
    this.uncommittedFrom = null;
    this.uncommittedAudio = false;
    this.pendingCommits.length = 0;
    this.lastServerErrorCode = null;
  }

  private handleClose(transport: Transport, info: CloseInfo): void {
    if (this.transport === transport) this.transport = null;
    if (info.error) {
      // Unexpected close: every open item ends, and the close is an error.
      for (const change of this.conversation.abandon('incomplete')) this.emitChange(change);
      this.emitter.emit('error', { source: 'connection', message: info.error.message, error: info.error });
    }
    this.setState('closed', info);
    this.emitter.emit('close', info);
    this.log?.('closed', { code: info.code, reason: info.reason });
  }

  private async precheck(url: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const f = this.opts.fetch ?? globalThis.fetch;
    if (!f) return;
    const target = precheckUrl(url);
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await f(target, { method: 'GET', headers: this.apiKey ? { Authorization: `Bearer ${this.apiKey}` } : {}, signal: combined });
    } catch (cause) {
      if (signal?.aborted) throw new ConnectionError('aborted', 'connect aborted', { cause });
      if (timeout.aborted) throw new ConnectionError('timeout', `pre-check got no answer within ${timeoutMs} ms`, { cause });
      throw new ConnectionError('unreachable', `pre-check failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    }
    if (res.ok) {
      await res.body?.cancel().catch(() => {});
      return;
    }
    let body = '';
    try {
      body = (await res.text()).slice(0, 4096);
    } catch {
      // body unreadable: the status alone is the evidence
    }
    const reason = reasonForHttpStatus(res.status);
    throw new ConnectionError(reason, `pre-check answered HTTP ${res.status}${body ? `: ${body.slice(0, 200)}` : ''}`, { status: res.status, body });
  }

  private receive(text: string): void {
    const parsed = parseFrame(text);
    if (!parsed.ok) {
      const error = new RealtimeProtocolError(parsed.message, { frame: parsed.frame });
      this.emitter.emit('error', { source: 'protocol', message: parsed.message, error });
      return;
    }
    const { event, type } = parsed;
    if (this.emitter.has('realtime.event')) {
      this.emitter.emit('realtime.event', { time: new Date().toISOString(), timestamp: Date.now(), source: 'server', event, normalizedType: type });
    }
    if (this.log && type !== 'response.output_audio.delta') this.log(`receive ${event.type}`, event);
    switch (type) {
      case 'error': {
        const serverError = (event.error && typeof event.error === 'object' ? event.error : { message: 'server error' }) as WireError;
        if (typeof serverError.code === 'string') this.lastServerErrorCode = serverError.code;
        const message = serverError.message ?? serverError.code ?? 'server error';
        this.emitter.emit('error', { source: 'server', message, error: new RealtimeProtocolError(message, { serverError }), serverError, event });
        return;
      }
      case 'session.created':
      case 'session.updated': {
        const raw = event.session as WireSession | undefined;
        if (raw && typeof raw === 'object') {
          const session = readSession(raw);
          this.effectiveSession = session;
          this.applyFormats(session);
          if (type === 'session.created') this.sessionCreated = true;
          this.emitter.emit(type, { session, raw });
        }
        return;
      }
    }
    const result = this.conversation.apply(type, event);
    if (result.error) {
      const error = new RealtimeProtocolError(`cannot apply ${event.type}: ${result.error}`);
      this.emitter.emit('error', { source: 'protocol', message: error.message, error, event });
    }
    if (result.responseCreated) this.emitter.emit('response.created', { response: result.responseCreated });
    if (result.interrupted) this.emitter.emit('conversation.interrupted', result.interrupted);
    for (const change of result.changes) this.emitChange(change);
    if (result.speechStopped) this.attachSpeech(result.speechStopped);
    if (result.committed) this.attachCommit(result.committed.itemId);
    if (result.functionCallDone) {
      const item = result.functionCallDone;
      this.toolRunner.callDone({ itemId: item.id, callId: item.call_id ?? '', name: item.name ?? '', arguments: item.arguments ?? '', responseId: item.responseId });
    }
    if (result.responseDone) {
      this.emitter.emit('response.done', { response: result.responseDone });
      this.toolRunner.responseDone(result.responseDone.id);
    }
  }

  private emitChange(change: ConversationChange): void {
    const { item } = change;
    if (change.deleted) {
      this.emitter.emit('conversation.item.deleted', { item });
      this.emitter.emit('conversation.updated', { item, delta: null });
      return;
    }
    if (change.appended) this.emitter.emit('conversation.item.appended', { item });
    this.emitter.emit('conversation.updated', { item, delta: change.delta });
    if (change.completed) this.emitter.emit('conversation.item.completed', { item });
  }

  private inputRing(fmt: ItemAudioFormat): InputRing {
    if (this.ring && this.ring.sampleRate === fmt.sampleRate) return this.ring;
    if (this.ring) this.ringBaseMs += (this.ring.position / this.ring.sampleRate) * 1000;
    this.ring = new InputRing(fmt.sampleRate, this.opts.inputRingSeconds ?? 60);
    this.uncommittedFrom = null;
    return this.ring;
  }

  private attachSpeech(s: { itemId: string; audioStartMs: number | null; audioEndMs: number }): void {
    const ring = this.ring;
    if (!ring) return;
    const fmt = { encoding: 'pcm16' as const, sampleRate: ring.sampleRate, bytesPerSample: 2 };
    const startMs = s.audioStartMs ?? 0;
    const samples = ring.read(msToSamples(fmt, startMs - this.ringBaseMs), msToSamples(fmt, s.audioEndMs - this.ringBaseMs));
    // Audio up to the speech end is now owned by this item; a manual commit would start after it.
    const change = this.conversation.attachInputAudio(s.itemId, samples, { startMs, endMs: s.audioEndMs }, this.conversation.getFormats().input);
    if (change) this.emitChange(change);
  }

  private attachCommit(itemId: string): void {
    const pending = this.pendingCommits.shift();
    const item = this.conversation.getItem(itemId);
    if (!pending || (item && item.formatted.audioEndMs !== undefined)) return;
    const { ring } = pending;
    const samples = ring.read(pending.startSample, pending.endSample);
    const toMs = (n: number) => this.ringBaseMs + (n / ring.sampleRate) * 1000;
    const change = this.conversation.attachInputAudio(itemId, samples, { startMs: toMs(pending.startSample), endMs: toMs(pending.endSample) }, this.conversation.getFormats().input);
    if (change) this.emitChange(change);
  }

  private applyFormats(config: SessionConfig): void {
    // Keep the specs as given (a GA object carries its rate; its `type` alone would not).
    if (config.input_audio_format !== undefined) this.formatSpecs.input = config.input_audio_format;
    if (config.output_audio_format !== undefined) this.formatSpecs.output = config.output_audio_format;
    this.conversation.setFormats(this.formatSpecs.input, this.formatSpecs.output);
    if (config.input_audio_transcription !== undefined) this.conversation.setTranscriptionEnabled(!!config.input_audio_transcription);
  }

  private allTools(): ToolDefinition[] {
    const added = this.tools.definitions();
    const names = new Set(added.map((t) => t.name));
    const own = (this.sessionConfig.tools ?? []).filter((t) => !names.has(t.name));
    return [...own, ...added];
  }

  private sendSessionUpdate(): { sent: boolean; dropped: string[] } {
    const config: SessionConfig = { ...this.sessionConfig };
    const tools = this.allTools();
    if (tools.length > 0 || this.toolsTouched || this.sessionConfig.tools !== undefined) config.tools = tools;
    const { session, dropped } = writeSession(config, this.dialect, this.profile.id !== 'openai');
    if (dropped.length > 0) this.log?.('session keys not sent in this dialect', dropped);
    const sent = this.sendEvent({ type: 'session.update', session });
    return { sent, dropped };
  }

  private writeResponseOptions(o: ResponseOptions): Record<string, unknown> {
    if (this.dialect === 'beta') return writeBetaSession({ ...o }, this.profile.id !== 'openai').session;
    const { session } = writeSession(
      { modalities: o.modalities, instructions: o.instructions, voice: o.voice, output_audio_format: o.output_audio_format, tools: o.tools, tool_choice: o.tool_choice, max_response_output_tokens: o.max_response_output_tokens },
      'ga',
    );
    const { type: _type, ...rest } = session as Record<string, unknown>;
    const out: Record<string, unknown> = { ...rest };
    const audio = rest.audio as { output?: unknown } | undefined;
    if (audio) out.audio = audio.output ? { output: audio.output } : undefined;
    if (out.audio === undefined) delete out.audio;
    if (o.conversation) out.conversation = o.conversation;
    if (o.metadata) out.metadata = o.metadata;
    return out;
  }

  private contentPart(c: UserContent): ContentPart {
    if (!c || typeof c !== 'object') throw new InvalidArgumentError('content parts must be objects');
    switch (c.type) {
      case 'input_text':
        return { type: 'input_text', text: String(c.text ?? '') };
      case 'tts_text':
        if (!this.capabilities.ttsText) throw new InvalidArgumentError(`provider ${this.profile.id} does not support tts_text`);
        return { type: 'tts_text', text: String(c.text ?? '') };
      case 'input_audio': {
        const a = c.audio;
        let b64: string;
        if (typeof a === 'string') b64 = a;
        else if (a instanceof Float32Array) b64 = encodeBase64(floatTo16BitPCM(a));
        else if (a instanceof Int16Array || a instanceof Uint8Array || a instanceof ArrayBuffer) b64 = encodeBase64(a);
        else throw new InvalidArgumentError('input_audio needs Int16Array, Float32Array, ArrayBuffer, Uint8Array or base64 audio');
        const part: ContentPart = { type: 'input_audio', audio: b64 };
        if (c.transcript !== undefined) part.transcript = c.transcript;
        return part;
      }
      case 'item_reference':
        return { type: 'item_reference', id: c.id };
      case 'input_image':
        return { type: 'input_image', image_url: c.image_url };
      default:
        throw new InvalidArgumentError(`unknown content type ${(c as { type?: unknown }).type as string}`);
    }
  }
}

function bytesAsInt16(bytes: Uint8Array): Int16Array {
  const n = bytes.byteLength >> 1;
  if ((bytes.byteOffset & 1) === 0) return new Int16Array(bytes.buffer, bytes.byteOffset, n);
  return new Int16Array(bytes.slice(0, n * 2).buffer);
}
