/** Audio fixtures for server tests: the 16 kHz speech WAVs, resampled to what a session expects. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeWav } from '../../src/lib/dsp/wav';
import { resampleInt16 } from '../../src/lib/dsp/resampler';

const FIXTURES = join(process.cwd(), 'tests', 'fixtures', 'audio');

/** A fixture as 16-bit PCM at `rate` (default 24 kHz, the GA `audio/pcm` rate). */
export function fixturePcm(name: string, rate = 24000): Int16Array {
  const wav = decodeWav(readFileSync(join(FIXTURES, name)));
  return wav.sampleRate === rate ? wav.samples : resampleInt16(wav.samples, wav.sampleRate, rate);
}

/** Splits PCM into chunks of `ms` milliseconds as little-endian bytes. */
export function pcmChunks(samples: Int16Array, rate: number, ms = 100): Buffer[] {
  const step = Math.round((rate * ms) / 1000);
  const out: Buffer[] = [];
  for (let i = 0; i < samples.length; i += step) {
    const part = samples.subarray(i, Math.min(samples.length, i + step));
    out.push(Buffer.from(part.buffer, part.byteOffset, part.byteLength));
  }
  return out;
}

/** Largest absolute sample of base64 PCM16 chunks. */
export function peakOfBase64(chunks: string[]): { samples: number; peak: number } {
  const bytes = Buffer.concat(chunks.map((c) => Buffer.from(c, 'base64')));
  const pcm = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1);
  let peak = 0;
  for (const s of pcm) peak = Math.max(peak, Math.abs(s));
  return { samples: pcm.length, peak };
}
