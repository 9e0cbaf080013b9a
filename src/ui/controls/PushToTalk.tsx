// The push-to-talk button: pointer events with pointer capture (mouse, pen and touch), plus Enter/Space while
// focused. Space held anywhere outside a text field is handled by the app's shortcuts.
import { useRef, type PointerEvent } from 'react';
import { useT } from '../../i18n';
import { useConsoleStore } from '../../store';
import { useBridge } from '../../app/context';

/** `data-testid="ptt"`; `aria-pressed` while held. Disabled unless connected in manual mode. */
export function PushToTalk() {
  const t = useT();
  const bridge = useBridge();
  const active = useConsoleStore((s) => s.audio.pttActive);
  const open = useConsoleStore((s) => s.connection.state === 'open');
  const manual = useConsoleStore((s) => s.session.requested.turnDetection.mode === 'manual');
  const holding = useRef(false);
  const start = () => {
    if (holding.current) return;
    holding.current = true;
    bridge.pttStart();
  };
  const end = () => {
    if (!holding.current) return;
    holding.current = false;
    void bridge.pttEnd();
  };
  const onPointerDown = (e: PointerEvent<HTMLButtonElement>) => {
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    e.preventDefault();
    try {
      e.currentTarget.setPointerCapture(e.pointerId);
    } catch {
      // capture can fail for synthetic pointers; release still arrives on this element
    }
    start();
  };
  return (
    <button
      type="button"
      data-testid="ptt"
      className={`btn ptt ${active ? 'is-active' : ''}`}
      aria-pressed={active}
      aria-keyshortcuts="Space"
      disabled={!open || !manual}
      onPointerDown={onPointerDown}
      onPointerUp={end}
      onPointerCancel={end}
      onLostPointerCapture={end}
      onContextMenu={(e) => e.preventDefault()}
      onKeyDown={(e) => {
        if ((e.key === 'Enter' || e.key === ' ') && !e.repeat) {
          e.preventDefault();
          e.stopPropagation();
          start();
        }
      }}
      onKeyUp={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          e.stopPropagation();
          end();
        }
      }}
      onBlur={end}
    >
      <span className="ptt-icon" aria-hidden="true">
        ●
      </span>
      {active ? t('controls.ptt.release') : t('action.ptt')}
    </button>
  );
}
