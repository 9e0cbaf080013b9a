/** Peak magnitudes (0..1) of `samples` in `buckets` equal slices, for drawing a waveform without decoding. */
export function computePeaks(samples: Int16Array, buckets: number): Float32Array {
  const n = Math.max(1, Math.min(buckets, samples.length || 1));
  const out = new Float32Array(n);
  if (samples.length === 0) return out;
  for (let b = 0; b < n; b++) {
    const start = Math.floor((b * samples.length) / n);
    const end = Math.floor(((b + 1) * samples.length) / n);
    let peak = 0;
    for (let i = start; i < end; i++) {
      const v = samples[i] < 0 ? -samples[i] : samples[i];
      if (v > peak) peak = v;
    }
    out[b] = Math.min(1, peak / 32768);
  }
  return out;
}
