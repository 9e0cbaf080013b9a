/**
 * WavStreamPlayer: plays streamed 16-bit PCM (and G.711, MP3, Opus through decoders) through one
 * persistent AudioWorklet node with a ring buffer. API-compatible with the reference wavtools player used
 * by the xStar API document (`connect`, `add16BitPCM`, `interrupt`, `getTrackSampleOffset`,
 * `getFrequencies`, `onplay`/`onended`), with exact per-track offsets and stats.
 */
import playerWorkletUrl from './player.worklet.ts?worker&url';
import { FrequencyAnalyzer, type FrequencyResult, type FrequencyType } from '../dsp/analysis';
import { StreamingResampler, floatToInt16Rounded } from '../dsp/resampler';
import { int16ToFloat32 } from '../dsp/pcm';
import type { PlayerCommand, PlayerEvent, PlayerOptions, PlayerStatsMessage } from './player-protocol';
import { AudioEngineError } from './errors';
import { createDecoder, type AudioDecoderHandle, type OutputFormat } from './decoders';

/** Options of {@link WavStreamPlayer}. */
export interface WavStreamPlayerOptions {
  /** Rate of the PCM passed to add16BitPCM: the output format's rate (default 8000). */
  sampleRate?: number;
  /** Silence after which `onended` fires (default 150 ms). */
  idleMs?: number;
  /** How often the worklet posts stats (default every ~50 ms). */
  statsIntervalMs?: number;
  /**
   * Jitter buffer (default 0: play at once). After idle or an underrun, playback waits until this many ms
   * are queued, or this long has passed, so delivery jitter does not turn into repeated gaps.
   */
  prebufferMs?: number;
}

/** Result of interrupt() / getTrackSampleOffset(). */
export interface TrackOffset {
  trackId: string;
  /** Samples of that track actually rendered, at the player's rate (exact to one 128-sample quantum). */
  offset: number;
  /** offset / sampleRate, in seconds. */
  currentTime: number;
}

/** Snapshot of the player's state; cheap to read synchronously (updated by the worklet every ~50 ms). */
export interface PlayerStats {
  /** Player (output-format) rate. */
  sampleRate: number;
  /** The AudioContext's real rate (equal to sampleRate unless the browser refused it; then the worklet resamples). */
  contextRate: number | null;
  /** Queued audio not yet rendered, in ms. */
  bufferedMs: number;
  /** Times the queue ran dry and more audio arrived before the player went idle. */
  underruns: number;
  /** Total silence inserted by those underruns, in ms. */
  underrunGapMs: number;
  /** Samples rendered per track at the player's rate (the 32 most recent tracks). */
  samplesRendered: Record<string, number>;
  /** AudioContext.outputLatency + baseLatency in ms (what lies between a rendered and an audible sample). */
  outputLatencyMs: number;
  /** True from the first rendered sample until the player has been silent for idleMs. */
  playing: boolean;
  /** performance.now() when this snapshot arrived. */
  updatedAt: number;
  /** The output clock: the AudioContext frame at which the worklet took this snapshot (0 before the first). */
  contextFrame: number;
}

const EMPTY_TRACK_LIMIT = 64;

/** Streams PCM to the speakers with exact playback positions. */
export class WavStreamPlayer {
  readonly sampleRate: number;
  /**
   * Called when sound starts after the player was idle; `renderedAt` is the AudioContext time of the
   * render quantum holding the first sample (add outputLatencyMs for when it is audible).
   */
  onplay: ((event: { trackId: string; renderedAt: number }) => void) | null = null;
  /** Called once the player has been idle (nothing rendered) for idleMs — not per chunk or short underrun. */
  onended: (() => void) | null = null;
  /** Called with each stats update. */
  onstats: ((stats: PlayerStats) => void) | null = null;

  private readonly idleMs: number;
  private readonly statsIntervalMs: number;
  private readonly prebufferMs: number;
  private context: AudioContext | null = null;
  private node: AudioWorkletNode | null = null;
  private analyser: AnalyserNode | null = null;
  private analyzer: FrequencyAnalyzer | null = null;
  private dbBuffer: Float32Array<ArrayBuffer> | null = null;
  private connecting: Promise<void> | null = null;
  private readonly interruptedTrackIds = new Set<string>();
  private readonly pending = new Map<number, (r: TrackOffset | null) => void>();
  private nextId = 1;
  private stats: PlayerStats;
  private readonly resamplers = new Map<string, StreamingResampler>();
  /** Per-track decoders, stored as promises so that concurrent first deltas share one decoder. */
  private readonly decoders = new Map<string, Promise<AudioDecoderHandle>>();

  constructor(options: WavStreamPlayerOptions = {}) {
    this.sampleRate = options.sampleRate ?? 8000;
    if (!(Number.isInteger(this.sampleRate) && this.sampleRate >= 3000)) {
      throw new AudioEngineError('invalid-argument', `sampleRate must be a whole number ≥ 3000, got ${this.sampleRate}`);
    }
    this.idleMs = options.idleMs ?? 150;
    this.statsIntervalMs = options.statsIntervalMs ?? 50;
    this.prebufferMs = Math.max(0, options.prebufferMs ?? 0);
    this.stats = this.emptyStats();
  }

  private emptyStats(): PlayerStats {
    return {
      sampleRate: this.sampleRate,
      contextRate: null,
      bufferedMs: 0,
      underruns: 0,
      underrunGapMs: 0,
      samplesRendered: {},
      outputLatencyMs: 0,
      playing: false,
      updatedAt: 0,
      contextFrame: 0,
    };
  }

  /** True once connect() has completed and until disconnect(). */
  get connected(): boolean {
    return this.node !== null;
  }

  /** The AudioContext while connected. */
  getContext(): AudioContext | null {
    return this.context;
  }

  /** The node whose output goes to the speakers (tap it to capture what is played). */
  getOutputNode(): AudioNode | null {
    return this.analyser;
  }

  /**
   * Creates the AudioContext (at the player's rate when the browser allows it, else the default rate with
   * resampling in the worklet), resumes it and starts the worklet. Calling it again while connected is a no-op.
   */
  async connect(): Promise<true> {
    if (this.node) return true;
    if (this.connecting) {
      await this.connecting;
      return true;
    }
    this.connecting = this.open();
    try {
      await this.connecting;
    } catch (err) {
      await this.disconnect();
      throw err;
    } finally {
      this.connecting = null;
    }
    return true;
  }

  private async open(): Promise<void> {
    if (typeof AudioContext === 'undefined' || typeof AudioWorkletNode === 'undefined') {
      throw new AudioEngineError('unsupported-browser', 'this browser has no AudioWorklet');
    }
    let ctx: AudioContext;
    try {
      ctx = new AudioContext({ sampleRate: this.sampleRate, latencyHint: 'interactive' });
    } catch {
      ctx = new AudioContext({ latencyHint: 'interactive' }); // rate refused: the worklet resamples
    }
    this.context = ctx;
    if (ctx.state === 'suspended') await ctx.resume().catch(() => undefined);
    await ctx.audioWorklet.addModule(playerWorkletUrl);
    const processorOptions: PlayerOptions = {
      outputRate: this.sampleRate,
      statsEveryQuanta: Math.max(1, Math.round((this.statsIntervalMs / 1000) * (ctx.sampleRate / 128))),
      idleMs: this.idleMs,
      prebufferMs: this.prebufferMs,
    };
    const node = new AudioWorkletNode(ctx, 'rc-player', {
      numberOfInputs: 0,
      numberOfOutputs: 1,
      outputChannelCount: [1],
      processorOptions,
    });
    node.port.onmessage = (e: MessageEvent<PlayerEvent>) => this.onWorkletMessage(e.data);
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 2048;
    analyser.smoothingTimeConstant = 0.1;
    node.connect(analyser);
    analyser.connect(ctx.destination);
    this.node = node;
    this.analyser = analyser;
    this.stats = { ...this.emptyStats(), contextRate: ctx.sampleRate, outputLatencyMs: this.latencyMs() };
  }

  private latencyMs(): number {
    const ctx = this.context;
    if (!ctx) return 0;
    return ((ctx.outputLatency || 0) + (ctx.baseLatency || 0)) * 1000;
  }

  private onWorkletMessage(msg: PlayerEvent): void {
    switch (msg.type) {
      case 'stats':
        this.applyStats(msg);
        break;
      case 'offset': {
        const done = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        done?.(msg.trackId === null ? null : { trackId: msg.trackId, offset: msg.offset, currentTime: msg.offset / this.sampleRate });
        break;
      }
      case 'play':
        this.stats = { ...this.stats, playing: true };
        this.safely(() => this.onplay?.({ trackId: msg.trackId, renderedAt: msg.at }));
        break;
      case 'idle':
        this.stats = { ...this.stats, playing: false };
        this.safely(() => this.onended?.());
        break;
    }
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      console.error('[WavStreamPlayer] callback threw', err);
    }
  }

  private applyStats(msg: PlayerStatsMessage): void {
    const rate = this.context?.sampleRate ?? this.sampleRate;
    const samplesRendered: Record<string, number> = {};
    for (const [id, n] of msg.tracks) samplesRendered[id] = n;
    this.stats = {
      sampleRate: this.sampleRate,
      contextRate: rate,
      bufferedMs: (msg.bufferedSamples / rate) * 1000,
      underruns: msg.underruns,
      underrunGapMs: (msg.gapSamples / rate) * 1000,
      samplesRendered,
      outputLatencyMs: this.latencyMs(),
      playing: msg.playing,
      updatedAt: performance.now(),
      contextFrame: msg.frame,
    };
    const cb = this.onstats;
    if (cb) this.safely(() => cb(this.stats));
  }

  /** The latest stats snapshot (synchronous, no allocation). */
  getStats(): Readonly<PlayerStats> {
    return this.stats;
  }

  /**
   * Queues 16-bit PCM at the player's rate for `trackId` (reference API). Starts playback at once.
   * Audio for a track that was interrupted is dropped. Returns the samples queued.
   */
  add16BitPCM(audio: Int16Array | ArrayBuffer, trackId = 'default'): Int16Array {
    const pcm = audio instanceof Int16Array ? audio : new Int16Array(audio, 0, audio.byteLength >> 1);
    if (!this.node || !this.context) throw new AudioEngineError('not-started', 'call connect() before add16BitPCM()');
    if (this.interruptedTrackIds.has(trackId) || pcm.length === 0) return pcm;
    // A copy is transferred, so the caller's buffer (often a view into a conversation store) stays intact.
    const copy = pcm.slice();
    const cmd: PlayerCommand = { type: 'write', trackId, samples: copy, addedAt: this.context.currentTime };
    this.node.port.postMessage(cmd, [copy.buffer]);
    return pcm;
  }

  /**
   * Queues PCM at another rate (e.g. an item whose format differs from the player's): resampled per track
   * with a streaming resampler so chunk boundaries stay seamless. Call {@link endTrack} after the last chunk.
   */
  addPCMAtRate(audio: Int16Array, fromRate: number, trackId = 'default'): void {
    if (fromRate === this.sampleRate) {
      this.add16BitPCM(audio, trackId);
      return;
    }
    if (this.interruptedTrackIds.has(trackId)) return;
    let rs = this.resamplers.get(trackId);
    if (!rs || rs.fromRate !== fromRate) {
      rs = new StreamingResampler(fromRate, this.sampleRate);
      this.resamplers.set(trackId, rs);
    }
    const y = rs.process(int16ToFloat32(audio));
    this.add16BitPCM(floatToInt16Rounded(y), trackId);
  }

  /**
   * Queues encoded audio of `format` (PCM at any rate, G.711 µ-law/A-law, MP3, Opus) for `trackId`.
   * Rejects with FormatNotSupportedError where the browser cannot decode the format.
   */
  async addEncoded(bytes: Uint8Array, format: OutputFormat, trackId = 'default'): Promise<void> {
    if (this.interruptedTrackIds.has(trackId)) return;
    let decP = this.decoders.get(trackId);
    if (!decP) {
      decP = createDecoder(format);
      this.decoders.set(trackId, decP);
      decP.catch(() => this.decoders.get(trackId) === decP && this.decoders.delete(trackId));
      if (this.decoders.size > EMPTY_TRACK_LIMIT) this.dropOldestDecoder();
    }
    const out = await (await decP).decode(bytes);
    if (out.samples.length && this.node && !this.interruptedTrackIds.has(trackId)) this.addPCMAtRate(out.samples, out.sampleRate, trackId);
  }

  /** Releases per-track decoder/resampler state and plays what they still hold. */
  async endTrack(trackId = 'default'): Promise<void> {
    const decP = this.decoders.get(trackId);
    this.decoders.delete(trackId);
    const dec = decP ? await decP.catch(() => null) : null;
    if (dec) {
      const out = await dec.flush();
      dec.close();
      if (out.samples.length && this.node && !this.interruptedTrackIds.has(trackId)) this.addPCMAtRate(out.samples, out.sampleRate, trackId);
    }
    const rs = this.resamplers.get(trackId);
    this.resamplers.delete(trackId);
    if (rs && !this.interruptedTrackIds.has(trackId) && this.node) this.add16BitPCM(floatToInt16Rounded(rs.flush()), trackId);
  }

  private dropOldestDecoder(): void {
    const first = this.decoders.keys().next().value;
    if (first !== undefined) this.closeDecoder(first);
  }

  private closeDecoder(trackId: string): void {
    const decP = this.decoders.get(trackId);
    this.decoders.delete(trackId);
    decP?.then((d) => d.close()).catch(() => undefined);
  }

  /**
   * Offset of the track being heard (the head of the queue, else the last one rendered), or null when
   * nothing has played. With `interrupt`, playback stops at once and later audio of that track is dropped.
   */
  async getTrackSampleOffset(interrupt = false): Promise<TrackOffset | null> {
    const node = this.node;
    if (!node) return null;
    const id = this.nextId++;
    const result = await new Promise<TrackOffset | null>((resolve) => {
      this.pending.set(id, resolve);
      // A suspended or closed context cannot answer: don't hang the caller.
      setTimeout(() => {
        if (this.pending.delete(id)) resolve(null);
      }, 1000);
      const cmd: PlayerCommand = { type: 'offset', id, interrupt };
      node.port.postMessage(cmd);
    });
    if (interrupt && result) {
      this.interruptedTrackIds.add(result.trackId);
      if (this.interruptedTrackIds.size > EMPTY_TRACK_LIMIT) {
        this.interruptedTrackIds.delete(this.interruptedTrackIds.values().next().value as string);
      }
      this.resamplers.delete(result.trackId);
      this.closeDecoder(result.trackId);
    }
    return result;
  }

  /** Stops playback now; returns what was heard of the current track (reference API). */
  async interrupt(): Promise<TrackOffset | null> {
    return this.getTrackSampleOffset(true);
  }

  /** Whether add16BitPCM drops audio of `trackId` because it was interrupted. */
  isInterrupted(trackId: string): boolean {
    return this.interruptedTrackIds.has(trackId);
  }

  /** Spectrum of the output, as for the recorder. The returned arrays are reused between calls. */
  getFrequencies(type: FrequencyType = 'frequency', minDb = -100, maxDb = -30): FrequencyResult {
    const an = this.analyser;
    if (!an || !this.context) throw new AudioEngineError('not-started', 'call connect() before getFrequencies()');
    if (!this.analyzer || !this.dbBuffer) {
      this.analyzer = new FrequencyAnalyzer(an.frequencyBinCount, this.context.sampleRate);
      this.dbBuffer = new Float32Array(an.frequencyBinCount);
    }
    an.getFloatFrequencyData(this.dbBuffer);
    return this.analyzer.compute(this.dbBuffer, type, minDb, maxDb);
  }

  /** Stops playback and releases the context, node, port, decoders and listeners. connect() may be called again. */
  async disconnect(): Promise<void> {
    for (const done of this.pending.values()) done(null);
    this.pending.clear();
    for (const id of [...this.decoders.keys()]) this.closeDecoder(id);
    this.resamplers.clear();
    if (this.node) {
      const cmd: PlayerCommand = { type: 'close' };
      this.node.port.postMessage(cmd);
      this.node.port.onmessage = null;
      this.node.port.close();
      this.node.disconnect();
      this.node = null;
    }
    this.analyser?.disconnect();
    this.analyser = null;
    this.analyzer = null;
    this.dbBuffer = null;
    const ctx = this.context;
    this.context = null;
    if (ctx && ctx.state !== 'closed') await ctx.close().catch(() => undefined);
    this.stats = this.emptyStats();
  }
}
