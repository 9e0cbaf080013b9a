/**
 * The session configuration in one dialect-neutral shape: defaults per dialect, validation and merging of
 * `session.update` (beta flat or GA nested), and serialisation back to the wire shape of the dialect.
 */
import type {
  Dialect,
  InputAudioTranscription,
  MaxTokens,
  Modality,
  NoiseReduction,
  ToolChoice,
  WireGaAudioFormat,
  WireTool,
} from '../../lib/realtime/protocol';
import { isCompressed, isFormatName, resolveFormat, type AudioFormatInfo } from '../../lib/realtime/formats';
import { ProtocolError } from './errors';
import { DEFAULT_VOICE } from './voices';

/** Server VAD settings (all fields filled). */
export interface VadConfig {
  type: 'server_vad' | 'semantic_vad';
  threshold: number;
  prefixPaddingMs: number;
  silenceDurationMs: number;
  createResponse: boolean;
  interruptResponse: boolean;
  /** GA only; accepted and echoed, not acted on. */
  idleTimeoutMs: number | null;
  eagerness: 'low' | 'medium' | 'high' | 'auto';
}

/** An audio format as the client named it plus what it means. */
export interface FormatChoice {
  /** The wire value: a beta/xStar name or a GA object. */
  wire: string | WireGaAudioFormat;
  info: AudioFormatInfo;
}

/** The effective configuration of one session. */
export interface SessionConfig {
  id: string;
  model: string;
  modalities: Modality[];
  instructions: string;
  voice: string;
  /** GA `audio.output.speed` / the `adjust_voice_speed` plugin (0.25–2). */
  speed: number;
  input: FormatChoice;
  output: FormatChoice;
  transcription: InputAudioTranscription | null;
  noiseReduction: NoiseReduction | null;
  turnDetection: VadConfig | null;
  tools: WireTool[];
  toolChoice: ToolChoice;
  temperature: number;
  maxOutputTokens: MaxTokens;
  /** GA keys accepted and echoed unchanged. */
  tracing: unknown;
  truncation: unknown;
  prompt: unknown;
  include: unknown;
  expiresAt: number;
}

/** VAD defaults (DESIGN §7). */
export const DEFAULT_VAD: Readonly<VadConfig> = {
  type: 'server_vad',
  threshold: 0.5,
  prefixPaddingMs: 300,
  silenceDurationMs: 500,
  createResponse: true,
  interruptResponse: true,
  idleTimeoutMs: null,
  eagerness: 'auto',
};

const PCM24: AudioFormatInfo = { encoding: 'pcm16', sampleRate: 24000, bytesPerSample: 2 };

/** The configuration `session.created` announces. */
export function defaultConfig(dialect: Dialect, id: string, model: string | null): SessionConfig {
  return {
    id,
    model: model ?? 'emulator-realtime',
    modalities: dialect === 'ga' ? ['audio'] : ['text', 'audio'],
    instructions: '',
    voice: DEFAULT_VOICE[dialect],
    speed: 1,
    input: { wire: dialect === 'ga' ? { type: 'audio/pcm', rate: 24000 } : 'pcm16', info: PCM24 },
    output: { wire: dialect === 'ga' ? { type: 'audio/pcm', rate: 24000 } : 'pcm16', info: PCM24 },
    transcription: null,
    noiseReduction: null,
    turnDetection: { ...DEFAULT_VAD },
    tools: [],
    toolChoice: 'auto',
    temperature: 0.8,
    maxOutputTokens: 'inf',
    tracing: null,
    truncation: 'auto',
    prompt: null,
    include: null,
    expiresAt: Math.floor(Date.now() / 1000) + 3600,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Validation helpers
// ---------------------------------------------------------------------------------------------------------------

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function invalid(param: string, message: string): ProtocolError {
  return new ProtocolError('invalid_value', message, param);
}

function unknownKeys(obj: Obj, allowed: readonly string[], prefix: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      throw new ProtocolError('unknown_parameter', `Unknown parameter: '${prefix}${key}'.`, `${prefix}${key}`);
    }
  }
}

function str(v: unknown, param: string): string {
  if (typeof v !== 'string') throw invalid(param, `Invalid type for '${param}': expected a string.`);
  return v;
}

function num(v: unknown, param: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(param, `Invalid type for '${param}': expected a number.`);
  if (v < min || v > max) throw invalid(param, `Invalid '${param}': ${v} is outside ${min}..${max}.`);
  return v;
}

function bool(v: unknown, param: string): boolean {
  if (typeof v !== 'boolean') throw invalid(param, `Invalid type for '${param}': expected a boolean.`);
  return v;
}

function modalities(v: unknown, param: string, dialect: Dialect): Modality[] {
  if (!Array.isArray(v) || v.length === 0 || !v.every((m) => m === 'text' || m === 'audio')) {
    throw invalid(param, `Invalid '${param}': expected a non-empty list of "text" and "audio".`);
  }
  const set = [...new Set(v as Modality[])];
  if (dialect === 'ga' && set.length > 1) {
    throw invalid(param, `Invalid '${param}': use ["audio"] (audio with transcript) or ["text"], not both.`);
  }
  return set;
}

function compressedError(param: string, name: string): ProtocolError {
  return invalid(
    param,
    `The offline emulator cannot decode or encode '${name}' (compressed audio); use a PCM or G.711 format.`,
  );
}

/** A beta/xStar format name, or a GA format object. */
function format(v: unknown, param: string, dialect: Dialect): FormatChoice {
  if (dialect === 'beta') {
    if (!isFormatName(v)) {
      throw invalid(param, `Invalid '${param}': ${JSON.stringify(v)} is not a known audio format.`);
    }
    const info = resolveFormat(v);
    if (!info) throw invalid(param, `Invalid '${param}'.`);
    if (isCompressed(info)) throw compressedError(param, v);
    return { wire: v, info };
  }
  if (!isObj(v) || typeof v.type !== 'string') {
    throw invalid(param, `Invalid '${param}': expected an object such as {"type":"audio/pcm","rate":24000}.`);
  }
  if (v.type === 'audio/pcm') {
    unknownKeys(v, ['type', 'rate'], `${param}.`);
    if (v.rate !== undefined && v.rate !== 24000) {
      throw invalid(`${param}.rate`, `Invalid '${param}.rate': only 24000 is supported for audio/pcm.`);
    }
    return { wire: { type: 'audio/pcm', rate: 24000 }, info: PCM24 };
  }
  if (v.type === 'audio/pcmu' || v.type === 'audio/pcma') {
    unknownKeys(v, ['type'], `${param}.`);
    const info = resolveFormat({ type: v.type });
    if (!info) throw invalid(param, `Invalid '${param}'.`);
    return { wire: { type: v.type }, info };
  }
  throw invalid(`${param}.type`, `Invalid '${param}.type': ${JSON.stringify(v.type)} is not supported.`);
}

function turnDetection(v: unknown, param: string, dialect: Dialect): VadConfig | null {
  if (v === null) return null;
  if (!isObj(v)) throw invalid(param, `Invalid '${param}': expected an object or null.`);
  const allowed = [
    'type',
    'threshold',
    'prefix_padding_ms',
    'silence_duration_ms',
    'create_response',
    'interrupt_response',
    'eagerness',
    ...(dialect === 'ga' ? ['idle_timeout_ms', 'model_version'] : []),
  ];
  unknownKeys(v, allowed, `${param}.`);
  const type = v.type === undefined ? 'server_vad' : v.type;
  if (type !== 'server_vad' && type !== 'semantic_vad') {
    throw invalid(`${param}.type`, `Invalid '${param}.type': expected "server_vad" or "semantic_vad".`);
  }
  const out: VadConfig = { ...DEFAULT_VAD, type };
  if (v.threshold !== undefined) out.threshold = num(v.threshold, `${param}.threshold`, 0, 1);
  if (v.prefix_padding_ms !== undefined) out.prefixPaddingMs = Math.round(num(v.prefix_padding_ms, `${param}.prefix_padding_ms`, 0, 10_000));
  if (v.silence_duration_ms !== undefined) {
    out.silenceDurationMs = Math.round(num(v.silence_duration_ms, `${param}.silence_duration_ms`, 0, 10_000));
  }
  if (v.create_response !== undefined) out.createResponse = bool(v.create_response, `${param}.create_response`);
  if (v.interrupt_response !== undefined) out.interruptResponse = bool(v.interrupt_response, `${param}.interrupt_response`);
  if (v.idle_timeout_ms !== undefined && v.idle_timeout_ms !== null) {
    out.idleTimeoutMs = num(v.idle_timeout_ms, `${param}.idle_timeout_ms`, 5000, 30_000);
  }
  if (v.eagerness !== undefined) {
    if (!['low', 'medium', 'high', 'auto'].includes(v.eagerness as string)) {
      throw invalid(`${param}.eagerness`, `Invalid '${param}.eagerness'.`);
    }
    out.eagerness = v.eagerness as VadConfig['eagerness'];
  }
  // semantic_vad is served by the same energy detector; eagerness picks how long a pause ends the turn.
  if (type === 'semantic_vad' && v.silence_duration_ms === undefined) {
    out.silenceDurationMs = { low: 1200, medium: 700, auto: 700, high: 400 }[out.eagerness];
  }
  return out;
}

function transcription(v: unknown, param: string): InputAudioTranscription | null {
  if (v === null) return null;
  if (!isObj(v)) throw invalid(param, `Invalid '${param}': expected an object or null.`);
  unknownKeys(v, ['model', 'language', 'prompt'], `${param}.`);
  const out: InputAudioTranscription = {};
  if (v.model !== undefined) out.model = str(v.model, `${param}.model`);
  if (v.language !== undefined) out.language = str(v.language, `${param}.language`);
  if (v.prompt !== undefined) out.prompt = str(v.prompt, `${param}.prompt`);
  return out;
}

function noiseReduction(v: unknown, param: string): NoiseReduction | null {
  if (v === null) return null;
  if (!isObj(v)) throw invalid(param, `Invalid '${param}': expected an object or null.`);
  unknownKeys(v, ['type'], `${param}.`);
  return { type: str(v.type, `${param}.type`) };
}

/** Validates a tools array (function tools only). */
export function tools(v: unknown, param: string): WireTool[] {
  if (!Array.isArray(v)) throw invalid(param, `Invalid '${param}': expected an array.`);
  return v.map((t, i) => {
    const p = `${param}[${i}]`;
    if (!isObj(t)) throw invalid(p, `Invalid '${p}': expected an object.`);
    unknownKeys(t, ['type', 'name', 'description', 'parameters'], `${p}.`);
    if (t.type !== undefined && t.type !== 'function') throw invalid(`${p}.type`, `Invalid '${p}.type': only "function" tools are supported.`);
    const name = str(t.name, `${p}.name`);
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) throw invalid(`${p}.name`, `Invalid '${p}.name': ${JSON.stringify(name)}.`);
    const tool: WireTool = { type: 'function', name };
    if (t.description !== undefined) tool.description = str(t.description, `${p}.description`);
    if (t.parameters !== undefined) {
      if (!isObj(t.parameters)) throw invalid(`${p}.parameters`, `Invalid '${p}.parameters': expected a JSON Schema object.`);
      tool.parameters = t.parameters;
    }
    return tool;
  });
}

/** Validates a tool_choice. */
export function toolChoice(v: unknown, param: string): ToolChoice {
  if (v === 'auto' || v === 'none' || v === 'required') return v;
  if (isObj(v) && v.type === 'function' && typeof v.name === 'string') return { type: 'function', name: v.name };
  throw invalid(param, `Invalid '${param}': expected "auto", "none", "required" or {"type":"function","name":…}.`);
}

/** Validates a token cap. */
export function maxTokens(v: unknown, param: string): MaxTokens {
  if (v === 'inf') return 'inf';
  if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 4096) return v;
  throw invalid(param, `Invalid '${param}': expected an integer 1..4096 or "inf".`);
}

// ---------------------------------------------------------------------------------------------------------------
// session.update
// ---------------------------------------------------------------------------------------------------------------

const READ_ONLY = ['id', 'object', 'model', 'expires_at', 'client_secret'];

const BETA_KEYS = [
  ...READ_ONLY,
  'modalities',
  'instructions',
  'voice',
  'input_audio_format',
  'output_audio_format',
  'input_audio_transcription',
  'input_audio_noise_reduction',
  'turn_detection',
  'tools',
  'tool_choice',
  'temperature',
  'max_response_output_tokens',
  'speed',
  'tracing',
];

const GA_KEYS = [
  ...READ_ONLY,
  'type',
  'output_modalities',
  'instructions',
  'audio',
  'tools',
  'tool_choice',
  'max_output_tokens',
  'tracing',
  'truncation',
  'prompt',
  'include',
  'parallel_tool_calls',
  'reasoning',
];

/**
 * Applies a `session.update` payload. Validates everything first, so a rejected update changes nothing.
 * Throws {@link ProtocolError} with the protocol's code and param.
 */
export function applySessionUpdate(current: SessionConfig, session: unknown, dialect: Dialect): SessionConfig {
  if (!isObj(session)) throw new ProtocolError('invalid_value', "Invalid 'session': expected an object.", 'session');
  const next: SessionConfig = { ...current, tools: current.tools, turnDetection: current.turnDetection };
  if (dialect === 'beta') {
    unknownKeys(session, BETA_KEYS, 'session.');
    const s = session;
    if (s.modalities !== undefined) next.modalities = modalities(s.modalities, 'session.modalities', dialect);
    if (s.instructions !== undefined) next.instructions = str(s.instructions, 'session.instructions');
    if (s.voice !== undefined) next.voice = voice(s.voice, 'session.voice');
    if (s.input_audio_format !== undefined) next.input = format(s.input_audio_format, 'session.input_audio_format', dialect);
    if (s.output_audio_format !== undefined) next.output = format(s.output_audio_format, 'session.output_audio_format', dialect);
    if (s.input_audio_transcription !== undefined) {
      next.transcription = transcription(s.input_audio_transcription, 'session.input_audio_transcription');
    }
    if (s.input_audio_noise_reduction !== undefined) {
      next.noiseReduction = noiseReduction(s.input_audio_noise_reduction, 'session.input_audio_noise_reduction');
    }
    if (s.turn_detection !== undefined) next.turnDetection = turnDetection(s.turn_detection, 'session.turn_detection', dialect);
    if (s.tools !== undefined) next.tools = tools(s.tools, 'session.tools');
    if (s.tool_choice !== undefined) next.toolChoice = toolChoice(s.tool_choice, 'session.tool_choice');
    if (s.temperature !== undefined) next.temperature = num(s.temperature, 'session.temperature', 0, 2);
    if (s.max_response_output_tokens !== undefined) {
      next.maxOutputTokens = maxTokens(s.max_response_output_tokens, 'session.max_response_output_tokens');
    }
    if (s.speed !== undefined) next.speed = num(s.speed, 'session.speed', 0.25, 2);
    if (s.tracing !== undefined) next.tracing = s.tracing;
    return next;
  }

  if (session.type === undefined) {
    throw new ProtocolError('missing_required_parameter', "Missing required parameter: 'session.type'.", 'session.type');
  }
  if (session.type === 'transcription') {
    throw invalid('session.type', 'This emulator serves realtime sessions only; "transcription" sessions are not supported.');
  }
  if (session.type !== 'realtime') throw invalid('session.type', "Invalid 'session.type': expected \"realtime\".");
  unknownKeys(session, GA_KEYS, 'session.');
  const s = session;
  if (s.output_modalities !== undefined) next.modalities = modalities(s.output_modalities, 'session.output_modalities', dialect);
  if (s.instructions !== undefined) next.instructions = str(s.instructions, 'session.instructions');
  if (s.audio !== undefined) {
    if (!isObj(s.audio)) throw invalid('session.audio', "Invalid 'session.audio': expected an object.");
    unknownKeys(s.audio, ['input', 'output'], 'session.audio.');
    const input = s.audio.input;
    if (input !== undefined) {
      if (!isObj(input)) throw invalid('session.audio.input', "Invalid 'session.audio.input': expected an object.");
      unknownKeys(input, ['format', 'transcription', 'turn_detection', 'noise_reduction'], 'session.audio.input.');
      if (input.format !== undefined) next.input = format(input.format, 'session.audio.input.format', dialect);
      if (input.transcription !== undefined) next.transcription = transcription(input.transcription, 'session.audio.input.transcription');
      if (input.turn_detection !== undefined) {
        next.turnDetection = turnDetection(input.turn_detection, 'session.audio.input.turn_detection', dialect);
      }
      if (input.noise_reduction !== undefined) {
        next.noiseReduction = noiseReduction(input.noise_reduction, 'session.audio.input.noise_reduction');
      }
    }
    const output = s.audio.output;
    if (output !== undefined) {
      if (!isObj(output)) throw invalid('session.audio.output', "Invalid 'session.audio.output': expected an object.");
      unknownKeys(output, ['format', 'voice', 'speed'], 'session.audio.output.');
      if (output.format !== undefined) next.output = format(output.format, 'session.audio.output.format', dialect);
      if (output.voice !== undefined) next.voice = voice(output.voice, 'session.audio.output.voice');
      if (output.speed !== undefined) next.speed = num(output.speed, 'session.audio.output.speed', 0.25, 1.5);
    }
  }
  if (s.tools !== undefined) next.tools = tools(s.tools, 'session.tools');
  if (s.tool_choice !== undefined) next.toolChoice = toolChoice(s.tool_choice, 'session.tool_choice');
  if (s.max_output_tokens !== undefined) next.maxOutputTokens = maxTokens(s.max_output_tokens, 'session.max_output_tokens');
  if (s.tracing !== undefined) next.tracing = s.tracing;
  if (s.truncation !== undefined) next.truncation = s.truncation;
  if (s.prompt !== undefined) next.prompt = s.prompt;
  if (s.include !== undefined) next.include = s.include;
  return next;
}

function voice(v: unknown, param: string): string {
  const name = str(v, param).trim();
  if (name === '' || name.length > 64) throw invalid(param, `Invalid '${param}': expected a voice name.`);
  return name;
}

/** Parses a per-response output format override (beta name or GA object). */
export function parseFormat(v: unknown, param: string, dialect: Dialect): FormatChoice {
  return format(v, param, dialect);
}

/** Parses per-response modalities. */
export function parseModalities(v: unknown, param: string, dialect: Dialect): Modality[] {
  return modalities(v, param, dialect);
}

/** Parses a voice name. */
export function parseVoice(v: unknown, param: string): string {
  return voice(v, param);
}

// ---------------------------------------------------------------------------------------------------------------
// Serialisation
// ---------------------------------------------------------------------------------------------------------------

function vadWire(vad: VadConfig | null, dialect: Dialect): Obj | null {
  if (!vad) return null;
  if (vad.type === 'semantic_vad') {
    return { type: vad.type, eagerness: vad.eagerness, create_response: vad.createResponse, interrupt_response: vad.interruptResponse };
  }
  const out: Obj = {
    type: vad.type,
    threshold: vad.threshold,
    prefix_padding_ms: vad.prefixPaddingMs,
    silence_duration_ms: vad.silenceDurationMs,
    create_response: vad.createResponse,
    interrupt_response: vad.interruptResponse,
  };
  if (dialect === 'ga') out.idle_timeout_ms = vad.idleTimeoutMs;
  return out;
}

/** The full effective config as `session.created` / `session.updated` carry it. */
export function sessionToWire(c: SessionConfig, dialect: Dialect): Obj {
  if (dialect === 'beta') {
    return {
      id: c.id,
      object: 'realtime.session',
      model: c.model,
      modalities: c.modalities,
      instructions: c.instructions,
      voice: c.voice,
      input_audio_format: c.input.wire,
      output_audio_format: c.output.wire,
      input_audio_transcription: c.transcription,
      input_audio_noise_reduction: c.noiseReduction,
      turn_detection: vadWire(c.turnDetection, dialect),
      tools: c.tools,
      tool_choice: c.toolChoice,
      temperature: c.temperature,
      max_response_output_tokens: c.maxOutputTokens,
      speed: c.speed,
      tracing: c.tracing,
      expires_at: c.expiresAt,
    };
  }
  return {
    type: 'realtime',
    object: 'realtime.session',
    id: c.id,
    model: c.model,
    output_modalities: c.modalities,
    instructions: c.instructions,
    audio: {
      input: {
        format: c.input.wire,
        transcription: c.transcription,
        noise_reduction: c.noiseReduction,
        turn_detection: vadWire(c.turnDetection, dialect),
      },
      output: { format: c.output.wire, voice: c.voice, speed: c.speed },
    },
    tools: c.tools,
    tool_choice: c.toolChoice,
    max_output_tokens: c.maxOutputTokens,
    tracing: c.tracing,
    truncation: c.truncation,
    prompt: c.prompt,
    include: c.include,
    expires_at: c.expiresAt,
  };
}
