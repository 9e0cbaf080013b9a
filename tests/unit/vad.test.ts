import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeWav } from '../../src/lib/dsp/wav';
import { detectTurns, frameLevel, Vad } from '../../src/server/emulator/vad';

const DIR = new URL('../fixtures/audio/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('manifest.json', DIR), 'utf8')) as Record<string, { speech_segments_ms: [number, number][] }>;
const DEFAULTS = { threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: 500 };

function tone(ms: number, rate: number, amplitude: number): Int16Array {
  const n = Math.round((rate * ms) / 1000);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * 300 * i) / rate));
  return out;
}

function concat(...parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

describe('VAD on the fixtures (defaults)', () => {
  for (const [file, entry] of Object.entries(manifest)) {
    it(`${file}: exactly the listed turns, start = onset − padding, end = offset + silence (±100 ms)`, () => {
      const wav = decodeWav(readFileSync(new URL(file, DIR)));
      const turns = detectTurns(wav.samples, wav.sampleRate, DEFAULTS);
      expect(turns).toHaveLength(entry.speech_segments_ms.length);
      turns.forEach((t, i) => {
        const [s, e] = entry.speech_segments_ms[i];
        expect(Math.abs(t.startMs - (s - 300))).toBeLessThanOrEqual(100);
        expect(t.endMs).not.toBeNull();
        expect(Math.abs((t.endMs as number) - (e + 500))).toBeLessThanOrEqual(100);
      });
    });

    it(`${file}: the same events whatever the chunking (pure function of the audio)`, () => {
      const wav = decodeWav(readFileSync(new URL(file, DIR)));
      const whole = detectTurns(wav.samples, wav.sampleRate, DEFAULTS);
      for (const chunk of [1, 37, 320, 3200, 16001]) {
        expect(detectTurns(wav.samples, wav.sampleRate, DEFAULTS, chunk)).toEqual(whole);
      }
    });
  }
});

describe('VAD parameters', () => {
  const rate = 16000;
  const speech = tone(800, rate, 6000);

  it('threshold: quiet speech passes 0.5 but not 0.99', () => {
    const quiet = concat(new Int16Array(rate), tone(800, rate, 400), new Int16Array(rate));
    expect(detectTurns(quiet, rate, DEFAULTS)).toHaveLength(1);
    expect(detectTurns(quiet, rate, { ...DEFAULTS, threshold: 0.99 })).toHaveLength(0);
  });

  it('silence_duration_ms: a 300 ms pause splits turns at 200 ms but not at 500 ms', () => {
    const audio = concat(new Int16Array(rate), speech, new Int16Array((rate * 300) / 1000), speech, new Int16Array(rate));
    expect(detectTurns(audio, rate, DEFAULTS)).toHaveLength(1);
    expect(detectTurns(audio, rate, { ...DEFAULTS, silenceDurationMs: 200 })).toHaveLength(2);
  });

  it('prefix_padding_ms moves the start and never reaches before the previous turn or 0', () => {
    const audio = concat(new Int16Array(rate / 10), speech, new Int16Array(rate));
    expect(detectTurns(audio, rate, { ...DEFAULTS, prefixPaddingMs: 0 })[0].startMs).toBe(100);
    expect(detectTurns(audio, rate, DEFAULTS)[0].startMs).toBe(0);
    const two = concat(new Int16Array(rate), speech, new Int16Array((rate * 600) / 1000), speech, new Int16Array(rate));
    const turns = detectTurns(two, rate, { ...DEFAULTS, prefixPaddingMs: 2000 });
    expect(turns).toHaveLength(2);
    expect(turns[1].startMs).toBe(turns[0].endMs);
  });

  it('hysteresis: a dip below threshold but above threshold − 0.15 does not end the turn', () => {
    // frameLevel: about 0.5 at -45 dBFS. A -47 dBFS stretch stays voiced once speech has started.
    const amp = Math.round(32768 * Math.sqrt(2) * 10 ** (-47 / 20));
    expect(frameLevel(10 ** (-47 / 10))).toBeLessThan(0.5);
    expect(frameLevel(10 ** (-47 / 10))).toBeGreaterThan(0.35);
    const audio = concat(new Int16Array(rate), speech, tone(1000, rate, amp), speech, new Int16Array(rate));
    expect(detectTurns(audio, rate, DEFAULTS)).toHaveLength(1);
    // The same dip does not start a turn on its own.
    expect(detectTurns(concat(new Int16Array(rate), tone(1000, rate, amp), new Int16Array(rate)), rate, DEFAULTS)).toHaveLength(0);
  });

  it('ignores clicks shorter than 30 ms; supports 8, 24 and 44.1 kHz; rejects odd rates', () => {
    expect(detectTurns(concat(new Int16Array(rate), tone(20, rate, 20000), new Int16Array(rate)), rate, DEFAULTS)).toHaveLength(0);
    for (const r of [8000, 24000, 44100]) {
      const turns = detectTurns(concat(new Int16Array(r), tone(800, r, 6000), new Int16Array(r)), r, DEFAULTS);
      expect(turns).toEqual([{ startMs: 700, endMs: 2300 }]);
    }
    expect(() => new Vad(22050, DEFAULTS)).toThrow(RangeError);
  });

  it('reset() drops an open turn and moves the padding floor', () => {
    const v = new Vad(rate, DEFAULTS);
    expect(v.push(concat(new Int16Array(rate), speech))[0]).toMatchObject({ type: 'speech_started', startSample: 0.7 * rate });
    expect(v.speaking).toBe(true);
    v.reset();
    expect(v.speaking).toBe(false);
    const events = v.push(concat(new Int16Array(rate / 10), speech, new Int16Array(rate)));
    expect(events[0]).toMatchObject({ type: 'speech_started', startSample: 1.8 * rate });
    expect(events[1]).toMatchObject({ type: 'speech_stopped' });
  });
});
