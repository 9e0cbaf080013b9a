import { AudioTrack } from '../audio-track';
import type { GetState, SetState } from './types';

/** Item status, wire statuses plus the terminal states the console assigns. */
export type ItemStatus = 'in_progress' | 'completed' | 'incomplete' | 'cancelled' | 'failed';
/** Transcript progress of an item. */
export type TranscriptStatus = 'none' | 'partial' | 'final' | 'failed' | 'truncated';
/** Item role; `tool` is used for function_call_output items. */
export type ItemRole = 'user' | 'assistant' | 'system' | 'tool';
/** Item kind. */
export type ItemType = 'message' | 'function_call' | 'function_call_output';

/** A function call's details. */
export interface ToolCallInfo {
  name: string;
  callId: string;
  /** Arguments JSON text, streamed. */
  arguments: string;
  output?: string;
  /** Epoch ms the call appeared. */
  startedAt: number;
  /** Epoch ms the output was set. */
  endedAt?: number;
}

/** An item's audio. `track` is a mutable chunk list; `samples` and `version` change when it grows. */
export interface ItemAudio {
  sampleRate: number;
  track: AudioTrack;
  samples: number;
  durationMs: number;
  version: number;
}

/** One conversation item as the console keeps it. */
export interface ConversationItem {
  id: string;
  role: ItemRole;
  type: ItemType;
  status: ItemStatus;
  /** Text content (text deltas, input_text / tts_text). */
  text: string;
  /** Audio transcript (assistant) or input transcription (user). */
  transcript: string;
  transcriptStatus: TranscriptStatus;
  transcriptError?: string;
  /** Content kind of a user message, e.g. `input_text`, `tts_text`, `input_audio`. */
  contentKind?: string;
  tool?: ToolCallInfo;
  audio?: ItemAudio;
  responseId?: string;
  /** Where the item was cut (`conversation.item.truncate(d)` `audio_end_ms`). */
  truncatedAtMs?: number;
  /** Epoch ms first seen. */
  createdAt: number;
  /** The connection the item belongs to (items are kept across disconnects). */
  connectionId: number;
  /** Set once a later connection opened: the item is no longer on the server (not replayed). */
  stale?: boolean;
}

/** What the bridge passes to create or update an item. Unknown ids create the item (a placeholder if sparse). */
export interface ItemInput {
  id: string;
  role?: ItemRole;
  type?: ItemType;
  status?: ItemStatus;
  text?: string;
  transcript?: string;
  transcriptStatus?: TranscriptStatus;
  contentKind?: string;
  /** For function calls: name and call id (arguments optional). For outputs: callId + output. */
  tool?: Partial<Pick<ToolCallInfo, 'name' | 'callId' | 'arguments' | 'output'>>;
  responseId?: string;
  createdAt?: number;
}

/** Conversation state: items by id, in display order. */
export interface ConversationData {
  order: string[];
  items: Record<string, ConversationItem>;
}

export interface ConversationSlice {
  conversation: ConversationData;
  /**
   * Creates or merges an item. A new item goes after `previousItemId` when that is known (the server's
   * `previous_item_id`), else at the end. Merging never erases text/transcript/audio already received.
   */
  upsertItem(input: ItemInput, previousItemId?: string | null): void;
  /** Appends a text delta. */
  appendItemText(id: string, delta: string): void;
  /** Appends a transcript delta (incremental ASR / assistant audio transcript); status becomes `partial`. */
  appendTranscript(id: string, delta: string): void;
  /**
   * Replaces the transcript in place (cumulative streaming ASR partials, or the final text on `.completed`/`.done`).
   */
  setTranscript(id: string, text: string, status: TranscriptStatus): void;
  /** Marks the transcription failed with a message. */
  failTranscript(id: string, message: string): void;
  /** Appends a function-call arguments delta (or replaces with `final` on `.done`). */
  appendToolArguments(id: string, delta: string, final?: string): void;
  /** Records a tool output on the function_call item with `callId`; sets its end time. */
  setToolOutput(callId: string, output: string, at?: number): void;
  /** Appends PCM to the item's audio (O(1)); creates the audio on first call with `sampleRate`. */
  appendItemAudio(id: string, pcm: Int16Array, sampleRate: number): void;
  setItemStatus(id: string, status: ItemStatus): void;
  /** Marks an item cut at `audioEndMs` (transcript becomes `truncated` unless already final). */
  markItemTruncated(id: string, audioEndMs: number): void;
  /** Removes an item locally (on `conversation.item.deleted`). */
  removeItem(id: string): void;
  /** Empties the conversation (user action; never on disconnect). */
  clearConversation(): void;
  /** Marks every item of a connection before `connectionId` as no longer on the server (after a reconnect). */
  markStale(connectionId: number): void;
}

export function initialConversation(): ConversationData {
  return { order: [], items: {} };
}

function blankItem(id: string, connectionId: number, at: number): ConversationItem {
  return {
    id,
    role: 'assistant',
    type: 'message',
    status: 'in_progress',
    text: '',
    transcript: '',
    transcriptStatus: 'none',
    createdAt: at,
    connectionId,
  };
}

export function createConversationSlice(set: SetState, get: GetState): ConversationSlice {
  /** Applies `fn` to item `id` (creating a placeholder if unknown) and commits one new object for it. */
  const update = (id: string, fn: (item: ConversationItem) => ConversationItem) =>
    set((s) => {
      const conv = s.conversation;
      const existing = conv.items[id];
      const base = existing ?? blankItem(id, s.connection.connectionId, Date.now());
      const next = fn(base);
      return {
        conversation: {
          order: existing ? conv.order : [...conv.order, id],
          items: { ...conv.items, [id]: next },
        },
      };
    });

  return {
    conversation: initialConversation(),
    upsertItem: (input, previousItemId) =>
      set((s) => {
        const conv = s.conversation;
        const existing = conv.items[input.id];
        const base = existing ?? blankItem(input.id, s.connection.connectionId, input.createdAt ?? Date.now());
        const next: ConversationItem = { ...base };
        if (input.role) next.role = input.role;
        if (input.type) next.type = input.type;
        if (input.status) next.status = input.status;
        if (input.contentKind) next.contentKind = input.contentKind;
        if (input.responseId) next.responseId = input.responseId;
        if (input.text !== undefined && (input.text !== '' || base.text === '')) next.text = input.text;
        if (input.transcript !== undefined && input.transcript !== '') next.transcript = input.transcript;
        if (input.transcriptStatus) next.transcriptStatus = input.transcriptStatus;
        if (!existing && input.type === 'function_call_output' && !input.role) next.role = 'tool';
        if (input.tool) {
          const prev = base.tool;
          next.tool = {
            name: input.tool.name ?? prev?.name ?? '',
            callId: input.tool.callId ?? prev?.callId ?? '',
            arguments: input.tool.arguments || prev?.arguments || '',
            output: input.tool.output ?? prev?.output,
            startedAt: prev?.startedAt ?? next.createdAt,
            endedAt: prev?.endedAt,
          };
        }
        let order = conv.order;
        if (!existing) {
          const after = previousItemId ? conv.order.indexOf(previousItemId) : -1;
          order = after >= 0 ? [...conv.order.slice(0, after + 1), input.id, ...conv.order.slice(after + 1)] : [...conv.order, input.id];
        }
        return { conversation: { order, items: { ...conv.items, [input.id]: next } } };
      }),
    appendItemText: (id, delta) => update(id, (it) => ({ ...it, text: it.text + delta })),
    appendTranscript: (id, delta) => update(id, (it) => ({ ...it, transcript: it.transcript + delta, transcriptStatus: 'partial' })),
    setTranscript: (id, text, status) => update(id, (it) => ({ ...it, transcript: text, transcriptStatus: status, transcriptError: undefined })),
    failTranscript: (id, message) => update(id, (it) => ({ ...it, transcriptStatus: 'failed', transcriptError: message })),
    appendToolArguments: (id, delta, final) =>
      update(id, (it) => {
        const tool: ToolCallInfo = it.tool ?? { name: '', callId: '', arguments: '', startedAt: it.createdAt };
        return { ...it, type: 'function_call', tool: { ...tool, arguments: final ?? tool.arguments + delta } };
      }),
    setToolOutput: (callId, output, at) => {
      const { conversation } = get();
      const id = conversation.order.find((k) => {
        const it = conversation.items[k];
        return it.type === 'function_call' && it.tool?.callId === callId;
      });
      if (!id) return;
      update(id, (it) => ({ ...it, tool: { ...it.tool!, output, endedAt: at ?? Date.now() } }));
    },
    appendItemAudio: (id, pcm, sampleRate) =>
      update(id, (it) => {
        // The track is mutated in place (O(1)); only the small `audio` record is replaced.
        const audio = it.audio && it.audio.sampleRate === sampleRate ? it.audio : undefined;
        const track = audio?.track ?? new AudioTrack(sampleRate);
        track.push(pcm);
        return {
          ...it,
          audio: {
            sampleRate,
            track,
            samples: track.length,
            durationMs: track.durationMs,
            version: (audio?.version ?? 0) + 1,
          },
        };
      }),
    setItemStatus: (id, status) => update(id, (it) => ({ ...it, status })),
    markItemTruncated: (id, audioEndMs) =>
      update(id, (it) => ({
        ...it,
        truncatedAtMs: audioEndMs,
        transcriptStatus: it.transcriptStatus === 'final' ? 'final' : 'truncated',
        status: it.status === 'in_progress' ? 'incomplete' : it.status,
      })),
    removeItem: (id) =>
      set((s) => {
        if (!s.conversation.items[id]) return {};
        const items = { ...s.conversation.items };
        delete items[id];
        return { conversation: { order: s.conversation.order.filter((k) => k !== id), items } };
      }),
    clearConversation: () => set({ conversation: initialConversation() }),
    markStale: (connectionId) =>
      set((s) => {
        const conv = s.conversation;
        let items: Record<string, ConversationItem> | null = null;
        for (const id of conv.order) {
          const it = conv.items[id];
          if (it.stale || it.connectionId >= connectionId) continue;
          items ??= { ...conv.items };
          items[id] = { ...it, stale: true };
        }
        return items ? { conversation: { order: conv.order, items } } : {};
      }),
  };
}
