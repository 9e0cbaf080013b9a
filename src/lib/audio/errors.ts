/** Typed errors of the audio engine. */

/** Why an audio operation failed. */
export type AudioErrorReason =
  | 'not-started' // begin()/connect() has not completed
  | 'ended' // the object was ended and cannot be reused for this call
  | 'microphone-denied'
  | 'no-microphone'
  | 'unsupported-browser' // no AudioWorklet / getUserMedia
  | 'invalid-argument'
  | 'busy'; // the call conflicts with one in progress

/** Error thrown by WavRecorder / WavStreamPlayer with a machine-readable reason. */
export class AudioEngineError extends Error {
  override name = 'AudioEngineError';
  constructor(
    readonly reason: AudioErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Thrown when an output format cannot be decoded in this browser (e.g. no WebCodecs AudioDecoder). */
export class FormatNotSupportedError extends Error {
  override name = 'FormatNotSupportedError';
  constructor(
    readonly format: string,
    message = `audio format "${format}" is not supported in this browser`,
  ) {
    super(message);
  }
}
