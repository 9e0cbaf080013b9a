/** One benchmark figure, compared in the same run with a baseline where there is one. */
export interface BenchResult {
  /** Stable identifier, e.g. `client.ingest.us_per_delta_end`. */
  name: string;
  /** Unit of `value` and `baseline`, e.g. `µs/delta`, `MB/s`, `ms`. */
  unit: string;
  value: number;
  /** The reference approach measured in the same run, or null when there is none. */
  baseline: number | null;
  /** How many times better `value` is than `baseline` (>1 is better), or null. */
  ratio: number | null;
  /** How it was measured, and anything extrapolated. */
  note: string;
}

/** A bench module default-exports one of these. */
export type BenchSuite = () => Promise<BenchResult[]>;
