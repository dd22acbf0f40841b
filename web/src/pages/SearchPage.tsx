import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { search as searchApi } from '../api/client';
import type { SearchResults } from '../api/types';
import { PriorityBadge, StatusBadge } from '../components/Badges';
import { ErrorNotice, Loading } from '../components/Notice';
import { PageHeading } from '../components/PageHeading';
import { RelativeTime } from '../components/Time';
import { t } from '../i18n';

/**
 * The server marks matched words with « and » in plain text. Splitting on those marks and
 * wrapping the odd parts in <mark> keeps everything as text: nothing is parsed as HTML.
 */
export function Snippet({ text }: { text: string }) {
  const parts = text.split(/[«»]/);
  return <p className="snippet">{parts.map((part, i) => (i % 2 === 1 ? <mark key={i}>{part}</mark> : <span key={i}>{part}</span>))}</p>;
}

export function SearchPage() {
  const [params, setParams] = useSearchParams();
  const q = (params.get('q') ?? '').trim();
  const [text, setText] = useState(q);
  const [results, setResults] = useState<SearchResults | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);

  useEffect(() => setText(q), [q]);

  useEffect(() => {
    if (!q) {
      setResults(null);
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    setError(undefined);
    searchApi.all(q, controller.signal).then(
      (r) => {
        setResults(r);
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

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const value = text.trim();
    setParams(value ? { q: value } : {});
  }

  return (
    <div className="page">
      <PageHeading>{t('search.heading')}</PageHeading>
      <form role="search" aria-label={t('search.fullForm')} className="search-form" onSubmit={onSubmit}>
        <label htmlFor="search-page-q">{t('search.query')}</label>
        <input id="search-page-q" type="search" value={text} maxLength={200} onChange={(e) => setText(e.target.value)} />
        <button type="submit" className="button button--primary">
          {t('search.submit')}
        </button>
      </form>
      <p className="hint">{t('search.syntax')}</p>

      <div role="status" className="list-toolbar__count">
        {q && results && !loading ? t('search.summary', { cases: results.cases.length, customers: results.customers.length, q }) : ''}
      </div>

      {error !== undefined ? (
        <ErrorNotice error={error} onRetry={() => setTick((n) => n + 1)} />
      ) : loading && !results ? (
        <Loading />
      ) : results ? (
        <div className="search-results">
          <section aria-labelledby="search-cases-heading">
            <h2 id="search-cases-heading" className="section-heading">
              {t('search.cases', { count: results.cases.length })}
            </h2>
            {results.cases.length === 0 ? (
              <p className="muted">{t('search.noCases')}</p>
            ) : (
              <ul className="result-list">
                {results.cases.map((c) => (
                  <li key={c.id} className="result" data-testid="search-case">
                    <p className="result__title">
                      <Link to={`/cases/${c.number}`}>
                        #{c.number} {c.subject || t('case.noSubject')}
                      </Link>{' '}
                      <StatusBadge status={c.status} /> <PriorityBadge priority={c.priority} />
                    </p>
                    <p className="muted small">
                      {c.customer.name || c.customer.primary_email} · {t('search.updated')} <RelativeTime iso={c.updated_at} />
                    </p>
                    {c.snippet && <Snippet text={c.snippet} />}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="search-customers-heading">
            <h2 id="search-customers-heading" className="section-heading">
              {t('search.customers', { count: results.customers.length })}
            </h2>
            {results.customers.length === 0 ? (
              <p className="muted">{t('search.noCustomers')}</p>
            ) : (
              <ul className="result-list">
                {results.customers.map((c) => (
                  <li key={c.id} className="result" data-testid="search-customer">
                    <p className="result__title">
                      <Link to={`/customers/${c.id}`}>{c.name || c.primary_email || t('customer.unnamed')}</Link>
                    </p>
                    <p className="muted small">{[c.organization, c.primary_email].filter(Boolean).join(' · ')}</p>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      ) : (
        <p className="muted">{t('search.prompt')}</p>
      )}
    </div>
  );
}
