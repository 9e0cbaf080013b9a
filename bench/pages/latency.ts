// Browser side of bench/latency.bench.ts: the console's real session path — SessionBridge + BrowserAudioLayer
// (WavRecorder, WavStreamPlayer) + RealtimeClient + store — connected to the bench server (origin in `?ws=`), with
// the fake microphone playing a looped fixture. Hooks only observe: a WebSocket subclass timestamps frames as they
// arrive and leave, and the audio layer's record/onPlay/interrupt are wrapped to timestamp their calls.
import { SessionBridge } from '../../src/app/bridge';
import { BrowserAudioLayer } from '../../src/app/browser-audio';
import { createAppStore } from '../../src/app/app-store';
import { decodeBase64 } from '../../src/lib/dsp/base64';
import type { WavRecorder } from '../../src/lib/audio';
import type { WebSocketConstructor } from '../../src/lib/realtime/transport';
import { createConsoleStore } from '../../src/store';

interface RecorderFrame {
  mono: Int16Array;
  capturedAt?: number;
}

/** One capture measurement: the speech onset → the `input_audio_buffer.append` carrying it leaves the page. */
export interface CaptureSample {
  latencyMs: number;
  frameWaitMs: number;
  filterMs: number;
  quantumMs: number;
  /** From the frame's completion in the worklet to ws.send of the append (delivery + bridge + client + encode). */
  deliveryToSendMs: number;
}

const store = createConsoleStore({ storage: null });
store.getState().updateRequested((prev) => ({ ...prev, outputFormat: 'Raw24KHz16BitMonoPcm', greeting: { ...prev.greeting, enabled: false } }));
const layer = new BrowserAudioLayer();

let deltaArmed = false;
let firstDeltaAt: number | null = null;
let playAt: number | null = null;
let speechAt: number | null = null;
let silentAt: number | null = null;
let interruptOffset: { trackId: string; offset: number } | null = null;
let appends = 0;
let watch: { needle: Int16Array; completedPerf: number; parts: Omit<CaptureSample, 'latencyMs' | 'deliveryToSendMs'> } | null = null;
const captures: CaptureSample[] = [];

function includes(hay: Int16Array, needle: Int16Array): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

class TimedWebSocket extends WebSocket {
  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols);
    // Registered before the client's own listener, so it runs first: the arrival time of each frame.
    this.addEventListener('message', (e: MessageEvent) => {
      const t = performance.now();
      if (typeof e.data !== 'string') return;
      if (deltaArmed && firstDeltaAt === null && (e.data.includes('"response.audio.delta"') || e.data.includes('"response.output_audio.delta"'))) firstDeltaAt = t;
      if (speechAt === null && e.data.includes('"input_audio_buffer.speech_started"')) speechAt = t;
    });
  }
  override send(data: Parameters<WebSocket['send']>[0]): void {
    const t = performance.now();
    super.send(data);
    if (typeof data !== 'string' || !data.includes('"input_audio_buffer.append"')) return;
    appends++;
    if (!watch) return;
    const audio = decodeBase64((JSON.parse(data) as { audio: string }).audio);
    if (!includes(new Int16Array(audio.buffer, audio.byteOffset, audio.byteLength >> 1), watch.needle)) return;
    captures.push({ ...watch.parts, deliveryToSendMs: t - watch.completedPerf, latencyMs: watch.parts.frameWaitMs + watch.parts.filterMs + watch.parts.quantumMs + (t - watch.completedPerf) });
    watch = null;
  }
}

// Onset detection on the frames the bridge receives (first loud sample after ≥ 0.5 s of quiet), timed as in
// bench/audio-page.ts: the frame's completion on the context clock mapped to the performance clock.
let quiet = 0;
let silentPath = false;
function inspect(frame: RecorderFrame): void {
  const rec = (layer as unknown as { recorder: WavRecorder | null }).recorder;
  if (!rec || frame.capturedAt === undefined) return;
  const ctx = rec.getContext() as AudioContext;
  if (!silentPath) {
    // A silent path to the speakers so that getOutputTimestamp() advances in the capture context.
    silentPath = true;
    const g = ctx.createGain();
    g.gain.value = 0;
    const c = ctx.createConstantSource();
    c.connect(g).connect(ctx.destination);
    c.start();
  }
  const rate = layer.inputRate();
  const { mono } = frame;
  for (let i = 0; i < mono.length; i++) {
    if (Math.abs(mono[i]) < 1000) {
      quiet++;
      continue;
    }
    if (quiet >= rate / 2 && !watch && i + 16 <= mono.length) {
      const ts = ctx.getOutputTimestamp();
      const lat = ((ctx.outputLatency || 0) + (ctx.baseLatency || 0)) * 1000;
      const perfOfCtx = (t: number) => (ts.performanceTime ?? 0) + (t - (ts.contextTime ?? 0)) * 1000 - lat;
      watch = {
        needle: mono.slice(i, i + 16),
        completedPerf: perfOfCtx(frame.capturedAt + 128 / ctx.sampleRate),
        parts: { frameWaitMs: ((mono.length - i) / rate) * 1000, filterMs: (rec.getInfo().resamplerLatencySamples / rate) * 1000, quantumMs: (128 / ctx.sampleRate) * 1000 },
      };
    }
    quiet = 0;
  }
}

const record = layer.record.bind(layer);
layer.record = (onFrame) =>
  record((frame) => {
    inspect(frame as RecorderFrame);
    onFrame(frame);
  });
const interrupt = layer.interrupt.bind(layer);
layer.interrupt = async () => {
  const r = await interrupt();
  if (speechAt !== null && silentAt === null) {
    silentAt = performance.now();
    interruptOffset = r;
  }
  return r;
};

const origin = new URLSearchParams(location.search).get('ws') ?? '';
const bridge = new SessionBridge({ store, appStore: createAppStore({ persist: false }), audio: layer, WebSocket: TimedWebSocket as unknown as WebSocketConstructor, origin, applyDebounceMs: 10 });
const stop = bridge.start();
const bridgeOnPlay = layer.onPlay;
layer.onPlay = () => {
  if (deltaArmed && playAt === null) playAt = performance.now();
  bridgeOnPlay?.();
};

const api = {
  ready: false,
  connect: () => bridge.connect(),
  appends: () => appends,
  captures: () => captures.slice(),
  armPlayback(): void {
    deltaArmed = true;
    firstDeltaAt = null;
    playAt = null;
  },
  playback(): { deltaToPlayMs: number } | null {
    if (firstDeltaAt === null || playAt === null) return null;
    deltaArmed = false;
    return { deltaToPlayMs: playAt - firstDeltaAt };
  },
  armInterrupt(): void {
    speechAt = null;
    silentAt = null;
    interruptOffset = null;
  },
  interrupt(): { speechToSilenceMs: number; trackId: string; offset: number } | null {
    if (speechAt === null || silentAt === null) return null;
    return { speechToSilenceMs: silentAt - speechAt, trackId: interruptOffset?.trackId ?? '', offset: interruptOffset?.offset ?? -1 };
  },
  rendered: (trackId: string) => layer.stats()?.samplesRendered[trackId] ?? 0,
  playing: () => layer.stats()?.playing ?? false,
  outputLatencyMs: () => layer.stats()?.outputLatencyMs ?? 0,
  close: async () => {
    await stop();
  },
};

declare global {
  interface Window {
    __latencyBench: typeof api;
  }
}
window.__latencyBench = api;
api.ready = true;
