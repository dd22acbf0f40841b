import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { CORRESPONDENCE_FORMATS, PREFERRED_CHANNELS, type Customer, type CustomerChanges } from '../../api/types';
import { TagEditor } from '../../components/TagEditor';
import { channelLabel, formatLabel, t } from '../../i18n';

type Draft = Required<
  Pick<
    CustomerChanges,
    'name' | 'organization' | 'notes' | 'tags' | 'language' | 'time_zone' | 'preferred_channel' | 'correspondence_format'
  >
>;

function draftOf(c: Customer): Draft {
  return {
    name: c.name,
    organization: c.organization,
    notes: c.notes,
    tags: c.tags,
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
  /** Resolves true when saved. */
  onSave: (changes: CustomerChanges) => Promise<boolean>;
}

export function ProfileForm({ customer, onSave }: ProfileFormProps) {
  const id = useId();
  const [draft, setDraft] = useState<Draft>(() => draftOf(customer));
  const [busy, setBusy] = useState(false);
  const zones = useMemo(timeZones, []);

  // A newer version from the server (after saving or a conflict) replaces the form.
  useEffect(() => setDraft(draftOf(customer)), [customer]);

  const original = draftOf(customer);
  const changes: CustomerChanges = {};
  for (const key of Object.keys(draft) as (keyof Draft)[]) {
    const a = draft[key];
    const b = original[key];
    if (Array.isArray(a) ? a.join('\u0000') !== (b as string[]).join('\u0000') : a !== b) (changes as Record<string, unknown>)[key] = a;
  }
  const dirty = Object.keys(changes).length > 0;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!dirty) return;
    setBusy(true);
    await onSave(changes);
    setBusy(false);
  }

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  return (
    <form className="form profile-form" onSubmit={submit} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="panel__heading">
        {t('customer.profile')}
      </h2>
      <div className="form-grid">
        <div className="field">
          <label htmlFor="customer-name">{t('customer.name')}</label>
          <input id="customer-name" type="text" maxLength={200} value={draft.name} onChange={(e) => set('name', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="customer-organization">{t('customer.organization')}</label>
          <input
            id="customer-organization"
            type="text"
            maxLength={200}
            value={draft.organization}
            onChange={(e) => set('organization', e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="customer-language">{t('customer.language')}</label>
          <input
            id="customer-language"
            type="text"
            maxLength={35}
            value={draft.language}
            aria-describedby="customer-language-hint"
            onChange={(e) => set('language', e.target.value)}
          />
          <span id="customer-language-hint" className="hint">
            {t('customer.languageHint')}
          </span>
        </div>
        <div className="field">
          <label htmlFor="customer-timezone">{t('customer.timeZone')}</label>
          <input
            id="customer-timezone"
            type="text"
            maxLength={64}
            list={`${id}-zones`}
            value={draft.time_zone}
            aria-describedby="customer-timezone-hint"
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
      </div>
      <div className="field">
        <label htmlFor="customer-notes">{t('customer.notes')}</label>
        <textarea id="customer-notes" rows={5} maxLength={20000} value={draft.notes} onChange={(e) => set('notes', e.target.value)} />
      </div>
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy || !dirty}>
          {busy ? t('common.saving') : t('customer.save')}
        </button>
        <button type="button" className="button" disabled={busy || !dirty} onClick={() => setDraft(draftOf(customer))}>
          {t('customer.discard')}
        </button>
      </div>
    </form>
  );
}
