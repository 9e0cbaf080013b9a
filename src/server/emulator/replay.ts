/**
 * Replay mode of the emulator (`?replay=NAME` on the WebSocket URL): instead of emulating, the connection is
 * served the server frames of a recorded session — a console session file (`.rcsession.jsonl`) or a relay JSONL
 * recording (RECORD_DIR) — each at its original offset from connection open (divided by `replay_speed`), starting
 * with the recorded `session.created`. Client frames are read and ignored. Files come from the replay
 * directories only (REPLAY_DIR, then RECORD_DIR); names with path separators or outside them are refused.
 */
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { WebSocket } from 'ws';
import { buildReplayPlan, readRecording, SessionFileError, type ReplayFrame } from '../../lib/session-file';

/** Default directory for replay files, relative to the server's working directory. */
export const DEFAULT_REPLAY_DIR = './recordings';
/** Largest replay file read (bytes). */
export const MAX_REPLAY_FILE_BYTES = 256 * 1024 * 1024;
/** Extensions tried after the bare name. */
const EXTENSIONS = ['', '.rcsession.jsonl', '.jsonl'];
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;

/** Why a replay cannot be served; `status` is the HTTP status the pre-check and the upgrade answer with. */
export class ReplayError extends Error {
  override name = 'ReplayError';
  constructor(
    readonly code: 'invalid_replay_name' | 'replay_not_found' | 'replay_too_large' | 'invalid_replay_file',
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Finds and reads replay files in a list of directories. */
export class ReplaySource {
  private readonly dirs: string[];
  constructor(dirs: readonly string[], private readonly maxBytes = MAX_REPLAY_FILE_BYTES) {
    this.dirs = dirs.filter((d) => d.trim() !== '').map((d) => resolve(d));
  }

  /** Absolute path of the file `name` names, or a {@link ReplayError}. */
  async locate(name: string): Promise<string> {
    if (!NAME.test(name)) {
      throw new ReplayError('invalid_replay_name', 'replay names are file names (letters, digits, ".", "_", "-"), no paths', 400);
    }
    for (const dir of this.dirs) {
      for (const ext of EXTENSIONS) {
        const path = resolve(join(dir, name + ext));
        const rel = relative(dir, path);
        if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) continue; // never outside the directory
        try {
          const s = await stat(path);
          if (!s.isFile()) continue;
          if (s.size > this.maxBytes) throw new ReplayError('replay_too_large', `replay file is larger than ${this.maxBytes} bytes`, 413);
          return path;
        } catch (error) {
          if (error instanceof ReplayError) throw error;
        }
      }
    }
    throw new ReplayError('replay_not_found', `no replay file named "${name}" in the replay directory (REPLAY_DIR)`, 404);
  }

  /** The frames the recording `name` replays. */
  async load(name: string): Promise<ReplayFrame[]> {
    const path = await this.locate(name);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      throw new ReplayError('replay_not_found', `replay file "${name}" cannot be read`, 404);
    }
    try {
      return buildReplayPlan(readRecording(text));
    } catch (error) {
      if (error instanceof SessionFileError) throw new ReplayError('invalid_replay_file', `replay file "${name}": ${error.message}`, 422);
      throw error;
    }
  }
}

/** Serves one replay over an open socket; owns its timer. */
export class ReplaySession {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private next = 0;
  private readonly startedAt = performance.now();
  private readonly closedListeners: (() => void)[] = [];
  private done = false;
  /** Client frames received (and ignored). */
  clientFrames = 0;

  constructor(
    private readonly ws: WebSocket,
    private readonly frames: readonly ReplayFrame[],
    private readonly speed: number,
    private readonly log: (line: string) => void = () => {},
  ) {
    ws.on('message', () => {
      this.clientFrames++;
    });
    ws.on('close', () => this.finish());
    ws.on('error', () => this.finish());
    this.schedule();
  }

  /** Called once the socket is gone. */
  onClosed(listener: () => void): void {
    if (this.done) listener();
    else this.closedListeners.push(listener);
  }

  /** Closes the socket (and the timer). */
  close(code: number, reason: string): Promise<void> {
    if (this.done) return Promise.resolve();
    return new Promise((res) => {
      this.onClosed(res);
      try {
        this.ws.close(code, reason);
      } catch {
        this.ws.terminate();
      }
      // A peer that never answers the close frame must not hold the server.
      setTimeout(() => {
        if (!this.done) this.ws.terminate();
      }, 1000).unref();
    });
  }

  private schedule(): void {
    if (this.done || this.next >= this.frames.length) {
      if (!this.done && this.next >= this.frames.length) this.log(`replay: all ${this.frames.length} frames sent`);
      return;
    }
    // Each frame is due at its own offset from the start, so timer lateness never accumulates.
    const due = this.frames[this.next].t / this.speed;
    const wait = Math.max(0, due - (performance.now() - this.startedAt));
    this.timer = setTimeout(() => this.sendDue(), wait);
  }

  private sendDue(): void {
    this.timer = null;
    const elapsed = performance.now() - this.startedAt;
    while (this.next < this.frames.length && this.frames[this.next].t / this.speed <= elapsed + 1) {
      const f = this.frames[this.next++];
      if (this.ws.readyState !== this.ws.OPEN) return;
      if ('text' in f.data) this.ws.send(f.data.text);
      else this.ws.send(Buffer.from(f.data.binary, 'base64'));
    }
    this.schedule();
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const l of this.closedListeners.splice(0)) l();
  }
}
