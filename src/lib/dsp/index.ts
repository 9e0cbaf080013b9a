/** Pure DSP shared by the browser audio engine, the client and the server (no DOM, no Node APIs). */
export * from './pcm';
export * from './base64';
export * from './g711';
export * from './wav';
export * from './resampler';
export * from './analysis';
export * from './framer';
