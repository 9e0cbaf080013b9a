// The session editor: agent-template instructions (with a raw view), voice, formats, turn detection,
// transcription, temperature/token limit, greeting, apply mode, and requested-vs-effective.
import { useEffect, useId, useState, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useT, type MessageKey } from '../../i18n';
import {
  AGENT_TEMPLATE_KEYS,
  composeInstructions,
  parseInstructions,
  selectSessionDiff,
  useConsoleStore,
  useConsoleStoreApi,
  type SessionSettings,
  type TurnDetectionSettings,
} from '../../store';
import { useAppState, useBridge } from '../../app/context';
import { resolveProfile } from '../../app/profiles';
import { FALLBACK_VOICES } from '../../app/lists';
import { SessionDiff } from './SessionDiff';

type Patch = Partial<SessionSettings> | ((prev: SessionSettings) => SessionSettings);

function Section({ title, children, open = true }: { title: string; children: ReactNode; open?: boolean }) {
  return (
    <details className="editor-section" open={open}>
      <summary>{title}</summary>
      <div className="editor-section-body">{children}</div>
    </details>
  );
}

function NumberField(props: { label: string; value: number; min: number; max: number; step: number; onChange: (v: number) => void }) {
  const id = useId();
  return (
    <div className="field field-inline">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="number"
        min={props.min}
        max={props.max}
        step={props.step}
        value={props.value}
        onChange={(e) => {
          const v = Number(e.target.value);
          if (e.target.value !== '' && Number.isFinite(v)) props.onChange(Math.min(props.max, Math.max(props.min, v)));
        }}
      />
    </div>
  );
}

function InstructionsEditor({ update }: { update: (p: Patch) => void }) {
  const t = useT();
  const api = useConsoleStoreApi();
  const mode = useConsoleStore((s) => s.session.requested.instructionsMode);
  const template = useConsoleStore((s) => s.session.requested.template);
  const raw = useConsoleStore((s) => s.session.requested.rawInstructions);
  const [notTemplate, setNotTemplate] = useState(false);
  const rawId = useId();
  const ids = useId();
  return (
    <>
      <div className="segmented" role="radiogroup" aria-label={t('session.instructions')}>
        {(['template', 'raw'] as const).map((m) => (
          <button
            key={m}
            type="button"
            role="radio"
            aria-checked={mode === m}
            className={mode === m ? 'is-on' : ''}
            onClick={() => {
              if (m === mode) return;
              if (m === 'raw') {
                update({ instructionsMode: 'raw', rawInstructions: composeInstructions(template) });
                setNotTemplate(false);
              } else {
                const parsed = parseInstructions(raw);
                if (parsed) update({ instructionsMode: 'template', template: parsed });
                else setNotTemplate(true);
              }
            }}
          >
            {t(`session.mode.${m}`)}
          </button>
        ))}
      </div>
      {mode === 'template' ? (
        AGENT_TEMPLATE_KEYS.map((key) => (
          <div className="field" key={key}>
            <label htmlFor={`${ids}-${key}`}>{t(`session.field.${key}` as MessageKey)}</label>
            {key === 'agent_template' ? (
              <input id={`${ids}-${key}`} value={template[key]} onChange={(e) => api.getState().setTemplateField(key, e.target.value)} />
            ) : (
              <textarea id={`${ids}-${key}`} rows={key === 'bot_info' || key === 'user_info' ? 2 : 2} value={template[key]} onChange={(e) => api.getState().setTemplateField(key, e.target.value)} />
            )}
          </div>
        ))
      ) : (
        <div className="field">
          <label htmlFor={rawId}>{t('session.instructions')}</label>
          <textarea id={rawId} rows={8} className="mono" value={raw} aria-describedby={`${rawId}-hint`} onChange={(e) => update({ rawInstructions: e.target.value })} />
          <span id={`${rawId}-hint`} className="field-hint">
            {notTemplate ? t('session.rawNotTemplate') : t('session.rawHint')}
          </span>
        </div>
      )}
    </>
  );
}

function VoiceField({ update, ttsText }: { update: (p: Patch) => void; ttsText: boolean }) {
  const t = useT();
  const id = useId();
  const bridge = useBridge();
  const voice = useConsoleStore((s) => s.session.requested.voice);
  const open = useConsoleStore((s) => s.connection.state === 'open');
  const voices = useAppState((s) => s.voices);
  const list = voices.items.length ? voices.items : [...FALLBACK_VOICES];
  const options = list.includes(voice) || !voice ? list : [voice, ...list];
  return (
    <div className="field">
      <label htmlFor={id}>{t('session.voice')}</label>
      <div className="field-row">
        <select id={id} value={voice} onChange={(e) => update({ voice: e.target.value })}>
          {options.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="btn btn-small"
          disabled={!open || !ttsText}
          title={!open || !ttsText ? t('session.voicePreviewHint') : undefined}
          onClick={() => bridge.previewVoice(voice, t('session.voicePreviewText'))}
        >
          {t('session.voicePreview')}
        </button>
      </div>
      {voices.state === 'error' && <span className="field-hint">{t('session.voicesFallback')}</span>}
    </div>
  );
}

function FormatSelect({ label, value, names, onChange }: { label: string; value: string; names: readonly string[]; onChange: (v: string) => void }) {
  const id = useId();
  const options = names.includes(value) ? names : [value, ...names];
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
    </div>
  );
}

function TurnDetectionEditor({ update }: { update: (p: Patch) => void }) {
  const t = useT();
  const td = useConsoleStore((s) => s.session.requested.turnDetection);
  const setVad = (patch: Partial<Extract<TurnDetectionSettings, { mode: 'server_vad' }>>) =>
    update((prev) => (prev.turnDetection.mode === 'server_vad' ? { ...prev, turnDetection: { ...prev.turnDetection, ...patch } } : prev));
  return (
    <>
      <div className="segmented" role="radiogroup" aria-label={t('session.turn')}>
        {(['manual', 'server_vad'] as const).map((m) => (
          <button
            key={m}
            type="button"
            role="radio"
            aria-checked={td.mode === m}
            className={td.mode === m ? 'is-on' : ''}
            onClick={() =>
              update({
                turnDetection:
                  m === 'manual'
                    ? { mode: 'manual' }
                    : { mode: 'server_vad', threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: 500, createResponse: true, interruptResponse: true },
              })
            }
          >
            {t(`session.turn.${m}`)}
          </button>
        ))}
      </div>
      {td.mode === 'server_vad' && (
        <div className="field-grid">
          <NumberField label={t('session.vad.threshold')} value={td.threshold} min={0} max={1} step={0.05} onChange={(v) => setVad({ threshold: v })} />
          <NumberField label={t('session.vad.prefix')} value={td.prefixPaddingMs} min={0} max={5000} step={50} onChange={(v) => setVad({ prefixPaddingMs: v })} />
          <NumberField label={t('session.vad.silence')} value={td.silenceDurationMs} min={0} max={10000} step={50} onChange={(v) => setVad({ silenceDurationMs: v })} />
          <label className="check">
            <input type="checkbox" checked={td.createResponse} onChange={(e) => setVad({ createResponse: e.target.checked })} />
            {t('session.vad.createResponse')}
          </label>
          <label className="check">
            <input type="checkbox" checked={td.interruptResponse} onChange={(e) => setVad({ interruptResponse: e.target.checked })} />
            {t('session.vad.interruptResponse')}
          </label>
        </div>
      )}
    </>
  );
}

function ModelParams({ update, ga }: { update: (p: Patch) => void; ga: boolean }) {
  const t = useT();
  const ids = useId();
  const temperature = useConsoleStore((s) => s.session.requested.temperature);
  const maxTokens = useConsoleStore((s) => s.session.requested.maxTokens);
  const [tokensText, setTokensText] = useState(maxTokens === null ? '' : String(maxTokens));
  useEffect(() => setTokensText(maxTokens === null ? '' : String(maxTokens)), [maxTokens]);
  return (
    <div className="field-grid">
      <div className="field field-inline">
        <label htmlFor={`${ids}-t`}>{t('session.temperature')}</label>
        <input
          id={`${ids}-t`}
          type="number"
          min={0}
          max={2}
          step={0.1}
          value={temperature ?? ''}
          placeholder="—"
          disabled={ga}
          aria-describedby={ga ? `${ids}-ga` : undefined}
          onChange={(e) => update({ temperature: e.target.value === '' ? null : Math.min(2, Math.max(0, Number(e.target.value))) })}
        />
      </div>
      {ga && (
        <span id={`${ids}-ga`} className="field-hint">
          {t('session.notInDialect')}
        </span>
      )}
      <div className="field field-inline">
        <label htmlFor={`${ids}-m`}>{t('session.maxTokens')}</label>
        <input
          id={`${ids}-m`}
          value={tokensText}
          inputMode="numeric"
          placeholder="—"
          aria-describedby={`${ids}-mh`}
          onChange={(e) => {
            const v = e.target.value.trim();
            setTokensText(e.target.value);
            if (v === '') update({ maxTokens: null });
            else if (v === 'inf') update({ maxTokens: 'inf' });
            else if (/^\d+$/.test(v) && Number(v) > 0) update({ maxTokens: Number(v) });
          }}
        />
      </div>
      <span id={`${ids}-mh`} className="field-hint">
        {t('session.maxTokensHint')}
      </span>
    </div>
  );
}

function GreetingEditor({ update, ttsText }: { update: (p: Patch) => void; ttsText: boolean }) {
  const t = useT();
  const ids = useId();
  const greeting = useConsoleStore((s) => s.session.requested.greeting);
  const set = (p: Partial<SessionSettings['greeting']>) => update((prev) => ({ ...prev, greeting: { ...prev.greeting, ...p } }));
  return (
    <>
      <label className="check">
        <input type="checkbox" checked={greeting.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
        {t('session.greeting')}
      </label>
      <div className="field">
        <label htmlFor={`${ids}-g`}>{t('session.greeting.text')}</label>
        <textarea id={`${ids}-g`} rows={2} value={greeting.text} disabled={!greeting.enabled} onChange={(e) => set({ text: e.target.value })} />
      </div>
      <div className="field field-inline">
        <label htmlFor={`${ids}-k`}>{t('session.greeting.kind')}</label>
        <select id={`${ids}-k`} value={greeting.kind} disabled={!greeting.enabled} onChange={(e) => set({ kind: e.target.value as 'input_text' | 'tts_text' })}>
          <option value="input_text">input_text</option>
          {ttsText && <option value="tts_text">tts_text</option>}
        </select>
      </div>
    </>
  );
}

function ApplyBar() {
  const t = useT();
  const id = useId();
  const api = useConsoleStoreApi();
  const bridge = useBridge();
  const { applyMode, dirty, lastAppliedAt, droppedKeys } = useConsoleStore(
    useShallow((s) => ({ applyMode: s.session.applyMode, dirty: s.session.dirty, lastAppliedAt: s.session.lastAppliedAt, droppedKeys: s.session.droppedKeys })),
  );
  const open = useConsoleStore((s) => s.connection.state === 'open');
  const language = useConsoleStore((s) => s.ui.language);
  return (
    <div className="apply-bar">
      <div className="field field-inline">
        <label htmlFor={id}>{t('session.applyMode')}</label>
        <select id={id} value={applyMode} onChange={(e) => api.getState().setApplyMode(e.target.value === 'button' ? 'button' : 'auto')}>
          <option value="auto">{t('session.applyMode.auto')}</option>
          <option value="button">{t('session.applyMode.button')}</option>
        </select>
      </div>
      <button type="button" className="btn btn-primary btn-small" disabled={!open || !dirty} onClick={() => bridge.applySession()}>
        {t('session.apply')}
      </button>
      <span className="apply-status" role="status">
        {dirty ? t('session.dirty') : lastAppliedAt ? t('session.applied', { time: new Date(lastAppliedAt).toLocaleTimeString(language === 'zh' ? 'zh-CN' : 'en') }) : ''}
      </span>
      {droppedKeys.length > 0 && <span className="field-hint">{t('session.dropped', { keys: droppedKeys.join(', ') })}</span>}
      <button type="button" className="btn btn-small btn-quiet" onClick={() => api.getState().resetRequested()}>
        {t('session.reset')}
      </button>
    </div>
  );
}

/** The session editor panel. */
export function SessionEditor() {
  const t = useT();
  const titleId = useId();
  const ids = useId();
  const api = useConsoleStoreApi();
  const bridge = useBridge();
  const profileId = useConsoleStore((s) => s.connection.profileId);
  const url = useConsoleStore((s) => s.connection.url);
  const inputFormat = useConsoleStore((s) => s.session.requested.inputFormat);
  const outputFormat = useConsoleStore((s) => s.session.requested.outputFormat);
  const transcription = useConsoleStore((s) => s.session.requested.transcription);
  const diffCount = useConsoleStore((s) => (s.session.effective ? selectSessionDiff(s).filter((r) => r.status === 'differs').length : 0));
  const profile = resolveProfile(profileId);
  const ga = profile.provider.dialect === 'ga';
  const ttsText = profile.provider.capabilities.ttsText;
  const formatNames = ga ? ['pcm16', 'g711_ulaw', 'g711_alaw'] : profile.provider.formatNames;
  const update = (p: Patch) => api.getState().updateRequested(p);

  useEffect(() => {
    void bridge.loadVoices();
  }, [bridge, profileId, url]);

  return (
    <section className="panel session-editor" aria-labelledby={titleId}>
      <header className="panel-header">
        <h2 id={titleId}>{t('session.title')}</h2>
        {diffCount > 0 && <span className="badge badge-warn">{t('session.diff.summary', { n: diffCount })}</span>}
      </header>
      <div className="panel-scroll">
        <ApplyBar />
        <Section title={t('session.instructions')}>
          <InstructionsEditor update={update} />
        </Section>
        <Section title={`${t('session.voice')} · ${t('session.audio')}`}>
          <VoiceField update={update} ttsText={ttsText} />
          <div className="field-grid">
            <FormatSelect label={t('session.inputFormat')} value={inputFormat} names={formatNames} onChange={(v) => update({ inputFormat: v })} />
            <FormatSelect label={t('session.outputFormat')} value={outputFormat} names={formatNames} onChange={(v) => update({ outputFormat: v })} />
          </div>
        </Section>
        <Section title={t('session.turn')}>
          <TurnDetectionEditor update={update} />
          <label className="check">
            <input
              type="checkbox"
              checked={transcription.enabled}
              onChange={(e) => update((prev) => ({ ...prev, transcription: { ...prev.transcription, enabled: e.target.checked } }))}
            />
            {t('session.transcription')}
          </label>
          {transcription.enabled && (
            <div className="field-grid">
              <div className="field field-inline">
                <label htmlFor={`${ids}-tm`}>{t('session.transcription.model')}</label>
                <input
                  id={`${ids}-tm`}
                  value={transcription.model}
                  placeholder={t('session.optional')}
                  onChange={(e) => update((prev) => ({ ...prev, transcription: { ...prev.transcription, model: e.target.value } }))}
                />
              </div>
              <div className="field field-inline">
                <label htmlFor={`${ids}-tl`}>{t('session.transcription.language')}</label>
                <input
                  id={`${ids}-tl`}
                  value={transcription.language}
                  placeholder={t('session.optional')}
                  onChange={(e) => update((prev) => ({ ...prev, transcription: { ...prev.transcription, language: e.target.value } }))}
                />
              </div>
            </div>
          )}
        </Section>
        <Section title={`${t('session.temperature')} · ${t('session.maxTokens')}`} open={false}>
          <ModelParams update={update} ga={ga} />
        </Section>
        <Section title={t('session.greeting')}>
          <GreetingEditor update={update} ttsText={ttsText} />
        </Section>
        <Section title={t('session.diff.title')}>
          <SessionDiff />
        </Section>
      </div>
    </section>
  );
}
