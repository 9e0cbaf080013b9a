/**
 * One session config, written in either dialect: `writeSession(config, 'beta' | 'ga')` produces the
 * `session.update.session` payload; `readSession(wire)` reads a server's session (either dialect) back into the
 * same shape, so the UI can compare requested and effective config.
 */

import { resolveFormat, toGaFormat, type AudioFormatInfo } from './formats';
import type {
  BetaSessionConfig,
  Dialect,
  GaAudioInputConfig,
  GaAudioOutputConfig,
  GaSessionConfig,
  InputAudioTranscription,
  MaxTokens,
  Modality,
  NoiseReduction,
  ToolChoice,
  ToolDefinition,
  TurnDetection,
  WireGaAudioFormat,
  WireSession,
  WireTool,
} from './protocol';

/** A format as the caller writes it: a beta/xStar name or a GA object. */
export type FormatSpec = string | WireGaAudioFormat;

/**
 * The client's session config: the flat reference shape (beta/xStar keys), plus GA-only settings.
 * Unknown keys are passed through to beta sessions (provider extensions) and dropped (reported) for GA.
 */
export interface SessionConfig {
  modalities?: Modality[];
  instructions?: string;
  voice?: string;
  input_audio_format?: FormatSpec;
  output_audio_format?: FormatSpec;
  input_audio_transcription?: InputAudioTranscription | null;
  turn_detection?: TurnDetection | null;
  input_audio_noise_reduction?: NoiseReduction | null;
  tools?: ToolDefinition[];
  tool_choice?: ToolChoice;
  temperature?: number;
  max_response_output_tokens?: MaxTokens;
  /** GA only: `audio.output.speed`. */
  speed?: number;
  /** GA only extras, copied as they are. */
  tracing?: unknown;
  truncation?: unknown;
  prompt?: unknown;
  include?: string[];
  [extra: string]: unknown;
}

/** The result of writing a session: the payload and the keys that the dialect could not carry. */
export interface WrittenSession<S> {
  session: S;
  /** Keys dropped because the dialect has no place for them (e.g. `temperature` in GA, MP3 formats in GA). */
  dropped: string[];
}

/** Beta/xStar name for a resolved format, preferring xStar names when `preferXStar`. */
export function betaFormatName(info: AudioFormatInfo, preferXStar: boolean): string | null {
  if (info.encoding === 'g711_ulaw') return 'g711_ulaw';
  if (info.encoding === 'g711_alaw') return 'g711_alaw';
  if (info.encoding === 'mp3') return 'MonoMp3';
  if (info.encoding === 'opus') return 'Audio16KHz16BitMonoOpus';
  if (!preferXStar && info.sampleRate === 24000) return 'pcm16';
  switch (info.sampleRate) {
    case 8000:
      return 'Raw8KHz16BitMonoPcm';
    case 16000:
      return 'Raw16KHz16BitMonoPcm';
    case 24000:
      return preferXStar ? 'Raw24KHz16BitMonoPcm' : 'pcm16';
    case 44100:
      return 'Raw44100Hz16BitMonoPcm';
    default:
      return null;
  }
}

function toBetaFormat(spec: FormatSpec, preferXStar: boolean): string | null {
  if (typeof spec === 'string') return spec;
  const info = resolveFormat(spec);
  return info ? betaFormatName(info, preferXStar) : null;
}

function toGa(spec: FormatSpec): WireGaAudioFormat | null {
  if (typeof spec === 'object') return spec;
  const info = resolveFormat(spec);
  return info ? toGaFormat(info) : null;
}

function withType(tools: readonly ToolDefinition[]): WireTool[] {
  return tools.map((t) => ({ ...t, type: 'function' as const }));
}

/** Writes `config` as a flat beta session. `preferXStar` picks xStar format names when converting GA objects. */
export function writeBetaSession(config: SessionConfig, preferXStar = true): WrittenSession<BetaSessionConfig> {
  const out: BetaSessionConfig = {};
  const dropped: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined) continue;
    switch (key) {
      case 'input_audio_format':
      case 'output_audio_format': {
        const name = toBetaFormat(value as FormatSpec, preferXStar);
        if (name === null) dropped.push(key);
        else out[key] = name;
        break;
      }
      case 'tools':
        out.tools = withType(value as ToolDefinition[]);
        break;
      case 'speed':
      case 'tracing':
      case 'truncation':
      case 'prompt':
      case 'include':
        dropped.push(key);
        break;
      default:
        out[key] = structuredCloneSafe(value);
    }
  }
  return { session: out, dropped };
}

/** Writes `config` as a nested GA session (`type: "realtime"`). */
export function writeGaSession(config: SessionConfig): WrittenSession<GaSessionConfig> {
  const out: GaSessionConfig = { type: 'realtime' };
  const input: GaAudioInputConfig = {};
  const output: GaAudioOutputConfig = {};
  const dropped: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined) continue;
    switch (key) {
      case 'modalities': {
        // GA allows one output modality: audio (which includes its transcript) or text.
        const m = value as Modality[];
        out.output_modalities = m.includes('audio') ? ['audio'] : ['text'];
        break;
      }
      case 'instructions':
        out.instructions = value as string;
        break;
      case 'voice':
        output.voice = value as string;
        break;
      case 'speed':
        output.speed = value as number;
        break;
      case 'input_audio_format':
      case 'output_audio_format': {
        const f = toGa(value as FormatSpec);
        if (f === null) dropped.push(key);
        else if (key === 'input_audio_format') input.format = f;
        else output.format = f;
        break;
      }
      case 'input_audio_transcription':
        input.transcription = structuredCloneSafe(value) as InputAudioTranscription | null;
        break;
      case 'turn_detection':
        input.turn_detection = structuredCloneSafe(value) as TurnDetection | null;
        break;
      case 'input_audio_noise_reduction':
        input.noise_reduction = structuredCloneSafe(value) as NoiseReduction | null;
        break;
      case 'tools':
        out.tools = withType(value as ToolDefinition[]);
        break;
      case 'tool_choice':
        out.tool_choice = value as ToolChoice;
        break;
      case 'max_response_output_tokens':
        out.max_output_tokens = value as MaxTokens;
        break;
      case 'tracing':
      case 'truncation':
      case 'prompt':
      case 'include':
        (out as Record<string, unknown>)[key] = structuredCloneSafe(value);
        break;
      default:
        // temperature and provider extensions have no GA place; GA would answer `unknown_parameter`.
        dropped.push(key);
    }
  }
  if (Object.keys(input).length > 0 || Object.keys(output).length > 0) {
    out.audio = {};
    if (Object.keys(input).length > 0) out.audio.input = input;
    if (Object.keys(output).length > 0) out.audio.output = output;
  }
  return { session: out, dropped };
}

/** Writes `config` in `dialect`. */
export function writeSession(config: SessionConfig, dialect: Dialect, preferXStar = true): WrittenSession<BetaSessionConfig | GaSessionConfig> {
  return dialect === 'ga' ? writeGaSession(config) : writeBetaSession(config, preferXStar);
}

/** True when a wire session is GA-shaped (has `type` or nested `audio`). */
export function isGaSession(session: WireSession): session is GaSessionConfig {
  return typeof session.type === 'string' || (typeof session.audio === 'object' && session.audio !== null) || 'output_modalities' in session;
}

/** Reads a server session (either dialect) into the client's flat shape. */
export function readSession(session: WireSession): SessionConfig {
  if (!isGaSession(session)) {
    const out: SessionConfig = {};
    for (const [k, v] of Object.entries(session)) if (!BETA_IGNORED_READ.has(k)) out[k] = v;
    return out;
  }
  const out: SessionConfig = {};
  const ga = session;
  if (ga.output_modalities) out.modalities = [...ga.output_modalities];
  if (ga.instructions !== undefined) out.instructions = ga.instructions;
  const inp = ga.audio?.input;
  const outp = ga.audio?.output;
  if (outp?.voice !== undefined) out.voice = outp.voice;
  if (outp?.speed !== undefined) out.speed = outp.speed;
  if (inp?.format !== undefined) out.input_audio_format = inp.format;
  if (outp?.format !== undefined) out.output_audio_format = outp.format;
  if (inp?.transcription !== undefined) out.input_audio_transcription = inp.transcription;
  if (inp?.turn_detection !== undefined) out.turn_detection = inp.turn_detection;
  if (inp?.noise_reduction !== undefined) out.input_audio_noise_reduction = inp.noise_reduction;
  if (ga.tools !== undefined) out.tools = ga.tools;
  if (ga.tool_choice !== undefined) out.tool_choice = ga.tool_choice;
  if (ga.max_output_tokens !== undefined) out.max_response_output_tokens = ga.max_output_tokens;
  for (const k of ['tracing', 'truncation', 'prompt', 'include'] as const) if (ga[k] !== undefined) (out as Record<string, unknown>)[k] = ga[k];
  return out;
}

const BETA_IGNORED_READ = new Set(['id', 'object', 'model', 'expires_at']);

function structuredCloneSafe<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  try {
    return structuredClone(value);
  } catch {
    return value;
  }
}
