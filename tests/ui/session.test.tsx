import { describe, expect, test } from 'vitest';
import { act, fireEvent, screen, within } from '@testing-library/react';
import { SessionEditor } from '../../src/ui/session';
import { selectInstructions, selectSessionConfig } from '../../src/store';
import { fakeBridge, renderWith } from './bridge-helpers';

describe('session editor', () => {
  test('the agent-template form composes the instructions (default 幻星)', () => {
    const { store } = renderWith(<SessionEditor />);
    const template = screen.getByLabelText('Template (agent_template)') as HTMLInputElement;
    expect(template.value).toBe('幻星');
    fireEvent.change(screen.getByLabelText('Assistant (bot_info)'), { target: { value: '你是小奇奇。' } });
    fireEvent.change(screen.getByLabelText('User (user_info)'), { target: { value: '我叫轩轩。' } });
    const text = selectInstructions(store.getState());
    expect(text).toContain('agent_template={幻星}');
    expect(text).toContain('bot_info={\n你是小奇奇。\n}');
    expect(text).toContain('user_info={\n我叫轩轩。\n}');
    expect(store.getState().session.dirty).toBe(true);
  });

  test('the raw view shows the composed text and switches back when it parses', () => {
    const { store } = renderWith(<SessionEditor />);
    fireEvent.change(screen.getByLabelText('Extra rules (extra_rules)'), { target: { value: '简短回答' } });
    fireEvent.click(screen.getByRole('radio', { name: 'Raw text' }));
    const raw = screen.getByRole('textbox', { name: 'Instructions' }) as HTMLTextAreaElement;
    expect(raw.value).toBe('agent_template={幻星}\nextra_rules={\n简短回答\n}');
    fireEvent.change(raw, { target: { value: 'agent_template={coqi1}\nextra_rules={\n只说中文\n}' } });
    fireEvent.click(screen.getByRole('radio', { name: 'Agent template' }));
    expect(store.getState().session.requested.instructionsMode).toBe('template');
    expect(store.getState().session.requested.template.agent_template).toBe('coqi1');
    expect(store.getState().session.requested.template.extra_rules).toBe('只说中文');
    // Text that is not a template stays raw, with a note.
    fireEvent.click(screen.getByRole('radio', { name: 'Raw text' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Instructions' }), { target: { value: 'Answer briefly.' } });
    fireEvent.click(screen.getByRole('radio', { name: 'Agent template' }));
    expect(store.getState().session.requested.instructionsMode).toBe('raw');
    expect(screen.getByText('This text is not in the template form; edit it here.')).toBeTruthy();
  });

  test('defaults: 龙婉, 16 kHz in / 8 kHz out, server VAD 0.5/300/500; manual hides the VAD parameters', () => {
    const { store } = renderWith(<SessionEditor />);
    expect((screen.getByLabelText('Voice') as HTMLSelectElement).value).toBe('龙婉');
    expect((screen.getByLabelText('Input format') as HTMLSelectElement).value).toBe('Raw16KHz16BitMonoPcm');
    expect((screen.getByLabelText('Output format') as HTMLSelectElement).value).toBe('Raw8KHz16BitMonoPcm');
    expect((screen.getByLabelText('Threshold') as HTMLInputElement).value).toBe('0.5');
    fireEvent.change(screen.getByLabelText('Silence duration (ms)'), { target: { value: '800' } });
    expect(selectSessionConfig(store.getState()).turn_detection).toMatchObject({ type: 'server_vad', silence_duration_ms: 800, threshold: 0.5, prefix_padding_ms: 300 });
    fireEvent.click(screen.getAllByRole('radio', { name: 'Manual (push-to-talk)' })[0]);
    expect(screen.queryByLabelText('Threshold')).toBeNull();
    expect(selectSessionConfig(store.getState()).turn_detection).toBeNull();
  });

  test('voices come from the fetched list; preview speaks through the bridge when connected', () => {
    const bridge = fakeBridge();
    const { store, app } = renderWith(<SessionEditor />, { bridge });
    expect(bridge.loadVoices).toHaveBeenCalled();
    act(() => app.setState({ voices: { items: ['龙婉', '龙小淳', '龙老铁'], state: 'ok' } }));
    const voice = screen.getByLabelText('Voice') as HTMLSelectElement;
    expect(Array.from(voice.options, (o) => o.value)).toEqual(['龙婉', '龙小淳', '龙老铁']);
    fireEvent.change(voice, { target: { value: '龙老铁' } });
    expect(store.getState().session.requested.voice).toBe('龙老铁');
    const preview = screen.getByRole('button', { name: 'Preview voice' }) as HTMLButtonElement;
    expect(preview.disabled).toBe(true);
    act(() => store.getState().setConnectionState('open'));
    fireEvent.click(preview);
    expect(bridge.previewVoice).toHaveBeenCalledWith('龙老铁', 'Hello, this is how I sound.');
  });

  test('apply by button, and the requested-vs-effective diff flags differences', () => {
    const bridge = fakeBridge();
    const { store } = renderWith(<SessionEditor />, { bridge });
    fireEvent.change(screen.getByLabelText('Send changes'), { target: { value: 'button' } });
    expect(store.getState().session.applyMode).toBe('button');
    expect(screen.getByText('Connect to see what the server applied.')).toBeTruthy();
    act(() => {
      store.getState().setConnectionState('open');
      store.getState().updateRequested({ voice: '龙小淳' });
    });
    const apply = screen.getByRole('button', { name: 'Apply' }) as HTMLButtonElement;
    expect(apply.disabled).toBe(false);
    fireEvent.click(apply);
    expect(bridge.applySession).toHaveBeenCalledTimes(1);
    act(() =>
      store.getState().setEffective({
        instructions: 'agent_template={幻星}',
        voice: '龙婉',
        input_audio_format: 'Raw16KHz16BitMonoPcm',
        output_audio_format: 'Raw8KHz16BitMonoPcm',
        turn_detection: { type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 500 },
        input_audio_transcription: { model: 'x' },
        tools: [],
      }),
    );
    const table = screen.getByTestId('session-diff');
    const voiceRow = table.querySelector('tr[data-field="voice"]')!;
    expect(voiceRow.getAttribute('data-status')).toBe('differs');
    expect(within(voiceRow as HTMLElement).getByText('differs')).toBeTruthy();
    expect(table.querySelector('tr[data-field="output_audio_format"]')!.getAttribute('data-status')).toBe('same');
    expect(screen.getByText('1 field(s) differ')).toBeTruthy();
  });

  test('GA (OpenAI) disables temperature and offers no tts_text greeting', () => {
    const { store } = renderWith(<SessionEditor />);
    act(() => store.getState().setProfileFields({ profileId: 'openai' }));
    expect((screen.getByLabelText('Temperature') as HTMLInputElement).disabled).toBe(true);
    const kind = screen.getByLabelText('Send as') as HTMLSelectElement;
    expect(Array.from(kind.options, (o) => o.value)).toEqual(['input_text']);
    expect(Array.from((screen.getByLabelText('Input format') as HTMLSelectElement).options, (o) => o.value)).toContain('pcm16');
  });
});
