import { useId, useMemo, useRef, useState, type FormEvent } from 'react';
import type { Customer, PostalAddress } from '../../api/types';
import { FieldError, FormError, useFocusFirstInvalid } from '../../components/FieldError';
import { useToast } from '../../components/Toasts';
import { useDraft } from '../../hooks/useDraft';
import { getLocale, t, type MessageKey } from '../../i18n';
import { describedBy, formErrorsOf, NO_ERRORS, type FormErrors } from '../../lib/fieldErrors';
import type { SaveCustomer } from './saving';

type Field = 'line1' | 'line2' | 'city' | 'region' | 'postal_code' | 'country';
type Draft = Record<Field, string>;

const FIELDS: { key: Field; label: MessageKey; required: boolean; maxLength: number }[] = [
  { key: 'line1', label: 'address.line1', required: true, maxLength: 200 },
  { key: 'line2', label: 'address.line2', required: false, maxLength: 200 },
  { key: 'postal_code', label: 'address.postalCode', required: true, maxLength: 20 },
  { key: 'city', label: 'address.city', required: true, maxLength: 100 },
  { key: 'region', label: 'address.region', required: false, maxLength: 100 },
];

// Two-letter region codes that are not ISO 3166-1 countries (as the server refuses them).
const NOT_COUNTRIES = new Set(['AC', 'CP', 'DG', 'EA', 'EU', 'EZ', 'IC', 'QO', 'TA', 'UN', 'XA', 'XB', 'ZZ']);

/** ISO 3166-1 alpha-2 countries with their names in the app's language, sorted by name. */
function countries(locale: string): { code: string; name: string }[] {
  const names = new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' });
  const list: { code: string; name: string }[] = [];
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      if (NOT_COUNTRIES.has(code)) continue;
      const name = names.of(code);
      if (name && name !== code) list.push({ code, name });
    }
  }
  return list.sort((x, y) => x.name.localeCompare(y.name, locale));
}

function draftOf(address: PostalAddress | null): Draft {
  return {
    line1: address?.line1 ?? '',
    line2: address?.line2 ?? '',
    city: address?.city ?? '',
    region: address?.region ?? '',
    postal_code: address?.postal_code ?? '',
    country: address?.country ?? '',
  };
}

/** The address to send: null when every field is empty (the address is removed). */
function addressOf(draft: Draft): PostalAddress | null {
  const v = (key: Field) => draft[key].trim();
  if ((Object.keys(draft) as Field[]).every((key) => v(key) === '')) return null;
  return {
    line1: v('line1'),
    ...(v('line2') ? { line2: v('line2') } : {}),
    city: v('city'),
    ...(v('region') ? { region: v('region') } : {}),
    postal_code: v('postal_code'),
    country: v('country'),
  };
}

export function AddressForm({ customer, onSave }: { customer: Customer; onSave: SaveCustomer }) {
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const { notify } = useToast();
  const { draft, set, reset, changed } = useDraft<Draft>(draftOf(customer.postal_address));
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors<Field>>(NO_ERRORS);
  const countryList = useMemo(() => countries(getLocale()), []);
  const dirty = Object.keys(changed).length > 0;
  const readOnly = Boolean(customer.merged_into_id);
  useFocusFirstInvalid(formRef, errors.fields);

  const labelOf = (key: Field) => t(key === 'country' ? 'address.country' : FIELDS.find((f) => f.key === key)!.label);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!dirty) return;
    const address = addressOf(draft);
    if (address) {
      const missing: Partial<Record<Field, string>> = {};
      for (const key of ['line1', 'postal_code', 'city', 'country'] as const) {
        if (!address[key]) missing[key] = t('form.required', { label: labelOf(key) });
      }
      if (Object.keys(missing).length > 0) return setErrors({ fields: missing, form: null });
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    const result = await onSave({ postal_address: address });
    setBusy(false);
    if (result.ok) {
      notify(address ? t('address.saved') : t('address.removed'));
    } else if (result.error !== undefined) {
      const fields: Record<string, { key: Field; label: string }> = {};
      for (const key of [...FIELDS.map((f) => f.key), 'country' as const]) fields[`postal_address.${key}`] = { key, label: labelOf(key) };
      setErrors(formErrorsOf<Field>(result.error, fields));
    }
  }

  const err = (key: Field) => errors.fields[key];
  const errId = (key: Field) => `${id}-${key}-error`;
  const inputId = (key: Field) => `${id}-${key}`;

  return (
    <form ref={formRef} className="form" onSubmit={submit} aria-labelledby={`${id}-heading`} aria-describedby={`${id}-hint`} noValidate>
      <h2 id={`${id}-heading`} className="panel__heading">
        {t('address.heading')}
      </h2>
      <p id={`${id}-hint`} className="hint">
        {t('address.hint')}
      </p>
      <fieldset disabled={readOnly}>
        <div className="form-grid">
          {FIELDS.map((f) => (
            <div key={f.key} className={`field ${f.key === 'line1' || f.key === 'line2' ? 'field--wide' : ''}`}>
              <label htmlFor={inputId(f.key)}>{t(f.label)}</label>
              <input
                id={inputId(f.key)}
                type="text"
                autoComplete="off"
                maxLength={f.maxLength}
                value={draft[f.key]}
                aria-invalid={err(f.key) ? true : undefined}
                aria-describedby={describedBy(err(f.key) && errId(f.key))}
                onChange={(e) => set(f.key, e.target.value)}
              />
              <FieldError id={errId(f.key)} text={err(f.key)} />
            </div>
          ))}
          <div className="field">
            <label htmlFor={inputId('country')}>{t('address.country')}</label>
            <select
              id={inputId('country')}
              value={draft.country}
              aria-invalid={err('country') ? true : undefined}
              aria-describedby={describedBy(err('country') && errId('country'))}
              onChange={(e) => set('country', e.target.value)}
            >
              <option value="">{t('address.noCountry')}</option>
              {/* A stored code this browser cannot name still shows, so saving never changes it silently. */}
              {draft.country && !countryList.some((c) => c.code === draft.country) && (
                <option value={draft.country}>{draft.country}</option>
              )}
              {countryList.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.name}
                </option>
              ))}
            </select>
            <FieldError id={errId('country')} text={err('country')} />
          </div>
        </div>
        <FormError text={errors.form} />
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy || !dirty}>
            {busy ? t('common.saving') : t('address.save')}
          </button>
          <button
            type="button"
            className="button"
            disabled={busy || !dirty}
            onClick={() => {
              reset();
              setErrors(NO_ERRORS);
            }}
          >
            {t('address.discard')}
          </button>
        </div>
      </fieldset>
    </form>
  );
}
