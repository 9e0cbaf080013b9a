// The relay's JSONL recordings (RECORD_DIR, src/server/relay/recorder.ts) read as a session recording, so a
// session captured against the real service can be opened in the console and replayed by the emulator.
import { SessionFileError } from './errors';
import { sanitizeUrl } from './sanitize';
import { SESSION_FILE_FORMAT, SESSION_FILE_VERSION, type RecordedEvent, type SessionRecording } from './types';

/** Event type of a text frame that was not JSON (kept verbatim in `raw`, replayed as it came). */
export const UNPARSABLE_TYPE = '(unparsable)';
/** Event type of a binary frame (`base64` holds the bytes). */
export const BINARY_TYPE = '(binary)';

/** Whether `text` looks like a relay recording (line 1 is a `note` or `frame` record with a time). */
export function looksLikeRelayRecording(text: string): boolean {
  const first = text.replace(/^\s+/, '').split('\n', 1)[0];
  try {
    const o = JSON.parse(first) as { t?: unknown; kind?: unknown };
    return typeof o.t === 'number' && (o.kind === 'note' || o.kind === 'frame');
  } catch {
    return false;
  }
}

/**
 * Converts a relay recording: `from: client` frames become client events, `upstream` frames server events, the
 * times become ms since the `open` note (else since the first line). Notes are kept as local events
 * (`local.relay.<event>`). Throws {@link SessionFileError} on an empty file or a line that is not a record.
 */
export function parseRelayRecording(text: string): SessionRecording {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new SessionFileError('empty', 'the recording is empty');
  const events: RecordedEvent[] = [];
  let origin: number | null = null;
  let url = '';
  let dialect: 'beta' | 'ga' | null = null;
  for (let n = 0; n < lines.length; n++) {
    let rec: Record<string, unknown>;
    try {
      rec = JSON.parse(lines[n]) as Record<string, unknown>;
    } catch {
      throw new SessionFileError(n === 0 ? 'not_json' : 'invalid_record', 'not JSON', n + 1);
    }
    if (!rec || typeof rec !== 'object' || typeof rec.t !== 'number' || (rec.kind !== 'note' && rec.kind !== 'frame')) {
      throw new SessionFileError(n === 0 ? 'not_a_session_file' : 'invalid_record', 'not a relay recording line ({t, kind: "frame"|"note"})', n + 1);
    }
    origin ??= rec.t;
    const t = Math.max(0, rec.t - origin);
    if (rec.kind === 'note') {
      const detail = (rec.detail && typeof rec.detail === 'object' ? rec.detail : {}) as Record<string, unknown>;
      if (rec.event === 'open') {
        if (typeof detail.upstream === 'string') url = sanitizeUrl(detail.upstream);
        dialect = detail.beta === true ? 'beta' : 'ga';
      }
      events.push({ t, direction: 'local', event: { type: `local.relay.${String(rec.event)}`, ...detail } });
      continue;
    }
    const direction = rec.from === 'client' ? 'client' : 'server';
    if (rec.binary === true) {
      events.push({ t, direction, event: { type: BINARY_TYPE, bytes: rec.bytes, base64: typeof rec.base64 === 'string' ? rec.base64 : '' } });
      continue;
    }
    const raw = typeof rec.text === 'string' ? rec.text : '';
    let event: RecordedEvent['event'];
    try {
      const parsed = JSON.parse(raw) as unknown;
      event =
        parsed && typeof parsed === 'object' && !Array.isArray(parsed) && typeof (parsed as { type?: unknown }).type === 'string'
          ? (parsed as RecordedEvent['event'])
          : { type: UNPARSABLE_TYPE, raw };
    } catch {
      event = { type: UNPARSABLE_TYPE, raw };
    }
    events.push({ t, direction, event });
  }
  const model = /[?&]model=([^&]*)/.exec(url)?.[1];
  return {
    header: {
      format: SESSION_FILE_FORMAT,
      version: SESSION_FILE_VERSION,
      created: new Date(origin ?? 0).toISOString(),
      generator: 'relay recording',
      profile: 'relay',
      url,
      model: model ? decodeURIComponent(model) : '',
      dialect,
      settings: {},
    },
    events,
    items: [],
  };
}
