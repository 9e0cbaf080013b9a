/**
 * A checker for the emulator invariants of protocol.md §4.6, applied to a recorded frame sequence.
 * Returns human-readable violations (empty = all invariants hold).
 */
import type { Frame } from './emulator-harness';

const BETA_NAMES = new Set([
  'response.text.delta',
  'response.text.done',
  'response.audio.delta',
  'response.audio.done',
  'response.audio_transcript.delta',
  'response.audio_transcript.done',
  'conversation.item.created',
  'transcription_session.updated',
  'transcription_session.created',
]);
const GA_NAMES = new Set([
  'response.output_text.delta',
  'response.output_text.done',
  'response.output_audio.delta',
  'response.output_audio.done',
  'response.output_audio_transcript.delta',
  'response.output_audio_transcript.done',
  'conversation.item.added',
  'conversation.item.done',
  'input_audio_buffer.timeout_triggered',
]);

const DELTA = /^response\.(output_)?(text|audio|audio_transcript|output_text|output_audio|output_audio_transcript)\.delta$/;
const MODALITY_DONE = /^response\.(output_)?(text|audio|audio_transcript)\.done$/;

interface ItemState {
  responseId: string;
  outputIndex: number;
  stage: number;
  partsOpen: Set<number>;
  partsDone: Set<number>;
}

/** Checks invariants 1–6 and 8 of protocol.md §4.6 on `frames` for `dialect`. */
export function checkInvariants(frames: readonly Frame[], dialect: 'beta' | 'ga'): string[] {
  const v: string[] = [];
  if (frames.length && frames[0].type !== 'session.created' && frames[0].type !== 'error') {
    v.push(`first frame is ${frames[0].type}, not session.created`);
  }
  const responses = new Map<string, { created: number; done: number; items: Set<string>; indices: Set<number> }>();
  const items = new Map<string, ItemState>();
  const vadTurns = new Map<string, string[]>();
  frames.forEach((f, i) => {
    const where = `#${i} ${f.type}`;
    if (typeof f.type !== 'string') v.push(`${where}: no type`);
    if (typeof f.event_id !== 'string') v.push(`${where}: no event_id`);
    if (dialect === 'ga' && BETA_NAMES.has(f.type)) v.push(`${where}: beta-named event on a GA connection`);
    if (dialect === 'beta' && GA_NAMES.has(f.type)) v.push(`${where}: GA-named event on a beta connection`);

    const rid = (f.response_id as string | undefined) ?? ((f.response as { id?: string } | undefined)?.id ?? undefined);
    if (f.type === 'response.created') {
      if (responses.has(rid as string)) v.push(`${where}: second response.created for ${rid}`);
      responses.set(rid as string, { created: i, done: -1, items: new Set(), indices: new Set() });
      const r = f.response as { status?: string; output?: unknown[] };
      if (r.status !== 'in_progress' || (r.output?.length ?? 0) !== 0) v.push(`${where}: created not in_progress with empty output`);
      return;
    }
    if (rid !== undefined && f.type.startsWith('response.') && f.type !== 'response.created') {
      const r = responses.get(rid);
      if (!r) v.push(`${where}: event for unknown response ${rid}`);
      else if (r.done >= 0) v.push(`${where}: event after response.done of ${rid}`);
    }
    if (f.type === 'response.output_item.added') {
      const r = responses.get(rid as string);
      const item = f.item as { id: string; status?: string; content?: unknown[]; type: string };
      const idx = f.output_index as number;
      if (r) {
        if (r.indices.has(idx)) v.push(`${where}: output_index ${idx} reused`);
        r.indices.add(idx);
        r.items.add(item.id);
      }
      if (item.status !== 'in_progress') v.push(`${where}: item not in_progress`);
      if (item.type === 'message' && (item.content?.length ?? 0) !== 0) v.push(`${where}: message content not empty`);
      items.set(item.id, { responseId: rid as string, outputIndex: idx, stage: 1, partsOpen: new Set(), partsDone: new Set() });
      return;
    }
    const itemEvent = dialect === 'beta' ? 'conversation.item.created' : 'conversation.item.added';
    if (f.type === itemEvent) {
      const s = items.get((f.item as { id: string }).id);
      if (s) {
        if (s.stage !== 1) v.push(`${where}: item event out of order`);
        s.stage = 2;
      }
      return;
    }
    if (f.type === 'conversation.item.done' && dialect === 'ga') {
      const s = items.get((f.item as { id: string }).id);
      if (s && s.stage !== 4) v.push(`${where}: conversation.item.done before output_item.done`);
      if (s) s.stage = 5;
      return;
    }
    const itemId = f.item_id as string | undefined;
    const s = itemId ? items.get(itemId) : undefined;
    if (f.type === 'response.content_part.added') {
      if (!s) v.push(`${where}: part for unknown item`);
      else {
        if (s.stage < 1) v.push(`${where}: part before item`);
        s.partsOpen.add(f.content_index as number);
        const part = f.part as { type: string; text?: string; transcript?: string };
        if (part.type !== 'text' && part.type !== 'audio') v.push(`${where}: part type ${part.type}`);
        if ((part.type === 'text' && part.text !== '') || (part.type === 'audio' && part.transcript !== '')) v.push(`${where}: initial part not empty`);
      }
      return;
    }
    if (DELTA.test(f.type) || MODALITY_DONE.test(f.type)) {
      if (!s || !s.partsOpen.has(f.content_index as number)) v.push(`${where}: content_index not opened`);
      else if (s.partsDone.has(f.content_index as number)) v.push(`${where}: after content_part.done`);
      return;
    }
    if (f.type === 'response.content_part.done') {
      if (!s || !s.partsOpen.has(f.content_index as number)) v.push(`${where}: done for unopened part`);
      else s.partsDone.add(f.content_index as number);
      return;
    }
    if (f.type === 'response.output_item.done') {
      const id = (f.item as { id: string }).id;
      const st = items.get(id);
      if (!st) v.push(`${where}: done for unknown item`);
      else {
        for (const p of st.partsOpen) if (!st.partsDone.has(p)) v.push(`${where}: item done with part ${p} open`);
        if (st.outputIndex !== f.output_index) v.push(`${where}: output_index changed`);
        st.stage = 4;
      }
      return;
    }
    if (f.type === 'response.done') {
      const r = responses.get(rid as string);
      if (!r) return;
      r.done = i;
      const out = ((f.response as { output?: { id: string }[] }).output ?? []).map((o) => o.id);
      const streamed = [...r.items];
      if (out.join(',') !== streamed.join(',')) v.push(`${where}: output ${out} ≠ streamed ${streamed}`);
      for (const id of streamed) {
        const st = items.get(id);
        if (st && st.stage < 4) v.push(`${where}: item ${id} not done before response.done`);
      }
      return;
    }
    if (f.type === 'input_audio_buffer.speech_started') vadTurns.set(f.item_id as string, ['started']);
    if (f.type === 'input_audio_buffer.speech_stopped') {
      const t = vadTurns.get(f.item_id as string);
      if (!t || t.join() !== 'started') v.push(`${where}: stopped without started`);
      else t.push('stopped');
    }
    if (f.type === 'input_audio_buffer.committed') {
      const t = vadTurns.get(f.item_id as string);
      if (t && t.join() !== 'started,stopped') v.push(`${where}: committed out of order`);
      if (t) t.push('committed');
    }
  });
  for (const [id, r] of responses) if (r.done < 0) v.push(`response ${id} has no response.done`);
  // VAD positions.
  const starts = new Map<string, number>();
  for (const f of frames) {
    if (f.type === 'input_audio_buffer.speech_started') starts.set(f.item_id as string, f.audio_start_ms as number);
    if (f.type === 'input_audio_buffer.speech_stopped') {
      const s0 = starts.get(f.item_id as string);
      if (s0 !== undefined && s0 > (f.audio_end_ms as number)) v.push(`speech ${f.item_id}: start after end`);
    }
  }
  return v;
}
