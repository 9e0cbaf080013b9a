/**
 * The realtime protocol library: wire types, format table, provider profiles, session writer, conversation store
 * and the RealtimeClient. Framework-free; runs in browsers and in Node (inject `ws`).
 */
export * from './protocol';
export * from './formats';
export * from './errors';
export * from './providers';
export * from './url';
export * from './session';
export * from './normalize';
export * from './emitter';
export * from './conversation';
export * from './input-ring';
export * from './audio-buffer';
export * from './tools';
export * from './transport';
export * from './wait';
export * from './client';
export * from './reconnect';
