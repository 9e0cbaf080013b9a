// Property-based robustness of the CLIENT's receive path, through a real socket: a scripted server sends coherent
// turns (text, audio, tool calls, user speech) in either dialect, then mangled — events dropped, duplicated,
// swapped, replaced by malformed frames, random noise events inserted, the stream cut. Properties: no exception
// escapes (uncaughtException / unhandledRejection), every item ends terminal (after the final response.done of its
// response, and after the close), and memory stays bounded (items ≤ ids sent, responses ≤ response ids sent, no
// listener left behind, everything released on disconnect).
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { RealtimeClient, type RealtimeClientEvents } from '../../src/lib/realtime/client';
import { TERMINAL_STATUSES } from '../../src/lib/realtime/conversation';
import { serverEventName, type Dialect } from '../../src/lib/realtime/protocol';
import type { WebSocketConstructor } from '../../src/lib/realtime/transport';
import { encodeBase64 } from '../../src/lib/dsp/base64';
import { ScriptedServer } from '../helpers/scripted-server';

const WS = WebSocket as unknown as WebSocketConstructor;
type Ev = { type: string; [k: string]: unknown };

const PCM = encodeBase64(new Int16Array(160).map((_, i) => (i * 97) % 4000));

// ---------------------------------------------------------------------------------------------------------------
// Coherent turns (beta names; renamed per dialect when sent)

type Turn = { kind: 'text' | 'audio' | 'tool' | 'user'; words: string[]; status: string; transcribe: 'completed' | 'failed' };

function turnEvents(t: Turn, n: number, ga: boolean): Ev[] {
  const r = `resp_${n}`;
  const i = `item_${n}`;
  const ref = { response_id: r, item_id: i, output_index: 0, content_index: 0 };
  const text = t.words.join(' ');
  if (t.kind === 'user') {
    const item = { id: i, type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_audio', transcript: null }] };
    return [
      { type: 'input_audio_buffer.speech_started', item_id: i, audio_start_ms: 100 * n },
      { type: 'input_audio_buffer.speech_stopped', item_id: i, audio_end_ms: 100 * n + 80 },
      { type: 'input_audio_buffer.committed', item_id: i, previous_item_id: null },
      { type: 'conversation.item.created', item, previous_item_id: null },
      ...t.words.map((w) => ({ type: 'conversation.item.input_audio_transcription.delta', item_id: i, content_index: 0, delta: w })),
      t.transcribe === 'completed'
        ? { type: 'conversation.item.input_audio_transcription.completed', item_id: i, content_index: 0, transcript: text }
        : { type: 'conversation.item.input_audio_transcription.failed', item_id: i, content_index: 0, error: { type: 'transcription_error', message: 'no speech' } },
    ];
  }
  const created: Ev = { type: 'response.created', response: { id: r, object: 'realtime.response', status: 'in_progress', output: [] } };
  if (t.kind === 'tool') {
    const item = { id: i, type: 'function_call', status: 'in_progress', call_id: `call_${n}`, name: 'lookup', arguments: '' };
    const args = JSON.stringify({ q: text });
    return [
      created,
      { type: 'response.output_item.added', response_id: r, output_index: 0, item },
      { type: 'conversation.item.created', item, previous_item_id: null },
      { type: 'response.function_call_arguments.delta', ...ref, call_id: `call_${n}`, delta: args.slice(0, 5) },
      { type: 'response.function_call_arguments.delta', ...ref, call_id: `call_${n}`, delta: args.slice(5) },
      { type: 'response.function_call_arguments.done', ...ref, call_id: `call_${n}`, arguments: args, name: 'lookup' },
      { type: 'response.output_item.done', response_id: r, output_index: 0, item: { ...item, status: 'completed', arguments: args } },
      { type: 'response.done', response: { id: r, status: t.status, output: [{ ...item, status: 'completed', arguments: args }] } },
    ];
  }
  const audio = t.kind === 'audio';
  const ctype = audio ? (ga ? 'output_audio' : 'audio') : ga ? 'output_text' : 'text';
  const item = { id: i, type: 'message', role: 'assistant', status: 'in_progress', content: [] };
  const deltas: Ev[] = t.words.flatMap((w) =>
    audio
      ? [
          { type: 'response.audio.delta', ...ref, delta: PCM },
          { type: 'response.audio_transcript.delta', ...ref, delta: `${w} ` },
        ]
      : [{ type: 'response.text.delta', ...ref, delta: `${w} ` }],
  );
  const doneItem = { ...item, status: t.status === 'completed' ? 'completed' : 'incomplete', content: [audio ? { type: ctype, transcript: text } : { type: ctype, text }] };
  return [
    created,
    { type: 'response.output_item.added', response_id: r, output_index: 0, item },
    { type: 'conversation.item.created', item, previous_item_id: null },
    { type: 'response.content_part.added', ...ref, part: audio ? { type: 'audio', transcript: '' } : { type: 'text', text: '' } },
    ...deltas,
    ...(audio ? [{ type: 'response.audio.done', ...ref }, { type: 'response.audio_transcript.done', ...ref, transcript: text }] : [{ type: 'response.text.done', ...ref, text }]),
    { type: 'response.content_part.done', ...ref, part: audio ? { type: 'audio', transcript: text } : { type: 'text', text } },
    { type: 'response.output_item.done', response_id: r, output_index: 0, item: doneItem },
    { type: 'response.done', response: { id: r, status: t.status, output: [doneItem] } },
  ];
}

const turnArb: fc.Arbitrary<Turn> = fc.record({
  kind: fc.constantFrom('text', 'audio', 'tool', 'user'),
  words: fc.array(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 4 }),
  status: fc.constantFrom('completed', 'cancelled', 'incomplete', 'failed'),
  transcribe: fc.constantFrom('completed', 'failed'),
});

// ---------------------------------------------------------------------------------------------------------------
// Noise: well-typed events with wrong or random fields, and frames that are not events at all

const KNOWN_TYPES = [
  'response.created', 'response.done', 'response.output_item.added', 'response.output_item.done', 'conversation.item.created',
  'response.content_part.added', 'response.content_part.done', 'response.audio.delta', 'response.audio.done',
  'response.audio_transcript.delta', 'response.audio_transcript.done', 'response.text.delta', 'response.text.done',
  'response.function_call_arguments.delta', 'response.function_call_arguments.done', 'conversation.item.truncated',
  'conversation.item.deleted', 'conversation.item.input_audio_transcription.delta', 'conversation.item.input_audio_transcription.completed',
  'conversation.item.input_audio_transcription.failed', 'input_audio_buffer.speech_started', 'input_audio_buffer.speech_stopped',
  'input_audio_buffer.committed', 'input_audio_buffer.cleared', 'session.updated', 'error', 'rate_limits.updated', 'unknown.event',
];
const ID = fc.constantFrom('item_0', 'item_1', 'item_2', 'item_9', '', 'resp_0', 'resp_1');
const junk = fc.oneof(
  ID,
  fc.constant(null),
  fc.integer({ min: -3, max: 1e9 }),
  fc.double(),
  fc.string({ maxLength: 10 }),
  fc.constantFrom('AAAA', 'AQ', '!!notbase64!!', PCM, 'completed', 'in_progress', 'assistant', 'user', 'message', 'function_call'),
  fc.anything({ maxDepth: 2, maxKeys: 4 }),
);
const noiseEvent: fc.Arbitrary<Ev> = fc
  .record({
    type: fc.constantFrom(...KNOWN_TYPES),
    fields: fc.dictionary(
      fc.constantFrom('item_id', 'response_id', 'item', 'response', 'delta', 'part', 'content_index', 'output_index', 'audio_end_ms', 'transcript', 'error', 'session', 'previous_item_id'),
      fc.oneof(junk, fc.record({ id: ID, type: junk, role: junk, status: junk, content: fc.oneof(junk, fc.array(fc.record({ type: junk, text: junk, transcript: junk }), { maxLength: 2 })) }, { requiredKeys: [] })),
      { maxKeys: 5 },
    ),
  })
  .map(({ type, fields }) => ({ ...fields, type }));
const malformedFrame = fc.oneof(
  fc.constantFrom('', 'null', '[]', '"text"', '42', '{', '{"type":', '{"type":5}', '{"type":null}', '{}', '{"type":"response.audio.delta","delta":"AAAA'),
  fc.string({ maxLength: 30 }),
  fc.json({ maxDepth: 2 }),
);

type Op = { op: 'drop' | 'dup' | 'swap' | 'garble' | 'noise'; at: number };
const opArb: fc.Arbitrary<Op> = fc.record({ op: fc.constantFrom('drop', 'dup', 'swap', 'garble', 'noise'), at: fc.nat() });

/** A script: coherent turns mangled by `ops`, optionally cut. Frames are text (already renamed for the dialect). */
const scriptArb = (dialect: Dialect) =>
  fc
    .record({
      turns: fc.array(turnArb, { minLength: 1, maxLength: 4 }),
      ops: fc.array(opArb, { maxLength: 10 }),
      noise: fc.array(noiseEvent, { maxLength: 6 }),
      garbage: fc.array(malformedFrame, { maxLength: 6 }),
      cut: fc.option(fc.nat(), { nil: undefined }),
    })
    .map(({ turns, ops, noise, garbage, cut }) => {
      const ga = dialect === 'ga';
      const events: (Ev | string)[] = turns.flatMap((t, n) => turnEvents(t, n, ga));
      let noiseAt = 0;
      let garbageAt = 0;
      for (const { op, at } of ops) {
        if (events.length === 0) break;
        const k = at % events.length;
        if (op === 'drop') events.splice(k, 1);
        else if (op === 'dup') events.splice(k, 0, events[k]);
        else if (op === 'swap' && k + 1 < events.length) [events[k], events[k + 1]] = [events[k + 1], events[k]];
        else if (op === 'garble' && garbage.length) events[k] = garbage[garbageAt++ % garbage.length];
        else if (op === 'noise' && noise.length) events.splice(k, 0, noise[noiseAt++ % noise.length]);
      }
      const cutEvents = cut === undefined ? events : events.slice(0, cut % (events.length + 1));
      const frames = cutEvents.map((e) => (typeof e === 'string' ? e : JSON.stringify({ ...e, type: serverEventName(e.type, dialect) })));
      const ids = new Set<string>();
      const responses = new Set<string>();
      for (const e of cutEvents) {
        if (typeof e === 'string') continue;
        for (const v of [e.item_id, (e.item as { id?: unknown } | undefined)?.id]) if (typeof v === 'string') ids.add(v);
        for (const v of [e.response_id, (e.response as { id?: unknown } | undefined)?.id]) if (typeof v === 'string') responses.add(v);
        const out = (e.response as { output?: unknown } | undefined)?.output;
        if (Array.isArray(out)) for (const o of out) if (o && typeof (o as { id?: unknown }).id === 'string') ids.add((o as { id: string }).id);
      }
      return { frames, ids, responses, cut: cut !== undefined, turns: turns.length };
    });

// ---------------------------------------------------------------------------------------------------------------

let server: ScriptedServer;
const escaped: unknown[] = [];
const onEscape = (e: unknown) => escaped.push(e);

beforeAll(async () => {
  server = await ScriptedServer.start();
  process.on('uncaughtException', onEscape);
  process.on('unhandledRejection', onEscape);
});
afterAll(async () => {
  process.off('uncaughtException', onEscape);
  process.off('unhandledRejection', onEscape);
  await server.close();
});
beforeEach(() => {
  escaped.length = 0;
});
afterEach(() => {
  expect(escaped).toEqual([]);
});

const LISTENED: (keyof RealtimeClientEvents)[] = ['realtime.event', 'conversation.updated', 'error', 'close', 'response.done', 'session.created', 'conversation.item.completed'];

async function openClient(dialect: Dialect) {
  const client = new RealtimeClient({ url: server.url, WebSocket: WS, provider: dialect === 'ga' ? 'openai' : 'local', connectTimeoutMs: 3000 });
  // Listeners that throw must stay isolated too.
  client.on('conversation.updated', ({ item }) => {
    if (item.id === 'item_9') throw new Error('listener failure');
  });
  let errors = 0;
  client.on('error', () => void errors++);
  const next = server.nextConnection();
  await client.connect({ model: 'fuzz' });
  const conn = await next;
  await client.waitForSessionCreated({ timeoutMs: 2000 });
  const baseline = LISTENED.map((n) => client.listenerCount(n));
  return { client, conn, errors: () => errors, baseline };
}

/** Sends the frames and a sentinel; resolves once the client has handled all of them (frames keep their order). */
async function deliver(client: RealtimeClient, conn: Awaited<ReturnType<typeof openClient>>['conn'], frames: string[]): Promise<void> {
  const seen = client.waitFor('realtime.event', { timeoutMs: 5000, filter: (p) => p.event.type === 'fuzz.sentinel' });
  for (const f of frames) conn.sendRaw(f);
  conn.send({ type: 'fuzz.sentinel' });
  await seen;
}

function checkBounded(client: RealtimeClient, script: { ids: Set<string>; responses: Set<string> }, baseline: number[]) {
  const items = client.conversation.getItems();
  // Placeholders are only created for ids that were sent (plus ids the client mints for nothing: none).
  expect(items.length).toBeLessThanOrEqual(script.ids.size);
  for (const it of items) expect(script.ids.has(it.id), `unexpected item ${it.id}`).toBe(true);
  expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
  expect(client.conversation.getResponses().length).toBeLessThanOrEqual(script.responses.size);
  expect(LISTENED.map((n) => client.listenerCount(n))).toEqual(baseline);
}

describe.each(['beta', 'ga'] as const)('client receiving fuzzed streams (%s)', (dialect) => {
  it('final response.done per response: no escape, items of finished responses terminal, bounded', async () => {
    await fc.assert(
      fc.asyncProperty(scriptArb(dialect), async (script) => {
        const { client, conn, baseline } = await openClient(dialect);
        try {
          await deliver(client, conn, script.frames);
          // The server finishes every response it started (a well-formed final response.done each).
          const finals = [...script.responses].map((id) => JSON.stringify({ type: 'response.done', response: { id, status: 'cancelled', output: [] } }));
          await deliver(client, conn, finals);
          const done = new Set(script.responses);
          for (const item of client.conversation.getItems()) {
            if (item.responseId && done.has(item.responseId)) expect(TERMINAL_STATUSES.has(item.status), `${item.id} ${item.status}`).toBe(true);
          }
          expect(client.conversation.getActiveResponseId()).toBeNull();
          checkBounded(client, script, baseline);
        } finally {
          client.reset();
        }
        expect(client.conversation.getItems()).toHaveLength(0);
      }),
      { numRuns: 25, seed: dialect === "beta" ? 101 : 202 },
    );
  });

  it('stream cut by the server closing: no escape, every item terminal, transcripts settled, bounded', async () => {
    await fc.assert(
      fc.asyncProperty(scriptArb(dialect), fc.boolean(), async (script, terminate) => {
        const { client, conn, baseline } = await openClient(dialect);
        try {
          await deliver(client, conn, script.frames);
          const closed = client.waitFor('close', { timeoutMs: 5000 });
          if (terminate) conn.terminate();
          else conn.close(1011, 'fuzz');
          const info = await closed;
          expect(info.error).toBeDefined();
          expect(client.getState()).toBe('closed');
          for (const item of client.conversation.getItems()) {
            expect(TERMINAL_STATUSES.has(item.status), `${item.id} ${item.status}`).toBe(true);
            expect(['pending', 'streaming']).not.toContain(item.formatted.transcriptStatus);
          }
          checkBounded(client, script, baseline);
          // Sending after the drop is a no-op, never a throw.
          expect(client.sendEvent({ type: 'response.create' })).toBe(false);
          expect(client.appendInputAudio(new Int16Array(320))).toBe(false);
        } finally {
          client.reset();
        }
      }),
      { numRuns: 25, seed: dialect === "beta" ? 303 : 404 },
    );
  });
});

describe('client receiving a long fuzzed session', () => {
  it('memory stays bounded over many mangled turns on one connection (items track ids, not frames)', async () => {
    const { client, conn, baseline } = await openClient('beta');
    try {
      const scripts = fc.sample(scriptArb('beta'), { numRuns: 60, seed: 7 });
      let frames = 0;
      for (const s of scripts) {
        await deliver(client, conn, s.frames);
        frames += s.frames.length;
      }
      // The generated ids are drawn from small pools: whatever the number of frames, the state stays that small.
      const ids = new Set(scripts.flatMap((s) => [...s.ids]));
      const responses = new Set(scripts.flatMap((s) => [...s.responses]));
      expect(frames).toBeGreaterThan(600);
      checkBounded(client, { ids, responses }, baseline);
      expect(ids.size).toBeLessThan(20);
    } finally {
      client.reset();
    }
  });
});
