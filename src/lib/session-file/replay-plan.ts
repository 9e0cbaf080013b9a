// What a replay sends: the recorded server frames, in order, each at its original offset from connection open,
// starting with the recorded `session.created`. Audio deltas stripped to `[audio N B]` markers (the console's
// event log keeps no audio) are refilled from the recorded item audio, re-encoded in the session's output format.
import { decodeBase64, encodeBase64 } from '../dsp/base64';
import { encodeAlaw, encodeMulaw } from '../dsp/g711';
import { bytesToInt16, int16ToBytes } from '../dsp/pcm';
import { resolveFormat, type AudioFormatInfo } from '../realtime/formats';
import { BINARY_TYPE, UNPARSABLE_TYPE } from './relay-jsonl';
import type { RecordedItem, SessionRecording } from './types';

/** One frame to send. */
export interface ReplayFrame {
  /** Offset from connection open, ms. */
  t: number;
  /** Text frame, or binary bytes as base64. */
  data: { text: string } | { binary: string };
  /** Event type (for logs and tests). */
  type: string;
}

const MARKER = /^\[audio (\d+) B\]$/;
const AUDIO_DELTAS = new Set(['response.audio.delta', 'response.output_audio.delta']);

/** Builds the frames a replay sends (see the module comment). Never throws on odd content. */
export function buildReplayPlan(rec: SessionRecording): ReplayFrame[] {
  const server = rec.events.filter((e) => e.direction === 'server');
  const start = server.findIndex((e) => e.event.type === 'session.created');
  const from = start >= 0 ? start : 0;
  const audio = new AudioRefill(rec.items);
  let format: AudioFormatInfo | null = null;
  const out: ReplayFrame[] = [];
  for (let i = from; i < server.length; i++) {
    const { t, event } = server[i];
    const type = event.type;
    if (type === 'session.created' || type === 'session.updated') format = outputFormat(event.session) ?? format;
    if (type === BINARY_TYPE) {
      out.push({ t, type, data: { binary: typeof event.base64 === 'string' ? event.base64 : '' } });
      continue;
    }
    if (type === UNPARSABLE_TYPE) {
      out.push({ t, type, data: { text: typeof event.raw === 'string' ? event.raw : '' } });
      continue;
    }
    let sent = event;
    if (AUDIO_DELTAS.has(type) && typeof event.delta === 'string') {
      const m = MARKER.exec(event.delta);
      if (m) sent = { ...event, delta: audio.take(String(event.item_id ?? ''), Number(m[1]), format) };
    }
    out.push({ t, type, data: { text: JSON.stringify(sent) } });
  }
  return out;
}

function outputFormat(session: unknown): AudioFormatInfo | null {
  if (!session || typeof session !== 'object') return null;
  const s = session as { output_audio_format?: unknown; audio?: { output?: { format?: unknown } } };
  const f = s.output_audio_format ?? s.audio?.output?.format;
  return f === undefined ? null : resolveFormat(f as string);
}

/** Hands out consecutive slices of each item's recorded audio, encoded as the wire wants them. */
class AudioRefill {
  private readonly pcm = new Map<string, { samples: Int16Array; rate: number; cursor: number }>();
  constructor(private readonly items: readonly RecordedItem[]) {}

  take(itemId: string, bytes: number, format: AudioFormatInfo | null): string {
    const enc = format?.encoding ?? 'pcm16';
    const perSample = enc === 'pcm16' ? 2 : enc === 'g711_ulaw' || enc === 'g711_alaw' ? 1 : 0;
    const track = this.track(itemId);
    if (perSample === 0 || !track || (format && format.sampleRate !== track.rate)) return encodeBase64(silence(bytes, enc));
    const n = Math.floor(bytes / perSample);
    const slice = new Int16Array(n);
    slice.set(track.samples.subarray(track.cursor, Math.min(track.samples.length, track.cursor + n)));
    track.cursor += n;
    if (enc === 'pcm16') return encodeBase64(int16ToBytes(slice));
    return encodeBase64(enc === 'g711_ulaw' ? encodeMulaw(slice) : encodeAlaw(slice));
  }

  private track(id: string) {
    const known = this.pcm.get(id);
    if (known) return known;
    const item = this.items.find((it) => it.id === id);
    if (!item?.audio) return null;
    let samples: Int16Array;
    try {
      samples = bytesToInt16(decodeBase64(item.audio.data));
    } catch {
      return null;
    }
    const entry = { samples, rate: item.audio.sampleRate, cursor: 0 };
    this.pcm.set(id, entry);
    return entry;
  }
}

function silence(bytes: number, encoding: string): Uint8Array {
  const out = new Uint8Array(bytes);
  if (encoding === 'g711_ulaw') out.fill(0xff);
  else if (encoding === 'g711_alaw') out.fill(0xd5);
  return out;
}
