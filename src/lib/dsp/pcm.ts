/**
 * PCM sample conversions shared by the client, the audio engine and the server.
 * Pure computation: no DOM, no Node APIs.
 */

/** Converts float samples in [-1, 1] to 16-bit PCM, clamping out-of-range values. */
export function floatTo16BitPCM(input: Float32Array, out: Int16Array = new Int16Array(input.length)): Int16Array {
  for (let i = 0; i < input.length; i++) {
    const s = input[i];
    const c = s < -1 ? -1 : s > 1 ? 1 : s;
    // Asymmetric scale so that -1 maps to -32768 and +1 to +32767 exactly.
    out[i] = c < 0 ? c * 0x8000 : c * 0x7fff;
  }
  return out;
}

/** Converts 16-bit PCM to float samples in [-1, 1). */
export function int16ToFloat32(input: Int16Array, out: Float32Array = new Float32Array(input.length)): Float32Array {
  for (let i = 0; i < input.length; i++) {
    const s = input[i];
    out[i] = s < 0 ? s / 0x8000 : s / 0x7fff;
  }
  return out;
}

/**
 * Reads little-endian 16-bit PCM from bytes. An odd trailing byte is ignored rather than throwing,
 * because a server may split a sample across two deltas; callers that care carry it over themselves.
 */
export function bytesToInt16(bytes: Uint8Array): Int16Array {
  const n = bytes.byteLength >> 1;
  if ((bytes.byteOffset & 1) === 0) {
    // Aligned: view the same memory without copying (little-endian hosts are the only ones we run on).
    return new Int16Array(bytes.buffer, bytes.byteOffset, n);
  }
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const lo = bytes[2 * i];
    const hi = bytes[2 * i + 1];
    out[i] = ((hi << 24) >> 16) | lo;
  }
  return out;
}

/** The bytes of an Int16Array view, honouring its byteOffset and byteLength. */
export function int16ToBytes(samples: Int16Array): Uint8Array {
  return new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
}

/** Concatenates sample arrays with one allocation and `TypedArray.set`. */
export function concatInt16(parts: readonly Int16Array[]): Int16Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Int16Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Concatenates byte arrays with one allocation. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.byteLength;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** Root-mean-square level of 16-bit samples, in [0, 1]. */
export function rmsInt16(samples: Int16Array, start = 0, end = samples.length): number {
  if (end <= start) return 0;
  let sum = 0;
  for (let i = start; i < end; i++) {
    const v = samples[i] / 32768;
    sum += v * v;
  }
  return Math.sqrt(sum / (end - start));
}
