import { useEffect, useRef, useState } from 'react';
import { useT } from '../../i18n';
import { copyText } from './clipboard';

/** A button that copies `text()` and says "Copied" for a moment. */
export function CopyButton({ text, label, className }: { text: () => string; label?: string; className?: string }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  return (
    <button
      type="button"
      className={className ?? 'btn btn-small'}
      aria-label={label ?? t('common.copy')}
      onClick={async (e) => {
        e.stopPropagation();
        const ok = await copyText(text());
        if (!ok) return;
        setCopied(true);
        if (timer.current) clearTimeout(timer.current);
        timer.current = setTimeout(() => setCopied(false), 1500);
      }}
    >
      {copied ? t('common.copied') : t('common.copy')}
    </button>
  );
}
