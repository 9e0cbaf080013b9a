/**
 * JSONL recording of relayed frames (RECORD_DIR): one file per connection, one JSON object per line.
 * Text frames are stored as text and binary frames as base64, both after redaction of secrets.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Redactor } from './redact';

/** Where a frame came from. */
export type FrameSource = 'client' | 'upstream';

/** One line of a recording. */
export type RecordLine =
  | { t: number; kind: 'frame'; from: FrameSource; binary: boolean; bytes: number; text?: string; base64?: string }
  | { t: number; kind: 'note'; event: string; detail: Record<string, unknown> };

/** Writes one connection's recording; frames over the memory bound are counted, not buffered. */
export class RelayRecorder {
  readonly path: string;
  readonly #stream: WriteStream;
  readonly #redact: Redactor;
  #dropped = 0;
  #closed = false;

  /**
   * @param dir directory (created if missing)
   * @param connectionId used in the file name
   * @param maxBufferedBytes frames are dropped (and counted) while more than this is waiting for the disk
   */
  constructor(dir: string, connectionId: string, redact: Redactor, private readonly maxBufferedBytes = 64 * 1024 * 1024) {
    mkdirSync(dir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    this.path = join(dir, `relay-${stamp}-${connectionId}-${randomUUID().slice(0, 8)}.jsonl`);
    this.#redact = redact;
    this.#stream = createWriteStream(this.path, { flags: 'wx' });
    this.#stream.on('error', () => {
      this.#closed = true; // a full disk must not take the relay down; the recording just stops
    });
  }

  /** Records one frame as relayed (before redaction the bytes are those on the wire). */
  frame(from: FrameSource, data: Buffer, binary: boolean): void {
    if (this.#closed) return;
    if (this.#stream.writableLength > this.maxBufferedBytes) {
      this.#dropped++;
      return;
    }
    const line: RecordLine = binary
      ? { t: Date.now(), kind: 'frame', from, binary, bytes: data.length, base64: data.toString('base64') }
      : { t: Date.now(), kind: 'frame', from, binary, bytes: data.length, text: this.#redact(data.toString('utf8')) };
    this.#stream.write(`${JSON.stringify(line)}\n`);
  }

  /** Records a connection event (open, close, failure); string values are redacted. */
  note(event: string, detail: Record<string, unknown> = {}): void {
    if (this.#closed) return;
    const text = JSON.stringify({ t: Date.now(), kind: 'note', event, detail } satisfies RecordLine);
    this.#stream.write(`${this.#redact(text)}\n`);
  }

  /** Flushes and closes the file. */
  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    if (this.#dropped > 0) this.note('dropped', { frames: this.#dropped });
    this.#closed = true;
    return new Promise((resolve) => this.#stream.end(() => resolve()));
  }
}
