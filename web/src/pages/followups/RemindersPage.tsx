import { useId, useState } from 'react';
import { Link } from 'react-router-dom';
import { followups, reminders, type Reminder, type ReminderStatus } from '../../api/followups';
import { ErrorNotice, errorText, Loading } from '../../components/Notice';
import { PageHeading } from '../../components/PageHeading';
import { DateTime, RelativeTime } from '../../components/Time';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { t } from '../../i18n';
import './followups.css';

const TABS: ReminderStatus[] = ['due', 'upcoming', 'done'];

/** My reminders: due ones first (highlighted), upcoming, done; and my snoozed cases. */
export function RemindersPage() {
  const [status, setStatus] = useState<ReminderStatus>('due');
  const [extra, setExtra] = useState<{ items: Reminder[]; cursor: string | null } | null>(null);
  const list = useApi(
    async (signal) => {
      setExtra(null);
      return reminders.list(status, null, signal);
    },
    [status],
  );
  const { notify } = useToast();
  const items = [...(list.data?.data ?? []), ...(extra?.items ?? [])];
  const nextCursor = extra ? extra.cursor : (list.data?.next_cursor ?? null);

  async function act(action: () => Promise<unknown>, done: string) {
    try {
      await action();
      notify(done);
      list.reload();
    } catch (err) {
      notify(errorText(err), 'error');
    }
  }

  async function more() {
    if (!nextCursor) return;
    try {
      const page = await reminders.list(status, nextCursor);
      setExtra({ items: [...(extra?.items ?? []), ...page.data], cursor: page.next_cursor });
    } catch (err) {
      notify(errorText(err), 'error');
    }
  }

  return (
    <div className="page">
      <PageHeading>{t('reminders.heading')}</PageHeading>
      <div role="group" aria-label={t('reminders.tabs')} className="page-header__actions">
        {TABS.map((tab) => (
          <button
            key={tab}
            type="button"
            className={tab === status ? 'button button--small button--primary' : 'button button--small'}
            aria-pressed={tab === status}
            onClick={() => setStatus(tab)}
          >
            {t(`reminders.${tab}`)}
          </button>
        ))}
      </div>
      {list.error !== undefined && !list.data ? (
        <ErrorNotice error={list.error} onRetry={list.reload} />
      ) : !list.data ? (
        <Loading />
      ) : items.length === 0 ? (
        <p className="empty">{t(`reminders.empty.${status}`)}</p>
      ) : (
        <ul className="plain-list reminder-list" data-testid="reminder-list">
          {items.map((r) => (
            <li key={r.id} className={r.status === 'due' ? 'followup-reminder--due' : undefined}>
              <div>
                {r.status === 'due' && <span className="badge badge--status-pending">{t('followups.reminderDue')}</span>}{' '}
                <DateTime iso={r.remind_at} />
                {' · '}
                {r.case ? (
                  <Link to={`/cases/${r.case.number}`}>{t('reminders.case', { number: r.case.number, subject: r.case.subject })}</Link>
                ) : null}
              </div>
              <div className={r.note ? undefined : 'muted'}>{r.note || t('reminders.noNote')}</div>
              <div className="reminder-list__actions">
                {r.status !== 'done' && (
                  <button
                    type="button"
                    className="button button--small"
                    onClick={() => void act(() => reminders.done(r.id), t('followups.reminderDone'))}
                  >
                    {t('followups.markDone')}
                  </button>
                )}
                <button
                  type="button"
                  className="button button--small button--danger-quiet"
                  onClick={() => void act(() => reminders.remove(r.id), t('followups.reminderDeleted'))}
                >
                  {t('followups.delete')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {nextCursor && (
        <button type="button" className="button button--small" onClick={() => void more()}>
          {t('reminders.more')}
        </button>
      )}
      <SnoozedCases />
    </div>
  );
}

function SnoozedCases() {
  const id = useId();
  const [scope, setScope] = useState<'mine' | 'team'>('mine');
  const state = useApi((signal) => followups.snoozed(scope, signal), [scope]);
  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="panel__heading">
        {t('reminders.snoozed')}
      </h2>
      <div role="group" aria-label={t('reminders.snoozed')} className="page-header__actions">
        {(['mine', 'team'] as const).map((s) => (
          <button
            key={s}
            type="button"
            className={s === scope ? 'button button--small button--primary' : 'button button--small'}
            aria-pressed={s === scope}
            onClick={() => setScope(s)}
          >
            {t(s === 'mine' ? 'reminders.snoozedMine' : 'reminders.snoozedTeam')}
          </button>
        ))}
      </div>
      {state.error !== undefined && !state.data ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : !state.data ? (
        <Loading />
      ) : state.data.data.length === 0 ? (
        <p className="empty">{t('reminders.snoozedEmpty')}</p>
      ) : (
        <ul className="plain-list reminder-list">
          {state.data.data.map((item) => (
            <li key={item.case.id}>
              <Link to={`/cases/${item.case.number}`}>{t('reminders.case', { number: item.case.number, subject: item.case.subject })}</Link>{' '}
              <span className="muted">
                ({t('reminders.wakes')} <RelativeTime iso={item.snooze.until} />)
              </span>
              {item.snooze.note && <div className="muted small">{item.snooze.note}</div>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
