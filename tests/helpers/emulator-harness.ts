/**
 * Test harness for the emulator: a plain http server on an ephemeral port that routes `/v1/realtime`
 * upgrades and pre-checks to an Emulator, a recording raw `ws` client, and a deterministic tone synthesiser.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { Emulator, listModels, listVoices, type EmulatorOptions } from '../../src/server/emulator';
import type { SynthesisRequest, SynthesisResult, Synthesizer } from '../../src/server/tts/types';

/** A running emulator behind a real socket. */
export interface EmulatorHarness {
  emulator: Emulator;
  server: Server;
  port: number;
  /** ws://127.0.0.1:PORT/v1/realtime */
  wsUrl: string;
  httpUrl: string;
  close(): Promise<void>;
}

/** Starts an emulator on 127.0.0.1 with an ephemeral port. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHarness> {
  const emulator = new Emulator(options);
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/v1/realtime') return emulator.handlePrecheck(req, res);
    if (path === '/v1/models') return void res.end(JSON.stringify(listModels()));
    if (path === '/v1/realtime/voiceList') return void res.end(JSON.stringify(listVoices()));
    res.statusCode = 404;
    res.end();
  });
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/v1/realtime') emulator.handleUpgrade(req, socket, head);
    else socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    emulator,
    server,
    port,
    wsUrl: `ws://127.0.0.1:${port}/v1/realtime`,
    httpUrl: `http://127.0.0.1:${port}`,
    async close() {
      await emulator.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** One server frame as received. */
export type Frame = Record<string, unknown> & { type: string; event_id?: string };

/** A raw `ws` client that records every frame. */
export class RecordingClient {
  readonly frames: Frame[] = [];
  /** Frames that were not valid JSON. */
  readonly malformed: string[] = [];
  readonly ws: WebSocket;
  closeCode: number | null = null;
  closeReason = '';
  private readonly waiters: { test: () => boolean; resolve: () => void }[] = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<void>;

  constructor(url: string, options: { protocols?: string[]; headers?: Record<string, string> } = {}) {
    this.ws = new WebSocket(url, options.protocols ?? [], { headers: options.headers });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
      this.ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    this.closed = new Promise((resolve) => {
      this.ws.on('close', (code, reason) => {
        this.closeCode = code;
        this.closeReason = reason.toString();
        this.check();
        resolve();
      });
    });
    this.ws.on('error', () => {});
    this.ws.on('message', (data) => {
      const text = data.toString();
      try {
        this.frames.push(JSON.parse(text) as Frame);
      } catch {
        this.malformed.push(text);
      }
      this.check();
    });
  }

  private check(): void {
    for (const w of [...this.waiters]) {
      if (w.test()) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  }

  /** Resolves once `test` holds (checked on every frame), or rejects after `timeoutMs`. */
  until(test: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`timed out waiting for ${what}; got: ${this.types().join(', ')}`));
      }, timeoutMs);
      const waiter = {
        test,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Waits for the `n`-th frame (1-based) of `type` matching `pred`, returns it. */
  async waitFor(type: string, pred: (f: Frame) => boolean = () => true, n = 1, timeoutMs = 10_000): Promise<Frame> {
    const find = () => this.frames.filter((f) => f.type === type && pred(f))[n - 1];
    await this.until(() => find() !== undefined || this.closeCode !== null, timeoutMs, `${type} #${n}`);
    const f = find();
    if (!f) throw new Error(`socket closed before ${type} #${n}; got: ${this.types().join(', ')}`);
    return f;
  }

  /** Frames of one type. */
  of(type: string): Frame[] {
    return this.frames.filter((f) => f.type === type);
  }

  types(): string[] {
    return this.frames.map((f) => f.type);
  }

  send(event: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(event));
  }

  sendRaw(text: string): void {
    this.ws.send(text);
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    this.ws.close(1000, 'OK');
    await this.closed;
  }
}

/** Connects a recording client in the given dialect (beta via the subprotocol, as browsers do). */
export async function connect(
  h: EmulatorHarness,
  dialect: 'beta' | 'ga',
  query = '',
  extra: { protocols?: string[]; headers?: Record<string, string> } = {},
): Promise<RecordingClient> {
  const protocols = extra.protocols ?? (dialect === 'beta' ? ['realtime', 'openai-beta.realtime-v1'] : []);
  const c = new RecordingClient(`${h.wsUrl}${query ? `?${query}` : ''}`, { protocols, headers: extra.headers });
  await c.opened;
  return c;
}

/**
 * A deterministic stand-in for the speech synthesiser: a 220 Hz tone, 40 ms per character (at most 12 s),
 * at 22050 Hz like eSpeak NG. Records every request.
 */
export class ToneSynthesizer implements Synthesizer {
  readonly available = true;
  readonly unavailableReason = null;
  readonly requests: SynthesisRequest[] = [];
  constructor(private readonly msPerChar = 40) {}
  async synthesize(request: SynthesisRequest): Promise<SynthesisResult> {
    this.requests.push(request);
    const rate = 22050;
    const ms = Math.min(12_000, Math.max(200, Array.from(request.text).length * this.msPerChar));
    const n = Math.round((rate * ms) / 1000);
    const samples = new Int16Array(n);
    for (let i = 0; i < n; i++) samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 220 * i) / rate));
    return { samples, sampleRate: rate };
  }
  async close(): Promise<void> {}
}

/** Base64 of 16-bit little-endian PCM. */
export function pcmBase64(samples: Int16Array): string {
  return Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength).toString('base64');
}

/** Decodes a base64 16-bit PCM delta. */
export function base64Pcm(b64: string): Int16Array {
  const buf = Buffer.from(b64, 'base64');
  const out = new Int16Array(buf.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = buf.readInt16LE(i * 2);
  return out;
}
