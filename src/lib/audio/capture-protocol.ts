/** Messages between the capture worklet and {@link WavRecorder} (main thread). */

/** processorOptions of the capture worklet node. */
export interface CaptureOptions {
  /** Rate of the frames posted to the main thread. */
  targetRate: number;
  /** Samples per frame at the target rate. */
  frameSamples: number;
}

/** Main thread → worklet. */
export type CaptureCommand =
  | { type: 'record'; frameSamples?: number }
  /** Stop emitting frames; the partial frame is flushed first, then `paused` with the same id is posted. */
  | { type: 'pause'; id: number }
  /** Forget any partial frame and resampler history. */
  | { type: 'reset' }
  /** Stop processing for good (the node returns false from process()). */
  | { type: 'close' };

/** Worklet → main thread. */
export type CaptureEvent =
  | {
      type: 'frame';
      /** Channel mean at the target rate. */
      mono: Int16Array;
      /** First channel at the target rate (the same buffer contents as `mono` for a mono source). */
      raw: Int16Array;
      /** Index of the frame's first sample in the target-rate stream since the node started. */
      position: number;
      /** Context time (s) at which the last input sample of this frame entered the worklet. */
      contextTime: number;
    }
  | { type: 'paused'; id: number }
  | { type: 'ready'; contextRate: number; latencySamples: number };
