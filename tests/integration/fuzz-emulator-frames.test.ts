// Property-based: raw frames that are not events at all (random text, random JSON values, deep nesting, huge
// strings, binary data) against the emulator in both dialects. Each is answered, if at all, with a protocol error
// (never server_error), the socket stays open, nothing escapes the process, and the session still works.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, startEmulator, ToneSynthesizer, type EmulatorHarness } from '../helpers/emulator-harness';

let h: EmulatorHarness;
const escaped: unknown[] = [];
const onEscape = (e: unknown) => escaped.push(e);

beforeAll(async () => {
  h = await startEmulator({ synthesizer: new ToneSynthesizer(5), pacingSpeed: 50 });
  process.on('uncaughtException', onEscape);
  process.on('unhandledRejection', onEscape);
});
afterAll(async () => {
  process.off('uncaughtException', onEscape);
  process.off('unhandledRejection', onEscape);
  await h.close();
});

const PROTOCOL_CODES = new Set(['invalid_event', 'invalid_value', 'unknown_parameter', 'missing_required_parameter', 'invalid_type', 'unknown_event']);

const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
const frame = fc.oneof(
  fc.string({ maxLength: 40 }).map((text) => ({ text })),
  fc.json({ maxDepth: 3 }).map((text) => ({ text })),
  fc.constantFrom(deep(5000), `{"type":"${'x'.repeat(100_000)}"}`, '{"type":"input_audio_buffer.append","audio":7}', '{"type":"session.update","session":[]}', '{"type":"__proto__"}', '{"type":"constructor","__proto__":{"polluted":1}}').map((text) => ({ text })),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ bytes })),
);

describe.each(['beta', 'ga'] as const)('raw frame fuzz against the emulator (%s)', (dialect) => {
  it('protocol errors only, the socket stays open, the session keeps working', async () => {
    const batches = fc.sample(fc.array(frame, { minLength: 5, maxLength: 25 }), { numRuns: 8, seed: dialect === 'beta' ? 17 : 29 });
    for (const frames of batches) {
      const c = await connect(h, dialect);
      await c.waitFor('session.created');
      for (const f of frames) {
        if ('bytes' in f) c.ws.send(Buffer.from(f.bytes), { binary: true });
        else c.sendRaw(f.text);
      }
      // A marker after the noise: once answered, everything before it has been handled.
      c.send({ event_id: 'after-noise', type: 'session.update', session: { ...(dialect === 'ga' ? { type: 'realtime' } : {}), instructions: 'still here' } });
      await c.waitFor('session.updated', (e) => (e.session as { instructions?: string }).instructions === 'still here');
      expect(c.closeCode).toBeNull();
      for (const e of c.of('error')) {
        const code = (e.error as { code?: string }).code ?? '';
        expect(PROTOCOL_CODES.has(code), `error code ${code}`).toBe(true);
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      await c.close();
    }
    expect(escaped).toEqual([]);
    // The server still serves new sessions.
    const fresh = await connect(h, dialect);
    await fresh.waitFor('session.created');
    await fresh.close();
  });
});
