// Robustness: random client events (known and unknown types, random fields) never crash the emulator, never
// produce an internal server_error, and leave the session usable.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, startEmulator, ToneSynthesizer, type EmulatorHarness } from '../helpers/emulator-harness';
import { checkInvariants } from '../helpers/emulator-invariants';
import { CLIENT_EVENT_TYPES } from '../../src/lib/realtime/protocol';

let h: EmulatorHarness;
beforeAll(async () => {
  h = await startEmulator({ synthesizer: new ToneSynthesizer(5), pacingSpeed: 50 });
});
afterAll(async () => {
  await h.close();
});

const TYPES = [...CLIENT_EVENT_TYPES, 'nonsense.event'];

const value = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -5, max: 100000 }),
  fc.double({ noNaN: true }),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('pcm16', 'Raw16KHz16BitMonoPcm', 'MonoMp3', 'server_vad', 'audio/pcm', 'AAAA', 'message', 'user', 'assistant', 'input_text', 'tts_text', 'function_call_output'),
);
const fields = fc.dictionary(
  fc.constantFrom('session', 'audio', 'item', 'item_id', 'content_index', 'audio_end_ms', 'response', 'response_id', 'previous_item_id', 'type', 'event_id'),
  fc.oneof(
    value,
    fc.dictionary(
      fc.constantFrom('type', 'role', 'content', 'voice', 'modalities', 'turn_detection', 'input_audio_format', 'audio', 'tools', 'conversation', 'call_id', 'output'),
      fc.oneof(value, fc.array(value, { maxLength: 3 }), fc.array(fc.dictionary(fc.constantFrom('type', 'text', 'audio', 'name'), value), { maxLength: 2 })),
    ),
  ),
);
const event = fc.tuple(fc.constantFrom(...TYPES), fields).map(([type, rest]) => ({ ...rest, type }));

describe.each(['beta', 'ga'] as const)('fuzzed client events (%s)', (dialect) => {
  it('errors only with protocol codes, keeps order invariants, stays usable', async () => {
    const c = await connect(h, dialect);
    await c.waitFor('session.created');
    const events = fc.sample(fc.array(event, { minLength: 20, maxLength: 40 }), { numRuns: 10, seed: dialect === 'beta' ? 7 : 11 }).flat();
    for (const e of events) c.send(e);
    c.send({ event_id: 'final', type: 'input_audio_buffer.clear' });
    await c.waitFor('input_audio_buffer.cleared', () => true, events.filter((e) => e.type === 'input_audio_buffer.clear').length + 1, 20_000);
    // Let any response started by the fuzz finish (or cancel it).
    c.send({ type: 'response.cancel' });
    await new Promise((r) => setTimeout(r, 300));
    const codes = new Set(c.of('error').map((e) => (e.error as { code: string }).code));
    expect(codes.has('server_error')).toBe(false);
    expect(c.closeCode).toBeNull();
    expect(checkInvariants(c.frames, dialect)).toEqual([]);
    await c.close();
  });
});
