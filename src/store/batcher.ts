import type { IncomingEvent } from './event-log';
import type { ConsoleStore } from './store';

/** Collects events and appends them to the store once per animation frame (or per `schedule` tick). */
export interface EventBatcher {
  push(event: IncomingEvent): void;
  /** Appends what is pending now. */
  flush(): void;
  /** Flushes and stops scheduling. */
  dispose(): void;
}

type Schedule = (cb: () => void) => () => void;

const rafSchedule: Schedule = (cb) => {
  if (typeof requestAnimationFrame === 'function') {
    const id = requestAnimationFrame(cb);
    return () => cancelAnimationFrame(id);
  }
  const id = setTimeout(cb, 16);
  return () => clearTimeout(id);
};

/** Creates a batcher for `store` (`schedule` defaults to requestAnimationFrame, setTimeout 16 ms without it). */
export function createEventBatcher(store: ConsoleStore, schedule: Schedule = rafSchedule): EventBatcher {
  let pending: IncomingEvent[] = [];
  let cancel: (() => void) | null = null;
  const flush = () => {
    cancel?.();
    cancel = null;
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    store.getState().appendEvents(batch);
  };
  return {
    push(event) {
      pending.push({ ...event, at: event.at ?? Date.now() });
      if (!cancel) cancel = schedule(flush);
    },
    flush,
    dispose() {
      flush();
    },
  };
}
