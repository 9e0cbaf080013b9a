/** Chromium flags that make headless AudioContexts and the fake microphone work (DESIGN §9). */
export function chromiumAudioArgs(fakeMicWav: string, options?: { loop?: boolean }): string[];
