// The session file: one recorded console session (settings, every event with its time, the conversation with its
// audio) as NDJSON text. Line 1 is the header; every further line is one record (`event` or `item`).
// Framework-free: used by the browser (export/import) and by the emulator's replay mode.

/** Value of the header's `format` field. */
export const SESSION_FILE_FORMAT = 'realtime-console-session';
/** Current format version. Readers accept this version and refuse newer ones with a typed error. */
export const SESSION_FILE_VERSION = 1;
/** Suggested file name extension. */
export const SESSION_FILE_EXTENSION = '.rcsession.jsonl';
/** MIME type used for downloads. */
export const SESSION_FILE_MIME = 'application/x-ndjson';

/** Who produced an event. */
export type RecordedDirection = 'client' | 'server' | 'local';

/** Line 1 of a session file. Never holds an API key (URLs lose their query secrets and credentials). */
export interface SessionFileHeader {
  format: typeof SESSION_FILE_FORMAT;
  version: number;
  /** ISO-8601 time the session started. */
  created: string;
  /** Application that wrote the file, e.g. `realtime-console 0.1.0`. */
  generator?: string;
  /** Provider profile id (`local`, `relay`, `xstar`, `openai`, …). */
  profile: string;
  /** WebSocket URL without credentials or secret query parameters. */
  url: string;
  model: string;
  dialect: 'beta' | 'ga' | null;
  /** The console's requested session settings (no key). */
  settings: Record<string, unknown>;
  /** Free-form title (history panel). */
  title?: string;
}

/** One wire (or local) event with its time. */
export interface RecordedEvent {
  /** Milliseconds since the connection opened (or since the session started). */
  t: number;
  direction: RecordedDirection;
  /** The event; audio payloads may be replaced by `"[audio N B]"` markers (see `restoreAudio`). */
  event: { type: string; [key: string]: unknown };
}

/** The audio of a conversation item: 16-bit little-endian mono PCM, base64. */
export interface RecordedAudio {
  sampleRate: number;
  encoding: 'pcm16';
  data: string;
}

/** One conversation item as the console showed it. */
export interface RecordedItem {
  id: string;
  role: 'user' | 'assistant' | 'system' | 'tool';
  type: 'message' | 'function_call' | 'function_call_output';
  status: string;
  text: string;
  transcript: string;
  /** Epoch ms the item appeared. */
  createdAt: number;
  contentKind?: string;
  truncatedAtMs?: number;
  tool?: { name: string; callId: string; arguments: string; output?: string };
  audio?: RecordedAudio;
}

/** A whole recording in memory. */
export interface SessionRecording {
  header: SessionFileHeader;
  events: RecordedEvent[];
  items: RecordedItem[];
}

/** A line after the header. */
export type SessionFileRecord = ({ kind: 'event' } & RecordedEvent) | ({ kind: 'item' } & RecordedItem);
