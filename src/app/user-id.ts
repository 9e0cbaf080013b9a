// The xStar userId (chat memory per end user): generated once, kept in localStorage via the store's settings.

/** A new id like `rc_3f2a…` (random, 16 hex digits). */
export function generateUserId(): string {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  return `rc_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
