// An audio layer without devices whose "microphone" frames the benchmark pushes (Node has no AudioContext).
import { NullAudioLayer, type AudioFrame } from '../../src/app/audio-layer';

/** A NullAudioLayer that delivers pushed frames to the bridge while it records. */
export class FeedAudioLayer extends NullAudioLayer {
  private sink: ((f: AudioFrame) => void) | null = null;

  override async record(onFrame: (f: AudioFrame) => void): Promise<boolean> {
    const ok = await super.record(onFrame);
    if (ok) this.sink = onFrame;
    return ok;
  }

  override async pause(): Promise<void> {
    this.sink = null;
    await super.pause();
  }

  override async stopInput(): Promise<void> {
    this.sink = null;
    await super.stopInput();
  }

  /** True while the bridge takes frames. */
  get listening(): boolean {
    return this.sink !== null;
  }

  /** Pushes one frame (a fresh copy: the bridge may keep it). Returns false when not recording. */
  push(frame: Int16Array): boolean {
    if (!this.sink) return false;
    this.sink({ mono: frame.slice() });
    return true;
  }
}
