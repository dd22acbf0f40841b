import { NavLink } from 'react-router-dom';
import type { View } from '../api/types';
import { useCurrentAgent } from '../auth/SessionContext';
import { BillingNavItems } from '../pages/billing/BillingNav';
import { SlaAdminNavItems, SlaNavViews } from '../pages/sla/SlaNav';
import { t } from '../i18n';
import { useViews } from './ViewsContext';

export function viewName(view: Pick<View, 'id' | 'name'>): string {
  return view.name || view.id;
}

export function SideNav() {
  const { views, loaded, error, refreshViews } = useViews();
  const { agent } = useCurrentAgent();
  const builtin = views.filter((v) => v.kind === 'builtin');
  const saved = views.filter((v) => v.kind === 'saved');

  return (
    <nav className="sidenav" aria-label={t('nav.label')}>
      <ul className="sidenav__list">
        <li>
          <NavLink to="/" end className="sidenav__link">
            {t('nav.inbox')}
          </NavLink>
        </li>
        <li>
          <NavLink to="/cases/new" className="sidenav__link">
            {t('nav.newCase')}
          </NavLink>
        </li>
        <li>
          <NavLink to="/reminders" className="sidenav__link">
            {t('nav.reminders')}
          </NavLink>
        </li>
      </ul>

      <h2 className="sidenav__heading" id="nav-views">
        {t('nav.views')}
      </h2>
      {!loaded && <p className="sidenav__hint">{t('common.loading')}</p>}
      {loaded && error !== undefined && views.length === 0 ? (
        <p className="sidenav__hint">
          {t('nav.viewsFailed')}{' '}
          <button type="button" className="button button--small button--quiet" onClick={refreshViews}>
            {t('common.retry')}
          </button>
        </p>
      ) : (
        <ViewList views={builtin} labelledBy="nav-views" />
      )}

      {saved.length > 0 && (
        <>
          <h2 className="sidenav__heading" id="nav-saved">
            {t('nav.savedViews')}
          </h2>
          <ViewList views={saved} labelledBy="nav-saved" />
        </>
      )}

      <SlaNavViews />

      <h2 className="sidenav__heading" id="nav-directory">
        {t('nav.directory')}
      </h2>
      <ul className="sidenav__list" aria-labelledby="nav-directory">
        <li>
          <NavLink to="/customers" className="sidenav__link">
            {t('nav.customers')}
          </NavLink>
        </li>
        <li>
          <NavLink to="/search" className="sidenav__link">
            {t('nav.search')}
          </NavLink>
        </li>
        <li>
          <NavLink to="/disputes" className="sidenav__link">
            {t('nav.disputes')}
          </NavLink>
        </li>
        {agent.role === 'agent' && (
          <li>
            <NavLink to="/admin/macros" className="sidenav__link">
              {t('nav.macros')}
            </NavLink>
          </li>
        )}
      </ul>

      {(agent.role === 'admin' || agent.role === 'supervisor') && (
        <>
          <h2 className="sidenav__heading" id="nav-admin">
            {t('nav.admin')}
          </h2>
          <ul className="sidenav__list" aria-labelledby="nav-admin">
            {agent.role === 'admin' && (
              <>
                <li>
                  <NavLink to="/admin/agents" className="sidenav__link">
                    {t('nav.agents')}
                  </NavLink>
                </li>
                <li>
                  <NavLink to="/admin/teams" className="sidenav__link">
                    {t('nav.teams')}
                  </NavLink>
                </li>
                <li>
                  <NavLink to="/admin/tokens" className="sidenav__link">
                    {t('nav.tokens')}
                  </NavLink>
                </li>
                <li>
                  <NavLink to="/admin/mailboxes" className="sidenav__link">
                    {t('nav.mailboxes')}
                  </NavLink>
                </li>
                <li>
                  <NavLink to="/admin/chat" className="sidenav__link">
                    {t('nav.chatSettings')}
                  </NavLink>
                </li>
                <li>
                  <NavLink to="/admin/triggers" className="sidenav__link">
                    {t('nav.triggers')}
                  </NavLink>
                </li>
                <li>
                  <NavLink to="/admin/automations" className="sidenav__link">
                    {t('nav.automations')}
                  </NavLink>
                </li>
              </>
            )}
            <li>
              <NavLink to="/admin/problem-mail" className="sidenav__link">
                {t('nav.problemMail')}
              </NavLink>
            </li>
            <li>
              <NavLink to="/admin/sent-mail" className="sidenav__link">
                {t('nav.sentMail')}
              </NavLink>
            </li>
            <li>
              <NavLink to="/admin/macros" className="sidenav__link">
                {t('nav.macros')}
              </NavLink>
            </li>
            <BillingNavItems role={agent.role} />
            <SlaAdminNavItems role={agent.role} />
          </ul>
        </>
      )}
    </nav>
  );
}

function ViewList({ views, labelledBy }: { views: View[]; labelledBy: string }) {
  return (
    <ul className="sidenav__list" aria-labelledby={labelledBy}>
      {views.map((view) => (
        <li key={view.id}>
          <NavLink to={`/views/${encodeURIComponent(view.id)}`} className="sidenav__link">
            <span className="sidenav__name">{viewName(view)}</span>
            {typeof view.count === 'number' && (
              <span className="sidenav__count">
                <span className="visually-hidden">, </span>
                {view.count}
                <span className="visually-hidden"> {t('nav.casesWord', { count: view.count })}</span>
              </span>
            )}
          </NavLink>
        </li>
      ))}
    </ul>
  );
}
