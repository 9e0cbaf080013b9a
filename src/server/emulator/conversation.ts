/**
 * The server-side conversation of one session: ordered items, dialect-specific serialisation, truncation,
 * and bounded storage (oldest items and oldest audio are dropped first).
 */
import type { Dialect, WireItemStatus } from '../../lib/realtime/protocol';
import { encodeBase64 } from '../../lib/dsp/base64';
import type { AudioFormatInfo } from '../../lib/realtime/formats';
import { ProtocolError } from './errors';

/** A content part as the emulator stores it (beta content type names internally). */
export interface StoredContent {
  type: 'input_text' | 'input_audio' | 'tts_text' | 'item_reference' | 'input_image' | 'text' | 'audio';
  text?: string;
  transcript?: string | null;
  /** Audio bytes in the wire format of the direction they travelled. */
  audio?: Uint8Array | null;
  /** Duration of `audio` in ms (kept after the bytes are dropped for space). */
  audioMs?: number;
  /** Format of `audio` (assistant parts: the output format of the response that made it). */
  format?: AudioFormatInfo;
  id?: string;
  image_url?: string;
}

/** A conversation item. */
export interface StoredItem {
  id: string;
  type: 'message' | 'function_call' | 'function_call_output';
  role?: 'user' | 'assistant' | 'system';
  status: WireItemStatus;
  content: StoredContent[];
  call_id?: string;
  name?: string;
  arguments?: string;
  output?: string;
  /** A user audio item committed by the GA idle timeout (no speech in it). */
  idle?: boolean;
  /** For user audio items: the decoded samples and their rate (kept for the playback echo). */
  pcm?: { samples: Int16Array; sampleRate: number } | null;
}

const MAX_ITEMS = 500;
/** Audio bytes kept across all items; older items lose their audio first. */
const MAX_AUDIO_BYTES = 32 * 1024 * 1024;

/** Ordered, bounded item store. */
export class Conversation {
  readonly id: string;
  private readonly order: string[] = [];
  private readonly items = new Map<string, StoredItem>();

  constructor(id: string) {
    this.id = id;
  }

  get size(): number {
    return this.order.length;
  }

  get(id: string): StoredItem | undefined {
    return this.items.get(id);
  }

  has(id: string): boolean {
    return this.items.has(id);
  }

  /** Items in conversation order. */
  list(): StoredItem[] {
    return this.order.map((id) => this.items.get(id) as StoredItem);
  }

  /** Id of the last item, or null. */
  lastId(): string | null {
    return this.order.length ? this.order[this.order.length - 1] : null;
  }

  /** Id of the item before `id`, or null. */
  previousOf(id: string): string | null {
    const i = this.order.indexOf(id);
    return i > 0 ? this.order[i - 1] : null;
  }

  /**
   * Inserts `item` after `previousId` (undefined → at the end; null → at the start).
   * Returns the id of the item before it.
   */
  insert(item: StoredItem, previousId?: string | null): string | null {
    if (this.items.has(item.id)) {
      throw new ProtocolError('invalid_value', `Item with id '${item.id}' already exists.`, 'item.id');
    }
    let index = this.order.length;
    if (previousId === null) index = 0;
    else if (previousId !== undefined) {
      const i = this.order.indexOf(previousId);
      if (i < 0) {
        throw new ProtocolError('invalid_value', `Previous item with id '${previousId}' not found.`, 'previous_item_id');
      }
      index = i + 1;
    }
    this.order.splice(index, 0, item.id);
    this.items.set(item.id, item);
    this.enforceBounds();
    return index > 0 ? this.order[index - 1] : null;
  }

  delete(id: string): boolean {
    if (!this.items.delete(id)) return false;
    this.order.splice(this.order.indexOf(id), 1);
    return true;
  }

  /** Called after audio was added to an item. */
  enforceBounds(): void {
    while (this.order.length > MAX_ITEMS) {
      const id = this.order.shift() as string;
      this.items.delete(id);
    }
    let total = 0;
    for (let i = this.order.length - 1; i >= 0; i--) {
      const item = this.items.get(this.order[i]) as StoredItem;
      for (const part of item.content) {
        if (!part.audio) continue;
        total += part.audio.length;
        if (total > MAX_AUDIO_BYTES) {
          part.audio = null;
          item.pcm = null;
        }
      }
    }
  }
}

function contentToWire(part: StoredContent, role: StoredItem['role'], dialect: Dialect, withAudio: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let type: string = part.type;
  if (role === 'assistant' && dialect === 'ga') type = part.type === 'text' ? 'output_text' : part.type === 'audio' ? 'output_audio' : part.type;
  out.type = type;
  switch (part.type) {
    case 'input_text':
    case 'tts_text':
    case 'text':
      out.text = part.text ?? '';
      break;
    case 'input_audio':
    case 'audio':
      if (withAudio && part.audio) out.audio = encodeBase64(part.audio);
      out.transcript = part.transcript ?? null;
      break;
    case 'item_reference':
      out.id = part.id;
      break;
    case 'input_image':
      out.image_url = part.image_url;
      break;
  }
  return out;
}

/** The wire form of an item (audio bytes only when `withAudio`, i.e. for `conversation.item.retrieved`). */
export function itemToWire(item: StoredItem, dialect: Dialect, withAudio = false): Record<string, unknown> {
  const base: Record<string, unknown> = { id: item.id, object: 'realtime.item', type: item.type, status: item.status };
  if (item.type === 'message') {
    base.role = item.role;
    base.content = item.content.map((c) => contentToWire(c, item.role, dialect, withAudio));
  } else if (item.type === 'function_call') {
    base.call_id = item.call_id;
    base.name = item.name;
    base.arguments = item.arguments ?? '';
  } else {
    base.call_id = item.call_id;
    base.output = item.output ?? '';
  }
  return base;
}
