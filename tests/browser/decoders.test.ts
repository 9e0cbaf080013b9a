import { afterEach, describe, expect, it } from 'vitest';
import { FormatNotSupportedError, WavStreamPlayer, createDecoder } from '../../src/lib/audio';
import { decodeMulaw, encodeMulaw, encodeAlaw, decodeAlaw } from '../../src/lib/dsp/g711';
import { int16ToBytes } from '../../src/lib/dsp/pcm';
import { countNonZero, firstNonZero, marker, sleep, tap, waitFor } from './helpers/audio';

let player: WavStreamPlayer | null = null;
afterEach(async () => {
  await player?.disconnect();
  player = null;
});

describe('output decoders in Chromium', () => {
  it('G.711 µ-law and A-law deltas play exactly their decoded samples', async () => {
    // Held until all deltas are queued (500 ms jitter buffer), so a loaded machine cannot slip an underrun between them.
    player = new WavStreamPlayer({ sampleRate: 8000, prebufferMs: 500 });
    await player.connect();
    const t = await tap(player.getContext() as AudioContext, player.getOutputNode() as AudioNode);
    const pcm = marker(1200, 11);
    const mu = encodeMulaw(pcm);
    const a = encodeAlaw(pcm);
    // Split into uneven deltas, as a server would send them.
    await player.addEncoded(mu.subarray(0, 333), { encoding: 'g711_ulaw', sampleRate: 8000 }, 'mu');
    await player.addEncoded(mu.subarray(333), { encoding: 'g711_ulaw', sampleRate: 8000 }, 'mu');
    await player.addEncoded(a, { encoding: 'g711_alaw', sampleRate: 8000 }, 'a');
    const p = player;
    expect(await waitFor(() => p.getStats().samplesRendered['a'] === 1200, 10_000)).toBe(true);
    await sleep(100);
    t.stop();
    const out = t.samples();
    const s = firstNonZero(out);
    const expected = [...decodeMulaw(mu), ...decodeAlaw(a)].map((v) => Math.fround(v / 32768));
    expect(Array.from(out.subarray(s, s + 2400))).toEqual(expected);
  });

  it('PCM at another rate (16 kHz into an 8 kHz player) is resampled seamlessly, odd byte splits carried over', async () => {
    player = new WavStreamPlayer({ sampleRate: 8000 });
    await player.connect();
    const t = await tap(player.getContext() as AudioContext, player.getOutputNode() as AudioNode);
    const pcm = marker(3201, 12);
    const bytes = int16ToBytes(pcm);
    const fmt = { encoding: 'pcm16', sampleRate: 16000 } as const;
    // Odd split (a sample across two deltas), sent without awaiting: both deltas must share one decoder.
    await Promise.all([player.addEncoded(bytes.subarray(0, 1001), fmt, 'x'), player.addEncoded(bytes.subarray(1001), fmt, 'x')]);
    await player.endTrack('x');
    const p = player;
    expect(await waitFor(() => p.getStats().samplesRendered['x'] === Math.ceil(3201 / 2), 10_000)).toBe(true);
    await sleep(100);
    t.stop();
    expect(countNonZero(t.samples())).toBeGreaterThan(1550);
  });

  it('Opus packets (made by WebCodecs AudioEncoder) decode and play; unsupported codecs give a typed error', async () => {
    expect(typeof AudioEncoder).toBe('function'); // served from 127.0.0.1: a secure context
    const rate = 48000;
    const packets: Uint8Array[] = [];
    const enc = new AudioEncoder({
      output: (chunk) => {
        const b = new Uint8Array(chunk.byteLength);
        chunk.copyTo(b);
        packets.push(b);
      },
      error: (e) => {
        throw e;
      },
    });
    enc.configure({ codec: 'opus', sampleRate: rate, numberOfChannels: 1, bitrate: 32000 });
    const seconds = 1;
    const pcm = new Float32Array(rate * seconds);
    for (let i = 0; i < pcm.length; i++) pcm[i] = 0.3 * Math.sin((2 * Math.PI * 440 * i) / rate);
    enc.encode(new AudioData({ format: 'f32-planar', sampleRate: rate, numberOfFrames: pcm.length, numberOfChannels: 1, timestamp: 0, data: pcm }));
    await enc.flush();
    enc.close();
    expect(packets.length).toBeGreaterThan(40);

    player = new WavStreamPlayer({ sampleRate: 16000 });
    await player.connect();
    for (const p of packets) await player.addEncoded(p, { encoding: 'opus', sampleRate: 16000 }, 'opus');
    await player.endTrack('opus');
    const p = player;
    // 1 s of audio (plus the codec's pre-skip) reaches the speakers at the player's rate.
    expect(await waitFor(() => (p.getStats().samplesRendered['opus'] ?? 0) >= 16000, 10_000)).toBe(true);

    await expect(createDecoder({ encoding: 'flac' as never, sampleRate: 8000 })).rejects.toBeInstanceOf(FormatNotSupportedError);
  });
});
