/**
 * Incoming events of either dialect -> one internal vocabulary. The internal names are the GA names, except that
 * the beta `conversation.item.created` maps to `conversation.item.added` (both announce an item). The raw event is
 * never changed: the client keeps it for the log and reads fields from it (field names are the same in both dialects).
 */

import { BETA_TO_GA_SERVER_EVENT, type RawEvent } from './protocol';

/** Internal event names the conversation and client act on. Other names pass through unchanged. */
export type InternalEventType =
  | 'error'
  | 'session.created'
  | 'session.updated'
  | 'conversation.item.added'
  | 'conversation.item.done'
  | 'conversation.item.retrieved'
  | 'conversation.item.deleted'
  | 'conversation.item.truncated'
  | 'conversation.item.input_audio_transcription.delta'
  | 'conversation.item.input_audio_transcription.completed'
  | 'conversation.item.input_audio_transcription.failed'
  | 'input_audio_buffer.committed'
  | 'input_audio_buffer.cleared'
  | 'input_audio_buffer.speech_started'
  | 'input_audio_buffer.speech_stopped'
  | 'response.created'
  | 'response.done'
  | 'response.output_item.added'
  | 'response.output_item.done'
  | 'response.content_part.added'
  | 'response.content_part.done'
  | 'response.output_text.delta'
  | 'response.output_text.done'
  | 'response.output_audio.delta'
  | 'response.output_audio.done'
  | 'response.output_audio_transcript.delta'
  | 'response.output_audio_transcript.done'
  | 'response.function_call_arguments.delta'
  | 'response.function_call_arguments.done';

const EXTRA: Readonly<Record<string, string>> = {
  'conversation.item.created': 'conversation.item.added',
};

/** The internal name of an event type of either dialect. */
export function normalizeEventType(type: string): string {
  return (BETA_TO_GA_SERVER_EVENT as Record<string, string>)[type] ?? EXTRA[type] ?? type;
}

/** The result of parsing one frame. */
export type ParsedFrame =
  | { ok: true; event: RawEvent; type: string }
  | { ok: false; message: string; frame: string };

/** Longest frame excerpt kept in a parse error. */
const EXCERPT = 200;

/** Parses one text frame. Never throws: malformed frames (not JSON, not an object, no string `type`) come back as `ok: false`. */
export function parseFrame(text: string): ParsedFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: 'frame is not JSON', frame: text.slice(0, EXCERPT) };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, message: 'frame is not a JSON object', frame: text.slice(0, EXCERPT) };
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string' || type === '') {
    return { ok: false, message: 'frame has no "type"', frame: text.slice(0, EXCERPT) };
  }
  return { ok: true, event: value as RawEvent, type: normalizeEventType(type) };
}
