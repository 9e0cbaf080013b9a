/** Event-driven waiting with a timeout and an AbortSignal; listeners are always removed. */

import type { Emitter } from './emitter';
import { WaitAbortedError, WaitTimeoutError } from './errors';

/** Options of a wait. */
export interface WaitOptions {
  /** Give up after this many ms (default: no timeout). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Resolves with the next payload of `name` that passes `filter`. Rejects with {@link WaitTimeoutError} (or
 * `onTimeout()`), {@link WaitAbortedError}, or whatever `failOn` returns for an event that ends the wait.
 */
export function waitForEvent<M extends object, K extends keyof M>(
  emitter: Emitter<M>,
  name: K,
  opts: WaitOptions & {
    filter?: (payload: M[K]) => boolean;
    onTimeout?: () => Error;
    failOn?: { [F in keyof M]?: (payload: M[F]) => Error | null };
  } = {},
): Promise<M[K]> {
  return new Promise<M[K]>((resolve, reject) => {
    const { signal, timeoutMs } = opts;
    if (signal?.aborted) {
      reject(new WaitAbortedError(`wait for ${String(name)} aborted`));
      return;
    }
    const removers: (() => void)[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = () => {
      if (timer !== undefined) clearTimeout(timer);
      for (const r of removers) r();
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      done();
      reject(new WaitAbortedError(`wait for ${String(name)} aborted`));
    };
    const listener = (payload: M[K]) => {
      if (opts.filter && !opts.filter(payload)) return;
      done();
      resolve(payload);
    };
    emitter.on(name, listener);
    removers.push(() => emitter.off(name, listener));
    for (const key of Object.keys(opts.failOn ?? {}) as (keyof M)[]) {
      const check = opts.failOn![key]!;
      const l = (payload: M[typeof key]) => {
        const err = check(payload);
        if (!err) return;
        done();
        reject(err);
      };
      emitter.on(key, l);
      removers.push(() => emitter.off(key, l));
    }
    signal?.addEventListener('abort', onAbort);
    if (timeoutMs !== undefined && timeoutMs >= 0 && Number.isFinite(timeoutMs)) {
      timer = setTimeout(() => {
        done();
        reject(opts.onTimeout ? opts.onTimeout() : new WaitTimeoutError(`no ${String(name)} within ${timeoutMs} ms`));
      }, timeoutMs);
    }
  });
}
