/**
 * The contract between the emulator and the offline speech synthesiser. The emulator decides which
 * synthesiser voice and pitch a session voice maps to; the synthesiser only turns text into samples.
 */

/** One utterance to speak. */
export interface SynthesisRequest {
  text: string;
  /** eSpeak NG voice name, e.g. `cmn` (Mandarin) or `en-us`, optionally with a variant such as `en-us+f3`. */
  voice: string;
  /** Pitch 0–99 (eSpeak NG scale, 50 is normal). */
  pitch?: number;
  /** Speaking rate in words per minute (eSpeak NG default 175). */
  wordsPerMinute?: number;
}

/** Synthesised speech as mono 16-bit PCM at the synthesiser's native rate. */
export interface SynthesisResult {
  samples: Int16Array;
  sampleRate: number;
}

/** An offline speech synthesiser. `available` is false when the optional engine is not installed. */
export interface Synthesizer {
  readonly available: boolean;
  /** Why the synthesiser is unavailable, for the server log. */
  readonly unavailableReason: string | null;
  /** Speaks `request`; rejects with an Error when synthesis fails. Results may be cached. */
  synthesize(request: SynthesisRequest): Promise<SynthesisResult>;
  /** Releases the worker thread and any cache. */
  close(): Promise<void>;
}
