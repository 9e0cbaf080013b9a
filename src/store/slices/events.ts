import { EventLog, type IncomingEvent } from '../event-log';
import { EventView, defaultEventFilter, type EventFilter } from '../event-view';
import type { GetState, SetState } from './types';

/**
 * Event-log state. `log` and `view` are mutable objects kept outside React's immutability: they are mutated in
 * place by the actions, and `version` is bumped on every change so subscribers re-render. Read rows with
 * `view.row(i)` / `view.length` after subscribing to `version`.
 */
export interface EventsData {
  version: number;
  /** Entries kept (= log.size). */
  size: number;
  /** Entries dropped because of the capacity (= log.dropped). */
  dropped: number;
  capacity: number;
  filter: EventFilter;
  log: EventLog;
  view: EventView;
}

export interface EventsSlice {
  events: EventsData;
  /**
   * Appends a batch of events (call once per animation frame with everything since the last call; see
   * `createEventBatcher`). Audio payloads are stripped, sizes measured, the oldest entries dropped over capacity.
   */
  appendEvents(batch: readonly IncomingEvent[]): void;
  /** Appends one event (prefer batching). */
  appendEvent(event: IncomingEvent): void;
  /** Adds a local `local.gap` marker (e.g. at a reconnect) with a reason. */
  markGap(reason: string, at?: number): void;
  /** Adds a local note (`local.<kind>`, e.g. `local.error`), shown in the log. */
  logLocal(kind: string, data?: Record<string, unknown>, at?: number): void;
  /** Empties the log (and the dropped count). */
  clearEvents(): void;
  /** Merges a filter patch and rebuilds the view. */
  setEventFilter(patch: Partial<EventFilter>): void;
  /** Ticks/unticks one type in the checklist. */
  toggleEventType(type: string, visible?: boolean): void;
  /** Changes the capacity (persisted), dropping the oldest entries if needed. */
  setEventCapacity(capacity: number): void;
}

/** Default log capacity. */
export const DEFAULT_EVENT_CAPACITY = 100_000;

export function initialEvents(capacity = DEFAULT_EVENT_CAPACITY): EventsData {
  const log = new EventLog(capacity);
  const filter = defaultEventFilter();
  return { version: 0, size: 0, dropped: 0, capacity, filter, log, view: new EventView(log, filter) };
}

export function createEventsSlice(set: SetState, get: GetState): EventsSlice {
  const append = (batch: readonly IncomingEvent[]) => {
    if (batch.length === 0) return;
    const { events, connection } = get();
    const { added, dropped } = events.log.append(batch, connection.connectedAt);
    events.view.droppedBatch(dropped);
    for (const e of added) events.view.added(e);
    set({ events: { ...events, version: events.version + 1, size: events.log.size, dropped: events.log.dropped } });
  };
  return {
    events: initialEvents(),
    appendEvents: append,
    appendEvent: (e) => append([e]),
    markGap: (reason, at) => append([{ direction: 'local', event: { type: 'local.gap', reason }, at }]),
    logLocal: (kind, data, at) => append([{ direction: 'local', event: { ...data, type: `local.${kind}` }, at }]),
    clearEvents: () => {
      const { events } = get();
      events.log.clear();
      events.view.rebuild();
      set({ events: { ...events, version: events.version + 1, size: 0, dropped: 0 } });
    },
    setEventFilter: (patch) => {
      const { events } = get();
      const filter = { ...events.filter, ...patch };
      events.view.setFilter(filter);
      set({ events: { ...events, filter, version: events.version + 1 } });
    },
    toggleEventType: (type, visible) => {
      const hidden = new Set(get().events.filter.hiddenTypes);
      const show = visible ?? hidden.has(type);
      if (show) hidden.delete(type);
      else hidden.add(type);
      get().setEventFilter({ hiddenTypes: [...hidden] });
    },
    setEventCapacity: (capacity) => {
      const { events } = get();
      const dropped = events.log.setCapacity(capacity);
      events.view.droppedBatch(dropped);
      set({
        events: { ...events, capacity: events.log.capacity, version: events.version + 1, size: events.log.size, dropped: events.log.dropped },
      });
    },
  };
}
