import { useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { CORRESPONDENCE_FORMATS, PREFERRED_CHANNELS, type Customer, type CustomerChanges } from '../../api/types';
import { FieldError, FormError, useFocusFirstInvalid } from '../../components/FieldError';
import { TagEditor } from '../../components/TagEditor';
import { useDraft } from '../../hooks/useDraft';
import { channelLabel, formatLabel, t } from '../../i18n';
import { describedBy, formErrorsOf, NO_ERRORS, type FormErrors } from '../../lib/fieldErrors';
import type { SaveCustomer } from './saving';

type Draft = Required<
  Pick<
    CustomerChanges,
    'name' | 'organization' | 'notes' | 'tags' | 'tier' | 'language' | 'time_zone' | 'preferred_channel' | 'correspondence_format'
  >
>;
type Field = 'name' | 'organization' | 'notes' | 'tags' | 'tier' | 'language' | 'time_zone';

function draftOf(c: Customer): Draft {
  return {
    name: c.name,
    organization: c.organization,
    notes: c.notes,
    tags: c.tags,
    tier: c.tier ?? null,
    language: c.language,
    time_zone: c.time_zone,
    preferred_channel: c.preferred_channel,
    correspondence_format: c.correspondence_format,
  };
}

function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

interface ProfileFormProps {
  customer: Customer;
  onSave: SaveCustomer;
}

export function ProfileForm({ customer, onSave }: ProfileFormProps) {
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const { draft, set, reset, changed } = useDraft<Draft>(draftOf(customer));
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors<Field>>(NO_ERRORS);
  const zones = useMemo(timeZones, []);
  const dirty = Object.keys(changed).length > 0;
  const readOnly = Boolean(customer.merged_into_id);
  useFocusFirstInvalid(formRef, errors.fields);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!dirty) return;
    setBusy(true);
    setErrors(NO_ERRORS);
    const result = await onSave(changed);
    setBusy(false);
    if (!result.ok && result.error !== undefined) {
      const field = (key: Field, label: string) => ({ key, label });
      setErrors(
        formErrorsOf<Field>(result.error, {
          name: field('name', t('customer.name')),
          organization: field('organization', t('customer.organization')),
          notes: field('notes', t('customer.notes')),
          tags: field('tags', t('customer.tags')),
          tier: field('tier', t('customer.tier')),
          language: field('language', t('customer.language')),
          time_zone: field('time_zone', t('customer.timeZone')),
        }),
      );
    }
  }

  const err = (key: Field) => errors.fields[key];
  const errId = (key: Field) => `${id}-${key}-error`;

  return (
    <form ref={formRef} className="form profile-form" onSubmit={submit} aria-labelledby={`${id}-heading`} noValidate>
      <h2 id={`${id}-heading`} className="panel__heading">
        {t('customer.profile')}
      </h2>
      <fieldset disabled={readOnly}>
        <div className="form-grid">
          <div className="field">
            <label htmlFor="customer-name">{t('customer.name')}</label>
            <input
              id="customer-name"
              type="text"
              maxLength={200}
              value={draft.name}
              aria-invalid={err('name') ? true : undefined}
              aria-describedby={describedBy(err('name') && errId('name'))}
              onChange={(e) => set('name', e.target.value)}
            />
            <FieldError id={errId('name')} text={err('name')} />
          </div>
          <div className="field">
            <label htmlFor="customer-organization">{t('customer.organization')}</label>
            <input
              id="customer-organization"
              type="text"
              maxLength={200}
              value={draft.organization}
              aria-invalid={err('organization') ? true : undefined}
              aria-describedby={describedBy(err('organization') && errId('organization'))}
              onChange={(e) => set('organization', e.target.value)}
            />
            <FieldError id={errId('organization')} text={err('organization')} />
          </div>
          <div className="field">
            <label htmlFor="customer-language">{t('customer.language')}</label>
            <input
              id="customer-language"
              type="text"
              maxLength={35}
              value={draft.language}
              aria-invalid={err('language') ? true : undefined}
              aria-describedby={describedBy('customer-language-hint', err('language') && errId('language'))}
              onChange={(e) => set('language', e.target.value)}
            />
            <span id="customer-language-hint" className="hint">
              {t('customer.languageHint')}
            </span>
            <FieldError id={errId('language')} text={err('language')} />
          </div>
          <div className="field">
            <label htmlFor="customer-timezone">{t('customer.timeZone')}</label>
            <input
              id="customer-timezone"
              type="text"
              maxLength={64}
              list={`${id}-zones`}
              value={draft.time_zone}
              aria-invalid={err('time_zone') ? true : undefined}
              aria-describedby={describedBy('customer-timezone-hint', err('time_zone') && errId('time_zone'))}
              onChange={(e) => set('time_zone', e.target.value)}
            />
            <datalist id={`${id}-zones`}>
              {zones.map((zone) => (
                <option key={zone} value={zone} />
              ))}
            </datalist>
            <span id="customer-timezone-hint" className="hint">
              {t('customer.timeZoneHint')}
            </span>
            <FieldError id={errId('time_zone')} text={err('time_zone')} />
          </div>
          <div className="field">
            <label htmlFor="customer-channel">{t('customer.preferredChannel')}</label>
            <select
              id="customer-channel"
              value={draft.preferred_channel}
              onChange={(e) => set('preferred_channel', e.target.value as Draft['preferred_channel'])}
            >
              {PREFERRED_CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {channelLabel(c)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="customer-format">{t('customer.format')}</label>
            <select
              id="customer-format"
              value={draft.correspondence_format}
              onChange={(e) => set('correspondence_format', e.target.value as Draft['correspondence_format'])}
            >
              {CORRESPONDENCE_FORMATS.map((f) => (
                <option key={f} value={f}>
                  {formatLabel(f)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="field">
          <span className="field__label">{t('customer.tags')}</span>
          <TagEditor tags={draft.tags} label={t('customer.addTag')} onChange={(tags) => set('tags', tags)} />
          <FieldError id={errId('tags')} text={err('tags')} />
        </div>
        <div className="field">
          <label htmlFor="customer-tier">{t('customer.tier')}</label>
          <input
            id="customer-tier"
            type="text"
            maxLength={40}
            autoComplete="off"
            spellCheck={false}
            value={draft.tier ?? ''}
            aria-invalid={err('tier') ? true : undefined}
            aria-describedby={describedBy('customer-tier-hint', err('tier') && errId('tier'))}
            onChange={(e) => set('tier', e.target.value.trim() === '' ? null : e.target.value)}
          />
          <span id="customer-tier-hint" className="hint">
            {t('customer.tierHint')}
          </span>
          <FieldError id={errId('tier')} text={err('tier')} />
        </div>
        <div className="field">
          <label htmlFor="customer-notes">{t('customer.notes')}</label>
          <textarea
            id="customer-notes"
            rows={5}
            maxLength={20000}
            value={draft.notes}
            aria-invalid={err('notes') ? true : undefined}
            aria-describedby={describedBy(err('notes') && errId('notes'))}
            onChange={(e) => set('notes', e.target.value)}
          />
          <FieldError id={errId('notes')} text={err('notes')} />
        </div>
        <FormError text={errors.form} />
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy || !dirty}>
            {busy ? t('common.saving') : t('customer.save')}
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
            {t('customer.discard')}
          </button>
        </div>
      </fieldset>
    </form>
  );
}
