// Pure helpers of the app layer: list parsing, key storage and masking, typed errors, profiles, tool answers.
import { beforeEach, describe, expect, test } from 'vitest';
import { parseModelList, parseVoiceList } from '../../src/app/lists';
import { loadKey, maskKey, saveKey } from '../../src/app/key-storage';
import { audioErrorInfo, connectionErrorInfo, remedyKeyFor } from '../../src/app/errors';
import { effectiveUrl, modelsUrlFor, resolveProfile, restBaseFor, voicesUrlFor } from '../../src/app/profiles';
import { parseToolAnswer } from '../../src/app/bridge';
import { ConnectionError, InvalidArgumentError } from '../../src/lib/realtime/errors';
import { en, zh } from '../../src/i18n';
import { REMEDY_REASONS } from '../../src/app/errors';

describe('voice and model lists', () => {
  test('voice list shapes of DESIGN §7', () => {
    expect(parseVoiceList(['龙婉', '龙小淳'])).toEqual(['龙婉', '龙小淳']);
    expect(parseVoiceList([{ name: '龙婉' }, { id: 'alloy' }, { voice: 'echo' }])).toEqual(['龙婉', 'alloy', 'echo']);
    expect(parseVoiceList({ data: [{ id: '龙婉', name: '龙婉' }, { id: 'marin', name: 'marin' }] })).toEqual(['龙婉', 'marin']);
    expect(parseVoiceList({ voices: ['a', 'a', ' b '] })).toEqual(['a', 'b']);
    expect(parseVoiceList({ other: 1 })).toEqual([]);
    expect(parseVoiceList(null)).toEqual([]);
    expect(parseVoiceList([1, null, {}])).toEqual([]);
  });

  test('model list', () => {
    expect(parseModelList({ object: 'list', data: [{ id: 'qwen-max', object: 'model' }, { id: 'qwen-max@DashScope' }] })).toEqual(['qwen-max', 'qwen-max@DashScope']);
    expect(parseModelList(['a', { id: 'b' }])).toEqual(['a', 'b']);
    expect(parseModelList('nope')).toEqual([]);
  });
});

describe('API key storage', () => {
  beforeEach(() => {
    sessionStorage.clear();
    localStorage.clear();
  });

  test('sessionStorage by default, localStorage when remembered, removed when empty', () => {
    saveKey('xstar', 'k-1234567890abcd', false);
    expect(loadKey('xstar')).toEqual({ key: 'k-1234567890abcd', remember: false });
    expect(localStorage.length).toBe(0);
    saveKey('xstar', 'k-1234567890abcd', true);
    expect(loadKey('xstar')).toEqual({ key: 'k-1234567890abcd', remember: true });
    expect(sessionStorage.length).toBe(0);
    expect(loadKey('openai')).toEqual({ key: '', remember: false });
    saveKey('xstar', '', false);
    expect(loadKey('xstar').key).toBe('');
    expect(localStorage.length + sessionStorage.length).toBe(0);
  });

  test('masking reveals at most the last 4 characters, none for short keys', () => {
    expect(maskKey('sk-abcdefghijklmnop')).toBe('••••mnop');
    expect(maskKey('short')).toBe('••••');
    expect(maskKey('')).toBe('');
  });
});

describe('typed errors', () => {
  test('ConnectionError reasons map to remedies with their proof', () => {
    const e = connectionErrorInfo(new ConnectionError('rate_limited', 'pre-check answered HTTP 429', { status: 429, body: '{"error":"busy"}' }));
    expect(e).toMatchObject({ reason: 'rate_limited', remedyKey: 'conn.remedy.rate_limited', status: 429, detail: '{"error":"busy"}' });
    expect(connectionErrorInfo(new ConnectionError('closed', 'closed', { code: 4502, closeReason: 'upstream unreachable' }))).toMatchObject({ code: 4502, detail: 'upstream unreachable' });
    expect(connectionErrorInfo(new ConnectionError('unreachable', 'x'), { relay: true }).reason).toBe('relay_unreachable');
    expect(connectionErrorInfo(new InvalidArgumentError('not a valid URL')).reason).toBe('invalid_url');
    expect(connectionErrorInfo(new Error('boom')).remedyKey).toBe('conn.remedy.unknown');
    expect(remedyKeyFor('aborted')).toBe('conn.remedy.unknown');
  });

  test('audio failures keep their reason', () => {
    const denied = Object.assign(new Error('microphone permission was denied'), { name: 'AudioEngineError', reason: 'microphone-denied' });
    expect(audioErrorInfo(denied)).toMatchObject({ reason: 'mic_denied', remedyKey: 'conn.remedy.mic_denied' });
    expect(audioErrorInfo(Object.assign(new Error('x'), { reason: 'no-microphone' })).reason).toBe('no_microphone');
    expect(audioErrorInfo('weird').reason).toBe('audio_unsupported');
  });

  test('every reason has a label and a remedy in both languages', () => {
    for (const r of REMEDY_REASONS) {
      for (const dict of [en, zh] as Record<string, string>[]) {
        expect(dict[`conn.reason.${r}`], r).toBeTruthy();
        expect(dict[`conn.remedy.${r}`], r).toBeTruthy();
      }
    }
  });
});

describe('profiles', () => {
  test('local and relay follow the page host and scheme', () => {
    expect(resolveProfile('local', 'http://localhost:4001').provider.defaultUrl).toBe('ws://localhost:4001/v1/realtime');
    expect(resolveProfile('local', 'https://192.168.1.5:4001').provider.defaultUrl).toBe('wss://192.168.1.5:4001/v1/realtime');
    const relay = resolveProfile('relay', 'http://localhost:4001');
    expect(relay.provider.defaultUrl).toBe('ws://localhost:4001/relay/v1/realtime');
    expect(relay.provider.capabilities.truncate).toBe(false);
    expect(relay.browserKey).toBe(false);
    expect(resolveProfile('xstar').provider.defaultUrl).toBe('wss://api.xstar.city/v1/realtime');
    expect(resolveProfile('xstar').browserKey).toBe(true);
    expect(resolveProfile('openai').provider.dialect).toBe('ga');
    expect(resolveProfile('nonsense', 'http://localhost:4001').id).toBe('local');
  });

  test('REST endpoints derive from the WebSocket URL', () => {
    expect(restBaseFor('wss://api.xstar.city/v1/realtime?model=x')).toBe('https://api.xstar.city/v1');
    expect(restBaseFor('ws://localhost:4001/relay/v1/realtime')).toBe('http://localhost:4001/relay/v1');
    expect(restBaseFor('not a url')).toBeNull();
    const local = resolveProfile('local', 'http://localhost:4001');
    expect(modelsUrlFor(local, effectiveUrl(local, ''))).toBe('http://localhost:4001/v1/models');
    expect(voicesUrlFor(local, effectiveUrl(local, ' '))).toBe('http://localhost:4001/v1/realtime/voiceList');
    expect(voicesUrlFor(resolveProfile('openai'), 'wss://api.openai.com/v1/realtime')).toBeNull();
    expect(effectiveUrl(local, 'ws://other:1/v1/realtime')).toBe('ws://other:1/v1/realtime');
  });
});

describe('tool answers', () => {
  test('JSON when it parses, else the text itself', () => {
    expect(parseToolAnswer('{"a":1}')).toEqual({ a: 1 });
    expect(parseToolAnswer('42')).toBe(42);
    expect(parseToolAnswer('sunny and warm')).toBe('sunny and warm');
    expect(parseToolAnswer('  ')).toBeNull();
  });
});
