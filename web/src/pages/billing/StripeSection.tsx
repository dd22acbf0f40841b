import { useId, useRef, useState, type FormEvent } from 'react';
import { billingSettings, type BillingConnectorName, type StripeSettings, type StripeSettingsChanges } from '../../api/billing';
import { CopyField } from '../../components/CopyField';
import { FieldError, FormError, useFocusFirstInvalid } from '../../components/FieldError';
import { ErrorNotice, Loading } from '../../components/Notice';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { t } from '../../i18n';
import { describedBy, formErrorsOf, NO_ERRORS, type FormErrors } from '../../lib/fieldErrors';

/** The connector choice and the Stripe credentials (write-only: only their last 4 characters come back). */
export function StripeSection() {
  const state = useApi((signal) => billingSettings.stripe(signal), []);
  return (
    <section className="panel admin-section" aria-labelledby="billing-connector-heading">
      <h2 id="billing-connector-heading" className="panel__heading">
        {t('billing.admin.connectorHeading')}
      </h2>
      {state.error !== undefined && !state.data ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : !state.data ? (
        <Loading />
      ) : (
        <>
          <ConnectorForm settings={state.data} onSaved={(s) => state.setData(s)} />
          <StripeForm key={state.data.updated_at ?? 'new'} settings={state.data} onSaved={(s) => state.setData(s)} />
        </>
      )}
    </section>
  );
}

function ConnectorForm({ settings, onSaved }: { settings: StripeSettings; onSaved: (s: StripeSettings) => void }) {
  const id = useId();
  const { notify } = useToast();
  const [connector, setConnector] = useState<BillingConnectorName>(settings.connector);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const saved = await billingSettings.saveConnector(connector);
      onSaved(saved);
      notify(t('billing.admin.connectorSaved', { connector: connectorLabel(saved.connector) }));
    } catch (err) {
      const form = formErrorsOf<'connector'>(err, { connector: { key: 'connector', label: t('billing.admin.connector') } });
      setError(form.fields.connector ?? form.form);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form" onSubmit={submit} noValidate>
      <fieldset aria-describedby={describedBy(error && `${id}-error`)}>
        <legend>{t('billing.admin.connector')}</legend>
        {(['ledger', 'stripe'] as const).map((value) => (
          <label key={value} className="checkbox billing-choice">
            <input type="radio" name={`${id}-connector`} value={value} checked={connector === value} onChange={() => setConnector(value)} />
            <span>
              {connectorLabel(value)}{' '}
              <span className="muted small">{value === 'ledger' ? t('billing.admin.ledgerHint') : t('billing.admin.stripeHint')}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <FieldError id={`${id}-error`} text={error} />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy || connector === settings.connector}>
          {t('billing.admin.saveConnector')}
        </button>
      </div>
    </form>
  );
}

function connectorLabel(connector: BillingConnectorName): string {
  return connector === 'stripe' ? t('billing.admin.connectorStripe') : t('billing.admin.connectorLedger');
}

type StripeField = 'api_key' | 'webhook_secrets' | 'api_base';

function StripeForm({ settings, onSaved }: { settings: StripeSettings; onSaved: (s: StripeSettings) => void }) {
  const id = useId();
  const { notify } = useToast();
  const formRef = useRef<HTMLFormElement>(null);
  const [apiKey, setApiKey] = useState('');
  const [removeKey, setRemoveKey] = useState(false);
  const [secrets, setSecrets] = useState('');
  const [apiBase, setApiBase] = useState(settings.api_base ?? '');
  const [errors, setErrors] = useState<FormErrors<StripeField>>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  useFocusFirstInvalid(formRef, errors.fields);

  const key = settings.api_key;
  const keyStatus = !key.set
    ? t('billing.admin.noKey')
    : !key.readable
      ? t('billing.admin.keyUnreadable')
      : t('billing.admin.keyStored', { last4: key.last4 ?? '' });

  async function submit(event: FormEvent) {
    event.preventDefault();
    const changes: StripeSettingsChanges = {};
    if (removeKey) changes.api_key = null;
    else if (apiKey.trim()) changes.api_key = apiKey.trim();
    const secretList = secrets
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean);
    if (secretList.length > 0) changes.webhook_secrets = secretList;
    if (apiBase.trim() !== (settings.api_base ?? '')) changes.api_base = apiBase.trim() || null;
    if (Object.keys(changes).length === 0) {
      notify(t('billing.admin.nothingChanged'), 'info');
      return;
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const saved = await billingSettings.saveStripe(changes);
      onSaved(saved);
      notify(t('billing.admin.stripeSaved'));
    } catch (err) {
      setErrors(
        formErrorsOf<StripeField>(err, {
          api_key: { key: 'api_key', label: t('billing.admin.apiKey') },
          webhook_secrets: { key: 'webhook_secrets', label: t('billing.admin.webhookSecrets') },
          api_base: { key: 'api_base', label: t('billing.admin.apiBase') },
        }),
      );
    } finally {
      setBusy(false);
    }
  }

  const err = (f: StripeField) => errors.fields[f];
  const errId = (f: StripeField) => `${id}-${f}-error`;

  return (
    <form ref={formRef} className="form" onSubmit={submit} noValidate>
      <h3 className="panel__subheading">{t('billing.admin.stripeHeading')}</h3>
      <CopyField label={t('billing.admin.webhookUrl')} value={settings.webhook_url} />
      <p className="hint">{t('billing.admin.webhookUrlHint')}</p>

      <div className="field">
        <label htmlFor={`${id}-api_key`}>{t('billing.admin.apiKey')}</label>
        <input
          id={`${id}-api_key`}
          type="password"
          autoComplete="new-password"
          spellCheck={false}
          maxLength={500}
          value={apiKey}
          disabled={removeKey}
          aria-invalid={err('api_key') ? true : undefined}
          aria-describedby={describedBy(`${id}-api_key-hint`, err('api_key') && errId('api_key'))}
          onChange={(e) => setApiKey(e.target.value)}
        />
        <span id={`${id}-api_key-hint`} className="hint">
          {keyStatus} {key.set ? t('billing.admin.keyKeepHint') : t('billing.admin.keyHint')}
        </span>
        <FieldError id={errId('api_key')} text={err('api_key')} />
        {key.set && (
          <label className="checkbox">
            <input type="checkbox" checked={removeKey} onChange={(e) => setRemoveKey(e.target.checked)} />
            <span>{t('billing.admin.removeKey')}</span>
          </label>
        )}
      </div>

      <div className="field">
        <label htmlFor={`${id}-webhook_secrets`}>{t('billing.admin.webhookSecrets')}</label>
        <textarea
          id={`${id}-webhook_secrets`}
          rows={2}
          spellCheck={false}
          autoComplete="off"
          value={secrets}
          aria-invalid={err('webhook_secrets') ? true : undefined}
          aria-describedby={describedBy(`${id}-webhook_secrets-hint`, err('webhook_secrets') && errId('webhook_secrets'))}
          onChange={(e) => setSecrets(e.target.value)}
        />
        <span id={`${id}-webhook_secrets-hint`} className="hint">
          {settings.webhook_secrets.length > 0
            ? t('billing.admin.secretsStored', { list: settings.webhook_secrets.map((s) => `…${s.last4}`).join(', ') })
            : t('billing.admin.noSecrets')}{' '}
          {t('billing.admin.secretsHint')}
        </span>
        <FieldError id={errId('webhook_secrets')} text={err('webhook_secrets')} />
      </div>

      <div className="field">
        <label htmlFor={`${id}-api_base`}>{t('billing.admin.apiBase')}</label>
        <input
          id={`${id}-api_base`}
          type="text"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          maxLength={300}
          value={apiBase}
          placeholder="https://api.stripe.com"
          aria-invalid={err('api_base') ? true : undefined}
          aria-describedby={describedBy(`${id}-api_base-hint`, err('api_base') && errId('api_base'))}
          onChange={(e) => setApiBase(e.target.value)}
        />
        <span id={`${id}-api_base-hint`} className="hint">
          {t('billing.admin.apiBaseHint')}
        </span>
        <FieldError id={errId('api_base')} text={err('api_base')} />
      </div>

      <FormError text={errors.form} />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t('common.saving') : t('billing.admin.saveStripe')}
        </button>
      </div>
    </form>
  );
}
