// A level meter drawn on a canvas in requestAnimationFrame from the transient level source: audio-rate values
// never go through React state.
import { useEffect, useRef } from 'react';
import { readLevels, type Levels } from '../../store';

const SEGMENTS = 24;

/** Segmented meter for `which` (0..1). `role="meter"`, its value updated at most ~10 times a second. */
export function LevelCanvas({ which, label, read = readLevels }: { which: keyof Levels; label: string; read?: () => Levels }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = canvas.current;
    if (!el || typeof requestAnimationFrame !== 'function' || /jsdom/i.test(navigator.userAgent)) return;
    const ctx = el.getContext('2d');
    if (!ctx) return;
    let id = 0;
    let shown = 0;
    let frame = 0;
    const style = getComputedStyle(el);
    const colors = {
      off: style.getPropertyValue('--meter-off').trim() || '#3334',
      low: style.getPropertyValue('--meter-low').trim() || '#2fb46e',
      mid: style.getPropertyValue('--meter-mid').trim() || '#e0b030',
      high: style.getPropertyValue('--meter-high').trim() || '#e5484d',
    };
    const draw = () => {
      const v = Math.max(0, Math.min(1, read()[which] || 0));
      // Fast attack, slow release, like a hardware meter.
      shown = v > shown ? v : shown * 0.9 + v * 0.1;
      const dpr = window.devicePixelRatio || 1;
      const w = el.clientWidth * dpr;
      const h = el.clientHeight * dpr;
      if (el.width !== w || el.height !== h) {
        el.width = w;
        el.height = h;
      }
      ctx.clearRect(0, 0, w, h);
      const gap = 2 * dpr;
      const segW = (w - gap * (SEGMENTS - 1)) / SEGMENTS;
      const lit = Math.round(shown * SEGMENTS);
      for (let i = 0; i < SEGMENTS; i++) {
        ctx.fillStyle = i >= lit ? colors.off : i > SEGMENTS * 0.85 ? colors.high : i > SEGMENTS * 0.65 ? colors.mid : colors.low;
        ctx.fillRect(i * (segW + gap), 0, segW, h);
      }
      if (++frame % 6 === 0) host.current?.setAttribute('aria-valuenow', String(Math.round(shown * 100)));
      id = requestAnimationFrame(draw);
    };
    id = requestAnimationFrame(draw);
    return () => cancelAnimationFrame(id);
  }, [which, read]);
  return (
    <div ref={host} className="level-canvas" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={0}>
      <canvas ref={canvas} aria-hidden="true" />
    </div>
  );
}
