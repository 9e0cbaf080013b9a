/**
 * Output decoders: turn the bytes of an audio delta into 16-bit PCM at the format's rate.
 * PCM and G.711 are pure TS (synchronous); MP3 and Opus go through WebCodecs `AudioDecoder` where the
 * browser has it, else creating the decoder throws {@link FormatNotSupportedError}.
 */
import type { AudioEncoding } from '../realtime/formats';
import { decodeAlaw, decodeMulaw } from '../dsp/g711';
import { floatToInt16Rounded } from '../dsp/resampler';
import { FormatNotSupportedError } from './errors';

/** The output format of a session direction (see src/lib/realtime/formats). */
export interface OutputFormat {
  encoding: AudioEncoding;
  /** Nominal rate; compressed streams report their real rate in each decoded block. */
  sampleRate: number;
}

/** Decoded PCM and its rate. */
export interface DecodedBlock {
  samples: Int16Array;
  sampleRate: number;
}

/** A stateful decoder for one track (carries partial samples/frames across deltas). */
export interface AudioDecoderHandle {
  /** Decodes one delta; returns what is decodable now (compressed formats may return audio later). */
  decode(bytes: Uint8Array): Promise<DecodedBlock>;
  /** Returns everything still held. */
  flush(): Promise<DecodedBlock>;
  close(): void;
}

const EMPTY = new Int16Array(0);

/** Creates a decoder for `format`. Rejects with FormatNotSupportedError when the browser cannot decode it. */
export async function createDecoder(format: OutputFormat): Promise<AudioDecoderHandle> {
  switch (format.encoding) {
    case 'pcm16':
      return new Pcm16Decoder(format.sampleRate);
    case 'g711_ulaw':
      return syncDecoder((b) => decodeMulaw(b), format.sampleRate);
    case 'g711_alaw':
      return syncDecoder((b) => decodeAlaw(b), format.sampleRate);
    case 'mp3':
      return WebCodecsDecoder.create('mp3', format.sampleRate, splitMp3Frames);
    case 'opus':
      return WebCodecsDecoder.create('opus', format.sampleRate, splitOpusPackets);
    default:
      throw new FormatNotSupportedError(String((format as OutputFormat).encoding));
  }
}

function syncDecoder(fn: (b: Uint8Array) => Int16Array, sampleRate: number): AudioDecoderHandle {
  return {
    decode: async (bytes) => ({ samples: fn(bytes), sampleRate }),
    flush: async () => ({ samples: EMPTY, sampleRate }),
    close: () => {},
  };
}

/** Little-endian 16-bit PCM; an odd trailing byte is carried into the next delta. */
class Pcm16Decoder implements AudioDecoderHandle {
  private carry: number | null = null;
  constructor(private readonly sampleRate: number) {}

  async decode(bytes: Uint8Array): Promise<DecodedBlock> {
    let src = bytes;
    if (this.carry !== null) {
      const joined = new Uint8Array(bytes.length + 1);
      joined[0] = this.carry;
      joined.set(bytes, 1);
      src = joined;
      this.carry = null;
    }
    const n = src.length >> 1;
    if (src.length & 1) this.carry = src[src.length - 1];
    const out = new Int16Array(n);
    const v = new DataView(src.buffer, src.byteOffset, n * 2);
    for (let i = 0; i < n; i++) out[i] = v.getInt16(i * 2, true);
    return { samples: out, sampleRate: this.sampleRate };
  }

  async flush(): Promise<DecodedBlock> {
    this.carry = null;
    return { samples: EMPTY, sampleRate: this.sampleRate };
  }

  close(): void {}
}

/** Splits a byte stream into codec packets; returns the packets and the bytes to keep for later. */
type Splitter = (buf: Uint8Array, final: boolean) => { packets: Uint8Array[]; rest: Uint8Array; sampleRate?: number; channels?: number };

/** WebCodecs-backed decoder for packetised formats. */
class WebCodecsDecoder implements AudioDecoderHandle {
  private decoder: AudioDecoder | null = null;
  private pending: Uint8Array = new Uint8Array(0);
  private out: DecodedBlock[] = [];
  private timestamp = 0;
  private error: unknown = null;

  private constructor(
    private readonly codec: 'mp3' | 'opus',
    private readonly nominalRate: number,
    private readonly split: Splitter,
  ) {}

  static async create(codec: 'mp3' | 'opus', sampleRate: number, split: Splitter): Promise<WebCodecsDecoder> {
    if (typeof AudioDecoder === 'undefined') throw new FormatNotSupportedError(codec, `${codec} needs WebCodecs AudioDecoder, which this browser lacks (or the page is not a secure context)`);
    const probe = await AudioDecoder.isConfigSupported({ codec, sampleRate, numberOfChannels: 1 }).catch(() => ({ supported: false }));
    if (!probe.supported) throw new FormatNotSupportedError(codec);
    return new WebCodecsDecoder(codec, sampleRate, split);
  }

  private ensure(sampleRate: number, channels: number): AudioDecoder {
    if (this.decoder) return this.decoder;
    const d = new AudioDecoder({
      output: (data) => {
        const n = data.numberOfFrames;
        const f = new Float32Array(n);
        data.copyTo(f, { planeIndex: 0, format: 'f32-planar' });
        this.out.push({ samples: floatToInt16Rounded(f), sampleRate: data.sampleRate });
        data.close();
      },
      error: (e) => {
        this.error = e;
      },
    });
    d.configure({ codec: this.codec, sampleRate, numberOfChannels: channels });
    this.decoder = d;
    return d;
  }

  private feed(final: boolean): void {
    const { packets, rest, sampleRate, channels } = this.split(this.pending, final);
    this.pending = rest;
    if (packets.length === 0) return;
    const d = this.ensure(sampleRate ?? this.nominalRate, channels ?? 1);
    for (const p of packets) {
      d.decode(new EncodedAudioChunk({ type: 'key', timestamp: this.timestamp, data: p }));
      this.timestamp += 20_000; // µs; only ordering matters here
    }
  }

  private take(): DecodedBlock {
    if (this.error) throw new FormatNotSupportedError(this.codec, `${this.codec} decoding failed: ${String(this.error)}`);
    const blocks = this.out;
    this.out = [];
    if (blocks.length === 0) return { samples: EMPTY, sampleRate: this.nominalRate };
    const rate = blocks[0].sampleRate;
    let total = 0;
    for (const b of blocks) total += b.samples.length;
    const samples = new Int16Array(total);
    let at = 0;
    for (const b of blocks) {
      samples.set(b.samples, at);
      at += b.samples.length;
    }
    return { samples, sampleRate: rate };
  }

  async decode(bytes: Uint8Array): Promise<DecodedBlock> {
    const joined = new Uint8Array(this.pending.length + bytes.length);
    joined.set(this.pending);
    joined.set(bytes, this.pending.length);
    this.pending = joined;
    this.feed(false);
    // Let the decoder deliver what it has; a full flush() would reset MP3's bit reservoir.
    await new Promise((r) => setTimeout(r, 0));
    return this.take();
  }

  async flush(): Promise<DecodedBlock> {
    this.feed(true);
    if (this.decoder && this.decoder.state === 'configured') await this.decoder.flush().catch((e: unknown) => (this.error = e));
    return this.take();
  }

  close(): void {
    if (this.decoder && this.decoder.state !== 'closed') this.decoder.close();
    this.decoder = null;
  }
}

const MP3_BITRATES: Record<string, number[]> = {
  // kbit/s by index, for MPEG-1 Layer III and MPEG-2/2.5 Layer III.
  v1: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  v2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const MP3_RATES = [
  [11025, 12000, 8000], // MPEG 2.5
  null,
  [22050, 24000, 16000], // MPEG 2
  [44100, 48000, 32000], // MPEG 1
];

/** Parses an MP3 (Layer III) frame header at `i`; returns its length, rate and channels, or null. */
export function mp3FrameAt(buf: Uint8Array, i: number): { length: number; sampleRate: number; channels: number } | null {
  if (i + 4 > buf.length || buf[i] !== 0xff || (buf[i + 1] & 0xe0) !== 0xe0) return null;
  const version = (buf[i + 1] >> 3) & 3;
  const layer = (buf[i + 1] >> 1) & 3;
  const brIdx = buf[i + 2] >> 4;
  const srIdx = (buf[i + 2] >> 2) & 3;
  const padding = (buf[i + 2] >> 1) & 1;
  const rates = MP3_RATES[version];
  if (layer !== 1 || !rates || brIdx === 0 || brIdx === 15 || srIdx === 3) return null;
  const sampleRate = rates[srIdx];
  const kbps = (version === 3 ? MP3_BITRATES.v1 : MP3_BITRATES.v2)[brIdx];
  const samplesPerFrame = version === 3 ? 1152 : 576;
  const length = Math.floor(((samplesPerFrame / 8) * kbps * 1000) / sampleRate) + padding;
  const channels = (buf[i + 3] >> 6) === 3 ? 1 : 2;
  return { length, sampleRate, channels };
}

function skipId3(buf: Uint8Array): number {
  if (buf.length >= 10 && buf[0] === 0x49 && buf[1] === 0x44 && buf[2] === 0x33) {
    return 10 + ((buf[6] << 21) | (buf[7] << 14) | (buf[8] << 7) | buf[9]);
  }
  return 0;
}

/** Splits MP3 bytes into whole frames (skipping an ID3 tag and junk); keeps an incomplete last frame. */
export const splitMp3Frames: Splitter = (buf, final) => {
  const packets: Uint8Array[] = [];
  let i = skipId3(buf);
  if (i > buf.length) return { packets, rest: buf };
  let sampleRate: number | undefined;
  let channels: number | undefined;
  while (i + 4 <= buf.length) {
    const h = mp3FrameAt(buf, i);
    if (!h) {
      i++;
      continue;
    }
    if (i + h.length > buf.length) break;
    packets.push(buf.slice(i, i + h.length));
    sampleRate ??= h.sampleRate;
    channels ??= h.channels;
    i += h.length;
  }
  return { packets, rest: final ? new Uint8Array(0) : buf.slice(i), sampleRate, channels };
};

/**
 * Opus: either an Ogg stream (split into packets, header packets dropped) or raw packets, one per delta.
 */
export const splitOpusPackets: Splitter = (buf, final) => {
  if (!(buf.length >= 4 && buf[0] === 0x4f && buf[1] === 0x67 && buf[2] === 0x67 && buf[3] === 0x53)) {
    return { packets: buf.length ? [buf] : [], rest: new Uint8Array(0), sampleRate: 48000 };
  }
  const packets: Uint8Array[] = [];
  let i = 0;
  let partial: number[] = [];
  while (i + 27 <= buf.length) {
    const segs = buf[i + 26];
    const headerLen = 27 + segs;
    if (i + headerLen > buf.length) break;
    let bodyLen = 0;
    for (let s = 0; s < segs; s++) bodyLen += buf[i + 27 + s];
    if (i + headerLen + bodyLen > buf.length) break;
    let at = i + headerLen;
    for (let s = 0; s < segs; s++) {
      const len = buf[i + 27 + s];
      for (let k = 0; k < len; k++) partial.push(buf[at + k]);
      at += len;
      if (len < 255) {
        const p = Uint8Array.from(partial);
        partial = [];
        const isHeader = p.length >= 8 && String.fromCharCode(...p.subarray(0, 8)).startsWith('Opus');
        if (!isHeader) packets.push(p);
      }
    }
    i += headerLen + bodyLen;
  }
  return { packets, rest: final ? new Uint8Array(0) : buf.slice(i), sampleRate: 48000, channels: 1 };
};
