import { describe, expect, it } from 'vitest';
import { FORMAT_NAMES, bytesToMs, msToSamples, resolveFormat, toGaFormat } from '../../src/lib/realtime/formats';

describe('audio format table', () => {
  it.each([
    ['Raw8KHz16BitMonoPcm', 'pcm16', 8000],
    ['Raw16KHz16BitMonoPcm', 'pcm16', 16000],
    ['Raw24KHz16BitMonoPcm', 'pcm16', 24000],
    ['Raw44100Hz16BitMonoPcm', 'pcm16', 44100],
    ['Raw44KHz16BitMonoPcm', 'pcm16', 44100],
    ['MonoMp3', 'mp3', 16000],
    ['Audio16KHz16BitMonoOpus', 'opus', 16000],
    ['pcm16', 'pcm16', 24000],
    ['g711_ulaw', 'g711_ulaw', 8000],
    ['g711_alaw', 'g711_alaw', 8000],
  ] as const)('%s -> %s @ %d', (name, encoding, rate) => {
    const f = resolveFormat(name);
    expect(f).toMatchObject({ encoding, sampleRate: rate });
  });

  it('resolves GA objects and rejects unknown names', () => {
    expect(resolveFormat({ type: 'audio/pcm', rate: 24000 })).toMatchObject({ encoding: 'pcm16', sampleRate: 24000 });
    expect(resolveFormat({ type: 'audio/pcmu' })).toMatchObject({ encoding: 'g711_ulaw', sampleRate: 8000 });
    expect(resolveFormat({ type: 'audio/pcma' })).toMatchObject({ encoding: 'g711_alaw' });
    expect(resolveFormat('Raw12KHz')).toBeNull();
    expect(resolveFormat(undefined)).toBeNull();
    expect(FORMAT_NAMES).toHaveLength(10);
  });

  it('does per-format ms arithmetic', () => {
    expect(bytesToMs(resolveFormat('Raw16KHz16BitMonoPcm')!, 3200)).toBe(100);
    expect(bytesToMs(resolveFormat('pcm16')!, 4800)).toBe(100);
    expect(bytesToMs(resolveFormat('g711_ulaw')!, 800)).toBe(100);
    expect(bytesToMs(resolveFormat('MonoMp3')!, 800)).toBeNull();
    expect(msToSamples(resolveFormat('Raw8KHz16BitMonoPcm')!, 1234)).toBe(9872);
    expect(toGaFormat(resolveFormat('g711_alaw')!)).toEqual({ type: 'audio/pcma' });
  });
});
