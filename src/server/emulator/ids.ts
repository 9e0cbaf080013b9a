import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A random id in the style real servers use: `prefix_` followed by 21 base62 characters. */
export function newId(prefix: 'event' | 'sess' | 'conv' | 'resp' | 'item' | 'call'): string {
  const bytes = randomBytes(21);
  let out = `${prefix}_`;
  for (const b of bytes) out += ALPHABET[b % 62];
  return out;
}
