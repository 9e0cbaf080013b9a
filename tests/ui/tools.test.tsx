import { describe, expect, test } from 'vitest';
import { act, fireEvent, screen, within } from '@testing-library/react';
import { ToolsPanel } from '../../src/ui/tools';
import { selectSessionConfig } from '../../src/store';
import { fakeBridge, renderWith } from './bridge-helpers';

describe('tools panel', () => {
  test('defines a tool (name, description, JSON-schema parameters, fixed result) into the session', () => {
    const { store, app } = renderWith(<ToolsPanel />);
    expect(screen.getByText(/No client tools/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Add tool' }));
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'lookup' } });
    fireEvent.change(screen.getByLabelText('Description'), { target: { value: 'Looks things up' } });
    fireEvent.change(screen.getByLabelText('Parameters (JSON Schema)'), { target: { value: '{"type":"object","properties":{"q":{"type":"string"}}}' } });
    fireEvent.change(screen.getByLabelText('Fixed result (JSON)'), { target: { value: '{"answer":42}' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save tool' }));
    expect(store.getState().session.requested.tools).toEqual([
      { type: 'function', name: 'lookup', description: 'Looks things up', parameters: { type: 'object', properties: { q: { type: 'string' } } } },
    ]);
    expect(selectSessionConfig(store.getState()).tools?.map((t) => t.name)).toEqual(['lookup']);
    expect(app.getState().tools.results.lookup).toBe('{"answer":42}');
    const row = document.querySelector('[data-tool="lookup"]') as HTMLElement;
    expect(row.textContent).toContain('{"answer":42}');
    fireEvent.click(within(row).getByRole('button', { name: 'Remove lookup' }));
    expect(store.getState().session.requested.tools).toEqual([]);
  });

  test('invalid JSON and bad or duplicate names block saving', () => {
    renderWith(<ToolsPanel />);
    fireEvent.click(screen.getByRole('button', { name: 'Add example (get_weather)' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add tool' }));
    const save = screen.getByRole('button', { name: 'Save tool' }) as HTMLButtonElement;
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'get_weather' } });
    expect(screen.getByText('A tool with this name exists.')).toBeTruthy();
    expect(save.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'bad name!' } });
    expect(save.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'ok_name' } });
    expect(save.disabled).toBe(false);
    fireEvent.change(screen.getByLabelText('Parameters (JSON Schema)'), { target: { value: '{"type":' } });
    expect(screen.getByText(/Invalid JSON/)).toBeTruthy();
    expect(save.disabled).toBe(true);
  });

  test('auto-respond toggles; pending calls are answered by hand through the bridge', () => {
    const bridge = fakeBridge();
    const { app } = renderWith(<ToolsPanel />, { bridge });
    const auto = screen.getByLabelText('Answer calls automatically with the fixed result') as HTMLInputElement;
    expect(auto.checked).toBe(true);
    fireEvent.click(auto);
    expect(app.getState().tools.autoRespond).toBe(false);
    act(() =>
      app.setState({
        tools: { autoRespond: false, results: { lookup: '{"fixed":1}' } },
        pendingCalls: [{ callId: 'call_1', name: 'lookup', arguments: '{"q":"x"}', itemId: 'item_1', at: 0 }],
      }),
    );
    expect(screen.getByText('Calls waiting for an answer (1)')).toBeTruthy();
    const answer = screen.getByLabelText('Output for lookup') as HTMLTextAreaElement;
    expect(answer.value).toBe('{"fixed":1}');
    fireEvent.change(answer, { target: { value: '{"typed":true}' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send answer' }));
    expect(bridge.answerToolCall).toHaveBeenCalledWith('call_1', '{"typed":true}');
  });
});
