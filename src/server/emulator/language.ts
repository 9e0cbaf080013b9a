import type { ReplyLanguage } from './voices';

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]/;

/** Reply language of a user text: any CJK character → Mandarin, else English. */
export function detectLanguage(text: string): ReplyLanguage {
  return CJK.test(text) ? 'zh' : 'en';
}

/**
 * Splits a text into the pieces streamed as transcript/text deltas: words with their trailing space for
 * English, two characters at a time (punctuation attached) for Chinese. The pieces concatenate to the text.
 */
export function splitForDeltas(text: string): string[] {
  if (text === '') return [];
  if (!CJK.test(text)) return text.match(/\s*\S+\s*/g) ?? [text];
  const chars = Array.from(text);
  const out: string[] = [];
  let cur = '';
  let count = 0;
  for (const ch of chars) {
    cur += ch;
    if (!/[\s，。！？、：；,.!?:;）)」”]/.test(ch)) count++;
    if (count >= 2) {
      out.push(cur);
      cur = '';
      count = 0;
    }
  }
  if (cur !== '') {
    if (out.length && count === 0) out[out.length - 1] += cur;
    else out.push(cur);
  }
  return out;
}
