// A level meter that polls the transient level source every animation frame and writes the DOM directly:
// audio-rate values never go through React state.
import { useEffect, useRef } from 'react';
import { readLevels, type Levels } from '../../store/transient';

/** A horizontal bar for `which` level (0..1), updated in requestAnimationFrame. */
export function LevelMeter({ which, label, read = readLevels }: { which: keyof Levels; label: string; read?: () => Levels }) {
  const bar = useRef<HTMLDivElement>(null);
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (typeof requestAnimationFrame !== 'function') return;
    let id = 0;
    let lastPct = -1;
    const tick = () => {
      const v = Math.max(0, Math.min(1, read()[which] || 0));
      const pct = Math.round(v * 100);
      if (pct !== lastPct && bar.current && host.current) {
        lastPct = pct;
        bar.current.style.transform = `scaleX(${v})`;
        host.current.setAttribute('aria-valuenow', String(pct));
      }
      id = requestAnimationFrame(tick);
    };
    id = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(id);
  }, [which, read]);
  return (
    <div ref={host} className="level-meter" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={0}>
      <div ref={bar} className="level-meter-bar" style={{ transform: 'scaleX(0)', transformOrigin: 'left' }} />
    </div>
  );
}
