import { describe, expect, it } from 'vitest';
import { createDecoder, mp3FrameAt, splitMp3Frames, splitOpusPackets } from '../../src/lib/audio/decoders';
import { FormatNotSupportedError } from '../../src/lib/audio/errors';
import { encodeMulaw } from '../../src/lib/dsp/g711';

/** A fake MPEG-1 Layer III frame: 128 kbit/s, 44.1 kHz, mono, no padding → 417 bytes. */
function mp3Frame(fill: number): Uint8Array {
  const f = new Uint8Array(417).fill(fill);
  f.set([0xff, 0xfb, 0x90, 0xc0]);
  return f;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('output decoders (pure parts)', () => {
  it('parses MP3 frame headers', () => {
    expect(mp3FrameAt(mp3Frame(0), 0)).toEqual({ length: 417, sampleRate: 44100, channels: 1 });
    expect(mp3FrameAt(new Uint8Array([0xff, 0xfb, 0xf0, 0xc0]), 0)).toBeNull(); // bad bitrate index
    expect(mp3FrameAt(new Uint8Array([0x00, 0xfb, 0x90, 0xc0]), 0)).toBeNull();
  });

  it('splits MP3 bytes into whole frames across arbitrary delta boundaries, skipping ID3 and junk', () => {
    const id3 = new Uint8Array([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 5, 1, 2, 3, 4, 5]);
    const stream = concat(id3, mp3Frame(1), new Uint8Array([7, 7]), mp3Frame(2), mp3Frame(3));
    const first = splitMp3Frames(stream.subarray(0, 600), false);
    expect(first.packets.length).toBe(1);
    expect(first.packets[0][4]).toBe(1);
    expect(first.sampleRate).toBe(44100);
    const second = splitMp3Frames(concat(first.rest, stream.subarray(600)), false);
    expect(second.packets.map((p) => p[4])).toEqual([2, 3]);
    expect(second.rest.length).toBe(0);
  });

  it('splits an Ogg Opus stream into packets and drops the OpusHead/OpusTags headers', () => {
    const page = (segments: Uint8Array[]) => {
      const lacing: number[] = [];
      for (const s of segments) {
        let n = s.length;
        while (n >= 255) {
          lacing.push(255);
          n -= 255;
        }
        lacing.push(n);
      }
      const header = new Uint8Array(27 + lacing.length);
      header.set([0x4f, 0x67, 0x67, 0x53]);
      header[26] = lacing.length;
      header.set(lacing, 27);
      return concat(header, ...segments);
    };
    const head = new TextEncoder().encode('OpusHead........');
    const tags = new TextEncoder().encode('OpusTags....');
    const big = new Uint8Array(300).fill(9);
    const stream = concat(page([head]), page([tags]), page([new Uint8Array([1, 2, 3]), big]));
    const r = splitOpusPackets(stream, false);
    expect(r.packets.map((p) => p.length)).toEqual([3, 300]);
    // Raw packets (not Ogg) pass through one per delta.
    expect(splitOpusPackets(new Uint8Array([0x78, 1, 2]), false).packets.length).toBe(1);
  });

  it('PCM16 decoder carries an odd byte into the next delta', async () => {
    const d = await createDecoder({ encoding: 'pcm16', sampleRate: 24000 });
    const bytes = new Uint8Array(new Int16Array([1000, -2, 32767]).buffer);
    const a = await d.decode(bytes.subarray(0, 3));
    const b = await d.decode(bytes.subarray(3));
    expect([...a.samples, ...b.samples]).toEqual([1000, -2, 32767]);
    expect(a.sampleRate).toBe(24000);
  });

  it('G.711 decoders are synchronous table look-ups', async () => {
    const d = await createDecoder({ encoding: 'g711_ulaw', sampleRate: 8000 });
    const out = await d.decode(encodeMulaw(new Int16Array([0, 1000, -1000])));
    expect(out.samples.length).toBe(3);
    expect(Math.abs(out.samples[1] - 1000)).toBeLessThan(40);
  });

  it('MP3 and Opus without WebCodecs (Node) reject with FormatNotSupportedError', async () => {
    expect(typeof (globalThis as { AudioDecoder?: unknown }).AudioDecoder).toBe('undefined');
    await expect(createDecoder({ encoding: 'mp3', sampleRate: 16000 })).rejects.toBeInstanceOf(FormatNotSupportedError);
    await expect(createDecoder({ encoding: 'opus', sampleRate: 16000 })).rejects.toBeInstanceOf(FormatNotSupportedError);
  });
});
