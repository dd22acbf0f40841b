import { useId, useState } from 'react';
import { Link } from 'react-router-dom';
import { customers as customersApi } from '../../api/client';
import type { TimelineItem } from '../../api/types';
import { StatusBadge } from '../../components/Badges';
import { ErrorNotice, errorText, Loading } from '../../components/Notice';
import { DateTime } from '../../components/Time';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { t } from '../../i18n';
import { useDirectory } from '../../shell/DirectoryContext';
import { describeEvent } from '../case/events';

const EXCERPT = 240;

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT ? `${flat.slice(0, EXCERPT)}…` : flat;
}

export function CustomerTimeline({ customerId, refreshKey }: { customerId: string; refreshKey: number }) {
  const id = useId();
  const { notify } = useToast();
  const { agentName, teams } = useDirectory();
  const [loadingMore, setLoadingMore] = useState(false);
  const state = useApi(
    async (signal) => {
      const page = await customersApi.timeline(customerId, undefined, signal);
      return { items: page.data, nextCursor: page.next_cursor };
    },
    [customerId, refreshKey],
  );
  const names = {
    agent: (a: string) => agentName(a),
    team: (tm: string) => teams.find((x) => x.id === tm)?.name,
    queue: (q: string) => teams.flatMap((x) => x.queues).find((x) => x.id === q)?.name,
  };

  async function loadMore() {
    const data = state.data;
    if (!data?.nextCursor) return;
    setLoadingMore(true);
    try {
      const page = await customersApi.timeline(customerId, data.nextCursor);
      state.setData({ items: [...data.items, ...page.data], nextCursor: page.next_cursor });
    } catch (err) {
      notify(errorText(err), 'error');
    } finally {
      setLoadingMore(false);
    }
  }

  function describe(item: TimelineItem): string {
    if (item.kind === 'message' && item.message) {
      const m = item.message;
      const who =
        m.author?.name ||
        (m.author_type === 'customer' ? t('message.customer') : m.author_type === 'system' ? t('message.system') : t('message.agent'));
      const what = m.visibility === 'internal' ? t('timeline.note', { who }) : t('timeline.message', { who });
      return `${what}: ${excerpt(m.body_text)}`;
    }
    if (item.kind === 'event' && item.event) return describeEvent(item.event, names);
    return t('timeline.case');
  }

  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="panel__heading">
        {t('customer.timeline')}
      </h2>
      {state.error !== undefined ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : !state.data ? (
        <Loading />
      ) : state.data.items.length === 0 ? (
        <p className="muted">{t('timeline.empty')}</p>
      ) : (
        <ol className="timeline">
          {state.data.items.map((item) => (
            <li key={`${item.kind}-${item.id}`} className={`timeline__item timeline__item--${item.kind}`}>
              <div className="timeline__case">
                <Link to={`/cases/${item.case.number}`}>
                  #{item.case.number} {item.case.subject}
                </Link>{' '}
                <StatusBadge status={item.case.status} />
              </div>
              <p className="timeline__what">{describe(item)}</p>
              <p className="timeline__time muted small">
                <DateTime iso={item.created_at} />
              </p>
            </li>
          ))}
        </ol>
      )}
      {state.data?.nextCursor && (
        <div className="load-more">
          <button type="button" className="button" disabled={loadingMore} onClick={() => void loadMore()}>
            {t('timeline.loadMore')}
          </button>
        </div>
      )}
    </section>
  );
}
