// Browser side of bench/audio.bench.ts: loaded by a tiny page that Vite serves; exposes measurements on window.
import { WavRecorder, WavStreamPlayer } from '../src/lib/audio';

interface CaptureLatency {
  chunkSamples: number;
  latencyMs: number;
  frameWaitMs: number;
  deliveryMs: number;
  filterMs: number;
  quantumMs: number;
  contextRate: number;
}

/**
 * Latency from the speech onset in the fake microphone to the frame that carries it, for each chunk size
 * (each on its own recorder and microphone stream, run concurrently). Components: the wait for the frame
 * to fill after the onset sample, the resampler's delay, one render quantum, and the worklet→main-thread
 * delivery (frame arrival on the main thread minus its completion time, both on the performance clock).
 * The OS/device input latency before the AudioContext is outside the pipeline and not included.
 */
async function captureLatency(chunkSizes: number[]): Promise<CaptureLatency[]> {
  const recs = chunkSizes.map(() => new WavRecorder({ sampleRate: 16000, echoCancellation: false, noiseSuppression: false, autoGainControl: false }));
  try {
    await Promise.all(recs.map((r) => r.begin()));
    // A silent path to the speakers so that getOutputTimestamp() runs in the capture contexts.
    for (const r of recs) {
      const ctx = r.getContext() as AudioContext;
      const g = ctx.createGain();
      g.gain.value = 0;
      const c = ctx.createConstantSource();
      c.connect(g).connect(ctx.destination);
      c.start();
    }
    return await Promise.all(recs.map((r, k) => measureOnset(r, chunkSizes[k])));
  } finally {
    await Promise.all(recs.map((r) => r.end().then((f) => URL.revokeObjectURL(f.url))));
  }
}

function measureOnset(rec: WavRecorder, chunk: number): Promise<CaptureLatency> {
  const ctx = rec.getContext() as AudioContext;
  return new Promise((resolve, reject) => {
    let quiet = 0;
    const timer = setTimeout(() => reject(new Error('no onset within 20 s')), 20_000);
    void rec.record(({ mono, position, capturedAt }) => {
      const arrival = performance.now();
      for (let i = 0; i < mono.length; i++) {
        if (Math.abs(mono[i]) < 1000) {
          quiet++;
          continue;
        }
        if (quiet < 8000) {
          quiet = 0;
          continue;
        }
        // Onset: first loud sample after ≥ 0.5 s of quiet. Its frame ends at position + mono.length.
        clearTimeout(timer);
        // Map the context clock to the performance clock through the output timestamp (which includes the
        // output latency: subtract it to get the processing time).
        const ts = ctx.getOutputTimestamp();
        const lat = ((ctx.outputLatency || 0) + (ctx.baseLatency || 0)) * 1000;
        const perfOfCtx = (t: number) => (ts.performanceTime ?? 0) + (t - (ts.contextTime ?? 0)) * 1000 - lat;
        const info = rec.getInfo();
        const frameWaitMs = ((mono.length - i) / 16000) * 1000;
        const filterMs = (info.resamplerLatencySamples / 16000) * 1000;
        const quantumMs = (128 / ctx.sampleRate) * 1000;
        // capturedAt is the start of the quantum that completed the frame; it was processed one quantum later.
        const deliveryMs = arrival - perfOfCtx(capturedAt + 128 / ctx.sampleRate);
        resolve({ chunkSamples: chunk, latencyMs: frameWaitMs + filterMs + quantumMs + deliveryMs, frameWaitMs, deliveryMs, filterMs, quantumMs, contextRate: ctx.sampleRate });
        void position;
        return;
      }
    }, chunk);
  });
}

/**
 * Delay from add16BitPCM on an idle player to the main thread hearing back that its first sample was
 * rendered (an upper bound of add → first rendered sample: it includes the message back), n times.
 */
async function playerDelay(n: number): Promise<{ delaysMs: number[]; outputLatencyMs: number; contextRate: number }> {
  const player = new WavStreamPlayer({ sampleRate: 8000 });
  await player.connect();
  const delaysMs: number[] = [];
  try {
    for (let k = 0; k < n; k++) {
      const played = new Promise<number>((resolve) => (player.onplay = () => resolve(performance.now())));
      const ended = new Promise<void>((resolve) => (player.onended = () => resolve()));
      const t0 = performance.now();
      player.add16BitPCM(new Int16Array(800).fill(3000), `t${k}`);
      delaysMs.push((await played) - t0);
      await ended;
    }
    return { delaysMs, outputLatencyMs: player.getStats().outputLatencyMs, contextRate: player.getContext()?.sampleRate ?? 0 };
  } finally {
    await player.disconnect();
  }
}

declare global {
  interface Window {
    __audioBench: { captureLatency: typeof captureLatency; playerDelay: typeof playerDelay; ready: boolean };
  }
}
window.__audioBench = { captureLatency, playerDelay, ready: true };
