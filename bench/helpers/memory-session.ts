// Child process of bench/memory.bench.ts (run with `node --expose-gc --import tsx`), so that the heap it measures
// holds only the console's side. Prints one JSON line on stdout.
//   ours <ws-origin> <minutes>   the real SessionBridge + RealtimeClient + store against the duplex bench server
//   reference <minutes>          the reference approach, in-process, for its first minutes (see referenceSession)
import { WebSocket } from 'ws';
import { SessionBridge } from '../../src/app/bridge';
import { createAppStore } from '../../src/app/app-store';
import { createConsoleStore } from '../../src/store';
import type { WebSocketConstructor } from '../../src/lib/realtime/transport';
import { concatInt16 } from '../../src/lib/dsp/pcm';
import { FeedAudioLayer } from '../../tests/helpers/bridge-harness';

/** Heap figures at one point of simulated time. */
export interface MemorySample {
  minute: number;
  heapUsedMB: number;
  arrayBuffersMB: number;
  /** Audio kept in conversation items (user data, by design): samples × 2 bytes, client and store copies. */
  itemAudioMB: number;
  events: number;
  items: number;
  wallS: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const MB = 2 ** 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function settle(): Promise<void> {
  await sleep(30);
  await new Promise((r) => setImmediate(r));
  gc!();
  gc!();
}

function speechLike(rate: number, seconds: number): Int16Array {
  const out = new Int16Array(rate * seconds);
  let seed = 1;
  for (let i = 0; i < out.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    out[i] = Math.round(Math.sin(i / 9) * 3000 + ((seed >>> 16) - 32768) / 16);
  }
  return out;
}

async function ours(origin: string, minutes: number): Promise<MemorySample[]> {
  const t0 = performance.now();
  const store = createConsoleStore({ storage: null });
  store.getState().updateRequested((prev) => ({ ...prev, outputFormat: 'Raw24KHz16BitMonoPcm', greeting: { ...prev.greeting, enabled: false } }));
  const audio = new FeedAudioLayer();
  const bridge = new SessionBridge({
    store,
    appStore: createAppStore({ persist: false }),
    audio,
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    origin,
    // Event batches per loop turn (the page batches per animation frame; the simulation runs ~100× real time).
    schedule: (cb) => {
      const id = setImmediate(cb);
      return () => clearImmediate(id);
    },
    statsIntervalMs: 1000,
    applyDebounceMs: 10,
  });
  const stop = bridge.start();
  if (!(await bridge.connect())) throw new Error('bridge did not connect');
  const client = bridge.getClient()!;
  let deltas = 0;
  client.on('conversation.updated', ({ item, delta }) => {
    if (delta?.audio && item.role === 'assistant') deltas++;
  });
  for (let i = 0; i < 200 && !audio.listening; i++) await sleep(10);
  if (!audio.listening) throw new Error('the bridge did not start recording');
  await sleep(100);
  const rate = audio.inputRate();
  const frame = rate / 50;
  const mic = speechLike(rate, 1);

  const samples: MemorySample[] = [];
  const sample = async (minute: number) => {
    await settle();
    const m = process.memoryUsage();
    const s = store.getState();
    let storeAudio = 0;
    for (const id of s.conversation.order) storeAudio += s.conversation.items[id].audio?.samples ?? 0;
    let clientAudio = 0;
    for (const it of client.conversation.getItems()) clientAudio += it.formatted.audioByteLength;
    samples.push({ minute, heapUsedMB: m.heapUsed / MB, arrayBuffersMB: m.arrayBuffers / MB, itemAudioMB: (storeAudio * 2 + clientAudio) / MB, events: s.events.size, items: s.conversation.order.length, wallS: (performance.now() - t0) / 1000 });
  };
  await sample(0);
  const checkpoints = new Set([1, 5, 15, 30, 45, 60, minutes].filter((m) => m <= minutes));
  for (let sec = 1; sec <= minutes * 60; sec++) {
    for (let f = 0; f < 50; f++) audio.push(mic.subarray(f * frame, (f + 1) * frame));
    // Lock-step: the server answers each second of input with a second of output; wait until it is in.
    while (deltas < sec * 50) await new Promise((r) => setImmediate(r));
    if (sec % 60 === 0 && checkpoints.has(sec / 60)) await sample(sec / 60);
  }
  await stop();
  return samples;
}

// --- The reference approach ---------------------------------------------------------------------------------------

function refEncode(pcm: Int16Array): string {
  const bytes = new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return btoa(s);
}
function refDecode(b64: string): Int16Array {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Int16Array(bytes.buffer);
}
function refMerge(a: Int16Array, b: Int16Array): Int16Array {
  const out = new Int16Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

interface RefEvent {
  time: string;
  source: 'client' | 'server';
  count?: number;
  event: { type: string; [k: string]: unknown };
}

/**
 * The reference console + client, same traffic, every 20 ms one input frame and one output delta interleaved (as on
 * a real duplex socket): the client keeps a cumulative input buffer (server VAD never clears it) and merges each
 * output delta into the item's audio; the page keeps every event object with its payload, coalescing only consecutive
 * events of the same type (interleaved duplex traffic defeats that), by copying the array per event; user items get
 * their slice of the cumulative input buffer.
 */
async function reference(minutes: number): Promise<MemorySample[]> {
  const t0 = performance.now();
  const inRate = 16000;
  const outRate = 24000;
  const mic = speechLike(inRate, 1);
  const out = speechLike(outRate, 1).subarray(0, outRate / 50);
  const deltaFrame = JSON.stringify({ type: 'response.audio.delta', event_id: 'ev', response_id: 'r', item_id: 'a', output_index: 0, content_index: 0, delta: refEncode(out) });
  let events: RefEvent[] = [];
  const log = (source: 'client' | 'server', event: RefEvent['event']) => {
    const last = events[events.length - 1];
    if (last?.event.type === event.type) {
      last.count = (last.count ?? 0) + 1;
      events = events.slice(0, -1).concat(last);
    } else events = events.concat({ time: new Date().toISOString(), source, event });
  };
  let inputBuffer: Int16Array = new Int16Array(0);
  const items: { id: string; audio: Int16Array }[] = [];
  let assistant: { id: string; audio: Int16Array } | null = null;
  const samples: MemorySample[] = [];
  const sample = async (minute: number) => {
    await settle();
    const m = process.memoryUsage();
    const itemAudio = items.reduce((s, it) => s + it.audio.length * 2, 0);
    samples.push({ minute, heapUsedMB: m.heapUsed / MB, arrayBuffersMB: m.arrayBuffers / MB, itemAudioMB: itemAudio / MB, events: events.length, items: items.length, wallS: (performance.now() - t0) / 1000 });
  };
  await sample(0);
  for (let sec = 1; sec <= minutes * 60; sec++) {
    if (!assistant) {
      assistant = { id: `a${sec}`, audio: new Int16Array(0) };
      items.push(assistant);
    }
    // The reference merges per frame and per delta; here each second's 50 frames (and deltas) are merged at once:
    // the same memory, without the quadratic copying that would take this bench minutes.
    const secondIn: Int16Array[] = [];
    const secondOut: Int16Array[] = [];
    for (let f = 0; f < 50; f++) {
      const frame = mic.slice(f * 320, (f + 1) * 320);
      secondIn.push(frame);
      log('client', { event_id: `evt_${sec}_${f}`, type: 'input_audio_buffer.append', audio: refEncode(frame) });
      const delta = JSON.parse(deltaFrame) as { type: string; delta: string };
      log('server', delta);
      secondOut.push(refDecode(delta.delta));
      if (f % 25 === 0) log('server', { type: 'response.audio_transcript.delta', delta: '好的。' });
    }
    inputBuffer = refMerge(inputBuffer, concatInt16(secondIn));
    assistant.audio = refMerge(assistant.audio, concatInt16(secondOut));
    if (sec % 30 === 0) {
      assistant = null;
      const end = sec * inRate;
      items.push({ id: `u${sec}`, audio: inputBuffer.slice(end - 10 * inRate, end) });
      log('server', { type: 'input_audio_buffer.speech_started' });
      log('server', { type: 'response.done' });
    }
    if (sec % 60 === 0) await sample(sec / 60);
  }
  return samples;
}

const [mode, a, b] = process.argv.slice(2);
const result = mode === 'ours' ? await ours(a, Number(b)) : await reference(Number(a));
process.stdout.write(JSON.stringify(result) + '\n');
process.exit(0);
