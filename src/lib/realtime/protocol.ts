/**
 * The Realtime wire protocol, both dialects, as TypeScript types and constant name tables.
 *
 * Dependency-free on purpose (types and const tables only): the client and the server emulator both import it.
 * - "beta" is the OpenAI beta shape that xStar speaks (flat session, `response.audio.delta`, …).
 * - "ga" is OpenAI's current shape (`session.type`, nested `audio.input/output`, `response.output_audio.delta`, …).
 * Field names follow the wire exactly (snake_case).
 */

/** The two protocol dialects. */
export type Dialect = 'beta' | 'ga';

/** The subprotocol / header that selects the beta dialect. */
export const BETA_SUBPROTOCOL = 'openai-beta.realtime-v1';
/** The subprotocol every browser client offers first. */
export const REALTIME_SUBPROTOCOL = 'realtime';
/** Prefix of the subprotocol that carries the API key in browsers. */
export const API_KEY_SUBPROTOCOL_PREFIX = 'openai-insecure-api-key.';
/** Header name and value that select the beta dialect in Node. */
export const BETA_HEADER_NAME = 'OpenAI-Beta';
export const BETA_HEADER_VALUE = 'realtime=v1';

// ---------------------------------------------------------------------------------------------------------------
// Audio formats on the wire
// ---------------------------------------------------------------------------------------------------------------

/** A beta / xStar format name (`pcm16`, `g711_ulaw`, `Raw16KHz16BitMonoPcm`, …); kept open for unknown names. */
export type WireFormatName = string;

/** A GA audio format object. */
export type WireGaAudioFormat =
  | { type: 'audio/pcm'; rate?: number }
  | { type: 'audio/pcmu' }
  | { type: 'audio/pcma' };

// ---------------------------------------------------------------------------------------------------------------
// Session configuration
// ---------------------------------------------------------------------------------------------------------------

/** Turn detection (VAD) settings; `null` disables it (manual / push-to-talk). */
export interface TurnDetection {
  type: 'server_vad' | 'semantic_vad' | (string & {});
  threshold?: number;
  prefix_padding_ms?: number;
  silence_duration_ms?: number;
  /** GA `server_vad` only. */
  idle_timeout_ms?: number | null;
  /** `semantic_vad` only. */
  eagerness?: 'low' | 'medium' | 'high' | 'auto';
  create_response?: boolean;
  interrupt_response?: boolean;
}

/** Input transcription (streaming ASR) settings. */
export interface InputAudioTranscription {
  model?: string;
  language?: string;
  prompt?: string;
}

/** Noise reduction on the input. */
export interface NoiseReduction {
  type: 'near_field' | 'far_field' | (string & {});
}

/** A function tool as declared to the server. */
export interface ToolDefinition {
  type?: 'function';
  name: string;
  description?: string;
  /** JSON Schema of the arguments. */
  parameters?: Record<string, unknown>;
}

/** A tool as written on the wire (always with `type`). */
export interface WireTool extends ToolDefinition {
  type: 'function';
}

/** Tool choice. */
export type ToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; name: string };

/** Token cap: a number or `"inf"`. */
export type MaxTokens = number | 'inf';

/** Output modality. */
export type Modality = 'text' | 'audio';

/**
 * The flat session object of the beta dialect (xStar and OpenAI beta).
 * Sent in `session.update.session`; received (full effective config) in `session.created/updated.session`.
 */
export interface BetaSessionConfig {
  /** Present on received sessions. */
  id?: string;
  object?: string;
  model?: string;
  modalities?: Modality[];
  instructions?: string;
  voice?: string;
  input_audio_format?: WireFormatName;
  output_audio_format?: WireFormatName;
  input_audio_transcription?: InputAudioTranscription | null;
  input_audio_noise_reduction?: NoiseReduction | null;
  turn_detection?: TurnDetection | null;
  tools?: WireTool[];
  tool_choice?: ToolChoice;
  temperature?: number;
  max_response_output_tokens?: MaxTokens;
  /** Provider extensions pass through. */
  [extra: string]: unknown;
}

/** GA `audio.input`. */
export interface GaAudioInputConfig {
  format?: WireGaAudioFormat;
  transcription?: InputAudioTranscription | null;
  turn_detection?: TurnDetection | null;
  noise_reduction?: NoiseReduction | null;
}

/** GA `audio.output`. */
export interface GaAudioOutputConfig {
  format?: WireGaAudioFormat;
  voice?: string;
  speed?: number;
}

/** The nested session object of the GA dialect. `type` is required in `session.update`. */
export interface GaSessionConfig {
  type: 'realtime' | 'transcription';
  id?: string;
  object?: string;
  model?: string;
  output_modalities?: Modality[];
  instructions?: string;
  audio?: { input?: GaAudioInputConfig; output?: GaAudioOutputConfig };
  tools?: WireTool[];
  tool_choice?: ToolChoice;
  max_output_tokens?: MaxTokens;
  tracing?: unknown;
  truncation?: unknown;
  prompt?: unknown;
  include?: string[];
  expires_at?: number;
  [extra: string]: unknown;
}

/** A session object as seen on the wire in either dialect. */
export type WireSession = BetaSessionConfig | GaSessionConfig;

// ---------------------------------------------------------------------------------------------------------------
// Items and content
// ---------------------------------------------------------------------------------------------------------------

/** Item status on the wire. */
export type WireItemStatus = 'in_progress' | 'completed' | 'incomplete';

/** Content part types, both dialects (GA assistant content: `output_text` / `output_audio`; xStar: `tts_text`). */
export type ContentType =
  | 'input_text'
  | 'input_audio'
  | 'input_image'
  | 'item_reference'
  | 'tts_text'
  | 'text'
  | 'audio'
  | 'output_text'
  | 'output_audio';

/** One content part of a message item. */
export interface ContentPart {
  type: ContentType | (string & {});
  text?: string;
  /** Base64 audio (input_audio when sent; omitted by servers on received items). */
  audio?: string;
  transcript?: string | null;
  /** `item_reference`. */
  id?: string;
  /** `input_image`. */
  image_url?: string;
}

/** A message item. */
export interface MessageItem {
  id?: string;
  object?: 'realtime.item';
  type: 'message';
  role: 'user' | 'assistant' | 'system';
  status?: WireItemStatus;
  content: ContentPart[];
}

/** A function call item produced by the model. */
export interface FunctionCallItem {
  id?: string;
  object?: 'realtime.item';
  type: 'function_call';
  status?: WireItemStatus;
  call_id: string;
  name: string;
  arguments: string;
}

/** The client's answer to a function call. */
export interface FunctionCallOutputItem {
  id?: string;
  object?: 'realtime.item';
  type: 'function_call_output';
  status?: WireItemStatus;
  call_id: string;
  output: string;
}

/** Any conversation item. */
export type WireItem = MessageItem | FunctionCallItem | FunctionCallOutputItem;

// ---------------------------------------------------------------------------------------------------------------
// Errors and responses
// ---------------------------------------------------------------------------------------------------------------

/** The `error` object of the `error` server event (and of transcription failures). */
export interface WireError {
  type?: string;
  code?: string | null;
  message?: string;
  param?: string | null;
  /** The client event that caused the error, if it carried an `event_id`. */
  event_id?: string | null;
}

/** Response final status. */
export type ResponseStatus = 'in_progress' | 'completed' | 'cancelled' | 'incomplete' | 'failed';

/** Token usage as reported in `response.done`. */
export interface WireUsage {
  total_tokens?: number;
  input_tokens?: number;
  output_tokens?: number;
  input_token_details?: Record<string, unknown>;
  output_token_details?: Record<string, unknown>;
  [extra: string]: unknown;
}

/** The response object of `response.created` / `response.done`. */
export interface WireResponse {
  id: string;
  object?: 'realtime.response';
  status: ResponseStatus;
  status_details?: {
    type?: string;
    reason?: string;
    error?: WireError | null;
  } | null;
  output?: WireItem[];
  usage?: WireUsage | null;
  conversation_id?: string;
  metadata?: Record<string, unknown> | null;
  [extra: string]: unknown;
}

/** Per-response overrides (`response.create.response`), beta shape. */
export interface BetaResponseParams {
  modalities?: Modality[];
  instructions?: string;
  voice?: string;
  output_audio_format?: WireFormatName;
  tools?: WireTool[];
  tool_choice?: ToolChoice;
  temperature?: number;
  max_response_output_tokens?: MaxTokens;
  conversation?: 'auto' | 'none' | (string & {});
  metadata?: Record<string, unknown>;
  input?: WireItem[];
}

/** Per-response overrides (`response.create.response`), GA shape. */
export interface GaResponseParams {
  output_modalities?: Modality[];
  instructions?: string;
  audio?: { output?: { format?: WireGaAudioFormat; voice?: string } };
  tools?: WireTool[];
  tool_choice?: ToolChoice;
  max_output_tokens?: MaxTokens;
  conversation?: 'auto' | 'none';
  metadata?: Record<string, unknown>;
  input?: WireItem[];
}

// ---------------------------------------------------------------------------------------------------------------
// Client -> server events
// ---------------------------------------------------------------------------------------------------------------

interface ClientEventBase {
  event_id?: string;
}

export interface SessionUpdateEvent extends ClientEventBase {
  type: 'session.update';
  session: BetaSessionConfig | GaSessionConfig;
}
export interface TranscriptionSessionUpdateEvent extends ClientEventBase {
  type: 'transcription_session.update';
  session: Record<string, unknown>;
}
export interface InputAudioBufferAppendEvent extends ClientEventBase {
  type: 'input_audio_buffer.append';
  /** Base64 audio in the session's input format. */
  audio: string;
}
export interface InputAudioBufferCommitEvent extends ClientEventBase {
  type: 'input_audio_buffer.commit';
}
export interface InputAudioBufferClearEvent extends ClientEventBase {
  type: 'input_audio_buffer.clear';
}
export interface ConversationItemCreateEvent extends ClientEventBase {
  type: 'conversation.item.create';
  previous_item_id?: string | null;
  item: WireItem;
}
export interface ConversationItemRetrieveEvent extends ClientEventBase {
  type: 'conversation.item.retrieve';
  item_id: string;
}
export interface ConversationItemTruncateEvent extends ClientEventBase {
  type: 'conversation.item.truncate';
  item_id: string;
  content_index: number;
  audio_end_ms: number;
}
export interface ConversationItemDeleteEvent extends ClientEventBase {
  type: 'conversation.item.delete';
  item_id: string;
}
export interface ResponseCreateEvent extends ClientEventBase {
  type: 'response.create';
  response?: BetaResponseParams | GaResponseParams;
}
export interface ResponseCancelEvent extends ClientEventBase {
  type: 'response.cancel';
  response_id?: string;
}
export interface OutputAudioBufferClearEvent extends ClientEventBase {
  type: 'output_audio_buffer.clear';
}

/** Every client event, both dialects. */
export type ClientEvent =
  | SessionUpdateEvent
  | TranscriptionSessionUpdateEvent
  | InputAudioBufferAppendEvent
  | InputAudioBufferCommitEvent
  | InputAudioBufferClearEvent
  | ConversationItemCreateEvent
  | ConversationItemRetrieveEvent
  | ConversationItemTruncateEvent
  | ConversationItemDeleteEvent
  | ResponseCreateEvent
  | ResponseCancelEvent
  | OutputAudioBufferClearEvent;

/** Client event type names. */
export type ClientEventType = ClientEvent['type'];

/** All client event type names (for validation in the emulator). */
export const CLIENT_EVENT_TYPES: readonly ClientEventType[] = [
  'session.update',
  'transcription_session.update',
  'input_audio_buffer.append',
  'input_audio_buffer.commit',
  'input_audio_buffer.clear',
  'conversation.item.create',
  'conversation.item.retrieve',
  'conversation.item.truncate',
  'conversation.item.delete',
  'response.create',
  'response.cancel',
  'output_audio_buffer.clear',
];

// ---------------------------------------------------------------------------------------------------------------
// Server -> client events
// ---------------------------------------------------------------------------------------------------------------

interface ServerEventBase {
  event_id: string;
}

/** Fields shared by the streamed response content events. */
interface ResponseContentRef {
  response_id: string;
  item_id: string;
  output_index: number;
  content_index: number;
}

export interface ErrorEvent extends ServerEventBase {
  type: 'error';
  error: WireError;
}
export interface SessionCreatedEvent extends ServerEventBase {
  type: 'session.created';
  session: WireSession;
}
export interface SessionUpdatedEvent extends ServerEventBase {
  type: 'session.updated';
  session: WireSession;
}
export interface TranscriptionSessionUpdatedEvent extends ServerEventBase {
  type: 'transcription_session.updated' | 'transcription_session.created';
  session: Record<string, unknown>;
}
export interface ConversationCreatedEvent extends ServerEventBase {
  type: 'conversation.created';
  conversation: { id: string; object?: string };
}
/** Beta: the one item announcement. */
export interface ConversationItemCreatedEvent extends ServerEventBase {
  type: 'conversation.item.created';
  previous_item_id?: string | null;
  item: WireItem;
}
/** GA: the item joined the conversation. */
export interface ConversationItemAddedEvent extends ServerEventBase {
  type: 'conversation.item.added';
  previous_item_id?: string | null;
  item: WireItem;
}
/** GA: the item is final (without audio bytes). */
export interface ConversationItemDoneEvent extends ServerEventBase {
  type: 'conversation.item.done';
  previous_item_id?: string | null;
  item: WireItem;
}
export interface ConversationItemRetrievedEvent extends ServerEventBase {
  type: 'conversation.item.retrieved';
  item: WireItem;
}
export interface ConversationItemDeletedEvent extends ServerEventBase {
  type: 'conversation.item.deleted';
  item_id: string;
}
export interface ConversationItemTruncatedEvent extends ServerEventBase {
  type: 'conversation.item.truncated';
  item_id: string;
  content_index: number;
  audio_end_ms: number;
}
/**
 * Streaming ASR partial. OpenAI sends the increment in `delta`; xStar sends the text so far in `transcript`
 * (cumulative). The emulator's beta connections send both.
 */
export interface InputAudioTranscriptionDeltaEvent extends ServerEventBase {
  type: 'conversation.item.input_audio_transcription.delta';
  item_id: string;
  content_index?: number;
  delta?: string;
  transcript?: string;
  logprobs?: unknown;
}
export interface InputAudioTranscriptionCompletedEvent extends ServerEventBase {
  type: 'conversation.item.input_audio_transcription.completed';
  item_id: string;
  content_index: number;
  transcript: string;
  usage?: Record<string, unknown>;
  logprobs?: unknown;
}
export interface InputAudioTranscriptionFailedEvent extends ServerEventBase {
  type: 'conversation.item.input_audio_transcription.failed';
  item_id: string;
  content_index: number;
  error: WireError;
}
export interface InputAudioTranscriptionSegmentEvent extends ServerEventBase {
  type: 'conversation.item.input_audio_transcription.segment';
  id: string;
  item_id: string;
  content_index: number;
  text: string;
  speaker: string;
  start: number;
  end: number;
}
export interface InputAudioBufferCommittedEvent extends ServerEventBase {
  type: 'input_audio_buffer.committed';
  item_id: string;
  previous_item_id?: string | null;
}
export interface InputAudioBufferClearedEvent extends ServerEventBase {
  type: 'input_audio_buffer.cleared';
}
export interface InputAudioBufferSpeechStartedEvent extends ServerEventBase {
  type: 'input_audio_buffer.speech_started';
  audio_start_ms: number;
  item_id: string;
}
export interface InputAudioBufferSpeechStoppedEvent extends ServerEventBase {
  type: 'input_audio_buffer.speech_stopped';
  audio_end_ms: number;
  item_id: string;
}
export interface InputAudioBufferTimeoutTriggeredEvent extends ServerEventBase {
  type: 'input_audio_buffer.timeout_triggered';
  audio_start_ms: number;
  audio_end_ms: number;
  item_id: string;
}
export interface ResponseCreatedEvent extends ServerEventBase {
  type: 'response.created';
  response: WireResponse;
}
export interface ResponseDoneEvent extends ServerEventBase {
  type: 'response.done';
  response: WireResponse;
}
export interface ResponseOutputItemAddedEvent extends ServerEventBase {
  type: 'response.output_item.added';
  response_id: string;
  output_index: number;
  item: WireItem;
}
export interface ResponseOutputItemDoneEvent extends ServerEventBase {
  type: 'response.output_item.done';
  response_id: string;
  output_index: number;
  item: WireItem;
}
/** `part.type` is `text` or `audio` in both dialects. */
export interface ResponseContentPartAddedEvent extends ServerEventBase, ResponseContentRef {
  type: 'response.content_part.added';
  part: ContentPart;
}
export interface ResponseContentPartDoneEvent extends ServerEventBase, ResponseContentRef {
  type: 'response.content_part.done';
  part: ContentPart;
}
export interface ResponseTextDeltaEvent extends ServerEventBase, ResponseContentRef {
  type: 'response.text.delta' | 'response.output_text.delta';
  delta: string;
}
export interface ResponseTextDoneEvent extends ServerEventBase, ResponseContentRef {
  type: 'response.text.done' | 'response.output_text.done';
  text: string;
}
export interface ResponseAudioDeltaEvent extends ServerEventBase, ResponseContentRef {
  type: 'response.audio.delta' | 'response.output_audio.delta';
  /** Base64 audio in the session's output format. */
  delta: string;
}
export interface ResponseAudioDoneEvent extends ServerEventBase, ResponseContentRef {
  type: 'response.audio.done' | 'response.output_audio.done';
}
export interface ResponseAudioTranscriptDeltaEvent extends ServerEventBase, ResponseContentRef {
  type: 'response.audio_transcript.delta' | 'response.output_audio_transcript.delta';
  delta: string;
}
export interface ResponseAudioTranscriptDoneEvent extends ServerEventBase, ResponseContentRef {
  type: 'response.audio_transcript.done' | 'response.output_audio_transcript.done';
  transcript: string;
}
export interface ResponseFunctionCallArgumentsDeltaEvent extends ServerEventBase {
  type: 'response.function_call_arguments.delta';
  response_id: string;
  item_id: string;
  output_index: number;
  call_id: string;
  delta: string;
}
export interface ResponseFunctionCallArgumentsDoneEvent extends ServerEventBase {
  type: 'response.function_call_arguments.done';
  response_id: string;
  item_id: string;
  output_index: number;
  call_id: string;
  arguments: string;
  /** GA only. */
  name?: string;
}
export interface RateLimitsUpdatedEvent extends ServerEventBase {
  type: 'rate_limits.updated';
  rate_limits: { name: string; limit: number; remaining: number; reset_seconds: number }[];
}
export interface OutputAudioBufferEvent extends ServerEventBase {
  type: 'output_audio_buffer.started' | 'output_audio_buffer.stopped' | 'output_audio_buffer.cleared';
  response_id: string;
}

/** Every server event the client understands, both dialects. */
export type ServerEvent =
  | ErrorEvent
  | SessionCreatedEvent
  | SessionUpdatedEvent
  | TranscriptionSessionUpdatedEvent
  | ConversationCreatedEvent
  | ConversationItemCreatedEvent
  | ConversationItemAddedEvent
  | ConversationItemDoneEvent
  | ConversationItemRetrievedEvent
  | ConversationItemDeletedEvent
  | ConversationItemTruncatedEvent
  | InputAudioTranscriptionDeltaEvent
  | InputAudioTranscriptionCompletedEvent
  | InputAudioTranscriptionFailedEvent
  | InputAudioTranscriptionSegmentEvent
  | InputAudioBufferCommittedEvent
  | InputAudioBufferClearedEvent
  | InputAudioBufferSpeechStartedEvent
  | InputAudioBufferSpeechStoppedEvent
  | InputAudioBufferTimeoutTriggeredEvent
  | ResponseCreatedEvent
  | ResponseDoneEvent
  | ResponseOutputItemAddedEvent
  | ResponseOutputItemDoneEvent
  | ResponseContentPartAddedEvent
  | ResponseContentPartDoneEvent
  | ResponseTextDeltaEvent
  | ResponseTextDoneEvent
  | ResponseAudioDeltaEvent
  | ResponseAudioDoneEvent
  | ResponseAudioTranscriptDeltaEvent
  | ResponseAudioTranscriptDoneEvent
  | ResponseFunctionCallArgumentsDeltaEvent
  | ResponseFunctionCallArgumentsDoneEvent
  | RateLimitsUpdatedEvent
  | OutputAudioBufferEvent;

/** Server event type names (both dialects). */
export type ServerEventType = ServerEvent['type'];

/** Narrow a server event union by its `type`. */
export type ServerEventOf<T extends ServerEventType> = Extract<ServerEvent, { type: T }>;

/** Narrow a client event union by its `type`. */
export type ClientEventOf<T extends ClientEventType> = Extract<ClientEvent, { type: T }>;

/** Any frame as parsed off the wire: at least a `type`. */
export interface RawEvent {
  type: string;
  event_id?: string;
  [key: string]: unknown;
}

// ---------------------------------------------------------------------------------------------------------------
// Name tables
// ---------------------------------------------------------------------------------------------------------------

/**
 * Server event names that differ between the dialects, beta -> GA (one-to-one renames).
 * `conversation.item.created` (beta) corresponds to the GA pair `conversation.item.added` + `.done`, which is not
 * a rename; see {@link BETA_ONLY_SERVER_EVENTS} and {@link GA_ONLY_SERVER_EVENTS}.
 */
export const BETA_TO_GA_SERVER_EVENT = {
  'response.text.delta': 'response.output_text.delta',
  'response.text.done': 'response.output_text.done',
  'response.audio.delta': 'response.output_audio.delta',
  'response.audio.done': 'response.output_audio.done',
  'response.audio_transcript.delta': 'response.output_audio_transcript.delta',
  'response.audio_transcript.done': 'response.output_audio_transcript.done',
} as const;

/** GA -> beta renames (the inverse of {@link BETA_TO_GA_SERVER_EVENT}). */
export const GA_TO_BETA_SERVER_EVENT = {
  'response.output_text.delta': 'response.text.delta',
  'response.output_text.done': 'response.text.done',
  'response.output_audio.delta': 'response.audio.delta',
  'response.output_audio.done': 'response.audio.done',
  'response.output_audio_transcript.delta': 'response.audio_transcript.delta',
  'response.output_audio_transcript.done': 'response.audio_transcript.done',
} as const;

/** Beta names that have a GA rename. */
export type BetaRenamedServerEventType = keyof typeof BETA_TO_GA_SERVER_EVENT;
/** GA names that have a beta rename. */
export type GaRenamedServerEventType = keyof typeof GA_TO_BETA_SERVER_EVENT;

/** Server events a beta server sends and a GA server does not (besides the renames). */
export const BETA_ONLY_SERVER_EVENTS: readonly string[] = [
  'conversation.item.created',
  'transcription_session.created',
  'transcription_session.updated',
];

/** Server events only a GA server sends (besides the renames). */
export const GA_ONLY_SERVER_EVENTS: readonly string[] = [
  'conversation.item.added',
  'conversation.item.done',
  'input_audio_buffer.timeout_triggered',
  'input_audio_buffer.dtmf_event_received',
  'conversation.item.input_audio_transcription.segment',
  'mcp_list_tools.in_progress',
  'mcp_list_tools.completed',
  'mcp_list_tools.failed',
  'response.mcp_call_arguments.delta',
  'response.mcp_call_arguments.done',
  'response.mcp_call.in_progress',
  'response.mcp_call.completed',
  'response.mcp_call.failed',
];

/** Client events only the beta dialect has. */
export const BETA_ONLY_CLIENT_EVENTS: readonly string[] = ['transcription_session.update'];

/** Server events whose name is the same in both dialects. */
export const SHARED_SERVER_EVENTS: readonly string[] = [
  'error',
  'session.created',
  'session.updated',
  'conversation.created',
  'conversation.item.retrieved',
  'conversation.item.deleted',
  'conversation.item.truncated',
  'conversation.item.input_audio_transcription.delta',
  'conversation.item.input_audio_transcription.completed',
  'conversation.item.input_audio_transcription.failed',
  'input_audio_buffer.committed',
  'input_audio_buffer.cleared',
  'input_audio_buffer.speech_started',
  'input_audio_buffer.speech_stopped',
  'output_audio_buffer.started',
  'output_audio_buffer.stopped',
  'output_audio_buffer.cleared',
  'response.created',
  'response.done',
  'response.output_item.added',
  'response.output_item.done',
  'response.content_part.added',
  'response.content_part.done',
  'response.function_call_arguments.delta',
  'response.function_call_arguments.done',
  'rate_limits.updated',
];

/**
 * The server event name to use in `dialect` for a name given in either dialect.
 * Names without a rename come back unchanged (e.g. `conversation.item.created` stays as it is: the caller decides
 * whether to send `added` + `done` instead).
 */
export function serverEventName(name: string, dialect: Dialect): string {
  if (dialect === 'ga') {
    return (BETA_TO_GA_SERVER_EVENT as Record<string, string>)[name] ?? name;
  }
  return (GA_TO_BETA_SERVER_EVENT as Record<string, string>)[name] ?? name;
}

/** Assistant content type renames: beta -> GA item content. (`content_part.*` parts keep `text`/`audio`.) */
export const BETA_TO_GA_CONTENT_TYPE = {
  text: 'output_text',
  audio: 'output_audio',
} as const;

/** Assistant content type renames: GA -> beta item content. */
export const GA_TO_BETA_CONTENT_TYPE = {
  output_text: 'text',
  output_audio: 'audio',
} as const;

/** Session keys that map one-to-one between the flat beta shape and the GA nested shape (GA path as dotted key). */
export const BETA_TO_GA_SESSION_KEY = {
  modalities: 'output_modalities',
  instructions: 'instructions',
  voice: 'audio.output.voice',
  input_audio_format: 'audio.input.format',
  output_audio_format: 'audio.output.format',
  input_audio_transcription: 'audio.input.transcription',
  turn_detection: 'audio.input.turn_detection',
  input_audio_noise_reduction: 'audio.input.noise_reduction',
  tools: 'tools',
  tool_choice: 'tool_choice',
  max_response_output_tokens: 'max_output_tokens',
} as const;

/** Beta session keys that GA rejects (`unknown_parameter`) and that have no GA equivalent. */
export const BETA_ONLY_SESSION_KEYS: readonly string[] = ['temperature'];

// ---------------------------------------------------------------------------------------------------------------
// Well-known error codes
// ---------------------------------------------------------------------------------------------------------------

/** Error codes servers send (and the emulator reproduces). */
export const ERROR_CODES = {
  invalidEvent: 'invalid_event',
  invalidValue: 'invalid_value',
  unknownParameter: 'unknown_parameter',
  missingRequiredParameter: 'missing_required_parameter',
  commitEmpty: 'input_audio_buffer_commit_empty',
  activeResponse: 'conversation_already_has_active_response',
  cancelNotActive: 'response_cancel_not_active',
  invalidApiKey: 'invalid_api_key',
  itemNotFound: 'item_not_found',
} as const;

/** Close codes the local relay uses to report upstream failures (DESIGN §7). */
export const RELAY_CLOSE_CODES = {
  unauthorized: 4401,
  forbidden: 4403,
  rateLimited: 4429,
  unreachable: 4502,
  timeout: 4504,
} as const;
