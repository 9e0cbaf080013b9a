/**
 * Reconnect policy and driver: exponential backoff with jitter, an injectable policy (how many attempts, which
 * closes are worth retrying) and an injectable clock, so the state machine (reconnecting → open | closed) can be
 * tested without waiting. Framework-free: the session bridge owns one per drop.
 */

import type { ConnectionError } from './errors';
import type { CloseInfo } from './transport';

/** When and how often to try again. */
export interface ReconnectPolicy {
  /** Attempts after a drop before giving up (0 = never reconnect). */
  maxAttempts: number;
  /** Delay before the first attempt, ms; doubles per attempt. */
  baseDelayMs: number;
  /** Upper bound of a delay, ms. */
  maxDelayMs: number;
  /** Share of the delay that is random, 0..1 (0.5: the delay is between 50% and 100% of the backoff). */
  jitter: number;
  /** Whether this close is worth a reconnect at all. */
  shouldReconnect(close: CloseInfo): boolean;
}

/** Close codes that mean "the key, the Origin or the request is wrong": retrying cannot help. */
const FINAL_CLOSE_CODES = new Set([1002, 1003, 1007, 1008, 1009, 4401, 4403]);
/** Failure reasons of a connect attempt that end the reconnect cycle. */
const FINAL_REASONS = new Set(['unauthorized', 'forbidden', 'bad_model', 'insecure_browser_key', 'no_websocket', 'aborted']);

/**
 * The default rule: reconnect after a drop (1006, no close frame), a server going away (1001), an internal
 * error (1011–1014) or an upstream failure of the relay (4502, 4504, 4429); never after a close this client asked
 * for (no error), an auth failure (4401, 1008 / `invalid_api_key`), a refused Origin or an oversized frame.
 */
export function shouldReconnectByDefault(close: CloseInfo): boolean {
  if (!close.error) return false; // a disconnect the user asked for
  if (FINAL_CLOSE_CODES.has(close.code)) return false;
  if (FINAL_REASONS.has(close.error.reason)) return false;
  return true;
}

/** True when a failed reconnect attempt should end the cycle (auth or configuration errors). */
export function isFinalConnectError(error: unknown): boolean {
  const reason = (error as Partial<ConnectionError> | null)?.reason;
  if (typeof reason === 'string' && FINAL_REASONS.has(reason)) return true;
  const code = (error as Partial<ConnectionError> | null)?.code;
  return typeof code === 'number' && FINAL_CLOSE_CODES.has(code);
}

/** The default policy: 8 attempts, 500 ms doubling to 15 s, 50% jitter, {@link shouldReconnectByDefault}. */
export const DEFAULT_RECONNECT_POLICY: Readonly<ReconnectPolicy> = Object.freeze({
  maxAttempts: 8,
  baseDelayMs: 500,
  maxDelayMs: 15_000,
  jitter: 0.5,
  shouldReconnect: shouldReconnectByDefault,
});

/**
 * Delay before attempt `attempt` (1-based): `min(maxDelay, base · 2^(attempt-1))`, of which the share `jitter` is
 * random (`random()` in [0, 1)). Always within [backoff·(1-jitter), backoff].
 */
export function backoffDelay(attempt: number, policy: Pick<ReconnectPolicy, 'baseDelayMs' | 'maxDelayMs' | 'jitter'>, random: () => number = Math.random): number {
  const n = Math.max(1, Math.floor(attempt));
  const base = Math.max(0, policy.baseDelayMs);
  const cap = Math.max(base, policy.maxDelayMs);
  const backoff = Math.min(cap, base * 2 ** Math.min(n - 1, 30));
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(backoff * (1 - jitter * r));
}

/** What the reconnector reports. */
export type ReconnectEvent =
  /** Waiting `delayMs` before attempt `attempt` of `maxAttempts`. */
  | { type: 'scheduled'; attempt: number; maxAttempts: number; delayMs: number; at: number }
  /** Attempt `attempt` is running. */
  | { type: 'attempt'; attempt: number; maxAttempts: number }
  /** Attempt `attempt` failed with `error` (another one follows unless `final`). */
  | { type: 'failed'; attempt: number; error: unknown; final: boolean }
  /** Connected again after `attempt` attempts. */
  | { type: 'connected'; attempt: number }
  /** The cycle ended without a connection: attempts exhausted, a final error, or cancelled. */
  | { type: 'gave_up'; attempts: number; why: 'exhausted' | 'final_error' | 'cancelled' };

/** Options of {@link Reconnector}. */
export interface ReconnectorOptions {
  policy?: Partial<ReconnectPolicy>;
  /** One attempt: resolves when usable again, rejects otherwise. `signal` aborts on cancel. */
  connect: (attempt: number, signal: AbortSignal) => Promise<void>;
  /** Progress (isolated: a throwing listener does not break the cycle). */
  onEvent?: (event: ReconnectEvent) => void;
  /** Random source for the jitter (tests pass a fixed one). */
  random?: () => number;
  /** Timer functions (tests may pass fake ones). */
  setTimer?: (cb: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  now?: () => number;
}

/** Fills a partial policy with the defaults. */
export function resolveReconnectPolicy(policy: Partial<ReconnectPolicy> = {}): ReconnectPolicy {
  return { ...DEFAULT_RECONNECT_POLICY, ...policy };
}

/**
 * Runs one reconnect cycle after a drop: wait (backoff with jitter), attempt, repeat until connected, out of
 * attempts, a final error, or {@link cancel}. One instance per cycle; it owns its timer and abort controller.
 */
export class Reconnector {
  readonly policy: ReconnectPolicy;
  private readonly opts: ReconnectorOptions;
  private timer: unknown = null;
  private controller: AbortController | null = null;
  private attempt = 0;
  private state: 'idle' | 'waiting' | 'attempting' | 'done' = 'idle';
  private settle: ((ok: boolean) => void) | null = null;

  constructor(opts: ReconnectorOptions) {
    this.opts = opts;
    this.policy = resolveReconnectPolicy(opts.policy);
  }

  /** True until the cycle ends. */
  get active(): boolean {
    return this.state === 'waiting' || this.state === 'attempting';
  }

  /** The current (or last) attempt number. */
  get attempts(): number {
    return this.attempt;
  }

  /**
   * Starts the cycle for `close` if the policy allows it. Resolves true once connected, false when it gave up or
   * was cancelled — or at once (false) when the policy declines this close.
   */
  start(close: CloseInfo): Promise<boolean> {
    if (this.state !== 'idle') return Promise.resolve(false);
    if (this.policy.maxAttempts <= 0 || !this.policy.shouldReconnect(close)) {
      this.state = 'done';
      return Promise.resolve(false);
    }
    return new Promise<boolean>((resolve) => {
      this.settle = resolve;
      this.schedule();
    });
  }

  /** Stops the cycle (a pending attempt is aborted through its signal). */
  cancel(): void {
    if (!this.active) return;
    this.finish({ type: 'gave_up', attempts: this.attempt, why: 'cancelled' }, false);
  }

  private emit(event: ReconnectEvent): void {
    try {
      this.opts.onEvent?.(event);
    } catch {
      // a failing listener must not stop the cycle
    }
  }

  private schedule(): void {
    if (this.attempt >= this.policy.maxAttempts) {
      this.finish({ type: 'gave_up', attempts: this.attempt, why: 'exhausted' }, false);
      return;
    }
    const attempt = this.attempt + 1;
    const delayMs = backoffDelay(attempt, this.policy, this.opts.random);
    const now = this.opts.now?.() ?? Date.now();
    this.state = 'waiting';
    this.emit({ type: 'scheduled', attempt, maxAttempts: this.policy.maxAttempts, delayMs, at: now + delayMs });
    const set = this.opts.setTimer ?? ((cb: () => void, ms: number) => setTimeout(cb, ms));
    this.timer = set(() => {
      this.timer = null;
      void this.run(attempt);
    }, delayMs);
  }

  private async run(attempt: number): Promise<void> {
    if (this.state !== 'waiting') return;
    this.attempt = attempt;
    this.state = 'attempting';
    const controller = new AbortController();
    this.controller = controller;
    this.emit({ type: 'attempt', attempt, maxAttempts: this.policy.maxAttempts });
    try {
      await this.opts.connect(attempt, controller.signal);
    } catch (error) {
      if (controller.signal.aborted || this.state !== 'attempting') return; // cancelled meanwhile
      this.controller = null;
      const final = isFinalConnectError(error);
      this.emit({ type: 'failed', attempt, error, final });
      if (final) this.finish({ type: 'gave_up', attempts: attempt, why: 'final_error' }, false);
      else this.schedule();
      return;
    }
    if (controller.signal.aborted || this.state !== 'attempting') return;
    this.controller = null;
    this.finish({ type: 'connected', attempt }, true);
  }

  private finish(event: ReconnectEvent, ok: boolean): void {
    this.state = 'done';
    if (this.timer !== null) (this.opts.clearTimer ?? ((h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>)))(this.timer);
    this.timer = null;
    this.controller?.abort();
    this.controller = null;
    this.emit(event);
    const settle = this.settle;
    this.settle = null;
    settle?.(ok);
  }
}
