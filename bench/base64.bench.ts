// base64 throughput of src/lib/dsp/base64.ts against the string-loop codec the reference client uses
// (btoa over String.fromCharCode per character; atob then charCodeAt per character), on 1 MiB of audio bytes.
import { performance } from 'node:perf_hooks';
import { decodeBase64, encodeBase64 } from '../src/lib/dsp/base64';
import type { BenchResult } from './types';

const SIZE = 1 << 20;
const ROUNDS = 20;

function loopEncode(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return btoa(s);
}
function loopDecode(text: string): Uint8Array {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function mbps(fn: () => unknown): number {
  fn(); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < ROUNDS; i++) fn();
  const s = (performance.now() - t0) / 1000;
  return (SIZE * ROUNDS) / 1e6 / s;
}

export default async function (): Promise<BenchResult[]> {
  const bytes = new Uint8Array(SIZE);
  for (let i = 0; i < SIZE; i++) bytes[i] = (i * 2654435761) >>> 24;
  const text = encodeBase64(bytes);
  if (loopEncode(bytes) !== text) throw new Error('codecs disagree on encode');
  const back = decodeBase64(text);
  if (back.length !== SIZE || back.some((v, i) => v !== bytes[i])) throw new Error('decode mismatch');
  const enc = mbps(() => encodeBase64(bytes));
  const encBase = mbps(() => loopEncode(bytes));
  const dec = mbps(() => decodeBase64(text));
  const decBase = mbps(() => loopDecode(text));
  return [
    { name: 'base64.encode', unit: 'MB/s', value: enc, baseline: encBase, ratio: enc / encBase, note: `1 MiB × ${ROUNDS}; baseline btoa(String.fromCharCode per byte)` },
    { name: 'base64.decode', unit: 'MB/s', value: dec, baseline: decBase, ratio: dec / decBase, note: `1 MiB × ${ROUNDS}; baseline atob + charCodeAt per char` },
  ];
}
