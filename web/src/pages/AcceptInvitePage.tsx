import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { auth } from '../api/client';
import type { Session } from '../api/types';
import { useSession } from '../auth/SessionContext';
import { errorText } from '../components/Notice';
import { PageHeading } from '../components/PageHeading';
import { t } from '../i18n';

// The server enforces its own policy; this only catches the obvious before a round trip.
const MIN_PASSWORD_LENGTH = 10;

function isSession(value: unknown): value is Session {
  return Boolean(value && typeof value === 'object' && 'agent' in value && 'csrf_token' in value);
}

export function AcceptInvitePage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const { signIn } = useSession();
  const navigate = useNavigate();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    if (password.length < MIN_PASSWORD_LENGTH) return setError(t('invite.tooShort', { count: MIN_PASSWORD_LENGTH }));
    if (password !== confirm) return setError(t('invite.mismatch'));
    setBusy(true);
    try {
      const result = await auth.acceptInvitation(token, password);
      if (isSession(result)) {
        signIn(result);
        void navigate('/', { replace: true });
      } else {
        void navigate('/login?invited=1', { replace: true });
      }
    } catch (err) {
      setBusy(false);
      setError(errorText(err));
    }
  }

  return (
    <main id="main" className="auth-page">
      <div className="auth-card">
        <p className="auth-card__brand" aria-hidden="true">
          Baton
        </p>
        <PageHeading>{t('invite.heading')}</PageHeading>
        {!token ? (
          <p className="notice notice--error" role="alert">
            {t('invite.noToken')}
          </p>
        ) : (
          <form className="form" onSubmit={onSubmit} noValidate>
            <p className="hint" id="invite-hint">
              {t('invite.hint', { count: MIN_PASSWORD_LENGTH })}
            </p>
            <div className="field">
              <label htmlFor="invite-password">{t('invite.password')}</label>
              <input
                id="invite-password"
                type="password"
                autoComplete="new-password"
                required
                minLength={MIN_PASSWORD_LENGTH}
                aria-describedby="invite-hint"
                aria-invalid={error ? true : undefined}
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor="invite-confirm">{t('invite.confirm')}</label>
              <input
                id="invite-confirm"
                type="password"
                autoComplete="new-password"
                required
                aria-invalid={error ? true : undefined}
                value={confirm}
                onChange={(e) => setConfirm(e.target.value)}
              />
            </div>
            {error && (
              <p className="form-error" role="alert">
                {error}
              </p>
            )}
            <button type="submit" className="button button--primary button--block" disabled={busy}>
              {t('invite.submit')}
            </button>
          </form>
        )}
      </div>
    </main>
  );
}
