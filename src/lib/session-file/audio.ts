import { decodeBase64, encodeBase64 } from '../dsp/base64';
import { bytesToInt16, int16ToBytes } from '../dsp/pcm';
import type { RecordedAudio } from './types';

/** Packs PCM samples for a {@link RecordedItem}. */
export function packAudio(samples: Int16Array, sampleRate: number): RecordedAudio {
  return { sampleRate, encoding: 'pcm16', data: encodeBase64(int16ToBytes(samples)) };
}

/** Unpacks recorded audio into samples (throws `Base64Error` on bad data; decode already validated it). */
export function unpackAudio(audio: RecordedAudio): Int16Array {
  return bytesToInt16(decodeBase64(audio.data));
}
