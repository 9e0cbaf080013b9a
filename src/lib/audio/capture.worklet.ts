/**
 * Capture worklet: mixes the input to mono, low-pass filters and resamples it from the context's native
 * rate to the target rate (the same polyphase resampler as everywhere else), and posts Int16 frames of a
 * fixed size with transfer. Only the last partial frame is kept between quanta, nothing else accumulates.
 */
import { StreamingResampler } from '../dsp/resampler';
import type { CaptureCommand, CaptureEvent, CaptureOptions } from './capture-protocol';

class CaptureProcessor extends AudioWorkletProcessor {
  private readonly targetRate: number;
  private frameSamples: number;
  private readonly monoRs: StreamingResampler;
  private readonly rawRs: StreamingResampler;
  private readonly mix = new Float32Array(128);
  private monoFrame: Float32Array;
  private rawFrame: Float32Array;
  private filled = 0;
  /** Target-rate samples produced since the node started (frames carry their first sample's position). */
  private produced = 0;
  private recording = false;
  private stereo = false;
  private closed = false;

  constructor(options?: AudioWorkletNodeOptions) {
    super(options);
    const opts = options?.processorOptions as CaptureOptions;
    this.targetRate = opts.targetRate;
    this.frameSamples = opts.frameSamples;
    this.monoRs = new StreamingResampler(sampleRate, this.targetRate);
    this.rawRs = new StreamingResampler(sampleRate, this.targetRate);
    this.monoFrame = new Float32Array(this.frameSamples);
    this.rawFrame = new Float32Array(this.frameSamples);
    this.port.onmessage = (e: MessageEvent<CaptureCommand>) => this.command(e.data);
    this.post({ type: 'ready', contextRate: sampleRate, latencySamples: this.monoRs.latencySamples });
  }

  private post(msg: CaptureEvent, transfer: Transferable[] = []): void {
    this.port.postMessage(msg, transfer);
  }

  private command(cmd: CaptureCommand): void {
    switch (cmd.type) {
      case 'record':
        if (cmd.frameSamples && cmd.frameSamples !== this.frameSamples) {
          this.emit(); // never mix two frame sizes in one frame
          this.frameSamples = cmd.frameSamples;
          this.monoFrame = new Float32Array(this.frameSamples);
          this.rawFrame = new Float32Array(this.frameSamples);
        }
        this.recording = true;
        break;
      case 'pause':
        this.emit();
        this.recording = false;
        this.post({ type: 'paused', id: cmd.id });
        break;
      case 'reset':
        this.filled = 0;
        this.monoRs.reset();
        this.rawRs.reset();
        break;
      case 'close':
        this.closed = true;
        this.recording = false;
        break;
    }
  }

  /** Posts the (possibly partial) current frame. */
  private emit(): void {
    const n = this.filled;
    if (n === 0) return;
    const mono = new Int16Array(n);
    toInt16(this.monoFrame, mono, n);
    let raw = mono;
    if (this.stereo) {
      raw = new Int16Array(n);
      toInt16(this.rawFrame, raw, n);
    }
    const msg: CaptureEvent = {
      type: 'frame',
      mono,
      raw: raw === mono ? mono.slice() : raw,
      position: this.produced - n,
      contextTime: currentTime,
    };
    this.post(msg, msg.raw === mono ? [mono.buffer] : [mono.buffer, msg.raw.buffer]);
    this.filled = 0;
  }

  process(inputs: Float32Array[][]): boolean {
    if (this.closed) return false;
    const channels = inputs[0];
    if (!channels || channels.length === 0) return true; // no source connected yet
    const first = channels[0];
    const n = first.length;
    this.stereo = channels.length > 1;
    let mono = first;
    if (this.stereo) {
      const mix = this.mix.length >= n ? this.mix : new Float32Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let c = 0; c < channels.length; c++) s += channels[c][i];
        mix[i] = s / channels.length;
      }
      mono = mix.subarray(0, n);
    }
    // The resampler runs even while paused so that its history is continuous when recording resumes.
    const outMono = this.monoRs.process(mono);
    const outRaw = this.stereo ? this.rawRs.process(first) : outMono;
    this.produced += outMono.length;
    if (!this.recording) return true;
    let i = 0;
    while (i < outMono.length) {
      const take = Math.min(this.frameSamples - this.filled, outMono.length - i);
      this.monoFrame.set(outMono.subarray(i, i + take), this.filled);
      if (this.stereo) this.rawFrame.set(outRaw.subarray(i, i + take), this.filled);
      this.filled += take;
      i += take;
      if (this.filled === this.frameSamples) {
        // Position bookkeeping: the frame's first sample index is produced - (remaining) - frame size.
        const produced = this.produced;
        this.produced = produced - (outMono.length - i);
        this.emit();
        this.produced = produced;
      }
    }
    return true;
  }
}

function toInt16(src: Float32Array, dst: Int16Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = Math.round(src[i] * 32768);
    dst[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
}

registerProcessor('rc-capture', CaptureProcessor);
