import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  composeInstructions,
  defaultSessionSettings,
  diffSession,
  parseInstructions,
  toSessionConfig,
  type AgentTemplateFields,
} from '../../src/store/settings';
import { createConsoleStore } from '../../src/store/store';
import { selectSessionDiff } from '../../src/store/selectors';

const API_DOC_EXAMPLE = `agent_template={幻星}//这是agent模板名称
bot_info={
你是小奇奇,一位聪慧可爱的知心好玩伴。
}//助手信息,包含助手的角色、性格、身份等
user_info={
我叫轩轩,是11岁的男孩,生日:2013年11月7日
}//用户信息
//如果没有可不写:
extra_rules={
1.请用"童言童语",简单易懂的语言聊天;
}//这是追加的全局回复要求
extra_skills={
词语造句:
1. 造句必须包含给出的词语,只能是一个句子,不超过40字。
2. 游戏开始,你先给出三个词语。
}//这是追加的纯prompt skills;`;

describe('agent template', () => {
  test('parses the API document example, comments included', () => {
    expect(parseInstructions(API_DOC_EXAMPLE)).toEqual({
      agent_template: '幻星',
      bot_info: '你是小奇奇,一位聪慧可爱的知心好玩伴。',
      user_info: '我叫轩轩,是11岁的男孩,生日:2013年11月7日',
      extra_rules: '1.请用"童言童语",简单易懂的语言聊天;',
      extra_skills: '词语造句:\n1. 造句必须包含给出的词语,只能是一个句子,不超过40字。\n2. 游戏开始,你先给出三个词语。',
    });
  });

  test('composes only the non-empty fields, agent_template first', () => {
    const text = composeInstructions({ agent_template: '幻星', bot_info: '', user_info: '我叫轩轩', extra_rules: '', extra_skills: '' });
    expect(text).toBe('agent_template={幻星}\nuser_info={\n我叫轩轩\n}');
  });

  test('values containing braces survive; free text is not a template', () => {
    const fields: AgentTemplateFields = { agent_template: 'x', bot_info: 'use {json} like {"a":1}', user_info: '', extra_rules: '', extra_skills: '' };
    expect(parseInstructions(composeInstructions(fields))).toEqual(fields);
    expect(parseInstructions('You are a helpful assistant.')).toBeNull();
    expect(parseInstructions('Hello\nagent_template={幻星}')).toBeNull();
    expect(parseInstructions('bot_info={a}\nbot_info={b}')).toBeNull();
    expect(parseInstructions('bot_info={a}trailing words')).toBeNull();
  });

  test('property: parse(compose(fields)) round-trips trimmed fields', () => {
    const value = fc.string({ maxLength: 30 }).filter((s) => !/(agent_template|bot_info|user_info|extra_rules|extra_skills)\s*=/.test(s) && !s.includes('//'));
    fc.assert(
      fc.property(
        fc.record({ agent_template: value.filter((s) => !s.includes('\n')), bot_info: value, user_info: value, extra_rules: value, extra_skills: value }),
        (f) => {
          const composed = composeInstructions(f);
          const trimmed = Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v.trim()])) as unknown as AgentTemplateFields;
          if (composed === '') return; // all empty: nothing to parse
          const parsed = parseInstructions(composed);
          expect(parsed).not.toBeNull();
          // Inner line structure is kept; outer whitespace is trimmed.
          for (const k of Object.keys(trimmed) as (keyof AgentTemplateFields)[]) expect(parsed![k].trim()).toBe(trimmed[k].trim());
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('settings → session config and requested vs effective', () => {
  test('defaults map to the API document session', () => {
    const cfg = toSessionConfig(defaultSessionSettings());
    expect(cfg).toMatchObject({
      instructions: 'agent_template={幻星}',
      voice: '龙婉',
      input_audio_format: 'Raw16KHz16BitMonoPcm',
      output_audio_format: 'Raw8KHz16BitMonoPcm',
      turn_detection: { type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 500 },
    });
    expect(cfg.temperature).toBeUndefined();
    const manual = toSessionConfig({ ...defaultSessionSettings(), turnDetection: { mode: 'manual' }, temperature: 0.7 });
    expect(manual.turn_detection).toBeNull();
    expect(manual.temperature).toBe(0.7);
  });

  test('flags fields the server dropped or changed (beta shape)', () => {
    const req = defaultSessionSettings();
    const effective = {
      ...toSessionConfig(req),
      voice: 'alloy',
      output_audio_format: 'pcm16',
      turn_detection: { type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 800 },
    } as Record<string, unknown>;
    delete effective.instructions;
    const rows = Object.fromEntries(diffSession(req, effective).map((r) => [r.field, r.status]));
    expect(rows).toMatchObject({
      instructions: 'missing',
      voice: 'differs',
      input_audio_format: 'same',
      output_audio_format: 'differs',
      'turn_detection.type': 'same',
      'turn_detection.threshold': 'same',
      'turn_detection.silence_duration_ms': 'differs',
      'turn_detection.create_response': 'missing',
    });
  });

  test('reads the GA nested shape and compares formats by encoding and rate', () => {
    const req = { ...defaultSessionSettings(), inputFormat: 'pcm16', outputFormat: 'pcm16', voice: 'marin', turnDetection: { mode: 'manual' as const } };
    const ga = {
      type: 'realtime',
      instructions: 'agent_template={幻星}',
      audio: {
        input: { format: { type: 'audio/pcm', rate: 24000 }, turn_detection: null, transcription: { model: 'x' } },
        output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'marin' },
      },
    };
    const rows = diffSession(req, ga);
    expect(rows.filter((r) => r.status !== 'same').map((r) => r.field)).toEqual([]);
    // Without an effective session everything is missing.
    expect(diffSession(req, null).every((r) => r.status === 'missing' || r.field === 'tools')).toBe(true);
  });

  test('session slice: edits mark dirty, apply clears it, the diff selector is memoised', () => {
    const store = createConsoleStore({ storage: null });
    const st = () => store.getState();
    expect(st().session.dirty).toBe(false);
    st().setTemplateField('bot_info', '你是小奇奇');
    expect(st().session.dirty).toBe(true);
    expect(st().session.requested.template.bot_info).toBe('你是小奇奇');
    st().markApplied(123, ['temperature']);
    expect(st().session).toMatchObject({ dirty: false, lastAppliedAt: 123, droppedKeys: ['temperature'] });
    st().setEffective({ voice: '龙婉' });
    const a = selectSessionDiff(st());
    expect(selectSessionDiff(st())).toBe(a);
    st().updateRequested({ voice: '龙小淳' });
    expect(selectSessionDiff(st())).not.toBe(a);
    expect(selectSessionDiff(st()).find((r) => r.field === 'voice')!.status).toBe('differs');
  });
});
