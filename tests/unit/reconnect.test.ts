// The reconnect driver: backoff with jitter, the default close rule, and the cycle's state machine with an
// injected clock (no wall-clock waits).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConnectionError } from '../../src/lib/realtime/errors';
import { backoffDelay, isFinalConnectError, Reconnector, shouldReconnectByDefault, type ReconnectEvent } from '../../src/lib/realtime/reconnect';
import type { CloseInfo } from '../../src/lib/realtime/transport';

const drop = (code = 1006, reason = ''): CloseInfo => ({ code, reason, wasClean: false, error: new ConnectionError('closed', `connection closed: ${code}`, { code }) });

/** A manual clock: timers run when the test says so. */
function manualTimers() {
  const pending = new Map<number, { cb: () => void; ms: number }>();
  let seq = 0;
  return {
    pending,
    setTimer: (cb: () => void, ms: number) => {
      pending.set(++seq, { cb, ms });
      return seq;
    },
    clearTimer: (h: unknown) => void pending.delete(h as number),
    /** Runs every due timer; returns their delays. */
    fire(): number[] {
      const due = [...pending.entries()];
      pending.clear();
      for (const [, t] of due) t.cb();
      return due.map(([, t]) => t.ms);
    },
  };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('backoffDelay', () => {
  it('doubles from the base up to the cap, without jitter', () => {
    const p = { baseDelayMs: 100, maxDelayMs: 1000, jitter: 0 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, p))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('stays within [backoff·(1-jitter), backoff] for any attempt, jitter and random value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (n, jitter, r) => {
        const p = { baseDelayMs: 250, maxDelayMs: 20_000, jitter };
        const full = Math.min(20_000, 250 * 2 ** (n - 1));
        const d = backoffDelay(n, p, () => r);
        expect(d).toBeGreaterThanOrEqual(Math.floor(full * (1 - jitter)) - 1);
        expect(d).toBeLessThanOrEqual(full);
      }),
    );
  });
});

describe('shouldReconnectByDefault', () => {
  it('reconnects after drops and upstream failures', () => {
    for (const code of [1006, 1001, 1011, 4502, 4504, 4429]) expect(shouldReconnectByDefault(drop(code)), `code ${code}`).toBe(true);
  });

  it('never after a user disconnect, an auth failure, a refused Origin or an oversized frame', () => {
    expect(shouldReconnectByDefault({ code: 1000, reason: 'client disconnect', wasClean: true })).toBe(false);
    expect(shouldReconnectByDefault({ code: 1006, reason: '', wasClean: false })).toBe(false); // no error = asked for
    for (const code of [1008, 4401, 4403, 1009]) expect(shouldReconnectByDefault(drop(code)), `code ${code}`).toBe(false);
    const invalidKey: CloseInfo = { code: 1008, reason: '', wasClean: true, error: new ConnectionError('unauthorized', 'server refused the API key', { code: 1008 }) };
    expect(shouldReconnectByDefault(invalidKey)).toBe(false);
    expect(isFinalConnectError(new ConnectionError('unauthorized', 'HTTP 401', { status: 401 }))).toBe(true);
    expect(isFinalConnectError(new ConnectionError('unreachable', 'refused'))).toBe(false);
  });
});

describe('Reconnector', () => {
  function setup(results: (Error | null)[], policy = {}) {
    const timers = manualTimers();
    const events: ReconnectEvent[] = [];
    const attempts: number[] = [];
    const r = new Reconnector({
      policy: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000, jitter: 0, ...policy },
      random: () => 0.5,
      setTimer: timers.setTimer,
      clearTimer: timers.clearTimer,
      now: () => 0,
      onEvent: (e) => events.push(e),
      connect: async (n) => {
        attempts.push(n);
        const res = results[n - 1];
        if (res) throw res;
      },
    });
    return { r, timers, events, attempts };
  }

  it('waits with growing delays, retries after failures and resolves true once connected', async () => {
    const { r, timers, events, attempts } = setup([new ConnectionError('unreachable', 'refused'), new ConnectionError('timeout', 'slow'), null]);
    const done = r.start(drop());
    expect(r.active).toBe(true);
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      delays.push(...timers.fire());
      await flush();
    }
    await expect(done).resolves.toBe(true);
    expect(delays).toEqual([100, 200, 400]);
    expect(attempts).toEqual([1, 2, 3]);
    expect(r.active).toBe(false);
    expect(events.map((e) => e.type)).toEqual(['scheduled', 'attempt', 'failed', 'scheduled', 'attempt', 'failed', 'scheduled', 'attempt', 'connected']);
    expect(timers.pending.size).toBe(0);
  });

  it('gives up after maxAttempts', async () => {
    const fail = new ConnectionError('unreachable', 'refused');
    const { r, timers, events } = setup([fail, fail, fail, fail, fail]);
    const done = r.start(drop());
    for (let i = 0; i < 6; i++) {
      timers.fire();
      await flush();
    }
    await expect(done).resolves.toBe(false);
    expect(events.at(-1)).toEqual({ type: 'gave_up', attempts: 4, why: 'exhausted' });
    expect(events.filter((e) => e.type === 'attempt')).toHaveLength(4);
  });

  it('stops at a final error (the key was refused) without more attempts', async () => {
    const { r, timers, events, attempts } = setup([new ConnectionError('unauthorized', 'HTTP 401', { status: 401 })]);
    const done = r.start(drop());
    timers.fire();
    await flush();
    await expect(done).resolves.toBe(false);
    expect(attempts).toEqual([1]);
    expect(events.at(-1)).toEqual({ type: 'gave_up', attempts: 1, why: 'final_error' });
    expect(timers.pending.size).toBe(0);
  });

  it('declines closes the policy rejects, and honours an injected shouldReconnect', async () => {
    const a = setup([null]);
    await expect(a.r.start({ code: 1000, reason: 'client disconnect', wasClean: true })).resolves.toBe(false);
    expect(a.attempts).toEqual([]);
    expect(a.timers.pending.size).toBe(0);
    const b = setup([null], { shouldReconnect: (c: CloseInfo) => c.code === 4000 });
    await expect(b.r.start(drop(1006))).resolves.toBe(false);
    const c = setup([null], { shouldReconnect: (c: CloseInfo) => c.code === 4000 });
    const done = c.r.start(drop(4000));
    c.timers.fire();
    await expect(done).resolves.toBe(true);
  });

  it('cancel while waiting clears the timer; cancel while attempting aborts the attempt', async () => {
    const a = setup([null]);
    const done = a.r.start(drop());
    a.r.cancel();
    await expect(done).resolves.toBe(false);
    expect(a.timers.pending.size).toBe(0);
    expect(a.attempts).toEqual([]);

    const timers = manualTimers();
    let seen: AbortSignal | null = null;
    const r = new Reconnector({
      policy: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 10, jitter: 0 },
      setTimer: timers.setTimer,
      clearTimer: timers.clearTimer,
      connect: (_n, signal) =>
        new Promise<void>((_res, rej) => {
          seen = signal;
          signal.addEventListener('abort', () => rej(new ConnectionError('aborted', 'aborted')));
        }),
    });
    const p = r.start(drop());
    timers.fire();
    await flush();
    r.cancel();
    await expect(p).resolves.toBe(false);
    expect(seen!.aborted).toBe(true);
    await flush();
    expect(timers.pending.size).toBe(0); // the aborted attempt schedules nothing
  });
});
