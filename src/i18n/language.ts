/** UI languages. */
export type Language = 'zh' | 'en';

/** `zh` / `en` from a `?lang=` query string, or null. */
export function languageFromQuery(search: string): Language | null {
  const lang = new URLSearchParams(search).get('lang');
  return lang === 'zh' || lang === 'en' ? lang : null;
}

/** `?lang=zh|en` first, else the browser's language (`zh*` → zh, anything else → en). */
export function detectLanguage(): Language {
  if (typeof window !== 'undefined' && window.location) {
    const q = languageFromQuery(window.location.search);
    if (q) return q;
  }
  const nav = typeof navigator !== 'undefined' ? navigator.language || '' : '';
  return nav.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}
