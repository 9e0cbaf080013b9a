/** Helpers for the real-Chromium audio tests. */

const TAP_SOURCE = `
registerProcessor('test-tap', class extends AudioWorkletProcessor {
  process(inputs) {
    const ch = inputs[0] && inputs[0][0];
    this.port.postMessage(ch ? ch.slice() : new Float32Array(128));
    return true;
  }
});`;

/** Records every sample that reaches `node` (in its context) for later inspection. */
export async function tap(ctx: AudioContext, node: AudioNode): Promise<{ samples: () => Float32Array; stop: () => void }> {
  const url = URL.createObjectURL(new Blob([TAP_SOURCE], { type: 'text/javascript' }));
  try {
    await ctx.audioWorklet.addModule(url);
  } finally {
    URL.revokeObjectURL(url);
  }
  const t = new AudioWorkletNode(ctx, 'test-tap', { numberOfInputs: 1, numberOfOutputs: 0, channelCount: 1, channelCountMode: 'explicit' });
  const blocks: Float32Array[] = [];
  t.port.onmessage = (e: MessageEvent<Float32Array>) => blocks.push(e.data);
  node.connect(t);
  return {
    samples() {
      const n = blocks.reduce((a, b) => a + b.length, 0);
      const out = new Float32Array(n);
      let at = 0;
      for (const b of blocks) {
        out.set(b, at);
        at += b.length;
      }
      return out;
    },
    stop() {
      node.disconnect(t);
      t.port.onmessage = null;
      t.port.close();
    },
  };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `cond` every 20 ms until it is true or `ms` elapse; returns whether it became true. */
export async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    if (cond()) return true;
    await sleep(20);
  }
  return cond();
}

/** A signal with no zero samples (so silence and audio can be told apart exactly): offset sine. */
export function marker(n: number, seed = 1): Int16Array {
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = 4000 + Math.round(3000 * Math.sin((i + seed * 977) * 0.05));
  return out;
}

/** Index of the first non-zero sample at or after `from`, or -1. */
export function firstNonZero(x: Float32Array, from = 0): number {
  for (let i = from; i < x.length; i++) if (x[i] !== 0) return i;
  return -1;
}

/** Number of non-zero samples. */
export function countNonZero(x: Float32Array): number {
  let n = 0;
  for (const v of x) if (v !== 0) n++;
  return n;
}

/** Wraps window.AudioContext to keep every context created from now on; restore() undoes it. */
export function trackAudioContexts(): { all: AudioContext[]; live: () => number; restore: () => void } {
  const Original = window.AudioContext;
  const all: AudioContext[] = [];
  class Tracked extends Original {
    constructor(options?: AudioContextOptions) {
      super(options);
      all.push(this);
    }
  }
  window.AudioContext = Tracked;
  return {
    all,
    live: () => all.filter((c) => c.state !== 'closed').length,
    restore: () => {
      window.AudioContext = Original;
    },
  };
}
