// The connection bar: provider profile, URL, model, userId, API key, connect/disconnect, status, setup check.
import { useEffect, useId, useState } from 'react';
import { useT, type MessageKey } from '../../i18n';
import { useConsoleStore, useConsoleStoreApi } from '../../store';
import { useAppState, useAppStoreApi, useBridge } from '../../app/context';
import { CONSOLE_PROFILE_IDS, resolveProfile } from '../../app/profiles';
import { loadKey, maskKey, saveKey } from '../../app/key-storage';
import { generateUserId } from '../../app/user-id';
import { reconnectStore, useReconnectState } from '../../app/reconnect-state';

/** Connection status pill (`data-testid="connection-status"`, `data-state`). */
export function ConnectionStatusPill() {
  const t = useT();
  const stored = useConsoleStore((s) => s.connection.state);
  const dialect = useConsoleStore((s) => s.connection.dialect);
  const cycling = useReconnectState((s) => s.active);
  const attempt = useReconnectState((s) => s.attempt);
  const max = useReconnectState((s) => s.maxAttempts);
  // During a reconnect cycle each attempt passes through `connecting`: the pill keeps saying "reconnecting".
  const state = cycling && (stored === 'connecting' || stored === 'reconnecting') ? 'reconnecting' : stored;
  return (
    <span className={`status-pill status-${state}`} data-testid="connection-status" data-state={state} role="status" aria-live="polite">
      <span className="status-dot" aria-hidden="true" />
      {t(`conn.state.${state}` as MessageKey)}
      {state === 'reconnecting' && attempt > 0 ? (
        <span className="status-attempt" data-testid="reconnect-attempt">
          {' '}
          {t('reconnect.attempt', { attempt, max })}
        </span>
      ) : null}
      {state === 'open' && dialect ? <span className="status-dialect">{t('conn.dialect', { dialect: dialect === 'ga' ? 'GA' : 'beta' })}</span> : null}
    </span>
  );
}

/** Auto-reconnect toggle, and "stop reconnecting" while a cycle runs. */
export function ReconnectControls() {
  const t = useT();
  const id = useId();
  const bridge = useBridge();
  const enabled = useReconnectState((s) => s.enabled);
  const cycling = useReconnectState((s) => s.active);
  return (
    <>
      <label className="check" htmlFor={id}>
        <input id={id} type="checkbox" data-testid="auto-reconnect" checked={enabled} onChange={(e) => reconnectStore.setState({ enabled: e.target.checked })} />
        {t('reconnect.auto')}
      </label>
      {cycling && (
        <button type="button" className="btn btn-small" data-testid="reconnect-cancel" onClick={() => bridge.cancelReconnect()}>
          {t('reconnect.cancel')}
        </button>
      )}
    </>
  );
}

/** The connect/disconnect button (`data-testid="connect"`). */
export function ConnectButton() {
  const t = useT();
  const bridge = useBridge();
  const state = useConsoleStore((s) => s.connection.state);
  const live = state === 'open' || state === 'connecting' || state === 'reconnecting';
  return (
    <button
      type="button"
      data-testid="connect"
      className={`btn ${live ? 'btn-danger' : 'btn-primary'}`}
      disabled={state === 'closing'}
      aria-keyshortcuts="Control+Enter"
      onClick={() => void (live ? bridge.disconnect() : bridge.connect())}
    >
      {live ? t('action.disconnect') : t('action.connect')}
    </button>
  );
}

/** The API key field of a direct profile: masked input, "remember", never shown in full. */
function KeyField({ profileId }: { profileId: string }) {
  const t = useT();
  const id = useId();
  const bridge = useBridge();
  const appApi = useAppStoreApi();
  const stored = useAppState((s) => s.key);
  const [draft, setDraft] = useState('');
  const [remember, setRemember] = useState(stored.remember);
  useEffect(() => setRemember(loadKey(profileId).remember), [profileId]);
  const commit = (key: string, keep: boolean) => {
    saveKey(profileId, key, keep);
    appApi.setState({ key: { hint: maskKey(key), remember: keep && !!key } });
    setDraft('');
    void bridge.loadModels();
  };
  return (
    <div className="field field-key">
      <label htmlFor={id}>{t('conn.key')}</label>
      <div className="field-row">
        <input
          id={id}
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={draft}
          placeholder={stored.hint ? t('conn.keyStored', { hint: stored.hint }) : t('conn.keyPlaceholder')}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && draft) commit(draft.trim(), remember);
          }}
        />
        <button type="button" className="btn btn-small" disabled={!draft.trim()} onClick={() => commit(draft.trim(), remember)}>
          {t('conn.keySave')}
        </button>
        {stored.hint && (
          <button type="button" className="btn btn-small" onClick={() => commit('', false)}>
            {t('conn.keyForget')}
          </button>
        )}
      </div>
      <label className="check">
        <input
          type="checkbox"
          checked={remember}
          onChange={(e) => {
            setRemember(e.target.checked);
            const cur = loadKey(profileId).key;
            if (cur) saveKey(profileId, cur, e.target.checked);
            appApi.setState({ key: { hint: maskKey(cur), remember: e.target.checked && !!cur } });
          }}
        />
        {t('conn.keyRemember')}
      </label>
    </div>
  );
}

/** The bar on top of the page. */
export function ConnectionBar() {
  const t = useT();
  const ids = { profile: useId(), url: useId(), model: useId(), models: useId(), user: useId() };
  const api = useConsoleStoreApi();
  const bridge = useBridge();
  const profileId = useConsoleStore((s) => s.connection.profileId);
  const url = useConsoleStore((s) => s.connection.url);
  const model = useConsoleStore((s) => s.connection.model);
  const userId = useConsoleStore((s) => s.connection.userId);
  const state = useConsoleStore((s) => s.connection.state);
  const relayOn = useAppState((s) => s.serverInfo?.relay.enabled ?? false);
  const models = useAppState((s) => s.models);
  const setupRunning = useAppState((s) => s.setup.running);
  const profile = resolveProfile(profileId);
  const locked = state !== 'idle' && state !== 'closed';

  // The model list follows the profile and URL.
  useEffect(() => {
    void bridge.loadModels();
  }, [bridge, profileId, url]);

  const setFields = (f: Parameters<ReturnType<typeof api.getState>['setProfileFields']>[0]) => api.getState().setProfileFields(f);

  return (
    <div className="connection-bar" role="group" aria-label={t('conn.title')}>
      <div className="field">
        <label htmlFor={ids.profile}>{t('conn.profile')}</label>
        <select
          id={ids.profile}
          value={profile.id}
          disabled={locked}
          onChange={(e) => {
            setFields({ profileId: e.target.value, url: '', model: '' });
          }}
        >
          {CONSOLE_PROFILE_IDS.filter((p) => p !== 'relay' || relayOn || profile.id === 'relay').map((p) => (
            <option key={p} value={p}>
              {t(resolveProfile(p).labelKey)}
            </option>
          ))}
        </select>
      </div>
      <div className="field field-url">
        <label htmlFor={ids.url}>{t('conn.url')}</label>
        <input
          id={ids.url}
          type="url"
          spellCheck={false}
          value={url}
          disabled={locked}
          placeholder={profile.provider.defaultUrl}
          onChange={(e) => setFields({ url: e.target.value })}
        />
      </div>
      <div className="field field-model">
        <label htmlFor={ids.model}>{t('conn.model')}</label>
        <div className="field-row">
          <input
            id={ids.model}
            list={ids.models}
            spellCheck={false}
            value={model}
            disabled={locked}
            placeholder={profile.provider.defaultModel || t('conn.modelPlaceholder')}
            aria-describedby={models.state === 'error' ? `${ids.model}-hint` : undefined}
            onChange={(e) => setFields({ model: e.target.value })}
          />
          <datalist id={ids.models}>
            {models.items.map((m) => (
              <option key={m} value={m} />
            ))}
          </datalist>
          <button type="button" className="btn btn-icon" aria-label={t('conn.modelsReload')} title={t('conn.modelsReload')} onClick={() => void bridge.loadModels()}>
            ↻
          </button>
        </div>
        {models.state === 'error' && (
          <span id={`${ids.model}-hint`} className="field-hint">
            {t('conn.modelsFailed')}
          </span>
        )}
      </div>
      {profile.provider.extraQueryParams.includes('userId') && (
        <div className="field field-user">
          <label htmlFor={ids.user}>{t('conn.userId')}</label>
          <div className="field-row">
            <input id={ids.user} spellCheck={false} value={userId} disabled={locked} onChange={(e) => setFields({ userId: e.target.value })} />
            <button type="button" className="btn btn-icon" disabled={locked} aria-label={t('conn.userIdNew')} title={t('conn.userIdNew')} onClick={() => setFields({ userId: generateUserId() })}>
              ⟳
            </button>
          </div>
        </div>
      )}
      {profile.browserKey ? (
        <KeyField profileId={profile.id} />
      ) : (
        <p className="field-note">{profile.id === 'relay' ? t('conn.keyViaRelay') : t('conn.keyLocal')}</p>
      )}
      <div className="connection-actions">
        <ConnectButton />
        <ConnectionStatusPill />
        <ReconnectControls />
        <button type="button" className="btn" disabled={setupRunning} onClick={() => void bridge.runSetupCheck()}>
          {t('conn.setupCheck')}
        </button>
      </div>
      {profile.browserKey && (
        <p className="key-warning" role="note">
          {t('conn.keyWarning')}
        </p>
      )}
      {profile.id === 'relay' && !relayOn && (
        <p className="key-warning" role="note">
          {t('conn.relayOff')}
        </p>
      )}
    </div>
  );
}
