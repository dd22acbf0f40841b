import { useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { me } from '../../api/client';
import type { MeChanges } from '../../api/types';
import { useCurrentAgent, useSession } from '../../auth/SessionContext';
import { FieldError, FormError, useFocusFirstInvalid } from '../../components/FieldError';
import { hasCatalog, t } from '../../i18n';
import { describedBy, formErrorsOf, NO_ERRORS, type FormErrors } from '../../lib/fieldErrors';

type Field = 'name' | 'locale';

/** Languages offered for the account (BCP 47); the agent's current one is added when missing. */
const LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'pl', 'sv', 'da', 'fi', 'nb', 'cs', 'tr', 'ja', 'zh', 'ko'];

/** A language's name in that language ("Deutsch"), so everyone finds their own. */
function nativeName(tag: string): string {
  try {
    return new Intl.DisplayNames([tag], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

export function ProfileSettings() {
  const id = useId();
  const { agent } = useCurrentAgent();
  const { updateAgent } = useSession();
  const formRef = useRef<HTMLFormElement>(null);
  const savedLocale = agent.locale || 'en';
  const [name, setName] = useState(agent.name);
  const [locale, setLocale] = useState(savedLocale);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors<Field>>(NO_ERRORS);
  const [status, setStatus] = useState('');
  useFocusFirstInvalid(formRef, errors.fields);

  const languages = useMemo(() => {
    const tags = LANGUAGES.includes(savedLocale) ? LANGUAGES : [savedLocale, ...LANGUAGES];
    return tags.map((tag) => ({ tag, name: nativeName(tag) }));
  }, [savedLocale]);

  const changes: MeChanges = {};
  if (name.trim() !== agent.name) changes.name = name.trim();
  if (locale !== savedLocale) changes.locale = locale;
  const dirty = Object.keys(changes).length > 0;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setStatus('');
    if (!name.trim()) return setErrors({ fields: { name: t('settings.nameMissing') }, form: null });
    if (!dirty) return;
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const updated = await me.update(changes);
      updateAgent({ name: updated.name, locale: updated.locale });
      setName(updated.name);
      setStatus(t('settings.profileSaved'));
    } catch (err) {
      setErrors(
        formErrorsOf<Field>(err, {
          name: { key: 'name', label: t('settings.name') },
          locale: { key: 'locale', label: t('settings.language') },
        }),
      );
    } finally {
      setBusy(false);
    }
  }

  const err = (key: Field) => errors.fields[key];
  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="panel__heading">
        {t('settings.profile')}
      </h2>
      <form ref={formRef} className="form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={`${id}-name`}>{t('settings.name')}</label>
          <input
            id={`${id}-name`}
            type="text"
            autoComplete="name"
            required
            maxLength={200}
            value={name}
            aria-invalid={err('name') ? true : undefined}
            aria-describedby={describedBy(err('name') && `${id}-name-error`)}
            onChange={(e) => setName(e.target.value)}
          />
          <FieldError id={`${id}-name-error`} text={err('name')} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-locale`}>{t('settings.language')}</label>
          <select
            id={`${id}-locale`}
            value={locale}
            aria-invalid={err('locale') ? true : undefined}
            aria-describedby={describedBy(`${id}-locale-hint`, err('locale') && `${id}-locale-error`)}
            onChange={(e) => setLocale(e.target.value)}
          >
            {languages.map((l) => (
              <option key={l.tag} value={l.tag} lang={l.tag}>
                {l.name}
              </option>
            ))}
          </select>
          <span id={`${id}-locale-hint`} className="hint">
            {hasCatalog(locale) ? t('settings.languageHint') : t('settings.languageFallback')}
          </span>
          <FieldError id={`${id}-locale-error`} text={err('locale')} />
        </div>
        <FormError text={errors.form} />
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy || !dirty}>
            {busy ? t('common.saving') : t('settings.saveProfile')}
          </button>
        </div>
        <p className="form-status" role="status">
          {status}
        </p>
      </form>
    </section>
  );
}
