/** Chromium flags that make AudioContexts and the fake microphone work headless (DESIGN §9). */
export function chromiumAudioArgs(fakeMicWav: string): string[] {
  return [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-audio-capture=${fakeMicWav}%noloop`,
    '--autoplay-policy=no-user-gesture-required',
  ];
}
