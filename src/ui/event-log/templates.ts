// A template for every client event type the composer offers.
import { CLIENT_EVENT_TYPES, type ClientEventType } from '../../lib/realtime/protocol';
import { toSessionConfig, type SessionSettings } from '../../store/settings';

/** Client event types in composer order. */
export const COMPOSER_TYPES: readonly ClientEventType[] = CLIENT_EVENT_TYPES;

/** A ready-to-edit event of `type`, using the current settings and the last item id where one is needed. */
export function clientEventTemplate(type: ClientEventType, ctx: { settings: SessionSettings; lastItemId?: string }): Record<string, unknown> {
  const itemId = ctx.lastItemId ?? 'item_id';
  switch (type) {
    case 'session.update':
      return { type, session: toSessionConfig(ctx.settings) };
    case 'transcription_session.update':
      return { type, session: { input_audio_transcription: { model: '' } } };
    case 'input_audio_buffer.append':
      return { type, audio: '' };
    case 'conversation.item.create':
      return { type, item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: '你好' }] } };
    case 'conversation.item.retrieve':
    case 'conversation.item.delete':
      return { type, item_id: itemId };
    case 'conversation.item.truncate':
      return { type, item_id: itemId, content_index: 0, audio_end_ms: 0 };
    case 'response.create':
      return { type, response: {} };
    default:
      return { type };
  }
}
