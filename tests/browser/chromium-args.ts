// The one list of Chromium flags lives in scripts/ so that plain-Node scripts can use it too.
export { chromiumAudioArgs } from '../../scripts/chromium-flags.mjs';
