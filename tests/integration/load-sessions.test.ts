// Load, bounded and on loopback: 50 concurrent sessions, each streaming real-time 20 ms microphone frames and
// receiving a paced audio reply, straight to the emulator and through the relay to an upstream emulator. Asserts
// correctness under load (every session completes, every audio delta of a reply arrives in order before its
// audio.done, no error, every frame due was sent); the lateness figure (p99 against the real-time schedule) is a
// benchmark: bench/load.bench.ts.
import { describe, expect, it } from 'vitest';
import { runLoad } from '../../bench/load.bench';

describe.each(['emulator', 'relay'] as const)('50 concurrent audio sessions (%s)', (via) => {
  it('all complete, with their audio deltas in order and no errors', async () => {
    const r = await runLoad({ sessions: 50, via, speakMs: 1000, timeoutMs: 25_000 });
    const failed = r.sessions.filter((s) => !s.ok);
    expect(failed.map((s) => s.error ?? s.responseStatus)).toEqual([]);
    const deltas = r.sessions.map((s) => s.deltas);
    // Same request, same reply: every session got the same number of deltas, all in order within one item.
    expect(new Set(deltas).size).toBe(1);
    expect(deltas[0]).toBeGreaterThan(10);
    for (const s of r.sessions) {
      expect(s.ordered).toBe(true);
      expect(s.lateness).toHaveLength(s.deltas);
      expect(Math.min(...s.lateness)).toBe(0);
      // The microphone kept streaming until the reply was done: at least the speech plus the reply's audio.
      expect(s.framesSent).toBeGreaterThanOrEqual(50);
    }
    expect(r.lateness.count).toBe(50 * deltas[0]);
    expect(r.wallMs).toBeLessThan(30_000);
  }, 30_000);
});
