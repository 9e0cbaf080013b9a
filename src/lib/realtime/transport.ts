/**
 * WebSocket wrapper: an injected constructor (browser WebSocket or the `ws` package), auth by subprotocol or by
 * headers, a connect timeout, connection-state changes, and `close` reported exactly once.
 */

import { ConnectionError, reasonForCloseCode, reasonForHttpStatus } from './errors';

/** The event shapes the wrapper reads (browser and `ws` both provide them). */
export interface SocketMessageEvent {
  data: unknown;
}
export interface SocketCloseEvent {
  code: number;
  reason: string;
  wasClean?: boolean;
}
export interface SocketErrorEvent {
  message?: string;
  error?: unknown;
}

/** The part of the WebSocket API the client uses. */
export interface WebSocketLike {
  readonly readyState: number;
  readonly protocol?: string;
  readonly bufferedAmount?: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open', listener: (event: unknown) => void): void;
  addEventListener(type: 'message', listener: (event: SocketMessageEvent) => void): void;
  addEventListener(type: 'close', listener: (event: SocketCloseEvent) => void): void;
  addEventListener(type: 'error', listener: (event: SocketErrorEvent) => void): void;
}

/**
 * A WebSocket constructor: the browser's `WebSocket` (url, protocols) or `ws` (url, protocols, { headers }).
 */
export type WebSocketConstructor = new (url: string, protocols?: string | string[], options?: { headers?: Record<string, string> }) => WebSocketLike;

/** Connection states. */
export type ConnectionState = 'idle' | 'connecting' | 'open' | 'closing' | 'closed';

/** How the socket ended. */
export interface CloseInfo {
  code: number;
  reason: string;
  wasClean: boolean;
  /** Set when the close was not asked for by this client. */
  error?: ConnectionError;
}

/** Options of one socket. */
export interface TransportOptions {
  WebSocket: WebSocketConstructor;
  url: string;
  protocols: string[];
  /** Only passed when non-empty (header auth, Node). */
  headers: Record<string, string>;
  connectTimeoutMs: number;
  onMessage: (text: string) => void;
  /** A socket `error` event after open (before open, `open()` rejects instead). */
  onSocketError: (error: Error) => void;
  /** Called exactly once when the socket is gone (after open, or instead of it). */
  onClose: (info: CloseInfo) => void;
  /** Maps a close to an error, so the owner can explain it (e.g. after a server `invalid_api_key`). */
  explainClose?: (code: number, reason: string) => ConnectionError | undefined;
}

const textDecoder = new TextDecoder();

function frameText(data: unknown): string | null {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return textDecoder.decode(data);
  if (ArrayBuffer.isView(data)) return textDecoder.decode(data);
  return null;
}

/** One WebSocket connection. */
export class Transport {
  private socket: WebSocketLike | null = null;
  private closed = false;
  private opened = false;
  private readonly opts: TransportOptions;
  /** Rejects a pending `open()` (set while opening). */
  private abortOpen: ((err: ConnectionError) => void) | null = null;

  constructor(opts: TransportOptions) {
    this.opts = opts;
  }

  /** True between `open` and close. */
  get isOpen(): boolean {
    return this.opened && !this.closed;
  }

  /** Bytes queued in the socket (0 when unknown). */
  get bufferedAmount(): number {
    return this.socket?.bufferedAmount ?? 0;
  }

  /** The subprotocol the server selected. */
  get protocol(): string {
    return this.socket?.protocol ?? '';
  }

  /** Opens the socket; resolves on `open`, rejects with a {@link ConnectionError} (timeout, unreachable, closed). */
  open(signal?: AbortSignal): Promise<void> {
    const { WebSocket: Ctor, url, protocols, headers } = this.opts;
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      let lastError = '';
      const fail = (err: ConnectionError) => {
        if (settled) return;
        settled = true;
        cleanup();
        this.closed = true;
        try {
          this.socket?.close();
        } catch {
          // closing a socket that never opened may throw in some implementations
        }
        reject(err);
      };
      const onAbort = () => fail(new ConnectionError('aborted', 'connect aborted'));
      this.abortOpen = fail;
      const timer = setTimeout(() => fail(new ConnectionError('timeout', `no WebSocket open within ${this.opts.connectTimeoutMs} ms`)), this.opts.connectTimeoutMs);
      const cleanup = () => {
        this.abortOpen = null;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort);
      let socket: WebSocketLike;
      try {
        socket = Object.keys(headers).length > 0 ? new Ctor(url, protocols, { headers }) : new Ctor(url, protocols);
      } catch (cause) {
        return fail(new ConnectionError('unreachable', `cannot open WebSocket: ${cause instanceof Error ? cause.message : String(cause)}`, { cause }));
      }
      this.socket = socket;
      socket.addEventListener('open', () => {
        if (settled) return;
        settled = true;
        cleanup();
        this.opened = true;
        resolve();
      });
      socket.addEventListener('message', (ev) => {
        if (this.closed) return;
        const text = frameText(ev.data);
        if (text !== null) this.opts.onMessage(text);
      });
      socket.addEventListener('error', (ev) => {
        const msg = ev?.message || (ev?.error instanceof Error ? ev.error.message : '') || 'WebSocket error';
        lastError = msg;
        if (!this.opened) return; // the close that follows rejects open()
        if (!this.closed) this.opts.onSocketError(new Error(msg));
      });
      socket.addEventListener('close', (ev) => {
        const code = typeof ev?.code === 'number' ? ev.code : 1006;
        const reason = typeof ev?.reason === 'string' ? ev.reason : '';
        if (!this.opened) {
          fail(this.beforeOpenError(code, reason, lastError));
          return;
        }
        this.finish({ code, reason, wasClean: ev?.wasClean ?? code === 1000 }, false);
      });
    });
  }

  /** Sends one text frame; returns false when the socket is not open. */
  send(text: string): boolean {
    if (!this.isOpen || !this.socket) return false;
    this.socket.send(text);
    return true;
  }

  /** Closes the socket (asked for by this client: no error); reports close once, synchronously. */
  close(code = 1000, reason = 'client disconnect'): void {
    if (this.abortOpen) {
      // Still opening: the pending open() rejects as aborted; there was no connection to report closed.
      this.abortOpen(new ConnectionError('aborted', 'disconnected while connecting'));
      return;
    }
    if (this.closed) return;
    const s = this.socket;
    this.finish({ code, reason, wasClean: true }, true);
    try {
      s?.close(code, reason);
    } catch {
      // already closing
    }
  }

  private finish(info: CloseInfo, byClient: boolean): void {
    if (this.closed) return;
    this.closed = true;
    if (!byClient) {
      const explained = this.opts.explainClose?.(info.code, info.reason);
      const relay = reasonForCloseCode(info.code);
      info.error =
        explained ??
        (relay
          ? new ConnectionError(relay, `closed by server: ${info.code} ${info.reason}`.trim(), { code: info.code, closeReason: info.reason })
          : new ConnectionError('closed', `connection closed: ${info.code} ${info.reason}`.trim(), { code: info.code, closeReason: info.reason }));
    }
    this.opts.onClose(info);
  }

  private beforeOpenError(code: number, reason: string, lastError: string): ConnectionError {
    const relay = reasonForCloseCode(code);
    if (relay) return new ConnectionError(relay, `closed by server: ${code} ${reason}`.trim(), { code, closeReason: reason });
    // `ws` reports an HTTP answer to the upgrade as "Unexpected server response: 401".
    const m = /Unexpected server response: (\d{3})/.exec(lastError);
    if (m) {
      const status = Number(m[1]);
      return new ConnectionError(reasonForHttpStatus(status), `WebSocket upgrade refused with HTTP ${status}`, { status, code, closeReason: reason });
    }
    return new ConnectionError('unreachable', `could not connect${lastError ? `: ${lastError}` : ''} (close ${code}${reason ? ` ${reason}` : ''})`, { code, closeReason: reason });
  }
}
