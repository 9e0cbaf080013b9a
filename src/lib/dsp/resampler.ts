/**
 * Polyphase windowed-sinc (Kaiser) sample-rate converter for arbitrary rational ratios.
 *
 * Pure computation (no DOM, no Node APIs): the capture worklet, the player worklet, the client and the
 * server all run this same code.
 *
 * Design: the low-pass cut-off sits at 0.95 × the lower rate's Nyquist with a transition band from
 * 0.9 × to 1.0 × that Nyquist, so the passband (to 0.9 × Nyquist) is flat (Kaiser ripple ≈ 0.003 dB)
 * and everything at or above the lower Nyquist (aliases when decimating, images when interpolating)
 * is attenuated by the design figure (70 dB by default, at least 60 dB guaranteed by the tests).
 *
 * Output sample n sits at input time n × fromRate / toRate exactly (tracked with integers, no drift).
 * For ratios whose reduced numerator is large (more than {@link MAX_EXACT_PHASES} phases) the phase is
 * quantised to 512 rows with linear interpolation between neighbouring rows.
 */

/** Error for invalid rates or options. */
export class ResamplerError extends RangeError {
  override name = 'ResamplerError';
}

/** Options for {@link StreamingResampler}. */
export interface ResamplerOptions {
  /** Stopband attenuation the Kaiser window is designed for, in dB (default 70, minimum 40). */
  attenuationDb?: number;
  /** Passband edge as a fraction of the lower rate's Nyquist (default 0.9). The stopband starts at 1.0. */
  passband?: number;
}

/** Above this many phases the filter table is quantised and interpolated. */
export const MAX_EXACT_PHASES = 1024;
const INTERPOLATED_PHASES = 512;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function besselI0(x: number): number {
  // Power series; converges quickly for the β values used here (< 15).
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 64; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

function checkRate(rate: number, what: string): number {
  if (!Number.isFinite(rate) || rate <= 0) throw new ResamplerError(`${what} must be a positive number, got ${rate}`);
  const r = Math.round(rate);
  if (Math.abs(r - rate) > 1e-6 || r < 1) throw new ResamplerError(`${what} must be a whole number of Hz, got ${rate}`);
  return r;
}

/** Precomputed polyphase filter for one rate pair (cached, shared by every resampler of that pair). */
interface FilterBank {
  /** Interpolation factor after reduction (toRate / g). */
  L: number;
  /** Decimation factor after reduction (fromRate / g). */
  M: number;
  /** Taps per phase (always even: 2 × halfWidth). */
  taps: number;
  /** Half-width in input samples; also the algorithmic delay in input samples. */
  halfWidth: number;
  /** Number of stored phase rows (L when exact, else INTERPOLATED_PHASES); row `phases` is also stored. */
  phases: number;
  exact: boolean;
  /** (phases + 1) × taps coefficients, row-major. */
  table: Float32Array;
}

const bankCache = new Map<string, FilterBank>();

function designBank(fromRate: number, toRate: number, attenuationDb: number, passband: number): FilterBank {
  const key = `${fromRate}:${toRate}:${attenuationDb}:${passband}`;
  const cached = bankCache.get(key);
  if (cached) return cached;
  const g = gcd(fromRate, toRate);
  const L = toRate / g;
  const M = fromRate / g;
  const nyquist = Math.min(fromRate, toRate) / 2;
  const cutoff = ((1 + passband) / 2) * nyquist; // Hz, middle of the transition band
  const transition = (1 - passband) * nyquist; // Hz, full width
  const A = attenuationDb;
  const beta = A > 50 ? 0.1102 * (A - 8.7) : 0.5842 * (A - 21) ** 0.4 + 0.07886 * (A - 21);
  // Kaiser's length estimate, in input samples.
  const length = (A - 8) / (2.285 * ((2 * Math.PI * transition) / fromRate));
  const halfWidth = Math.max(2, Math.ceil(length / 2));
  const taps = 2 * halfWidth;
  const exact = L <= MAX_EXACT_PHASES;
  const phases = exact ? L : INTERPOLATED_PHASES;
  const table = new Float32Array((phases + 1) * taps);
  const fc = cutoff / fromRate; // cycles per input sample
  const i0b = besselI0(beta);
  for (let p = 0; p <= phases; p++) {
    const frac = p / phases;
    let sum = 0;
    const row = p * taps;
    const coeffs = new Float64Array(taps);
    for (let j = 0; j < taps; j++) {
      // Distance in input samples between the output instant and input sample j of the window.
      const tau = frac + halfWidth - 1 - j;
      const x = 2 * fc * tau;
      const sinc = tau === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const r = tau / halfWidth;
      const w = r * r >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - r * r)) / i0b;
      const c = 2 * fc * sinc * w;
      coeffs[j] = c;
      sum += c;
    }
    // Unity DC gain for every phase (removes the small per-phase gain ripple of a truncated sinc).
    for (let j = 0; j < taps; j++) table[row + j] = coeffs[j] / sum;
  }
  const bank: FilterBank = { L, M, taps, halfWidth, phases, exact, table };
  bankCache.set(key, bank);
  return bank;
}

/**
 * Streaming resampler: feed blocks of any size with {@link process}, keep state across blocks, and call
 * {@link flush} at the end of a stream to drain the filter's delay line. Allocates only when a block is
 * larger than every block before it (steady-state worklet use allocates nothing).
 *
 * The output is time-aligned with the input (output n ↔ input time n·from/to); it is emitted
 * {@link latencyInputSamples} input samples late, i.e. about {@link latencySamples} output samples.
 */
export class StreamingResampler {
  /** Input rate in Hz. */
  readonly fromRate: number;
  /** Output rate in Hz. */
  readonly toRate: number;
  /** Algorithmic delay in input samples (0 when the rates are equal). */
  readonly latencyInputSamples: number;
  /** Algorithmic delay expressed in output samples (rounded up). */
  readonly latencySamples: number;
  /** Taps per output sample (cost of one output sample in multiply-adds). */
  readonly taps: number;

  private readonly bank: FilterBank | null;
  /** Input history; buf[0] is absolute input index `bufStart`. */
  private buf: Float32Array;
  private bufLen = 0;
  private bufStart = 0;
  /** Absolute input index of the next output instant's integer part, and its fractional part × L. */
  private ipos = 0;
  private frac = 0;
  private out: Float32Array = new Float32Array(0);
  /** Input samples received so far (for flush: how many outputs the whole stream owes). */
  private received = 0;
  private produced = 0;

  constructor(fromRate: number, toRate: number, options: ResamplerOptions = {}) {
    this.fromRate = checkRate(fromRate, 'fromRate');
    this.toRate = checkRate(toRate, 'toRate');
    const A = options.attenuationDb ?? 70;
    const pb = options.passband ?? 0.9;
    if (!(A >= 40 && A <= 200)) throw new ResamplerError(`attenuationDb must be within 40..200, got ${A}`);
    if (!(pb > 0.5 && pb < 1)) throw new ResamplerError(`passband must be within (0.5, 1), got ${pb}`);
    if (this.fromRate === this.toRate) {
      this.bank = null;
      this.latencyInputSamples = 0;
      this.latencySamples = 0;
      this.taps = 0;
      this.buf = new Float32Array(0);
    } else {
      this.bank = designBank(this.fromRate, this.toRate, A, pb);
      this.latencyInputSamples = this.bank.halfWidth;
      this.latencySamples = Math.ceil((this.bank.halfWidth * this.toRate) / this.fromRate);
      this.taps = this.bank.taps;
      this.buf = new Float32Array(this.bank.taps + 1024);
      this.resetState();
    }
  }

  /** Upper bound of the number of output samples {@link process} can return for `inputLength` samples. */
  maxOutputLength(inputLength: number): number {
    if (!this.bank) return inputLength;
    return Math.ceil(((inputLength + 1) * this.bank.L) / this.bank.M) + 1;
  }

  /**
   * Resamples one block. Returns the output samples that became computable; the returned array is
   * `output` (a subarray of it) when given, otherwise a view of an internal buffer that stays valid only
   * until the next call — copy it if you keep it.
   */
  process(input: Float32Array, output?: Float32Array): Float32Array {
    this.received += input.length;
    if (!this.bank) {
      const dst = output ?? this.scratch(input.length);
      dst.set(input);
      this.produced += input.length;
      return dst.subarray(0, input.length);
    }
    this.append(input);
    return this.run(output, this.bufStart + this.bufLen);
  }

  /**
   * Ends the stream: pads the delay line with silence and returns the remaining output, so that the
   * whole stream yields exactly ceil(inputSamples × to / from) samples. The resampler is reset afterwards.
   */
  flush(output?: Float32Array): Float32Array {
    const owed = this.bank ? Math.ceil((this.received * this.bank.L) / this.bank.M) - this.produced : 0;
    let result: Float32Array;
    if (!this.bank || owed <= 0) {
      result = (output ?? this.scratch(0)).subarray(0, 0);
    } else {
      const pad = new Float32Array(this.bank.halfWidth + 2);
      this.append(pad);
      const dst = output ?? this.scratch(owed);
      result = this.run(dst, this.bufStart + this.bufLen, owed);
    }
    this.reset();
    return result;
  }

  /** Forgets all history (as if newly constructed). */
  reset(): void {
    this.received = 0;
    this.produced = 0;
    if (this.bank) this.resetState();
  }

  private resetState(): void {
    const bank = this.bank as FilterBank;
    // halfWidth - 1 virtual zeros before input 0 so the first output can be centred on sample 0.
    this.bufStart = -(bank.halfWidth - 1);
    this.bufLen = bank.halfWidth - 1;
    this.buf.fill(0, 0, this.bufLen);
    this.ipos = 0;
    this.frac = 0;
  }

  private scratch(n: number): Float32Array {
    if (this.out.length < n) this.out = new Float32Array(Math.max(n, this.out.length * 2));
    return this.out;
  }

  private append(input: Float32Array): void {
    const bank = this.bank as FilterBank;
    // Drop history no longer needed: the next output reads from ipos - halfWidth + 1.
    const keepFrom = this.ipos - bank.halfWidth + 1;
    const drop = keepFrom - this.bufStart;
    if (drop > 0) {
      this.buf.copyWithin(0, drop, this.bufLen);
      this.bufLen -= drop;
      this.bufStart = keepFrom;
    }
    const need = this.bufLen + input.length;
    if (need > this.buf.length) {
      const grown = new Float32Array(Math.max(need, this.buf.length * 2));
      grown.set(this.buf.subarray(0, this.bufLen));
      this.buf = grown;
    }
    this.buf.set(input, this.bufLen);
    this.bufLen += input.length;
  }

  private run(output: Float32Array | undefined, available: number, limit = Infinity): Float32Array {
    const bank = this.bank as FilterBank;
    const { L, M, taps, halfWidth, phases, exact, table } = bank;
    const maxOut = Math.min(limit, this.maxOutputLength(this.bufLen));
    const dst = output ?? this.scratch(maxOut);
    const buf = this.buf;
    const cap = Math.min(dst.length, limit);
    let n = 0;
    let ipos = this.ipos;
    let frac = this.frac;
    // Output at ipos + frac/L needs input up to ipos + halfWidth (exclusive end ipos + halfWidth + 1).
    while (n < cap && ipos + halfWidth < available) {
      const start = ipos - halfWidth + 1 - this.bufStart;
      let acc = 0;
      if (exact) {
        const row = frac * taps;
        for (let j = 0; j < taps; j++) acc += buf[start + j] * table[row + j];
      } else {
        const pos = (frac * phases) / L;
        const p = Math.floor(pos);
        const a = pos - p;
        const r0 = p * taps;
        const r1 = r0 + taps;
        for (let j = 0; j < taps; j++) {
          const c0 = table[r0 + j];
          acc += buf[start + j] * (c0 + a * (table[r1 + j] - c0));
        }
      }
      dst[n++] = acc;
      frac += M;
      if (frac >= L) {
        const step = Math.floor(frac / L);
        ipos += step;
        frac -= step * L;
      }
    }
    this.ipos = ipos;
    this.frac = frac;
    this.produced += n;
    return dst.subarray(0, n);
  }
}

/** Number of samples a one-shot conversion of `inputLength` samples yields: ceil(n × to / from). */
export function resampledLength(inputLength: number, fromRate: number, toRate: number): number {
  const f = checkRate(fromRate, 'fromRate');
  const t = checkRate(toRate, 'toRate');
  const g = gcd(f, t);
  return Math.ceil((inputLength * (t / g)) / (f / g));
}

/**
 * Resamples a whole float signal. The result is time-aligned with the input (no added delay) and has
 * exactly {@link resampledLength} samples. Returns a copy when the rates are equal.
 */
export function resampleFloat32(input: Float32Array, fromRate: number, toRate: number, options?: ResamplerOptions): Float32Array {
  const r = new StreamingResampler(fromRate, toRate, options);
  const total = resampledLength(input.length, r.fromRate, r.toRate);
  const out = new Float32Array(total + r.maxOutputLength(0) + 2);
  const a = r.process(input, out);
  const b = r.flush(out.subarray(a.length));
  return out.slice(0, Math.min(total, a.length + b.length));
}

/**
 * Resamples 16-bit PCM (scale ±32768, rounded, clamped). Same alignment and length as
 * {@link resampleFloat32}. Used by the server to bring eSpeak's 22050 Hz output to the session's rate.
 */
export function resampleInt16(input: Int16Array, fromRate: number, toRate: number, options?: ResamplerOptions): Int16Array {
  const f = new Float32Array(input.length);
  for (let i = 0; i < input.length; i++) f[i] = input[i] / 32768;
  const y = resampleFloat32(f, fromRate, toRate, options);
  return floatToInt16Rounded(y);
}

/** Float [-1, 1] to Int16 with symmetric ×32768 scaling, rounding and clamping (the resampler's convention). */
export function floatToInt16Rounded(input: Float32Array, out: Int16Array = new Int16Array(input.length)): Int16Array {
  for (let i = 0; i < input.length; i++) {
    const v = Math.round(input[i] * 32768);
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return out;
}
