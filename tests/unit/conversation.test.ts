// The conversation store on its own: items keyed by id, placeholders, audio storage per format, transcripts,
// truncation and terminal statuses, fed with raw events exactly as the client feeds it.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeBase64 } from '../../src/lib/dsp/base64';
import { encodeAlaw, decodeAlaw } from '../../src/lib/dsp/g711';
import { Conversation, TERMINAL_STATUSES, normalizeEventType, type RawEvent } from '../../src/lib/realtime';

function feed(conv: Conversation, event: RawEvent) {
  return conv.apply(normalizeEventType(event.type), event);
}
const ref = (itemId: string, responseId = 'resp_1') => ({ response_id: responseId, item_id: itemId, output_index: 0, content_index: 0 });
const b64 = (s: Int16Array) => encodeBase64(s);

describe('Conversation', () => {
  it('announces an item once and keeps the same object when later events reconcile it', () => {
    const conv = new Conversation(() => 1000);
    const r1 = feed(conv, { type: 'response.created', response: { id: 'resp_1', status: 'in_progress' } });
    expect(r1.responseCreated?.id).toBe('resp_1');
    expect(conv.getActiveResponseId()).toBe('resp_1');
    const a = feed(conv, { type: 'response.output_item.added', response_id: 'resp_1', output_index: 0, item: { id: 'i1', type: 'message', role: 'assistant', status: 'in_progress', content: [] } });
    expect(a.changes[0].appended).toBe(true);
    const b = feed(conv, { type: 'conversation.item.created', item: { id: 'i1', type: 'message', role: 'assistant', status: 'in_progress', content: [] } });
    expect(b.changes[0].appended).toBeUndefined();
    expect(b.changes[0].item).toBe(a.changes[0].item);
    expect(conv.getItems()).toHaveLength(1);
    expect(conv.getResponse('resp_1')?.itemIds).toEqual(['i1']);
  });

  it('creates placeholders for unknown ids and never matches by position', () => {
    const conv = new Conversation();
    feed(conv, { type: 'conversation.item.input_audio_transcription.delta', item_id: 'u2', transcript: 'second' });
    feed(conv, { type: 'conversation.item.input_audio_transcription.delta', item_id: 'u1', transcript: 'first' });
    feed(conv, { type: 'conversation.item.input_audio_transcription.completed', item_id: 'u1', content_index: 0, transcript: 'first final' });
    const u1 = conv.getItem('u1')!;
    const u2 = conv.getItem('u2')!;
    expect(u1.formatted.transcript).toBe('first final');
    expect(u2.formatted.transcript).toBe('second');
    expect(u2.formatted.transcriptStatus).toBe('streaming');
    expect(u1.placeholder && u2.placeholder).toBe(true);
    // The real announcement for u2 reconciles the same object.
    feed(conv, { type: 'conversation.item.created', item: { id: 'u2', type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_audio', transcript: null }] } });
    expect(conv.getItem('u2')).toBe(u2);
    expect(u2.placeholder).toBe(false);
    expect(u2.status).toBe('completed');
    expect(u2.formatted.transcript).toBe('second');
    expect(conv.getItems().map((i) => i.id)).toEqual(['u2', 'u1']);
  });

  it('cumulative partials that rewrite earlier text report the whole text, not a fake increment', () => {
    const conv = new Conversation();
    feed(conv, { type: 'conversation.item.input_audio_transcription.delta', item_id: 'u', transcript: '他是' });
    const r = feed(conv, { type: 'conversation.item.input_audio_transcription.delta', item_id: 'u', transcript: '她是谁' });
    expect(r.changes[0].delta).toEqual({ transcriptReplaced: '她是谁' });
    const r2 = feed(conv, { type: 'conversation.item.input_audio_transcription.delta', item_id: 'u', transcript: '她是谁呀' });
    expect(r2.changes[0].delta).toEqual({ transcript: '呀' });
  });

  it('never throws on garbage: missing ids, missing fields, bad base64', () => {
    const conv = new Conversation();
    const events: RawEvent[] = [
      { type: 'response.output_audio.delta' },
      { type: 'response.output_audio.delta', item_id: 'x', delta: '***' },
      { type: 'conversation.item.added', item: null as unknown as undefined },
      { type: 'conversation.item.added', item: { type: 'message' } },
      { type: 'response.done' },
      { type: 'response.done', response: { status: 'completed' } },
      { type: 'conversation.item.truncated', item_id: 'nope', audio_end_ms: 10 },
      { type: 'conversation.item.deleted', item_id: 'nope' },
      { type: 'input_audio_buffer.speech_stopped', item_id: 'z' },
    ];
    for (const e of events) expect(() => feed(conv, e)).not.toThrow();
    expect(feed(conv, { type: 'response.output_audio.delta', ...ref('y'), delta: '%%%' }).error).toMatch(/base64/);
  });

  it('property: any interleaving of a response\'s events leaves every item of it terminal after response.done', () => {
    const events: RawEvent[] = [
      { type: 'response.output_item.added', response_id: 'r', output_index: 0, item: { id: 'a', type: 'message', role: 'assistant', status: 'in_progress', content: [] } },
      { type: 'response.audio_transcript.delta', ...ref('a', 'r'), delta: 'hi ' },
      { type: 'response.audio.delta', ...ref('a', 'r'), delta: b64(new Int16Array([1, 2, 3])) },
      { type: 'response.text.delta', ...ref('b', 'r'), delta: 'text' },
      { type: 'response.function_call_arguments.delta', response_id: 'r', item_id: 'c', output_index: 2, call_id: 'k', delta: '{}' },
      { type: 'conversation.item.created', item: { id: 'a', type: 'message', role: 'assistant', status: 'in_progress', content: [] } },
    ];
    fc.assert(
      fc.property(fc.shuffledSubarray(events, { minLength: 0, maxLength: events.length }), (subset) => {
        const conv = new Conversation();
        feed(conv, { type: 'response.created', response: { id: 'r', status: 'in_progress' } });
        for (const e of subset) feed(conv, e);
        feed(conv, { type: 'response.done', response: { id: 'r', status: 'cancelled', output: [] } });
        for (const item of conv.getItems()) expect(TERMINAL_STATUSES.has(item.status)).toBe(true);
        expect(conv.getActiveResponseId()).toBeNull();
      }),
      { numRuns: 200 },
    );
  });

  it('stores PCM in O(1)-append chunks that read back as one Int16Array at the output rate', () => {
    const conv = new Conversation();
    conv.setFormats('Raw16KHz16BitMonoPcm', 'Raw8KHz16BitMonoPcm');
    const all = new Int16Array(8000).map((_, i) => i - 4000);
    for (let at = 0; at < all.length; at += 160) feed(conv, { type: 'response.audio.delta', ...ref('a'), delta: b64(all.subarray(at, at + 160)) });
    const item = conv.getItem('a')!;
    expect(item.formatted.audio).toBeInstanceOf(Int16Array);
    expect(Array.from(item.formatted.audio)).toEqual(Array.from(all));
    expect(item.formatted.audioFormat?.sampleRate).toBe(8000);
    expect(item.formatted.audioDurationMs).toBe(1000);
  });

  it('A-law output: bytes kept, decoded PCM exposed in the delta and the item', () => {
    const conv = new Conversation();
    conv.setFormats(null, 'g711_alaw');
    const law = encodeAlaw(new Int16Array([0, 1000, -1000, 32000, -32000]));
    const r = feed(conv, { type: 'response.audio.delta', ...ref('a'), delta: encodeBase64(law) });
    expect(Array.from(r.changes[0].delta!.audio!)).toEqual(Array.from(decodeAlaw(law)));
    expect(Array.from(r.changes[0].delta!.audioBytes!)).toEqual(Array.from(law));
    const item = conv.getItem('a')!;
    expect(Array.from(item.formatted.audioBytes)).toEqual(Array.from(law));
    expect(item.formatted.audio.length).toBe(5);
  });

  it('truncated cuts the audio at the item\'s own rate and marks the transcript', () => {
    const conv = new Conversation();
    conv.setFormats(null, { type: 'audio/pcm', rate: 24000 });
    feed(conv, { type: 'response.output_audio.delta', ...ref('a'), delta: b64(new Int16Array(24000)) });
    feed(conv, { type: 'response.output_audio_transcript.delta', ...ref('a'), delta: 'hello world' });
    feed(conv, { type: 'conversation.item.truncated', item_id: 'a', content_index: 0, audio_end_ms: 250 });
    const item = conv.getItem('a')!;
    expect(item.formatted.audio.length).toBe(6000);
    expect(item.formatted.transcriptStatus).toBe('truncated');
    expect(item.formatted.transcript).toBe('hello world');
    // A late transcript done does not undo the truncation mark.
    feed(conv, { type: 'response.output_audio_transcript.done', ...ref('a'), transcript: 'hello world and more' });
    expect(item.formatted.transcriptStatus).toBe('truncated');
  });

  it('attaches input audio to a user item that arrives later, with its speech range', () => {
    const conv = new Conversation();
    conv.setFormats('Raw16KHz16BitMonoPcm', null);
    feed(conv, { type: 'input_audio_buffer.speech_started', item_id: 'u', audio_start_ms: 100 });
    const stop = feed(conv, { type: 'input_audio_buffer.speech_stopped', item_id: 'u', audio_end_ms: 600 });
    expect(stop.speechStopped).toEqual({ itemId: 'u', audioStartMs: 100, audioEndMs: 600 });
    expect(conv.attachInputAudio('u', new Int16Array(8000).fill(7), { startMs: 100, endMs: 600 })).toBeNull();
    feed(conv, { type: 'conversation.item.created', item: { id: 'u', type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_audio', transcript: null }] } });
    const item = conv.getItem('u')!;
    expect(item.formatted.audio.length).toBe(8000);
    expect(item.formatted.audioFormat?.sampleRate).toBe(16000);
    expect(item.formatted.audioStartMs).toBe(100);
    expect(item.formatted.audioEndMs).toBe(600);
  });

  it('deletes by id, and abandon() ends every open item', () => {
    const conv = new Conversation();
    feed(conv, { type: 'response.text.delta', ...ref('a'), delta: 'x' });
    feed(conv, { type: 'response.text.delta', ...ref('b'), delta: 'y' });
    const d = feed(conv, { type: 'conversation.item.deleted', item_id: 'a' });
    expect(d.changes[0].deleted).toBe(true);
    expect(conv.getItems().map((i) => i.id)).toEqual(['b']);
    const changes = conv.abandon('incomplete');
    expect(changes.map((c) => [c.item.id, c.item.status, c.completed])).toEqual([['b', 'incomplete', true]]);
    expect(conv.abandon()).toEqual([]);
  });

  it('GA item.done after output_item.done reports completion once; function calls are flagged for the tool runner', () => {
    const conv = new Conversation();
    const item = { id: 'f', type: 'function_call', status: 'completed', call_id: 'c', name: 'tool', arguments: '{"x":1}' };
    const one = feed(conv, { type: 'response.output_item.done', response_id: 'r', output_index: 0, item });
    const two = feed(conv, { type: 'conversation.item.done', item });
    expect(one.changes[0].completed).toBe(true);
    expect(two.changes[0].completed).toBe(false);
    expect(one.functionCallDone?.formatted.tool).toEqual({ type: 'function', name: 'tool', call_id: 'c', arguments: '{"x":1}' });
  });
});
