/** Messages between the player worklet and {@link WavStreamPlayer} (main thread). */

/** processorOptions of the player worklet node. */
export interface PlayerOptions {
  /** Rate of the PCM given to the player (the output format's rate). */
  outputRate: number;
  /** Quanta between two periodic `stats` messages. */
  statsEveryQuanta: number;
  /** Silence after which the player reports `idle` (ms). */
  idleMs: number;
  /** Jitter buffer: after idle or an underrun, wait until this much is queued (or this long) before playing (ms). */
  prebufferMs: number;
}

/** Main thread → worklet. */
export type PlayerCommand =
  | { type: 'write'; trackId: string; samples: Int16Array; /** context time when add16BitPCM was called */ addedAt: number }
  /** Reply with the current track's offset; with `interrupt`, also drop everything queued and ignore the track from now on. */
  | { type: 'offset'; id: number; interrupt: boolean }
  | { type: 'close' };

/** Per-track rendered samples (at the output rate), most recent tracks last. */
export type TrackCounts = [trackId: string, samples: number][];

/** Periodic and on-change statistics. */
export interface PlayerStatsMessage {
  type: 'stats';
  /** Queued, not yet rendered, in context-rate samples. */
  bufferedSamples: number;
  underruns: number;
  /** Context-rate samples of silence rendered while starved (between an underrun and the next data). */
  gapSamples: number;
  tracks: TrackCounts;
  playing: boolean;
  /** Context frame at which the stats were taken. */
  frame: number;
}

/** Worklet → main thread. */
export type PlayerEvent =
  | PlayerStatsMessage
  | { type: 'offset'; id: number; trackId: string | null; offset: number; frame: number }
  /** Sound started after the player was idle; `addedAt` is the context time of the write that started it, `at` the render time. */
  | { type: 'play'; trackId: string; at: number; addedAt: number }
  /** Nothing was rendered for `idleMs`. */
  | { type: 'idle'; at: number };
