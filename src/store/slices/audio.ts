import type { GetState, SetState } from './types';

/** An input device as listed by `enumerateDevices`. */
export interface AudioDevice {
  deviceId: string;
  label: string;
}

/** What the browser actually granted (DESIGN: never trust the requested rate). */
export interface GrantedAudio {
  /** Capture AudioContext rate. */
  inputContextRate?: number;
  /** Rate of the frames sent (the input format's rate). */
  inputRate?: number;
  /** Playback AudioContext rate. */
  outputContextRate?: number;
  /** Rate of the audio received (the output format's rate). */
  outputRate?: number;
  /** Playback context output latency, ms. */
  outputLatencyMs?: number;
}

/** Player statistics, updated a few times per second at most (never per audio frame). */
export interface PlayerStats {
  underruns: number;
  bufferedMs: number;
  renderedSamples: number;
  playing: boolean;
  /** Epoch ms of the snapshot. */
  updatedAt: number;
}

/** Where the microphone signal comes from. */
export type MicSource = { kind: 'mic' } | { kind: 'file'; fileName: string };

/** Audio state (low-frequency only; levels go through `transient.ts`). */
export interface AudioData {
  devices: AudioDevice[];
  /** Persisted; null = system default. */
  selectedDeviceId: string | null;
  muted: boolean;
  /** Persisted. `half` pauses the mic while the assistant speaks. */
  duplex: 'full' | 'half';
  source: MicSource;
  /** The recorder is capturing. */
  capturing: boolean;
  /** Push-to-talk is held. */
  pttActive: boolean;
  granted: GrantedAudio;
  /** `MediaTrackSettings` actually applied (echoCancellation, noiseSuppression, autoGainControl, …). */
  constraints: Record<string, unknown> | null;
  player: PlayerStats;
}

export interface AudioSlice {
  audio: AudioData;
  setDevices(devices: AudioDevice[]): void;
  selectDevice(deviceId: string | null): void;
  setMuted(muted: boolean): void;
  setDuplex(duplex: 'full' | 'half'): void;
  setMicSource(source: MicSource): void;
  setCapturing(capturing: boolean): void;
  setPttActive(active: boolean): void;
  /** Merges granted rates/latency. */
  setGrantedAudio(granted: Partial<GrantedAudio>): void;
  setAppliedConstraints(constraints: Record<string, unknown> | null): void;
  /** Merges a player snapshot; call at most a few times per second. */
  setPlayerStats(stats: Partial<PlayerStats>): void;
}

export function initialAudio(): AudioData {
  return {
    devices: [],
    selectedDeviceId: null,
    muted: false,
    duplex: 'full',
    source: { kind: 'mic' },
    capturing: false,
    pttActive: false,
    granted: {},
    constraints: null,
    player: { underruns: 0, bufferedMs: 0, renderedSamples: 0, playing: false, updatedAt: 0 },
  };
}

export function createAudioSlice(set: SetState, _get: GetState): AudioSlice {
  const patch = (p: Partial<AudioData>) => set((s) => ({ audio: { ...s.audio, ...p } }));
  return {
    audio: initialAudio(),
    setDevices: (devices) => patch({ devices }),
    selectDevice: (selectedDeviceId) => patch({ selectedDeviceId }),
    setMuted: (muted) => patch({ muted }),
    setDuplex: (duplex) => patch({ duplex }),
    setMicSource: (source) => patch({ source }),
    setCapturing: (capturing) => patch({ capturing }),
    setPttActive: (pttActive) => patch({ pttActive }),
    setGrantedAudio: (granted) => set((s) => ({ audio: { ...s.audio, granted: { ...s.audio.granted, ...granted } } })),
    setAppliedConstraints: (constraints) => patch({ constraints }),
    setPlayerStats: (stats) =>
      set((s) => ({ audio: { ...s.audio, player: { ...s.audio.player, ...stats, updatedAt: stats.updatedAt ?? Date.now() } } })),
  };
}
