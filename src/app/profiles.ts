// The console's provider profiles (DESIGN §6): Local emulator, xStar via the local relay, xStar direct, OpenAI
// direct. Each resolves to a RealtimeClient provider profile for the page's origin.
import { PROVIDERS, localProfileFor, type ProviderProfile } from '../lib/realtime/providers';

/** Ids of the console profiles (persisted as `connection.profileId`). */
export type ConsoleProfileId = 'local' | 'relay' | 'xstar' | 'openai';

/** A console profile. */
export interface ConsoleProfile {
  id: ConsoleProfileId;
  /** i18n key of the label. */
  labelKey: 'conn.profile.local' | 'conn.profile.relay' | 'conn.profile.xstar' | 'conn.profile.openai';
  /** The API key lives in the browser (direct profiles). */
  browserKey: boolean;
  /** Shown only when the server says the relay is configured. */
  needsRelay: boolean;
  provider: ProviderProfile;
}

export const CONSOLE_PROFILE_IDS: readonly ConsoleProfileId[] = ['local', 'relay', 'xstar', 'openai'];

/** True for a known profile id. */
export function isConsoleProfileId(id: string): id is ConsoleProfileId {
  return (CONSOLE_PROFILE_IDS as readonly string[]).includes(id);
}

/** The page origin, or localhost:4001 outside a browser. */
export function pageOrigin(): string {
  return typeof location !== 'undefined' && /^https?:$/.test(location.protocol) ? location.origin : 'http://localhost:4001';
}

/** Resolves a profile for `origin` (the page's, by default). Unknown ids give the local profile. */
export function resolveProfile(id: string, origin: string = pageOrigin()): ConsoleProfile {
  switch (id) {
    case 'relay': {
      const base = localProfileFor(origin, true);
      // The relay forwards to xStar by default: xStar's capabilities (no truncate) and format names apply.
      return {
        id: 'relay',
        labelKey: 'conn.profile.relay',
        browserKey: false,
        needsRelay: true,
        provider: { ...base, capabilities: { ...PROVIDERS.xstar.capabilities }, formatNames: PROVIDERS.xstar.formatNames, defaultModel: PROVIDERS.xstar.defaultModel },
      };
    }
    case 'xstar':
      return { id: 'xstar', labelKey: 'conn.profile.xstar', browserKey: true, needsRelay: false, provider: PROVIDERS.xstar };
    case 'openai':
      return { id: 'openai', labelKey: 'conn.profile.openai', browserKey: true, needsRelay: false, provider: PROVIDERS.openai };
    default:
      return { id: 'local', labelKey: 'conn.profile.local', browserKey: false, needsRelay: false, provider: localProfileFor(origin) };
  }
}

/** The WebSocket URL to use: the user's override, else the profile's default. */
export function effectiveUrl(profile: ConsoleProfile, override: string): string {
  return override.trim() || profile.provider.defaultUrl;
}

/** REST base for a WebSocket URL: `wss://h/x/v1/realtime` → `https://h/x/v1`. */
export function restBaseFor(wsUrl: string): string | null {
  try {
    const u = new URL(wsUrl);
    u.protocol = u.protocol === 'wss:' ? 'https:' : u.protocol === 'ws:' ? 'http:' : u.protocol;
    u.search = '';
    u.pathname = u.pathname.replace(/\/realtime\/?$/, '');
    return u.toString().replace(/\/$/, '');
  } catch {
    return null;
  }
}

/** Where models are listed for this profile and URL. */
export function modelsUrlFor(profile: ConsoleProfile, wsUrl: string): string | null {
  const base = restBaseFor(wsUrl);
  return base ? `${base}/models` : profile.provider.modelsUrl;
}

/** Where voices are listed (xStar dialect only). */
export function voicesUrlFor(profile: ConsoleProfile, wsUrl: string): string | null {
  if (profile.id === 'openai') return null;
  const base = restBaseFor(wsUrl);
  return base ? `${base}/realtime/voiceList` : profile.provider.voicesUrl;
}
