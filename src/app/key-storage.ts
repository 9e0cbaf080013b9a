// The API key, per profile: sessionStorage by default, localStorage only when the user ticks "remember".
// It never enters the store, the event log, an export or a URL.

const PREFIX = 'realtime-console:key:';

function storageOf(kind: 'session' | 'local'): Storage | null {
  try {
    const s = kind === 'session' ? globalThis.sessionStorage : globalThis.localStorage;
    return s ?? null;
  } catch {
    return null; // storage disabled
  }
}

/** The stored key for `profileId` ('' when none) and whether it is remembered. */
export function loadKey(profileId: string): { key: string; remember: boolean } {
  const local = storageOf('local')?.getItem(PREFIX + profileId);
  if (local) return { key: local, remember: true };
  return { key: storageOf('session')?.getItem(PREFIX + profileId) ?? '', remember: false };
}

/** Stores (or with '' removes) the key; `remember` puts it in localStorage, else sessionStorage. */
export function saveKey(profileId: string, key: string, remember: boolean): void {
  const local = storageOf('local');
  const session = storageOf('session');
  local?.removeItem(PREFIX + profileId);
  session?.removeItem(PREFIX + profileId);
  if (!key) return;
  (remember ? local : session)?.setItem(PREFIX + profileId, key);
}

/** "••••abcd": at most the last 4 characters, and none for keys shorter than 12. */
export function maskKey(key: string): string {
  if (!key) return '';
  return key.length >= 12 ? `••••${key.slice(-4)}` : '••••';
}
