import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent, type RefObject } from 'react';
import type { Macro } from '../../api/macros';
import type { CaseStatus, Visibility } from '../../api/types';
import { formatBytes, statusLabel, t } from '../../i18n';
import { defaultStatusAfter, statusesAfterMessage } from '../../lib/status';
import { MacroPicker } from '../macros/MacroPicker';

export interface OutgoingMessage {
  body: string;
  visibility: Visibility;
  statusAfter: CaseStatus | undefined;
  files: File[];
}

interface ComposerProps {
  mode: Visibility;
  onModeChange: (mode: Visibility) => void;
  caseStatus: CaseStatus;
  textareaRef: RefObject<HTMLTextAreaElement | null>;
  /** Resolves true when the message was sent (the draft is then cleared). */
  onSend: (message: OutgoingMessage) => Promise<boolean>;
  /** With the case id: a Macros button; applying resolves the rendered reply (null when refused). */
  macros?: { caseId: string; onApply: (macro: Macro) => Promise<{ body: string; visibility: Visibility } | null> };
}

const MODES: Visibility[] = ['public', 'internal'];

export function Composer({ mode, onModeChange, caseStatus, textareaRef, onSend, macros }: ComposerProps) {
  const baseId = useId();
  const tabId = (m: Visibility) => `${baseId}-tab-${m}`;
  const panelId = `${baseId}-panel`;
  const tabRefs = useRef<Record<string, HTMLButtonElement | null>>({});
  const fileRef = useRef<HTMLInputElement>(null);
  const [body, setBody] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [statusAfter, setStatusAfter] = useState<CaseStatus>(defaultStatusAfter(caseStatus, mode));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => setStatusAfter(defaultStatusAfter(caseStatus, mode)), [caseStatus, mode]);

  // Tabs follow the WAI-ARIA pattern: arrow keys move between them, one tab stop for the list.
  function onTabKey(event: KeyboardEvent<HTMLButtonElement>) {
    const index = MODES.indexOf(mode);
    let next: number | null = null;
    if (event.key === 'ArrowRight') next = (index + 1) % MODES.length;
    if (event.key === 'ArrowLeft') next = (index - 1 + MODES.length) % MODES.length;
    if (event.key === 'Home') next = 0;
    if (event.key === 'End') next = MODES.length - 1;
    if (next === null) return;
    event.preventDefault();
    const nextMode = MODES[next]!;
    onModeChange(nextMode);
    tabRefs.current[nextMode]?.focus();
  }

  async function submit(event?: FormEvent) {
    event?.preventDefault();
    if (busy) return;
    if (!body.trim()) {
      setError(t('composer.empty'));
      textareaRef.current?.focus();
      return;
    }
    setError(null);
    setBusy(true);
    const sent = await onSend({ body, visibility: mode, statusAfter: statusAfter !== caseStatus ? statusAfter : undefined, files });
    setBusy(false);
    if (sent) {
      setBody('');
      setFiles([]);
      if (fileRef.current) fileRef.current.value = '';
    }
  }

  /** As in Zendesk: a macro's reply replaces an empty draft and is appended to one the agent started. */
  async function applyMacro(macro: Macro) {
    if (!macros) return;
    const applied = await macros.onApply(macro);
    if (!applied) return;
    if (applied.body.trim()) {
      const draftEmpty = body.trim() === '';
      setBody((draft) => (draft.trim() === '' ? applied.body : `${draft.replace(/\s+$/, '')}\n\n${applied.body}`));
      if (draftEmpty) onModeChange(applied.visibility);
      setError(null);
    }
    textareaRef.current?.focus();
  }

  function onTextKey(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void submit();
    }
  }

  const choices = statusesAfterMessage(caseStatus);
  const internal = mode === 'internal';

  return (
    <section className={`composer ${internal ? 'composer--internal' : ''}`} aria-labelledby={`${baseId}-heading`}>
      <h2 id={`${baseId}-heading`} className="visually-hidden">
        {t('composer.heading')}
      </h2>
      <div role="tablist" aria-label={t('composer.tabs')} className="composer__tabs">
        {MODES.map((m) => (
          <button
            key={m}
            ref={(el) => {
              tabRefs.current[m] = el;
            }}
            id={tabId(m)}
            type="button"
            role="tab"
            aria-selected={mode === m}
            aria-controls={panelId}
            tabIndex={mode === m ? 0 : -1}
            className={`composer__tab composer__tab--${m}`}
            onClick={() => onModeChange(m)}
            onKeyDown={onTabKey}
          >
            {m === 'public' ? t('composer.reply') : t('composer.note')}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={panelId} aria-labelledby={tabId(mode)} className="composer__panel">
        <form onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor={`${baseId}-body`}>{t('composer.message')}</label>
            <textarea
              ref={textareaRef}
              id={`${baseId}-body`}
              rows={6}
              value={body}
              maxLength={100_000}
              aria-describedby={`${baseId}-hint`}
              aria-invalid={error ? true : undefined}
              onChange={(e) => setBody(e.target.value)}
              onKeyDown={onTextKey}
            />
            <p id={`${baseId}-hint`} className={`hint ${internal ? 'hint--internal' : ''}`}>
              {internal ? t('composer.noteHint') : t('composer.replyHint')} {t('composer.sendHint')}
            </p>
          </div>

          <div className="field">
            <label htmlFor={`${baseId}-files`}>{t('composer.attach')}</label>
            <input ref={fileRef} id={`${baseId}-files`} type="file" multiple onChange={(e) => setFiles(Array.from(e.target.files ?? []))} />
            {files.length > 0 && (
              <ul className="file-list">
                {files.map((file) => (
                  <li key={`${file.name}-${file.size}`}>
                    {file.name} <span className="muted">({formatBytes(file.size)})</span>
                  </li>
                ))}
              </ul>
            )}
          </div>

          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}

          <div className="composer__actions">
            {macros && <MacroPicker caseId={macros.caseId} onApply={applyMacro} disabled={busy} />}
            <div className="field field--inline">
              <label htmlFor={`${baseId}-status`}>{t('composer.statusAfter')}</label>
              <select id={`${baseId}-status`} value={statusAfter} onChange={(e) => setStatusAfter(e.target.value as CaseStatus)}>
                {choices.map((s) => (
                  <option key={s} value={s}>
                    {statusLabel(s)}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className={`button ${internal ? 'button--note' : 'button--primary'}`} disabled={busy}>
              {busy ? t('composer.sending') : t('composer.sendAs', { status: statusLabel(statusAfter) })}
            </button>
          </div>
        </form>
      </div>
    </section>
  );
}
