import { describe, expect, it, test } from 'vitest';
import { createConsoleStore } from '../../src/store/store';
import { AudioTrack } from '../../src/store/audio-track';
import { selectItems } from '../../src/store/selectors';

function store() {
  return createConsoleStore({ storage: null });
}

describe('conversation slice', () => {
  test('keeps items in order, inserts after previous_item_id, and merges without erasing content', () => {
    const s = store();
    const st = () => s.getState();
    st().upsertItem({ id: 'a', role: 'user', type: 'message', status: 'completed', text: 'hi', contentKind: 'input_text' });
    st().upsertItem({ id: 'c', role: 'assistant', type: 'message' });
    st().upsertItem({ id: 'b', role: 'assistant', type: 'message' }, 'a');
    expect(st().conversation.order).toEqual(['a', 'b', 'c']);
    st().upsertItem({ id: 'a', text: '' }); // a later event without text must not erase it
    expect(st().conversation.items.a.text).toBe('hi');
    st().upsertItem({ id: 'z' }, 'unknown');
    expect(st().conversation.order).toEqual(['a', 'b', 'c', 'z']);
  });

  test('events for unknown ids create a placeholder keyed by id (never by position)', () => {
    const s = store();
    const st = () => s.getState();
    st().setTranscript('u1', 'hel', 'partial');
    expect(st().conversation.order).toEqual(['u1']);
    st().upsertItem({ id: 'u1', role: 'user', type: 'message', status: 'completed', contentKind: 'input_audio' });
    expect(st().conversation.items.u1).toMatchObject({ role: 'user', transcript: 'hel', transcriptStatus: 'partial' });
    expect(st().conversation.order).toEqual(['u1']);
  });

  test('streaming ASR partials are replaced in place; incremental deltas append; failures and finals', () => {
    const s = store();
    const st = () => s.getState();
    st().upsertItem({ id: 'u', role: 'user', type: 'message' });
    st().setTranscript('u', '你', 'partial');
    st().setTranscript('u', '你好', 'partial');
    st().setTranscript('u', '你好世界', 'final');
    expect(st().conversation.items.u).toMatchObject({ transcript: '你好世界', transcriptStatus: 'final' });
    st().upsertItem({ id: 'a', role: 'assistant', type: 'message' });
    st().appendTranscript('a', 'Hel');
    st().appendTranscript('a', 'lo');
    st().appendItemText('a', 'x');
    expect(st().conversation.items.a).toMatchObject({ transcript: 'Hello', transcriptStatus: 'partial', text: 'x' });
    st().failTranscript('u2', 'asr down');
    expect(st().conversation.items.u2).toMatchObject({ transcriptStatus: 'failed', transcriptError: 'asr down' });
  });

  test('tool calls stream arguments and record output and duration by call id', () => {
    const s = store();
    const st = () => s.getState();
    st().upsertItem({ id: 'f', type: 'function_call', role: 'assistant', tool: { name: 'math_game', callId: 'call_1' }, createdAt: 1000 });
    st().appendToolArguments('f', '{"numbers":');
    st().appendToolArguments('f', '[1,2]}');
    expect(st().conversation.items.f.tool!.arguments).toBe('{"numbers":[1,2]}');
    st().appendToolArguments('f', '', '{"numbers":[1,2,3]}');
    st().setToolOutput('call_1', '{"ok":true}', 1250);
    expect(st().conversation.items.f.tool).toMatchObject({ name: 'math_game', output: '{"ok":true}', startedAt: 1000, endedAt: 1250 });
    expect(st().conversation.items.f.tool!.arguments).toBe('{"numbers":[1,2,3]}');
    st().upsertItem({ id: 'o', type: 'function_call_output', tool: { callId: 'call_1', output: '{"ok":true}' } });
    expect(st().conversation.items.o.role).toBe('tool');
    st().setToolOutput('nope', 'x');
    expect(Object.keys(st().conversation.items)).toHaveLength(2);
  });

  test('audio appends in O(1) to a shared chunk list; only the small audio record changes', () => {
    const s = store();
    const st = () => s.getState();
    st().upsertItem({ id: 'a', role: 'assistant', type: 'message' });
    st().appendItemAudio('a', new Int16Array(160).fill(1), 8000);
    const track = st().conversation.items.a.audio!.track;
    st().appendItemAudio('a', new Int16Array(160).fill(2), 8000);
    const audio = st().conversation.items.a.audio!;
    expect(audio.track).toBe(track);
    expect(audio.samples).toBe(320);
    expect(audio.durationMs).toBe(40);
    expect(audio.version).toBe(2);
    const all = track.toInt16Array();
    expect(all[0]).toBe(1);
    expect(all[319]).toBe(2);
  });

  test('truncation marks the item; delete removes it; clear empties', () => {
    const s = store();
    const st = () => s.getState();
    st().upsertItem({ id: 'a', role: 'assistant', type: 'message', status: 'in_progress' });
    st().appendTranscript('a', 'long answer');
    st().markItemTruncated('a', 1234);
    expect(st().conversation.items.a).toMatchObject({ truncatedAtMs: 1234, transcriptStatus: 'truncated', status: 'incomplete' });
    st().upsertItem({ id: 'b' });
    st().removeItem('a');
    expect(st().conversation.order).toEqual(['b']);
    expect(st().conversation.items.a).toBeUndefined();
    st().removeItem('missing');
    st().clearConversation();
    expect(selectItems(st())).toEqual([]);
  });

  test('the conversation survives disconnects; items remember their connection', () => {
    const s = store();
    const st = () => s.getState();
    st().setConnectionState('connecting');
    st().setConnectionState('open', 1);
    st().upsertItem({ id: 'one', role: 'user', type: 'message', text: 'first' });
    st().setConnectionState('closing');
    st().setConnectionState('closed');
    st().setEffective(null);
    expect(st().conversation.order).toEqual(['one']);
    st().setConnectionState('connecting');
    st().setConnectionState('open', 2);
    st().upsertItem({ id: 'two', role: 'assistant', type: 'message' });
    expect(selectItems(st()).map((i) => [i.id, i.connectionId])).toEqual([
      ['one', 1],
      ['two', 2],
    ]);
  });
});

describe('AudioTrack', () => {
  test('concatenates chunks once and caches until the next push', () => {
    const t = new AudioTrack(16000);
    t.push(new Int16Array([1, 2]));
    t.push(new Int16Array([]));
    t.push(new Int16Array([3]));
    const a = t.toInt16Array();
    expect([...a]).toEqual([1, 2, 3]);
    expect(t.toInt16Array()).toBe(a);
    t.push(new Int16Array([4]));
    expect([...t.toInt16Array()]).toEqual([1, 2, 3, 4]);
    expect(t.durationMs).toBe(0.25);
  });
});

describe('AudioTrack.copyRange', () => {
  it('copies exactly [from, to) across chunk boundaries, clamped to the track', () => {
    const t = new AudioTrack(8000);
    const all = Int16Array.from({ length: 100 }, (_, i) => i + 1);
    for (let at = 0; at < all.length; at += 13) t.push(all.slice(at, at + 13));
    for (const [a, b] of [[0, 100], [5, 6], [12, 14], [13, 26], [90, 200], [-5, 3], [50, 50]] as const) {
      expect(Array.from(t.copyRange(a, b))).toEqual(Array.from(all.slice(Math.max(0, a), Math.min(100, b))));
    }
    expect(Array.from(t.copyRange(95))).toEqual([96, 97, 98, 99, 100]);
  });
});
