/**
 * Fault injection requested with the `fault=` query parameter (DESIGN §7):
 * a comma list of `drop-after-ms:N`, `delay-first-audio-ms:N`, `malformed-after-ms:N`, `jitter-ms:N`, `rate-limit`.
 */

/** The faults one connection asked for. Absent numbers mean "not requested". */
export interface FaultPlan {
  /** Destroy the socket (no close frame) this many ms after it opened. */
  dropAfterMs: number | null;
  /** Hold back the first audio delta of every response by this many ms. */
  delayFirstAudioMs: number | null;
  /** Send one frame that is not valid JSON this many ms after the socket opened. */
  malformedAfterMs: number | null;
  /** Delay each output delta by a pseudo-random 0..N ms (order is kept). */
  jitterMs: number | null;
  /** Answer the pre-check and the upgrade with HTTP 429. */
  rateLimit: boolean;
}

/** Parsed fault plan plus the entries that could not be understood (reported in the log, never fatal). */
export interface ParsedFaults {
  plan: FaultPlan;
  rejected: string[];
}

/** Largest accepted N (one hour); larger values are rejected rather than clamped. */
const MAX_MS = 3_600_000;

/** An empty plan: no faults. */
export function noFaults(): FaultPlan {
  return { dropAfterMs: null, delayFirstAudioMs: null, malformedAfterMs: null, jitterMs: null, rateLimit: false };
}

/**
 * Parses every `fault` value of a query string (the parameter may repeat; each value is a comma list).
 * Unknown or malformed entries land in `rejected`.
 */
export function parseFaults(values: readonly string[]): ParsedFaults {
  const plan = noFaults();
  const rejected: string[] = [];
  for (const value of values) {
    for (const raw of value.split(',')) {
      const entry = raw.trim();
      if (entry === '') continue;
      if (entry === 'rate-limit') {
        plan.rateLimit = true;
        continue;
      }
      const match = /^([a-z-]+):(\d{1,7})$/.exec(entry);
      const ms = match ? Number(match[2]) : NaN;
      if (!match || !(ms >= 0 && ms <= MAX_MS)) {
        rejected.push(entry);
        continue;
      }
      switch (match[1]) {
        case 'drop-after-ms':
          plan.dropAfterMs = ms;
          break;
        case 'delay-first-audio-ms':
          plan.delayFirstAudioMs = ms;
          break;
        case 'malformed-after-ms':
          plan.malformedAfterMs = ms;
          break;
        case 'jitter-ms':
          plan.jitterMs = ms;
          break;
        default:
          rejected.push(entry);
      }
    }
  }
  return { plan, rejected };
}

/** A small deterministic PRNG (mulberry32) so that jitter is reproducible per response. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
