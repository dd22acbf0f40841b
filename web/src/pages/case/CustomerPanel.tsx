import { useId } from 'react';
import { Link } from 'react-router-dom';
import { customers as customersApi } from '../../api/client';
import type { CaseDetail } from '../../api/types';
import { useApi } from '../../hooks/useApi';
import { t } from '../../i18n';

export function CustomerPanel({ customer }: { customer: CaseDetail['customer'] }) {
  const id = useId();
  // The case carries a summary; the full profile adds every address.
  const profile = useApi((signal) => customersApi.get(customer.id, signal), [customer.id]);
  const emails =
    profile.data?.emails ??
    (customer.primary_email ? [{ id: 'primary', value: customer.primary_email, is_primary: true, undeliverable: false }] : []);
  const organization = profile.data?.organization ?? customer.organization;
  const name = profile.data?.name || customer.name || customer.primary_email || t('customer.unnamed');

  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="panel__heading">
        {t('case.customer')}
      </h2>
      <p className="customer-card__name">
        <Link to={`/customers/${customer.id}`}>{name}</Link>
      </p>
      {organization && <p className="muted">{organization}</p>}
      {emails.length > 0 && (
        <ul className="plain-list" aria-label={t('customer.emails')}>
          {emails.map((email) => (
            <li key={email.id}>
              <span className="break">{email.value}</span>
              {email.is_primary && emails.length > 1 && <span className="badge badge--neutral">{t('customer.primary')}</span>}
              {email.undeliverable && <span className="badge badge--warning">{t('customer.undeliverable')}</span>}
            </li>
          ))}
        </ul>
      )}
      <p>
        <Link to={`/customers/${customer.id}`}>{t('case.customerProfile')}</Link>
      </p>
    </section>
  );
}
