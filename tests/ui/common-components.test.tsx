import { describe, expect, test, vi } from 'vitest';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { JsonTree } from '../../src/ui/common/JsonTree';
import { LevelMeter } from '../../src/ui/common/LevelMeter';
import { CopyButton } from '../../src/ui/common/CopyButton';
import { formatBytes, formatElapsed, formatMs } from '../../src/ui/common/format';
import { ConsoleStoreProvider, createConsoleStore } from '../../src/store/store';
import { computePeaks } from '../../src/ui/conversation/peaks';

describe('JsonTree', () => {
  test('renders nested values with open levels and typed leaves', () => {
    render(<JsonTree value={{ type: 'x', n: 3, ok: true, none: null, list: [1, { deep: 'y' }] }} openDepth={2} label="tree" />);
    const tree = screen.getByRole('list', { name: 'tree' });
    expect(tree.querySelector('.json-string')!.textContent).toBe('"x"');
    expect(tree.querySelector('.json-number')!.textContent).toBe('3');
    expect(tree.querySelector('.json-boolean')!.textContent).toBe('true');
    expect(tree.querySelector('.json-null')!.textContent).toBe('null');
    const details = tree.querySelectorAll('details');
    expect(details[0].open).toBe(true); // root
    expect(details[1].open).toBe(true); // list (depth 1)
    expect(details[2].open).toBe(false); // {deep} (depth 2)
    expect(screen.getByText('[2]')).toBeTruthy();
  });
});

describe('LevelMeter', () => {
  test('polls the level source in animation frames and writes the DOM, not React state', () => {
    const frames: FrameRequestCallback[] = [];
    const raf = vi.spyOn(window, 'requestAnimationFrame').mockImplementation((cb) => {
      frames.push(cb);
      return frames.length;
    });
    const caf = vi.spyOn(window, 'cancelAnimationFrame').mockImplementation(() => undefined);
    let level = 0.25;
    const renders = vi.fn();
    function Probe() {
      renders();
      return <LevelMeter which="input" label="Input level" read={() => ({ input: level, output: 0 })} />;
    }
    try {
      const { unmount } = render(<Probe />);
      const meter = screen.getByRole('meter', { name: 'Input level' });
      const runFrame = () => frames.shift()!(0);
      runFrame();
      expect(meter.getAttribute('aria-valuenow')).toBe('25');
      level = 0.8;
      runFrame();
      expect(meter.getAttribute('aria-valuenow')).toBe('80');
      expect((meter.firstChild as HTMLElement).style.transform).toBe('scaleX(0.8)');
      expect(renders).toHaveBeenCalledTimes(1);
      unmount();
      expect(caf).toHaveBeenCalled();
    } finally {
      raf.mockRestore();
      caf.mockRestore();
    }
  });
});

describe('CopyButton', () => {
  test('copies the text and says so', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText } });
    const store = createConsoleStore({ storage: null });
    store.getState().setLanguage('en');
    render(
      <ConsoleStoreProvider store={store}>
        <CopyButton text={() => '{"a":1}'} label="Copy event JSON" />
      </ConsoleStoreProvider>,
    );
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Copy event JSON' }));
    });
    expect(writeText).toHaveBeenCalledWith('{"a":1}');
    expect(screen.getByRole('button', { name: 'Copy event JSON' }).textContent).toBe('Copied');
  });
});

describe('formatting and peaks', () => {
  test('elapsed time never wraps at an hour; bytes and ms', () => {
    expect(formatElapsed(0)).toBe('00:00.000');
    expect(formatElapsed(61_234)).toBe('01:01.234');
    expect(formatElapsed(3_600_000 + 5)).toBe('1:00:00.005');
    expect(formatBytes(640)).toBe('640 B');
    expect(formatBytes(2048)).toBe('2.0 KiB');
    expect(formatMs(undefined)).toBe('—');
    expect(formatMs(3.14159)).toBe('3.1');
    expect(formatMs(123.6)).toBe('124');
  });

  test('peaks are per-bucket maxima of |sample|', () => {
    const s = new Int16Array([0, 16384, -32768, 100, 0, -8192]);
    expect([...computePeaks(s, 3)]).toEqual([0.5, 1, 0.25]);
    expect(computePeaks(new Int16Array(0), 10).length).toBe(1);
  });
});
