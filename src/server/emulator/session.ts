/**
 * One emulator connection: dispatches client events, keeps the session config, the input buffer and VAD,
 * the conversation and at most one in-conversation response, and answers bad input with `error` events.
 */
import type { RawData, WebSocket } from 'ws';
import { CLIENT_EVENT_TYPES, type Dialect } from '../../lib/realtime/protocol';
import { Base64Error, decodeBase64 } from '../../lib/dsp/base64';
import { decodeAlaw, decodeMulaw } from '../../lib/dsp/g711';
import type { Synthesizer } from '../tts/types';
import { encodeOutput } from './audio-out';
import { Conversation, itemToWire, type StoredContent, type StoredItem } from './conversation';
import { ProtocolError } from './errors';
import type { HandshakeInfo } from './handshake';
import { newId } from './ids';
import { InputBuffer } from './input-buffer';
import type { PluginContext } from './plugins';
import type { MemoryStore } from './plugins/memory';
import { planReply } from './reply';
import { Responder, type ResponseSettings } from './responder';
import {
  applySessionUpdate,
  defaultConfig,
  maxTokens,
  parseFormat,
  parseModalities,
  parseVoice,
  sessionToWire,
  toolChoice,
  tools as parseTools,
  type SessionConfig,
} from './session-config';
import { Vad } from './vad';
import type { ReplyLanguage } from './voices';

/** What a session gets from its emulator. */
export interface SessionContext {
  /** False when the emulator requires a key and the client's key is wrong or missing. */
  authorised: boolean;
  synthesizer: Synthesizer | null;
  memory: MemoryStore;
  log: (line: string) => void;
  pacingSpeed: number;
}

type Obj = Record<string, unknown>;

/** Base64 text of one append, at most (the protocol's 15 MiB of audio). */
const MAX_APPEND_AUDIO_BYTES = 15 * 1024 * 1024;
const MIN_COMMIT_MS = 100;
/** Outgoing bytes queued for a client before the emulator gives up on it. */
const MAX_SEND_BUFFER_BYTES = 64 * 1024 * 1024;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const CLIENT_TYPES: ReadonlySet<string> = new Set(CLIENT_EVENT_TYPES);

/** One connection. */
export class Session {
  private readonly dialect: Dialect;
  private config: SessionConfig;
  private readonly conversation = new Conversation(newId('conv'));
  private readonly buffer: InputBuffer;
  private vad: Vad | null = null;
  /** Sample index (input buffer numbering) where the current VAD instance started. */
  private vadOrigin = 0;
  /** The open VAD turn: the user item id it will create and where its audio starts. */
  private turn: { itemId: string; startSample: number } | null = null;
  private active: Responder | null = null;
  /** A VAD turn waiting for the active response to finish before its own response starts. */
  private queuedTurnResponse = false;
  private readonly outOfBand = new Set<Responder>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly closedListeners: (() => void)[] = [];
  private closed = false;
  private readonly memoryScope: string;
  /** GA idle timeout: timeline ms since which no speech was heard after the last response, or null. */
  private idleFromMs: number | null = null;
  /** Responses started so far (seeds the jitter fault, so it is reproducible). */
  private responseCount = 0;

  constructor(
    private readonly ws: WebSocket,
    private readonly info: HandshakeInfo,
    private readonly ctx: SessionContext,
  ) {
    this.dialect = info.dialect;
    this.config = defaultConfig(info.dialect, newId('sess'), info.model);
    this.buffer = new InputBuffer(this.config.input.info);
    this.memoryScope = info.userId ? `user:${info.userId}` : `session:${this.config.id}`;
    this.resetVad();

    ws.on('close', () => this.teardown());
    ws.on('error', (e) => this.ctx.log(`emulator: socket error: ${e.message}`));

    if (!ctx.authorised) {
      this.sendError(new ProtocolError('invalid_api_key', 'Incorrect API key provided.', null), null);
      this.ctx.log('emulator: connection refused: wrong or missing API key (closing with 1008)');
      ws.close(1008, 'invalid_api_key');
      return;
    }

    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    this.ctx.log(
      `emulator: session ${this.config.id} opened (${this.dialect}${info.model ? `, model ${info.model}` : ''}${info.userId ? ', with userId' : ''}${info.replyLong ? ', reply=long' : ''})`,
    );
    if (info.rejectedFaults.length) this.ctx.log(`emulator: ignored unknown fault entries: ${info.rejectedFaults.join(', ')}`);
    this.send({ type: 'session.created', session: sessionToWire(this.config, this.dialect) });
    if (this.dialect === 'beta') {
      this.send({ type: 'conversation.created', conversation: { id: this.conversation.id, object: 'realtime.conversation' } });
    }
    this.armFaults();
  }

  /** Registers a listener for the end of the connection. */
  onClosed(listener: () => void): void {
    if (this.closed) listener();
    else this.closedListeners.push(listener);
  }

  /** Closes the connection (e.g. 1001 on server shutdown) and resolves once it is torn down. */
  close(code: number, reason: string): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.onClosed(resolve);
      this.ws.close(code, reason);
      // A peer that never answers the close handshake is cut off.
      this.later(() => this.ws.terminate(), 2000);
    });
  }

  // ------------------------------------------------------------------------------------------------------------
  // Plumbing
  // ------------------------------------------------------------------------------------------------------------

  private later(fn: () => void, ms: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private teardown(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.active?.abort();
    this.active = null;
    for (const r of this.outOfBand) r.abort();
    this.outOfBand.clear();
    this.ctx.log(`emulator: session ${this.config.id} closed`);
    for (const l of this.closedListeners.splice(0)) l();
  }

  private send(event: Obj): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    // A peer that stops reading must not make the server buffer without bound.
    if (this.ws.bufferedAmount > MAX_SEND_BUFFER_BYTES) {
      this.ctx.log(`emulator: session ${this.config.id}: client is not reading (over ${MAX_SEND_BUFFER_BYTES >> 20} MiB queued); dropping it`);
      this.ws.terminate();
      return;
    }
    this.ws.send(JSON.stringify({ event_id: newId('event'), ...event }));
  }

  private sendError(err: ProtocolError, clientEventId: string | null): void {
    this.send({
      type: 'error',
      error: { type: err.type, code: err.code, message: err.message, param: err.param, event_id: clientEventId },
    });
  }

  private armFaults(): void {
    const f = this.info.faults;
    if (f.dropAfterMs !== null) {
      this.later(() => {
        this.ctx.log(`emulator: fault drop-after-ms:${f.dropAfterMs}: dropping the socket`);
        this.ws.terminate();
      }, f.dropAfterMs);
    }
    if (f.malformedAfterMs !== null) {
      this.later(() => {
        this.ctx.log(`emulator: fault malformed-after-ms:${f.malformedAfterMs}: sending a malformed frame`);
        if (this.ws.readyState === this.ws.OPEN) this.ws.send('{"type":"response.audio.delta","delta":"AAAA');
      }, f.malformedAfterMs);
    }
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (isBinary) {
      this.sendError(new ProtocolError('invalid_event', 'Binary frames are not supported; send JSON text frames.'), null);
      return;
    }
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
    let event: unknown;
    try {
      event = JSON.parse(text);
    } catch {
      this.sendError(new ProtocolError('invalid_event', 'The frame is not valid JSON.'), null);
      return;
    }
    if (!isObj(event)) {
      this.sendError(new ProtocolError('invalid_event', 'The event must be a JSON object.'), null);
      return;
    }
    const eventId = typeof event.event_id === 'string' ? event.event_id : null;
    try {
      this.dispatch(event);
    } catch (e) {
      if (e instanceof ProtocolError) this.sendError(e, eventId);
      else {
        this.ctx.log(`emulator: internal error handling ${String(event.type)}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
        this.sendError(new ProtocolError('server_error', 'The emulator failed to handle this event.', null, 'server_error'), eventId);
      }
    }
  }

  private dispatch(event: Obj): void {
    const type = event.type;
    if (type === undefined) throw new ProtocolError('invalid_event', "The 'type' field is missing.", 'type');
    if (typeof type !== 'string' || !CLIENT_TYPES.has(type)) {
      throw new ProtocolError('invalid_value', `Invalid value: '${String(type)}'. Unknown client event type.`, 'type');
    }
    switch (type) {
      case 'session.update':
        return this.onSessionUpdate(event);
      case 'transcription_session.update':
        throw new ProtocolError(
          'invalid_value',
          this.dialect === 'beta'
            ? 'Passing a transcription session update event to a realtime session is not allowed.'
            : "Invalid value: 'transcription_session.update'. Use session.update with session.type \"transcription\".",
          'type',
        );
      case 'input_audio_buffer.append':
        return this.onAppend(event);
      case 'input_audio_buffer.commit':
        return this.onCommit();
      case 'input_audio_buffer.clear':
        this.buffer.clear();
        this.vad?.reset();
        this.turn = null;
        this.send({ type: 'input_audio_buffer.cleared' });
        return;
      case 'conversation.item.create':
        return this.onItemCreate(event);
      case 'conversation.item.retrieve': {
        const item = this.findItem(event.item_id);
        this.send({ type: 'conversation.item.retrieved', item: itemToWire(item, this.dialect, true) });
        return;
      }
      case 'conversation.item.delete': {
        const item = this.findItem(event.item_id);
        if (this.active && !this.active.finished && this.active.streamingItemId === item.id) this.active.cancel('client_cancelled');
        this.conversation.delete(item.id);
        this.send({ type: 'conversation.item.deleted', item_id: item.id });
        return;
      }
      case 'conversation.item.truncate':
        return this.onTruncate(event);
      case 'response.create':
        return this.onResponseCreate(event);
      case 'response.cancel':
        return this.onResponseCancel(event);
      case 'output_audio_buffer.clear':
        throw new ProtocolError('invalid_value', "Invalid value: 'output_audio_buffer.clear' is only supported over WebRTC and SIP.", 'type');
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // Session
  // ------------------------------------------------------------------------------------------------------------

  private resetVad(): void {
    const td = this.config.turnDetection;
    this.turn = null;
    this.vadOrigin = this.buffer.appendedSamples;
    this.vad = td
      ? new Vad(this.buffer.sampleRate, { threshold: td.threshold, prefixPaddingMs: td.prefixPaddingMs, silenceDurationMs: td.silenceDurationMs })
      : null;
  }

  private onSessionUpdate(event: Obj): void {
    const before = this.config;
    this.config = applySessionUpdate(this.config, event.session, this.dialect);
    const formatChanged =
      before.input.info.encoding !== this.config.input.info.encoding || before.input.info.sampleRate !== this.config.input.info.sampleRate;
    if (formatChanged) this.buffer.setFormat(this.config.input.info);
    if (formatChanged || JSON.stringify(before.turnDetection) !== JSON.stringify(this.config.turnDetection)) this.resetVad();
    this.send({ type: 'session.updated', session: sessionToWire(this.config, this.dialect) });
  }

  // ------------------------------------------------------------------------------------------------------------
  // Input audio
  // ------------------------------------------------------------------------------------------------------------

  private onAppend(event: Obj): void {
    if (typeof event.audio !== 'string') throw new ProtocolError('invalid_value', "Invalid type for 'audio': expected a base64 string.", 'audio');
    let bytes: Uint8Array;
    try {
      bytes = decodeBase64(event.audio);
    } catch (e) {
      if (e instanceof Base64Error) throw new ProtocolError('invalid_value', `Invalid 'audio': ${e.message}`, 'audio');
      throw e;
    }
    if (bytes.length > MAX_APPEND_AUDIO_BYTES) throw new ProtocolError('invalid_value', "Invalid 'audio': more than 15 MiB in one append.", 'audio');
    const samples = this.buffer.append(bytes);
    if (!this.vad) return;
    for (const e of this.vad.push(samples)) {
      if (e.type === 'speech_started') {
        this.idleFromMs = null;
        const itemId = newId('item');
        const startSample = this.vadOrigin + e.startSample;
        this.turn = { itemId, startSample };
        this.send({ type: 'input_audio_buffer.speech_started', audio_start_ms: Math.round(this.buffer.sampleToMs(startSample)), item_id: itemId });
        if (this.config.turnDetection?.interruptResponse && this.active && !this.active.finished) this.active.cancel('turn_detected');
      } else if (this.turn) {
        const endSample = this.vadOrigin + e.endSample;
        const { itemId, startSample } = this.turn;
        this.turn = null;
        this.send({ type: 'input_audio_buffer.speech_stopped', audio_end_ms: Math.round(this.buffer.sampleToMs(endSample)), item_id: itemId });
        const audio = this.buffer.commitRange(startSample, endSample);
        this.commitUserAudio(itemId, audio.samples, audio.sampleRate);
        if (this.config.turnDetection?.createResponse) this.startTurnResponse();
      }
    }
    this.checkIdleTimeout();
  }

  /**
   * GA `idle_timeout_ms`: no speech for that long (on the appended-audio timeline) after the last response
   * finished → `input_audio_buffer.timeout_triggered`, the silent audio is committed and answered.
   */
  private checkIdleTimeout(): void {
    const td = this.config.turnDetection;
    if (this.dialect !== 'ga' || !td || td.idleTimeoutMs === null || this.idleFromMs === null || this.turn) return;
    const end = this.idleFromMs + td.idleTimeoutMs;
    if (this.buffer.timelineMs < end) return;
    const start = Math.max(this.idleFromMs, this.buffer.sampleToMs(0));
    this.idleFromMs = null;
    const itemId = newId('item');
    this.send({ type: 'input_audio_buffer.timeout_triggered', audio_start_ms: Math.round(start), audio_end_ms: Math.round(end), item_id: itemId });
    const audio = this.buffer.commitRange(this.buffer.msToSample(start), this.buffer.msToSample(end));
    this.vad?.reset();
    this.commitUserAudio(itemId, audio.samples, audio.sampleRate, true);
    this.startTurnResponse();
  }

  private onCommit(): void {
    const ms = this.buffer.bufferedMs;
    if (ms < MIN_COMMIT_MS) {
      throw new ProtocolError(
        'input_audio_buffer_commit_empty',
        `Error committing input audio buffer: buffer too small. Expected at least ${MIN_COMMIT_MS}ms of audio, but buffer only has ${ms.toFixed(2)}ms of audio.`,
      );
    }
    const itemId = this.turn?.itemId ?? newId('item');
    this.turn = null;
    const audio = this.buffer.commitAll();
    this.vad?.reset();
    this.commitUserAudio(itemId, audio.samples, audio.sampleRate);
  }

  private encodeInput(samples: Int16Array): Uint8Array {
    return encodeOutput(samples, this.config.input.info);
  }

  /** `committed`, the user item, and (if enabled) its transcription. */
  private commitUserAudio(itemId: string, samples: Int16Array, sampleRate: number, idle = false): void {
    const audioMs = (samples.length / sampleRate) * 1000;
    const item: StoredItem = {
      id: itemId,
      type: 'message',
      role: 'user',
      status: 'completed',
      content: [{ type: 'input_audio', transcript: null, audio: this.encodeInput(samples), audioMs }],
      pcm: { samples, sampleRate },
    };
    if (idle) item.idle = true;
    const previous = this.conversation.insert(item);
    this.send({ type: 'input_audio_buffer.committed', item_id: itemId, previous_item_id: previous });
    this.announceUserItem(item, previous);
    if (this.config.transcription) this.transcribe(item, audioMs);
  }

  private announceUserItem(item: StoredItem, previous: string | null): void {
    const wire = itemToWire(item, this.dialect);
    if (this.dialect === 'beta') {
      this.send({ type: 'conversation.item.created', previous_item_id: previous, item: wire });
    } else {
      this.send({ type: 'conversation.item.added', previous_item_id: previous, item: wire });
      this.send({ type: 'conversation.item.done', previous_item_id: previous, item: wire });
    }
  }

  /** There is no offline recogniser: the transcript honestly says what the audio is. */
  private transcribe(item: StoredItem, audioMs: number): void {
    const seconds = (audioMs / 1000).toFixed(1);
    const transcript = `(speech, ${seconds} s)`;
    let sofar = '';
    for (const delta of ['(speech', `, ${seconds} s)`]) {
      sofar += delta;
      const event: Obj = { type: 'conversation.item.input_audio_transcription.delta', item_id: item.id, content_index: 0, delta };
      if (this.dialect === 'beta') event.transcript = sofar;
      this.send(event);
    }
    item.content[0].transcript = transcript;
    const audioTokens = Math.ceil(audioMs / 50);
    const outputTokens = Math.ceil(transcript.length / 4);
    this.send({
      type: 'conversation.item.input_audio_transcription.completed',
      item_id: item.id,
      content_index: 0,
      transcript,
      // The tokens shape: agents-realtime's schema accepts only this one (the protocol also allows `duration`).
      usage: {
        type: 'tokens',
        total_tokens: audioTokens + outputTokens,
        input_tokens: audioTokens,
        input_token_details: { text_tokens: 0, audio_tokens: audioTokens },
        output_tokens: outputTokens,
      },
    });
  }

  // ------------------------------------------------------------------------------------------------------------
  // Conversation items
  // ------------------------------------------------------------------------------------------------------------

  private findItem(id: unknown): StoredItem {
    if (typeof id !== 'string') throw new ProtocolError('invalid_value', "Invalid type for 'item_id': expected a string.", 'item_id');
    const item = this.conversation.get(id);
    if (!item) throw new ProtocolError('item_not_found', `Item with item_id not found: ${id}`, 'item_id');
    return item;
  }

  /** Decodes client input audio (base64 in the session input format) to samples. */
  private decodeInputAudio(b64: string, param: string): { bytes: Uint8Array; samples: Int16Array } {
    let bytes: Uint8Array;
    try {
      bytes = decodeBase64(b64);
    } catch {
      throw new ProtocolError('invalid_value', `Invalid '${param}': not base64.`, param);
    }
    const info = this.config.input.info;
    let samples: Int16Array;
    if (info.encoding === 'g711_ulaw') samples = decodeMulaw(bytes);
    else if (info.encoding === 'g711_alaw') samples = decodeAlaw(bytes);
    else {
      samples = new Int16Array(bytes.length >> 1);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(i * 2, true);
    }
    return { bytes, samples };
  }

  private parseItem(raw: unknown): StoredItem {
    if (!isObj(raw)) throw new ProtocolError('invalid_value', "Invalid 'item': expected an object.", 'item');
    const id = raw.id === undefined || raw.id === null ? newId('item') : raw.id;
    if (typeof id !== 'string' || id === '' || id.length > 64) throw new ProtocolError('invalid_value', "Invalid 'item.id'.", 'item.id');
    switch (raw.type) {
      case 'function_call_output':
        if (typeof raw.call_id !== 'string') throw new ProtocolError('missing_required_parameter', "Missing required parameter: 'item.call_id'.", 'item.call_id');
        if (typeof raw.output !== 'string') throw new ProtocolError('missing_required_parameter', "Missing required parameter: 'item.output'.", 'item.output');
        return { id, type: 'function_call_output', status: 'completed', content: [], call_id: raw.call_id, output: raw.output };
      case 'function_call':
        if (typeof raw.call_id !== 'string' || typeof raw.name !== 'string') {
          throw new ProtocolError('missing_required_parameter', "Missing required parameter: 'item.call_id' or 'item.name'.", 'item.call_id');
        }
        return {
          id,
          type: 'function_call',
          status: 'completed',
          content: [],
          call_id: raw.call_id,
          name: raw.name,
          arguments: typeof raw.arguments === 'string' ? raw.arguments : '',
        };
      case 'message':
      case undefined:
        break;
      default:
        throw new ProtocolError('invalid_value', `Invalid value: '${String(raw.type)}'. Supported item types: message, function_call, function_call_output.`, 'item.type');
    }
    const role = raw.role;
    if (role !== 'user' && role !== 'assistant' && role !== 'system') {
      throw new ProtocolError('invalid_value', "Invalid 'item.role': expected \"user\", \"assistant\" or \"system\".", 'item.role');
    }
    if (!Array.isArray(raw.content)) throw new ProtocolError('invalid_value', "Invalid 'item.content': expected an array.", 'item.content');
    const allowed: Record<string, string[]> = {
      user: this.dialect === 'beta' ? ['input_text', 'input_audio', 'item_reference', 'tts_text'] : ['input_text', 'input_audio', 'input_image', 'item_reference'],
      system: ['input_text'],
      assistant: this.dialect === 'beta' ? ['text'] : ['output_text', 'text'],
    };
    const item: StoredItem = { id, type: 'message', role, status: 'completed', content: [] };
    raw.content.forEach((c: unknown, i: number) => {
      const param = `item.content[${i}]`;
      if (!isObj(c) || typeof c.type !== 'string') throw new ProtocolError('invalid_value', `Invalid '${param}'.`, param);
      if (!allowed[role].includes(c.type)) {
        const why = role === 'assistant' && /audio/.test(c.type) ? ' Assistant audio items cannot be created by the client.' : '';
        throw new ProtocolError('invalid_value', `Invalid value: '${c.type}' is not a supported content type for role '${role}'.${why}`, `${param}.type`);
      }
      const part: StoredContent = { type: c.type === 'output_text' ? 'text' : (c.type as StoredContent['type']) };
      if (c.type === 'input_audio') {
        if (typeof c.audio !== 'string') throw new ProtocolError('missing_required_parameter', `Missing required parameter: '${param}.audio'.`, `${param}.audio`);
        const { bytes, samples } = this.decodeInputAudio(c.audio, `${param}.audio`);
        part.audio = bytes;
        part.audioMs = (samples.length / this.config.input.info.sampleRate) * 1000;
        part.transcript = typeof c.transcript === 'string' ? c.transcript : null;
        item.pcm = { samples, sampleRate: this.config.input.info.sampleRate };
      } else if (c.type === 'item_reference') {
        if (typeof c.id !== 'string') throw new ProtocolError('missing_required_parameter', `Missing required parameter: '${param}.id'.`, `${param}.id`);
        part.id = c.id;
      } else if (c.type === 'input_image') {
        part.image_url = typeof c.image_url === 'string' ? c.image_url : undefined;
      } else {
        if (typeof c.text !== 'string') throw new ProtocolError('missing_required_parameter', `Missing required parameter: '${param}.text'.`, `${param}.text`);
        part.text = c.text;
      }
      item.content.push(part);
    });
    return item;
  }

  private onItemCreate(event: Obj): void {
    const item = this.parseItem(event.item);
    if (this.conversation.has(item.id)) throw new ProtocolError('invalid_value', `Item with id '${item.id}' already exists.`, 'item.id');
    const prev = event.previous_item_id;
    if (prev !== undefined && prev !== null && typeof prev !== 'string') {
      throw new ProtocolError('invalid_value', "Invalid type for 'previous_item_id'.", 'previous_item_id');
    }
    const previous = this.conversation.insert(item, prev === undefined ? undefined : (prev as string | null));
    this.announceUserItem(item, previous);
  }

  private onTruncate(event: Obj): void {
    const item = this.findItem(event.item_id);
    if (item.type !== 'message' || item.role !== 'assistant') {
      throw new ProtocolError('invalid_value', 'Only assistant messages can be truncated.', 'item_id');
    }
    const index = event.content_index;
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= item.content.length || item.content[index].type !== 'audio') {
      throw new ProtocolError('invalid_value', "Invalid 'content_index': it must point to the item's audio content.", 'content_index');
    }
    const ms = event.audio_end_ms;
    if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0) {
      throw new ProtocolError('invalid_value', "Invalid 'audio_end_ms': expected a non-negative integer.", 'audio_end_ms');
    }
    const part = item.content[index];
    const generated = Math.floor(part.audioMs ?? 0);
    if (ms > generated) {
      throw new ProtocolError('invalid_value', `Audio content of ${generated}ms is already shorter than ${ms}ms`, 'audio_end_ms');
    }
    // Truncating the item that is still playing means the user stopped listening: end its response first.
    if (this.active && !this.active.finished && this.active.streamingItemId === item.id) this.active.cancel('client_cancelled');
    const info = part.format ?? this.config.output.info;
    const keepBytes = Math.floor((ms * info.sampleRate) / 1000) * (info.bytesPerSample ?? 2);
    if (part.audio) part.audio = part.audio.slice(0, keepBytes);
    part.audioMs = ms;
    part.transcript = '';
    this.send({ type: 'conversation.item.truncated', item_id: item.id, content_index: index, audio_end_ms: ms });
  }

  // ------------------------------------------------------------------------------------------------------------
  // Responses
  // ------------------------------------------------------------------------------------------------------------

  private responseSettings(params: Obj): ResponseSettings & { tools: string[]; toolsAllowed: boolean; contextItems: StoredItem[] | null } {
    const d = this.dialect;
    const c = this.config;
    let modalities = c.modalities;
    let output = c.output;
    let voice = c.voice;
    let tools = c.tools;
    let choice = c.toolChoice;
    let maxOut = c.maxOutputTokens;
    if (d === 'beta') {
      if (params.modalities !== undefined) modalities = parseModalities(params.modalities, 'response.modalities', d);
      if (params.output_audio_format !== undefined) output = parseFormat(params.output_audio_format, 'response.output_audio_format', d);
      if (params.voice !== undefined) voice = parseVoice(params.voice, 'response.voice');
      if (params.max_response_output_tokens !== undefined) maxOut = maxTokens(params.max_response_output_tokens, 'response.max_response_output_tokens');
    } else {
      if (params.output_modalities !== undefined) modalities = parseModalities(params.output_modalities, 'response.output_modalities', d);
      const out = isObj(params.audio) && isObj(params.audio.output) ? params.audio.output : null;
      if (out?.format !== undefined) output = parseFormat(out.format, 'response.audio.output.format', d);
      if (out?.voice !== undefined) voice = parseVoice(out.voice, 'response.audio.output.voice');
      if (params.max_output_tokens !== undefined) maxOut = maxTokens(params.max_output_tokens, 'response.max_output_tokens');
    }
    if (params.tools !== undefined) tools = parseTools(params.tools, 'response.tools');
    if (params.tool_choice !== undefined) choice = toolChoice(params.tool_choice, 'response.tool_choice');
    const conv = params.conversation;
    if (conv !== undefined && conv !== 'auto' && conv !== 'none') {
      throw new ProtocolError('invalid_value', "Invalid 'response.conversation': expected \"auto\" or \"none\".", 'response.conversation');
    }
    if (params.metadata !== undefined && params.metadata !== null && !isObj(params.metadata)) {
      throw new ProtocolError('invalid_value', "Invalid 'response.metadata': expected an object.", 'response.metadata');
    }
    let contextItems: StoredItem[] | null = null;
    if (params.input !== undefined) {
      if (!Array.isArray(params.input)) throw new ProtocolError('invalid_value', "Invalid 'response.input': expected an array.", 'response.input');
      contextItems = params.input.map((raw: unknown) => {
        if (isObj(raw) && raw.type === 'item_reference' && typeof raw.id === 'string') return this.findItem(raw.id);
        return this.parseItem(isObj(raw) ? { ...raw, id: undefined } : raw);
      });
    }
    return {
      modalities,
      output,
      voice,
      temperature: c.temperature,
      maxOutputTokens: maxOut,
      inConversation: conv !== 'none',
      metadata: isObj(params.metadata) ? params.metadata : null,
      tools: tools.map((t) => t.name),
      toolsAllowed: choice !== 'none',
      contextItems,
    };
  }

  private onResponseCreate(event: Obj): void {
    const params = event.response === undefined || event.response === null ? {} : event.response;
    if (!isObj(params)) throw new ProtocolError('invalid_value', "Invalid 'response': expected an object.", 'response');
    const settings = this.responseSettings(params);
    if (settings.inConversation && this.active && !this.active.finished) {
      throw new ProtocolError(
        'conversation_already_has_active_response',
        `Conversation already has an active response in progress: ${this.active.id}. Wait until the response is finished before creating a new one.`,
      );
    }
    this.startResponse(settings);
  }

  /** A VAD turn ended with create_response: start now, or right after the active response finishes. */
  private startTurnResponse(): void {
    if (this.active && !this.active.finished) {
      if (this.queuedTurnResponse) return;
      this.queuedTurnResponse = true;
      this.active.onFinished(() => {
        this.queuedTurnResponse = false;
        if (!this.closed) this.startResponse(this.responseSettings({}));
      });
      return;
    }
    this.startResponse(this.responseSettings({}));
  }

  private startResponse(settings: ReturnType<Session['responseSettings']>): void {
    const items = settings.contextItems ?? this.conversation.list();
    const plan = planReply(items, { clientTools: settings.tools, voice: settings.voice, toolsAllowed: settings.toolsAllowed });
    let textChars = 0;
    let audioMs = 0;
    for (const it of items) {
      for (const c of it.content) {
        textChars += (c.text ?? c.transcript ?? '').length;
        audioMs += c.type === 'input_audio' || c.type === 'audio' ? (c.audioMs ?? 0) : 0;
      }
      textChars += (it.arguments ?? '').length + (it.output ?? '').length;
    }
    let voiceOverride: string | null = settings.voice !== this.config.voice ? settings.voice : null;
    const responder = new Responder(
      {
        dialect: this.dialect,
        send: (e) => this.send(e),
        conversation: this.conversation,
        synthesizer: this.ctx.synthesizer,
        replyLong: this.info.replyLong,
        pacingSpeed: this.ctx.pacingSpeed,
        faults: this.info.faults,
        // A per-response voice applies to that response only (until a plugin switches the session voice).
        voice: () => voiceOverride ?? this.config.voice,
        speed: () => this.config.speed,
        plugin: (language) => {
          const ctx = this.pluginContext(language);
          return {
            ...ctx,
            setVoice: (name: string) => {
              voiceOverride = null;
              ctx.setVoice(name);
            },
          };
        },
        log: this.ctx.log,
        inputTokens: { text: Math.ceil(textChars / 4), audio: Math.ceil(audioMs / 50) },
        ordinal: ++this.responseCount,
      },
      settings,
      plan,
    );
    if (settings.inConversation) {
      this.active = responder;
      this.idleFromMs = null;
      responder.onFinished(() => {
        if (this.active === responder) this.active = null;
        // The idle timeout counts from the end of the last response (its audio was paced in real time).
        if (!this.closed) this.idleFromMs = this.buffer.timelineMs;
      });
    } else {
      this.outOfBand.add(responder);
      responder.onFinished(() => this.outOfBand.delete(responder));
    }
    void responder.run();
  }

  private onResponseCancel(event: Obj): void {
    const wanted = event.response_id;
    if (wanted !== undefined && typeof wanted !== 'string') {
      throw new ProtocolError('invalid_value', "Invalid type for 'response_id'.", 'response_id');
    }
    let target: Responder | null = null;
    if (this.active && !this.active.finished && (wanted === undefined || wanted === this.active.id)) target = this.active;
    if (!target && wanted !== undefined) target = [...this.outOfBand].find((r) => r.id === wanted && !r.finished) ?? null;
    if (!target) {
      throw new ProtocolError('response_cancel_not_active', 'Cancellation failed: no active response found');
    }
    target.cancel('client_cancelled');
  }

  private pluginContext(language: ReplyLanguage): PluginContext {
    return {
      memoryScope: this.memoryScope,
      memory: this.ctx.memory,
      language,
      voice: this.config.voice,
      speed: this.config.speed,
      setVoice: (name) => {
        this.config = { ...this.config, voice: name };
      },
      setSpeed: (speed) => {
        this.config = { ...this.config, speed };
      },
    };
  }
}
