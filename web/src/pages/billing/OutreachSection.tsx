import { useId, useRef, useState, type FormEvent } from 'react';
import {
  billingSettings,
  OUTREACH_TRIGGERS,
  type OutreachSettings,
  type OutreachSettingsView,
  type OutreachTrigger,
} from '../../api/billing';
import { FieldError, FormError, useFocusFirstInvalid } from '../../components/FieldError';
import { ErrorNotice, Loading } from '../../components/Notice';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { getLocale, t } from '../../i18n';
import { describedBy, formErrorsOf, NO_ERRORS, type FormErrors } from '../../lib/fieldErrors';

/** Proactive outreach: whether Baton writes to the customer on a failed payment or a new dispute, and what. */
export function OutreachSection() {
  const state = useApi((signal) => billingSettings.outreach(signal), []);
  return (
    <section className="panel admin-section" aria-labelledby="billing-outreach-heading">
      <h2 id="billing-outreach-heading" className="panel__heading">
        {t('billing.outreach.heading')}
      </h2>
      {state.error !== undefined && !state.data ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : !state.data ? (
        <Loading />
      ) : (
        <OutreachForm initial={state.data} onSaved={(saved) => state.setData(saved)} />
      )}
    </section>
  );
}

type Field = `${OutreachTrigger}_${'subject' | 'body'}`;

const TRIGGER_LABEL = { payment_failed: 'billing.outreach.paymentFailed', dispute_opened: 'billing.outreach.disputeOpened' } as const;

function OutreachForm({ initial, onSaved }: { initial: OutreachSettingsView; onSaved: (saved: OutreachSettingsView) => void }) {
  const id = useId();
  const { notify } = useToast();
  const formRef = useRef<HTMLFormElement>(null);
  const [draft, setDraft] = useState<OutreachSettings>(() => ({
    payment_failed: { ...initial.payment_failed },
    dispute_opened: { ...initial.dispute_opened },
  }));
  const [errors, setErrors] = useState<FormErrors<Field>>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  useFocusFirstInvalid(formRef, errors.fields);

  const set = (trigger: OutreachTrigger, changes: Partial<OutreachSettings[OutreachTrigger]>) =>
    setDraft((d) => ({ ...d, [trigger]: { ...d[trigger], ...changes } }));
  const language = getLocale();
  const builtIn = (trigger: OutreachTrigger) => initial.defaults[trigger]?.[language] ?? initial.defaults[trigger]?.en;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    const blankIsNull = (v: string | null) => (v && v.trim() ? v : null);
    try {
      const saved = await billingSettings.saveOutreach({
        payment_failed: {
          ...draft.payment_failed,
          subject: blankIsNull(draft.payment_failed.subject),
          body: blankIsNull(draft.payment_failed.body),
        },
        dispute_opened: {
          ...draft.dispute_opened,
          subject: blankIsNull(draft.dispute_opened.subject),
          body: blankIsNull(draft.dispute_opened.body),
        },
      });
      onSaved(saved);
      notify(t('billing.outreach.saved'));
    } catch (err) {
      const fields: Record<string, { key: Field; label: string }> = {};
      for (const trigger of OUTREACH_TRIGGERS) {
        fields[`${trigger}.subject`] = { key: `${trigger}_subject`, label: t('billing.outreach.subject') };
        fields[`${trigger}.body`] = { key: `${trigger}_body`, label: t('billing.outreach.body') };
      }
      setErrors(formErrorsOf<Field>(err, fields));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form ref={formRef} className="form" onSubmit={submit} noValidate>
      <p className="hint">{t('billing.outreach.intro')}</p>
      <p className="hint" id={`${id}-placeholders`}>
        {t('billing.outreach.placeholders')}{' '}
        {initial.placeholders.map((p, i) => (
          <span key={p}>
            {i > 0 && ', '}
            <code>{`{{${p}}}`}</code>
          </span>
        ))}
      </p>
      {OUTREACH_TRIGGERS.map((trigger) => {
        const setting = draft[trigger];
        const fallback = builtIn(trigger);
        const subjectKey: Field = `${trigger}_subject`;
        const bodyKey: Field = `${trigger}_body`;
        return (
          <fieldset key={trigger}>
            <legend>{t(TRIGGER_LABEL[trigger])}</legend>
            <label className="checkbox">
              <input type="checkbox" checked={setting.enabled} onChange={(e) => set(trigger, { enabled: e.target.checked })} />
              <span>{t('billing.outreach.enabled')}</span>
            </label>
            <div className="field">
              <label htmlFor={`${id}-${subjectKey}`}>{t('billing.outreach.subject')}</label>
              <input
                id={`${id}-${subjectKey}`}
                type="text"
                maxLength={300}
                value={setting.subject ?? ''}
                placeholder={fallback?.subject}
                aria-invalid={errors.fields[subjectKey] ? true : undefined}
                aria-describedby={describedBy(
                  `${id}-placeholders`,
                  `${id}-${trigger}-hint`,
                  errors.fields[subjectKey] && `${id}-${subjectKey}-error`,
                )}
                onChange={(e) => set(trigger, { subject: e.target.value })}
              />
              <FieldError id={`${id}-${subjectKey}-error`} text={errors.fields[subjectKey]} />
            </div>
            <div className="field">
              <label htmlFor={`${id}-${bodyKey}`}>{t('billing.outreach.body')}</label>
              <textarea
                id={`${id}-${bodyKey}`}
                rows={6}
                maxLength={20000}
                value={setting.body ?? ''}
                placeholder={fallback?.body}
                aria-invalid={errors.fields[bodyKey] ? true : undefined}
                aria-describedby={describedBy(
                  `${id}-placeholders`,
                  `${id}-${trigger}-hint`,
                  errors.fields[bodyKey] && `${id}-${bodyKey}-error`,
                )}
                onChange={(e) => set(trigger, { body: e.target.value })}
              />
              <FieldError id={`${id}-${bodyKey}-error`} text={errors.fields[bodyKey]} />
            </div>
            <p className="hint" id={`${id}-${trigger}-hint`}>
              {t('billing.outreach.blankHint')}
            </p>
          </fieldset>
        );
      })}
      <FormError text={errors.form} />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t('common.saving') : t('billing.outreach.save')}
        </button>
      </div>
    </form>
  );
}
