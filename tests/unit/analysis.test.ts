import { describe, expect, it } from 'vitest';
import { FrequencyAnalyzer, noteFrequency } from '../../src/lib/dsp/analysis';

describe('FrequencyAnalyzer', () => {
  const binCount = 4096;
  const rate = 48000;
  const hzPerBin = rate / (2 * binCount);

  it('normalises bins between minDb and maxDb, clamped, with -Infinity as 0', () => {
    const a = new FrequencyAnalyzer(4, 8000);
    const r = a.compute(new Float32Array([-100, -65, -30, -Infinity]), 'frequency', -100, -30);
    expect(Array.from(r.values)).toEqual([0, 0.5, 1, 0]);
    expect(r.labels).toEqual(['0 Hz', '1000 Hz', '2000 Hz', '3000 Hz']);
    expect(Array.from(a.compute(new Float32Array([0, -200, Number.NaN, -30])).values)).toEqual([1, 0, 0, 1]);
  });

  it('puts a tone into the bucket of its note (music: 96 notes C1..B8)', () => {
    const a = new FrequencyAnalyzer(binCount, rate);
    const db = new Float32Array(binCount).fill(-120);
    db[Math.round(440 / hzPerBin)] = -30; // A4
    const r = a.compute(db, 'music');
    expect(r.values.length).toBe(96);
    expect(r.labels[0]).toBe('C1');
    expect(r.labels[95]).toBe('B8');
    const peak = r.values.indexOf(1);
    expect(r.labels[peak]).toBe('A4');
    expect(r.values.filter((v) => v > 0).length).toBe(1);
  });

  it('voice covers the notes between 32 and 2000 Hz', () => {
    const a = new FrequencyAnalyzer(binCount, rate);
    const r = a.compute(new Float32Array(binCount).fill(-50), 'voice');
    expect(noteFrequency(0)).toBeCloseTo(32.703, 2);
    expect(r.labels[0]).toBe('C1');
    expect(noteFrequency(r.labels.length - 1)).toBeLessThanOrEqual(2000);
    expect(noteFrequency(r.labels.length)).toBeGreaterThan(2000);
  });

  it('reuses its output arrays (no allocation per frame)', () => {
    const a = new FrequencyAnalyzer(1024, 16000);
    const db = new Float32Array(1024).fill(-60);
    for (const type of ['frequency', 'music', 'voice'] as const) {
      const first = a.compute(db, type);
      const second = a.compute(db, type);
      expect(second.values).toBe(first.values);
      expect(second.labels).toBe(first.labels);
    }
  });
});
