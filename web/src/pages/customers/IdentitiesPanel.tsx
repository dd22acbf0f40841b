import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { customers as customersApi } from '../../api/client';
import { isApiError } from '../../api/http';
import type { Customer, CustomerIdentity, IdentityKind } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { FieldError, FormError, useFocusFirstInvalid } from '../../components/FieldError';
import { errorText } from '../../components/Notice';
import { useToast } from '../../components/Toasts';
import { t } from '../../i18n';
import { describedBy, formErrorsOf, NO_ERRORS, type FormErrors } from '../../lib/fieldErrors';

interface IdentitiesPanelProps {
  customer: Customer;
  /** Every change answers the whole customer with its new version. */
  onChanged: (customer: Customer) => void;
}

/** The customer's email addresses and phone numbers: add, remove, choose the primary one. */
export function IdentitiesPanel({ customer, onChanged }: IdentitiesPanelProps) {
  const id = useId();
  const { notify } = useToast();
  const readOnly = Boolean(customer.merged_into_id);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [removing, setRemoving] = useState<{ identity: CustomerIdentity; kind: IdentityKind } | null>(null);
  const rows = useRef(new Map<string, HTMLLIElement>());
  const headings = useRef<Partial<Record<IdentityKind, HTMLHeadingElement | null>>>({});
  const focusAfterDialog = useRef<HTMLElement | null>(null);

  // After a removal the dialog hands focus back to a button that no longer exists; the list's heading takes it.
  useEffect(() => {
    if (removing || !focusAfterDialog.current) return;
    focusAfterDialog.current.focus();
    focusAfterDialog.current = null;
  }, [removing]);

  async function makePrimary(identity: CustomerIdentity) {
    setBusyId(identity.id);
    try {
      const updated = await customersApi.makePrimary(customer.id, identity.id);
      // The button goes away with the change: keep the agent's place on the row.
      rows.current.get(identity.id)?.focus();
      onChanged(updated);
      notify(t('identity.primaryDone', { value: identity.value }));
    } catch (err) {
      notify(errorText(err), 'error');
    } finally {
      setBusyId(null);
    }
  }

  const list = (kind: IdentityKind, items: CustomerIdentity[]) => (
    <>
      <h3
        className="panel__subheading"
        tabIndex={-1}
        ref={(el) => {
          headings.current[kind] = el;
        }}
      >
        {kind === 'email' ? t('customer.emails') : t('customer.phones')}
      </h3>
      {items.length === 0 ? (
        <p className="muted small">{kind === 'email' ? t('customer.noEmails') : t('customer.noPhones')}</p>
      ) : (
        <ul className="identity-list">
          {items.map((item) => (
            <li
              key={item.id}
              className="identity"
              data-testid="identity"
              data-primary={item.is_primary}
              tabIndex={-1}
              ref={(el) => {
                if (el) rows.current.set(item.id, el);
                else rows.current.delete(item.id);
              }}
            >
              <span className="identity__value break">{item.value}</span>
              {item.is_primary && <span className="badge badge--neutral">{t('customer.primary')}</span>}
              {item.undeliverable && <span className="badge badge--warning">{t('customer.undeliverable')}</span>}
              {!readOnly && (
                <span className="identity__actions">
                  {!item.is_primary && (
                    <button
                      type="button"
                      className="button button--small"
                      disabled={busyId !== null}
                      onClick={() => void makePrimary(item)}
                    >
                      {t('identity.makePrimary')}
                      <span className="visually-hidden"> {item.value}</span>
                    </button>
                  )}
                  <button
                    type="button"
                    className="button button--small button--danger-quiet"
                    disabled={busyId !== null}
                    onClick={() => setRemoving({ identity: item, kind })}
                  >
                    {t('identity.remove')}
                    <span className="visually-hidden"> {item.value}</span>
                  </button>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );

  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="panel__heading">
        {t('customer.identities')}
      </h2>
      {list('email', customer.emails)}
      {list('phone', customer.phones)}
      {!readOnly && <AddIdentityForm customer={customer} onChanged={onChanged} />}

      <ConfirmDialog
        open={removing !== null}
        title={removing?.kind === 'phone' ? t('identity.removePhoneTitle') : t('identity.removeEmailTitle')}
        confirmLabel={t('identity.remove')}
        danger
        onClose={() => setRemoving(null)}
        onConfirm={async () => {
          if (!removing) return;
          const updated = await customersApi.removeIdentity(customer.id, removing.identity.id);
          focusAfterDialog.current = headings.current[removing.kind] ?? null;
          onChanged(updated);
          notify(t('identity.removed', { value: removing.identity.value }));
        }}
      >
        {removing && (
          <p>
            {t('identity.removeBody', { value: removing.identity.value })}
            {removing.identity.is_primary && ` ${t('identity.removePrimaryBody')}`}
          </p>
        )}
      </ConfirmDialog>
    </section>
  );
}

function AddIdentityForm({ customer, onChanged }: IdentitiesPanelProps) {
  const id = useId();
  const { notify } = useToast();
  const formRef = useRef<HTMLFormElement>(null);
  const [kind, setKind] = useState<IdentityKind>('email');
  const [value, setValue] = useState('');
  const [primary, setPrimary] = useState(false);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors<'value'>>(NO_ERRORS);
  // When the address belongs to someone else, the agent may want to look at (or merge) that customer.
  const [owner, setOwner] = useState<string | null>(null);
  useFocusFirstInvalid(formRef, errors.fields);

  const email = kind === 'email';
  const valueLabel = email ? t('identity.newEmail') : t('identity.newPhone');

  async function submit(event: FormEvent) {
    event.preventDefault();
    const text = value.trim();
    setOwner(null);
    if (!text) return setErrors({ fields: { value: email ? t('identity.emailMissing') : t('identity.phoneMissing') }, form: null });
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const updated = await customersApi.addIdentity(customer.id, { kind, value: text, ...(primary ? { is_primary: true } : {}) });
      onChanged(updated);
      setValue('');
      setPrimary(false);
      notify(t('identity.added', { value: text }));
    } catch (err) {
      const taken = isApiError(err) && err.code === 'customer.identity_taken';
      const details = (isApiError(err) ? err.details : null) as { value?: unknown; customer_id?: unknown } | null;
      const takenValue = typeof details?.value === 'string' ? details.value : text;
      const ownerId = typeof details?.customer_id === 'string' ? details.customer_id : null;
      setErrors(
        formErrorsOf(err, { value: { key: 'value', label: email ? t('identity.email') : t('identity.phone') } }, () => {
          if (!taken) return undefined;
          if (ownerId === customer.id) return t('identity.alreadyHere', { value: takenValue });
          return email ? t('identity.takenEmail', { value: takenValue }) : t('identity.takenPhone', { value: takenValue });
        }),
      );
      if (taken && ownerId && ownerId !== customer.id) setOwner(ownerId);
    } finally {
      setBusy(false);
    }
  }

  const error = errors.fields.value;
  return (
    <form ref={formRef} className="form identity-form" onSubmit={submit} aria-labelledby={`${id}-heading`} noValidate>
      <h3 id={`${id}-heading`} className="panel__subheading">
        {t('identity.addHeading')}
      </h3>
      <div className="field">
        <label htmlFor={`${id}-kind`}>{t('identity.kind')}</label>
        <select
          id={`${id}-kind`}
          value={kind}
          onChange={(e) => {
            setKind(e.target.value as IdentityKind);
            setErrors(NO_ERRORS);
            setOwner(null);
          }}
        >
          <option value="email">{t('identity.email')}</option>
          <option value="phone">{t('identity.phone')}</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-value`}>{valueLabel}</label>
        <input
          id={`${id}-value`}
          type={email ? 'email' : 'tel'}
          autoComplete="off"
          maxLength={email ? 254 : 40}
          value={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(!email && `${id}-hint`, error && `${id}-error`)}
          onChange={(e) => setValue(e.target.value)}
        />
        {!email && (
          <span id={`${id}-hint`} className="hint">
            {t('identity.phoneHint')}
          </span>
        )}
        <FieldError id={`${id}-error`} text={error} />
        {owner && (
          <p className="small">
            <Link to={`/customers/${owner}`}>{t('identity.openOwner')}</Link>
          </p>
        )}
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={primary} onChange={(e) => setPrimary(e.target.checked)} />
        <span>{email ? t('identity.primaryEmail') : t('identity.primaryPhone')}</span>
      </label>
      <FormError text={errors.form} />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {email ? t('identity.addEmail') : t('identity.addPhone')}
        </button>
      </div>
    </form>
  );
}
