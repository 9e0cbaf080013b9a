/**
 * Messages between the synthesiser (main thread) and its eSpeak NG worker thread.
 * The worker (espeak.worker.mjs, plain JavaScript) follows these shapes; this module is type-only.
 */
import type { SynthesisRequest } from './types';

/** Data handed to the worker when it starts. */
export interface WorkerStartData {
  /** Module specifier of the engine (`espeak-ng`; tests pass a missing one to exercise unavailability). */
  engine: string;
}

/** Worker → main: sent once after start-up. */
export interface WorkerReady {
  type: 'ready';
  available: boolean;
  reason: string | null;
}

/** Main → worker: speak one request. */
export interface WorkerJob {
  type: 'synthesize';
  id: number;
  request: SynthesisRequest;
}

/** Worker → main: the answer to one job. `wav` (a WAV file) is transferred, not copied. */
export type WorkerAnswer =
  | { type: 'result'; id: number; wav: Uint8Array; threadId: number }
  | { type: 'error'; id: number; message: string };

export type WorkerToMain = WorkerReady | WorkerAnswer;
