/**
 * What the emulator says: a deterministic plan for a response, from the conversation so far.
 * - Text → an echo in the language of the text (CJK → Mandarin, else English), or a tool call.
 * - `tts_text` → spoken exactly as given.
 * - Voice → "you spoke for N s" and the user's own audio played back (there is no offline recogniser).
 * - `/tool NAME {json}` → a call of a declared client tool (then the client answers), or of a built-in plugin.
 * - Free text asking for 24 points with numbers → `math_game`; a few phrases reach the other plugins.
 * - A function_call_output → a sentence about the tool's result.
 */
import type { StoredItem } from './conversation';
import { detectLanguage } from './language';
import { detectMathGameRequest } from './plugins/math-game';
import { isPlugin, type PluginName } from './plugins';
import { voiceLanguage, type ReplyLanguage } from './voices';

/** One output item of a planned response. */
export type ReplyStep =
  | {
      kind: 'message';
      text: string;
      language: ReplyLanguage;
      /** The user's audio to play after the spoken text (voice input), or null. */
      playback: { samples: Int16Array; sampleRate: number } | null;
      /** The user asked for speech exactly as written (`tts_text`). */
      verbatim: boolean;
    }
  | {
      kind: 'function_call';
      name: string;
      arguments: string;
      /** Set when the emulator runs the call itself (a built-in plugin). */
      plugin: PluginName | null;
      language: ReplyLanguage;
    };

/** What the planner needs besides the items. */
export interface ReplyContext {
  /** Names of the function tools the client declared (session or response). */
  clientTools: readonly string[];
  /** The session voice (its language is used when there is no text to follow). */
  voice: string;
  /** `tool_choice: "none"` forbids client tool calls. */
  toolsAllowed: boolean;
}

const MAX_ECHO_CHARS = 200;
const MAX_OUTPUT_CHARS = 300;

function clip(text: string, max: number): string {
  const chars = Array.from(text.trim());
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : chars.join('');
}

/** The long-reply filler sentence (appended until a reply lasts 10 s). */
export function fillerSentence(language: ReplyLanguage, n: number): string {
  return language === 'zh'
    ? `这是一段故意很长的回复，第${n}句，方便你在我说话的时候打断我。`
    : ` This reply is long on purpose, sentence ${n}, so that you can interrupt me while I am still talking.`;
}

function lastUserText(items: readonly StoredItem[]): string | null {
  for (let i = items.length - 1; i >= 0; i--) {
    const it = items[i];
    if (it.type === 'message' && it.role === 'user') {
      const t = it.content.find((c) => c.type === 'input_text' || c.type === 'tts_text');
      if (t?.text) return t.text;
    }
  }
  return null;
}

function message(
  text: string,
  language: ReplyLanguage,
  playback: { samples: Int16Array; sampleRate: number } | null = null,
  verbatim = false,
): ReplyStep {
  return { kind: 'message', text, language, playback, verbatim };
}

/** Plans the reply to `items` (the conversation as the response sees it). Pure and deterministic. */
export function planReply(items: readonly StoredItem[], ctx: ReplyContext): ReplyStep[] {
  // The input is the last user message or function output; assistant items after it are skipped.
  let input: StoredItem | null = null;
  for (let i = items.length - 1; i >= 0 && !input; i--) {
    const it = items[i];
    if ((it.type === 'message' && it.role === 'user') || it.type === 'function_call_output') input = it;
  }
  const voiceLang = voiceLanguage(ctx.voice);
  if (!input) {
    return [
      message(
        voiceLang === 'zh' ? '你好！我是离线实时模拟器，请输入文字或者说话。' : 'Hello! I am the offline realtime emulator. Type or speak, and I will answer.',
        voiceLang,
      ),
    ];
  }

  if (input.type === 'function_call_output') {
    const call = items.find((it) => it.type === 'function_call' && it.call_id === input.call_id);
    const name = call?.name ?? 'function';
    const userText = lastUserText(items);
    const lang = userText ? detectLanguage(userText) : voiceLang;
    const out = clip(input.output ?? '', MAX_OUTPUT_CHARS);
    return [message(lang === 'zh' ? `工具${name}返回：${out}` : `The ${name} tool returned: ${out}`, lang)];
  }

  const tts = input.content.find((c) => c.type === 'tts_text');
  if (tts && tts.text) return [message(tts.text, detectLanguage(tts.text), null, true)];

  if (input.idle) {
    return [message(voiceLang === 'zh' ? '你还在吗？' : 'Are you still there?', voiceLang)];
  }
  const text = input.content.find((c) => c.type === 'input_text')?.text ?? '';
  const audio = input.content.find((c) => c.type === 'input_audio');
  if (text.trim() === '' && audio) {
    const seconds = ((audio.audioMs ?? 0) / 1000).toFixed(1);
    const say = voiceLang === 'zh' ? `你说了${seconds}秒。下面是我听到的声音。` : `You spoke for ${seconds} seconds. Here is what I heard.`;
    return [message(say, voiceLang, input.pcm ?? null)];
  }
  if (text.trim() === '') {
    return [message(voiceLang === 'zh' ? '我没有收到任何内容。' : 'I received an empty message.', voiceLang)];
  }

  const lang = detectLanguage(text);
  const tool = /^\s*\/tool\s+([A-Za-z0-9_-]+)\s*([\s\S]*)$/.exec(text);
  if (tool) {
    const name = tool[1];
    const rawArgs = tool[2].trim() === '' ? '{}' : tool[2].trim();
    let args: unknown;
    try {
      args = JSON.parse(rawArgs);
    } catch {
      return [message(lang === 'zh' ? `工具${name}的参数不是有效的 JSON。` : `The arguments for ${name} are not valid JSON.`, lang)];
    }
    const argText = JSON.stringify(args);
    if (ctx.clientTools.includes(name)) {
      if (!ctx.toolsAllowed) {
        return [message(lang === 'zh' ? `tool_choice 为 none，不能调用工具${name}。` : `tool_choice is "none", so I will not call ${name}.`, lang)];
      }
      return [{ kind: 'function_call', name, arguments: argText, plugin: null, language: lang }];
    }
    if (isPlugin(name)) return [{ kind: 'function_call', name, arguments: argText, plugin: name, language: lang }];
    return [message(lang === 'zh' ? `没有名为${name}的工具。` : `There is no tool named ${name}.`, lang)];
  }

  const plugin = detectPluginRequest(text);
  if (plugin) return [{ kind: 'function_call', name: plugin.name, arguments: JSON.stringify(plugin.args), plugin: plugin.name, language: lang }];

  const echo = clip(text, MAX_ECHO_CHARS);
  return [message(lang === 'zh' ? `你说的是：${echo}。我是离线实时模拟器。` : `You said: ${echo} This is the offline realtime emulator.`, lang)];
}

/** Free-text requests that reach a built-in plugin without the `/tool` syntax. */
export function detectPluginRequest(text: string): { name: PluginName; args: Record<string, unknown> } | null {
  const game = detectMathGameRequest(text);
  if (game) return { name: 'math_game', args: { numbers: game.numbers, target: game.target } };
  let m = /^\s*(?:please\s+)?remember(?:\s+that)?\s+(.+?)[.!]?\s*$/i.exec(text) ?? /^\s*(?:请)?记住[：:，,]?\s*(.+?)[。！]?\s*$/.exec(text);
  if (m) return { name: 'remember', args: { fact: m[1] } };
  if (/what do you remember|do you remember|你记得|你还记得/i.test(text)) return { name: 'recall', args: {} };
  if (/speak (?:more )?faster|talk faster|说快一点|说快点|语速快/i.test(text)) return { name: 'adjust_voice_speed', args: { direction: 'faster' } };
  if (/speak (?:more )?slower|talk slower|slow down|说慢一点|说慢点|语速慢/i.test(text)) return { name: 'adjust_voice_speed', args: { direction: 'slower' } };
  m = /switch (?:to )?(?:the )?voice (?:to )?([^\s.!]+)|换成(.+?)的声音|切换到(.+?)(?:的声音)?[。！]?$/i.exec(text);
  if (m) return { name: 'switch_voice', args: { voice: (m[1] ?? m[2] ?? m[3]).trim() } };
  return null;
}
