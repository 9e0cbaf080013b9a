// Chromium flags that make headless AudioContexts and the fake microphone work (DESIGN §9), shared by the
// browser tests, the end-to-end journeys, the benchmarks and the screenshot script.

/**
 * @param {string} fakeMicWav absolute path of the WAV the fake microphone plays
 * @param {{ loop?: boolean }} [options] loop the file instead of playing it once
 * @returns {string[]}
 */
export function chromiumAudioArgs(fakeMicWav, options = {}) {
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
    `--use-file-for-fake-audio-capture=${fakeMicWav}${options.loop ? '' : '%noloop'}`,
    '--autoplay-policy=no-user-gesture-required',
  ];
}
