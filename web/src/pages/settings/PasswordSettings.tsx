import { useId, useRef, useState, type FormEvent } from 'react';
import { me } from '../../api/client';
import { useCurrentAgent } from '../../auth/SessionContext';
import { FieldError, FormError, useFocusFirstInvalid } from '../../components/FieldError';
import { t } from '../../i18n';
import { describedBy, formErrorsOf, NO_ERRORS, type FormErrors } from '../../lib/fieldErrors';

type Field = 'current' | 'next' | 'confirm';

// The server's policy (agents module, PASSWORD_MIN_LENGTH); checked here to save a round trip.
const MIN_PASSWORD_LENGTH = 10;

export function PasswordSettings() {
  const id = useId();
  const { agent } = useCurrentAgent();
  const formRef = useRef<HTMLFormElement>(null);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors<Field>>(NO_ERRORS);
  const [status, setStatus] = useState('');
  useFocusFirstInvalid(formRef, errors.fields);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setStatus('');
    const problems: Partial<Record<Field, string>> = {};
    if (!current) problems.current = t('settings.currentMissing');
    if (next.length < MIN_PASSWORD_LENGTH) problems.next = t('settings.tooShort', { count: MIN_PASSWORD_LENGTH });
    else if (next !== confirm) problems.confirm = t('settings.mismatch');
    if (Object.keys(problems).length > 0) return setErrors({ fields: problems, form: null });
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await me.changePassword(current, next);
      setCurrent('');
      setNext('');
      setConfirm('');
      setStatus(t('settings.passwordChanged'));
    } catch (err) {
      setErrors(
        formErrorsOf<Field>(
          err,
          {
            current_password: { key: 'current', label: t('settings.currentPassword') },
            new_password: { key: 'next', label: t('settings.newPassword') },
          },
          (e) => (e.code === 'agent.wrong_password' ? t('settings.wrongPassword') : undefined),
        ),
      );
    } finally {
      setBusy(false);
    }
  }

  const err = (key: Field) => errors.fields[key];
  const errId = (key: Field) => `${id}-${key}-error`;
  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="panel__heading">
        {t('settings.password')}
      </h2>
      <p id={`${id}-rules`} className="hint">
        {t('settings.passwordRules', { count: MIN_PASSWORD_LENGTH })}
      </p>
      <form ref={formRef} className="form" onSubmit={submit} noValidate>
        {/* Lets password managers file the new password under the right account. */}
        <input type="text" name="username" autoComplete="username" value={agent.email} readOnly hidden />
        <div className="field">
          <label htmlFor={`${id}-current`}>{t('settings.currentPassword')}</label>
          <input
            id={`${id}-current`}
            type="password"
            autoComplete="current-password"
            required
            maxLength={200}
            value={current}
            aria-invalid={err('current') ? true : undefined}
            aria-describedby={describedBy(err('current') && errId('current'))}
            onChange={(e) => setCurrent(e.target.value)}
          />
          <FieldError id={errId('current')} text={err('current')} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-next`}>{t('settings.newPassword')}</label>
          <input
            id={`${id}-next`}
            type="password"
            autoComplete="new-password"
            required
            minLength={MIN_PASSWORD_LENGTH}
            maxLength={200}
            value={next}
            aria-invalid={err('next') ? true : undefined}
            aria-describedby={describedBy(`${id}-rules`, err('next') && errId('next'))}
            onChange={(e) => setNext(e.target.value)}
          />
          <FieldError id={errId('next')} text={err('next')} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-confirm`}>{t('settings.confirmPassword')}</label>
          <input
            id={`${id}-confirm`}
            type="password"
            autoComplete="new-password"
            required
            maxLength={200}
            value={confirm}
            aria-invalid={err('confirm') ? true : undefined}
            aria-describedby={describedBy(err('confirm') && errId('confirm'))}
            onChange={(e) => setConfirm(e.target.value)}
          />
          <FieldError id={errId('confirm')} text={err('confirm')} />
        </div>
        <FormError text={errors.form} />
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? t('common.saving') : t('settings.changePassword')}
          </button>
        </div>
        <p className="form-status" role="status">
          {status}
        </p>
      </form>
    </section>
  );
}
