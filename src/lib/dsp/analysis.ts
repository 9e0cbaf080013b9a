/**
 * Spectrum shaping for level meters and visualisers. Takes the dB magnitudes an analyser produces
 * (e.g. AnalyserNode.getFloatFrequencyData) and returns values normalised to 0..1, either per FFT bin
 * or folded into musical-note buckets. All tables are built once per (binCount, sampleRate); a call
 * allocates nothing (the returned array is reused — copy it to keep it).
 *
 * Pure computation: no DOM, no Node APIs.
 */

/** Shape of the result: raw bins, one bucket per note C1..B8, or the notes of the voice range (32–2000 Hz). */
export type FrequencyType = 'frequency' | 'music' | 'voice';

/** Normalised values (0..1) and a label for each. */
export interface FrequencyResult {
  /** Reused between calls of the same type. */
  values: Float32Array;
  labels: readonly string[];
}

const NOTE_NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];
const VOICE_MIN_HZ = 32;
const VOICE_MAX_HZ = 2000;

interface NoteTable {
  /** For note k, bins [start[k], end[k]) fold into it. */
  start: Int32Array;
  end: Int32Array;
  labels: string[];
  values: Float32Array;
}

/** Frequency (Hz) of note index n, where 0 is C1 and 45 is A4 = 440 Hz. */
export function noteFrequency(n: number): number {
  return 440 * 2 ** ((n - 45) / 12);
}

/** Folds analyser dB spectra into 0..1 values without allocating per call. */
export class FrequencyAnalyzer {
  private readonly binValues: Float32Array;
  private binLabels: string[] | null = null;
  private readonly music: NoteTable;
  private readonly voice: NoteTable;

  /**
   * @param binCount number of FFT bins (AnalyserNode.frequencyBinCount)
   * @param sampleRate the analyser's context rate (bin i is centred on i × sampleRate / (2 × binCount))
   */
  constructor(
    readonly binCount: number,
    readonly sampleRate: number,
  ) {
    if (!(binCount > 0) || !(sampleRate > 0)) throw new RangeError('binCount and sampleRate must be positive');
    this.binValues = new Float32Array(binCount);
    this.music = this.buildNotes(0, 96);
    let first = 0;
    while (noteFrequency(first) < VOICE_MIN_HZ) first++;
    let last = first;
    while (noteFrequency(last + 1) <= VOICE_MAX_HZ) last++;
    this.voice = this.buildNotes(first, last + 1);
  }

  private buildNotes(from: number, to: number): NoteTable {
    const count = to - from;
    const start = new Int32Array(count);
    const end = new Int32Array(count);
    const labels: string[] = [];
    const hzPerBin = this.sampleRate / (2 * this.binCount);
    for (let k = 0; k < count; k++) {
      const n = from + k;
      const f = noteFrequency(n);
      const lo = f * 2 ** (-1 / 24);
      const hi = f * 2 ** (1 / 24);
      let s = Math.ceil(lo / hzPerBin);
      let e = Math.ceil(hi / hzPerBin);
      s = Math.min(Math.max(s, 0), this.binCount);
      e = Math.min(Math.max(e, 0), this.binCount);
      if (e <= s) {
        // Coarse FFT at low notes: use the nearest bin.
        const nearest = Math.min(this.binCount - 1, Math.round(f / hzPerBin));
        s = nearest;
        e = nearest + 1;
      }
      start[k] = s;
      end[k] = e;
      labels.push(`${NOTE_NAMES[n % 12]}${Math.floor(n / 12) + 1}`);
    }
    return { start, end, labels, values: new Float32Array(count) };
  }

  /**
   * Normalises `db` (length binCount) between minDb (→ 0) and maxDb (→ 1), clamped.
   * For `music` and `voice`, each note gets the maximum of its bins.
   */
  compute(db: Float32Array, type: FrequencyType = 'frequency', minDb = -100, maxDb = -30): FrequencyResult {
    const range = maxDb - minDb || 1;
    if (type === 'frequency') {
      const out = this.binValues;
      const n = Math.min(out.length, db.length);
      for (let i = 0; i < n; i++) out[i] = norm(db[i], minDb, range);
      this.binLabels ??= Array.from({ length: this.binCount }, (_, i) => `${Math.round((i * this.sampleRate) / (2 * this.binCount))} Hz`);
      return { values: out, labels: this.binLabels };
    }
    const t = type === 'music' ? this.music : this.voice;
    const { start, end, values } = t;
    for (let k = 0; k < values.length; k++) {
      let best = -Infinity;
      for (let i = start[k]; i < end[k] && i < db.length; i++) if (db[i] > best) best = db[i];
      values[k] = norm(best, minDb, range);
    }
    return { values, labels: t.labels };
  }
}

function norm(v: number, minDb: number, range: number): number {
  const x = (v - minDb) / range;
  return x > 1 ? 1 : x > 0 ? x : 0; // also maps -Infinity and NaN to 0
}
