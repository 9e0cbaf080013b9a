/**
 * The emulator's voices and how each maps onto the offline synthesiser. The voice gives pitch and speed;
 * the language of each reply (from the user's text) picks the eSpeak NG voice (`cmn` or `en-us`).
 */

/** Language of a reply. */
export type ReplyLanguage = 'zh' | 'en';

/** One voice of the emulator's voice list. */
export interface EmulatorVoice {
  id: string;
  name: string;
  /** BCP 47 tag of the voice's home language. */
  language: string;
  /** eSpeak NG pitch 0–99. */
  pitch: number;
  /** eSpeak NG words per minute at speed 1.0. */
  wordsPerMinute: number;
}

/** Every voice, xStar-style Chinese names first. */
export const VOICES: readonly EmulatorVoice[] = [
  { id: '龙婉', name: '龙婉', language: 'zh-CN', pitch: 72, wordsPerMinute: 165 },
  { id: '龙小淳', name: '龙小淳', language: 'zh-CN', pitch: 62, wordsPerMinute: 175 },
  { id: '龙小诚', name: '龙小诚', language: 'zh-CN', pitch: 38, wordsPerMinute: 170 },
  { id: '龙老铁', name: '龙老铁', language: 'zh-CN', pitch: 25, wordsPerMinute: 155 },
  { id: 'marin', name: 'marin', language: 'en-US', pitch: 65, wordsPerMinute: 175 },
  { id: 'cedar', name: 'cedar', language: 'en-US', pitch: 35, wordsPerMinute: 170 },
  { id: 'alloy', name: 'alloy', language: 'en-US', pitch: 55, wordsPerMinute: 175 },
  { id: 'echo', name: 'echo', language: 'en-US', pitch: 42, wordsPerMinute: 170 },
  { id: 'shimmer', name: 'shimmer', language: 'en-US', pitch: 78, wordsPerMinute: 180 },
  { id: 'verse', name: 'verse', language: 'en-US', pitch: 50, wordsPerMinute: 175 },
];

/** Default voice per dialect: beta connections are xStar-flavoured. */
export const DEFAULT_VOICE = { beta: '龙婉', ga: 'marin' } as const;

/** Finds a voice by id or name (exact, then case-insensitive); null when unknown. */
export function findVoice(name: string): EmulatorVoice | null {
  const exact = VOICES.find((v) => v.id === name || v.name === name);
  if (exact) return exact;
  const lower = name.toLowerCase();
  return VOICES.find((v) => v.id.toLowerCase() === lower) ?? null;
}

/** The home language of a voice name (unknown voices count as English). */
export function voiceLanguage(name: string): ReplyLanguage {
  return findVoice(name)?.language.startsWith('zh') ? 'zh' : 'en';
}

/** Synthesiser parameters for a voice, a reply language and a speed factor (0.5–2). */
export function synthesisVoice(
  name: string,
  language: ReplyLanguage,
  speed: number,
): { voice: string; pitch: number; wordsPerMinute: number } {
  const v = findVoice(name) ?? VOICES[language === 'zh' ? 0 : 4];
  return {
    voice: language === 'zh' ? 'cmn' : 'en-us',
    pitch: v.pitch,
    wordsPerMinute: Math.round(v.wordsPerMinute * speed),
  };
}
