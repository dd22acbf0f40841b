import { useId, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { customers as customersApi } from '../../api/client';
import { isApiError } from '../../api/http';
import type { CustomerChanges, CustomerIdentity } from '../../api/types';
import { ErrorNotice, errorText, Loading } from '../../components/Notice';
import { PageHeading } from '../../components/PageHeading';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { t } from '../../i18n';
import { CustomerTimeline } from './CustomerTimeline';
import { MergePanel } from './MergePanel';
import { ProfileForm } from './ProfileForm';
import { primaryEmail } from './CustomersPage';

export function CustomerPage() {
  const { id = '' } = useParams();
  const { notify } = useToast();
  const state = useApi((signal) => customersApi.get(id, signal), [id]);
  const customer = state.data?.id === id ? state.data : undefined;
  const [stale, setStale] = useState(false);
  const [refreshKey, setRefreshKey] = useState(0);

  async function save(changes: CustomerChanges): Promise<boolean> {
    if (!customer) return false;
    try {
      const updated = await customersApi.update(customer.id, customer.version, changes);
      state.setData(updated);
      setStale(false);
      notify(t('customer.saved'));
      return true;
    } catch (err) {
      if (isApiError(err) && err.status === 409) {
        setStale(true);
        state.reload();
      } else {
        notify(errorText(err), 'error');
      }
      return false;
    }
  }

  const name = customer ? customer.name || primaryEmail(customer) || t('customer.unnamed') : t('customer.title');

  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/customers">{t('customers.all')}</Link>
      </p>
      <PageHeading title={name}>{name}</PageHeading>

      {stale && (
        <div className="notice notice--warning" role="alert">
          <p>
            <strong>{t('customer.staleTitle')}</strong> {t('customer.staleBody')}
          </p>
          <button type="button" className="button button--small" onClick={() => setStale(false)}>
            {t('common.dismiss')}
          </button>
        </div>
      )}

      {state.error !== undefined && !customer ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : !customer ? (
        <Loading />
      ) : (
        <>
          {customer.merged_into_id && (
            <p className="notice notice--info">
              {t('customer.mergedInto')} <Link to={`/customers/${customer.merged_into_id}`}>{t('customer.openMergedInto')}</Link>
            </p>
          )}
          <div className="customer-layout">
            <div className="panel">
              <ProfileForm customer={customer} onSave={save} />
            </div>
            <div className="customer-layout__side">
              <Identities emails={customer.emails} phones={customer.phones} />
              <MergePanel
                customer={customer}
                onMerged={() => {
                  state.reload();
                  setRefreshKey((n) => n + 1);
                }}
              />
            </div>
          </div>
          <CustomerTimeline customerId={customer.id} refreshKey={refreshKey} />
        </>
      )}
    </div>
  );
}

function Identities({ emails, phones }: { emails: CustomerIdentity[]; phones: CustomerIdentity[] }) {
  const id = useId();
  const list = (items: CustomerIdentity[], empty: string) =>
    items.length === 0 ? (
      <p className="muted small">{empty}</p>
    ) : (
      <ul className="plain-list">
        {items.map((item) => (
          <li key={item.id}>
            <span className="break">{item.value}</span>
            {item.is_primary && <span className="badge badge--neutral">{t('customer.primary')}</span>}
            {item.undeliverable && <span className="badge badge--warning">{t('customer.undeliverable')}</span>}
          </li>
        ))}
      </ul>
    );
  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="panel__heading">
        {t('customer.identities')}
      </h2>
      <h3 className="panel__subheading">{t('customer.emails')}</h3>
      {list(emails, t('customer.noEmails'))}
      <h3 className="panel__subheading">{t('customer.phones')}</h3>
      {list(phones, t('customer.noPhones'))}
    </section>
  );
}
