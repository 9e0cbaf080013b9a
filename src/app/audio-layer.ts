// The audio seam of the session bridge. The browser implementation (browser-audio.ts) wraps WavRecorder and
// WavStreamPlayer; Node tests (no AudioContext) use the null layer. The bridge never imports src/lib/audio itself,
// so it runs unchanged in Node.

/** A microphone frame as the bridge sees it: Int16 samples at the recorder's rate. */
export interface AudioFrame {
  mono: Int16Array;
}

/** Where an interrupt stopped playback. */
export interface PlaybackOffset {
  trackId: string;
  /** Samples of that track actually rendered, at the player's rate. */
  offset: number;
}

/** Player figures the bridge polls a few times per second. */
export interface PlaybackStats {
  underruns: number;
  /** Total silence the player inserted because audio arrived late (underruns), in ms. */
  underrunGapMs: number;
  /** The output clock (AudioContext frame) when these figures were taken: pairs with samplesRendered. */
  contextFrame: number;
  bufferedMs: number;
  /** Samples rendered per track (item id). */
  samplesRendered: Record<string, number>;
  outputLatencyMs: number;
  playing: boolean;
  contextRate: number | null;
}

/** A microphone input. */
export interface InputDevice {
  deviceId: string;
  label: string;
  default?: boolean;
}

/** What `startInput` learned about the granted capture. */
export interface InputInfo {
  contextRate: number | null;
  settings: Record<string, unknown> | null;
}

/** Result of the setup check's microphone probe. */
export interface MicProbe {
  ok: boolean;
  /** `mic_denied`, `no_microphone`, `unsupported` when not ok. */
  reason?: string;
  message?: string;
  /** Rate the browser granted (track settings, else the AudioContext's). */
  sampleRate?: number;
  label?: string;
}

/** Everything the bridge needs from an audio engine. All methods must be safe to call in any state. */
export interface AudioLayer {
  /** Opens the input at `rate` (the input format's rate). Rejects with a typed error (see errors.ts). */
  startInput(rate: number, deviceId: string | null): Promise<InputInfo>;
  /** Starts delivering frames. Resolves false when a stop came first. */
  record(onFrame: (frame: AudioFrame) => void): Promise<boolean>;
  /** Stops delivering frames (no frame arrives after it resolves). */
  pause(): Promise<void>;
  /** True while frames are delivered. */
  isRecording(): boolean;
  /** True between a successful startInput and stopInput. */
  hasInput(): boolean;
  stopInput(): Promise<void>;
  /** Uses a WAV file instead of the microphone (null: back to the microphone). */
  useFile(file: Blob | null): Promise<void>;
  /** Called when a file source has played to its end. */
  onFileEnded: (() => void) | null;
  listDevices(): Promise<InputDevice[]>;
  /** Follows device changes (null stops). */
  watchDevices(cb: ((devices: InputDevice[]) => void) | null): void;

  /** Opens the output at `rate` (the output format's rate). */
  startOutput(rate: number): Promise<{ contextRate: number | null; outputLatencyMs: number }>;
  stopOutput(): Promise<void>;
  hasOutput(): boolean;
  /** Current output rate (0 when stopped). */
  outputRate(): number;
  inputRate(): number;
  /** Queues PCM at `rate` for `trackId`. */
  play(pcm: Int16Array, rate: number, trackId: string): void;
  /** Queues encoded (MP3/Opus/G.711) bytes for `trackId`. */
  playEncoded(bytes: Uint8Array, format: { encoding: 'pcm16' | 'g711_ulaw' | 'g711_alaw' | 'mp3' | 'opus'; sampleRate: number }, trackId: string): void;
  /** Flushes per-track decoders at the end of an item. */
  endTrack(trackId: string): void;
  /** Stops playback; what was heard of the current track, or null. */
  interrupt(): Promise<PlaybackOffset | null>;
  stats(): PlaybackStats | null;
  /** Called when sound starts after silence / when the player went idle. */
  onPlay: (() => void) | null;
  onIdle: (() => void) | null;
  /** Output level 0..1 (cheap; read per animation frame by meters). */
  outputLevel(): number;

  /** Setup check: asks for the microphone, reads the granted rate, releases everything. */
  probeMicrophone(): Promise<MicProbe>;
}

/** An audio layer with no devices: input and output are "started" but nothing is captured or played. */
export class NullAudioLayer implements AudioLayer {
  onFileEnded: (() => void) | null = null;
  onPlay: (() => void) | null = null;
  onIdle: (() => void) | null = null;
  /** PCM queued per track (tests read it). */
  readonly played = new Map<string, number>();
  private inRate = 0;
  private outRate = 0;
  private recording = false;
  private input = false;
  private interrupted = new Set<string>();
  private lastTrack: string | null = null;

  async startInput(rate: number): Promise<InputInfo> {
    this.inRate = rate;
    this.input = true;
    return { contextRate: null, settings: null };
  }
  async record(_onFrame?: (frame: AudioFrame) => void): Promise<boolean> {
    if (!this.input) return false;
    this.recording = true;
    return true;
  }
  async pause(): Promise<void> {
    this.recording = false;
  }
  isRecording(): boolean {
    return this.recording;
  }
  hasInput(): boolean {
    return this.input;
  }
  async stopInput(): Promise<void> {
    this.input = false;
    this.recording = false;
    this.inRate = 0;
  }
  async useFile(): Promise<void> {}
  async listDevices(): Promise<InputDevice[]> {
    return [];
  }
  watchDevices(): void {}
  async startOutput(rate: number) {
    this.outRate = rate;
    return { contextRate: null, outputLatencyMs: 0 };
  }
  async stopOutput(): Promise<void> {
    this.outRate = 0;
  }
  hasOutput(): boolean {
    return this.outRate > 0;
  }
  outputRate(): number {
    return this.outRate;
  }
  inputRate(): number {
    return this.inRate;
  }
  play(pcm: Int16Array, _rate: number, trackId: string): void {
    if (this.interrupted.has(trackId)) return;
    this.lastTrack = trackId;
    this.played.set(trackId, (this.played.get(trackId) ?? 0) + pcm.length);
  }
  playEncoded(): void {}
  endTrack(): void {}
  async interrupt(): Promise<PlaybackOffset | null> {
    const t = this.lastTrack;
    if (!t) return null;
    this.interrupted.add(t);
    this.lastTrack = null;
    return { trackId: t, offset: 0 };
  }
  stats(): PlaybackStats | null {
    return null;
  }
  outputLevel(): number {
    return 0;
  }
  async probeMicrophone(): Promise<MicProbe> {
    return { ok: false, reason: 'unsupported', message: 'no audio in this environment' };
  }
}
