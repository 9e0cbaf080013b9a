import { SESSION_FILE_EXTENSION, type SessionRecording } from '../../lib/session-file';

/** The replay name of a recording (`session-<created>`); the file is that plus {@link SESSION_FILE_EXTENSION}. */
export function replayName(rec: SessionRecording): string {
  return `session-${rec.header.created.replace(/[:.]/g, '-')}`;
}

/** A file name for a recording: `session-<created>.rcsession.jsonl`. */
export function sessionFileName(rec: SessionRecording): string {
  return `${replayName(rec)}${SESSION_FILE_EXTENSION}`;
}
