// Records the events a third-party client receives and waits, event-driven, for the n-th of a type.

/** Any event with a type. */
export type TypedEvent = { type: string; [key: string]: unknown };

/** A list of received events plus a waiter for the n-th event of a type. */
export interface EventRecorder {
  events: TypedEvent[];
  /** Call for every received event. */
  record(event: TypedEvent): void;
  /** Resolves with the `count`-th event of `type` (already received or future); rejects after `timeoutMs`. */
  waitFor(type: string, count?: number, timeoutMs?: number): Promise<TypedEvent>;
}

/** Creates an empty recorder. */
export function createEventRecorder(): EventRecorder {
  const events: TypedEvent[] = [];
  const waiters = new Set<() => void>();
  return {
    events,
    record(event) {
      events.push(event);
      for (const w of [...waiters]) w();
    },
    waitFor(type, count = 1, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const hits = events.filter((e) => e.type === type);
          if (hits.length >= count) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(hits[count - 1]);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${type} #${count} within ${timeoutMs} ms; got ${events.map((e) => e.type).join(', ')}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}
