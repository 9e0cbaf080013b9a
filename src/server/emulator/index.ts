/**
 * The offline realtime emulator: the server side of the OpenAI Realtime protocol in both dialects
 * (GA by default, beta with the xStar extensions when the beta marker is present). Mounted by the
 * hosting layer on `/v1/realtime`; this module owns the WebSocket from the upgrade on.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { timingSafeEqual } from 'node:crypto';
import { WebSocketServer } from 'ws';
import type { Synthesizer } from '../tts/types';
import { parseHandshake, selectProtocol } from './handshake';
import { MemoryStore } from './plugins/memory';
import { Session } from './session';
import { DEFAULT_REPLAY_DIR, ReplayError, ReplaySession, ReplaySource } from './replay';
import { VOICES } from './voices';

export type { Dialect, HandshakeInfo } from './handshake';
export type { FaultPlan } from './faults';

/** Frames larger than this close the socket with 1009 (`ws` does it for us). */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

/** Options of an {@link Emulator}. */
export interface EmulatorOptions {
  /** When set, only this key is accepted (DESIGN §7 auth failure behaviour). */
  apiKey?: string;
  /** Offline TTS; null/unavailable → text-only replies, said once in the log. */
  synthesizer?: Synthesizer | null;
  /** One line per notable event (never a key). Default: no logging. */
  log?: (line: string) => void;
  /**
   * Test-only: how many times faster than real time output audio is paced (default 1 = real time).
   * Audio content, chunk sizes and event order do not change.
   */
  pacingSpeed?: number;
  /** Directories searched for `?replay=NAME` files (default [`./recordings`]). */
  replayDirs?: readonly string[];
}

function keysEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function errorBody(code: string, message: string, type = 'invalid_request_error'): string {
  return JSON.stringify({ error: { type, code, message, param: null } });
}

/** The emulator: one instance per server, any number of sessions. */
export class Emulator {
  private readonly wss: WebSocketServer;
  private readonly sessions = new Set<Session | ReplaySession>();
  private readonly replays: ReplaySource;
  private readonly memory = new MemoryStore();
  private readonly options: EmulatorOptions;
  private readonly log: (line: string) => void;
  private closed = false;

  constructor(options: EmulatorOptions = {}) {
    this.options = options;
    this.log = options.log ?? (() => {});
    this.replays = new ReplaySource(options.replayDirs ?? [DEFAULT_REPLAY_DIR]);
    this.wss = new WebSocketServer({
      noServer: true,
      handleProtocols: selectProtocol,
      maxPayload: MAX_FRAME_BYTES,
      perMessageDeflate: false,
    });
    const synth = options.synthesizer;
    if (!synth || !synth.available) {
      this.log(`emulator: speech synthesiser unavailable (${synth?.unavailableReason ?? 'none configured'}); replies are text only`);
    }
  }

  /** Number of open sessions (for tests and load reports). */
  get sessionCount(): number {
    return this.sessions.size;
  }

  private authorised(key: string | null): boolean {
    const expected = this.options.apiKey;
    if (expected === undefined || expected === '') return true;
    return key !== null && keysEqual(key, expected);
  }

  /** Handles an HTTP upgrade whose path is /v1/realtime (any query). Owns the socket from here on. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    if (this.closed) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const info = parseHandshake(req);
    if (info.faults.rateLimit) {
      const body = errorBody('rate_limit_exceeded', 'Rate limit reached (emulator fault=rate-limit).', 'rate_limit_error');
      socket.end(
        `HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n${body}`,
      );
      this.log('emulator: upgrade refused with 429 (fault=rate-limit)');
      return;
    }
    if (info.replay) {
      this.upgradeReplay(req, socket, head, info.replay);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const session = new Session(ws, info, {
        authorised: this.authorised(info.apiKey),
        synthesizer: this.options.synthesizer?.available ? this.options.synthesizer : null,
        memory: this.memory,
        log: this.log,
        pacingSpeed: this.options.pacingSpeed && this.options.pacingSpeed > 0 ? this.options.pacingSpeed : 1,
      });
      this.sessions.add(session);
      session.onClosed(() => this.sessions.delete(session));
    });
  }

  /** Replay mode: load the recording, then serve it (or refuse the upgrade with the replay error's status). */
  private upgradeReplay(req: IncomingMessage, socket: Duplex, head: Buffer, replay: { name: string; speed: number }): void {
    this.replays.load(replay.name).then(
      (frames) => {
        if (this.closed || socket.destroyed) {
          socket.destroy();
          return;
        }
        this.wss.handleUpgrade(req, socket, head, (ws) => {
          this.log(`emulator: replaying "${replay.name}" (${frames.length} frames, speed ${replay.speed})`);
          const session = new ReplaySession(ws, frames, replay.speed, this.log);
          this.sessions.add(session);
          session.onClosed(() => this.sessions.delete(session));
        });
      },
      (error: unknown) => {
        const e = error instanceof ReplayError ? error : new ReplayError('invalid_replay_file', 'replay file cannot be read', 500);
        const body = errorBody(e.code, e.message);
        const reason = { 400: 'Bad Request', 404: 'Not Found', 413: 'Payload Too Large', 422: 'Unprocessable Entity' }[e.status] ?? 'Error';
        socket.end(`HTTP/1.1 ${e.status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
        this.log(`emulator: replay refused: ${e.message}`);
      },
    );
  }

  /** Answers the GET pre-check on /v1/realtime (200 JSON, or 401/429 JSON error bodies). */
  handlePrecheck(req: IncomingMessage, res: ServerResponse): void {
    const replay = parseHandshake(req).replay;
    if (replay && (req.method === 'GET' || req.method === 'HEAD')) {
      this.replays.locate(replay.name).then(
        () => this.answerPrecheck(req, res),
        (error: unknown) => {
          const e = error instanceof ReplayError ? error : new ReplayError('replay_not_found', 'replay file cannot be read', 404);
          res.writeHead(e.status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
          res.end(errorBody(e.code, e.message));
        },
      );
      return;
    }
    this.answerPrecheck(req, res);
  }

  private answerPrecheck(req: IncomingMessage, res: ServerResponse): void {
    const info = parseHandshake(req);
    const send = (status: number, body: string): void => {
      res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET');
      send(405, errorBody('method_not_allowed', 'Only GET is supported on this path without a WebSocket upgrade.'));
      return;
    }
    if (info.faults.rateLimit) {
      res.setHeader('Retry-After', '1');
      send(429, errorBody('rate_limit_exceeded', 'Rate limit reached (emulator fault=rate-limit).', 'rate_limit_error'));
      return;
    }
    if (!this.authorised(info.apiKey)) {
      send(401, errorBody('invalid_api_key', 'Incorrect API key provided.'));
      return;
    }
    send(
      200,
      JSON.stringify({ object: 'realtime.precheck', status: 'ok', model: info.model, userId: info.userId, dialect: info.dialect }),
    );
  }

  /** Closes every session (1001) and releases timers. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.sessions].map((s) => s.close(1001, 'server shutting down')));
    this.sessions.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

/** GET /v1/models body: {object:"list", data:[{id, object:"model", owned_by}]} */
export function listModels(): { object: 'list'; data: { id: string; object: 'model'; owned_by: string }[] } {
  const ids = ['emulator-realtime', 'gpt-realtime', 'gpt-4o-realtime-preview', 'qwen-plus', 'qwen-max@DashScope'];
  return { object: 'list', data: ids.map((id) => ({ id, object: 'model' as const, owned_by: 'realtime-console-emulator' })) };
}

/** GET /v1/realtime/voiceList body: the emulator's voices (must include 龙婉), each with its name and language. */
export function listVoices(): { object: 'list'; data: { id: string; name: string; language: string }[] } {
  return { object: 'list', data: VOICES.map((v) => ({ id: v.id, name: v.name, language: v.language })) };
}
