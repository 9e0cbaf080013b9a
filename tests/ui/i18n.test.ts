import { describe, expect, test } from 'vitest';
import { en, zh, translate, languageFromQuery, type MessageKey } from '../../src/i18n';

describe('i18n', () => {
  test('zh has exactly the keys of en, and no empty or untranslated-looking entries', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const k of Object.keys(en) as MessageKey[]) {
      expect(en[k].length, k).toBeGreaterThan(0);
      expect(zh[k].length, k).toBeGreaterThan(0);
    }
  });

  test('placeholders match between the languages', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const k of Object.keys(en) as MessageKey[]) expect(names(zh[k]), k).toEqual(names(en[k]));
  });

  test('translate fills placeholders and keeps unknown ones', () => {
    expect(translate('en', 'events.dropped', { n: 3 })).toBe('3 dropped');
    expect(translate('zh', 'events.dropped', { n: 3 })).toBe('已丢弃 3 条');
    expect(translate('zh', 'action.connect')).toBe('连接');
    expect(translate('zh', 'action.ptt')).toBe('按住说话');
    expect(translate('en', 'events.count', { shown: 1 })).toBe('1 shown · {total} kept');
  });

  test('?lang= parsing', () => {
    expect(languageFromQuery('?lang=zh')).toBe('zh');
    expect(languageFromQuery('?x=1&lang=en')).toBe('en');
    expect(languageFromQuery('?lang=fr')).toBeNull();
    expect(languageFromQuery('')).toBeNull();
  });
});
