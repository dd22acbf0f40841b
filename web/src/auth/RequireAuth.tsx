import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import type { AgentRole } from '../api/types';
import { Loading } from '../components/Notice';
import { t } from '../i18n';
import { useSession } from './SessionContext';

export function RequireAuth({ children }: { children: ReactNode }) {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === 'loading') {
    return (
      <main className="centered-page">
        <Loading label={t('session.checking')} />
      </main>
    );
  }
  if (state.status === 'signed_out') {
    const next = `${location.pathname}${location.search}`;
    const params = new URLSearchParams();
    if (next !== '/') params.set('next', next);
    if (state.expired) params.set('expired', '1');
    const query = params.toString();
    return <Navigate to={`/login${query ? `?${query}` : ''}`} replace />;
  }
  return <>{children}</>;
}

export function RequireAdmin({ children }: { children: ReactNode }) {
  const { state } = useSession();
  if (state.status === 'signed_in' && state.session.agent.role !== 'admin') {
    return (
      <div className="page">
        <h1 className="page-heading" tabIndex={-1}>
          {t('admin.forbiddenTitle')}
        </h1>
        <p>{t('admin.forbidden')}</p>
      </div>
    );
  }
  return <>{children}</>;
}

/** Pages for admins and supervisors (problem mail): others see why the page is closed to them. */
export function RequireRole({ roles, children }: { roles: readonly AgentRole[]; children: ReactNode }) {
  const { state } = useSession();
  if (state.status === 'signed_in' && !roles.includes(state.session.agent.role)) {
    return (
      <div className="page">
        <h1 className="page-heading" tabIndex={-1}>
          {t('admin.forbiddenTitleSupervisors')}
        </h1>
        <p>{t('admin.forbiddenSupervisors')}</p>
      </div>
    );
  }
  return <>{children}</>;
}
