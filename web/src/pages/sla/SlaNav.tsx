import { useEffect, useState } from 'react';
import { NavLink } from 'react-router-dom';
import { sla as slaApi, type SlaListState } from '../../api/sla';
import type { AgentRole } from '../../api/types';
import { t } from '../../i18n';
import { slaListQuery } from './SlaCasesPage';

const REFRESH_MS = 60_000;

/** How many cases a list holds (up to 100: "99+" past that); undefined until known. */
function useSlaCount(state: SlaListState): number | undefined {
  const [count, setCount] = useState<number | undefined>(undefined);
  useEffect(() => {
    let controller = new AbortController();
    const load = () => {
      controller.abort();
      controller = new AbortController();
      slaApi.cases({ ...slaListQuery(state), limit: 100 }, controller.signal).then(
        (page) => setCount(page.next_cursor ? 100 : page.data.length),
        () => undefined,
      );
    };
    load();
    const timer = window.setInterval(load, REFRESH_MS);
    return () => {
      window.clearInterval(timer);
      controller.abort();
    };
  }, [state]);
  return count;
}

/** The side navigation's SLA views: breaching in the next hour, breached. */
export function SlaNavViews() {
  return (
    <>
      <h2 className="sidenav__heading" id="nav-sla">
        {t('sla.nav.heading')}
      </h2>
      <ul className="sidenav__list" aria-labelledby="nav-sla">
        <SlaNavItem to="/sla/breaching-soon" state="breaching_soon" label={t('sla.view.breachingSoon')} />
        <SlaNavItem to="/sla/breached" state="breached" label={t('sla.view.breached')} />
      </ul>
    </>
  );
}

function SlaNavItem({ to, state, label }: { to: string; state: SlaListState; label: string }) {
  const count = useSlaCount(state);
  return (
    <li>
      <NavLink to={to} className="sidenav__link">
        <span className="sidenav__name">{label}</span>
        {count !== undefined && (
          <span className="sidenav__count">
            <span className="visually-hidden">, </span>
            {count >= 100 ? '99+' : count}
            <span className="visually-hidden"> {t('nav.casesWord', { count })}</span>
          </span>
        )}
      </NavLink>
    </li>
  );
}

/** SLA's entries under Admin (admins only): business hours, SLA policies. */
export function SlaAdminNavItems({ role }: { role: AgentRole }) {
  if (role !== 'admin') return null;
  return (
    <>
      <li>
        <NavLink to="/admin/business-hours" className="sidenav__link">
          {t('sla.nav.businessHours')}
        </NavLink>
      </li>
      <li>
        <NavLink to="/admin/sla-policies" className="sidenav__link">
          {t('sla.nav.policies')}
        </NavLink>
      </li>
    </>
  );
}
