// Shared pieces for driving the session bridge in Node (no AudioContext there): an audio layer whose
// "microphone" frames the caller pushes, a timer-based frame scheduler, and a polling wait.
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

  /** Pushes `samples` as frames of `frame` samples while recording; returns how many were taken. */
  feed(samples: Int16Array, frame = 320): number {
    let n = 0;
    for (let i = 0; i + frame <= samples.length && this.sink; i += frame, n++) this.sink({ mono: samples.subarray(i, i + frame) });
    return n;
  }
}

/** The bridge's per-frame scheduler, on a 5 ms timer (Node has no requestAnimationFrame). */
export const tick = (cb: () => void): (() => void) => {
  const id = setTimeout(cb, 5);
  return () => clearTimeout(id);
};

/** Polls `cond` every 20 ms; throws after `timeoutMs`. */
export async function until(cond: () => boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
