import { useEffect, useState } from 'react';
import { NavLink } from 'react-router-dom';
import { moneyActions } from '../../api/billing';
import type { AgentRole } from '../../api/types';
import { t } from '../../i18n';

const REFRESH_MS = 30_000;
const listeners = new Set<() => void>();

/** Tells the side navigation to count the waiting approvals again (after a decision). */
export function approvalsChanged(): void {
  listeners.forEach((listener) => listener());
}

/** How many money actions wait for approval; undefined until known (or when it cannot be read). */
function usePendingApprovalCount(): number | undefined {
  const [count, setCount] = useState<number | undefined>(undefined);
  useEffect(() => {
    let controller = new AbortController();
    const load = () => {
      controller.abort();
      controller = new AbortController();
      moneyActions.list({ status: 'pending_approval' }, controller.signal).then(
        (page) => setCount(page.data.length),
        () => undefined,
      );
    };
    load();
    const timer = window.setInterval(load, REFRESH_MS);
    listeners.add(load);
    return () => {
      listeners.delete(load);
      window.clearInterval(timer);
      controller.abort();
    };
  }, []);
  return count;
}

/** Billing's entries under Admin in the side navigation: approvals (supervisors, admins), settings, import. */
export function BillingNavItems({ role }: { role: AgentRole }) {
  if (role !== 'admin' && role !== 'supervisor') return null;
  return (
    <>
      <ApprovalsNavItem />
      {role === 'admin' && (
        <li>
          <NavLink to="/admin/billing" end className="sidenav__link">
            {t('nav.billingSettings')}
          </NavLink>
        </li>
      )}
      <li>
        <NavLink to="/admin/billing/import" className="sidenav__link">
          {t('nav.billingImport')}
        </NavLink>
      </li>
    </>
  );
}

function ApprovalsNavItem() {
  const count = usePendingApprovalCount();
  return (
    <li>
      <NavLink to="/billing/approvals" className="sidenav__link">
        <span className="sidenav__name">{t('nav.approvals')}</span>
        {count !== undefined && count > 0 && (
          <span className="sidenav__count">
            <span className="visually-hidden">, </span>
            {count >= 100 ? '99+' : count}
            <span className="visually-hidden"> {t('nav.approvalsWaiting', { count })}</span>
          </span>
        )}
      </NavLink>
    </li>
  );
}
