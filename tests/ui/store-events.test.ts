import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { encodeBase64 } from '../../src/lib/dsp/base64';
import { EventLog, stripAudioPayloads, utf8ByteLength, type IncomingEvent } from '../../src/store/event-log';
import { EventView, defaultEventFilter, toNdjson } from '../../src/store/event-view';
import { createConsoleStore } from '../../src/store/store';

const ev = (direction: IncomingEvent['direction'], type: string, extra: Record<string, unknown> = {}, at = 1000): IncomingEvent => ({
  direction,
  event: { type, ...extra },
  at,
});

describe('EventLog', () => {
  test('keeps every event up to capacity, then drops the oldest and counts them', () => {
    const log = new EventLog(5);
    log.append(Array.from({ length: 4 }, (_, i) => ev('server', `t${i}`)), 0);
    const { dropped, added } = log.append(Array.from({ length: 4 }, (_, i) => ev('server', `t${i + 4}`)), 0);
    expect(dropped.map((e) => e.type)).toEqual(['t0', 't1', 't2']);
    expect(added.map((e) => e.type)).toEqual(['t4', 't5', 't6', 't7']);
    expect(log.size).toBe(5);
    expect(log.dropped).toBe(3);
    expect([...log].map((e) => e.type)).toEqual(['t3', 't4', 't5', 't6', 't7']);
    expect(log.at(0)!.seq).toBe(4);
    expect(log.typeCounts.get('t0')).toBeUndefined();
    expect(log.typeCounts.get('t7')).toBe(1);
    // A batch larger than the capacity reports only what it kept, and counts all drops.
    const { added: kept, dropped: gone } = log.append(Array.from({ length: 7 }, (_, i) => ev('server', `u${i}`)), 0);
    expect(kept.map((e) => e.type)).toEqual(['u2', 'u3', 'u4', 'u5', 'u6']);
    expect(gone.map((e) => e.type)).toEqual(['t3', 't4', 't5', 't6', 't7']);
    expect(log.dropped).toBe(3 + 5 + 2);
  });

  test('crosses chunk boundaries with correct indexing and seq lookup', () => {
    const log = new EventLog(10_000);
    const batch = Array.from({ length: 12_345 }, (_, i) => ev('client', i % 2 ? 'a' : 'b'));
    log.append(batch, 0);
    expect(log.size).toBe(10_000);
    expect(log.dropped).toBe(2_345);
    expect(log.at(0)!.seq).toBe(2_346);
    expect(log.at(9_999)!.seq).toBe(12_345);
    expect(log.indexOfSeq(5_000)).toBe(5_000 - 2_346);
    expect(log.indexOfSeq(1)).toBe(-1);
    expect((log.typeCounts.get('a') ?? 0) + (log.typeCounts.get('b') ?? 0)).toBe(10_000);
  });

  test('t is measured from the connection time; size is the true UTF-8 byte count of the frame', () => {
    const log = new EventLog();
    const frame = JSON.stringify({ type: 'response.text.delta', delta: '你好' });
    const { added } = log.append([{ direction: 'server', event: JSON.parse(frame), at: 5_250, frame }], 5_000);
    expect(added[0].t).toBe(250);
    expect(added[0].size).toBe(new TextEncoder().encode(frame).length);
    expect(utf8ByteLength('a你😀')).toBe(1 + 3 + 4);
  });

  test('audio payloads become their decoded byte count; the input is not mutated', () => {
    const pcm = new Uint8Array(640).fill(7);
    const b64 = encodeBase64(pcm);
    const append = { type: 'input_audio_buffer.append', audio: b64 };
    const stripped = stripAudioPayloads(append);
    expect(stripped.audio).toBe('[audio 640 B]');
    expect(append.audio).toBe(b64);
    const odd = encodeBase64(new Uint8Array(641));
    expect(stripAudioPayloads({ type: 'response.audio.delta', delta: odd }).delta).toBe('[audio 641 B]');
    expect(stripAudioPayloads({ type: 'response.output_audio.delta', delta: b64 }).delta).toBe('[audio 640 B]');
    const create = {
      type: 'conversation.item.create',
      item: { type: 'message', role: 'user', content: [{ type: 'input_audio', audio: b64 }, { type: 'input_text', text: 'hi' }] },
    };
    const s = stripAudioPayloads(create) as { item: { content: { audio?: string; text?: string }[] } };
    expect(s.item.content[0].audio).toBe('[audio 640 B]');
    expect(s.item.content[1].text).toBe('hi');
    expect(create.item.content[0].audio).toBe(b64);
    // Non-audio events are copied, not shared.
    const plain = { type: 'session.update', session: {} };
    expect(stripAudioPayloads(plain)).not.toBe(plain);
  });

  test('malformed input is logged, never thrown', () => {
    const log = new EventLog();
    const circular: Record<string, unknown> = { type: 'x' };
    circular.self = circular;
    const bad = [
      { direction: 'server', event: null },
      { direction: 'server', event: { no: 'type' } },
      { direction: 'server', event: { type: 42 } },
    ] as unknown as IncomingEvent[];
    const { added } = log.append(bad, 0);
    expect(added.map((e) => e.type)).toEqual(['(no type)', '(no type)', '(no type)']);
    expect(log.append([{ direction: 'client', event: circular as IncomingEvent['event'] }], 0).added[0].size).toBe(0);
    expect(log.at(1)!.event).toEqual({ type: '(no type)', value: { no: 'type' } });
    // Search and export survive an unserialisable entry.
    expect(new EventView(log, { ...defaultEventFilter(), search: 'no' }).length).toBeGreaterThan(0);
    expect(toNdjson(log).trimEnd().split('\n').map((l) => JSON.parse(l).type)).toEqual(['(no type)', '(no type)', '(no type)', 'x']);
  });

  test('errors are flagged', () => {
    const log = new EventLog();
    const { added } = log.append(
      [
        ev('server', 'error', { error: { message: 'x' } }),
        ev('server', 'conversation.item.input_audio_transcription.failed'),
        ev('server', 'response.done', { response: { status: 'failed' } }),
        ev('server', 'response.done', { response: { status: 'completed' } }),
      ],
      0,
    );
    expect(added.map((e) => e.isError)).toEqual([true, true, true, false]);
  });
});

describe('EventView', () => {
  test('coalesces runs of deltas with exact counts, not other repeats', () => {
    const log = new EventLog();
    const view = new EventView(log);
    const batch = [
      ev('server', 'response.created'),
      ev('server', 'response.audio.delta', { delta: 'AAAA' }),
      ev('server', 'response.audio.delta', { delta: 'AAAA' }),
      ev('server', 'response.audio.delta', { delta: 'AAAA' }),
      ev('client', 'input_audio_buffer.append', { audio: 'AAAA' }),
      ev('client', 'input_audio_buffer.append', { audio: 'AAAA' }),
      ev('server', 'response.audio.delta', { delta: 'AAAA' }),
      ev('server', 'session.updated'),
      ev('server', 'session.updated'),
    ];
    for (const e of log.append(batch, 0).added) view.added(e);
    expect(view.toArray().map((r) => [r.first.type, r.count])).toEqual([
      ['response.created', 1],
      ['response.audio.delta', 3],
      ['input_audio_buffer.append', 2],
      ['response.audio.delta', 1],
      ['session.updated', 1],
      ['session.updated', 1],
    ]);
    expect(view.eventCount).toBe(9);
    // The store keeps every event.
    expect(log.size).toBe(9);
    // Coalescing off: one row per event.
    view.setFilter({ ...defaultEventFilter(), coalesce: false });
    expect(view.length).toBe(9);
  });

  test('runs are coalesced over the filtered sequence, and drops shrink the first run exactly', () => {
    const log = new EventLog(6);
    const view = new EventView(log, { ...defaultEventFilter(), directions: { client: false, server: true, local: true } });
    const feed = (b: IncomingEvent[]) => {
      const { added, dropped } = log.append(b, 0);
      view.droppedBatch(dropped);
      for (const e of added) view.added(e);
    };
    feed([
      ev('server', 'response.text.delta', { delta: 'a' }),
      ev('client', 'input_audio_buffer.append', { audio: '' }),
      ev('server', 'response.text.delta', { delta: 'b' }),
      ev('server', 'response.text.delta', { delta: 'c' }),
    ]);
    expect(view.toArray().map((r) => r.count)).toEqual([3]);
    feed([ev('server', 'response.done'), ev('server', 'x'), ev('server', 'y')]); // drops the first delta
    const rows = view.toArray();
    expect(rows[0].count).toBe(2);
    expect(rows[0].first.event.delta).toBe('b');
    expect(view.eventCount).toBe(5);
    feed([ev('server', 'z'), ev('server', 'w'), ev('server', 'v')]); // drops append, b, c
    expect(view.toArray().map((r) => r.first.type)).toEqual(['response.done', 'x', 'y', 'z', 'w', 'v']);
    // A rebuild from the log gives the same rows as the incremental path.
    const fresh = new EventView(log, { ...defaultEventFilter(), directions: { client: false, server: true, local: true } });
    expect(fresh.toArray().map((r) => [r.first.seq, r.count])).toEqual(view.toArray().map((r) => [r.first.seq, r.count]));
  });

  test('property: incremental append/drop gives the same rows as a rebuild from the log', () => {
    const arbEvent = fc.record({
      direction: fc.constantFrom<IncomingEvent['direction']>('client', 'server', 'local'),
      type: fc.constantFrom('response.audio.delta', 'response.text.delta', 'input_audio_buffer.append', 'response.done', 'error'),
    });
    fc.assert(
      fc.property(
        fc.array(fc.array(arbEvent, { maxLength: 12 }), { maxLength: 12 }),
        fc.integer({ min: 1, max: 20 }),
        fc.boolean(),
        fc.boolean(),
        (batches, capacity, hideClient, coalesce) => {
          const filter = { ...defaultEventFilter(), coalesce, directions: { client: !hideClient, server: true, local: true } };
          const log = new EventLog(capacity);
          const view = new EventView(log, filter);
          for (const b of batches) {
            const { added, dropped } = log.append(b.map((e) => ev(e.direction, e.type)), 0);
            view.droppedBatch(dropped);
            for (const e of added) view.added(e);
          }
          const shape = (v: EventView) => v.toArray().map((r) => [r.first.seq, r.last.seq, r.count, r.bytes]);
          expect(shape(view)).toEqual(shape(new EventView(log, filter)));
          expect(view.eventCount).toBe(new EventView(log, filter).eventCount);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('filters by direction, type, errors and free text over the JSON', () => {
    const log = new EventLog();
    log.append(
      [
        ev('client', 'session.update', { session: { voice: '龙婉' } }),
        ev('server', 'session.created', { session: { voice: 'alloy' } }),
        ev('server', 'error', { error: { message: 'Bad Thing' } }),
        ev('local', 'local.gap', { reason: 'reconnect' }),
      ],
      0,
    );
    const types = (f: Partial<ReturnType<typeof defaultEventFilter>>) =>
      new EventView(log, { ...defaultEventFilter(), ...f }).toArray().map((r) => r.first.type);
    expect(types({ directions: { client: true, server: false, local: false } })).toEqual(['session.update']);
    expect(types({ hiddenTypes: ['session.update', 'error'] })).toEqual(['session.created', 'local.gap']);
    expect(types({ errorsOnly: true })).toEqual(['error']);
    expect(types({ search: '龙婉' })).toEqual(['session.update']);
    expect(types({ search: 'bad thing' })).toEqual(['error']);
    expect(types({ search: 'nothing-like-this' })).toEqual([]);
  });

  test('NDJSON export has one parseable line per event with stripped audio', () => {
    const log = new EventLog();
    log.append([ev('client', 'input_audio_buffer.append', { audio: encodeBase64(new Uint8Array(320)) }, 1500), ev('server', 'response.done', {}, 1600)], 1000);
    const text = toNdjson(log);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const first = JSON.parse(lines[0]);
    expect(first).toMatchObject({ seq: 1, t: 500, direction: 'client', type: 'input_audio_buffer.append', event: { audio: '[audio 320 B]' } });
    expect(JSON.parse(lines[1]).t).toBe(600);
    expect(text.endsWith('\n')).toBe(true);
  });
});

describe('events slice', () => {
  test('appendEvents bumps the version once per batch; capacity, filter and clear work through the store', () => {
    const store = createConsoleStore({ storage: null });
    const s = () => store.getState();
    s().setConnectionState('connecting');
    s().setConnectionState('open', 10_000);
    s().appendEvents([ev('server', 'session.created', {}, 10_020), ev('client', 'session.update', {}, 10_030)]);
    expect(s().events.version).toBe(1);
    expect(s().events.size).toBe(2);
    expect(s().events.log.at(0)!.t).toBe(20);
    s().setEventCapacity(1);
    expect(s().events.size).toBe(1);
    expect(s().events.dropped).toBe(1);
    s().setEventCapacity(100);
    s().markGap('reconnecting', 10_100);
    expect(s().events.log.at(1)!.type).toBe('local.gap');
    expect(s().events.log.at(1)!.direction).toBe('local');
    s().toggleEventType('local.gap', false);
    expect(s().events.view.length).toBe(1);
    s().toggleEventType('local.gap');
    expect(s().events.view.length).toBe(2);
    s().clearEvents();
    expect(s().events.size).toBe(0);
    expect(s().events.dropped).toBe(0);
    expect(s().events.view.length).toBe(0);
  });
});
