/**
 * Built-in plugins, modelled on xStar's server-side plugins. The model "calls" them as ordinary function
 * calls (visible in the event stream); the emulator runs them itself and speaks the result.
 */
import type { ReplyLanguage } from '../voices';
import { VOICES, findVoice } from '../voices';
import { MathGameError, parseMathGameInput, solveMathGameAsync } from './math-game';
import type { MemoryStore } from './memory';

/** Names of the built-in plugins. */
export const PLUGIN_NAMES = ['math_game', 'adjust_voice_speed', 'switch_voice', 'remember', 'recall'] as const;
export type PluginName = (typeof PLUGIN_NAMES)[number];

/** True when `name` is a built-in plugin. */
export function isPlugin(name: string): name is PluginName {
  return (PLUGIN_NAMES as readonly string[]).includes(name);
}

/** What a plugin may read and change. */
export interface PluginContext {
  /** Memory scope: the `userId`, or a per-session scope when there is none. */
  memoryScope: string;
  memory: MemoryStore;
  language: ReplyLanguage;
  voice: string;
  speed: number;
  setVoice(name: string): void;
  setSpeed(speed: number): void;
}

/** A plugin's function output (JSON) and the sentence the emulator speaks about it. */
export interface PluginOutcome {
  output: Record<string, unknown>;
  say: string;
}

const MIN_SPEED = 0.5;
const MAX_SPEED = 2;

function obj(args: unknown): Record<string, unknown> {
  return typeof args === 'object' && args !== null && !Array.isArray(args) ? (args as Record<string, unknown>) : {};
}

function fail(message: string, zh: boolean): PluginOutcome {
  return { output: { ok: false, error: message }, say: zh ? `插件出错：${message}` : `The plugin failed: ${message}.` };
}

/** Runs a plugin. Never rejects: bad arguments give an `{ok:false, error}` outcome. */
export async function runPlugin(name: PluginName, args: unknown, ctx: PluginContext): Promise<PluginOutcome> {
  const zh = ctx.language === 'zh';
  const a = obj(args);
  switch (name) {
    case 'math_game': {
      let input: { numbers: number[]; target: number };
      try {
        input = parseMathGameInput(a);
      } catch (e) {
        return fail(e instanceof MathGameError ? e.message : String(e), zh);
      }
      const r = await solveMathGameAsync(input);
      const list = r.numbers.join(zh ? '、' : ', ');
      const shown = r.solutions.slice(0, 3);
      let say: string;
      if (r.count === 0) {
        say = zh ? `用${list}算不出${r.target}。` : `There is no way to make ${r.target} from ${list}.`;
      } else if (zh) {
        say = `用${list}算${r.target}，共有${r.count}${r.truncated ? '种以上' : '种'}解法：${shown.join('；')}${r.count > shown.length ? '；等等' : ''}。`;
      } else {
        say = `${r.truncated ? 'At least ' : ''}${r.count} solution${r.count === 1 ? '' : 's'} to make ${r.target} from ${list}: ${shown.join('; ')}${r.count > shown.length ? '; and more' : ''}.`;
      }
      return { output: { ok: true, ...r }, say };
    }
    case 'adjust_voice_speed': {
      let speed = ctx.speed;
      if (typeof a.speed === 'number' && Number.isFinite(a.speed)) speed = a.speed;
      else if (a.direction === 'faster' || a.speed === 'faster') speed = ctx.speed * 1.25;
      else if (a.direction === 'slower' || a.speed === 'slower') speed = ctx.speed / 1.25;
      else return fail('expected {"speed": number} or {"direction": "faster" | "slower"}', zh);
      speed = Math.round(Math.min(MAX_SPEED, Math.max(MIN_SPEED, speed)) * 100) / 100;
      ctx.setSpeed(speed);
      return {
        output: { ok: true, speed },
        say: zh ? `好的，语速已调整为${speed}倍。` : `All right, I am now speaking at ${speed} times normal speed.`,
      };
    }
    case 'switch_voice': {
      const wanted = typeof a.voice === 'string' ? a.voice : typeof a.name === 'string' ? a.name : '';
      const voice = findVoice(wanted.trim());
      if (!voice) {
        const names = VOICES.map((v) => v.name).join(', ');
        return fail(zh ? `没有名为“${wanted}”的声音，可选：${names}` : `no voice named "${wanted}"; available: ${names}`, zh);
      }
      ctx.setVoice(voice.id);
      return { output: { ok: true, voice: voice.id }, say: zh ? `好的，已切换到${voice.name}的声音。` : `All right, this is the ${voice.name} voice.` };
    }
    case 'remember': {
      const fact = typeof a.fact === 'string' ? a.fact : typeof a.key === 'string' && a.value !== undefined ? `${a.key}: ${String(a.value)}` : '';
      if (fact.trim() === '') return fail('expected {"fact": "..."}', zh);
      const count = ctx.memory.remember(ctx.memoryScope, fact);
      return { output: { ok: true, remembered: fact.trim(), count }, say: zh ? `好的，我记住了：${fact.trim()}。` : `Got it, I will remember that ${fact.trim()}.` };
    }
    case 'recall': {
      const query = typeof a.query === 'string' ? a.query : undefined;
      const facts = ctx.memory.recall(ctx.memoryScope, query);
      const say = facts.length
        ? zh
          ? `我记得：${facts.join('；')}。`
          : `I remember: ${facts.join('; ')}.`
        : zh
          ? '我还没有记住关于你的事情。'
          : 'I do not remember anything about you yet.';
      return { output: { ok: true, facts }, say };
    }
  }
}
