// Talk controls: turn mode, push-to-talk, interrupt, mute, duplex, level meters, microphone and WAV source.
import { useId, useRef } from 'react';
import { useT } from '../../i18n';
import { useConsoleStore, useConsoleStoreApi } from '../../store';
import { useBridge } from '../../app/context';
import { LevelCanvas } from './LevelCanvas';
import { PushToTalk } from './PushToTalk';

/** The controls strip under the conversation. */
export function Controls() {
  const t = useT();
  const ids = useId();
  const api = useConsoleStoreApi();
  const bridge = useBridge();
  const fileRef = useRef<HTMLInputElement>(null);
  const open = useConsoleStore((s) => s.connection.state === 'open');
  const mode = useConsoleStore((s) => s.session.requested.turnDetection.mode);
  const muted = useConsoleStore((s) => s.audio.muted);
  const duplex = useConsoleStore((s) => s.audio.duplex);
  const capturing = useConsoleStore((s) => s.audio.capturing);
  const devices = useConsoleStore((s) => s.audio.devices);
  const deviceId = useConsoleStore((s) => s.audio.selectedDeviceId);
  const source = useConsoleStore((s) => s.audio.source);
  const setMode = (m: 'manual' | 'server_vad') =>
    api.getState().updateRequested((prev) =>
      prev.turnDetection.mode === m
        ? prev
        : {
            ...prev,
            turnDetection:
              m === 'manual' ? { mode: 'manual' } : { mode: 'server_vad', threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: 500, createResponse: true, interruptResponse: true },
          },
    );
  return (
    <section className="controls" aria-label={t('controls.title')}>
      <div className="controls-main">
        <div className="segmented" role="radiogroup" aria-label={t('session.turn')}>
          {(['manual', 'server_vad'] as const).map((m) => (
            <button key={m} type="button" role="radio" aria-checked={mode === m} className={mode === m ? 'is-on' : ''} onClick={() => setMode(m)}>
              {t(`session.turn.${m}`)}
            </button>
          ))}
        </div>
        {mode === 'manual' ? (
          <PushToTalk />
        ) : (
          <span className={`vad-indicator ${open && capturing && !muted ? 'is-live' : ''}`} role="status">
            {open ? (capturing && !muted ? t('controls.vadActive') : t('controls.paused')) : t('controls.notConnected')}
          </span>
        )}
        <button type="button" className="btn" disabled={!open} aria-keyshortcuts="Escape" onClick={() => bridge.interrupt()}>
          {t('action.interrupt')}
        </button>
        <button type="button" className={`btn ${muted ? 'is-on' : ''}`} aria-pressed={muted} aria-keyshortcuts="M" onClick={() => bridge.setMuted(!muted)}>
          {muted ? t('action.unmute') : t('action.mute')}
        </button>
        <div className="meters">
          <LevelCanvas which="input" label={t('controls.level.input')} />
          <LevelCanvas which="output" label={t('controls.level.output')} />
        </div>
      </div>
      <div className="controls-more">
        <div className="field field-inline">
          <label htmlFor={`${ids}-d`}>{t('controls.duplex')}</label>
          <select id={`${ids}-d`} value={duplex} onChange={(e) => bridge.setDuplex(e.target.value === 'half' ? 'half' : 'full')}>
            <option value="full">{t('controls.duplex.full')}</option>
            <option value="half">{t('controls.duplex.half')}</option>
          </select>
        </div>
        <div className="field field-inline">
          <label htmlFor={`${ids}-m`}>{t('controls.device')}</label>
          <select id={`${ids}-m`} value={deviceId ?? ''} onChange={(e) => void bridge.selectDevice(e.target.value || null)}>
            <option value="">{t('controls.device.default')}</option>
            {devices.map((d, i) => (
              <option key={d.deviceId} value={d.deviceId}>
                {d.label || `${t('controls.device')} ${i + 1}`}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-inline field-file">
          <span className="field-file-label" aria-hidden="true">
            {t('controls.source.file')}
          </span>
          {/* The native control's own text is not translatable: it is hidden behind a labelled button. */}
          <input
            id={`${ids}-f`}
            ref={fileRef}
            type="file"
            className="visually-hidden"
            aria-label={t('controls.source.file')}
            accept=".wav,audio/wav,audio/x-wav"
            onChange={(e) => {
              const f = e.target.files?.[0] ?? null;
              if (f) void bridge.useWavFile(f);
            }}
          />
          <button type="button" className="btn btn-small" onClick={() => fileRef.current?.click()}>
            {t('controls.source.choose')}
          </button>
          {source.kind === 'file' && (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => {
                if (fileRef.current) fileRef.current.value = '';
                void bridge.useWavFile(null);
              }}
            >
              {t('controls.source.clear')}
            </button>
          )}
        </div>
        <span className="controls-source">{source.kind === 'file' ? t('controls.source.current', { name: source.fileName }) : t('controls.source.mic')}</span>
        {mode === 'manual' && <span className="field-hint">{t('controls.ptt.hint')}</span>}
      </div>
    </section>
  );
}
