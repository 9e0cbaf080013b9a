/**
 * Player worklet: one persistent node with a float ring buffer at the context rate. Writes of any size
 * are appended (resampled from the output rate when the context runs at another rate); process() renders
 * what is queued and pads with silence when starved — an underrun never ends the node or resets offsets.
 * Per-track rendered sample counts are exact to one render quantum.
 */
import { StreamingResampler } from '../dsp/resampler';
import type { PlayerCommand, PlayerEvent, PlayerOptions, TrackCounts } from './player-protocol';

const MAX_TRACKS = 32;

class PlayerProcessor extends AudioWorkletProcessor {
  private readonly outputRate: number;
  private readonly statsEvery: number;
  private readonly idleFrames: number;
  private readonly prebufferFrames: number;
  /** Rendering waits (jitter buffer) until `holdUntil` or until prebufferFrames are queued. */
  private holding = false;
  private holdUntil = 0;
  private readonly rs: StreamingResampler | null;
  private conv: Float32Array = new Float32Array(4096);
  private ring = new Float32Array(1 << 16);
  private readPos = 0; // absolute sample index, mod ring.length gives the slot
  private writePos = 0;
  /** FIFO of [trackId, context-rate samples] for the queued audio. */
  private segTrack: string[] = [];
  private segCount: number[] = [];
  private segHead = 0;
  /** Rendered context-rate samples per track (insertion order = recency). */
  private rendered = new Map<string, number>();
  /** Output-rate samples written per track (to express rendered counts exactly at the output rate). */
  private lastTrack: string | null = null;
  private interrupted: string[] = [];
  private underruns = 0;
  private gapSamples = 0;
  private state: 'idle' | 'playing' | 'starved' = 'idle';
  private starvedAt = 0;
  private starvedGap = 0;
  private pendingPlay: { addedAt: number } | null = null;
  private quanta = 0;
  private closed = false;

  constructor(options?: AudioWorkletNodeOptions) {
    super(options);
    const o = options?.processorOptions as PlayerOptions;
    this.outputRate = o.outputRate;
    this.statsEvery = o.statsEveryQuanta;
    this.idleFrames = Math.round((o.idleMs / 1000) * sampleRate);
    this.prebufferFrames = Math.round((o.prebufferMs / 1000) * sampleRate);
    this.rs = this.outputRate === sampleRate ? null : new StreamingResampler(this.outputRate, sampleRate);
    this.port.onmessage = (e: MessageEvent<PlayerCommand>) => this.command(e.data);
  }

  private post(msg: PlayerEvent): void {
    this.port.postMessage(msg);
  }

  private command(cmd: PlayerCommand): void {
    if (cmd.type === 'write') this.write(cmd.trackId, cmd.samples, cmd.addedAt);
    else if (cmd.type === 'offset') this.offset(cmd.id, cmd.interrupt);
    else if (cmd.type === 'close') this.closed = true;
  }

  private queued(): number {
    return this.writePos - this.readPos;
  }

  private write(trackId: string, samples: Int16Array, addedAt: number): void {
    if (this.interrupted.includes(trackId) || samples.length === 0) return;
    let n = samples.length;
    if (this.conv.length < n) this.conv = new Float32Array(n);
    const f = this.conv;
    for (let i = 0; i < n; i++) f[i] = samples[i] / 32768;
    let data = f.subarray(0, n);
    if (this.rs) {
      data = this.rs.process(data);
      n = data.length;
    }
    this.push(trackId, data);
    if (this.state === 'starved') {
      this.underruns++;
      this.gapSamples += this.starvedGap;
    }
    if (this.state === 'idle' && !this.pendingPlay) this.pendingPlay = { addedAt };
    if (this.state !== 'playing' && this.prebufferFrames > 0 && !this.holding) {
      this.holding = true;
      this.holdUntil = currentFrame + this.prebufferFrames;
    }
    this.state = 'playing';
    this.starvedGap = 0;
  }

  private push(trackId: string, data: Float32Array): void {
    const n = data.length;
    if (n === 0) return;
    if (this.queued() + n > this.ring.length) this.grow(this.queued() + n);
    const cap = this.ring.length;
    const at = this.writePos % cap;
    const first = Math.min(n, cap - at);
    this.ring.set(data.subarray(0, first), at);
    if (first < n) this.ring.set(data.subarray(first), 0);
    this.writePos += n;
    const last = this.segTrack.length - 1;
    if (last >= this.segHead && this.segTrack[last] === trackId) this.segCount[last] += n;
    else {
      this.segTrack.push(trackId);
      this.segCount.push(n);
    }
  }

  private grow(need: number): void {
    let cap = this.ring.length;
    while (cap < need) cap *= 2;
    const next = new Float32Array(cap);
    const q = this.queued();
    for (let i = 0; i < q; i++) next[i] = this.ring[(this.readPos + i) % this.ring.length];
    this.ring = next;
    this.writePos = q;
    this.readPos = 0;
  }

  /** The track being heard: the head of the queue, else the last one rendered. */
  private currentTrack(): string | null {
    return this.segHead < this.segTrack.length ? this.segTrack[this.segHead] : this.lastTrack;
  }

  private toOutputRate(ctxSamples: number): number {
    return this.rs ? Math.floor((ctxSamples * this.outputRate) / sampleRate) : ctxSamples;
  }

  private offset(id: number, interrupt: boolean): void {
    const trackId = this.currentTrack();
    const offset = trackId === null ? 0 : this.toOutputRate(this.rendered.get(trackId) ?? 0);
    if (interrupt) {
      if (trackId !== null) {
        this.interrupted.push(trackId);
        if (this.interrupted.length > MAX_TRACKS) this.interrupted.shift();
      }
      this.readPos = this.writePos;
      this.segTrack = [];
      this.segCount = [];
      this.segHead = 0;
      this.lastTrack = null;
      this.holding = false;
      this.rs?.reset();
    }
    this.post({ type: 'offset', id, trackId, offset, frame: currentFrame });
  }

  private count(trackId: string, n: number): void {
    const prev = this.rendered.get(trackId);
    if (prev === undefined) {
      this.rendered.set(trackId, n);
      if (this.rendered.size > MAX_TRACKS) this.rendered.delete(this.rendered.keys().next().value as string);
    } else this.rendered.set(trackId, prev + n);
  }

  private stats(): void {
    const tracks: TrackCounts = [];
    for (const [id, n] of this.rendered) tracks.push([id, this.toOutputRate(n)]);
    this.post({
      type: 'stats',
      bufferedSamples: this.queued(),
      underruns: this.underruns,
      gapSamples: this.gapSamples,
      tracks,
      playing: this.state !== 'idle',
      frame: currentFrame,
    });
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    if (this.closed) return false;
    const out = outputs[0][0];
    const n = out.length;
    if (this.holding) {
      if (this.queued() >= this.prebufferFrames || currentFrame >= this.holdUntil) this.holding = false;
      else {
        out.fill(0);
        for (let c = 1; c < outputs[0].length; c++) outputs[0][c].fill(0);
        if (++this.quanta % this.statsEvery === 0) this.stats();
        return true;
      }
    }
    let filled = this.render(out, 0);
    // The resampler keeps its last few samples back; release them once the queue has run dry.
    if (filled < n && this.rs && this.state === 'playing' && this.lastTrack !== null) {
      this.push(this.lastTrack, this.rs.flush());
      filled = this.render(out, filled);
    }
    if (filled > 0 && this.pendingPlay) {
      this.post({ type: 'play', trackId: this.lastTrack as string, at: currentTime, addedAt: this.pendingPlay.addedAt });
      this.pendingPlay = null;
    }
    if (filled < n) {
      out.fill(0, filled);
      if (this.state === 'playing') {
        this.state = 'starved';
        this.starvedAt = currentFrame + filled;
        this.starvedGap = n - filled;
        this.stats();
      } else if (this.state === 'starved') {
        this.starvedGap += n - filled;
        if (currentFrame + n - this.starvedAt >= this.idleFrames) {
          this.state = 'idle';
          this.post({ type: 'idle', at: currentTime });
          this.stats();
        }
      }
    }
    for (let c = 1; c < outputs[0].length; c++) outputs[0][c].set(out);
    if (++this.quanta % this.statsEvery === 0) this.stats();
    return true;
  }

  /** Copies queued audio into out[from..]; returns how far out is filled. */
  private render(out: Float32Array, from: number): number {
    const n = out.length;
    let filled = from;
    while (filled < n && this.segHead < this.segTrack.length) {
      const take = Math.min(n - filled, this.segCount[this.segHead]);
      const cap = this.ring.length;
      for (let i = 0; i < take; i++) out[filled + i] = this.ring[(this.readPos + i) % cap];
      this.readPos += take;
      filled += take;
      const track = this.segTrack[this.segHead];
      this.count(track, take);
      this.lastTrack = track;
      this.segCount[this.segHead] -= take;
      if (this.segCount[this.segHead] === 0) this.segHead++;
    }
    if (this.segHead > 256 && this.segHead === this.segTrack.length) {
      this.segTrack = [];
      this.segCount = [];
      this.segHead = 0;
    }
    return filled;
  }
}

registerProcessor('rc-player', PlayerProcessor);
