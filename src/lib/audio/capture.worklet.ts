/**
 * Capture worklet: mixes the input to mono, low-pass filters and resamples it from the context's native
 * rate to the target rate (the same polyphase resampler as everywhere else), and posts Int16 frames of a
 * fixed size with transfer. Only the last partial frame is kept between quanta, nothing else accumulates.
 */
import { StreamingResampler } from '../dsp/resampler';
import { PcmFramer, type PcmFrame } from '../dsp/framer';
import type { CaptureCommand, CaptureEvent, CaptureOptions } from './capture-protocol';

class CaptureProcessor extends AudioWorkletProcessor {
  private readonly monoRs: StreamingResampler;
  private readonly rawRs: StreamingResampler;
  private mix = new Float32Array(128);
  private readonly framer: PcmFramer;
  private readonly emit = (f: PcmFrame) => this.postFrame(f);
  private recording = false;
  private closed = false;

  constructor(options?: AudioWorkletNodeOptions) {
    super(options);
    const opts = options?.processorOptions as CaptureOptions;
    this.monoRs = new StreamingResampler(sampleRate, opts.targetRate);
    this.rawRs = new StreamingResampler(sampleRate, opts.targetRate);
    this.framer = new PcmFramer(opts.frameSamples);
    this.port.onmessage = (e: MessageEvent<CaptureCommand>) => this.command(e.data);
    this.post({ type: 'ready', contextRate: sampleRate, latencySamples: this.monoRs.latencySamples });
  }

  private post(msg: CaptureEvent, transfer: Transferable[] = []): void {
    this.port.postMessage(msg, transfer);
  }

  private postFrame(f: PcmFrame): void {
    // For a mono source, raw is a separate copy so that callers may mutate either array.
    const raw = f.raw ?? f.mono.slice();
    this.post({ type: 'frame', mono: f.mono, raw, position: f.position, contextTime: currentTime }, [f.mono.buffer, raw.buffer]);
  }

  private command(cmd: CaptureCommand): void {
    switch (cmd.type) {
      case 'record':
        if (cmd.frameSamples) this.framer.resize(cmd.frameSamples, this.emit); // never mixes two sizes in a frame
        this.recording = true;
        break;
      case 'pause':
        this.framer.flush(this.emit);
        this.recording = false;
        this.post({ type: 'paused', id: cmd.id });
        break;
      case 'reset':
        this.framer.reset();
        this.monoRs.reset();
        this.rawRs.reset();
        break;
      case 'close':
        this.closed = true;
        this.recording = false;
        break;
    }
  }

  process(inputs: Float32Array[][]): boolean {
    if (this.closed) return false;
    const channels = inputs[0];
    if (!channels || channels.length === 0) return true; // no source connected yet
    const first = channels[0];
    const n = first.length;
    const stereo = channels.length > 1;
    let mono = first;
    if (stereo) {
      if (this.mix.length < n) this.mix = new Float32Array(n);
      const mix = this.mix;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let c = 0; c < channels.length; c++) s += channels[c][i];
        mix[i] = s / channels.length;
      }
      mono = mix.subarray(0, n);
    }
    // The resamplers run even while paused so that their history is continuous when recording resumes.
    const outMono = this.monoRs.process(mono);
    const outRaw = stereo ? this.rawRs.process(first) : null;
    if (this.recording) this.framer.push(outMono, outRaw, this.emit);
    else this.framer.skip(outMono.length);
    return true;
  }
}

registerProcessor('rc-capture', CaptureProcessor);
