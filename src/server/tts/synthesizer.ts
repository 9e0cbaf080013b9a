/**
 * The offline speech synthesiser: eSpeak NG in a worker thread, with a bounded LRU cache of replies.
 *
 * eSpeak NG is GPL-3.0 and an optional dependency, so it is only ever loaded at run time inside the
 * worker; when it is missing the synthesiser resolves with `available: false` and a reason instead
 * of failing, and the emulator replies with text only.
 */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeWav } from '../../lib/dsp/wav';
import { LruCache } from './lru';
import type { SynthesisRequest, SynthesisResult, Synthesizer } from './types';
import type { WorkerAnswer, WorkerJob, WorkerStartData, WorkerToMain } from './worker-protocol';

/** Thrown by `synthesize` for a request that cannot be spoken, or when the engine is unavailable. */
export class SynthesisError extends Error {
  override name = 'SynthesisError';
}

/** Options of {@link createSynthesizer}; every field has a sensible default. */
export interface SynthesizerOptions {
  /** Module specifier of the engine. Default `espeak-ng`. */
  engine?: string;
  /** Most cached replies. Default 256. */
  cacheEntries?: number;
  /** Most cached audio in bytes. Default 32 MiB. */
  cacheBytes?: number;
  /** Longest accepted text in characters. Default 4000. */
  maxTextLength?: number;
  /** Per-request limit in ms, including the time queued behind other requests. Default 30 000. */
  timeoutMs?: number;
  /** Longest wait for the worker to start and load the engine. Default 20 000 ms. */
  startTimeoutMs?: number;
}

/** Counters for tests and benchmarks. */
export interface SynthesizerStats {
  /** Replies served from the cache. */
  cacheHits: number;
  /** Replies that ran the engine. */
  syntheses: number;
  /** `threadId` of the worker that ran the last synthesis (never 0, the main thread). */
  lastThreadId: number | null;
  cachedEntries: number;
  cachedBytes: number;
}

interface Pending {
  resolve: (result: SynthesisResult) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** File name of the worker, next to this module in the source tree and next to the server bundle. */
export const WORKER_FILE_NAME = 'espeak.worker.mjs';

/**
 * Where the worker's code is. The worker is plain JavaScript (Node 20 runs no loader hooks in worker
 * threads), so the same file serves the source tree and, copied by the server build, dist-server/.
 */
function workerEntry(): URL {
  // A variable name keeps bundlers from treating `new URL(literal, import.meta.url)` as an asset.
  const name = WORKER_FILE_NAME;
  return new URL(name, import.meta.url);
}

function cacheKey(request: SynthesisRequest): string {
  return JSON.stringify([request.voice, request.pitch ?? null, request.wordsPerMinute ?? null, request.text]);
}

class EspeakSynthesizer implements Synthesizer {
  available = false;
  unavailableReason: string | null = null;
  readonly stats: SynthesizerStats = { cacheHits: 0, syntheses: 0, lastThreadId: null, cachedEntries: 0, cachedBytes: 0 };
  readonly #cache: LruCache<string, SynthesisResult>;
  readonly #inFlight = new Map<string, Promise<SynthesisResult>>();
  readonly #pending = new Map<number, Pending>();
  #worker: Worker | null = null;
  #nextId = 1;
  #closed = false;

  constructor(private readonly options: Required<SynthesizerOptions>) {
    this.#cache = new LruCache(options.cacheEntries, options.cacheBytes, (r) => r.samples.byteLength);
  }

  /** Starts the worker and waits for its ready message; never rejects. */
  async start(): Promise<void> {
    const entry = workerEntry();
    if (!existsSync(entry)) {
      this.#markUnavailable(`speech worker file missing: ${fileURLToPath(entry)}`);
      return;
    }
    const workerData: WorkerStartData = { engine: this.options.engine };
    const worker = new Worker(entry, { workerData, stdout: false, stderr: false });
    this.#worker = worker;
    worker.unref(); // an idle synthesiser never keeps the process alive
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.#markUnavailable('speech worker did not start in time');
        void this.#stopWorker();
        resolve();
      }, this.options.startTimeoutMs);
      worker.once('message', (message: WorkerToMain) => {
        clearTimeout(timer);
        if (message.type === 'ready' && message.available) {
          this.available = true;
          worker.on('message', (answer: WorkerToMain) => this.#onAnswer(answer));
        } else {
          this.#markUnavailable(message.type === 'ready' ? message.reason : 'unexpected message from speech worker');
          void this.#stopWorker();
        }
        resolve();
      });
      worker.on('error', (error) => {
        clearTimeout(timer);
        this.#markUnavailable(`speech worker failed: ${error.message.split('\n')[0]}`);
        this.#rejectAll(new SynthesisError(this.unavailableReason ?? 'speech worker failed'));
        resolve();
      });
      worker.on('exit', (code) => {
        clearTimeout(timer);
        if (this.#worker === worker) this.#worker = null;
        if (!this.#closed && this.available) this.#markUnavailable(`speech worker exited with code ${code}`);
        this.#rejectAll(new SynthesisError(this.unavailableReason ?? 'speech worker stopped'));
        resolve();
      });
    });
  }

  synthesize(request: SynthesisRequest): Promise<SynthesisResult> {
    if (this.#closed) return Promise.reject(new SynthesisError('synthesiser is closed'));
    if (!this.available) return Promise.reject(new SynthesisError(this.unavailableReason ?? 'speech engine unavailable'));
    if (typeof request?.text !== 'string' || typeof request.voice !== 'string') {
      return Promise.reject(new SynthesisError('a request needs text and voice strings'));
    }
    if (request.text.trim() === '') return Promise.reject(new SynthesisError('nothing to say: text is empty'));
    if (request.text.length > this.options.maxTextLength) {
      return Promise.reject(new SynthesisError(`text longer than ${this.options.maxTextLength} characters`));
    }
    const key = cacheKey(request);
    const cached = this.#cache.get(key);
    if (cached) {
      this.stats.cacheHits++;
      return Promise.resolve(copy(cached));
    }
    let flight = this.#inFlight.get(key);
    if (!flight) {
      flight = this.#run(request).then(
        (result) => {
          this.#cache.set(key, result);
          this.#updateCacheStats();
          this.#inFlight.delete(key);
          return result;
        },
        (error: unknown) => {
          this.#inFlight.delete(key);
          throw error;
        },
      );
      this.#inFlight.set(key, flight);
    } else {
      this.stats.cacheHits++;
    }
    return flight.then(copy);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.available = false;
    this.unavailableReason ??= 'synthesiser is closed';
    this.#rejectAll(new SynthesisError('synthesiser is closed'));
    this.#cache.clear();
    this.#updateCacheStats();
    await this.#stopWorker();
  }

  #run(request: SynthesisRequest): Promise<SynthesisResult> {
    const worker = this.#worker;
    if (!worker) return Promise.reject(new SynthesisError(this.unavailableReason ?? 'speech worker not running'));
    const id = this.#nextId++;
    return new Promise<SynthesisResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new SynthesisError(`synthesis took longer than ${this.options.timeoutMs} ms`));
      }, this.options.timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      const job: WorkerJob = {
        type: 'synthesize',
        id,
        request: { text: request.text, voice: request.voice, pitch: request.pitch, wordsPerMinute: request.wordsPerMinute },
      };
      worker.ref(); // keep the process alive while a job is outstanding
      worker.postMessage(job);
    });
  }

  #onAnswer(answer: WorkerToMain): void {
    if (answer.type === 'ready') return;
    const pending = this.#pending.get(answer.id);
    if (!pending) return;
    this.#pending.delete(answer.id);
    clearTimeout(pending.timer);
    if (this.#pending.size === 0) this.#worker?.unref();
    settle(answer, pending, this.stats);
  }

  #markUnavailable(reason: string | null): void {
    this.available = false;
    this.unavailableReason = reason ?? 'speech engine unavailable';
  }

  #rejectAll(error: Error): void {
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer);
      pending.reject(error);
      this.#pending.delete(id);
    }
  }

  #updateCacheStats(): void {
    this.stats.cachedEntries = this.#cache.size;
    this.stats.cachedBytes = this.#cache.totalSize;
  }

  async #stopWorker(): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    if (worker) await worker.terminate();
  }
}

function settle(answer: WorkerAnswer, pending: Pending, stats: SynthesizerStats): void {
  if (answer.type === 'error') {
    pending.reject(new SynthesisError(answer.message));
    return;
  }
  try {
    const decoded = decodeWav(answer.wav);
    stats.syntheses++;
    stats.lastThreadId = answer.threadId;
    pending.resolve({ samples: decoded.samples, sampleRate: decoded.sampleRate });
  } catch (error) {
    pending.reject(new SynthesisError(`speech engine wrote an unreadable WAV: ${(error as Error).message}`));
  }
}

/** Callers get their own copy, so nobody can alter (or transfer away) the cached samples. */
function copy(result: SynthesisResult): SynthesisResult {
  return { samples: result.samples.slice(), sampleRate: result.sampleRate };
}

/** The synthesiser type returned by {@link createSynthesizer}, with its counters. */
export type OfflineSynthesizer = Synthesizer & { readonly stats: SynthesizerStats };

/**
 * Starts the offline synthesiser (eSpeak NG, 22 050 Hz mono) in a worker thread. Never rejects:
 * when the engine or the worker cannot load, the result has `available: false` and a reason.
 * The caller owns it and must `close()` it.
 */
export async function createSynthesizer(options: SynthesizerOptions = {}): Promise<OfflineSynthesizer> {
  const synthesizer = new EspeakSynthesizer({
    engine: options.engine ?? 'espeak-ng',
    cacheEntries: options.cacheEntries ?? 256,
    cacheBytes: options.cacheBytes ?? 32 * 1024 * 1024,
    maxTextLength: options.maxTextLength ?? 4000,
    timeoutMs: options.timeoutMs ?? 30_000,
    startTimeoutMs: options.startTimeoutMs ?? 20_000,
  });
  await synthesizer.start();
  return synthesizer;
}
