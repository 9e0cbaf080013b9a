/**
 * A small typed event emitter whose listeners are isolated from each other: a listener that throws or returns a
 * rejected promise is reported through `onListenerError` and never stops the remaining listeners.
 */

/** A listener for payload `P`. It may be async; its rejection is caught and reported. */
export type Listener<P> = (payload: P) => void | Promise<unknown>;

/** Called when a listener throws or rejects. */
export type ListenerErrorHandler = (error: unknown, eventName: string) => void;

/** Typed emitter over an event map `{ name: payload }`. */
export class Emitter<M extends object> {
  private readonly listeners = new Map<keyof M, Set<Listener<never>>>();
  private readonly onListenerError: ListenerErrorHandler;

  constructor(onListenerError: ListenerErrorHandler = () => {}) {
    this.onListenerError = onListenerError;
  }

  /** Registers `listener` for `name`; returns the listener (as the reference client does). */
  on<K extends keyof M>(name: K, listener: Listener<M[K]>): Listener<M[K]> {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(listener as Listener<never>);
    return listener;
  }

  /** Registers a listener that runs at most once; returns a function that removes it. */
  once<K extends keyof M>(name: K, listener: Listener<M[K]>): () => void {
    const wrapped: Listener<M[K]> = (payload) => {
      this.off(name, wrapped);
      return listener(payload);
    };
    this.on(name, wrapped);
    return () => this.off(name, wrapped);
  }

  /** Removes one listener, or every listener of `name` when `listener` is omitted. Unknown listeners are ignored. */
  off<K extends keyof M>(name: K, listener?: Listener<M[K]>): void {
    if (!listener) {
      this.listeners.delete(name);
      return;
    }
    const set = this.listeners.get(name);
    if (!set) return;
    set.delete(listener as Listener<never>);
    if (set.size === 0) this.listeners.delete(name);
  }

  /** Removes every listener of every event. */
  clear(): void {
    this.listeners.clear();
  }

  /** Number of listeners for `name` (used by tests to prove helpers clean up). */
  listenerCount<K extends keyof M>(name: K): number {
    return this.listeners.get(name)?.size ?? 0;
  }

  /** True when at least one listener is registered for `name` (lets callers skip building payloads). */
  has<K extends keyof M>(name: K): boolean {
    return this.listenerCount(name) > 0;
  }

  /** Calls every listener of `name` with `payload`, isolating each one. */
  emit<K extends keyof M>(name: K, payload: M[K]): void {
    const set = this.listeners.get(name);
    if (!set || set.size === 0) return;
    // Copy so that listeners removing themselves (once) do not disturb the iteration.
    for (const listener of [...set]) {
      try {
        const result = (listener as Listener<M[K]>)(payload);
        if (result && typeof (result as Promise<unknown>).then === 'function') {
          (result as Promise<unknown>).then(undefined, (err: unknown) => this.report(err, String(name)));
        }
      } catch (err) {
        this.report(err, String(name));
      }
    }
  }

  private report(error: unknown, eventName: string): void {
    try {
      this.onListenerError(error, eventName);
    } catch {
      // The error reporter itself failed: nothing sensible is left to do, and throwing would break the emitter.
    }
  }
}
