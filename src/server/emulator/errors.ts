/** A protocol error the emulator answers with an `error` event (never thrown past the session). */
export class ProtocolError extends Error {
  constructor(
    /** `error.code` on the wire. */
    readonly code: string,
    message: string,
    /** `error.param` on the wire. */
    readonly param: string | null = null,
    /** `error.type` on the wire. */
    readonly type: string = 'invalid_request_error',
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}
