import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { auth } from '../api/client';
import { isApiError } from '../api/http';
import { safeNextPath, useSession } from '../auth/SessionContext';
import { errorText } from '../components/Notice';
import { PageHeading } from '../components/PageHeading';
import { t } from '../i18n';

export function LoginPage() {
  const { state, signIn } = useSession();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const next = safeNextPath(params.get('next'));

  if (state.status === 'signed_in') return <Navigate to={next} replace />;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    if (!email.trim() || !password) {
      setError(t('login.missing'));
      return;
    }
    setBusy(true);
    try {
      const session = await auth.login(email.trim(), password);
      signIn(session);
      void navigate(next, { replace: true });
    } catch (err) {
      setBusy(false);
      if (isApiError(err) && (err.status === 401 || err.status === 400 || err.status === 422)) setError(t('login.invalid'));
      else setError(errorText(err));
      setPassword('');
    }
  }

  return (
    <main id="main" className="auth-page">
      <div className="auth-card">
        <p className="auth-card__brand" aria-hidden="true">
          Baton
        </p>
        <PageHeading title={t('login.title')}>{t('login.heading')}</PageHeading>
        {params.get('expired') && !error && (
          <p className="notice notice--info" role="status">
            {t('login.expired')}
          </p>
        )}
        {params.get('invited') && !error && (
          <p className="notice notice--info" role="status">
            {t('invite.doneSignIn')}
          </p>
        )}
        <form className="form" onSubmit={onSubmit} noValidate aria-describedby={error ? 'login-error' : undefined}>
          <div className="field">
            <label htmlFor="login-email">{t('login.email')}</label>
            <input
              id="login-email"
              type="email"
              name="email"
              autoComplete="username"
              required
              value={email}
              aria-invalid={error ? true : undefined}
              onChange={(e) => setEmail(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="login-password">{t('login.password')}</label>
            <input
              id="login-password"
              type="password"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              aria-invalid={error ? true : undefined}
              onChange={(e) => setPassword(e.target.value)}
            />
          </div>
          {error && (
            <p id="login-error" className="form-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="button button--primary button--block" disabled={busy}>
            {busy ? t('login.submitting') : t('login.submit')}
          </button>
        </form>
      </div>
    </main>
  );
}
