// Small client parts on their own: the isolating emitter, event-driven waits, the input ring, the growing buffer,
// the tool registry and output encoding, and content building that never mutates its input.
import { describe, expect, it } from 'vitest';
import { ChunkedBytes, Emitter, InputRing, InvalidArgumentError, ToolRegistry, WaitAbortedError, WaitTimeoutError, toolOutput, waitForEvent } from '../../src/lib/realtime';

describe('Emitter', () => {
  it('isolates throwing and rejecting listeners and reports them', async () => {
    const reported: string[] = [];
    const em = new Emitter<{ x: number }>((err, name) => reported.push(`${name}:${(err as Error).message}`));
    const got: number[] = [];
    em.on('x', () => {
      throw new Error('sync');
    });
    em.on('x', async () => {
      throw new Error('async');
    });
    em.on('x', (v) => {
      got.push(v);
    });
    em.emit('x', 1);
    await new Promise((r) => setTimeout(r, 0));
    expect(got).toEqual([1]);
    expect(reported.sort()).toEqual(['x:async', 'x:sync']);
  });

  it('once, off, and a reporter that throws do not break emission', () => {
    const em = new Emitter<{ x: number }>(() => {
      throw new Error('reporter broke');
    });
    const got: number[] = [];
    em.once('x', (v) => {
      got.push(v);
    });
    em.on('x', () => {
      throw new Error('l');
    });
    expect(() => em.emit('x', 1)).not.toThrow();
    em.emit('x', 2);
    expect(got).toEqual([1]);
    em.off('x');
    expect(em.listenerCount('x')).toBe(0);
  });
});

describe('waitForEvent', () => {
  it('resolves on the event, times out, aborts, and always removes its listeners', async () => {
    const em = new Emitter<{ a: number; b: string }>();
    const p = waitForEvent(em, 'a', { filter: (v) => v > 1, timeoutMs: 1000 });
    em.emit('a', 1);
    em.emit('a', 2);
    await expect(p).resolves.toBe(2);
    expect(em.listenerCount('a')).toBe(0);

    await expect(waitForEvent(em, 'a', { timeoutMs: 5 })).rejects.toBeInstanceOf(WaitTimeoutError);
    expect(em.listenerCount('a')).toBe(0);

    const ac = new AbortController();
    const q = waitForEvent(em, 'a', { signal: ac.signal, failOn: { b: (s) => new Error(s) } });
    expect(em.listenerCount('b')).toBe(1);
    ac.abort();
    await expect(q).rejects.toBeInstanceOf(WaitAbortedError);
    expect(em.listenerCount('a') + em.listenerCount('b')).toBe(0);

    const r = waitForEvent(em, 'a', { failOn: { b: (s) => new Error(s) } });
    em.emit('b', 'closed');
    await expect(r).rejects.toThrow('closed');
    expect(em.listenerCount('a') + em.listenerCount('b')).toBe(0);
  });
});

describe('InputRing', () => {
  it('reads ranges by absolute position and forgets audio older than its capacity', () => {
    const ring = new InputRing(1000, 1); // 1000 samples
    const all = new Int16Array(2500).map((_, i) => i);
    for (let at = 0; at < all.length; at += 300) ring.write(all.subarray(at, at + 300));
    expect(ring.position).toBe(2500);
    expect(ring.oldest).toBe(1500);
    expect(Array.from(ring.read(2000, 2010))).toEqual(Array.from(all.subarray(2000, 2010)));
    // Wrapping read.
    expect(Array.from(ring.read(1500, 2500))).toEqual(Array.from(all.subarray(1500, 2500)));
    // Clamped to what is held.
    expect(ring.read(0, 1600).length).toBe(100);
    expect(ring.read(3000, 4000).length).toBe(0);
    ring.write(new Int16Array(5000).fill(9));
    expect(ring.read(ring.position - 10, ring.position).every((v) => v === 9)).toBe(true);
    expect(() => new InputRing(0)).toThrow(RangeError);
  });
});

describe('tools', () => {
  it('registry refuses bad tools with typed errors', () => {
    const reg = new ToolRegistry();
    expect(() => reg.add({ name: '' }, () => 1)).toThrow(InvalidArgumentError);
    expect(() => reg.add({ name: 'x' }, 5 as unknown as () => 1)).toThrow(InvalidArgumentError);
    reg.add({ name: 'x' }, () => 1);
    expect(() => reg.add({ name: 'x' }, () => 1)).toThrow(/already/);
    expect(reg.definitions()).toEqual([{ name: 'x', type: 'function' }]);
    expect(() => reg.remove('y')).toThrow(InvalidArgumentError);
  });

  it('outputs are always valid JSON strings', () => {
    expect(toolOutput(undefined)).toBe('null');
    expect(toolOutput('hi')).toBe('"hi"');
    expect(toolOutput({ a: 1 })).toBe('{"a":1}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(JSON.parse(toolOutput(cyclic)).error).toMatch(/JSON/);
    expect(toolOutput(() => 1)).toBe('null');
  });
});

describe('base64 decode fast path (src/lib/dsp/base64.ts)', () => {
  it('property: matches Node\'s decoder for any bytes, with whitespace anywhere, padding or not, odd lengths', async () => {
    const fc = (await import('fast-check')).default;
    const { decodeBase64, encodeBase64 } = await import('../../src/lib/dsp/base64');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(), { maxLength: 5 }), fc.boolean(), (bytes, cuts, stripPad) => {
        let text = encodeBase64(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64'));
        if (stripPad) text = text.replace(/=+$/, '');
        // Whitespace goes anywhere before the padding (the decoder strips padding only at the end).
        for (const c of cuts) {
          const body = text.replace(/=+$/, '').length;
          const at = body === 0 ? 0 : c % body;
          text = `${text.slice(0, at)}\n ${text.slice(at)}`;
        }
        expect(Array.from(decodeBase64(text))).toEqual(Array.from(bytes));
      }),
      { numRuns: 300 },
    );
    expect(() => decodeBase64('AAAA*AAA')).toThrow(/invalid base64 character at 4/);
    expect(() => decodeBase64('AAAAAA€A')).toThrow(/invalid base64/);
  });
});

describe('ChunkedBytes', () => {
  it('property: any sequence of appends reads back as their concatenation, with aligned 16-bit views and truncation', async () => {
    const fc = (await import('fast-check')).default;
    const { ChunkedBytes } = await import('../../src/lib/realtime');
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 40 }), fc.nat(), (parts, cut) => {
        const c = new ChunkedBytes(16, 64);
        const expected: number[] = [];
        for (const p of parts) {
          c.append(p);
          expected.push(...p);
          expect(c.length).toBe(expected.length);
        }
        expect(Array.from(c.bytes())).toEqual(expected);
        expect(c.int16().length).toBe(expected.length >> 1);
        const keep = expected.length === 0 ? 0 : cut % expected.length;
        c.truncate(keep);
        c.append(new Uint8Array([7]));
        expect(Array.from(c.bytes())).toEqual([...expected.slice(0, keep), 7]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('ToolRunner', () => {
  it('one response.create per response after all its outputs, also when a call is reported after response.done', async () => {
    const { ToolRunner, ToolRegistry } = await import('../../src/lib/realtime');
    const reg = new ToolRegistry();
    reg.add({ name: 'echo' }, async (args) => {
      await new Promise((r) => setTimeout(r, 5));
      return args;
    });
    const log: string[] = [];
    const runner = new ToolRunner(reg, {
      sendOutput: (callId, output) => {
        log.push(`out ${callId} ${output}`);
        return true;
      },
      createResponse: () => log.push('create'),
      reportError: (e) => log.push(`err ${e.message}`),
    });
    expect(runner.callDone({ itemId: 'i1', callId: 'c1', name: 'echo', arguments: '{"a":1}', responseId: 'r1' })).toBe(true);
    expect(runner.callDone({ itemId: 'i1', callId: 'c1', name: 'echo', arguments: '{"a":1}', responseId: 'r1' })).toBe(true); // duplicate (GA item.done)
    expect(runner.callDone({ itemId: 'i2', callId: 'c2', name: 'unknown', arguments: '{}', responseId: 'r1' })).toBe(false);
    runner.responseDone('r1');
    await new Promise((r) => setTimeout(r, 30));
    expect(log).toEqual(['out c1 {"a":1}', 'create']);

    log.length = 0;
    runner.responseDone('r2');
    runner.callDone({ itemId: 'i3', callId: 'c3', name: 'echo', arguments: 'not json', responseId: 'r2' });
    await new Promise((r) => setTimeout(r, 30));
    expect(log[0]).toMatch(/^err /);
    expect(log[1]).toMatch(/^out c3 \{"error":/);
    expect(log[2]).toBe('create');
    expect(log).toHaveLength(3);

    log.length = 0;
    runner.callDone({ itemId: 'i4', callId: 'c4', name: 'echo', arguments: '{}', responseId: 'r3' });
    runner.reset();
    runner.responseDone('r3');
    await new Promise((r) => setTimeout(r, 30));
    expect(log).toEqual([]);
  });
});

describe('ChunkedBytes.compact', () => {
  it('keeps the content exactly, drops the slack, and accepts later appends', () => {
    const c = new ChunkedBytes(16, 64);
    const src = new Uint8Array(101).map((_, i) => (i * 7) & 0xff);
    for (let at = 0; at < src.length; at += 9) c.append(src.subarray(at, at + 9));
    c.compact();
    expect(Array.from(c.bytes())).toEqual(Array.from(src));
    expect(c.bytes().buffer.byteLength).toBe(101);
    c.append(new Uint8Array([1, 2, 3]));
    expect(c.length).toBe(104);
    expect(Array.from(c.bytes().subarray(100))).toEqual([src[100], 1, 2, 3]);
  });
});
