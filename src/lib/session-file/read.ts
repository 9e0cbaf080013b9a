import { decodeSessionFile, looksLikeSessionFile, type DecodeOptions } from './codec';
import { SessionFileError } from './errors';
import { looksLikeRelayRecording, parseRelayRecording } from './relay-jsonl';
import type { SessionRecording } from './types';

/**
 * Reads either a session file or a relay JSONL recording (sniffed from line 1). Throws
 * {@link SessionFileError} (`not_a_session_file` when it is neither).
 */
export function readRecording(text: string, options: DecodeOptions = {}): SessionRecording {
  if (looksLikeSessionFile(text)) return decodeSessionFile(text, options);
  if (looksLikeRelayRecording(text)) return parseRelayRecording(text);
  if (text.trim() === '') throw new SessionFileError('empty', 'the file is empty');
  return decodeSessionFile(text, options); // produces the precise error for line 1
}
