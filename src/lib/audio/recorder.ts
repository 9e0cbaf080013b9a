/**
 * WavRecorder: microphone (or a WAV file) → one AudioContext at the device's native rate → capture
 * worklet (low-pass + resample to the target rate) → Int16 frames of `frameMs` on the main thread.
 *
 * API-compatible with the reference wavtools recorder used by the xStar API document, and fixes what it
 * gets wrong: no cross-rate MediaStream connection (Firefox), 20 ms frames instead of 4096-sample chunks,
 * bounded memory, the context is closed on end(), object URLs are revoked, pause() flushes exactly once.
 */
import captureWorkletUrl from './capture.worklet.ts?worker&url';
import { decodeWav } from '../dsp/wav';
import { floatToInt16Rounded, resampleInt16 } from '../dsp/resampler';
import { FrequencyAnalyzer, type FrequencyResult, type FrequencyType } from '../dsp/analysis';
import type { CaptureCommand, CaptureEvent, CaptureOptions } from './capture-protocol';
import { AudioEngineError } from './errors';
import { BoundedSampleBuffer } from './sample-ring';
import { makeWavFile, type WavFile } from './wav-file';

/** Options of {@link WavRecorder}. */
export interface WavRecorderOptions {
  /** Rate of the frames delivered to `record()`'s callback (default 16000). */
  sampleRate?: number;
  /** Frame duration in ms (default 20 → 320 samples at 16 kHz). */
  frameMs?: number;
  /** Browser processing constraints; each defaults to true (the browser's default). */
  echoCancellation?: boolean;
  noiseSuppression?: boolean;
  autoGainControl?: boolean;
  /** How much audio save()/end() can return, in ms (default 10 minutes). Older audio is dropped. */
  maxRecordMs?: number;
  /** Log lifecycle steps to the console. */
  debug?: boolean;
}

/** One frame delivered to the record() callback: Int16 samples at the target rate. */
export interface RecorderFrame {
  /** Mean of all input channels. */
  mono: Int16Array;
  /** First input channel (equal to `mono` for a mono microphone; a separate array). */
  raw: Int16Array;
  /** Index of the frame's first sample in the target-rate stream since begin(). */
  position: number;
  /** AudioContext time (s) of the render quantum that completed the frame (for latency metrics). */
  capturedAt: number;
}

/** Callback of {@link WavRecorder.record}. */
export type FrameCallback = (frame: RecorderFrame) => void;

/** What the browser actually granted. */
export interface RecorderInfo {
  source: 'microphone' | 'file' | null;
  /** The AudioContext's real rate (the device's native rate). */
  contextRate: number | null;
  /** Rate of the delivered frames. */
  targetRate: number;
  frameSamples: number;
  /** Constraints as applied by the browser (MediaStreamTrack.getSettings()). */
  settings: MediaTrackSettings | null;
  deviceLabel: string | null;
  /** Delay of the anti-alias/resampling filter, in target-rate samples. */
  resamplerLatencySamples: number;
  /** Samples dropped from the save() buffer because of maxRecordMs. */
  droppedSamples: number;
}

/** An audio input device; `default` marks the system default. */
export interface AudioInputDevice extends Pick<MediaDeviceInfo, 'deviceId' | 'groupId' | 'kind' | 'label'> {
  default: boolean;
}

/** Options of save(). */
export interface SaveOptions {
  /** The caller takes ownership of the returned object URL (the recorder will not revoke it). */
  keepUrl?: boolean;
}

type Status = 'ended' | 'paused' | 'recording';

/** Input the static decode() accepts. */
export type DecodeInput = Blob | ArrayBuffer | Uint8Array | Int16Array | Float32Array | number[];

/** Records microphone (or file) audio as 16-bit PCM frames at a chosen rate. */
export class WavRecorder {
  readonly sampleRate: number;
  readonly frameMs: number;
  readonly frameSamples: number;
  /** True while frames are being delivered. */
  recording = false;
  /** Called when a file source (useFile) has played to its end. */
  onsourceended: (() => void) | null = null;

  private readonly opts: Required<Omit<WavRecorderOptions, 'sampleRate' | 'frameMs'>>;
  private context: AudioContext | null = null;
  private stream: MediaStream | null = null;
  private sourceNode: AudioNode | null = null;
  private captureNode: AudioWorkletNode | null = null;
  private analyser: AnalyserNode | null = null;
  private analyzer: FrequencyAnalyzer | null = null;
  private dbBuffer: Float32Array<ArrayBuffer> | null = null;
  private callback: FrameCallback | null = null;
  private readonly saved: BoundedSampleBuffer;
  private readonly urls = new Set<string>();
  private pending = new Map<number, () => void>();
  private nextId = 1;
  private file: Int16Array | null = null;
  private fileRate = 0;
  private info: RecorderInfo;
  private deviceListener: (() => void) | null = null;
  private deviceTimer: ReturnType<typeof setTimeout> | null = null;
  private starting: Promise<void> | null = null;
  /** Bumped by record() and pause(): a record() still waiting for begin() yields to a later pause(). */
  private generation = 0;

  constructor(options: WavRecorderOptions = {}) {
    this.sampleRate = options.sampleRate ?? 16000;
    this.frameMs = options.frameMs ?? 20;
    if (!(this.sampleRate >= 1000 && Number.isInteger(this.sampleRate))) {
      throw new AudioEngineError('invalid-argument', `sampleRate must be a whole number ≥ 1000, got ${this.sampleRate}`);
    }
    if (!(this.frameMs > 0)) throw new AudioEngineError('invalid-argument', `frameMs must be positive, got ${this.frameMs}`);
    this.frameSamples = Math.max(1, Math.round((this.sampleRate * this.frameMs) / 1000));
    this.opts = {
      echoCancellation: options.echoCancellation ?? true,
      noiseSuppression: options.noiseSuppression ?? true,
      autoGainControl: options.autoGainControl ?? true,
      maxRecordMs: options.maxRecordMs ?? 10 * 60 * 1000,
      debug: options.debug ?? false,
    };
    this.saved = new BoundedSampleBuffer(Math.round((this.opts.maxRecordMs * this.sampleRate) / 1000));
    this.info = this.emptyInfo();
  }

  private emptyInfo(): RecorderInfo {
    return {
      source: null,
      contextRate: null,
      targetRate: this.sampleRate,
      frameSamples: this.frameSamples,
      settings: null,
      deviceLabel: null,
      resamplerLatencySamples: 0,
      droppedSamples: 0,
    };
  }

  private log(...args: unknown[]): void {
    if (this.opts.debug) console.log('[WavRecorder]', ...args);
  }

  /** The target rate (reference API). */
  getSampleRate(): number {
    return this.sampleRate;
  }

  /** `ended` before begin()/after end(), else `recording` or `paused`. */
  getStatus(): Status {
    if (!this.context) return 'ended';
    return this.recording ? 'recording' : 'paused';
  }

  /** What the browser really granted (cheap, synchronous). */
  getInfo(): Readonly<RecorderInfo> {
    return { ...this.info, droppedSamples: this.saved.dropped };
  }

  /** The AudioContext (native rate) while begun, for diagnostics. */
  getContext(): AudioContext | null {
    return this.context;
  }

  /**
   * Use a recorded WAV (bytes or Blob) instead of the microphone: it is played through the same pipeline
   * in real time. Called before begin(), begin() uses it; called while begun, it replaces the current
   * source immediately. `null` goes back to the microphone for the next begin().
   */
  async useFile(wav: Blob | ArrayBuffer | Uint8Array | null): Promise<void> {
    if (wav === null) {
      this.file = null;
      return;
    }
    const bytes = wav instanceof Blob ? new Uint8Array(await wav.arrayBuffer()) : wav instanceof Uint8Array ? wav : new Uint8Array(wav);
    const decoded = decodeWav(bytes);
    this.file = decoded.samples;
    this.fileRate = decoded.sampleRate;
    if (this.context) await this.connectSource();
  }

  /** Opens the microphone (or the file given to useFile) and starts the pipeline, paused. */
  async begin(deviceId?: string): Promise<true> {
    if (this.context || this.starting) throw new AudioEngineError('busy', 'already begun; call end() first');
    this.starting = this.start(deviceId);
    try {
      await this.starting;
    } catch (err) {
      await this.teardown();
      throw err;
    } finally {
      this.starting = null;
    }
    return true;
  }

  private async start(deviceId?: string): Promise<void> {
    if (typeof AudioContext === 'undefined' || typeof AudioWorkletNode === 'undefined') {
      throw new AudioEngineError('unsupported-browser', 'this browser has no AudioWorklet');
    }
    if (!this.file) {
      if (!navigator.mediaDevices?.getUserMedia) {
        throw new AudioEngineError('unsupported-browser', 'getUserMedia is unavailable (a secure context — https or localhost — is required)');
      }
      const audio: MediaTrackConstraints = {
        echoCancellation: this.opts.echoCancellation,
        noiseSuppression: this.opts.noiseSuppression,
        autoGainControl: this.opts.autoGainControl,
        channelCount: { ideal: 1 },
      };
      if (deviceId) audio.deviceId = { exact: deviceId };
      try {
        this.stream = await navigator.mediaDevices.getUserMedia({ audio });
      } catch (err) {
        const name = err instanceof DOMException ? err.name : '';
        if (name === 'NotAllowedError' || name === 'SecurityError') {
          throw new AudioEngineError('microphone-denied', 'microphone permission was denied', { cause: err });
        }
        if (name === 'NotFoundError' || name === 'OverconstrainedError') {
          throw new AudioEngineError('no-microphone', 'no matching microphone was found', { cause: err });
        }
        throw new AudioEngineError('unsupported-browser', `getUserMedia failed: ${String(err)}`, { cause: err });
      }
    }
    // No sampleRate option: the context runs at the device's native rate, so the stream can connect in
    // every browser; the worklet does the resampling.
    const ctx = new AudioContext({ latencyHint: 'interactive' });
    this.context = ctx;
    if (ctx.state === 'suspended') await ctx.resume().catch(() => undefined);
    await ctx.audioWorklet.addModule(captureWorkletUrl);
    const processorOptions: CaptureOptions = { targetRate: this.sampleRate, frameSamples: this.frameSamples };
    const node = new AudioWorkletNode(ctx, 'rc-capture', {
      numberOfInputs: 1,
      numberOfOutputs: 0,
      channelCountMode: 'explicit',
      channelCount: 2,
      channelInterpretation: 'speakers',
      processorOptions,
    });
    this.captureNode = node;
    const ready = new Promise<CaptureEvent & { type: 'ready' }>((resolve) => {
      node.port.onmessage = (e: MessageEvent<CaptureEvent>) => {
        if (e.data.type === 'ready') resolve(e.data);
        else this.onWorkletMessage(e.data);
      };
    });
    const r = await ready;
    node.port.onmessage = (e: MessageEvent<CaptureEvent>) => this.onWorkletMessage(e.data);
    this.analyser = ctx.createAnalyser();
    this.analyser.fftSize = 2048;
    this.analyser.smoothingTimeConstant = 0.1;
    this.info = { ...this.emptyInfo(), contextRate: ctx.sampleRate, resamplerLatencySamples: r.latencySamples };
    await this.connectSource();
    this.log('begun', this.info);
  }

  private async connectSource(): Promise<void> {
    const ctx = this.context;
    const node = this.captureNode;
    if (!ctx || !node || !this.analyser) return;
    this.disconnectSource();
    if (this.file) {
      // An AudioBuffer at the file's own rate; the buffer source plays it at the context rate.
      const buf = ctx.createBuffer(1, Math.max(1, this.file.length), this.fileRate);
      const ch = buf.getChannelData(0);
      for (let i = 0; i < this.file.length; i++) ch[i] = this.file[i] / 32768;
      const src = ctx.createBufferSource();
      src.buffer = buf;
      src.onended = () => {
        if (this.sourceNode === src) this.onsourceended?.();
      };
      this.sourceNode = src;
      src.connect(node);
      src.connect(this.analyser);
      src.start();
      this.info = { ...this.info, source: 'file', settings: null, deviceLabel: 'file' };
      if (this.stream) this.stopTracks();
    } else if (this.stream) {
      const src = ctx.createMediaStreamSource(this.stream);
      this.sourceNode = src;
      src.connect(node);
      src.connect(this.analyser);
      const track = this.stream.getAudioTracks()[0];
      this.info = { ...this.info, source: 'microphone', settings: track?.getSettings() ?? null, deviceLabel: track?.label ?? null };
    }
  }

  private disconnectSource(): void {
    const src = this.sourceNode;
    if (!src) return;
    this.sourceNode = null;
    if (src instanceof AudioBufferSourceNode) {
      src.onended = null;
      try {
        src.stop();
      } catch {
        // never started
      }
    }
    src.disconnect();
  }

  private onWorkletMessage(msg: CaptureEvent): void {
    if (msg.type === 'frame') {
      if (!this.recording) return; // arrived after pause() resolved: never delivered twice or late
      this.saved.push(msg.mono);
      const cb = this.callback;
      if (cb) {
        try {
          cb({ mono: msg.mono, raw: msg.raw, position: msg.position, capturedAt: msg.contextTime });
        } catch (err) {
          console.error('[WavRecorder] frame callback threw', err);
        }
      }
    } else if (msg.type === 'paused') {
      const done = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      done?.();
    }
  }

  private send(cmd: CaptureCommand): void {
    this.captureNode?.port.postMessage(cmd);
  }

  /**
   * Starts delivering frames to `onFrame` (reference API: `record(cb, chunkSize)`). `chunkSize` is the
   * frame size in samples at the target rate (default frameMs worth). Resolves at once (after begin()
   * when that is still running). Resolves false when a pause() was called before it took effect.
   */
  async record(onFrame: FrameCallback = () => {}, chunkSize?: number): Promise<boolean> {
    const gen = ++this.generation;
    if (this.starting) await this.starting;
    if (gen !== this.generation) return false; // pause() or another record() came first
    if (!this.context) throw new AudioEngineError('not-started', 'call begin() before record()');
    if (this.recording) throw new AudioEngineError('busy', 'already recording; call pause() first');
    if (chunkSize !== undefined && !(Number.isInteger(chunkSize) && chunkSize > 0)) {
      throw new AudioEngineError('invalid-argument', `chunkSize must be a positive whole number of samples, got ${chunkSize}`);
    }
    this.callback = onFrame;
    this.recording = true;
    this.send({ type: 'record', frameSamples: chunkSize ?? this.frameSamples });
    return true;
  }

  /**
   * Stops delivering frames. The partial frame is flushed to the callback first; resolves once the worklet
   * confirmed, so no frame arrives after it resolves. Safe to call at any time (a no-op when not recording).
   */
  async pause(): Promise<true> {
    this.generation++;
    if (!this.recording || !this.captureNode) {
      this.recording = false;
      return true;
    }
    const id = this.nextId++;
    const confirmed = new Promise<void>((resolve) => {
      this.pending.set(id, resolve);
      // A closed or starved context never answers: give up after a second rather than hang.
      setTimeout(() => {
        if (this.pending.delete(id)) resolve();
      }, 1000);
    });
    this.send({ type: 'pause', id });
    await confirmed;
    this.recording = false;
    return true;
  }

  /** Clears the audio kept for save() and revokes the object URLs the recorder still owns. */
  async clear(): Promise<true> {
    this.saved.clear();
    this.revokeUrls();
    return true;
  }

  /** The kept audio (at most maxRecordMs), as Int16 samples at the target rate. */
  read(): Int16Array {
    return this.saved.read();
  }

  /**
   * The kept audio as a WAV file (blob + object URL). The URL is revoked by clear()/end() unless
   * `keepUrl` is set, in which case the caller must revoke it. Unlike the reference, works while recording.
   */
  async save(options: SaveOptions = {}): Promise<WavFile> {
    const file = makeWavFile(this.saved.read(), this.sampleRate);
    if (!options.keepUrl) this.urls.add(file.url);
    return file;
  }

  /**
   * Stops everything: flushes, stops the tracks, closes the context, releases every node and port and the
   * device listener. Returns the final recording (as save() would), whose URL the caller owns.
   */
  async end(): Promise<WavFile> {
    if (this.starting) await this.starting.catch(() => undefined);
    if (this.recording) await this.pause();
    const file = makeWavFile(this.saved.read(), this.sampleRate);
    await this.teardown();
    this.saved.clear();
    this.revokeUrls();
    this.listenForDeviceChange(null);
    return file;
  }

  /** Same as end() (reference API). */
  async quit(): Promise<WavFile> {
    return this.end();
  }

  private stopTracks(): void {
    for (const t of this.stream?.getTracks() ?? []) t.stop();
    this.stream = null;
  }

  private async teardown(): Promise<void> {
    this.recording = false;
    this.callback = null;
    for (const done of this.pending.values()) done();
    this.pending.clear();
    this.disconnectSource();
    if (this.captureNode) {
      this.send({ type: 'close' });
      this.captureNode.port.onmessage = null;
      this.captureNode.port.close();
      this.captureNode.disconnect();
      this.captureNode = null;
    }
    this.analyser?.disconnect();
    this.analyser = null;
    this.analyzer = null;
    this.dbBuffer = null;
    this.stopTracks();
    const ctx = this.context;
    this.context = null;
    if (ctx && ctx.state !== 'closed') await ctx.close().catch(() => undefined);
    this.info = this.emptyInfo();
  }

  private revokeUrls(): void {
    for (const u of this.urls) URL.revokeObjectURL(u);
    this.urls.clear();
  }

  /**
   * Spectrum of the input for meters: `frequency` (bins), `music` (notes C1–B8) or `voice` (32–2000 Hz),
   * normalised 0..1 between minDb and maxDb. The returned arrays are reused between calls.
   */
  getFrequencies(type: FrequencyType = 'frequency', minDb = -100, maxDb = -30): FrequencyResult {
    const an = this.analyser;
    if (!an || !this.context) throw new AudioEngineError('not-started', 'call begin() before getFrequencies()');
    if (!this.analyzer || !this.dbBuffer) {
      this.analyzer = new FrequencyAnalyzer(an.frequencyBinCount, this.context.sampleRate);
      this.dbBuffer = new Float32Array(an.frequencyBinCount);
    }
    an.getFloatFrequencyData(this.dbBuffer);
    return this.analyzer.compute(this.dbBuffer, type, minDb, maxDb);
  }

  /** Audio inputs; the `default` pseudo-device is folded into its real device, flagged `default: true`. */
  async listDevices(): Promise<AudioInputDevice[]> {
    if (!navigator.mediaDevices?.enumerateDevices) throw new AudioEngineError('unsupported-browser', 'enumerateDevices is unavailable');
    const all = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'audioinput');
    const def = all.find((d) => d.deviceId === 'default');
    const out: AudioInputDevice[] = [];
    for (const d of all) {
      if (d.deviceId === 'default') continue;
      out.push({ deviceId: d.deviceId, groupId: d.groupId, kind: d.kind, label: d.label, default: !!def && d.groupId === def.groupId });
    }
    if (def && !out.some((d) => d.default)) {
      out.unshift({ deviceId: def.deviceId, groupId: def.groupId, kind: def.kind, label: def.label, default: true });
    }
    return out;
  }

  /**
   * Calls `cb` with the device list now and whenever the set of inputs changes (debounced). `null`
   * removes the listener; end() removes it too.
   */
  listenForDeviceChange(cb: ((devices: AudioInputDevice[]) => void) | null): true {
    const md = typeof navigator !== 'undefined' ? navigator.mediaDevices : undefined;
    if (this.deviceListener) {
      md?.removeEventListener('devicechange', this.deviceListener);
      this.deviceListener = null;
    }
    if (this.deviceTimer) clearTimeout(this.deviceTimer);
    this.deviceTimer = null;
    if (!cb || !md) return true;
    let lastKey = '';
    const check = async () => {
      this.deviceTimer = null;
      try {
        const list = await this.listDevices();
        const key = list.map((d) => d.deviceId).sort().join('|');
        if (key !== lastKey && this.deviceListener === listener) {
          lastKey = key;
          cb(list);
        }
      } catch (err) {
        this.log('device listing failed', err);
      }
    };
    const listener = () => {
      if (this.deviceTimer) clearTimeout(this.deviceTimer);
      this.deviceTimer = setTimeout(check, 250);
    };
    this.deviceListener = listener;
    md.addEventListener('devicechange', listener);
    void check();
    return true;
  }

  /**
   * Makes a WAV from audio (reference API, without an AudioContext): a WAV Blob/ArrayBuffer/bytes
   * (its own rate is used; `fromSampleRate` is ignored), or samples (Int16Array, or floats in [-1, 1])
   * at `fromSampleRate` (default: `sampleRate`). Resampled to `sampleRate`. The caller owns the URL.
   */
  static async decode(audio: DecodeInput, sampleRate = 16000, fromSampleRate = -1): Promise<WavFile> {
    let pcm: Int16Array;
    let rate: number;
    if (audio instanceof Blob || audio instanceof ArrayBuffer || audio instanceof Uint8Array) {
      const bytes = audio instanceof Blob ? new Uint8Array(await audio.arrayBuffer()) : audio instanceof Uint8Array ? audio : new Uint8Array(audio);
      const w = decodeWav(bytes);
      pcm = w.samples;
      rate = w.sampleRate;
    } else {
      rate = fromSampleRate > 0 ? fromSampleRate : sampleRate;
      if (audio instanceof Int16Array) pcm = audio;
      else pcm = floatToInt16Rounded(audio instanceof Float32Array ? audio : Float32Array.from(audio));
    }
    if (!(rate >= 1000) || !(sampleRate >= 1000)) {
      throw new AudioEngineError('invalid-argument', `sample rates must be ≥ 1000 Hz (got ${rate} → ${sampleRate})`);
    }
    const out = rate === sampleRate ? pcm.slice() : resampleInt16(pcm, rate, sampleRate);
    return makeWavFile(out, sampleRate);
  }
}
