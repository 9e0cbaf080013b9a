import { useId, useState } from 'react';
import { useT } from '../../i18n';
import { getCommands } from '../../store/commands';
import { useConsoleStore } from '../../store/store';

/** Sends `input_text` or `tts_text`; interrupts audio that is playing first. Enter sends, Shift+Enter breaks lines. */
export function TextComposer() {
  const t = useT();
  const inputId = useId();
  const kindId = useId();
  const open = useConsoleStore((s) => s.connection.state === 'open');
  const [text, setText] = useState('');
  const [kind, setKind] = useState<'input_text' | 'tts_text'>('input_text');
  const canSend = open && text.trim() !== '';
  const send = () => {
    if (!canSend) return;
    const commands = getCommands();
    commands.interrupt();
    commands.sendText(text, kind);
    setText('');
  };
  return (
    <form
      className="text-composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <label htmlFor={inputId} className="visually-hidden">
        {t('conversation.input.label')}
      </label>
      <textarea
        id={inputId}
        rows={2}
        value={text}
        placeholder={t('conversation.input.placeholder')}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            send();
          }
        }}
      />
      <div className="text-composer-row">
        <label htmlFor={kindId}>{t('conversation.input.kind')}</label>
        <select id={kindId} value={kind} onChange={(e) => setKind(e.target.value as 'input_text' | 'tts_text')}>
          <option value="input_text">{t('conversation.input.kind.input_text')}</option>
          <option value="tts_text">{t('conversation.input.kind.tts_text')}</option>
        </select>
        <button type="submit" className="btn btn-primary" disabled={!canSend}>
          {t('conversation.input.send')}
        </button>
      </div>
    </form>
  );
}
