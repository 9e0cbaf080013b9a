/** The browser audio engine: microphone capture and streamed playback on AudioWorklets. */
export { WavRecorder } from './recorder';
export type { WavRecorderOptions, RecorderFrame, FrameCallback, RecorderInfo, AudioInputDevice, SaveOptions, DecodeInput } from './recorder';
export { WavStreamPlayer } from './player';
export type { WavStreamPlayerOptions, TrackOffset, PlayerStats } from './player';
export { createDecoder, splitMp3Frames, splitOpusPackets, mp3FrameAt } from './decoders';
export type { OutputFormat, DecodedBlock, AudioDecoderHandle } from './decoders';
export { AudioEngineError, FormatNotSupportedError } from './errors';
export type { AudioErrorReason } from './errors';
export type { WavFile } from './wav-file';
export type { FrequencyResult, FrequencyType } from '../dsp/analysis';
