export type { SynthesisRequest, SynthesisResult, Synthesizer } from './types';
export { createSynthesizer, SynthesisError, WORKER_FILE_NAME } from './synthesizer';
export type { OfflineSynthesizer, SynthesizerOptions, SynthesizerStats } from './synthesizer';
export { LruCache } from './lru';
