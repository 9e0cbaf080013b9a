// The session bridge: the ONE place that wires RealtimeClient + the audio layer (WavRecorder, WavStreamPlayer) to
// the stores. Components call its commands (ConsoleCommands + the extras below) and read the stores; they never
// touch a socket, an AudioContext or a MediaStream. Runs in Node too (inject `ws` and the null audio layer).
import { RealtimeClient, type RealtimeClientEvents, type RealtimeEventPayload } from '../lib/realtime/client';
import { ConnectionError } from '../lib/realtime/errors';
import type { ConversationItem as ClientItem, ItemDelta, TranscriptStatus as ClientTranscriptStatus } from '../lib/realtime/conversation';
import { resolveFormat } from '../lib/realtime/formats';
import type { ToolDefinition } from '../lib/realtime/protocol';
import { Reconnector, type ReconnectEvent, type ReconnectPolicy } from '../lib/realtime/reconnect';
import type { CloseInfo, WebSocketConstructor } from '../lib/realtime/transport';
import { buildRealtimeUrl, precheckUrl } from '../lib/realtime/url';
import { rmsInt16 } from '../lib/dsp/pcm';
import {
  consoleStore,
  createEventBatcher,
  registerCommands,
  registerLevelSource,
  registerPlaybackSource,
  toSessionConfig,
  type ConsoleCommands,
  type ConsoleStore,
  type EventBatcher,
  type ItemRole,
  type Milestone,
  type SessionSettings,
  type TranscriptStatus,
} from '../store';
import { translate, type MessageKey } from '../i18n';
import { appStore as defaultAppStore, type AppStore, type SetupResult } from './app-store';
import type { AudioFrame, AudioLayer, PlaybackStats } from './audio-layer';
import { NullAudioLayer } from './audio-layer';
import { audioErrorInfo, connectionErrorInfo } from './errors';
import { loadKey, maskKey } from './key-storage';
import { FALLBACK_VOICES, OPENAI_VOICES, parseModelList, parseVoiceList } from './lists';
import { effectiveUrl, modelsUrlFor, pageOrigin, resolveProfile, voicesUrlFor, type ConsoleProfile } from './profiles';
import { reconnectStore as defaultReconnectStore, type ReconnectStore } from './reconnect-state';
import { generateUserId } from './user-id';

/** Options of {@link SessionBridge}. Everything is injectable for tests. */
export interface BridgeOptions {
  store?: ConsoleStore;
  appStore?: AppStore;
  /** Audio engine; default: none (the browser entry passes BrowserAudioLayer). */
  audio?: AudioLayer;
  /** WebSocket implementation (Node: `ws`). */
  WebSocket?: WebSocketConstructor;
  fetch?: typeof fetch;
  /** Page origin for the local profiles (default: location.origin). */
  origin?: string;
  /** The API key of a profile (default: key storage). */
  getKey?: (profileId: string) => string;
  /** Scheduler of the per-frame event batcher (default requestAnimationFrame). */
  schedule?: (cb: () => void) => () => void;
  /** How often player stats are polled into the store, ms (default 250). */
  statsIntervalMs?: number;
  /** Delay before an auto-applied session change is sent, ms (default 400). */
  applyDebounceMs?: number;
  /** Connect and `session.created` timeout, ms (default 10000). */
  connectTimeoutMs?: number;
  /** Extra query parameters on the WebSocket URL (e.g. the emulator's `reply=long`). */
  query?: Record<string, string>;
  /** Auto-reconnect setting and progress (default: the application's store). */
  reconnect?: ReconnectStore;
  /** Reconnect policy overrides (attempts, delays, jitter, which closes to retry). */
  reconnectPolicy?: Partial<ReconnectPolicy>;
  /** Random source of the reconnect jitter (tests). */
  random?: () => number;
}

/** The commands the UI may call: the store's {@link ConsoleCommands} plus session control. */
export interface BridgeCommands extends ConsoleCommands {
  connect(): Promise<boolean>;
  disconnect(): Promise<void>;
  /** Stops a running reconnect cycle (the state becomes closed). */
  cancelReconnect(): void;
  /** Sends the requested session config now (the "Apply" button). */
  applySession(): void;
  /** Push-to-talk pressed / released (manual turns). */
  pttStart(): void;
  pttEnd(): Promise<void>;
  setMuted(muted: boolean): void;
  setDuplex(duplex: 'full' | 'half'): void;
  selectDevice(deviceId: string | null): Promise<void>;
  /** A WAV file as the microphone (null: back to the microphone). */
  useWavFile(file: File | null): Promise<void>;
  /** Answers a queued function call with `output` (JSON text, or any text). */
  answerToolCall(callId: string, output: string): void;
  /** Speaks `text` with `voice` through `tts_text` (connected xStar-dialect sessions). */
  previewVoice(voice: string, text: string): boolean;
  runSetupCheck(): Promise<SetupResult[]>;
  loadServerInfo(): Promise<void>;
  loadModels(): Promise<void>;
  loadVoices(): Promise<void>;
}

const MIN_PTT_MS = 100;
const TOOL_TIMEOUT_MS = 10 * 60_000;

const TRANSCRIPT_STATUS: Record<ClientTranscriptStatus, TranscriptStatus> = {
  none: 'none',
  pending: 'none',
  streaming: 'partial',
  completed: 'final',
  failed: 'failed',
  truncated: 'truncated',
};

const SECRET_PARAMS = /^(api[-_]?key|key|token|access[-_]?token|auth|authorization|password|secret)$/i;

/** The URL without secrets: query parameters that look like credentials and any user:password part are masked. */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url.replace(/([?&](?:api[-_]?key|key|token|access[-_]?token|auth|password|secret)=)[^&#]*/gi, '$1***');
  }
  if (u.username || u.password) {
    u.username = u.username ? '***' : '';
    u.password = u.password ? '***' : '';
  }
  for (const k of [...u.searchParams.keys()]) if (SECRET_PARAMS.test(k)) u.searchParams.set(k, '***');
  return u.toString();
}

/** Parses a typed tool answer: JSON when it is JSON, else the text itself. */
export function parseToolAnswer(text: string): unknown {
  const t = text.trim();
  if (t === '') return null;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return text;
  }
}

/** The session bridge. One per page; `start()` registers it, the returned function releases everything. */
export class SessionBridge implements BridgeCommands {
  readonly store: ConsoleStore;
  readonly app: AppStore;
  readonly audio: AudioLayer;
  private readonly opts: BridgeOptions;
  private client: RealtimeClient | null = null;
  private profile: ConsoleProfile | null = null;
  private batcher: EventBatcher;
  private statsTimer: ReturnType<typeof setInterval> | null = null;
  private applyTimer: ReturnType<typeof setTimeout> | null = null;
  private unsubs: (() => void)[] = [];
  private inputLevel = 0;
  private pttSamples = 0;
  /** The recorder was paused by half duplex (resume on idle). */
  private halfPaused = false;
  private readonly recorded = new Set<string>();
  private readonly audibleTracks = new Set<string>();
  private readonly toolWaiters = new Map<string, (value: unknown) => void>();
  private registeredTools = new Map<string, string>();
  private lastStatsKey = '';
  private connectSeq = 0;
  /** The last audio release; a new session's audio starts after it. */
  private stopping: Promise<void> = Promise.resolve();
  private started = false;
  readonly reconnectState: ReconnectStore;
  /** The running reconnect cycle, if any. */
  private reconnector: Reconnector | null = null;

  constructor(options: BridgeOptions = {}) {
    this.opts = options;
    this.store = options.store ?? consoleStore;
    this.app = options.appStore ?? defaultAppStore;
    this.audio = options.audio ?? new NullAudioLayer();
    this.reconnectState = options.reconnect ?? defaultReconnectStore;
    this.batcher = createEventBatcher(this.store, options.schedule);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Lifecycle

  /** Registers the commands and the level/playback sources, and follows settings changes. Returns `dispose`. */
  start(): () => void {
    if (this.started) return () => this.dispose();
    this.started = true;
    const s = this.store.getState();
    if (!s.connection.userId) s.setProfileFields({ userId: generateUserId() });
    this.refreshKeyHint();
    this.unsubs.push(registerCommands(this));
    this.unsubs.push(
      registerLevelSource(() => ({
        input: this.audio.isRecording() && !this.store.getState().audio.muted ? this.inputLevel : 0,
        output: this.audio.outputLevel(),
      })),
    );
    this.unsubs.push(
      registerPlaybackSource(() => {
        const st = this.audio.stats();
        if (!st) return { bufferedMs: 0, trackId: null, offset: 0 };
        const ids = Object.keys(st.samplesRendered);
        const trackId = ids.length ? ids[ids.length - 1] : null;
        return { bufferedMs: st.bufferedMs, trackId, offset: trackId ? st.samplesRendered[trackId] : 0 };
      }),
    );
    this.unsubs.push(this.store.subscribe((next, prev) => this.onStoreChange(next, prev)));
    this.audio.onPlay = () => void this.onPlaybackStart();
    this.audio.onIdle = () => void this.onPlaybackIdle();
    this.audio.onFileEnded = () => this.store.getState().logLocal('mic_file_ended', {});
    this.audio.watchDevices((devices) => this.store.getState().setDevices(devices.map((d) => ({ deviceId: d.deviceId, label: d.label }))));
    void this.audio.listDevices().then((d) => {
      if (d.length) this.store.getState().setDevices(d.map((x) => ({ deviceId: x.deviceId, label: x.label })));
    });
    return () => this.dispose();
  }

  /** Disconnects and releases every listener, timer and registration. */
  async dispose(): Promise<void> {
    await this.disconnect();
    for (const u of this.unsubs.splice(0)) u();
    this.audio.watchDevices(null);
    this.audio.onPlay = null;
    this.audio.onIdle = null;
    this.audio.onFileEnded = null;
    this.batcher.dispose();
    this.started = false;
  }

  /** The live client (power users: `__realtimeConsole.bridge.getClient()`), or null. */
  getClient(): RealtimeClient | null {
    return this.client;
  }

  /** The player's stats: samples rendered per track and underruns (null without output). */
  playerStats(): PlaybackStats | null {
    return this.audio.stats();
  }

  private t(key: MessageKey, vars?: Record<string, string | number>): string {
    return translate(this.store.getState().ui.language, key, vars);
  }

  private keyFor(profile: ConsoleProfile): string {
    if (!profile.browserKey) return '';
    return this.opts.getKey ? this.opts.getKey(profile.id) : loadKey(profile.id).key;
  }

  /** Re-reads the stored key's presence for the current profile (after the key field changed). */
  refreshKeyHint(): void {
    const id = this.store.getState().connection.profileId;
    const stored = this.opts.getKey ? { key: this.opts.getKey(id), remember: false } : loadKey(id);
    this.app.setState({ key: { hint: maskKey(stored.key), remember: stored.remember } });
  }

  private currentProfile(): ConsoleProfile {
    return resolveProfile(this.store.getState().connection.profileId, this.opts.origin ?? pageOrigin());
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Connect / disconnect

  async connect(): Promise<boolean> {
    if (this.client) return this.client.isConnected();
    this.stopReconnect(); // a connect by hand ends a reconnect cycle
    const seq = ++this.connectSeq;
    try {
      return await this.openSession(seq, false);
    } catch (err) {
      if (seq !== this.connectSeq) return false; // disconnected meanwhile
      this.fail(err);
      return false;
    }
  }

  /**
   * Opens one connection: a new client, configured before open (so it sends exactly one session.update right after
   * the socket opens), then `session.created`, then audio. Resolves false when superseded (disconnect, or the
   * socket dropped before the session started); throws the connection failure otherwise.
   */
  private async openSession(seq: number, reconnect: boolean, signal?: AbortSignal): Promise<boolean> {
    const s = this.store.getState();
    const profile = this.currentProfile();
    this.profile = profile;
    s.setConnectionError(null);
    s.setConnectionState('connecting'); // a new connection id: items remember which connection made them
    s.setDialect(profile.provider.dialect);
    this.recorded.clear();
    this.audibleTracks.clear();
    const url = effectiveUrl(profile, s.connection.url);
    const key = this.keyFor(profile);
    const client = new RealtimeClient({
      url,
      apiKey: key || undefined,
      dangerouslyAllowAPIKeyInBrowser: profile.browserKey,
      provider: profile.provider,
      WebSocket: this.opts.WebSocket,
      fetch: this.opts.fetch,
      connectTimeoutMs: this.opts.connectTimeoutMs,
      toolTimeoutMs: TOOL_TIMEOUT_MS,
      query: this.opts.query,
    });
    this.client = client;
    this.attach(client);
    const requested = s.session.requested;
    this.syncTools(requested.tools);
    client.updateSession(toSessionConfig(requested));
    const model = s.connection.model.trim() || undefined;
    const userId = s.connection.userId || undefined;
    s.logLocal('connect', {
      url: this.shownUrl(url, model ?? profile.provider.defaultModel, userId),
      profile: profile.id,
      dialect: client.dialect,
      // How the key travels, never the key itself.
      auth: profile.browserKey ? (key ? 'browser key' : 'none') : profile.id === 'relay' ? 'relay (key on the server)' : 'none',
      ...(reconnect ? { reconnect: true } : {}),
    });
    try {
      await client.connect({ model, userId, signal });
      await client.waitForSessionCreated({ timeoutMs: this.opts.connectTimeoutMs ?? 10_000, signal });
    } catch (err) {
      const current = this.client === client;
      if (current) this.release(client);
      if (seq !== this.connectSeq || !current) return false;
      throw err;
    }
    if (this.client !== client) return false;
    const st = this.store.getState();
    st.setConnectionState('open');
    st.markApplied(Date.now(), []);
    // What earlier connections created is gone from the server (kept here, never replayed by itself).
    st.markStale(st.connection.connectionId);
    this.startStatsPolling();
    // The player opens before the greeting so the first audio deltas of its reply are not lost.
    await this.startOutput(client);
    if (this.client !== client) return false;
    const greeting = this.store.getState().session.requested.greeting;
    // A reconnect continues the conversation: no second greeting.
    if (!reconnect && greeting.enabled && greeting.text.trim()) this.sendText(greeting.text, greeting.kind === 'tts_text' && client.capabilities.ttsText ? 'tts_text' : 'input_text');
    await this.startInput(this.formatRates().input);
    return true;
  }

  /** The URL as the log shows it: with model and userId, credentials masked. */
  private shownUrl(url: string, model: string | undefined, userId: string | undefined): string {
    try {
      return redactUrl(buildRealtimeUrl(url, { model, userId, extra: this.opts.query }));
    } catch {
      return redactUrl(url);
    }
  }

  async disconnect(): Promise<void> {
    const client = this.client;
    this.connectSeq++;
    const cycling = this.stopReconnect();
    if (!client) {
      if (cycling) {
        this.batcher.flush();
        this.store.getState().setConnectionState('closed');
      }
      return;
    }
    const s = this.store.getState();
    s.setConnectionState('closing');
    this.release(client);
    this.batcher.flush();
    await this.stopAudio();
    this.store.getState().setConnectionState('closed');
  }

  cancelReconnect(): void {
    if (!this.reconnector) return;
    this.store.getState().logLocal('reconnect_cancelled', {});
    void this.disconnect();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Reconnect

  /** Ends the running reconnect cycle, if any, without touching the connection state. True if one was running. */
  private stopReconnect(): boolean {
    const r = this.reconnector;
    this.reconnector = null;
    if (!r?.active) return false;
    r.cancel();
    this.reconnectState.setState({ active: false, nextAt: null });
    return true;
  }

  /** After a drop of an open session: starts a reconnect cycle if the user wants one and the policy allows it. */
  private startReconnect(close: CloseInfo): boolean {
    if (!this.reconnectState.getState().enabled) return false;
    let lastError: unknown = close.error;
    const r: Reconnector = new Reconnector({
      policy: this.opts.reconnectPolicy,
      random: this.opts.random,
      connect: (_attempt, signal) => this.reconnectAttempt(signal),
      onEvent: (e) => {
        if (e.type === 'failed') lastError = e.error;
        this.onReconnectEvent(r, e, lastError);
      },
    });
    if (r.policy.maxAttempts <= 0 || !r.policy.shouldReconnect(close)) return false;
    this.reconnector = r;
    this.reconnectState.setState({ active: true, attempt: 0, maxAttempts: r.policy.maxAttempts, nextAt: null, lastClose: `${close.code}${close.reason ? ` ${close.reason}` : ''}` });
    this.store.getState().setConnectionState('reconnecting');
    void this.stopAudio();
    void r.start(close);
    return true;
  }

  private async reconnectAttempt(signal: AbortSignal): Promise<void> {
    const seq = ++this.connectSeq;
    const ok = await this.openSession(seq, true, signal);
    if (!ok) throw new ConnectionError('closed', 'the connection ended before the session started');
  }

  private onReconnectEvent(r: Reconnector, e: ReconnectEvent, lastError: unknown): void {
    if (this.reconnector !== r) return; // stopped by disconnect/connect: they own the state
    const s = this.store.getState();
    switch (e.type) {
      case 'scheduled':
        s.setConnectionState('reconnecting');
        this.reconnectState.setState({ attempt: e.attempt, maxAttempts: e.maxAttempts, nextAt: e.at });
        s.logLocal('reconnecting', { attempt: e.attempt, maxAttempts: e.maxAttempts, delayMs: e.delayMs });
        break;
      case 'attempt':
        this.reconnectState.setState({ attempt: e.attempt, nextAt: null });
        break;
      case 'failed': {
        const reason = (e.error as { reason?: string } | null)?.reason ?? 'unknown';
        s.logLocal('reconnect_failed', { attempt: e.attempt, reason, message: e.error instanceof Error ? e.error.message : String(e.error) });
        break;
      }
      case 'connected':
        this.reconnector = null;
        this.reconnectState.setState({ active: false, nextAt: null });
        s.logLocal('reconnected', { attempt: e.attempt, connectionId: s.connection.connectionId });
        break;
      case 'gave_up':
        this.reconnector = null;
        this.reconnectState.setState({ active: false, nextAt: null });
        s.logLocal('reconnect_gave_up', { attempts: e.attempts, why: e.why });
        if (lastError) s.setConnectionError(connectionErrorInfo(lastError, { relay: this.profile?.id === 'relay' }));
        this.batcher.flush();
        s.setConnectionState('closed');
        void this.stopAudio();
        break;
    }
  }

  /** Shows a connection failure and leaves the state closed. */
  private fail(err: unknown): void {
    const s = this.store.getState();
    const reason = (err as { reason?: string } | null)?.reason;
    if (reason !== 'aborted') {
      const info = connectionErrorInfo(err, { relay: this.profile?.id === 'relay' });
      s.setConnectionError(info);
      s.logLocal('error', { reason: info.reason, message: info.message, ...(info.code !== undefined ? { code: info.code } : {}), ...(info.status !== undefined ? { status: info.status } : {}) });
    }
    this.batcher.flush();
    s.setConnectionState('closed');
  }

  /** Drops the client: listeners, tools, pending calls and timers. */
  private release(client: RealtimeClient): void {
    if (this.client === client) this.client = null;
    client.reset();
    this.registeredTools.clear();
    for (const resolve of this.toolWaiters.values()) resolve({ error: 'disconnected' });
    this.toolWaiters.clear();
    this.app.setState({ pendingCalls: [] });
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.statsTimer = null;
    if (this.applyTimer) clearTimeout(this.applyTimer);
    this.applyTimer = null;
    const s = this.store.getState();
    s.setEffective(null);
    if (s.audio.pttActive) s.setPttActive(false);
  }

  private attach(client: RealtimeClient): void {
    client.on('realtime.event', (p) => this.onRealtimeEvent(p));
    client.on('conversation.updated', ({ item, delta }) => this.syncItem(item, delta));
    client.on('conversation.item.deleted', ({ item }) => this.store.getState().removeItem(item.id));
    client.on('conversation.interrupted', () => {
      if (this.store.getState().audio.duplex === 'full') void this.interruptAsync();
    });
    const onSession = ({ raw }: RealtimeClientEvents['session.created']) => {
      this.store.getState().setEffective(raw as unknown as Record<string, unknown>);
      void this.syncAudioRates();
    };
    client.on('session.created', onSession);
    client.on('session.updated', onSession);
    client.on('error', (e) => {
      // Barge-in races the server's own cancel (interrupt_response): that refusal is expected, and stays in the log.
      if (e.serverError?.code === 'response_cancel_not_active') return;
      if (e.source === 'server' || e.source === 'protocol' || e.source === 'tool') {
        this.store.getState().pushToast('error', e.message);
      }
    });
    client.on('close', (info) => {
      if (this.client !== client) return;
      // The server or the network ended the session.
      const s = this.store.getState();
      if (info.error) {
        const e = connectionErrorInfo(info.error, { relay: this.profile?.id === 'relay' });
        s.setConnectionError(e);
      } else if (info.code !== 1000) {
        s.setConnectionError({ reason: 'closed', message: `closed ${info.code} ${info.reason}`.trim(), remedyKey: 'conn.remedy.closed', code: info.code, detail: info.reason || undefined });
      }
      const wasOpen = s.connection.state === 'open';
      this.batcher.flush(); // the old connection's last events go before the gap mark
      s.markGap(`closed ${info.code}${info.reason ? ` ${info.reason}` : ''}`);
      this.release(client);
      this.batcher.flush();
      if (this.reconnector?.active) return; // an attempt's socket dropped: the running cycle decides
      if (wasOpen && this.startReconnect(info)) return;
      s.setConnectionState('closed');
      void this.stopAudio();
    });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Events → store

  private onRealtimeEvent(p: RealtimeEventPayload): void {
    this.batcher.push({ direction: p.source, event: p.event as { type: string }, at: p.timestamp });
    if (p.source !== 'server') return;
    const type = p.normalizedType ?? p.event.type;
    const e = p.event as Record<string, unknown>;
    const at = p.timestamp;
    const responseId = typeof e.response_id === 'string' ? e.response_id : undefined;
    switch (type) {
      case 'input_audio_buffer.speech_stopped':
        this.milestone('speechStopped', at, undefined, `stop:${String(e.item_id)}`);
        break;
      case 'input_audio_buffer.committed':
        this.milestone('committed', at, undefined, `commit:${String(e.item_id)}`);
        break;
      case 'response.created': {
        const id = (e.response as { id?: string } | undefined)?.id;
        this.milestone('responseCreated', at, id, `created:${id}`);
        break;
      }
      case 'response.output_text.delta':
      case 'response.output_audio_transcript.delta':
        this.milestone('firstText', at, responseId, `text:${responseId}`);
        break;
      case 'response.output_audio.delta':
        this.milestone('firstAudio', at, responseId, `audio:${responseId}`);
        break;
      case 'response.done': {
        const r = (e.response ?? {}) as { id?: string; status?: string; usage?: unknown };
        this.store.getState().recordResponseDone(r.id, at, r.status, r.usage);
        break;
      }
    }
  }

  /** Records a milestone once per `key` (deltas arrive many times; only the first counts). */
  private milestone(m: Milestone, at: number, responseId: string | undefined, key: string): void {
    if (this.recorded.has(key)) return;
    this.recorded.add(key);
    if (this.recorded.size > 5000) this.recorded.clear();
    this.store.getState().recordMilestone(m, at, responseId);
  }

  private syncItem(item: ClientItem, delta: ItemDelta | null): void {
    const s = this.store.getState();
    const role: ItemRole = item.type === 'function_call_output' ? 'tool' : (item.role ?? 'assistant');
    const f = item.formatted;
    const tool =
      item.type === 'function_call'
        ? { name: item.name ?? f.tool?.name ?? '', callId: item.call_id ?? f.tool?.call_id ?? '', arguments: item.arguments ?? f.tool?.arguments ?? '' }
        : item.type === 'function_call_output'
          ? { callId: item.call_id ?? '', output: item.output ?? f.output ?? '' }
          : undefined;
    s.upsertItem(
      {
        id: item.id,
        role,
        type: item.type,
        status: item.status,
        text: f.text,
        transcript: f.transcript,
        transcriptStatus: TRANSCRIPT_STATUS[f.transcriptStatus] ?? 'none',
        contentKind: item.type === 'message' ? item.content[0]?.type : undefined,
        responseId: item.responseId ?? undefined,
        tool,
      },
      item.previous_item_id ?? null,
    );
    if (f.transcriptStatus === 'failed' && s.conversation.items[item.id]?.transcriptStatus !== 'failed') {
      s.failTranscript(item.id, f.transcriptError?.message ?? 'transcription failed');
    }
    if (item.type === 'function_call_output' && item.call_id && item.output !== undefined) s.setToolOutput(item.call_id, item.output);
    if (f.truncated && this.store.getState().conversation.items[item.id]?.truncatedAtMs === undefined) {
      s.markItemTruncated(item.id, f.truncated.audioEndMs);
    }
    const fmt = f.audioFormat;
    // User audio may be attached before the item was announced: the client then reports it without a delta.
    // Checked in this order so that reading `f.audio` (which joins the client's chunks) happens once per item, not per update.
    if (role === 'user' && fmt && !delta?.audio && f.audioByteLength > 0 && !this.store.getState().conversation.items[item.id]?.audio) {
      s.appendItemAudio(item.id, f.audio.slice(), fmt.sampleRate);
    }
    if (!delta) return;
    if (delta.audio && delta.audio.length > 0 && fmt) {
      s.appendItemAudio(item.id, delta.audio, fmt.sampleRate);
      if (role === 'assistant') this.audio.play(delta.audio, fmt.sampleRate, item.id);
    } else if (delta.audioBytes && fmt?.compressed && role === 'assistant' && fmt.encoding !== 'unknown') {
      this.audio.playEncoded(delta.audioBytes, { encoding: fmt.encoding, sampleRate: fmt.sampleRate }, item.id);
    }
    if (fmt?.compressed && role === 'assistant' && item.status !== 'in_progress') this.audio.endTrack(item.id);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Audio

  private formatRates(): { input: number; output: number; inputPcm: boolean } {
    const s = this.store.getState();
    const eff = s.session.effective;
    const flat = eff ? (eff as Record<string, unknown>) : null;
    const ga = flat?.audio as { input?: { format?: unknown }; output?: { format?: unknown } } | undefined;
    const inName = (ga?.input?.format ?? flat?.input_audio_format ?? s.session.requested.inputFormat) as string;
    const outName = (ga?.output?.format ?? flat?.output_audio_format ?? s.session.requested.outputFormat) as string;
    const inFmt = resolveFormat(inName) ?? resolveFormat(s.session.requested.inputFormat);
    const outFmt = resolveFormat(outName) ?? resolveFormat(s.session.requested.outputFormat);
    return {
      input: inFmt?.sampleRate ?? 16000,
      output: outFmt?.sampleRate ?? 8000,
      inputPcm: !inFmt || inFmt.encoding === 'pcm16' || inFmt.encoding === 'g711_ulaw' || inFmt.encoding === 'g711_alaw',
    };
  }

  /** Opens the player at the output format's rate (a failure is reported; text still works). */
  private async startOutput(client: RealtimeClient): Promise<void> {
    await this.stopping; // a previous session's audio is still being released
    if (this.client !== client) return;
    const rates = this.formatRates();
    const s = this.store.getState();
    try {
      const out = await this.audio.startOutput(rates.output);
      s.setGrantedAudio({ outputContextRate: out.contextRate ?? undefined, outputRate: rates.output, outputLatencyMs: out.outputLatencyMs });
    } catch (err) {
      s.pushToast('error', this.t('controls.outputFailed', { message: err instanceof Error ? err.message : String(err) }));
      return;
    }
    // session.updated may have changed the output format while the player was opening (syncAudioRates skips a
    // player that is not connected yet): reopen at the new rate, or offsets and truncates use the wrong rate.
    if (this.formatRates().output !== rates.output) await this.syncAudioRates();
  }

  /** Opens the microphone (or WAV file) at the input format's rate. A failure shows its remedy and keeps the session. */
  private async startInput(rate: number): Promise<boolean> {
    const client = this.client;
    if (!client) return false;
    const s = this.store.getState();
    if (!this.formatRates().inputPcm) {
      s.setConnectionError({ reason: 'audio_unsupported', message: this.t('controls.inputCompressed'), remedyKey: 'conn.remedy.audio_unsupported' });
      return false;
    }
    try {
      const info = await this.audio.startInput(rate, s.audio.selectedDeviceId);
      if (this.client !== client) {
        await this.audio.stopInput();
        return false;
      }
      s.setGrantedAudio({ inputContextRate: info.contextRate ?? undefined, inputRate: rate });
      s.setAppliedConstraints(info.settings);
      const err = this.store.getState().connection.error;
      if (err && (err.reason === 'mic_denied' || err.reason === 'no_microphone' || err.reason === 'audio_unsupported')) s.setConnectionError(null);
    } catch (err) {
      const info = audioErrorInfo(err);
      s.setConnectionError(info);
      s.logLocal('error', { reason: info.reason, message: info.message });
      return false;
    }
    if (this.turnMode() === 'server_vad') await this.startRecording();
    return true;
  }

  private stopAudio(): Promise<void> {
    const run = this.stopping.then(() => this.stopAudioNow());
    this.stopping = run;
    return run;
  }

  private async stopAudioNow(): Promise<void> {
    this.halfPaused = false;
    this.inputLevel = 0;
    await this.audio.pause().catch(() => undefined);
    await this.audio.stopInput().catch(() => undefined);
    await this.audio.interrupt().catch(() => null);
    await this.audio.stopOutput().catch(() => undefined);
    const s = this.store.getState();
    s.setCapturing(false);
    s.setPlayerStats({ bufferedMs: 0, playing: false });
  }

  private turnMode(): 'manual' | 'server_vad' {
    return this.store.getState().session.requested.turnDetection.mode;
  }

  private async startRecording(): Promise<void> {
    if (!this.client || !this.audio.hasInput() || this.audio.isRecording()) return;
    const ok = await this.audio.record((frame) => this.onFrame(frame));
    if (ok) this.store.getState().setCapturing(true);
  }

  private async stopRecording(): Promise<void> {
    await this.audio.pause();
    this.inputLevel = 0;
    this.store.getState().setCapturing(false);
  }

  private onFrame(frame: AudioFrame): void {
    const rms = rmsInt16(frame.mono) / 32768;
    this.inputLevel = Math.min(1, Math.sqrt(rms) * 1.5);
    if (this.store.getState().audio.muted) return;
    const client = this.client;
    if (!client) return;
    if (client.appendInputAudio(frame.mono)) this.pttSamples += frame.mono.length;
  }

  /** Input/output format rates changed (session edit or the server's echo): reopen what no longer matches. */
  private async syncAudioRates(): Promise<void> {
    if (!this.client || this.store.getState().connection.state !== 'open') return;
    const rates = this.formatRates();
    if (this.audio.hasOutput() && this.audio.outputRate() !== rates.output) {
      await this.audio.interrupt();
      const out = await this.audio.startOutput(rates.output).catch(() => null);
      if (out) this.store.getState().setGrantedAudio({ outputContextRate: out.contextRate ?? undefined, outputRate: rates.output, outputLatencyMs: out.outputLatencyMs });
    }
    if (this.audio.hasInput() && this.audio.inputRate() !== rates.input) {
      await this.stopRecording();
      await this.audio.stopInput();
      await this.startInput(rates.input);
    }
  }

  private async onPlaybackStart(): Promise<void> {
    if (this.store.getState().audio.duplex !== 'half' || !this.audio.isRecording() || this.store.getState().audio.pttActive) return;
    this.halfPaused = true;
    await this.stopRecording();
  }

  private async onPlaybackIdle(): Promise<void> {
    if (!this.halfPaused) return;
    this.halfPaused = false;
    if (this.client?.isConnected() && this.turnMode() === 'server_vad') await this.startRecording();
  }

  private startStatsPolling(): void {
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.statsTimer = setInterval(() => this.pollStats(), this.opts.statsIntervalMs ?? 250);
  }

  private pollStats(): void {
    const st = this.audio.stats();
    if (!st) return;
    const s = this.store.getState();
    let rendered = 0;
    const now = Date.now();
    for (const [trackId, n] of Object.entries(st.samplesRendered)) {
      rendered += n;
      if (n > 0 && !this.audibleTracks.has(trackId)) {
        this.audibleTracks.add(trackId);
        // Back-date to the first rendered sample (playback is continuous from there), then add the output latency.
        const rate = this.audio.outputRate() || 8000;
        const at = now - (n / rate) * 1000 + st.outputLatencyMs;
        const responseId = s.conversation.items[trackId]?.responseId;
        this.milestone('firstAudible', Math.round(at), responseId, `audible:${trackId}`);
      }
    }
    const key = `${st.underruns}|${Math.round(st.bufferedMs / 20)}|${rendered}|${st.playing}`;
    if (key === this.lastStatsKey) return;
    this.lastStatsKey = key;
    s.setPlayerStats({ underruns: st.underruns, bufferedMs: st.bufferedMs, renderedSamples: rendered, playing: st.playing });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Settings → session

  private onStoreChange(next: ReturnType<ConsoleStore['getState']>, prev: ReturnType<ConsoleStore['getState']>): void {
    if (next.connection.profileId !== prev.connection.profileId) this.refreshKeyHint();
    if (!this.client || next.connection.state !== 'open') return;
    if (next.session.requested !== prev.session.requested) {
      if (next.session.requested.turnDetection.mode !== prev.session.requested.turnDetection.mode) {
        if (next.session.requested.turnDetection.mode === 'server_vad') void this.startRecording();
        else void this.stopRecording();
      }
      if (next.session.applyMode === 'auto') {
        if (this.applyTimer) clearTimeout(this.applyTimer);
        this.applyTimer = setTimeout(() => {
          this.applyTimer = null;
          this.applySession();
        }, this.opts.applyDebounceMs ?? 400);
      }
    }
  }

  applySession(): void {
    const client = this.client;
    if (!client?.isConnected()) return;
    const s = this.store.getState();
    const requested = s.session.requested;
    this.syncTools(requested.tools);
    const { dropped } = client.updateSession(toSessionConfig(requested));
    s.markApplied(Date.now(), dropped);
    void this.syncAudioRates();
  }

  /** Makes the client's registered tools match the requested definitions (handlers answer per the tools panel). */
  private syncTools(tools: SessionSettings['tools']): void {
    const client = this.client;
    if (!client) return;
    const wanted = new Map<string, ToolDefinition>();
    for (const t of tools) if (t.name) wanted.set(t.name, t);
    for (const [name, sig] of [...this.registeredTools]) {
      const w = wanted.get(name);
      if (!w || JSON.stringify(w) !== sig) {
        client.removeTool(name);
        this.registeredTools.delete(name);
      }
    }
    for (const [name, def] of wanted) {
      if (this.registeredTools.has(name)) continue;
      client.addTool(def, (args, ctx) => this.handleToolCall(name, args, ctx.callId, ctx.itemId, ctx.signal));
      this.registeredTools.set(name, JSON.stringify(def));
    }
  }

  private handleToolCall(name: string, args: Record<string, unknown>, callId: string, itemId: string, signal: AbortSignal): unknown {
    const { tools } = this.app.getState();
    if (tools.autoRespond) return parseToolAnswer(tools.results[name] ?? '{"ok":true}');
    return new Promise((resolve) => {
      this.toolWaiters.set(callId, resolve);
      this.app.setState((a) => ({ pendingCalls: [...a.pendingCalls, { callId, name, arguments: JSON.stringify(args), itemId, at: Date.now() }] }));
      signal.addEventListener('abort', () => {
        this.toolWaiters.delete(callId);
        this.app.setState((a) => ({ pendingCalls: a.pendingCalls.filter((c) => c.callId !== callId) }));
      });
    });
  }

  answerToolCall(callId: string, output: string): void {
    const resolve = this.toolWaiters.get(callId);
    this.toolWaiters.delete(callId);
    this.app.setState((a) => ({ pendingCalls: a.pendingCalls.filter((c) => c.callId !== callId) }));
    resolve?.(parseToolAnswer(output));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // ConsoleCommands

  sendRawEvent(event: { type: string; [key: string]: unknown }): void {
    this.client?.sendEvent(event);
  }

  sendText(text: string, kind: 'input_text' | 'tts_text'): void {
    const client = this.client;
    if (!client?.isConnected() || !text.trim()) return;
    try {
      if (client.sendUserMessageContent([{ type: kind, text }])) this.store.getState().recordMilestone('textSent', Date.now());
    } catch (err) {
      this.store.getState().pushToast('error', err instanceof Error ? err.message : String(err));
    }
  }

  deleteItem(itemId: string): void {
    this.client?.deleteItem(itemId);
  }

  interrupt(): void {
    void this.interruptAsync();
  }

  /** Stops playback, then cancels the active response and truncates what was not heard. */
  async interruptAsync(): Promise<void> {
    const heard = await this.audio.interrupt().catch(() => null);
    const client = this.client;
    if (!client?.isConnected()) return;
    if (heard) client.cancelResponse(heard.trackId, heard.offset);
    else client.cancelResponse();
  }

  pttStart(): void {
    const s = this.store.getState();
    if (!this.client?.isConnected() || this.turnMode() !== 'manual' || s.audio.pttActive) return;
    s.setPttActive(true);
    this.pttSamples = 0;
    // Taking the turn stops the assistant (barge-in by hand).
    void this.interruptAsync();
    void this.startRecording();
  }

  async pttEnd(): Promise<void> {
    const s = this.store.getState();
    if (!s.audio.pttActive) return;
    s.setPttActive(false);
    await this.stopRecording();
    const client = this.client;
    if (!client?.isConnected()) return;
    const rate = this.audio.inputRate() || this.formatRates().input;
    if (this.pttSamples < (rate * MIN_PTT_MS) / 1000) {
      // Too short for the server's minimum buffer: discard instead of committing.
      client.clearInputAudio();
      s.logLocal('ptt_too_short', { samples: this.pttSamples });
      return;
    }
    client.commitInputAudio();
    client.createResponse();
  }

  setMuted(muted: boolean): void {
    this.store.getState().setMuted(muted);
  }

  setDuplex(duplex: 'full' | 'half'): void {
    this.store.getState().setDuplex(duplex);
    if (duplex === 'full' && this.halfPaused) void this.onPlaybackIdle();
  }

  async selectDevice(deviceId: string | null): Promise<void> {
    this.store.getState().selectDevice(deviceId);
    if (!this.client?.isConnected() || !this.audio.hasInput()) return;
    const rate = this.audio.inputRate();
    await this.stopRecording();
    await this.audio.stopInput();
    await this.startInput(rate);
  }

  async useWavFile(file: File | null): Promise<void> {
    const s = this.store.getState();
    try {
      await this.audio.useFile(file);
    } catch (err) {
      s.pushToast('error', this.t('controls.fileInvalid', { message: err instanceof Error ? err.message : String(err) }));
      return;
    }
    s.setMicSource(file ? { kind: 'file', fileName: file.name } : { kind: 'mic' });
    // A file needs no permission: retry the input if the microphone had failed.
    if (this.client?.isConnected() && !this.audio.hasInput()) await this.startInput(this.formatRates().input);
  }

  previewVoice(voice: string, text: string): boolean {
    const client = this.client;
    if (!client?.isConnected() || !client.capabilities.ttsText) return false;
    if (client.getSessionConfig().voice !== voice) client.updateSession({ voice });
    this.sendText(text, 'tts_text');
    return true;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // REST lists and the setup check

  private get fetchFn(): typeof fetch | null {
    return this.opts.fetch ?? (typeof fetch === 'function' ? fetch : null);
  }

  async loadServerInfo(): Promise<void> {
    const f = this.fetchFn;
    if (!f) return;
    try {
      const res = await f(`${this.opts.origin ?? pageOrigin()}/api/server-info`);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const body = (await res.json()) as { relay?: { enabled?: boolean; upstream?: string }; emulator?: { tts?: boolean; ttsReason?: string | null; auth?: boolean } };
      this.app.setState({
        serverInfo: {
          relay: { enabled: !!body.relay?.enabled, upstream: body.relay?.upstream ?? '' },
          emulator: { tts: !!body.emulator?.tts, ttsReason: body.emulator?.ttsReason ?? null, auth: body.emulator?.auth },
        },
      });
    } catch {
      this.app.setState({ serverInfo: null });
    }
  }

  private authHeaders(profile: ConsoleProfile): Record<string, string> {
    const key = this.keyFor(profile);
    return key ? { Authorization: `Bearer ${key}` } : {};
  }

  async loadModels(): Promise<void> {
    const f = this.fetchFn;
    const profile = this.currentProfile();
    const url = modelsUrlFor(profile, effectiveUrl(profile, this.store.getState().connection.url));
    if (!f || !url) return;
    this.app.setState((a) => ({ models: { ...a.models, state: 'loading' } }));
    try {
      const res = await f(url, { headers: this.authHeaders(profile) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      this.app.setState({ models: { items: parseModelList(await res.json()), state: 'ok' } });
    } catch (err) {
      this.app.setState({ models: { items: [], state: 'error', error: err instanceof Error ? err.message : String(err) } });
    }
  }

  async loadVoices(): Promise<void> {
    const f = this.fetchFn;
    const profile = this.currentProfile();
    if (profile.id === 'openai') {
      this.app.setState({ voices: { items: [...OPENAI_VOICES], state: 'ok' } });
      return;
    }
    const url = voicesUrlFor(profile, effectiveUrl(profile, this.store.getState().connection.url));
    if (!f || !url) {
      this.app.setState({ voices: { items: [...FALLBACK_VOICES], state: 'error' } });
      return;
    }
    this.app.setState((a) => ({ voices: { ...a.voices, state: 'loading' } }));
    try {
      const res = await f(url, { headers: this.authHeaders(profile) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const items = parseVoiceList(await res.json());
      if (items.length === 0) throw new Error('empty voice list');
      this.app.setState({ voices: { items, state: 'ok' } });
    } catch (err) {
      this.app.setState({ voices: { items: [...FALLBACK_VOICES], state: 'error', error: err instanceof Error ? err.message : String(err) } });
    }
  }

  /** Tests the microphone (permission, granted rate), the server's reachability and the key (pre-check). */
  async runSetupCheck(): Promise<SetupResult[]> {
    const pending = (id: SetupResult['id']): SetupResult => ({ id, status: 'pending', message: this.t('setup.running') });
    const results: SetupResult[] = [pending('microphone'), pending('server'), pending('key')];
    const publish = () => this.app.setState({ setup: { running: results.some((r) => r.status === 'pending'), results: results.map((r) => ({ ...r })) } });
    publish();
    const set = (i: number, status: SetupResult['status'], message: string) => {
      results[i] = { id: results[i].id, status, message };
      publish();
    };
    const mic = await this.audio.probeMicrophone();
    if (mic.ok) set(0, 'ok', this.t('setup.mic.ok', { rate: mic.sampleRate ?? '?', label: mic.label || this.t('setup.mic.defaultDevice') }));
    else set(0, 'fail', `${this.t(mic.reason === 'mic_denied' ? 'conn.remedy.mic_denied' : mic.reason === 'no_microphone' ? 'conn.remedy.no_microphone' : 'conn.remedy.audio_unsupported')} (${mic.message ?? ''})`);

    const profile = this.currentProfile();
    const f = this.fetchFn;
    const s = this.store.getState();
    if (!f) {
      set(1, 'fail', 'fetch unavailable');
      set(2, 'fail', 'fetch unavailable');
      return results;
    }
    // The page's own server answers for the local profiles unless the URL points elsewhere.
    if ((profile.id === 'local' || profile.id === 'relay') && !s.connection.url.trim()) {
      await this.loadServerInfo();
      const info = this.app.getState().serverInfo;
      if (!info) set(1, 'fail', this.t('conn.remedy.unreachable'));
      else if (profile.id === 'relay' && !info.relay.enabled) set(1, 'fail', this.t('setup.server.relayOff'));
      else set(1, info.emulator.tts || profile.id === 'relay' ? 'ok' : 'warn', profile.id === 'relay' ? this.t('setup.server.relayOk', { upstream: info.relay.upstream }) : info.emulator.tts ? this.t('setup.server.ok') : this.t('setup.server.noTts', { reason: info.emulator.ttsReason ?? '' }));
    }
    let target: string;
    try {
      target = precheckUrl(buildRealtimeUrl(effectiveUrl(profile, s.connection.url), { model: s.connection.model.trim() || profile.provider.defaultModel, userId: s.connection.userId || undefined, extra: this.opts.query }));
    } catch (err) {
      set(1, 'fail', err instanceof Error ? err.message : String(err));
      set(2, 'fail', this.t('conn.remedy.invalid_url'));
      return results;
    }
    const key = this.keyFor(profile);
    if (profile.browserKey && !key) set(2, 'fail', this.t('setup.key.missing'));
    try {
      const res = await f(target, { headers: key ? { Authorization: `Bearer ${key}` } : {}, signal: AbortSignal.timeout(this.opts.connectTimeoutMs ?? 10_000) });
      await res.body?.cancel().catch(() => undefined);
      if (results[1].status === 'pending') set(1, 'ok', this.t('setup.server.reachable', { status: res.status }));
      if (results[2].status === 'pending') {
        if (res.ok) set(2, 'ok', profile.browserKey ? this.t('setup.key.ok') : this.t('setup.key.notNeeded'));
        else if (profile.id === 'openai' && res.status !== 401) set(2, 'warn', this.t('setup.key.noPrecheck'));
        else {
          const reason = res.status === 401 ? 'unauthorized' : res.status === 403 ? 'forbidden' : res.status === 429 ? 'rate_limited' : res.status === 404 || res.status === 400 ? 'bad_model' : 'http_error';
          set(2, 'fail', `HTTP ${res.status}: ${this.t(`conn.remedy.${reason}` as MessageKey)}`);
        }
      }
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      if (results[1].status === 'pending') set(1, 'fail', `${this.t(profile.id === 'relay' ? 'conn.remedy.relay_unreachable' : 'conn.remedy.unreachable')} (${msg})`);
      if (results[2].status === 'pending') set(2, 'warn', this.t('setup.key.unchecked'));
    }
    return results;
  }
}
