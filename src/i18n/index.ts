// i18n: typed dictionaries, a pure `translate`, and the `useT()` hook that follows `ui.language`.
import { useCallback } from 'react';
import { useConsoleStore } from '../store/store';
import { en, type MessageKey } from './en';
import { zh } from './zh';
import type { Language } from './language';

export { en, zh };
export type { MessageKey };
export * from './language';

/** Dictionaries by language. */
export const DICTIONARIES: Readonly<Record<Language, { readonly [K in MessageKey]: string }>> = { en, zh };

/** Values substituted for `{name}` placeholders. */
export type MessageVars = Record<string, string | number>;

/** The message `key` in `language` with `{name}` placeholders replaced (unknown placeholders stay as written). */
export function translate(language: Language, key: MessageKey, vars?: MessageVars): string {
  const text = DICTIONARIES[language][key] ?? en[key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** A bound translate function. */
export type TFunction = (key: MessageKey, vars?: MessageVars) => string;

/** `const t = useT(); t('events.title')` in the store's current language. */
export function useT(): TFunction {
  const language = useConsoleStore((s) => s.ui.language);
  return useCallback((key: MessageKey, vars?: MessageVars) => translate(language, key, vars), [language]);
}
