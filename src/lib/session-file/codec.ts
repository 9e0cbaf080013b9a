// Encode/decode of the NDJSON session file, with typed errors that say which line is wrong.
import { SessionFileError } from './errors';
import { sanitizeUrl, scrubSecrets } from './sanitize';
import {
  SESSION_FILE_FORMAT,
  SESSION_FILE_VERSION,
  type RecordedDirection,
  type RecordedEvent,
  type RecordedItem,
  type SessionFileHeader,
  type SessionRecording,
} from './types';

const DIRECTIONS = new Set<RecordedDirection>(['client', 'server', 'local']);
const ROLES = new Set(['user', 'assistant', 'system', 'tool']);
const ITEM_TYPES = new Set(['message', 'function_call', 'function_call_output']);

/**
 * Writes a recording as NDJSON: the header, then events in time order, then items in conversation order.
 * The URL is sanitised and secret-named fields are redacted on the way out, whatever the caller passed.
 */
export function encodeSessionFile(rec: SessionRecording): string {
  const header: SessionFileHeader = {
    ...rec.header,
    format: SESSION_FILE_FORMAT,
    version: SESSION_FILE_VERSION,
    url: sanitizeUrl(rec.header.url),
    settings: scrubSecrets(rec.header.settings),
  };
  const lines: string[] = [JSON.stringify(header)];
  for (const e of rec.events) lines.push(JSON.stringify({ kind: 'event', t: e.t, direction: e.direction, event: scrubSecrets(e.event) }));
  for (const it of rec.items) lines.push(JSON.stringify({ kind: 'item', ...it }));
  return `${lines.join('\n')}\n`;
}

/** Whether `text` starts like a session file (cheap sniff of line 1). */
export function looksLikeSessionFile(text: string): boolean {
  const first = firstLine(text);
  return first.includes(`"${SESSION_FILE_FORMAT}"`);
}

/** Options of {@link decodeSessionFile}. */
export interface DecodeOptions {
  /** Refuse texts longer than this many characters (default 1 GiB). */
  maxChars?: number;
}

/**
 * Reads a session file. Throws {@link SessionFileError}: `empty`, `not_json` (line 1), `not_a_session_file`,
 * `unsupported_version` (newer than {@link SESSION_FILE_VERSION}), `invalid_header`, `invalid_record` (with the
 * line), `too_large`. Blank lines are ignored; unknown record kinds are skipped (forward compatible).
 */
export function decodeSessionFile(text: string, options: DecodeOptions = {}): SessionRecording {
  const max = options.maxChars ?? 1024 * 1024 * 1024;
  if (text.length > max) throw new SessionFileError('too_large', `the file is larger than ${max} characters`);
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length && lines[i].trim() === '') i++;
  if (i === lines.length) throw new SessionFileError('empty', 'the file is empty');
  let raw: unknown;
  try {
    raw = JSON.parse(lines[i]);
  } catch {
    throw new SessionFileError('not_json', 'the first line is not JSON', i + 1);
  }
  const header = readHeader(raw, i + 1);
  const events: RecordedEvent[] = [];
  const items: RecordedItem[] = [];
  for (let n = i + 1; n < lines.length; n++) {
    const line = lines[n].trim();
    if (line === '') continue;
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch {
      throw new SessionFileError('invalid_record', 'not JSON', n + 1);
    }
    if (!isObject(rec)) throw new SessionFileError('invalid_record', 'not an object', n + 1);
    if (rec.kind === 'event') events.push(readEvent(rec, n + 1));
    else if (rec.kind === 'item') items.push(readItem(rec, n + 1));
    // other kinds: written by a later minor revision; skipped
  }
  return { header, events, items };
}

function readHeader(raw: unknown, line: number): SessionFileHeader {
  if (!isObject(raw) || raw.format !== SESSION_FILE_FORMAT) {
    throw new SessionFileError('not_a_session_file', `the first line has no "format": "${SESSION_FILE_FORMAT}"`, line);
  }
  const version = raw.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new SessionFileError('invalid_header', 'the header has no valid "version"', line);
  }
  if (version > SESSION_FILE_VERSION) {
    throw new SessionFileError(
      'unsupported_version',
      `the file has format version ${version}; this console reads up to version ${SESSION_FILE_VERSION}`,
      line,
    );
  }
  if (typeof raw.created !== 'string') throw new SessionFileError('invalid_header', 'the header has no "created" time', line);
  const dialect = raw.dialect === 'beta' || raw.dialect === 'ga' ? raw.dialect : null;
  return {
    format: SESSION_FILE_FORMAT,
    version,
    created: raw.created,
    ...(typeof raw.generator === 'string' ? { generator: raw.generator } : {}),
    profile: typeof raw.profile === 'string' ? raw.profile : '',
    url: typeof raw.url === 'string' ? raw.url : '',
    model: typeof raw.model === 'string' ? raw.model : '',
    dialect,
    settings: isObject(raw.settings) ? raw.settings : {},
    ...(typeof raw.title === 'string' ? { title: raw.title } : {}),
  };
}

function readEvent(rec: Record<string, unknown>, line: number): RecordedEvent {
  if (typeof rec.t !== 'number' || !Number.isFinite(rec.t) || rec.t < 0) throw new SessionFileError('invalid_record', 'event without a valid "t"', line);
  if (!DIRECTIONS.has(rec.direction as RecordedDirection)) throw new SessionFileError('invalid_record', 'event without a valid "direction"', line);
  const ev = rec.event;
  if (!isObject(ev) || typeof ev.type !== 'string') throw new SessionFileError('invalid_record', 'event without a "type"', line);
  return { t: rec.t, direction: rec.direction as RecordedDirection, event: ev as RecordedEvent['event'] };
}

function readItem(rec: Record<string, unknown>, line: number): RecordedItem {
  if (typeof rec.id !== 'string' || rec.id === '') throw new SessionFileError('invalid_record', 'item without an "id"', line);
  if (!ROLES.has(rec.role as string)) throw new SessionFileError('invalid_record', 'item with an unknown "role"', line);
  if (!ITEM_TYPES.has(rec.type as string)) throw new SessionFileError('invalid_record', 'item with an unknown "type"', line);
  const item: RecordedItem = {
    id: rec.id,
    role: rec.role as RecordedItem['role'],
    type: rec.type as RecordedItem['type'],
    status: typeof rec.status === 'string' ? rec.status : 'completed',
    text: typeof rec.text === 'string' ? rec.text : '',
    transcript: typeof rec.transcript === 'string' ? rec.transcript : '',
    createdAt: typeof rec.createdAt === 'number' ? rec.createdAt : 0,
  };
  if (typeof rec.contentKind === 'string') item.contentKind = rec.contentKind;
  if (typeof rec.truncatedAtMs === 'number') item.truncatedAtMs = rec.truncatedAtMs;
  if (isObject(rec.tool)) {
    const t = rec.tool;
    item.tool = {
      name: typeof t.name === 'string' ? t.name : '',
      callId: typeof t.callId === 'string' ? t.callId : '',
      arguments: typeof t.arguments === 'string' ? t.arguments : '',
      ...(typeof t.output === 'string' ? { output: t.output } : {}),
    };
  }
  if (rec.audio !== undefined) {
    const a = rec.audio;
    if (!isObject(a) || a.encoding !== 'pcm16' || typeof a.sampleRate !== 'number' || !(a.sampleRate > 0) || typeof a.data !== 'string') {
      throw new SessionFileError('invalid_record', 'item audio must be {sampleRate, encoding: "pcm16", data: base64}', line);
    }
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(a.data) || a.data.length % 4 !== 0) {
      throw new SessionFileError('invalid_record', 'item audio is not valid base64', line);
    }
    item.audio = { sampleRate: a.sampleRate, encoding: 'pcm16', data: a.data };
  }
  return item;
}

function firstLine(text: string): string {
  const trimmed = text.replace(/^\s+/, '');
  const nl = trimmed.indexOf('\n');
  return nl < 0 ? trimmed : trimmed.slice(0, nl);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
