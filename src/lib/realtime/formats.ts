/**
 * The audio format table: every format name a provider may use, mapped to an encoding and a sample rate.
 * Every ms <-> sample and ms <-> byte conversion in the project goes through here; nothing assumes 24 kHz.
 */

/** How the bytes of an audio payload are encoded. */
export type AudioEncoding = 'pcm16' | 'g711_ulaw' | 'g711_alaw' | 'mp3' | 'opus';

/** A resolved audio format. */
export interface AudioFormatInfo {
  encoding: AudioEncoding;
  /** Samples per second of the decoded audio. */
  sampleRate: number;
  /** Bytes per sample for fixed-rate encodings; null for compressed ones (duration needs decoding). */
  bytesPerSample: number | null;
}

/** xStar format names (flat beta session keys). */
export type XStarFormatName =
  | 'Raw8KHz16BitMonoPcm'
  | 'Raw16KHz16BitMonoPcm'
  | 'Raw24KHz16BitMonoPcm'
  | 'Raw44100Hz16BitMonoPcm'
  | 'Raw44KHz16BitMonoPcm'
  | 'MonoMp3'
  | 'Audio16KHz16BitMonoOpus';

/** OpenAI beta format names. */
export type BetaFormatName = 'pcm16' | 'g711_ulaw' | 'g711_alaw';

/** OpenAI GA format objects. */
export type GaAudioFormat = { type: 'audio/pcm'; rate?: number } | { type: 'audio/pcmu' } | { type: 'audio/pcma' };

/** Any format name a beta-dialect session may carry. */
export type AudioFormatName = XStarFormatName | BetaFormatName;

const TABLE: Readonly<Record<AudioFormatName, AudioFormatInfo>> = {
  Raw8KHz16BitMonoPcm: { encoding: 'pcm16', sampleRate: 8000, bytesPerSample: 2 },
  Raw16KHz16BitMonoPcm: { encoding: 'pcm16', sampleRate: 16000, bytesPerSample: 2 },
  Raw24KHz16BitMonoPcm: { encoding: 'pcm16', sampleRate: 24000, bytesPerSample: 2 },
  Raw44100Hz16BitMonoPcm: { encoding: 'pcm16', sampleRate: 44100, bytesPerSample: 2 },
  Raw44KHz16BitMonoPcm: { encoding: 'pcm16', sampleRate: 44100, bytesPerSample: 2 },
  // MP3 decodes to whatever rate its frames say; 16 kHz is the nominal rate xStar uses for speech.
  MonoMp3: { encoding: 'mp3', sampleRate: 16000, bytesPerSample: null },
  Audio16KHz16BitMonoOpus: { encoding: 'opus', sampleRate: 16000, bytesPerSample: null },
  pcm16: { encoding: 'pcm16', sampleRate: 24000, bytesPerSample: 2 },
  g711_ulaw: { encoding: 'g711_ulaw', sampleRate: 8000, bytesPerSample: 1 },
  g711_alaw: { encoding: 'g711_alaw', sampleRate: 8000, bytesPerSample: 1 },
};

/** All known beta/xStar format names. */
export const FORMAT_NAMES: readonly AudioFormatName[] = Object.keys(TABLE) as AudioFormatName[];

/** xStar's names, in the order the UI offers them. */
export const XSTAR_FORMAT_NAMES: readonly XStarFormatName[] = [
  'Raw8KHz16BitMonoPcm',
  'Raw16KHz16BitMonoPcm',
  'Raw24KHz16BitMonoPcm',
  'Raw44100Hz16BitMonoPcm',
  'MonoMp3',
  'Audio16KHz16BitMonoOpus',
];

/** True when `name` is a format name in the table. */
export function isFormatName(name: unknown): name is AudioFormatName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(TABLE, name);
}

/**
 * Resolves a format given as a beta/xStar name or a GA object. Returns null for anything unknown,
 * so callers can answer with a typed error instead of guessing.
 */
export function resolveFormat(format: AudioFormatName | GaAudioFormat | string | null | undefined): AudioFormatInfo | null {
  if (format == null) return null;
  if (typeof format === 'string') return isFormatName(format) ? TABLE[format] : null;
  if (typeof format === 'object') {
    if (format.type === 'audio/pcm') {
      const rate = 'rate' in format && typeof format.rate === 'number' ? format.rate : 24000;
      return rate > 0 ? { encoding: 'pcm16', sampleRate: rate, bytesPerSample: 2 } : null;
    }
    if (format.type === 'audio/pcmu') return TABLE.g711_ulaw;
    if (format.type === 'audio/pcma') return TABLE.g711_alaw;
  }
  return null;
}

/** The GA object for a resolved format (GA has no compressed formats). */
export function toGaFormat(info: AudioFormatInfo): GaAudioFormat | null {
  switch (info.encoding) {
    case 'pcm16':
      return { type: 'audio/pcm', rate: info.sampleRate };
    case 'g711_ulaw':
      return { type: 'audio/pcmu' };
    case 'g711_alaw':
      return { type: 'audio/pcma' };
    default:
      return null;
  }
}

/** True for encodings whose bytes cannot be read as samples without a decoder. */
export function isCompressed(info: AudioFormatInfo): boolean {
  return info.bytesPerSample === null;
}

/** Duration in ms of `byteLength` bytes, or null for compressed formats. */
export function bytesToMs(info: AudioFormatInfo, byteLength: number): number | null {
  if (info.bytesPerSample === null) return null;
  return (byteLength / info.bytesPerSample / info.sampleRate) * 1000;
}

/** Samples -> ms at the format's rate (not rounded). */
export function samplesToMs(info: AudioFormatInfo, samples: number): number {
  return (samples / info.sampleRate) * 1000;
}

/** ms -> samples at the format's rate, floored. */
export function msToSamples(info: AudioFormatInfo, ms: number): number {
  return Math.floor((ms * info.sampleRate) / 1000);
}
