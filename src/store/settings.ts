// The console's own, dialect-neutral session settings, plus the pure functions around them:
// agent-template compose/parse, mapping to the flat wire config, and the requested-vs-effective diff.
import { resolveFormat } from '../lib/realtime/formats';
import type { MaxTokens, TurnDetection, InputAudioTranscription, ToolDefinition } from '../lib/realtime/protocol';

/** The agent-template fields xStar reads out of `instructions` (API document, "内置 agent"). */
export interface AgentTemplateFields {
  agent_template: string;
  bot_info: string;
  user_info: string;
  extra_rules: string;
  extra_skills: string;
}

/** Field names of {@link AgentTemplateFields}, in the order they are written. */
export const AGENT_TEMPLATE_KEYS: readonly (keyof AgentTemplateFields)[] = [
  'agent_template',
  'bot_info',
  'user_info',
  'extra_rules',
  'extra_skills',
];

/** Turn detection as the console edits it. `manual` = no server VAD (push-to-talk). */
export type TurnDetectionSettings =
  | { mode: 'manual' }
  | {
      mode: 'server_vad';
      threshold: number;
      prefixPaddingMs: number;
      silenceDurationMs: number;
      createResponse: boolean;
      interruptResponse: boolean;
    };

/** The console's session configuration, independent of the wire dialect. */
export interface SessionSettings {
  /** `template`: instructions are composed from {@link AgentTemplateFields}; `raw`: {@link rawInstructions} is sent as is. */
  instructionsMode: 'template' | 'raw';
  template: AgentTemplateFields;
  rawInstructions: string;
  voice: string;
  /** A format name (`Raw16KHz16BitMonoPcm`, `pcm16`, …) as understood by `resolveFormat`. */
  inputFormat: string;
  outputFormat: string;
  turnDetection: TurnDetectionSettings;
  transcription: { enabled: boolean; model: string; language: string };
  temperature: number | null;
  /** `null` = provider default; `'inf'` = unlimited. */
  maxTokens: MaxTokens | null;
  /** Declared client tools (the tools panel edits them). */
  tools: ToolDefinition[];
  /** A message sent after every `session.created` so the agent greets the user. */
  greeting: { enabled: boolean; text: string; kind: 'input_text' | 'tts_text' };
}

/** Default greeting text (from the xStar API document). */
export const DEFAULT_GREETING = '用户上线了，请根据聊天历史打个招呼或提问。';

/** The defaults: xStar's demo agent `幻星`, voice `龙婉`, 16 kHz in, 8 kHz out, server VAD 0.5/300/500. */
export function defaultSessionSettings(): SessionSettings {
  return {
    instructionsMode: 'template',
    template: { agent_template: '幻星', bot_info: '', user_info: '', extra_rules: '', extra_skills: '' },
    rawInstructions: '',
    voice: '龙婉',
    inputFormat: 'Raw16KHz16BitMonoPcm',
    outputFormat: 'Raw8KHz16BitMonoPcm',
    turnDetection: {
      mode: 'server_vad',
      threshold: 0.5,
      prefixPaddingMs: 300,
      silenceDurationMs: 500,
      createResponse: true,
      interruptResponse: true,
    },
    transcription: { enabled: true, model: '', language: '' },
    temperature: null,
    maxTokens: null,
    tools: [],
    greeting: { enabled: true, text: DEFAULT_GREETING, kind: 'input_text' },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Agent template: compose / parse
// ---------------------------------------------------------------------------------------------------------------

/**
 * Writes the template fields as xStar expects them: `key={value}` blocks, one per non-empty field
 * (`agent_template` always first), multi-line values on their own lines inside the braces.
 */
export function composeInstructions(fields: AgentTemplateFields): string {
  const parts: string[] = [];
  for (const key of AGENT_TEMPLATE_KEYS) {
    const value = fields[key].trim();
    if (value === '') continue;
    parts.push(value.includes('\n') || key !== 'agent_template' ? `${key}={\n${value}\n}` : `${key}={${value}}`);
  }
  return parts.join('\n');
}

/**
 * Reads agent-template fields back out of an `instructions` string. Returns `null` when the text is not in the
 * template form (then the editor shows it in raw mode). `//` comments after a closing brace are ignored, as are
 * blank lines between blocks. `composeInstructions(parseInstructions(s))` is the identity on composed strings.
 */
export function parseInstructions(text: string): AgentTemplateFields | null {
  const marker = new RegExp(`^[ \\t]*(${AGENT_TEMPLATE_KEYS.join('|')})[ \\t]*=[ \\t]*\\{`, 'gm');
  const starts: { key: keyof AgentTemplateFields; at: number; bodyAt: number }[] = [];
  for (let m = marker.exec(text); m; m = marker.exec(text)) {
    starts.push({ key: m[1] as keyof AgentTemplateFields, at: m.index, bodyAt: m.index + m[0].length });
  }
  if (starts.length === 0) return null;
  // Anything before the first block other than whitespace/comments means it is not a pure template.
  if (!isIgnorable(text.slice(0, starts[0].at))) return null;
  const out: AgentTemplateFields = { agent_template: '', bot_info: '', user_info: '', extra_rules: '', extra_skills: '' };
  const seen = new Set<string>();
  for (let i = 0; i < starts.length; i++) {
    const { key, bodyAt } = starts[i];
    if (seen.has(key)) return null;
    seen.add(key);
    const end = i + 1 < starts.length ? starts[i + 1].at : text.length;
    const segment = text.slice(bodyAt, end);
    const close = segment.lastIndexOf('}');
    if (close < 0) return null;
    if (!isIgnorable(segment.slice(close + 1))) return null;
    out[key] = stripOuterNewlines(segment.slice(0, close));
  }
  return out;
}

function isIgnorable(s: string): boolean {
  return s.split('\n').every((line) => {
    const t = line.trim();
    return t === '' || t.startsWith('//');
  });
}

function stripOuterNewlines(s: string): string {
  return s.replace(/^[ \t]*\r?\n/, '').replace(/\r?\n[ \t]*$/, '').trim();
}

/** The `instructions` string the settings produce. */
export function instructionsOf(settings: SessionSettings): string {
  return settings.instructionsMode === 'raw' ? settings.rawInstructions : composeInstructions(settings.template);
}

// ---------------------------------------------------------------------------------------------------------------
// Mapping to the flat (reference / beta-keyed) session config
// ---------------------------------------------------------------------------------------------------------------

/**
 * The flat session config with beta/xStar keys, as `RealtimeClient.updateSession` takes it (the client writes it
 * in the connection's dialect). Structurally compatible with `SessionConfig` of `src/lib/realtime/session.ts`.
 */
export interface FlatSessionConfig {
  instructions?: string;
  voice?: string;
  input_audio_format?: string;
  output_audio_format?: string;
  turn_detection?: TurnDetection | null;
  input_audio_transcription?: InputAudioTranscription | null;
  tools?: ToolDefinition[];
  temperature?: number;
  max_response_output_tokens?: MaxTokens;
  [extra: string]: unknown;
}

/** Maps the console settings to the flat config to send with `session.update`. */
export function toSessionConfig(settings: SessionSettings): FlatSessionConfig {
  const td = settings.turnDetection;
  const out: FlatSessionConfig = {
    instructions: instructionsOf(settings),
    voice: settings.voice,
    input_audio_format: settings.inputFormat,
    output_audio_format: settings.outputFormat,
    turn_detection:
      td.mode === 'manual'
        ? null
        : {
            type: 'server_vad',
            threshold: td.threshold,
            prefix_padding_ms: td.prefixPaddingMs,
            silence_duration_ms: td.silenceDurationMs,
            create_response: td.createResponse,
            interrupt_response: td.interruptResponse,
          },
    input_audio_transcription: settings.transcription.enabled
      ? {
          ...(settings.transcription.model ? { model: settings.transcription.model } : {}),
          ...(settings.transcription.language ? { language: settings.transcription.language } : {}),
        }
      : null,
    tools: settings.tools,
  };
  if (settings.temperature !== null) out.temperature = settings.temperature;
  if (settings.maxTokens !== null) out.max_response_output_tokens = settings.maxTokens;
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Requested vs effective
// ---------------------------------------------------------------------------------------------------------------

/** One compared field. */
export interface SessionDiffRow {
  /** Dotted path in the flat config, e.g. `turn_detection.threshold`. */
  field: string;
  requested: unknown;
  effective: unknown;
  /** `same`: equal; `differs`: the server reports another value; `missing`: the server did not report it. */
  status: 'same' | 'differs' | 'missing';
}

/** Reads a server session of either dialect (GA nests audio settings) into the flat beta-keyed shape. */
export function flattenWireSession(session: Record<string, unknown>): FlatSessionConfig {
  const audio = session.audio as { input?: Record<string, unknown>; output?: Record<string, unknown> } | undefined;
  if (!audio || typeof audio !== 'object') return { ...session } as FlatSessionConfig;
  const out: FlatSessionConfig = {};
  if (session.instructions !== undefined) out.instructions = session.instructions as string;
  if (audio.output?.voice !== undefined) out.voice = audio.output.voice as string;
  if (audio.input?.format !== undefined) out.input_audio_format = audio.input.format as string;
  if (audio.output?.format !== undefined) out.output_audio_format = audio.output.format as string;
  if (audio.input?.turn_detection !== undefined) out.turn_detection = audio.input.turn_detection as TurnDetection | null;
  if (audio.input?.transcription !== undefined)
    out.input_audio_transcription = audio.input.transcription as InputAudioTranscription | null;
  if (session.tools !== undefined) out.tools = session.tools as ToolDefinition[];
  if (session.max_output_tokens !== undefined) out.max_response_output_tokens = session.max_output_tokens as MaxTokens;
  if (session.temperature !== undefined) out.temperature = session.temperature as number;
  return out;
}

/**
 * Compares what the console asked for with what the server reports (`session.created` / `session.updated`,
 * either dialect). Formats compare by encoding and rate (so `pcm16` vs `{type:'audio/pcm', rate:24000}` match);
 * numbers compare with a small tolerance; the tool list compares by names.
 */
export function diffSession(requested: SessionSettings, effective: Record<string, unknown> | null): SessionDiffRow[] {
  const req = toSessionConfig(requested);
  const eff = effective ? flattenWireSession(effective) : {};
  const rows: SessionDiffRow[] = [];
  const has = (k: string) => effective !== null && Object.prototype.hasOwnProperty.call(eff, k);
  const push = (field: string, r: unknown, e: unknown, present: boolean, same: (a: unknown, b: unknown) => boolean) => {
    rows.push({ field, requested: r, effective: present ? e : undefined, status: !present ? 'missing' : same(r, e) ? 'same' : 'differs' });
  };
  push('instructions', req.instructions, eff.instructions, has('instructions'), (a, b) => String(a ?? '').trim() === String(b ?? '').trim());
  push('voice', req.voice, eff.voice, has('voice'), Object.is);
  push('input_audio_format', req.input_audio_format, eff.input_audio_format, has('input_audio_format'), sameFormat);
  push('output_audio_format', req.output_audio_format, eff.output_audio_format, has('output_audio_format'), sameFormat);
  const rtd = req.turn_detection ?? null;
  const etd = (eff.turn_detection ?? null) as TurnDetection | null;
  const tdPresent = has('turn_detection');
  push('turn_detection.type', rtd ? rtd.type : 'none', etd ? etd.type : 'none', tdPresent, Object.is);
  if (rtd) {
    const sub: [string, keyof TurnDetection][] = [
      ['turn_detection.threshold', 'threshold'],
      ['turn_detection.prefix_padding_ms', 'prefix_padding_ms'],
      ['turn_detection.silence_duration_ms', 'silence_duration_ms'],
      ['turn_detection.create_response', 'create_response'],
      ['turn_detection.interrupt_response', 'interrupt_response'],
    ];
    for (const [field, k] of sub) {
      const present = tdPresent && etd !== null && etd[k] !== undefined;
      push(field, rtd[k], etd?.[k], present, sameValue);
    }
  }
  push(
    'input_audio_transcription',
    req.input_audio_transcription ? 'on' : 'off',
    eff.input_audio_transcription ? 'on' : 'off',
    has('input_audio_transcription'),
    Object.is,
  );
  if (req.temperature !== undefined) push('temperature', req.temperature, eff.temperature, has('temperature'), sameValue);
  if (req.max_response_output_tokens !== undefined)
    push('max_response_output_tokens', req.max_response_output_tokens, eff.max_response_output_tokens, has('max_response_output_tokens'), sameValue);
  push(
    'tools',
    (req.tools ?? []).map((t) => t.name).join(','),
    (eff.tools ?? []).map((t) => t.name).join(','),
    has('tools') || (req.tools ?? []).length === 0,
    Object.is,
  );
  return rows;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) < 1e-6;
  return Object.is(a, b);
}

function sameFormat(a: unknown, b: unknown): boolean {
  const fa = resolveFormat(a as string);
  const fb = resolveFormat(b as string);
  if (!fa || !fb) return JSON.stringify(a) === JSON.stringify(b);
  return fa.encoding === fb.encoding && fa.sampleRate === fb.sampleRate;
}
