/** Why a file could not be read. */
export type SessionFileErrorCode =
  | 'empty'
  | 'not_json'
  | 'not_a_session_file'
  | 'unsupported_version'
  | 'invalid_header'
  | 'invalid_record'
  | 'too_large';

/** A typed failure to read a session file or a relay recording. `line` is 1-based when known. */
export class SessionFileError extends Error {
  readonly code: SessionFileErrorCode;
  readonly line: number | null;
  constructor(code: SessionFileErrorCode, message: string, line: number | null = null) {
    super(line === null ? message : `line ${line}: ${message}`);
    this.name = 'SessionFileError';
    this.code = code;
    this.line = line;
  }
}
