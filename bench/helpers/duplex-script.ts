// A full-duplex conversation driven by the client's own input, for the memory benchmark: every second of input
// audio the client appends (counted in 20 ms appends) releases one second of assistant audio (20 ms deltas) with
// its transcript deltas, so the simulation runs as fast as the client consumes it and never queues unboundedly.
// Turns are `turnSeconds` long: one response streams audio for the whole turn; at its end the server announces a
// user utterance of the last `speechSeconds` of input (speech_started/stopped, committed, item, transcription).
import { encodeBase64 } from '../../src/lib/dsp/base64';
import type { BenchConnection } from './bench-server';

/** Options of {@link attachDuplexScript}. */
export interface DuplexScriptOptions {
  turnSeconds: number;
  speechSeconds: number;
}

/** Counters of what the script sent. */
export interface DuplexCounters {
  appends: number;
  deltas: number;
  turns: number;
}

const APPENDS_PER_SECOND = 50;

function toneDelta(rate: number): string {
  const pcm = new Int16Array(rate / APPENDS_PER_SECOND);
  for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(Math.sin(i / 5) * 6000);
  return encodeBase64(pcm);
}

/** Attaches the duplex script to `conn`; returns live counters. */
export function attachDuplexScript(conn: BenchConnection, opts: DuplexScriptOptions): DuplexCounters {
  const counters: DuplexCounters = { appends: 0, deltas: 0, turns: 0 };
  let delta = '';
  let deltaRate = 0;
  let response: { id: string; itemId: string } | null = null;
  let userSeq = 0;
  let prevItem: string | null = null;
  const ref = () => ({ response_id: response!.id, item_id: response!.itemId, output_index: 0, content_index: 0 });

  const startResponse = () => {
    const n = counters.turns + 1;
    response = { id: `resp_${n}`, itemId: `item_a${n}` };
    const item = { id: response.itemId, object: 'realtime.item', type: 'message', role: 'assistant', status: 'in_progress', content: [] };
    conn.send({ type: 'response.created', response: { id: response.id, object: 'realtime.response', status: 'in_progress', output: [] } });
    conn.send({ type: 'response.output_item.added', response_id: response.id, output_index: 0, item });
    conn.send({ type: conn.dialect === 'beta' ? 'conversation.item.created' : 'conversation.item.added', previous_item_id: prevItem, item });
    conn.send({ type: 'response.content_part.added', ...ref(), part: { type: 'audio', transcript: '' } });
    prevItem = response.itemId;
  };
  const finishResponse = () => {
    if (!response) return;
    const transcript = '好的。'.repeat(opts.turnSeconds);
    conn.send({ type: 'response.audio.done', ...ref() });
    conn.send({ type: 'response.audio_transcript.done', ...ref(), transcript });
    conn.send({ type: 'response.content_part.done', ...ref(), part: { type: 'audio', transcript } });
    const done = { id: response.itemId, object: 'realtime.item', type: 'message', role: 'assistant', status: 'completed', content: [{ type: conn.dialect === 'beta' ? 'audio' : 'output_audio', transcript }] };
    conn.send({ type: 'response.output_item.done', response_id: response.id, output_index: 0, item: done });
    if (conn.dialect === 'ga') conn.send({ type: 'conversation.item.done', item: done });
    conn.send({ type: 'response.done', response: { id: response.id, object: 'realtime.response', status: 'completed', output: [done], usage: { total_tokens: 100, input_tokens: 40, output_tokens: 60 } } });
    response = null;
  };
  const userUtterance = (endMs: number) => {
    const id = `item_u${++userSeq}`;
    const startMs = endMs - opts.speechSeconds * 1000;
    conn.send({ type: 'input_audio_buffer.speech_started', audio_start_ms: startMs, item_id: id });
    conn.send({ type: 'input_audio_buffer.speech_stopped', audio_end_ms: endMs, item_id: id });
    conn.send({ type: 'input_audio_buffer.committed', previous_item_id: prevItem, item_id: id });
    const item = { id, object: 'realtime.item', type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_audio', transcript: null }] };
    conn.send({ type: conn.dialect === 'beta' ? 'conversation.item.created' : 'conversation.item.added', previous_item_id: prevItem, item });
    conn.send({ type: 'conversation.item.input_audio_transcription.completed', item_id: id, content_index: 0, transcript: '请继续说下去。' });
    prevItem = id;
  };

  conn.onEvent = (event) => {
    if (event.type !== 'input_audio_buffer.append') return;
    counters.appends++;
    if (counters.appends % APPENDS_PER_SECOND !== 0) return;
    // One more second of input: one more second of output.
    const rate = conn.outputRate();
    if (rate !== deltaRate) {
      delta = toneDelta(rate);
      deltaRate = rate;
    }
    if (!response) startResponse();
    for (let i = 0; i < APPENDS_PER_SECOND; i++) {
      conn.send({ type: 'response.audio.delta', ...ref(), delta });
      if (i % 25 === 0) conn.send({ type: 'response.audio_transcript.delta', ...ref(), delta: '好的。' });
      counters.deltas++;
    }
    const second = counters.appends / APPENDS_PER_SECOND;
    if (second % opts.turnSeconds === 0) {
      finishResponse();
      userUtterance(second * 1000);
      counters.turns++;
    }
  };
  return counters;
}
