/**
 * One response, from `response.created` to `response.done`, in exact protocol order (protocol.md §4.4, §4.6):
 * output items (messages and function calls), content parts, audio paced in real time in 40 ms deltas with
 * the transcript in step, and cancellation that closes whatever is open synchronously, so that nothing of a
 * cancelled response can follow its `response.done`.
 */
import { serverEventName, type Dialect, type Modality } from '../../lib/realtime/protocol';
import type { Synthesizer } from '../tts/types';
import type { Conversation, StoredContent, StoredItem } from './conversation';
import { itemToWire } from './conversation';
import { CHUNK_MS, ChunkSource, bytesPerSample, chunkSamples, encodeOutput, type PcmSegment } from './audio-out';
import { seededRandom, type FaultPlan } from './faults';
import { newId } from './ids';
import { splitForDeltas } from './language';
import { runPlugin, type PluginContext } from './plugins';
import { fillerSentence, type ReplyStep } from './reply';
import type { FormatChoice } from './session-config';
import { synthesisVoice, type ReplyLanguage } from './voices';

type Obj = Record<string, unknown>;

/** Settings fixed when the response is created (session config plus `response.create.response` overrides). */
export interface ResponseSettings {
  modalities: Modality[];
  output: FormatChoice;
  voice: string;
  temperature: number;
  maxOutputTokens: number | 'inf';
  /** False for out-of-band responses (`conversation: "none"`): nothing is written to the conversation. */
  inConversation: boolean;
  metadata: Obj | null;
}

/** What a response needs from its session. */
export interface ResponseEnv {
  dialect: Dialect;
  send(event: Obj): void;
  conversation: Conversation;
  synthesizer: Synthesizer | null;
  replyLong: boolean;
  pacingSpeed: number;
  faults: FaultPlan;
  /** Live voice and speed (plugins change them). */
  voice(): string;
  speed(): number;
  plugin(language: ReplyLanguage): PluginContext;
  log(line: string): void;
  /** Tokens of the input (for usage). */
  inputTokens: { text: number; audio: number };
  /** 1 for the session's first response, 2 for the next… (seeds the jitter fault). */
  ordinal: number;
}

/** Why a response was cancelled. */
export type CancelReason = 'turn_detected' | 'client_cancelled';

/** Minimum reply length with `reply=long`. */
export const LONG_REPLY_MS = 10_000;
const MAX_LONG_ROUNDS = 8;
/** Silence between the spoken sentence and the played-back user audio. */
const PLAYBACK_GAP_MS = 200;
/** Interval between text deltas of a text-only reply. */
const TEXT_DELTA_MS = 30;

interface OpenPart {
  kind: 'audio' | 'text';
  content: StoredContent;
  /** Transcript or text streamed so far. */
  streamed: string;
  chunks: Uint8Array[];
  outputRate: number;
}

interface OpenItem {
  item: StoredItem;
  outputIndex: number;
  part: OpenPart | null;
}

/** A running response. */
export class Responder {
  readonly id = newId('resp');
  private finishedFlag = false;
  private readonly outputs: StoredItem[] = [];
  private open: OpenItem | null = null;
  private readonly timers = new Map<ReturnType<typeof setTimeout>, () => void>();
  private cancelWake: (() => void) | null = null;
  private readonly finishedListeners: (() => void)[] = [];
  private textTokens = 0;
  private audioMs = 0;
  private readonly random: () => number;
  private firstAudioSent = false;
  /** Set when the socket went away: stop without sending anything more. */
  private aborted = false;

  constructor(
    private readonly env: ResponseEnv,
    private readonly settings: ResponseSettings,
    private readonly plan: ReplyStep[],
  ) {
    this.random = seededRandom(env.ordinal);
  }

  /** True once `response.done` was sent (or the response was aborted). */
  get finished(): boolean {
    return this.finishedFlag;
  }

  /** Whether the response writes to the default conversation. */
  get inConversation(): boolean {
    return this.settings.inConversation;
  }

  /** Id of the assistant item currently streaming audio, if any. */
  get streamingItemId(): string | null {
    return this.open?.part?.kind === 'audio' ? this.open.item.id : null;
  }

  /** Calls `listener` once the response is finished. */
  onFinished(listener: () => void): void {
    if (this.finishedFlag) listener();
    else this.finishedListeners.push(listener);
  }

  private responseObject(status: string, statusDetails: Obj | null, output: Obj[], usage: Obj | null): Obj {
    const base: Obj = {
      object: 'realtime.response',
      id: this.id,
      status,
      status_details: statusDetails,
      output,
      conversation_id: this.settings.inConversation ? this.env.conversation.id : null,
      usage,
      metadata: this.settings.metadata,
    };
    if (this.env.dialect === 'beta') {
      base.modalities = this.settings.modalities;
      base.voice = this.settings.voice;
      base.output_audio_format = this.settings.output.wire;
      base.temperature = this.settings.temperature;
      base.max_output_tokens = this.settings.maxOutputTokens;
    } else {
      base.output_modalities = this.settings.modalities;
      base.audio = { output: { format: this.settings.output.wire, voice: this.settings.voice } };
      base.max_output_tokens = this.settings.maxOutputTokens;
    }
    return base;
  }

  private name(beta: string): string {
    return serverEventName(beta, this.env.dialect);
  }


  private send(event: Obj): void {
    if (!this.aborted) this.env.send(event);
  }

  /** Runs the response to its end. Never rejects. */
  async run(): Promise<void> {
    this.send({ type: 'response.created', response: this.responseObject('in_progress', null, [], null) });
    this.send({
      type: 'rate_limits.updated',
      rate_limits: [
        { name: 'requests', limit: 1000, remaining: 999, reset_seconds: 0.06 },
        { name: 'tokens', limit: 100000, remaining: 99000, reset_seconds: 0.6 },
      ],
    });
    try {
      const steps = [...this.plan];
      for (let i = 0; i < steps.length && !this.finishedFlag; i++) {
        const step = steps[i];
        if (step.kind === 'function_call') {
          const output = await this.functionCall(step);
          if (output) steps.push({ kind: 'message', text: output, language: step.language, playback: null, verbatim: false });
        } else {
          await this.message(step);
        }
      }
      if (!this.finishedFlag) this.finish('completed', null);
    } catch (e) {
      this.env.log(`emulator: response ${this.id} failed: ${e instanceof Error ? e.message : String(e)}`);
      if (!this.finishedFlag) this.finish('failed', { type: 'failed', error: { type: 'server_error', code: 'emulator_error' } });
    }
  }

  /** Cancels the response now: open parts and items are closed, then `response.done` (cancelled). */
  cancel(reason: CancelReason): void {
    if (this.finishedFlag) return;
    this.finish('cancelled', { type: 'cancelled', reason });
  }

  /** Stops without sending anything (the socket is gone). */
  abort(): void {
    this.aborted = true;
    if (!this.finishedFlag) this.finish('cancelled', { type: 'cancelled', reason: 'client_cancelled' });
  }

  // ------------------------------------------------------------------------------------------------------------

  private announceItem(item: StoredItem): number {
    const outputIndex = this.outputs.length;
    this.outputs.push(item);
    const wire = itemToWire(item, this.env.dialect);
    this.send({ type: 'response.output_item.added', response_id: this.id, output_index: outputIndex, item: wire });
    if (this.settings.inConversation) {
      const previous = this.env.conversation.insert(item);
      if (this.env.dialect === 'beta') {
        this.send({ type: 'conversation.item.created', previous_item_id: previous, item: wire });
      } else {
        this.send({ type: 'conversation.item.added', previous_item_id: previous, item: wire });
      }
    }
    return outputIndex;
  }

  private closeItem(open: OpenItem, status: 'completed' | 'incomplete'): void {
    open.item.status = status;
    const wire = itemToWire(open.item, this.env.dialect);
    this.send({ type: 'response.output_item.done', response_id: this.id, output_index: open.outputIndex, item: wire });
    if (this.settings.inConversation && this.env.dialect === 'ga') {
      this.send({
        type: 'conversation.item.done',
        previous_item_id: this.env.conversation.has(open.item.id) ? this.env.conversation.previousOf(open.item.id) : null,
        item: wire,
      });
    }
  }

  private async functionCall(step: ReplyStep & { kind: 'function_call' }): Promise<string | null> {
    const item: StoredItem = {
      id: newId('item'),
      type: 'function_call',
      status: 'in_progress',
      content: [],
      call_id: newId('call'),
      name: step.name,
      arguments: '',
    };
    const outputIndex = this.announceItem(item);
    const open: OpenItem = { item, outputIndex, part: null };
    this.open = open;
    const pieces = step.arguments.match(/[\s\S]{1,24}/g) ?? [];
    for (const delta of pieces) {
      this.send({ type: 'response.function_call_arguments.delta', response_id: this.id, item_id: item.id, output_index: outputIndex, call_id: item.call_id, delta });
    }
    item.arguments = step.arguments;
    const done: Obj = { type: 'response.function_call_arguments.done', response_id: this.id, item_id: item.id, output_index: outputIndex, call_id: item.call_id, arguments: step.arguments };
    if (this.env.dialect === 'ga') done.name = step.name;
    this.send(done);
    this.textTokens += Math.ceil(step.arguments.length / 4);
    this.closeItem(open, 'completed');
    this.open = null;
    if (!step.plugin) return null;
    const outcome = await this.race(runPlugin(step.plugin, JSON.parse(step.arguments) as unknown, this.env.plugin(step.language)));
    if (!outcome || this.finishedFlag) return null;
    this.env.log(`emulator: plugin ${step.plugin} ran`);
    return outcome.say;
  }

  /** Synthesises `text` (longer with reply=long until it lasts `minMs`); null samples when there is no synthesiser. */
  private async speech(text: string, language: ReplyLanguage, verbatim: boolean, minMs: number): Promise<{ text: string; speech: PcmSegment | null }> {
    const synth = this.env.synthesizer;
    if (!synth) return { text, speech: null };
    let spoken = text;
    let fillers = 0;
    for (let round = 1; ; round++) {
      const params = synthesisVoice(this.env.voice(), language, this.env.speed());
      const result = await this.race(synth.synthesize({ text: spoken, ...params }));
      if (!result || this.finishedFlag) return { text: spoken, speech: null };
      const speech = { samples: result.samples, rate: result.sampleRate };
      const ms = (result.samples.length / result.sampleRate) * 1000;
      if (ms >= minMs || round >= MAX_LONG_ROUNDS) return { text: spoken, speech };
      // Too short for reply=long: lengthen the text by the measured ms per character (plus 15 %), so that
      // one more synthesis is usually enough.
      const chars = Array.from(spoken).length;
      const wanted = Math.ceil((minMs / Math.max(1, ms)) * chars * 1.15);
      do {
        spoken = verbatim ? `${spoken} ${text}` : spoken + fillerSentence(language, ++fillers);
      } while (Array.from(spoken).length < wanted);
    }
  }

  private async message(step: ReplyStep & { kind: 'message' }): Promise<void> {
    const item: StoredItem = { id: newId('item'), type: 'message', role: 'assistant', status: 'in_progress', content: [] };
    const outputIndex = this.announceItem(item);
    const open: OpenItem = { item, outputIndex, part: null };
    this.open = open;

    const wantsAudio = this.settings.modalities.includes('audio');
    const rate = this.settings.output.info.sampleRate;
    const playback: PcmSegment | null = wantsAudio && step.playback ? { samples: step.playback.samples, rate: step.playback.sampleRate } : null;
    const playbackMs = playback ? (playback.samples.length / playback.rate) * 1000 + PLAYBACK_GAP_MS : 0;
    const minMs = this.env.replyLong ? LONG_REPLY_MS - playbackMs : 0;

    let text = step.text;
    let speech: PcmSegment | null = null;
    if (wantsAudio) {
      try {
        const r = await this.speech(step.text, step.language, step.verbatim, minMs);
        text = r.text;
        speech = r.speech;
      } catch (e) {
        this.env.log(`emulator: synthesis failed, replying with text: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (this.finishedFlag) return;
    }
    if (this.env.replyLong && !speech) {
      // Text only: make the text about as long as 10 s of speech would be.
      const minChars = step.language === 'zh' ? 45 : 160;
      for (let n = 1; Array.from(text).length < minChars && n <= MAX_LONG_ROUNDS; n++) text += fillerSentence(step.language, n);
    }

    const audioPart = wantsAudio && (speech !== null || playback !== null);
    const content: StoredContent = audioPart
      ? { type: 'audio', transcript: '', audio: null, audioMs: 0, format: this.settings.output.info }
      : { type: 'text', text: '' };
    item.content.push(content);
    open.part = { kind: audioPart ? 'audio' : 'text', content, streamed: '', chunks: [], outputRate: rate };
    this.send({
      type: 'response.content_part.added',
      response_id: this.id,
      item_id: item.id,
      output_index: outputIndex,
      content_index: 0,
      part: audioPart ? { type: 'audio', transcript: '' } : { type: 'text', text: '' },
    });

    if (audioPart) {
      const segments: PcmSegment[] = [];
      if (speech) segments.push(speech);
      if (playback) segments.push({ samples: new Int16Array(Math.round((rate * PLAYBACK_GAP_MS) / 1000)), rate }, playback);
      const source = new ChunkSource(segments, rate, chunkSamples(rate));
      await this.streamAudio(open, source, text, speech ? source.segmentLength(0) : 0);
    } else {
      await this.streamText(open, text);
    }
    if (this.finishedFlag) return;
    this.closePart(open);
    this.closeItem(open, 'completed');
    this.open = null;
  }

  private async streamText(open: OpenItem, text: string): Promise<void> {
    const part = open.part as OpenPart;
    for (const delta of splitForDeltas(text)) {
      if (this.finishedFlag) return;
      part.streamed += delta;
      this.textTokens += 1;
      this.send({ type: this.name('response.text.delta'), response_id: this.id, item_id: open.item.id, output_index: open.outputIndex, content_index: 0, delta });
      await this.sleep(TEXT_DELTA_MS / this.env.pacingSpeed);
    }
  }

  private async streamAudio(open: OpenItem, source: ChunkSource, transcript: string, speechSamples: number): Promise<void> {
    const part = open.part as OpenPart;
    const format = this.settings.output.info;
    const rate = format.sampleRate;
    const tokens = splitForDeltas(transcript);
    let nextToken = 0;
    // Transcript in step with the audio: token k goes out once the audio sent covers k/n of the speech.
    const emitTokens = (position: number): void => {
      while (nextToken < tokens.length && (speechSamples === 0 || position * tokens.length >= (nextToken + 1) * speechSamples)) {
        const delta = tokens[nextToken++];
        part.streamed += delta;
        part.content.transcript = part.streamed;
        this.textTokens += 1;
        this.send({ type: this.name('response.audio_transcript.delta'), response_id: this.id, item_id: open.item.id, output_index: open.outputIndex, content_index: 0, delta });
      }
    };
    if (!this.firstAudioSent && this.env.faults.delayFirstAudioMs) {
      await this.sleep(this.env.faults.delayFirstAudioMs);
      if (this.finishedFlag) return;
    }
    const start = performance.now();
    let due = 0;
    let sent = 0;
    for (let k = 0, chunk = source.next(); chunk; k++, chunk = source.next()) {
      const bytes = encodeOutput(chunk, format);
      part.chunks.push(bytes);
      sent += chunk.length;
      part.content.audioMs = (sent / rate) * 1000;
      this.audioMs += (chunk.length / rate) * 1000;
      this.firstAudioSent = true;
      this.send({
        type: this.name('response.audio.delta'),
        response_id: this.id,
        item_id: open.item.id,
        output_index: open.outputIndex,
        content_index: 0,
        delta: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
      });
      emitTokens(sent);
      // Real-time pacing against the start time (no drift), plus optional jitter (order kept).
      due = Math.max(due, ((k + 1) * CHUNK_MS) / this.env.pacingSpeed + (this.env.faults.jitterMs ? this.random() * this.env.faults.jitterMs : 0));
      await this.sleep(Math.max(0, start + due - performance.now()));
      if (this.finishedFlag) return;
    }
    emitTokens(Number.MAX_SAFE_INTEGER);
  }

  private closePart(open: OpenItem): void {
    const part = open.part;
    if (!part) return;
    const ref = { response_id: this.id, item_id: open.item.id, output_index: open.outputIndex, content_index: 0 };
    if (part.kind === 'audio') {
      const total = part.chunks.reduce((n, c) => n + c.length, 0);
      const audio = new Uint8Array(total);
      let o = 0;
      for (const c of part.chunks) {
        audio.set(c, o);
        o += c.length;
      }
      part.chunks = [];
      part.content.audio = audio;
      part.content.audioMs = (total / bytesPerSample(this.settings.output.info) / part.outputRate) * 1000;
      part.content.transcript = part.streamed;
      this.send({ type: this.name('response.audio.done'), ...ref });
      this.send({ type: this.name('response.audio_transcript.done'), ...ref, transcript: part.streamed });
      this.send({ type: 'response.content_part.done', ...ref, part: { type: 'audio', transcript: part.streamed } });
      if (this.settings.inConversation) this.env.conversation.enforceBounds();
    } else {
      part.content.text = part.streamed;
      this.send({ type: this.name('response.text.done'), ...ref, text: part.streamed });
      this.send({ type: 'response.content_part.done', ...ref, part: { type: 'text', text: part.streamed } });
    }
    open.part = null;
  }

  private finish(status: 'completed' | 'cancelled' | 'failed', details: Obj | null): void {
    if (this.finishedFlag) return;
    this.finishedFlag = true;
    if (this.open) {
      this.closePart(this.open);
      this.closeItem(this.open, status === 'completed' ? 'completed' : 'incomplete');
      this.open = null;
    }
    for (const [t, wake] of this.timers) {
      clearTimeout(t);
      wake();
    }
    this.timers.clear();
    this.cancelWake?.();
    const outputTokens = this.textTokens + Math.ceil(this.audioMs / 50);
    const inputTokens = this.env.inputTokens.text + this.env.inputTokens.audio;
    const usage = {
      total_tokens: inputTokens + outputTokens,
      input_tokens: inputTokens,
      output_tokens: outputTokens,
      input_token_details: { text_tokens: this.env.inputTokens.text, audio_tokens: this.env.inputTokens.audio, cached_tokens: 0 },
      output_token_details: { text_tokens: this.textTokens, audio_tokens: Math.ceil(this.audioMs / 50) },
    };
    const output = this.outputs.map((it) => itemToWire(it, this.env.dialect));
    this.send({ type: 'response.done', response: this.responseObject(status, details, output, usage) });
    for (const l of this.finishedListeners.splice(0)) l();
  }

  private sleep(ms: number): Promise<void> {
    if (this.finishedFlag) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.set(t, resolve);
    });
  }

  /** Awaits `p` unless the response finishes first (then resolves null). */
  private race<T>(p: Promise<T>): Promise<T | null> {
    if (this.finishedFlag) return Promise.resolve(null);
    return new Promise<T | null>((resolve, reject) => {
      this.cancelWake = () => resolve(null);
      p.then(resolve, reject).finally(() => {
        this.cancelWake = null;
      });
    });
  }
}
