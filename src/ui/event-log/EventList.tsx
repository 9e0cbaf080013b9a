// The virtualised list. Rows come from the store's EventView (mutable, read after subscribing to `version`).
// It follows the newest row while the user is at the bottom, stops when they scroll up, and resumes at the bottom.
import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import { useVirtualizer, type Rect } from '@tanstack/react-virtual';
import { useT } from '../../i18n';
import { useConsoleStore } from '../../store/store';
import { EventRow } from './EventRow';

/** Estimated collapsed row height, px. */
const ROW_HEIGHT = 28;
/** Distance from the bottom, px, that still counts as "at the bottom". */
const BOTTOM_SLACK = 32;

/** Props of {@link EventList}. */
export interface EventListProps {
  /**
   * A fixed viewport size instead of measuring the element (for environments without layout, e.g. jsdom tests).
   * Rows then keep their estimated height.
   */
  viewportRect?: Rect;
}

/** The virtualised event rows. */
export function EventList({ viewportRect }: EventListProps) {
  const t = useT();
  const version = useConsoleStore((s) => s.events.version);
  const view = useConsoleStore((s) => s.events.view);
  const count = view.length;
  const scrollRef = useRef<HTMLDivElement>(null);
  const follow = useRef(true);
  const [following, setFollowing] = useState(true);
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(() => new Set());

  // A stable key function: the virtualizer recomputes every row's offset whenever this identity changes.
  const getItemKey = useCallback((i: number) => view.row(i)?.first.seq ?? -i, [view]);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey,
    ...(viewportRect
      ? {
          initialRect: viewportRect,
          observeElementRect: (_instance: unknown, cb: (rect: Rect) => void) => {
            cb(viewportRect);
            return () => undefined;
          },
        }
      : {}),
  });

  const onToggle = useCallback((seq: number) => {
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(seq)) next.delete(seq);
      else next.add(seq);
      return next;
    });
  }, []);

  const onScroll = useCallback(() => {
    const el = scrollRef.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK;
    if (atBottom !== follow.current) {
      follow.current = atBottom;
      setFollowing(atBottom);
    }
  }, []);

  const jumpToLatest = useCallback(() => {
    follow.current = true;
    setFollowing(true);
    if (count > 0) virtualizer.scrollToIndex(count - 1, { align: 'end' });
  }, [count, virtualizer]);

  useLayoutEffect(() => {
    // Following: a plain scrollTop write (the browser clamps it), no layout read and no scroll-state machine per frame.
    const el = scrollRef.current;
    if (follow.current && count > 0 && el) el.scrollTop = virtualizer.getTotalSize();
  }, [version, count, virtualizer]);

  const items = virtualizer.getVirtualItems();
  return (
    <div className="event-list-wrap">
      <div
        ref={scrollRef}
        className="event-list"
        role="list"
        aria-label={t('events.list')}
        aria-busy={false}
        tabIndex={0}
        onScroll={onScroll}
        data-following={following ? 'true' : 'false'}
        style={viewportRect ? { height: viewportRect.height, overflow: 'auto' } : undefined}
      >
        {count === 0 ? (
          <p className="event-list-empty">{t('events.empty')}</p>
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative', width: '100%' }}>
            {items.map((vi) => {
              const row = view.row(vi.index);
              if (!row) return null;
              return (
                <div
                  key={vi.key}
                  data-index={vi.index}
                  ref={viewportRect ? undefined : virtualizer.measureElement}
                  style={{ position: 'absolute', top: 0, left: 0, width: '100%', transform: `translateY(${vi.start}px)` }}
                >
                  <EventRow row={row} expanded={expanded.has(row.first.seq)} onToggle={onToggle} />
                </div>
              );
            })}
          </div>
        )}
      </div>
      {!following && count > 0 && (
        <button type="button" className="btn btn-small event-list-jump" onClick={jumpToLatest}>
          {t('events.jumpLatest')}
        </button>
      )}
    </div>
  );
}
