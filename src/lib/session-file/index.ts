// Public API of the session file format (framework-free; browser and server).
export * from './types';
export * from './errors';
export * from './sanitize';
export * from './codec';
export * from './relay-jsonl';
export * from './replay-plan';
export * from './read';
export * from './audio';
