/**
 * The conversation store: items keyed strictly by id, built from normalised server events.
 *
 * - An event that refers to an item not yet announced creates a placeholder, reconciled when the item arrives;
 *   nothing is ever matched by position and nothing throws on unknown ids.
 * - Output audio is stored in a growing buffer (amortised O(1) per delta); `formatted.audio` is an Int16Array view
 *   for PCM and G.711 (decoded), and compressed formats (MP3, Opus) keep their bytes with the format.
 * - Every item reaches a terminal status: `completed`, `incomplete`, `cancelled` or `failed`.
 */

import { decodeBase64 } from '../dsp/base64';
import { decodeAlaw, decodeMulaw } from '../dsp/g711';
import { ChunkedBytes } from './audio-buffer';
import { msToSamples, resolveFormat, type AudioEncoding } from './formats';
import type { ContentPart, RawEvent, ResponseStatus, WireError, WireGaAudioFormat, WireItem, WireResponse, WireUsage } from './protocol';

/** Item status: the wire statuses plus the outcomes of the response that produced the item. */
export type ItemStatus = 'in_progress' | 'completed' | 'incomplete' | 'cancelled' | 'failed';

/** Where an item's transcript stands. */
export type TranscriptStatus = 'none' | 'pending' | 'streaming' | 'completed' | 'failed' | 'truncated';

/** Terminal item statuses. */
export const TERMINAL_STATUSES: ReadonlySet<ItemStatus> = new Set(['completed', 'incomplete', 'cancelled', 'failed']);

/** The format of an item's stored audio. */
export interface ItemAudioFormat {
  /** The wire format name (or GA type) it came from; null when the session never said. */
  name: string | null;
  /** Encoding of `audioBytes`. `unknown` when the format name is not in the table (bytes kept as they are). */
  encoding: AudioEncoding | 'unknown';
  /** Sample rate of `formatted.audio` (and of the bytes for PCM/G.711). */
  sampleRate: number;
  /** True when the bytes need a decoder (MP3, Opus, unknown): `formatted.audio` is then empty. */
  compressed: boolean;
}

/** Function-call details of a `function_call` item. */
export interface FormattedTool {
  type: 'function';
  name: string;
  call_id: string;
  arguments: string;
}

/** The reference client's `formatted` view of an item, plus status information. */
export interface FormattedItem {
  /** Text content (user input text, assistant text output). */
  text: string;
  /** Transcript (user audio ASR, assistant audio transcript). */
  transcript: string;
  /**
   * Samples at `audioFormat.sampleRate`: PCM, or decoded G.711. Empty for compressed audio. Read lazily: the chunks
   * are concatenated once per change, so stream with `delta.audio` and read this when you need the whole item.
   */
  readonly audio: Int16Array;
  /** The audio bytes as received (PCM, G.711, MP3 or Opus). Read lazily (concatenated once per change). */
  readonly audioBytes: Uint8Array;
  /** Number of audio bytes received, without reading them. */
  readonly audioByteLength: number;
  /** Format of the audio, once the item has audio. */
  audioFormat: ItemAudioFormat | null;
  /** Duration of the stored audio in ms, or null for compressed audio. */
  readonly audioDurationMs: number | null;
  tool?: FormattedTool;
  /** `function_call_output` output. */
  output?: string;
  /** Left for the application (e.g. a WAV blob), as in the reference client. */
  file?: unknown;
  transcriptStatus: TranscriptStatus;
  /** Why transcription failed (`…transcription.failed`). */
  transcriptError?: WireError;
  /** Set by `conversation.item.truncated`. */
  truncated?: { audioEndMs: number; contentIndex: number };
  /** User audio items: the speech range on the session's input timeline. */
  audioStartMs?: number;
  audioEndMs?: number;
}

/** Timestamps (ms since epoch) for metrics. */
export interface ItemTiming {
  createdAt: number;
  firstTextDeltaAt?: number;
  firstAudioDeltaAt?: number;
  doneAt?: number;
}

/** One conversation item. Objects are updated in place (as in the reference client); `getItems()` copies the list. */
export interface ConversationItem {
  id: string;
  object: 'realtime.item';
  type: 'message' | 'function_call' | 'function_call_output';
  role?: 'user' | 'assistant' | 'system';
  status: ItemStatus;
  content: ContentPart[];
  call_id?: string;
  name?: string;
  arguments?: string;
  output?: string;
  previous_item_id?: string | null;
  /** True until the server announces the item (it was created from a later event). */
  placeholder: boolean;
  /** The response that produced the item, if any. */
  responseId: string | null;
  timing: ItemTiming;
  formatted: FormattedItem;
}

/** What changed in an item (the reference `delta`). */
export interface ItemDelta {
  text?: string;
  /** Transcript increment (always incremental, whatever the server's style). */
  transcript?: string;
  /** Set instead of `transcript` when a cumulative partial rewrote earlier text: the whole transcript so far. */
  transcriptReplaced?: string;
  /** New samples (PCM, or decoded G.711) at `item.formatted.audioFormat.sampleRate`. */
  audio?: Int16Array;
  /** New bytes as received (set for every audio delta; the only audio field for MP3/Opus). */
  audioBytes?: Uint8Array;
  arguments?: string;
}

/** A response and its milestones. */
export interface ResponseRecord {
  id: string;
  status: ResponseStatus;
  statusDetails: WireResponse['status_details'] | null;
  usage: WireUsage | null;
  itemIds: string[];
  createdAt: number;
  firstTextDeltaAt?: number;
  firstAudioDeltaAt?: number;
  doneAt?: number;
}

/** One change to report as `conversation.updated`. */
export interface ConversationChange {
  item: ConversationItem;
  delta: ItemDelta | null;
  /** The item is new (report `conversation.item.appended`). */
  appended?: boolean;
  /** The item just reached a terminal status (report `conversation.item.completed`). */
  completed?: boolean;
  /** The item was deleted. */
  deleted?: boolean;
}

/** Everything `apply` learned from one event. */
export interface ApplyResult {
  changes: ConversationChange[];
  /** `speech_started`: the user started speaking (report `conversation.interrupted`). */
  interrupted?: { itemId: string; audioStartMs: number };
  /** `speech_stopped`: the user item's speech range is known. */
  speechStopped?: { itemId: string; audioStartMs: number | null; audioEndMs: number };
  /** `input_audio_buffer.committed`. */
  committed?: { itemId: string };
  responseCreated?: ResponseRecord;
  responseDone?: ResponseRecord;
  /** A function call item is complete (arguments final): the tool runner may run it. */
  functionCallDone?: ConversationItem;
  /** The event could not be applied (e.g. undecodable audio); the conversation is unchanged by it. */
  error?: string;
}

/** Clock for timestamps; injectable for tests. */
export type Clock = () => number;

class ItemAudio {
  readonly format: ItemAudioFormat;
  readonly bytes = new ChunkedBytes();
  /** Decoded samples for G.711; for PCM the bytes are the samples. */
  readonly decoded: ChunkedBytes | null;
  /** PCM: a byte of a sample split across two deltas, waiting for its other half (-1: none). */
  private carry = -1;

  constructor(format: ItemAudioFormat) {
    this.format = format;
    this.decoded = format.encoding === 'g711_ulaw' || format.encoding === 'g711_alaw' ? new ChunkedBytes() : null;
  }

  /** Drops the block slack once the item is finished (see {@link ChunkedBytes.compact}). */
  compact(): void {
    this.bytes.compact();
    this.decoded?.compact();
  }

  /** Appends bytes and returns the new samples (null for compressed audio). O(size of the chunk). */
  append(chunk: Uint8Array): Int16Array | null {
    const enc = this.format.encoding;
    this.bytes.append(chunk);
    if (enc === 'pcm16') {
      let src = chunk;
      if (this.carry >= 0) {
        src = new Uint8Array(chunk.length + 1);
        src[0] = this.carry;
        src.set(chunk, 1);
      }
      const n = src.length >> 1;
      this.carry = src.length & 1 ? src[src.length - 1] : -1;
      const out = new Int16Array(n);
      new Uint8Array(out.buffer).set(src.subarray(0, n * 2));
      return out;
    }
    if (enc === 'g711_ulaw' || enc === 'g711_alaw') {
      const pcm = enc === 'g711_ulaw' ? decodeMulaw(chunk) : decodeAlaw(chunk);
      this.decoded!.append(new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength));
      return pcm;
    }
    return null;
  }

  samples(): Int16Array {
    if (this.format.encoding === 'pcm16') return this.bytes.int16();
    if (this.decoded) return this.decoded.int16();
    return EMPTY_I16;
  }

  /** Number of samples stored, without reading them. */
  sampleCount(): number {
    if (this.format.encoding === 'pcm16') return this.bytes.length >> 1;
    if (this.decoded) return this.decoded.length >> 1;
    return 0;
  }

  durationMs(): number | null {
    if (this.format.compressed) return null;
    return (this.sampleCount() / this.format.sampleRate) * 1000;
  }

  truncateMs(ms: number): void {
    if (this.format.compressed) return;
    const samples = msToSamples({ encoding: 'pcm16', sampleRate: this.format.sampleRate, bytesPerSample: 2 }, ms);
    if (this.format.encoding === 'pcm16') {
      this.bytes.truncate(samples * 2);
      this.carry = -1;
    } else {
      this.bytes.truncate(samples);
      this.decoded?.truncate(samples * 2);
    }
  }
}

const EMPTY_I16 = new Int16Array(0);
const EMPTY_U8 = new Uint8Array(0);

/** Resolves a wire format (name or GA object) to an item audio format; unset means the servers' default pcm16 @ 24 kHz. */
export function itemAudioFormat(spec: string | WireGaAudioFormat | null | undefined): ItemAudioFormat {
  if (spec === null || spec === undefined) return { name: null, encoding: 'pcm16', sampleRate: 24000, compressed: false };
  const name = typeof spec === 'string' ? spec : spec.type;
  const info = resolveFormat(spec);
  if (!info) return { name, encoding: 'unknown', sampleRate: 24000, compressed: true };
  return { name, encoding: info.encoding, sampleRate: info.sampleRate, compressed: info.bytesPerSample === null };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

const TEXT_PARTS = new Set(['input_text', 'text', 'output_text', 'tts_text']);

/** The conversation store. */
export class Conversation {
  private readonly byId = new Map<string, ConversationItem>();
  private order: ConversationItem[] = [];
  private readonly audio = new Map<string, ItemAudio>();
  private readonly completedIds = new Set<string>();
  private readonly responses = new Map<string, ResponseRecord>();
  private readonly vad = new Map<string, { startMs?: number; endMs?: number }>();
  private readonly pendingInputAudio = new Map<string, { samples: Int16Array; format: ItemAudioFormat; startMs?: number; endMs?: number }>();
  private inputFormat: ItemAudioFormat = itemAudioFormat(null);
  private outputFormat: ItemAudioFormat = itemAudioFormat(null);
  private transcriptionEnabled = false;
  private activeResponseId: string | null = null;
  private readonly now: Clock;

  constructor(clock: Clock = Date.now) {
    this.now = clock;
  }

  /** Sets the negotiated formats (from the effective session). New audio uses them; items keep their own. */
  setFormats(input: string | WireGaAudioFormat | null | undefined, output: string | WireGaAudioFormat | null | undefined): void {
    this.inputFormat = itemAudioFormat(input);
    this.outputFormat = itemAudioFormat(output);
  }

  /** The current input / output formats. */
  getFormats(): { input: ItemAudioFormat; output: ItemAudioFormat } {
    return { input: this.inputFormat, output: this.outputFormat };
  }

  /** Whether user audio items should expect a transcript (`pending` until it arrives). */
  setTranscriptionEnabled(enabled: boolean): void {
    this.transcriptionEnabled = enabled;
  }

  /** All items in arrival order (a new array; the items themselves are live objects). */
  getItems(): ConversationItem[] {
    return this.order.slice();
  }

  /** One item by id. */
  getItem(id: string): ConversationItem | undefined {
    return this.byId.get(id);
  }

  /** A response by id. */
  getResponse(id: string): ResponseRecord | undefined {
    return this.responses.get(id);
  }

  /** All responses seen, in order. */
  getResponses(): ResponseRecord[] {
    return [...this.responses.values()];
  }

  /** The id of the response in progress (between `response.created` and `response.done`), or null. */
  getActiveResponseId(): string | null {
    return this.activeResponseId;
  }

  /**
   * Ends every item that is still open with `status` (the connection dropped mid-response) and forgets the active
   * response. Returns the changes to report.
   */
  abandon(status: ItemStatus = 'incomplete'): ConversationChange[] {
    const changes: ConversationChange[] = [];
    this.activeResponseId = null;
    for (const item of this.order) {
      const f = item.formatted;
      const settle = () => {
        if (f.transcriptStatus !== 'pending' && f.transcriptStatus !== 'streaming') return false;
        f.transcriptStatus = f.transcript ? 'completed' : 'none';
        return true;
      };
      if (TERMINAL_STATUSES.has(item.status)) {
        // A finished user item can still wait for its transcription: that wait ends with the connection too.
        if (settle()) changes.push({ item, delta: null });
        continue;
      }
      this.finish(item, status);
      settle();
      if (this.markCompleted(item)) changes.push({ item, delta: null, completed: true });
    }
    return changes;
  }

  /** Forgets everything. */
  clear(): void {
    this.byId.clear();
    this.order = [];
    this.audio.clear();
    this.completedIds.clear();
    this.responses.clear();
    this.vad.clear();
    this.pendingInputAudio.clear();
    this.activeResponseId = null;
  }

  /**
   * Attaches captured input audio (samples at `format.sampleRate`) to a user item; if the item is not known yet the
   * audio waits for it. Returns the change when the item exists.
   */
  attachInputAudio(itemId: string, samples: Int16Array, range: { startMs?: number; endMs?: number } = {}, format: ItemAudioFormat = this.inputFormat): ConversationChange | null {
    const pcmFormat: ItemAudioFormat = { name: format.name, encoding: 'pcm16', sampleRate: format.sampleRate, compressed: false };
    const item = this.byId.get(itemId);
    if (!item) {
      this.pendingInputAudio.set(itemId, { samples, format: pcmFormat, ...range });
      return null;
    }
    this.setInputAudio(item, samples, pcmFormat, range);
    return { item, delta: { audio: samples } };
  }

  /** Applies one server event (its internal type and the raw event). Never throws. */
  apply(type: string, event: RawEvent): ApplyResult {
    try {
      return this.applyUnsafe(type, event);
    } catch (err) {
      return { changes: [], error: err instanceof Error ? err.message : String(err) };
    }
  }

  // ------------------------------------------------------------------------------------------------------------

  private applyUnsafe(type: string, e: RawEvent): ApplyResult {
    const none: ApplyResult = { changes: [] };
    switch (type) {
      case 'conversation.item.added':
      case 'conversation.item.retrieved':
      case 'response.output_item.added': {
        const wire = e.item as WireItem | undefined;
        if (!wire || typeof wire !== 'object') return none;
        const responseId = str(e.response_id) ?? null;
        const r = this.announce(wire, responseId, e.previous_item_id as string | null | undefined);
        return { changes: r ? [r] : [] };
      }
      case 'conversation.item.done':
      case 'response.output_item.done': {
        const wire = e.item as WireItem | undefined;
        if (!wire || typeof wire !== 'object') return none;
        const r = this.announce(wire, str(e.response_id) ?? null, e.previous_item_id as string | null | undefined);
        if (!r) return none;
        const item = r.item;
        this.finish(item, mapWireStatus(wire.status) ?? 'completed');
        r.completed = this.markCompleted(item);
        const result: ApplyResult = { changes: [r] };
        if (item.type === 'function_call') result.functionCallDone = item;
        return result;
      }
      case 'conversation.item.deleted': {
        const id = str(e.item_id);
        if (!id) return none;
        const item = this.byId.get(id);
        if (!item) return none;
        this.remove(id);
        return { changes: [{ item, delta: null, deleted: true }] };
      }
      case 'conversation.item.truncated': {
        const id = str(e.item_id);
        if (!id) return none;
        const item = this.ensure(id, { type: 'message', role: 'assistant' });
        const audioEndMs = num(e.audio_end_ms) ?? 0;
        const contentIndex = num(e.content_index) ?? 0;
        this.audio.get(id)?.truncateMs(audioEndMs);
        item.formatted.truncated = { audioEndMs, contentIndex };
        item.formatted.transcriptStatus = 'truncated';
        return { changes: [{ item: item, delta: null }] };
      }
      case 'conversation.item.input_audio_transcription.delta': {
        const id = str(e.item_id);
        if (!id) return none;
        const { item, created } = this.ensureUserAudio(id);
        const f = item.formatted;
        const before = f.transcript;
        const cumulative = str(e.transcript);
        const increment = str(e.delta);
        const delta: ItemDelta = {};
        if (cumulative !== undefined) {
          // xStar: the text so far (replace).
          f.transcript = cumulative;
          if (cumulative.startsWith(before)) delta.transcript = cumulative.slice(before.length);
          else delta.transcriptReplaced = cumulative;
        } else if (increment !== undefined) {
          f.transcript = before + increment;
          delta.transcript = increment;
        }
        if (f.transcriptStatus !== 'completed' && f.transcriptStatus !== 'failed') f.transcriptStatus = 'streaming';
        this.setPartTranscript(item, num(e.content_index), f.transcript);
        return { changes: [{ item, delta, appended: created }] };
      }
      case 'conversation.item.input_audio_transcription.completed': {
        const id = str(e.item_id);
        if (!id) return none;
        const { item, created } = this.ensureUserAudio(id);
        const text = str(e.transcript) ?? '';
        const before = item.formatted.transcript;
        item.formatted.transcript = text;
        item.formatted.transcriptStatus = 'completed';
        this.setPartTranscript(item, num(e.content_index), text);
        // A user item whose transcript is final is complete even if its announcement never came.
        if (item.status === 'in_progress') item.status = 'completed';
        const delta: ItemDelta = text.startsWith(before) ? { transcript: text.slice(before.length) } : { transcriptReplaced: text };
        return { changes: [{ item, delta, appended: created, completed: this.markCompleted(item) }] };
      }
      case 'conversation.item.input_audio_transcription.failed': {
        const id = str(e.item_id);
        if (!id) return none;
        const { item, created } = this.ensureUserAudio(id);
        item.formatted.transcriptStatus = 'failed';
        const err = e.error as WireError | undefined;
        item.formatted.transcriptError = err && typeof err === 'object' ? { ...err } : { message: 'transcription failed' };
        if (item.status === 'in_progress') item.status = 'completed';
        return { changes: [{ item, delta: null, appended: created, completed: this.markCompleted(item) }] };
      }
      case 'input_audio_buffer.speech_started': {
        const id = str(e.item_id);
        const ms = num(e.audio_start_ms) ?? 0;
        if (id) this.vad.set(id, { startMs: ms });
        return { changes: [], interrupted: { itemId: id ?? '', audioStartMs: ms } };
      }
      case 'input_audio_buffer.speech_stopped': {
        const id = str(e.item_id);
        const ms = num(e.audio_end_ms);
        if (!id || ms === undefined) return none;
        const mark = this.vad.get(id) ?? {};
        mark.endMs = ms;
        this.vad.set(id, mark);
        const item = this.byId.get(id);
        if (item) {
          item.formatted.audioEndMs = ms;
          if (mark.startMs !== undefined) item.formatted.audioStartMs = mark.startMs;
        }
        return { changes: [], speechStopped: { itemId: id, audioStartMs: mark.startMs ?? null, audioEndMs: ms } };
      }
      case 'input_audio_buffer.committed': {
        const id = str(e.item_id);
        return id ? { changes: [], committed: { itemId: id } } : none;
      }
      case 'response.created': {
        const resp = e.response as WireResponse | undefined;
        const id = str(resp?.id);
        if (!id) return none;
        const rec: ResponseRecord = this.responses.get(id) ?? {
          id,
          status: 'in_progress',
          statusDetails: null,
          usage: null,
          itemIds: [],
          createdAt: this.now(),
        };
        this.responses.set(id, rec);
        this.activeResponseId = id;
        return { changes: [], responseCreated: rec };
      }
      case 'response.done':
        return this.responseDone(e);
      case 'response.content_part.added':
      case 'response.content_part.done': {
        const id = str(e.item_id);
        if (!id) return none;
        const { item, created } = this.ensureAssistant(id, str(e.response_id));
        const ci = num(e.content_index) ?? 0;
        const part = e.part as ContentPart | undefined;
        if (part && typeof part === 'object') {
          const existing = item.content[ci];
          // Keep accumulated text; take the server's final values on `done`.
          if (!existing || type === 'response.content_part.done') item.content[ci] = { ...existing, ...stripAudio(part) };
        }
        if (type === 'response.content_part.added' && part?.type === 'audio' && item.formatted.transcriptStatus === 'none') {
          item.formatted.transcriptStatus = 'pending';
        }
        return created ? { changes: [{ item, delta: null, appended: true }] } : none;
      }
      case 'response.output_text.delta': {
        const id = str(e.item_id);
        const d = str(e.delta);
        if (!id || d === undefined) return none;
        const { item, created } = this.ensureAssistant(id, str(e.response_id));
        item.formatted.text += d;
        this.appendPartText(item, num(e.content_index) ?? 0, 'text', d);
        const t = this.now();
        item.timing.firstTextDeltaAt ??= t;
        const rec = this.responseOf(item);
        if (rec) rec.firstTextDeltaAt ??= t;
        return { changes: [{ item, delta: { text: d }, appended: created }] };
      }
      case 'response.output_text.done': {
        const id = str(e.item_id);
        const text = str(e.text);
        if (!id || text === undefined) return none;
        const { item, created } = this.ensureAssistant(id, str(e.response_id));
        item.formatted.text = text;
        return created ? { changes: [{ item, delta: null, appended: true }] } : none;
      }
      case 'response.output_audio_transcript.delta': {
        const id = str(e.item_id);
        const d = str(e.delta);
        if (!id || d === undefined) return none;
        const { item, created } = this.ensureAssistant(id, str(e.response_id));
        item.formatted.transcript += d;
        if (item.formatted.transcriptStatus !== 'truncated') item.formatted.transcriptStatus = 'streaming';
        this.appendPartText(item, num(e.content_index) ?? 0, 'transcript', d);
        return { changes: [{ item, delta: { transcript: d }, appended: created }] };
      }
      case 'response.output_audio_transcript.done': {
        const id = str(e.item_id);
        const text = str(e.transcript);
        if (!id || text === undefined) return none;
        const { item, created } = this.ensureAssistant(id, str(e.response_id));
        if (item.formatted.transcriptStatus !== 'truncated') {
          item.formatted.transcript = text;
          item.formatted.transcriptStatus = 'completed';
        }
        return created ? { changes: [{ item, delta: null, appended: true }] } : none;
      }
      case 'response.output_audio.delta': {
        const id = str(e.item_id);
        const b64 = str(e.delta);
        if (!id || b64 === undefined) return none;
        const bytes = decodeBase64(b64);
        const { item, created } = this.ensureAssistant(id, str(e.response_id));
        let audio = this.audio.get(id);
        if (!audio) {
          audio = new ItemAudio(this.outputFormat);
          this.audio.set(id, audio);
          item.formatted.audioFormat = audio.format;
        }
        const samples = audio.append(bytes);
        const t = this.now();
        item.timing.firstAudioDeltaAt ??= t;
        const rec = this.responseOf(item);
        if (rec) rec.firstAudioDeltaAt ??= t;
        const delta: ItemDelta = { audioBytes: bytes };
        if (samples) delta.audio = samples;
        return { changes: [{ item, delta, appended: created }] };
      }
      case 'response.output_audio.done':
        return none;
      case 'response.function_call_arguments.delta': {
        const id = str(e.item_id);
        const d = str(e.delta);
        if (!id || d === undefined) return none;
        const { item, created } = this.ensureCall(id, e);
        item.arguments = (item.arguments ?? '') + d;
        item.formatted.tool!.arguments = item.arguments;
        return { changes: [{ item, delta: { arguments: d }, appended: created }] };
      }
      case 'response.function_call_arguments.done': {
        const id = str(e.item_id);
        const args = str(e.arguments);
        if (!id || args === undefined) return none;
        const { item, created } = this.ensureCall(id, e);
        item.arguments = args;
        item.formatted.tool!.arguments = args;
        const name = str(e.name);
        if (name) {
          item.name = name;
          item.formatted.tool!.name = name;
        }
        return created ? { changes: [{ item, delta: null, appended: true }] } : none;
      }
      default:
        return none;
    }
  }

  private responseDone(e: RawEvent): ApplyResult {
    const resp = e.response as WireResponse | undefined;
    const id = str(resp?.id);
    if (!resp || !id) return { changes: [] };
    const rec: ResponseRecord = this.responses.get(id) ?? {
      id,
      status: 'in_progress',
      statusDetails: null,
      usage: null,
      itemIds: [],
      createdAt: this.now(),
    };
    rec.status = (str(resp.status) as ResponseStatus | undefined) ?? 'completed';
    rec.statusDetails = resp.status_details ?? null;
    rec.usage = resp.usage ?? null;
    rec.doneAt = this.now();
    this.responses.set(id, rec);
    if (this.activeResponseId === id) this.activeResponseId = null;
    const changes: ConversationChange[] = [];
    const outputs = Array.isArray(resp.output) ? resp.output : [];
    const wireStatus = new Map<string, ItemStatus | undefined>();
    for (const o of outputs) if (o && typeof o.id === 'string') wireStatus.set(o.id, mapWireStatus(o.status));
    const ids = new Set([...rec.itemIds, ...wireStatus.keys()]);
    // Items that named this response before it was known (reordered or lost response.created) end with it too.
    for (const item of this.order) if (item.responseId === id && !TERMINAL_STATUSES.has(item.status)) ids.add(item.id);
    const fallback = responseToItemStatus(rec.status);
    for (const itemId of ids) {
      const item = this.byId.get(itemId);
      if (!item) continue;
      let changed = false;
      if (!TERMINAL_STATUSES.has(item.status)) {
        const s = wireStatus.get(itemId);
        // A cancelled or failed response says more than the item's own `incomplete`.
        this.finish(item, s && s !== 'in_progress' && fallback === 'completed' ? s : fallback);
      } else if (item.status === 'incomplete' && (fallback === 'cancelled' || fallback === 'failed')) {
        item.status = fallback;
        changed = true;
      }
      if (item.formatted.transcriptStatus === 'streaming' || item.formatted.transcriptStatus === 'pending') {
        item.formatted.transcriptStatus = item.formatted.transcript ? 'completed' : 'none';
      }
      const completed = this.markCompleted(item);
      if (completed) changes.push({ item, delta: null, completed });
      else if (changed) changes.push({ item, delta: null });
    }
    return { changes, responseDone: rec };
  }

  private finish(item: ConversationItem, status: ItemStatus): void {
    item.status = status;
    item.timing.doneAt ??= this.now();
  }

  private markCompleted(item: ConversationItem): boolean {
    if (!TERMINAL_STATUSES.has(item.status) || this.completedIds.has(item.id)) return false;
    this.completedIds.add(item.id);
    this.audio.get(item.id)?.compact();
    return true;
  }

  private responseOf(item: ConversationItem): ResponseRecord | undefined {
    return item.responseId ? this.responses.get(item.responseId) : undefined;
  }

  private remove(id: string): void {
    this.byId.delete(id);
    this.audio.delete(id);
    this.completedIds.delete(id);
    this.vad.delete(id);
    this.pendingInputAudio.delete(id);
    this.order = this.order.filter((i) => i.id !== id);
  }

  private newItem(id: string, type: ConversationItem['type'], role: ConversationItem['role'] | undefined, placeholder: boolean): ConversationItem {
    const audioOf = () => this.audio.get(id);
    const formatted = {
      text: '',
      transcript: '',
      audioFormat: null,
      transcriptStatus: 'none' as TranscriptStatus,
      get audio(): Int16Array {
        return audioOf()?.samples() ?? EMPTY_I16;
      },
      get audioBytes(): Uint8Array {
        return audioOf()?.bytes.bytes() ?? EMPTY_U8;
      },
      get audioByteLength(): number {
        return audioOf()?.bytes.length ?? 0;
      },
      get audioDurationMs(): number | null {
        const a = audioOf();
        return a ? a.durationMs() : 0;
      },
    } as FormattedItem;
    const item: ConversationItem = {
      id,
      object: 'realtime.item',
      type,
      status: 'in_progress',
      content: [],
      placeholder,
      responseId: null,
      timing: { createdAt: this.now() },
      formatted,
    };
    if (role) item.role = role;
    this.byId.set(id, item);
    this.order.push(item);
    return item;
  }

  private ensure(id: string, hint: { type: ConversationItem['type']; role?: ConversationItem['role'] }): ConversationItem {
    return this.byId.get(id) ?? this.newItem(id, hint.type, hint.role, true);
  }

  private ensureUserAudio(id: string): { item: ConversationItem; created: boolean } {
    const existing = this.byId.get(id);
    if (existing) return { item: existing, created: false };
    const item = this.newItem(id, 'message', 'user', true);
    item.content = [{ type: 'input_audio', transcript: null }];
    this.applyPendingInput(item);
    return { item, created: true };
  }

  private ensureAssistant(id: string, responseId: string | undefined): { item: ConversationItem; created: boolean } {
    const existing = this.byId.get(id);
    if (existing) return { item: existing, created: false };
    const item = this.newItem(id, 'message', 'assistant', true);
    const rid = responseId ?? this.activeResponseId;
    if (rid) this.linkResponse(item, rid);
    return { item, created: true };
  }

  private ensureCall(id: string, e: RawEvent): { item: ConversationItem; created: boolean } {
    const existing = this.byId.get(id);
    if (existing) {
      if (!existing.formatted.tool) existing.formatted.tool = { type: 'function', name: existing.name ?? '', call_id: existing.call_id ?? str(e.call_id) ?? '', arguments: existing.arguments ?? '' };
      return { item: existing, created: false };
    }
    const item = this.newItem(id, 'function_call', undefined, true);
    item.call_id = str(e.call_id) ?? '';
    item.name = str(e.name) ?? '';
    item.arguments = '';
    item.formatted.tool = { type: 'function', name: item.name, call_id: item.call_id, arguments: '' };
    const rid = str(e.response_id) ?? this.activeResponseId;
    if (rid) this.linkResponse(item, rid);
    return { item, created: true };
  }

  private linkResponse(item: ConversationItem, responseId: string): void {
    item.responseId = responseId;
    const rec = this.responses.get(responseId);
    if (rec && !rec.itemIds.includes(item.id)) rec.itemIds.push(item.id);
  }

  /** Creates or reconciles an item from a full server item. Returns the change, or null for an item without id. */
  private announce(wire: WireItem, responseId: string | null, previousItemId: string | null | undefined): ConversationChange | null {
    const id = str(wire.id);
    if (!id) return null;
    let item = this.byId.get(id);
    const created = !item;
    const type = (wire.type ?? 'message') as ConversationItem['type'];
    const role = wire.type === 'message' ? wire.role : undefined;
    if (!item) item = this.newItem(id, type, role, false);
    item.placeholder = false;
    item.type = type;
    if (role) item.role = role;
    if (previousItemId !== undefined) item.previous_item_id = previousItemId;
    // Model output announced without a response id (beta `created` before `output_item.added`) belongs to the
    // response in progress: only one response writes to the conversation at a time.
    const modelOutput = type === 'function_call' || (type === 'message' && role === 'assistant');
    if (!responseId && modelOutput && !item.responseId && this.activeResponseId) responseId = this.activeResponseId;
    if (responseId) this.linkResponse(item, responseId);
    const f = item.formatted;
    if (wire.type === 'message') {
      const content = Array.isArray(wire.content) ? wire.content : [];
      // Keep what streamed in; take parts the server knows that we do not.
      const merged: ContentPart[] = [];
      const n = Math.max(content.length, item.content.length);
      for (let i = 0; i < n; i++) merged[i] = { ...stripAudio(content[i] ?? { type: 'text' }), ...pickStreamed(item.content[i]) };
      item.content = merged;
      if (!f.text) f.text = content.filter((p) => TEXT_PARTS.has(p.type) && typeof p.text === 'string').map((p) => p.text).join('');
      const transcripts = content.filter((p) => typeof p.transcript === 'string') as { transcript: string }[];
      if (transcripts.length > 0 && f.transcriptStatus !== 'truncated') {
        const text = transcripts.map((p) => p.transcript).join('');
        if (text || f.transcriptStatus === 'none' || f.transcriptStatus === 'pending') {
          if (text) {
            f.transcript = text;
            f.transcriptStatus = 'completed';
          }
        }
      }
      const hasInputAudio = content.some((p) => p.type === 'input_audio');
      if (role === 'user' && hasInputAudio && f.transcriptStatus === 'none' && this.transcriptionEnabled) f.transcriptStatus = 'pending';
      if (role === 'user') this.applyPendingInput(item);
    } else if (wire.type === 'function_call') {
      item.call_id = wire.call_id ?? item.call_id ?? '';
      item.name = wire.name || item.name || '';
      if (typeof wire.arguments === 'string' && (wire.arguments.length > 0 || item.arguments === undefined)) item.arguments = wire.arguments;
      item.arguments ??= '';
      f.tool = { type: 'function', name: item.name, call_id: item.call_id, arguments: item.arguments };
    } else if (wire.type === 'function_call_output') {
      item.call_id = wire.call_id;
      item.output = wire.output;
      f.output = wire.output;
    }
    // Status: user input and tool outputs are complete when announced; model output streams until done.
    const wireStatus = mapWireStatus(wire.status);
    if (!TERMINAL_STATUSES.has(item.status)) {
      if (type === 'function_call_output' || (type === 'message' && role !== 'assistant' && !responseId)) this.finish(item, 'completed');
      else if (wireStatus && wireStatus !== 'in_progress' && !responseId && type === 'message' && role === 'assistant') this.finish(item, wireStatus);
    }
    const change: ConversationChange = { item, delta: null };
    if (created) change.appended = true;
    const completed = this.markCompleted(item);
    if (completed) change.completed = true;
    return change;
  }

  private applyPendingInput(item: ConversationItem): void {
    const mark = this.vad.get(item.id);
    if (mark?.startMs !== undefined) item.formatted.audioStartMs = mark.startMs;
    if (mark?.endMs !== undefined) item.formatted.audioEndMs = mark.endMs;
    const pending = this.pendingInputAudio.get(item.id);
    if (pending) {
      this.pendingInputAudio.delete(item.id);
      this.setInputAudio(item, pending.samples, pending.format, pending);
    }
  }

  private setInputAudio(item: ConversationItem, samples: Int16Array, format: ItemAudioFormat, range: { startMs?: number; endMs?: number }): void {
    const a = new ItemAudio(format);
    a.bytes.append(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength));
    this.audio.set(item.id, a);
    item.formatted.audioFormat = format;
    if (range.startMs !== undefined) item.formatted.audioStartMs = range.startMs;
    if (range.endMs !== undefined) item.formatted.audioEndMs = range.endMs;
  }

  private setPartTranscript(item: ConversationItem, contentIndex: number | undefined, text: string): void {
    const i = contentIndex ?? Math.max(0, item.content.findIndex((p) => p.type === 'input_audio'));
    const part = item.content[i];
    if (part) part.transcript = text;
    else item.content[i] = { type: 'input_audio', transcript: text };
  }

  private appendPartText(item: ConversationItem, ci: number, field: 'text' | 'transcript', d: string): void {
    let part = item.content[ci];
    if (!part) {
      part = field === 'text' ? { type: 'text', text: '' } : { type: 'audio', transcript: '' };
      item.content[ci] = part;
    }
    part[field] = (part[field] ?? '') + d;
  }
}

function stripAudio(part: ContentPart): ContentPart {
  if (part.audio === undefined) return { ...part };
  const { audio: _audio, ...rest } = part;
  return rest;
}

/** Text and transcript accumulated locally win over a server copy that omits or lags them. */
function pickStreamed(part: ContentPart | undefined): Partial<ContentPart> {
  if (!part) return {};
  const out: Partial<ContentPart> = {};
  if (part.text) out.text = part.text;
  if (part.transcript) out.transcript = part.transcript;
  return out;
}

function mapWireStatus(status: unknown): ItemStatus | undefined {
  if (status === 'completed' || status === 'incomplete' || status === 'in_progress' || status === 'cancelled' || status === 'failed') return status;
  return undefined;
}

function responseToItemStatus(status: ResponseStatus): ItemStatus {
  switch (status) {
    case 'cancelled':
      return 'cancelled';
    case 'failed':
      return 'failed';
    case 'incomplete':
      return 'incomplete';
    default:
      return 'completed';
  }
}
