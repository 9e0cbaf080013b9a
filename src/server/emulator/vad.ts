/**
 * Server voice-activity detection: a pure, frame-based energy detector with hysteresis.
 *
 * It runs on the timeline of the appended audio (sample positions), never on the wall clock, so the
 * same audio gives the same events however it is chunked and however fast it arrives.
 * - Frames are 10 ms. A frame's level is a logistic map of its energy in dBFS onto 0..1
 *   (0.5 at -45 dBFS, about 0.92 at -35 dBFS), so `threshold` reads like the protocol's 0..1 activation.
 * - Speech starts after MIN_ON_FRAMES consecutive frames at or above `threshold`; the onset is the
 *   first of them. While in speech, frames down to `threshold - HYSTERESIS` still count as voiced.
 * - Speech stops once `silenceDurationMs` of unvoiced frames follow the last voiced frame.
 * - Reported positions follow the protocol: `startSample` includes `prefixPaddingMs` before the onset
 *   (never before the end of the previous turn), and `endSample` includes the silence duration.
 */

/** Detector parameters (protocol names, camel-cased). */
export interface VadParams {
  threshold: number;
  prefixPaddingMs: number;
  silenceDurationMs: number;
}

/** A detected boundary, in samples from the detector's origin. */
export type VadEvent =
  | { type: 'speech_started'; startSample: number; onsetSample: number }
  | { type: 'speech_stopped'; endSample: number };

const FRAME_MS = 10;
const MIN_ON_FRAMES = 3;
const HYSTERESIS = 0.15;
const LEVEL_MID_DB = -45;
const LEVEL_SLOPE_DB = 4;

/** Level 0..1 of a frame from its mean square (samples normalised to ±1). */
export function frameLevel(meanSquare: number): number {
  const db = 10 * Math.log10(meanSquare + 1e-12);
  return 1 / (1 + Math.exp(-(db - LEVEL_MID_DB) / LEVEL_SLOPE_DB));
}

/** Streaming detector. Feed samples with {@link push}; it returns the events the new samples complete. */
export class Vad {
  private readonly frameSamples: number;
  private readonly silenceFrames: number;
  private readonly paddingSamples: number;
  private readonly onThreshold: number;
  private readonly offThreshold: number;
  /** Partial frame carried between pushes. */
  private readonly partial: Float64Array;
  private partialLength = 0;
  /** Index of the next frame (frames since origin). */
  private frameIndex = 0;
  private inSpeech = false;
  private onRun = 0;
  private silentRun = 0;
  /** Earliest sample a new turn's padding may reach back to. */
  private floorSample = 0;

  constructor(
    readonly sampleRate: number,
    params: VadParams,
  ) {
    if (!(sampleRate > 0) || sampleRate % 100 !== 0) {
      throw new RangeError(`VAD needs a sample rate divisible by 100, got ${sampleRate}`);
    }
    this.frameSamples = sampleRate / 100;
    this.silenceFrames = Math.max(1, Math.ceil(params.silenceDurationMs / FRAME_MS));
    this.paddingSamples = Math.round((params.prefixPaddingMs * sampleRate) / 1000);
    this.onThreshold = params.threshold;
    this.offThreshold = Math.max(0, params.threshold - HYSTERESIS);
    this.partial = new Float64Array(this.frameSamples);
  }

  /** True while a turn is open (after speech_started, before speech_stopped). */
  get speaking(): boolean {
    return this.inSpeech;
  }

  /** Samples consumed so far (whole frames plus the partial one). */
  get position(): number {
    return this.frameIndex * this.frameSamples + this.partialLength;
  }

  /**
   * Forgets any open turn (after `input_audio_buffer.clear` or a manual commit): the next turn's padding
   * will not reach back before the current position.
   */
  reset(): void {
    this.inSpeech = false;
    this.onRun = 0;
    this.silentRun = 0;
    this.floorSample = this.position;
  }

  /** Processes `samples` and returns the events they complete, in order. */
  push(samples: Int16Array): VadEvent[] {
    const events: VadEvent[] = [];
    let i = 0;
    while (i < samples.length) {
      const take = Math.min(this.frameSamples - this.partialLength, samples.length - i);
      for (let k = 0; k < take; k++) this.partial[this.partialLength + k] = samples[i + k] / 32768;
      this.partialLength += take;
      i += take;
      if (this.partialLength === this.frameSamples) {
        this.frame(events);
        this.partialLength = 0;
      }
    }
    return events;
  }

  private frame(events: VadEvent[]): void {
    let sum = 0;
    for (let k = 0; k < this.frameSamples; k++) sum += this.partial[k] * this.partial[k];
    const level = frameLevel(sum / this.frameSamples);
    const index = this.frameIndex++;
    if (!this.inSpeech) {
      this.onRun = level >= this.onThreshold ? this.onRun + 1 : 0;
      if (this.onRun >= MIN_ON_FRAMES) {
        const onsetSample = (index - MIN_ON_FRAMES + 1) * this.frameSamples;
        const startSample = Math.max(this.floorSample, onsetSample - this.paddingSamples);
        this.inSpeech = true;
        this.silentRun = 0;
        this.onRun = 0;
        events.push({ type: 'speech_started', startSample, onsetSample });
      }
      return;
    }
    if (level >= this.offThreshold) {
      this.silentRun = 0;
      return;
    }
    this.silentRun++;
    if (this.silentRun >= this.silenceFrames) {
      const endSample = (index + 1) * this.frameSamples;
      this.inSpeech = false;
      this.silentRun = 0;
      this.floorSample = endSample;
      events.push({ type: 'speech_stopped', endSample });
    }
  }
}

/** Runs the detector over a whole recording and returns the turns in ms (for tests and tools). */
export function detectTurns(
  samples: Int16Array,
  sampleRate: number,
  params: VadParams,
  chunkSamples = samples.length,
): { startMs: number; endMs: number | null }[] {
  const vad = new Vad(sampleRate, params);
  const turns: { startMs: number; endMs: number | null }[] = [];
  for (let i = 0; i < samples.length; i += Math.max(1, chunkSamples)) {
    for (const e of vad.push(samples.subarray(i, i + Math.max(1, chunkSamples)))) {
      if (e.type === 'speech_started') turns.push({ startMs: (e.startSample / sampleRate) * 1000, endMs: null });
      else turns[turns.length - 1].endMs = (e.endSample / sampleRate) * 1000;
    }
  }
  return turns;
}
