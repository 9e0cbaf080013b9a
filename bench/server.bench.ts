// Embedded server: relay overhead (latency, throughput) against a direct connection, and the offline
// synthesiser (cached vs cold; event-loop delay with the worker vs running eSpeak NG on the main thread).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WebSocket, WebSocketServer } from 'ws';
import type { BenchResult } from './types';
import { startStandaloneServer } from '../src/server/standalone';
import { loadServerConfig } from '../src/server/config';
import { createSynthesizer } from '../src/server/tts';

async function echoServer(): Promise<{ url: string; close(): Promise<void> }> {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
  const http = createServer();
  http.on('upgrade', (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('message', (data, binary) => {
        const text = binary ? '' : data.toString();
        if (text.startsWith('stream:')) {
          const [, count, size] = text.split(':').map(Number);
          const frame = Buffer.alloc(size, 1);
          for (let i = 0; i < count; i++) ws.send(frame);
        } else ws.send(data, { binary });
      });
    }),
  );
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  return {
    url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/v1/realtime`,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}

async function open(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return ws;
}

async function roundTripUs(url: string, rounds: number): Promise<number> {
  const ws = await open(url);
  const payload = JSON.stringify({ type: 'input_audio_buffer.append', audio: 'A'.repeat(1024) });
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = process.hrtime.bigint();
    await new Promise<void>((r) => {
      ws.once('message', () => r());
      ws.send(payload);
    });
    times.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  ws.close();
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

async function throughputMBs(url: string, count: number, size: number): Promise<number> {
  const ws = await open(url);
  let received = 0;
  const t = process.hrtime.bigint();
  await new Promise<void>((r) => {
    ws.on('message', (data: Buffer) => {
      received += data.length;
      if (received >= count * size) r();
    });
    ws.send(`stream:${count}:${size}`);
  });
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  ws.close();
  return received / 1e6 / seconds;
}

async function eventLoopDelayMs(work: () => Promise<void>): Promise<number> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  await work();
  h.disable();
  return h.max / 1e6;
}

export default async function (): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const echo = await echoServer();
  const relay = await startStandaloneServer({
    config: loadServerConfig({ PORT: '0', REALTIME_API_KEY: 'sk-bench', REALTIME_UPSTREAM_URL: echo.url }),
    staticDir: process.cwd(),
    synthesizer: null,
    log: () => {},
  });
  const viaRelay = `ws://127.0.0.1:${relay.port}/relay/v1/realtime?model=m`;
  try {
    await roundTripUs(echo.url, 50); // warm up both paths
    await roundTripUs(viaRelay, 50);
    const direct = await roundTripUs(echo.url, 400);
    const relayed = await roundTripUs(viaRelay, 400);
    results.push({
      name: 'server.relay.round_trip_us',
      unit: 'µs (median)',
      value: relayed,
      baseline: direct,
      ratio: direct / relayed,
      note: '1 KiB JSON frame echoed by the upstream; baseline = same echo without the relay (two extra loopback hops)',
    });
    const directMBs = await throughputMBs(echo.url, 256, 256 * 1024);
    const relayMBs = await throughputMBs(viaRelay, 256, 256 * 1024);
    results.push({
      name: 'server.relay.throughput_MBps',
      unit: 'MB/s',
      value: relayMBs,
      baseline: directMBs,
      ratio: relayMBs / directMBs,
      note: '64 MiB as 256 KiB binary frames upstream → client, with backpressure; baseline = direct',
    });
  } finally {
    await relay.close();
    await echo.close();
  }

  const tts = await createSynthesizer();
  if (!tts.available) {
    results.push({ name: 'server.tts.cold_ms', unit: 'ms', value: NaN, baseline: null, ratio: null, note: `synthesiser unavailable: ${tts.unavailableReason}` });
    return results;
  }
  try {
    const sentences = ['今天天气很好，我们去公园散步吧。', 'The quick brown fox jumps over the lazy dog.', '你好，我是本地模拟器。', 'Please tell me a short joke.'];
    const coldStart = performance.now();
    for (const text of sentences) await tts.synthesize({ text, voice: /[\u4e00-\u9fff]/.test(text) ? 'cmn' : 'en-us' });
    const cold = (performance.now() - coldStart) / sentences.length;
    const warmStart = performance.now();
    for (const text of sentences) await tts.synthesize({ text, voice: /[\u4e00-\u9fff]/.test(text) ? 'cmn' : 'en-us' });
    const warm = (performance.now() - warmStart) / sentences.length;
    results.push({ name: 'server.tts.sentence_ms', unit: 'ms/sentence', value: cold, baseline: null, ratio: null, note: 'eSpeak NG WASM in the worker, compiled once, one instance per sentence (zh+en mix)' });
    results.push({ name: 'server.tts.cached_ms', unit: 'ms/sentence', value: warm, baseline: cold, ratio: cold / warm, note: 'LRU hit (a copy of the samples) vs synthesis' });

    const workerLag = await eventLoopDelayMs(async () => {
      for (let i = 0; i < 4; i++) await tts.synthesize({ text: `Sentence number ${i} for the event loop test.`, voice: 'en-us' });
    });
    // Baseline: the same engine on the main thread, as a server without a worker would run it.
    const require = createRequire(import.meta.url);
    const entry = require.resolve('espeak-ng');
    const engine = 'espeak-ng'; // untyped optional dependency
    const { default: factory } = (await import(engine)) as { default: (o: object) => Promise<{ FS: { readFile(p: string): Uint8Array } }> };
    const module = await WebAssembly.compile(readFileSync(entry.replace(/\.js$/, '.wasm')));
    const mainLag = await eventLoopDelayMs(async () => {
      for (let i = 0; i < 4; i++) {
        const inst = await factory({
          arguments: ['-v', 'en-us', '-w', '/o.wav', `Main thread sentence ${i} for the event loop test.`],
          instantiateWasm: (imports: WebAssembly.Imports, done: (i: WebAssembly.Instance, m: WebAssembly.Module) => void) => {
            void WebAssembly.instantiate(module, imports).then((i) => done(i, module));
            return {};
          },
          print: () => {},
          printErr: () => {},
        });
        inst.FS.readFile('/o.wav');
      }
    });
    results.push({
      name: 'server.tts.event_loop_max_delay_ms',
      unit: 'ms',
      value: workerLag,
      baseline: mainLag,
      ratio: mainLag / Math.max(workerLag, 0.001),
      note: 'largest event-loop stall while speaking 4 sentences: worker thread vs eSpeak NG on the main thread',
    });
  } finally {
    await tts.close();
  }
  return results;
}
