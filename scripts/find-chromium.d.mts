/** Locates a Chromium binary: CHROME_PATH first, then the usual system paths. */
export function findChromium(): string | null;
