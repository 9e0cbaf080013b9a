import { describe, expect, test } from 'vitest';
import { act, render, screen, within } from '@testing-library/react';
import { MetricsPanel, turnSegments } from '../../src/ui/metrics';
import { ConsoleStoreProvider, createConsoleStore } from '../../src/store/store';
import { percentile, phaseDuration, phaseStats, readUsage, type TurnSpan } from '../../src/store/metrics-math';
import { applyMilestone, initialMetrics } from '../../src/store/slices/metrics';

describe('metrics math', () => {
  test('percentile interpolates between closest ranks', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 1..100 unsorted
    expect(percentile(hundred, 50)).toBeCloseTo(50.5);
    expect(percentile(hundred, 95)).toBeCloseTo(95.05);
    expect(percentile([10, 20, 30, 40, 50], 95)).toBeCloseTo(48);
  });

  test('phase durations need both milestones in order; end-to-end starts at speech stop', () => {
    const span: TurnSpan = { turnId: 1, speechStoppedAt: 1000, committedAt: 1010, responseCreatedAt: 1100, firstAudioAt: 1300, firstAudibleAt: 1380, doneAt: 2000 };
    expect(phaseDuration(span, 'stopToCommit')).toBe(10);
    expect(phaseDuration(span, 'commitToCreated')).toBe(90);
    expect(phaseDuration(span, 'createdToFirstAudio')).toBe(200);
    expect(phaseDuration(span, 'firstAudioToAudible')).toBe(80);
    expect(phaseDuration(span, 'createdToDone')).toBe(900);
    expect(phaseDuration(span, 'endToEnd')).toBe(380);
    expect(phaseDuration(span, 'createdToFirstText')).toBeUndefined();
    const stats = phaseStats([span, { ...span, turnId: 2, firstAudioAt: 1500, firstAudibleAt: 1600 }]);
    const audio = stats.find((s) => s.phase === 'createdToFirstAudio')!;
    expect(audio.count).toBe(2);
    expect(audio.p50).toBe(300);
    expect(audio.p95).toBeCloseTo(390);
  });

  test('usage of either dialect', () => {
    expect(readUsage({ input_tokens: 10, output_tokens: 5, total_tokens: 15 })).toEqual({ inputTokens: 10, outputTokens: 5, totalTokens: 15 });
    expect(readUsage({ input_tokens: 3, output_tokens: 4 })).toEqual({ inputTokens: 3, outputTokens: 4, totalTokens: 7 });
    expect(readUsage(null)).toBeUndefined();
  });

  test('milestones group into turns: stop → commit → response in one turn; server-initiated responses open a turn', () => {
    let m = initialMetrics();
    m = applyMilestone(m, 'responseCreated', 50, 'greet');
    m = applyMilestone(m, 'firstAudio', 80, 'greet');
    m = applyMilestone(m, 'done', 90, 'greet');
    m = applyMilestone(m, 'speechStopped', 1000);
    m = applyMilestone(m, 'committed', 1010);
    m = applyMilestone(m, 'responseCreated', 1100, 'r1');
    m = applyMilestone(m, 'firstAudio', 1300, 'r1');
    m = applyMilestone(m, 'firstAudio', 1350, 'r1'); // only the first counts
    m = applyMilestone(m, 'firstAudible', 1380, 'r1');
    m = applyMilestone(m, 'speechStopped', 3000);
    m = applyMilestone(m, 'firstText', 3100, 'r1'); // late event of an older response goes to that turn
    expect(m.turns.map((t) => [t.turnId, t.responseId, t.speechStoppedAt, t.committedAt, t.responseCreatedAt])).toEqual([
      [1, 'greet', undefined, undefined, 50],
      [2, 'r1', 1000, 1010, 1100],
      [3, undefined, 3000, undefined, undefined],
    ]);
    expect(m.turns[1].firstAudioAt).toBe(1300);
    expect(m.turns[1].firstTextAt).toBe(3100);
  });
});

describe('metrics slice and panel', () => {
  function setup() {
    const store = createConsoleStore({ storage: null });
    store.getState().setLanguage('en');
    render(
      <ConsoleStoreProvider store={store}>
        <MetricsPanel />
      </ConsoleStoreProvider>,
    );
    return store;
  }

  test('shows the waterfall per turn, p50/p95 per phase, usage totals, player health and granted rates', () => {
    const store = setup();
    const st = () => store.getState();
    act(() => {
      for (let i = 0; i < 4; i++) {
        const base = 10_000 * (i + 1);
        const id = `r${i}`;
        st().recordMilestone('speechStopped', base);
        st().recordMilestone('committed', base + 10);
        st().recordMilestone('responseCreated', base + 100, id);
        st().recordMilestone('firstText', base + 150, id);
        st().recordMilestone('firstAudio', base + 200 + i * 100, id);
        st().recordMilestone('firstAudible', base + 250 + i * 100, id);
        st().recordResponseDone(id, base + 1000, 'completed', { input_tokens: 100, output_tokens: 20, total_tokens: 120 });
      }
      st().setPlayerStats({ underruns: 2, bufferedMs: 120 });
      st().setGrantedAudio({ inputContextRate: 48000, inputRate: 16000, outputContextRate: 8000, outputRate: 8000, outputLatencyMs: 20 });
    });
    expect(screen.getAllByTestId('waterfall-turn')).toHaveLength(4);
    const firstTurn = screen.getAllByTestId('waterfall-turn')[0];
    expect([...firstTurn.querySelectorAll('rect')].map((r) => r.dataset.phase)).toEqual([
      'committedAt',
      'responseCreatedAt',
      'firstTextAt',
      'firstAudioAt',
      'firstAudibleAt',
      'doneAt',
    ]);
    const table = screen.getByTestId('phase-stats');
    const audioRow = table.querySelector('tr[data-phase="createdToFirstAudio"]')!;
    // 100, 200, 300, 400 ms → p50 250, p95 385.
    expect([...audioRow.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['4', '250', '385']);
    const e2e = table.querySelector('tr[data-phase="endToEnd"]')!;
    expect([...e2e.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['4', '400', '535']);
    expect(table.querySelector('tr[data-phase="stopToCommit"] td')!.textContent).toBe('4');
    const usage = screen.getByTestId('usage');
    expect(within(usage).getByText('480')).toBeTruthy();
    expect(within(usage).getByText('80')).toBeTruthy();
    expect(within(usage).getByText('400')).toBeTruthy();
    expect(within(screen.getByTestId('player')).getByText('2')).toBeTruthy();
    expect(within(screen.getByTestId('player')).getByText('120 ms')).toBeTruthy();
    expect(within(screen.getByTestId('rates')).getByText('48000 Hz')).toBeTruthy();
    expect(within(screen.getByTestId('rates')).getAllByText('8000 Hz')).toHaveLength(2);
    expect(st().metrics.totals).toEqual({ inputTokens: 400, outputTokens: 80, totalTokens: 480 });
  });

  test('segments follow milestone time order and skip missing ones', () => {
    expect(turnSegments({ turnId: 1, textSentAt: 0, responseCreatedAt: 40, firstAudioAt: 90, doneAt: 100 }).map((s) => [s.field, s.from, s.to])).toEqual([
      ['responseCreatedAt', 0, 40],
      ['firstAudioAt', 40, 90],
      ['doneAt', 90, 100],
    ]);
  });
});
