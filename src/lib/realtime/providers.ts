/**
 * Provider profiles: what differs between xStar, OpenAI and the local emulator, declared once.
 */

import type { Dialect } from './protocol';
import { XSTAR_FORMAT_NAMES } from './formats';

/** How the transcription `…delta` events carry partial text. */
export type StreamingAsrStyle =
  /** xStar: `transcript` holds the text so far (replace). */
  | 'cumulative'
  /** OpenAI: `delta` holds the increment (append). */
  | 'incremental';

/** What a provider supports. */
export interface ProviderCapabilities {
  /** `conversation.item.truncate` is honoured. */
  truncate: boolean;
  /** User content type `tts_text` is understood. */
  ttsText: boolean;
  /** Preferred streaming-ASR style; the client accepts both whatever this says (a `transcript` field wins). */
  streamingAsr: StreamingAsrStyle;
}

/** Identifiers of the built-in profiles. */
export type ProviderId = 'xstar' | 'openai' | 'local';

/** A provider profile. */
export interface ProviderProfile {
  id: ProviderId | (string & {});
  label: string;
  dialect: Dialect;
  /** Default WebSocket URL. */
  defaultUrl: string;
  defaultModel: string;
  /** Query parameters beyond `model` that `connect()` appends when given (xStar: `userId`). */
  extraQueryParams: readonly string[];
  /** Run the HTTP pre-check by default when an API key is set. */
  precheckByDefault: boolean;
  /** Format names the provider uses in its session config (beta/xStar names, or GA `audio/*` types). */
  formatNames: readonly string[];
  defaultInputFormat: string;
  defaultOutputFormat: string;
  capabilities: ProviderCapabilities;
  /** Where models are listed (GET, Bearer key), or null. */
  modelsUrl: string | null;
  /** Where voices are listed, or null. */
  voicesUrl: string | null;
}


/** The built-in profiles. */
export const PROVIDERS: Readonly<Record<ProviderId, ProviderProfile>> = {
  xstar: {
    id: 'xstar',
    label: 'xStar',
    dialect: 'beta',
    defaultUrl: 'wss://api.xstar.city/v1/realtime',
    defaultModel: 'qwen-max',
    extraQueryParams: ['userId'],
    precheckByDefault: true,
    formatNames: XSTAR_FORMAT_NAMES,
    defaultInputFormat: 'Raw16KHz16BitMonoPcm',
    defaultOutputFormat: 'Raw8KHz16BitMonoPcm',
    // Whether xStar honours truncate is unconfirmed (its own client disabled it), so it is off by default.
    capabilities: { truncate: false, ttsText: true, streamingAsr: 'cumulative' },
    modelsUrl: 'https://api.xstar.city/v1/models',
    voicesUrl: 'https://api.xstar.city/v1/realtime/voiceList',
  },
  openai: {
    id: 'openai',
    label: 'OpenAI',
    dialect: 'ga',
    defaultUrl: 'wss://api.openai.com/v1/realtime',
    defaultModel: 'gpt-realtime',
    extraQueryParams: [],
    precheckByDefault: false,
    formatNames: ['audio/pcm', 'audio/pcmu', 'audio/pcma'],
    defaultInputFormat: 'pcm16',
    defaultOutputFormat: 'pcm16',
    capabilities: { truncate: true, ttsText: false, streamingAsr: 'incremental' },
    modelsUrl: 'https://api.openai.com/v1/models',
    voicesUrl: null,
  },
  local: {
    id: 'local',
    label: 'Local emulator',
    dialect: 'beta',
    defaultUrl: 'ws://localhost:4001/v1/realtime',
    defaultModel: 'emulator',
    extraQueryParams: ['userId'],
    precheckByDefault: false,
    formatNames: [...XSTAR_FORMAT_NAMES, 'pcm16', 'g711_ulaw', 'g711_alaw'],
    defaultInputFormat: 'Raw16KHz16BitMonoPcm',
    defaultOutputFormat: 'Raw8KHz16BitMonoPcm',
    capabilities: { truncate: true, ttsText: true, streamingAsr: 'cumulative' },
    modelsUrl: 'http://localhost:4001/v1/models',
    voicesUrl: 'http://localhost:4001/v1/realtime/voiceList',
  },
};

/** Resolves a profile by id or returns the given profile; unknown ids fall back to `xstar` (the reference default). */
export function getProvider(provider: ProviderId | ProviderProfile | undefined): ProviderProfile {
  if (provider === undefined) return PROVIDERS.xstar;
  if (typeof provider === 'string') return PROVIDERS[provider] ?? PROVIDERS.xstar;
  return provider;
}

/**
 * The local profile for a page served from `origin` (e.g. `http://localhost:4001`): same host, `ws:`/`wss:`,
 * emulator at `/v1/realtime` (or the relay at `/relay/v1/realtime` when `relay` is true).
 */
export function localProfileFor(origin: string, relay = false): ProviderProfile {
  const u = new URL(origin);
  const scheme = u.protocol === 'https:' ? 'wss:' : 'ws:';
  const base = `${u.protocol}//${u.host}`;
  return {
    ...PROVIDERS.local,
    id: relay ? 'local-relay' : 'local',
    label: relay ? 'xStar via local relay' : PROVIDERS.local.label,
    defaultUrl: `${scheme}//${u.host}${relay ? '/relay' : ''}/v1/realtime`,
    modelsUrl: `${base}${relay ? '/relay' : ''}/v1/models`,
    voicesUrl: `${base}${relay ? '/relay' : ''}/v1/realtime/voiceList`,
  };
}
