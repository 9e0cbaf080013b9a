import { describe, expect, test } from 'vitest';
import { createConsoleStore } from '../../src/store/store';
import { createEventBatcher } from '../../src/store/batcher';
import { getCommands, NOOP_COMMANDS, registerCommands, type ConsoleCommands } from '../../src/store/commands';
import { readLevels, readPlayback, registerLevelSource, registerPlaybackSource } from '../../src/store/transient';

describe('event batcher', () => {
  test('one store update per scheduled flush, with every event in order', () => {
    const store = createConsoleStore({ storage: null });
    const ticks: (() => void)[] = [];
    const batcher = createEventBatcher(store, (cb) => {
      ticks.push(cb);
      return () => undefined;
    });
    for (let i = 0; i < 50; i++) batcher.push({ direction: 'server', event: { type: `e${i}` }, at: i });
    expect(ticks).toHaveLength(1);
    expect(store.getState().events.version).toBe(0);
    ticks[0]();
    expect(store.getState().events.version).toBe(1);
    expect([...store.getState().events.log].map((e) => e.type)).toEqual(Array.from({ length: 50 }, (_, i) => `e${i}`));
    batcher.push({ direction: 'client', event: { type: 'last' } });
    batcher.dispose();
    expect(store.getState().events.size).toBe(51);
  });
});

describe('commands and transient registries', () => {
  test('register returns an unregister that only removes its own implementation', () => {
    const a: ConsoleCommands = { ...NOOP_COMMANDS };
    const b: ConsoleCommands = { ...NOOP_COMMANDS };
    const offA = registerCommands(a);
    expect(getCommands()).toBe(a);
    const offB = registerCommands(b);
    offA();
    expect(getCommands()).toBe(b);
    offB();
    expect(getCommands()).toBe(NOOP_COMMANDS);
  });

  test('levels and playback read zeros without a source, and survive a throwing source', () => {
    expect(readLevels()).toEqual({ input: 0, output: 0 });
    const off = registerLevelSource(() => ({ input: 0.5, output: 0.1 }));
    expect(readLevels()).toEqual({ input: 0.5, output: 0.1 });
    off();
    const off2 = registerPlaybackSource(() => {
      throw new Error('gone');
    });
    expect(readPlayback()).toEqual({ bufferedMs: 0, trackId: null, offset: 0 });
    off2();
  });
});

describe('audio and ui slices', () => {
  test('player stats merge and carry a timestamp; toasts are bounded', () => {
    const store = createConsoleStore({ storage: null });
    const st = () => store.getState();
    st().setPlayerStats({ underruns: 1, updatedAt: 5 });
    st().setPlayerStats({ bufferedMs: 80, updatedAt: 6 });
    expect(st().audio.player).toMatchObject({ underruns: 1, bufferedMs: 80, updatedAt: 6 });
    st().setGrantedAudio({ inputContextRate: 48000 });
    st().setGrantedAudio({ outputRate: 8000 });
    expect(st().audio.granted).toEqual({ inputContextRate: 48000, outputRate: 8000 });
    const ids = Array.from({ length: 7 }, (_, i) => st().pushToast('info', `m${i}`));
    expect(st().ui.toasts.map((t) => t.message)).toEqual(['m2', 'm3', 'm4', 'm5', 'm6']);
    st().dismissToast(ids[6]);
    expect(st().ui.toasts).toHaveLength(4);
  });
});
