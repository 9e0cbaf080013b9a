// High-frequency values (levels, playback position, buffered ms) that must NOT go through React state. The bridge
// registers getters; canvas meters poll them in requestAnimationFrame.

/** Instantaneous levels, 0..1 (RMS or peak, as the audio engine reports). */
export interface Levels {
  input: number;
  output: number;
}

/** Live playback figures. */
export interface PlaybackSnapshot {
  /** Audio queued in the player, ms. */
  bufferedMs: number;
  /** Track (item id) currently playing, if any. */
  trackId: string | null;
  /** Samples of that track rendered so far. */
  offset: number;
}

type Getter<T> = () => T;

const ZERO_LEVELS: Levels = { input: 0, output: 0 };
const IDLE_PLAYBACK: PlaybackSnapshot = { bufferedMs: 0, trackId: null, offset: 0 };

let levelsGetter: Getter<Levels> | null = null;
let playbackGetter: Getter<PlaybackSnapshot> | null = null;

/** Registers the level source; returns an unregister function. */
export function registerLevelSource(getter: Getter<Levels>): () => void {
  levelsGetter = getter;
  return () => {
    if (levelsGetter === getter) levelsGetter = null;
  };
}

/** Registers the playback source; returns an unregister function. */
export function registerPlaybackSource(getter: Getter<PlaybackSnapshot>): () => void {
  playbackGetter = getter;
  return () => {
    if (playbackGetter === getter) playbackGetter = null;
  };
}

/** Current levels (zeros when no source is registered or it throws). */
export function readLevels(): Levels {
  try {
    return levelsGetter ? levelsGetter() : ZERO_LEVELS;
  } catch {
    return ZERO_LEVELS;
  }
}

/** Current playback snapshot (idle when no source is registered or it throws). */
export function readPlayback(): PlaybackSnapshot {
  try {
    return playbackGetter ? playbackGetter() : IDLE_PLAYBACK;
  } catch {
    return IDLE_PLAYBACK;
  }
}
