import { useId, useState, type FormEvent } from 'react';
import { customers as customersApi } from '../../api/client';
import type { Customer, CustomerMerge } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorNotice } from '../../components/Notice';
import { DateTime } from '../../components/Time';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { t } from '../../i18n';
import { primaryEmail } from './CustomersPage';

interface MergePanelProps {
  customer: Customer;
  /** After a merge or an undo: the profile, identities and timeline changed. */
  onMerged: () => void;
}

function label(c: Customer): string {
  const email = primaryEmail(c);
  return c.name ? (email ? `${c.name} <${email}>` : c.name) : (email ?? t('customer.unnamed'));
}

export function MergePanel({ customer, onMerged }: MergePanelProps) {
  const id = useId();
  const { notify } = useToast();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Customer[] | null>(null);
  const [searchError, setSearchError] = useState<unknown>(undefined);
  const [candidate, setCandidate] = useState<Customer | null>(null);
  const [undoing, setUndoing] = useState<CustomerMerge | null>(null);
  const merges = useApi((signal) => customersApi.merges(customer.id, signal), [customer.id, customer.version]);
  const undoable = (merges.data?.data ?? []).filter((m) => m.target_customer_id === customer.id && !m.undone_at);

  async function search(event: FormEvent) {
    event.preventDefault();
    const q = query.trim();
    if (!q) return;
    setSearchError(undefined);
    try {
      const page = await customersApi.list({ q, limit: 10 });
      setResults(page.data.filter((c) => c.id !== customer.id && !c.merged_into_id));
    } catch (err) {
      setSearchError(err);
    }
  }

  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="panel__heading">
        {t('merge.heading')}
      </h2>
      <p className="hint">{t('merge.intro')}</p>
      <form role="search" aria-label={t('merge.searchForm')} className="search-form search-form--compact" onSubmit={search}>
        <label htmlFor={`${id}-q`}>{t('merge.find')}</label>
        <input id={`${id}-q`} type="search" value={query} maxLength={200} onChange={(e) => setQuery(e.target.value)} />
        <button type="submit" className="button button--small">
          {t('search.submit')}
        </button>
      </form>
      {searchError !== undefined && <ErrorNotice error={searchError} />}
      {results && (
        <div role="status">
          {results.length === 0 ? (
            <p className="muted">{t('merge.noResults')}</p>
          ) : (
            <ul className="plain-list merge-results">
              {results.map((c) => (
                <li key={c.id}>
                  <span className="break">{label(c)}</span>
                  {c.organization && <span className="muted"> · {c.organization}</span>}{' '}
                  <button type="button" className="button button--small" onClick={() => setCandidate(c)}>
                    {t('merge.pick', { name: c.name || primaryEmail(c) || t('customer.unnamed') })}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}

      {undoable.length > 0 && (
        <>
          <h3 className="panel__subheading">{t('merge.history')}</h3>
          <ul className="plain-list">
            {undoable.map((m) => (
              <li key={m.id}>
                {t('merge.merged')} <DateTime iso={m.merged_at} />{' '}
                <button type="button" className="button button--small" onClick={() => setUndoing(m)}>
                  {t('merge.undo')}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}

      <ConfirmDialog
        open={candidate !== null}
        title={t('merge.confirmTitle')}
        confirmLabel={t('merge.confirm')}
        onClose={() => setCandidate(null)}
        onConfirm={async () => {
          if (!candidate) return;
          await customersApi.merge(customer.id, candidate.id);
          notify(t('merge.done', { name: candidate.name || primaryEmail(candidate) || '' }));
          setResults(null);
          setQuery('');
          onMerged();
        }}
      >
        {candidate && <p>{t('merge.confirmBody', { source: label(candidate), target: label(customer) })}</p>}
      </ConfirmDialog>

      <ConfirmDialog
        open={undoing !== null}
        title={t('merge.undoTitle')}
        confirmLabel={t('merge.undo')}
        onClose={() => setUndoing(null)}
        onConfirm={async () => {
          if (!undoing) return;
          await customersApi.undoMerge(undoing.id);
          notify(t('merge.undone'));
          onMerged();
        }}
      >
        <p>{t('merge.undoBody')}</p>
      </ConfirmDialog>
    </section>
  );
}
