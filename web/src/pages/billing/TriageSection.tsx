import { useId, useRef, useState, type FormEvent } from 'react';
import { billingSettings, TRIAGE_SIGNALS, type TriageSettings, type TriageSignal } from '../../api/billing';
import { FieldError, FormError, useFocusFirstInvalid } from '../../components/FieldError';
import { ErrorNotice, Loading } from '../../components/Notice';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { t } from '../../i18n';
import { describedBy, formErrorsOf, NO_ERRORS, type FormErrors } from '../../lib/fieldErrors';
import { useDirectory } from '../../shell/DirectoryContext';

/** Billing-aware triage: new cases of customers with a billing signal get tags and, if set, a team and queue. */
export function TriageSection() {
  const state = useApi((signal) => billingSettings.triage(signal), []);
  return (
    <section className="panel admin-section" aria-labelledby="billing-triage-heading">
      <h2 id="billing-triage-heading" className="panel__heading">
        {t('billing.triageAdmin.heading')}
      </h2>
      {state.error !== undefined && !state.data ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : !state.data ? (
        <Loading />
      ) : (
        <TriageForm initial={state.data} onSaved={(saved) => state.setData(saved)} />
      )}
    </section>
  );
}

type Field = 'failed_payment_days' | 'refund_days' | `${TriageSignal}_team` | `${TriageSignal}_queue`;

const SIGNAL_LABEL = {
  failed_payment: 'billing.triageAdmin.failedPayment',
  open_dispute: 'billing.triageAdmin.openDispute',
  recent_refund: 'billing.triageAdmin.recentRefund',
} as const;

interface Draft {
  enabled: boolean;
  failed_payment_days: string;
  refund_days: string;
  routes: Record<TriageSignal, { team_id: string; queue_id: string }>;
}

function draftOf(s: TriageSettings): Draft {
  const route = (signal: TriageSignal) => ({ team_id: s.routes[signal]?.team_id ?? '', queue_id: s.routes[signal]?.queue_id ?? '' });
  return {
    enabled: s.enabled,
    failed_payment_days: String(s.failed_payment_days),
    refund_days: String(s.refund_days),
    routes: { failed_payment: route('failed_payment'), open_dispute: route('open_dispute'), recent_refund: route('recent_refund') },
  };
}

function TriageForm({ initial, onSaved }: { initial: TriageSettings; onSaved: (saved: TriageSettings) => void }) {
  const id = useId();
  const { teams } = useDirectory();
  const { notify } = useToast();
  const formRef = useRef<HTMLFormElement>(null);
  const [draft, setDraft] = useState<Draft>(() => draftOf(initial));
  const [errors, setErrors] = useState<FormErrors<Field>>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  useFocusFirstInvalid(formRef, errors.fields);

  const setRoute = (signal: TriageSignal, changes: Partial<Draft['routes'][TriageSignal]>) =>
    setDraft((d) => ({ ...d, routes: { ...d.routes, [signal]: { ...d.routes[signal], ...changes } } }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problems: Partial<Record<Field, string>> = {};
    const days = (value: string) => (/^\d{1,3}$/.test(value.trim()) && Number(value) >= 1 && Number(value) <= 365 ? Number(value) : null);
    const failedDays = days(draft.failed_payment_days);
    const refundDays = days(draft.refund_days);
    if (failedDays === null) problems.failed_payment_days = t('billing.triageAdmin.daysInvalid');
    if (refundDays === null) problems.refund_days = t('billing.triageAdmin.daysInvalid');
    if (failedDays === null || refundDays === null) return setErrors({ fields: problems, form: null });

    const routes: TriageSettings['routes'] = {};
    for (const signal of TRIAGE_SIGNALS) {
      const route = draft.routes[signal];
      if (route.team_id) routes[signal] = { team_id: route.team_id, queue_id: route.queue_id || null };
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const saved = await billingSettings.saveTriage({
        enabled: draft.enabled,
        failed_payment_days: failedDays,
        refund_days: refundDays,
        routes,
      });
      onSaved(saved);
      setDraft(draftOf(saved));
      notify(t('billing.triageAdmin.saved'));
    } catch (err) {
      const fields: Record<string, { key: Field; label: string }> = {
        failed_payment_days: { key: 'failed_payment_days', label: t('billing.triageAdmin.failedPaymentDays') },
        refund_days: { key: 'refund_days', label: t('billing.triageAdmin.refundDays') },
      };
      for (const signal of TRIAGE_SIGNALS) {
        fields[`routes.${signal}.team_id`] = { key: `${signal}_team`, label: t('billing.triageAdmin.team') };
        fields[`routes.${signal}.queue_id`] = { key: `${signal}_queue`, label: t('billing.triageAdmin.queue') };
        fields[`routes.${signal}`] = { key: `${signal}_team`, label: t('billing.triageAdmin.team') };
      }
      setErrors(formErrorsOf<Field>(err, fields));
    } finally {
      setBusy(false);
    }
  }

  const dayField = (key: 'failed_payment_days' | 'refund_days', label: string) => (
    <div className="field">
      <label htmlFor={`${id}-${key}`}>{label}</label>
      <input
        id={`${id}-${key}`}
        type="number"
        min={1}
        max={365}
        value={draft[key]}
        aria-invalid={errors.fields[key] ? true : undefined}
        aria-describedby={describedBy(errors.fields[key] && `${id}-${key}-error`)}
        onChange={(e) => setDraft((d) => ({ ...d, [key]: e.target.value }))}
      />
      <FieldError id={`${id}-${key}-error`} text={errors.fields[key]} />
    </div>
  );

  return (
    <form ref={formRef} className="form" onSubmit={submit} noValidate>
      <p className="hint">{t('billing.triageAdmin.intro')}</p>
      <label className="checkbox">
        <input type="checkbox" checked={draft.enabled} onChange={(e) => setDraft((d) => ({ ...d, enabled: e.target.checked }))} />
        <span>{t('billing.triageAdmin.enabled')}</span>
      </label>
      <div className="form-grid">
        {dayField('failed_payment_days', t('billing.triageAdmin.failedPaymentDays'))}
        {dayField('refund_days', t('billing.triageAdmin.refundDays'))}
      </div>
      {TRIAGE_SIGNALS.map((signal) => {
        const route = draft.routes[signal];
        const team = teams.find((tm) => tm.id === route.team_id);
        const teamKey: Field = `${signal}_team`;
        const queueKey: Field = `${signal}_queue`;
        return (
          <fieldset key={signal}>
            <legend>{t(SIGNAL_LABEL[signal])}</legend>
            <div className="form-grid">
              <div className="field">
                <label htmlFor={`${id}-${teamKey}`}>{t('billing.triageAdmin.team')}</label>
                <select
                  id={`${id}-${teamKey}`}
                  value={route.team_id}
                  aria-invalid={errors.fields[teamKey] ? true : undefined}
                  aria-describedby={describedBy(errors.fields[teamKey] && `${id}-${teamKey}-error`)}
                  onChange={(e) => setRoute(signal, { team_id: e.target.value, queue_id: '' })}
                >
                  <option value="">{t('billing.triageAdmin.noRoute')}</option>
                  {route.team_id && !team && <option value={route.team_id}>{t('mailboxes.unknownTeam')}</option>}
                  {teams.map((tm) => (
                    <option key={tm.id} value={tm.id}>
                      {tm.name}
                    </option>
                  ))}
                </select>
                <FieldError id={`${id}-${teamKey}-error`} text={errors.fields[teamKey]} />
              </div>
              <div className="field">
                <label htmlFor={`${id}-${queueKey}`}>{t('billing.triageAdmin.queue')}</label>
                <select
                  id={`${id}-${queueKey}`}
                  value={route.queue_id}
                  disabled={!route.team_id}
                  aria-invalid={errors.fields[queueKey] ? true : undefined}
                  aria-describedby={describedBy(errors.fields[queueKey] && `${id}-${queueKey}-error`)}
                  onChange={(e) => setRoute(signal, { queue_id: e.target.value })}
                >
                  <option value="">{t('billing.triageAdmin.noQueue')}</option>
                  {route.queue_id && !team?.queues.some((q) => q.id === route.queue_id) && (
                    <option value={route.queue_id}>{t('case.otherQueue')}</option>
                  )}
                  {(team?.queues ?? []).map((q) => (
                    <option key={q.id} value={q.id}>
                      {q.name}
                    </option>
                  ))}
                </select>
                <FieldError id={`${id}-${queueKey}-error`} text={errors.fields[queueKey]} />
              </div>
            </div>
          </fieldset>
        );
      })}
      <FormError text={errors.form} />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t('common.saving') : t('billing.triageAdmin.save')}
        </button>
      </div>
    </form>
  );
}
