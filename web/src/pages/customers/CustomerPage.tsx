import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { customers as customersApi } from '../../api/client';
import { isApiError } from '../../api/http';
import type { CustomerChanges } from '../../api/types';
import { ErrorNotice, errorText, Loading } from '../../components/Notice';
import { PageHeading } from '../../components/PageHeading';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { t } from '../../i18n';
import { CustomerBillingSection } from '../billing/CustomerBillingSection';
import { AddressForm } from './AddressForm';
import { CustomerTimeline } from './CustomerTimeline';
import { IdentitiesPanel } from './IdentitiesPanel';
import { MergePanel } from './MergePanel';
import { ProfileForm } from './ProfileForm';
import { primaryEmail } from './CustomersPage';
import type { SaveResult } from './saving';

export function CustomerPage() {
  const { id = '' } = useParams();
  const { notify } = useToast();
  const state = useApi((signal) => customersApi.get(id, signal), [id]);
  const customer = state.data?.id === id ? state.data : undefined;
  const [stale, setStale] = useState(false);
  const [refreshKey, setRefreshKey] = useState(0);
  // A new number remounts the forms: after a conflict they show the latest version, not the refused edits.
  const [formEpoch, setFormEpoch] = useState(0);

  async function save(changes: CustomerChanges): Promise<SaveResult> {
    if (!customer) return { ok: false };
    try {
      const updated = await customersApi.update(customer.id, customer.version, changes);
      state.setData(updated);
      setStale(false);
      if (!('postal_address' in changes)) notify(t('customer.saved'));
      return { ok: true };
    } catch (err) {
      if (isApiError(err) && err.status === 409) {
        setStale(true);
        setFormEpoch((n) => n + 1);
        state.reload();
        return { ok: false };
      }
      // Refused input goes back to the form, to be shown next to the field.
      if (isApiError(err) && (err.status === 400 || err.status === 422)) return { ok: false, error: err };
      notify(errorText(err), 'error');
      return { ok: false };
    }
  }

  const name = customer ? customer.name || primaryEmail(customer) || t('customer.unnamed') : t('customer.title');
  const formKey = `${id}:${formEpoch}`;

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
            <div className="customer-layout__main">
              <div className="panel">
                <ProfileForm key={formKey} customer={customer} onSave={save} />
              </div>
              <div className="panel">
                <AddressForm key={formKey} customer={customer} onSave={save} />
              </div>
              <CustomerBillingSection customerId={customer.id} />
            </div>
            <div className="customer-layout__side">
              <IdentitiesPanel customer={customer} onChanged={(updated) => state.setData(updated)} />
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
