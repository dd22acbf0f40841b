import { useEffect, useId, useState, type FormEvent } from 'react';
import { me } from '../../api/client';
import type { EmailPreferences } from '../../api/types';
import { ErrorNotice, errorText, Loading } from '../../components/Notice';
import { FormError } from '../../components/FieldError';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { t } from '../../i18n';

/** Which events the signed-in agent is told about by email. */
export function EmailPreferencesSettings() {
  const id = useId();
  const state = useApi((signal) => me.emailPreferences(signal), []);
  const { notify } = useToast();
  const [draft, setDraft] = useState<EmailPreferences | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (state.data) setDraft(state.data);
  }, [state.data]);

  const saved = state.data;
  const dirty = Boolean(
    draft && saved && (draft.on_assignment !== saved.on_assignment || draft.on_customer_reply !== saved.on_customer_reply),
  );

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!draft || !dirty) return;
    setBusy(true);
    setError(null);
    try {
      state.setData(await me.setEmailPreferences(draft));
      notify(t('emailPrefs.saved'));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="panel__heading">
        {t('emailPrefs.heading')}
      </h2>
      {state.error !== undefined && !saved ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : !draft ? (
        <Loading />
      ) : (
        <form className="form" onSubmit={submit} noValidate>
          <fieldset>
            <legend>{t('emailPrefs.legend')}</legend>
            <ul className="plain-list checkbox-list">
              <li>
                <label className="checkbox">
                  <input
                    type="checkbox"
                    checked={draft.on_assignment}
                    onChange={(e) => setDraft({ ...draft, on_assignment: e.target.checked })}
                  />
                  <span>{t('emailPrefs.onAssignment')}</span>
                </label>
              </li>
              <li>
                <label className="checkbox">
                  <input
                    type="checkbox"
                    checked={draft.on_customer_reply}
                    onChange={(e) => setDraft({ ...draft, on_customer_reply: e.target.checked })}
                  />
                  <span>{t('emailPrefs.onCustomerReply')}</span>
                </label>
              </li>
            </ul>
          </fieldset>
          <FormError text={error} />
          <div className="form__actions">
            <button type="submit" className="button button--primary" disabled={busy || !dirty}>
              {busy ? t('common.saving') : t('emailPrefs.save')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
