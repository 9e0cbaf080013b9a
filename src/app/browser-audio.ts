// The browser audio layer: WavRecorder (capture worklet) and WavStreamPlayer (player worklet) behind the
// AudioLayer seam. One recorder and one player at a time, each re-created only when its rate changes.
import { WavRecorder, WavStreamPlayer, type AudioInputDevice } from '../lib/audio';
import type { AudioFrame, AudioLayer, InputDevice, InputInfo, MicProbe, PlaybackOffset, PlaybackStats } from './audio-layer';

const toDevice = (d: AudioInputDevice): InputDevice => ({ deviceId: d.deviceId, label: d.label, default: d.default });

/** AudioLayer on the project's audio engine. */
export class BrowserAudioLayer implements AudioLayer {
  onFileEnded: (() => void) | null = null;
  onPlay: (() => void) | null = null;
  onIdle: (() => void) | null = null;

  private recorder: WavRecorder | null = null;
  private player: WavStreamPlayer | null = null;
  private file: Blob | null = null;
  private deviceCb: ((devices: InputDevice[]) => void) | null = null;
  /** A recorder kept only to watch device changes while no input is open. */
  private watcher: WavRecorder | null = null;

  async startInput(rate: number, deviceId: string | null): Promise<InputInfo> {
    await this.stopInput();
    const rec = new WavRecorder({ sampleRate: rate });
    rec.onsourceended = () => this.onFileEnded?.();
    if (this.file) await rec.useFile(this.file);
    this.recorder = rec;
    try {
      await rec.begin(deviceId ?? undefined);
    } catch (err) {
      this.recorder = null;
      throw err;
    }
    if (this.deviceCb) this.attachWatcher(rec);
    const info = rec.getInfo();
    return { contextRate: info.contextRate, settings: (info.settings as Record<string, unknown> | null) ?? null };
  }

  async record(onFrame: (frame: AudioFrame) => void): Promise<boolean> {
    const rec = this.recorder;
    if (!rec || rec.recording) return false;
    return rec.record(onFrame);
  }

  async pause(): Promise<void> {
    await this.recorder?.pause();
  }

  isRecording(): boolean {
    return !!this.recorder?.recording;
  }

  hasInput(): boolean {
    return this.recorder !== null && this.recorder.getStatus() !== 'ended';
  }

  async stopInput(): Promise<void> {
    const rec = this.recorder;
    this.recorder = null;
    if (!rec) return;
    const file = await rec.end().catch(() => null);
    if (file) URL.revokeObjectURL(file.url); // end() hands us the final WAV; we do not keep it
    if (this.deviceCb) this.attachWatcher(null);
  }

  async useFile(file: Blob | null): Promise<void> {
    this.file = file;
    await this.recorder?.useFile(file);
  }

  async listDevices(): Promise<InputDevice[]> {
    const rec = this.recorder ?? new WavRecorder();
    try {
      return (await rec.listDevices()).map(toDevice);
    } catch {
      return [];
    }
  }

  watchDevices(cb: ((devices: InputDevice[]) => void) | null): void {
    this.deviceCb = cb;
    this.attachWatcher(this.recorder);
  }

  private attachWatcher(rec: WavRecorder | null): void {
    this.watcher?.listenForDeviceChange(null);
    this.watcher = null;
    const cb = this.deviceCb;
    if (!cb) return;
    // end() removes the recorder's listener, so an idle recorder object watches between sessions.
    const w = rec ?? new WavRecorder();
    w.listenForDeviceChange((devices) => cb(devices.map(toDevice)));
    this.watcher = w;
  }

  async startOutput(rate: number): Promise<{ contextRate: number | null; outputLatencyMs: number }> {
    if (this.player && this.player.sampleRate === rate && this.player.connected) {
      const s = this.player.getStats();
      return { contextRate: s.contextRate, outputLatencyMs: s.outputLatencyMs };
    }
    await this.stopOutput();
    const player = new WavStreamPlayer({ sampleRate: rate });
    player.onplay = () => this.onPlay?.();
    player.onended = () => this.onIdle?.();
    this.player = player;
    try {
      await player.connect();
    } catch (err) {
      this.player = null;
      throw err;
    }
    const ctx = player.getContext();
    const s = player.getStats();
    return { contextRate: ctx?.sampleRate ?? null, outputLatencyMs: s.outputLatencyMs };
  }

  async stopOutput(): Promise<void> {
    const p = this.player;
    this.player = null;
    if (!p) return;
    p.onplay = null;
    p.onended = null;
    await p.disconnect();
  }

  hasOutput(): boolean {
    return !!this.player?.connected;
  }

  outputRate(): number {
    return this.player?.connected ? this.player.sampleRate : 0;
  }

  inputRate(): number {
    return this.recorder ? this.recorder.sampleRate : 0;
  }

  play(pcm: Int16Array, rate: number, trackId: string): void {
    const p = this.player;
    if (!p?.connected) return;
    if (rate === p.sampleRate) p.add16BitPCM(pcm, trackId);
    else p.addPCMAtRate(pcm, rate, trackId);
  }

  playEncoded(bytes: Uint8Array, format: { encoding: 'pcm16' | 'g711_ulaw' | 'g711_alaw' | 'mp3' | 'opus'; sampleRate: number }, trackId: string): void {
    const p = this.player;
    if (!p?.connected) return;
    p.addEncoded(bytes, format, trackId).catch((err: unknown) => console.warn('[audio] cannot decode output', err));
  }

  endTrack(trackId: string): void {
    this.player?.endTrack(trackId).catch(() => undefined);
  }

  async interrupt(): Promise<PlaybackOffset | null> {
    const p = this.player;
    if (!p?.connected) return null;
    const r = await p.interrupt();
    return r ? { trackId: r.trackId, offset: r.offset } : null;
  }

  stats(): PlaybackStats | null {
    const p = this.player;
    if (!p?.connected) return null;
    const s = p.getStats();
    return {
      underruns: s.underruns,
      underrunGapMs: s.underrunGapMs,
      contextFrame: s.contextFrame,
      bufferedMs: s.bufferedMs,
      samplesRendered: s.samplesRendered,
      outputLatencyMs: s.outputLatencyMs,
      playing: s.playing,
      contextRate: s.contextRate,
    };
  }

  outputLevel(): number {
    const p = this.player;
    if (!p?.connected) return 0;
    try {
      const { values } = p.getFrequencies('voice');
      let sum = 0;
      for (let i = 0; i < values.length; i++) sum += values[i];
      return values.length ? Math.min(1, (sum / values.length) * 1.6) : 0;
    } catch {
      return 0;
    }
  }

  async probeMicrophone(): Promise<MicProbe> {
    if (typeof navigator === 'undefined' || !navigator.mediaDevices?.getUserMedia) {
      return { ok: false, reason: 'unsupported', message: 'getUserMedia is unavailable: open the console over https or on localhost' };
    }
    let stream: MediaStream | null = null;
    let ctx: AudioContext | null = null;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const track = stream.getAudioTracks()[0];
      const settings = track?.getSettings() ?? {};
      let rate = typeof settings.sampleRate === 'number' ? settings.sampleRate : undefined;
      if (rate === undefined && typeof AudioContext !== 'undefined') {
        ctx = new AudioContext();
        rate = ctx.sampleRate;
      }
      return { ok: true, sampleRate: rate, label: track?.label };
    } catch (err) {
      const name = err instanceof DOMException ? err.name : '';
      if (name === 'NotAllowedError' || name === 'SecurityError') return { ok: false, reason: 'mic_denied', message: String(err) };
      if (name === 'NotFoundError' || name === 'OverconstrainedError') return { ok: false, reason: 'no_microphone', message: String(err) };
      return { ok: false, reason: 'unsupported', message: err instanceof Error ? err.message : String(err) };
    } finally {
      for (const t of stream?.getTracks() ?? []) t.stop();
      if (ctx) await ctx.close().catch(() => undefined);
    }
  }
}

