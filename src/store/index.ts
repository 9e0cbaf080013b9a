// Public API of the store layer.
export * from './store';
export * from './selectors';
export * from './commands';
export * from './transient';
export * from './batcher';
export * from './settings';
export * from './event-log';
export * from './event-view';
export * from './audio-track';
export * from './metrics-math';
export type { ConnectionStatus, ConnectionErrorInfo, ConnectionData, ProfileFields, ConnectionSlice } from './slices/connection';
export type { SessionData, SessionSlice } from './slices/session';
export type { EventsData, EventsSlice } from './slices/events';
export { DEFAULT_EVENT_CAPACITY } from './slices/events';
export type {
  ConversationItem,
  ConversationData,
  ConversationSlice,
  ItemInput,
  ItemStatus,
  ItemRole,
  ItemType,
  ItemAudio,
  ToolCallInfo,
  TranscriptStatus,
} from './slices/conversation';
export type { AudioData, AudioSlice, AudioDevice, GrantedAudio, PlayerStats, MicSource } from './slices/audio';
export type { MetricsData, MetricsSlice, Milestone } from './slices/metrics';
export { applyMilestone, MAX_TURNS } from './slices/metrics';
export type { UiData, UiSlice, Toast } from './slices/ui';
