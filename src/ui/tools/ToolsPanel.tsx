// Client-side function tools: definitions (name, description, JSON-schema parameters) kept in the requested
// session, each with a fixed JSON result; auto-respond, or a queue of pending calls answered by hand.
import { useId, useState } from 'react';
import { useT } from '../../i18n';
import { useConsoleStore, useConsoleStoreApi } from '../../store';
import type { ToolDefinition } from '../../lib/realtime/protocol';
import { useAppState, useAppStoreApi, useBridge } from '../../app/context';
import type { PendingToolCall } from '../../app/app-store';

const NAME_RE = /^[A-Za-z0-9_-]{1,64}$/;

const EXAMPLE: { def: ToolDefinition; result: string } = {
  def: {
    type: 'function',
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string', description: 'City name' } }, required: ['city'] },
  },
  result: '{"city":"Shanghai","temperature_c":21,"condition":"cloudy"}',
};

interface Draft {
  original: string | null;
  name: string;
  description: string;
  parameters: string;
  result: string;
}

const emptyDraft = (): Draft => ({
  original: null,
  name: '',
  description: '',
  parameters: '{\n  "type": "object",\n  "properties": {}\n}',
  result: '{"ok": true}',
});

function jsonError(text: string): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

function ToolForm({ draft, onCancel, existing }: { draft: Draft; onCancel: () => void; existing: string[] }) {
  const t = useT();
  const ids = useId();
  const api = useConsoleStoreApi();
  const appApi = useAppStoreApi();
  const [d, setD] = useState(draft);
  const nameError = !NAME_RE.test(d.name) ? t('tools.invalidName') : d.name !== d.original && existing.includes(d.name) ? t('tools.duplicate') : null;
  const paramsError = jsonError(d.parameters);
  const resultError = jsonError(d.result);
  const valid = !nameError && !paramsError && !resultError;
  const save = () => {
    if (!valid) return;
    const def: ToolDefinition = { type: 'function', name: d.name, description: d.description, parameters: JSON.parse(d.parameters) as Record<string, unknown> };
    api.getState().updateRequested((prev) => {
      const tools = prev.tools.filter((x) => x.name !== d.original && x.name !== d.name);
      const at = d.original ? prev.tools.findIndex((x) => x.name === d.original) : -1;
      if (at >= 0) tools.splice(Math.min(at, tools.length), 0, def);
      else tools.push(def);
      return { ...prev, tools };
    });
    appApi.setState((a) => {
      const results = { ...a.tools.results };
      if (d.original && d.original !== d.name) delete results[d.original];
      results[d.name] = d.result;
      return { tools: { ...a.tools, results } };
    });
    onCancel();
  };
  return (
    <form
      className="tool-form"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <div className="field">
        <label htmlFor={`${ids}-n`}>{t('tools.name')}</label>
        <input id={`${ids}-n`} value={d.name} spellCheck={false} aria-invalid={!!nameError} aria-describedby={`${ids}-ne`} onChange={(e) => setD({ ...d, name: e.target.value.trim() })} />
        {nameError && d.name && (
          <span id={`${ids}-ne`} className="field-error">
            {nameError}
          </span>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${ids}-d`}>{t('tools.description')}</label>
        <input id={`${ids}-d`} value={d.description} onChange={(e) => setD({ ...d, description: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor={`${ids}-p`}>{t('tools.parameters')}</label>
        <textarea id={`${ids}-p`} className="mono" rows={5} spellCheck={false} value={d.parameters} aria-invalid={!!paramsError} onChange={(e) => setD({ ...d, parameters: e.target.value })} />
        {paramsError && <span className="field-error">{t('tools.invalidJson', { message: paramsError })}</span>}
      </div>
      <div className="field">
        <label htmlFor={`${ids}-r`}>{t('tools.result')}</label>
        <textarea id={`${ids}-r`} className="mono" rows={3} spellCheck={false} value={d.result} aria-invalid={!!resultError} onChange={(e) => setD({ ...d, result: e.target.value })} />
        {resultError && <span className="field-error">{t('tools.invalidJson', { message: resultError })}</span>}
      </div>
      <div className="field-row">
        <button type="submit" className="btn btn-primary btn-small" disabled={!valid}>
          {t('tools.save')}
        </button>
        <button type="button" className="btn btn-small" onClick={onCancel}>
          {t('tools.cancel')}
        </button>
      </div>
    </form>
  );
}

function PendingCallRow({ call }: { call: PendingToolCall }) {
  const t = useT();
  const id = useId();
  const bridge = useBridge();
  const fixed = useAppState((s) => s.tools.results[call.name]);
  const [answer, setAnswer] = useState(fixed ?? '{"ok": true}');
  return (
    <li className="pending-call" data-call-id={call.callId}>
      <div className="pending-call-head">
        <code className="item-tool-name">{call.name}</code>
        <code className="item-tool-callid">{call.callId}</code>
      </div>
      <p className="pending-call-args mono">{t('tools.args', { args: call.arguments })}</p>
      <label htmlFor={id}>{t('tools.answerLabel', { name: call.name })}</label>
      <textarea id={id} className="mono" rows={3} value={answer} onChange={(e) => setAnswer(e.target.value)} />
      <button type="button" className="btn btn-primary btn-small" onClick={() => bridge.answerToolCall(call.callId, answer)}>
        {t('tools.answer')}
      </button>
    </li>
  );
}

/** The tools panel. */
export function ToolsPanel() {
  const t = useT();
  const titleId = useId();
  const api = useConsoleStoreApi();
  const appApi = useAppStoreApi();
  const tools = useConsoleStore((s) => s.session.requested.tools);
  const autoRespond = useAppState((s) => s.tools.autoRespond);
  const results = useAppState((s) => s.tools.results);
  const pending = useAppState((s) => s.pendingCalls);
  const [draft, setDraft] = useState<Draft | null>(null);
  const names = tools.map((x) => x.name);
  return (
    <section className="panel tools-panel" aria-labelledby={titleId}>
      <header className="panel-header">
        <h2 id={titleId}>{t('nav.tools')}</h2>
        <div className="panel-actions">
          <button type="button" className="btn btn-small" onClick={() => setDraft(emptyDraft())} disabled={draft !== null}>
            {t('tools.add')}
          </button>
          {!names.includes(EXAMPLE.def.name) && (
            <button
              type="button"
              className="btn btn-small btn-quiet"
              onClick={() => {
                api.getState().updateRequested((prev) => ({ ...prev, tools: [...prev.tools, EXAMPLE.def] }));
                appApi.setState((a) => ({ tools: { ...a.tools, results: { ...a.tools.results, [EXAMPLE.def.name]: EXAMPLE.result } } }));
              }}
            >
              {t('tools.example')}
            </button>
          )}
        </div>
      </header>
      <div className="panel-scroll">
        <label className="check">
          <input type="checkbox" checked={autoRespond} onChange={(e) => appApi.setState((a) => ({ tools: { ...a.tools, autoRespond: e.target.checked } }))} />
          {t('tools.autoRespond')}
        </label>
        {draft && <ToolForm key={draft.original ?? '(new)'} draft={draft} existing={names} onCancel={() => setDraft(null)} />}
        {tools.length === 0 && !draft ? (
          <p className="field-hint">{t('tools.empty')}</p>
        ) : (
          <ul className="tool-list">
            {tools.map((tool) => (
              <li key={tool.name} className="tool-row" data-tool={tool.name}>
                <div className="tool-row-head">
                  <code className="item-tool-name">{tool.name}</code>
                  <span className="tool-desc">{tool.description}</span>
                  <button
                    type="button"
                    className="btn btn-small btn-quiet"
                    aria-label={t('tools.edit', { name: tool.name })}
                    onClick={() =>
                      setDraft({
                        original: tool.name,
                        name: tool.name,
                        description: tool.description ?? '',
                        parameters: JSON.stringify(tool.parameters ?? { type: 'object', properties: {} }, null, 2),
                        result: results[tool.name] ?? '{"ok": true}',
                      })
                    }
                  >
                    ✎
                  </button>
                  <button
                    type="button"
                    className="btn btn-small btn-quiet"
                    aria-label={t('tools.remove', { name: tool.name })}
                    onClick={() => api.getState().updateRequested((prev) => ({ ...prev, tools: prev.tools.filter((x) => x.name !== tool.name) }))}
                  >
                    ✕
                  </button>
                </div>
                <code className="tool-result mono">→ {results[tool.name] ?? '{"ok": true}'}</code>
              </li>
            ))}
          </ul>
        )}
        <h3 className="subhead">{t('tools.pending', { n: pending.length })}</h3>
        {pending.length === 0 ? (
          <p className="field-hint">{t('tools.pendingEmpty')}</p>
        ) : (
          <ul className="pending-list" aria-live="polite">
            {pending.map((c) => (
              <PendingCallRow key={c.callId} call={c} />
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
