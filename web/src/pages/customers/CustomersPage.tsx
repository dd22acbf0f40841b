import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { customers as customersApi } from '../../api/client';
import type { Customer } from '../../api/types';
import { ErrorNotice, errorText, Loading } from '../../components/Notice';
import { PageHeading } from '../../components/PageHeading';
import { useToast } from '../../components/Toasts';
import { t } from '../../i18n';

export function primaryEmail(customer: Pick<Customer, 'emails'>): string | undefined {
  return (customer.emails.find((e) => e.is_primary) ?? customer.emails[0])?.value;
}

export function CustomersPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [text, setText] = useState(q);
  const [rows, setRows] = useState<Customer[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [tick, setTick] = useState(0);
  const { notify } = useToast();

  useEffect(() => setText(q), [q]);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(undefined);
    customersApi.list({ q: q || undefined, limit: 50 }, controller.signal).then(
      (page) => {
        setRows(page.data);
        setNextCursor(page.next_cursor);
        setLoading(false);
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setError(err);
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [q, tick]);

  function onSearch(event: FormEvent) {
    event.preventDefault();
    const value = text.trim();
    setParams(value ? { q: value } : {});
  }

  async function loadMore() {
    if (!nextCursor) return;
    setLoadingMore(true);
    try {
      const page = await customersApi.list({ q: q || undefined, limit: 50, cursor: nextCursor });
      setRows((current) => [...current, ...page.data.filter((c) => !current.some((x) => x.id === c.id))]);
      setNextCursor(page.next_cursor);
    } catch (err) {
      notify(errorText(err), 'error');
    } finally {
      setLoadingMore(false);
    }
  }

  return (
    <div className="page">
      <PageHeading>{t('customers.heading')}</PageHeading>
      <form role="search" aria-label={t('customers.searchForm')} className="search-form" onSubmit={onSearch}>
        <label htmlFor="customer-search">{t('customers.search')}</label>
        <input id="customer-search" type="search" value={text} maxLength={200} onChange={(e) => setText(e.target.value)} />
        <button type="submit" className="button">
          {t('search.submit')}
        </button>
      </form>

      <p className="list-toolbar__count" role="status">
        {loading ? '' : t('customers.showing', { count: rows.length })}
      </p>

      {error !== undefined ? (
        <ErrorNotice error={error} onRetry={() => setTick((n) => n + 1)} />
      ) : loading && rows.length === 0 ? (
        <Loading />
      ) : rows.length === 0 ? (
        <p className="empty">{q ? t('customers.noMatch', { q }) : t('customers.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('customers.heading')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('customers.col.name')}</th>
                <th scope="col">{t('customers.col.organization')}</th>
                <th scope="col">{t('customers.col.email')}</th>
                <th scope="col">{t('customers.col.tags')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.id} data-testid="customer-row">
                  <td>
                    <Link to={`/customers/${c.id}`}>{c.name || primaryEmail(c) || t('customer.unnamed')}</Link>
                  </td>
                  <td>{c.organization}</td>
                  <td className="break">{primaryEmail(c)}</td>
                  <td>{c.tags.join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextCursor && !error && (
        <div className="load-more">
          <button type="button" className="button" disabled={loadingMore} onClick={() => void loadMore()}>
            {t('customers.loadMore')}
          </button>
        </div>
      )}
    </div>
  );
}
