/**
 * Globals of the AudioWorkletGlobalScope, which the DOM lib does not declare.
 * Only the worklet modules (*.worklet.ts) may use them.
 */
declare abstract class AudioWorkletProcessor {
  readonly port: MessagePort;
  constructor(options?: AudioWorkletNodeOptions);
  abstract process(inputs: Float32Array[][], outputs: Float32Array[][], parameters: Record<string, Float32Array>): boolean;
}

declare function registerProcessor(name: string, ctor: new (options?: AudioWorkletNodeOptions) => AudioWorkletProcessor): void;

/** The context's sample rate, inside a worklet. */
declare const sampleRate: number;
/** The context's current frame, inside a worklet. */
declare const currentFrame: number;
/** The context's current time in seconds, inside a worklet. */
declare const currentTime: number;
