import { useId, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { moneyActions, type MoneyAction } from '../../api/billing';
import { isApiError } from '../../api/http';
import { Dialog } from '../../components/Dialog';
import { FormError } from '../../components/FieldError';
import { ErrorNotice, errorText, Loading } from '../../components/Notice';
import { PageHeading } from '../../components/PageHeading';
import { RelativeTime } from '../../components/Time';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { t } from '../../i18n';
import { approvalsChanged } from './BillingNav';
import { moneyActionKindLabel } from './labels';
import { formatMoney } from './money';
import { useFocusNewRow } from './useFocusNewRow';
import './billing.css';

type Decision = 'approve' | 'reject';

/** Rows per request; "Load more" fetches the next ones (oldest first: the longest waiting come first). */
const PAGE_SIZE = 50;

/** Billing › Approvals: money actions above their requester's limit, waiting for a supervisor. */
export function ApprovalsPage() {
  const state = useApi((signal) => moneyActions.list({ status: 'pending_approval', limit: PAGE_SIZE }, signal), []);
  const { notify } = useToast();
  const [deciding, setDeciding] = useState<{ action: MoneyAction; decision: Decision } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const { bodyRef, focusRowAt } = useFocusNewRow();
  const list = state.data?.data;
  const nextCursor = state.data?.next_cursor ?? null;

  function decided(action: MoneyAction, decision: Decision) {
    const left = (list ?? []).filter((a) => a.id !== action.id);
    // The last shown row went while more wait beyond it: start again from the oldest.
    if (left.length === 0 && nextCursor) state.reload();
    state.setData((page) => page && { ...page, data: page.data.filter((a) => a.id !== action.id) });
    approvalsChanged();
    const what = t(`billing.kindOf.${action.kind}`, { amount: formatMoney(action.amount_minor, action.currency) });
    notify(decision === 'approve' ? t('billing.approvals.approved', { what }) : t('billing.approvals.rejected', { what }));
  }

  async function loadMore() {
    if (!nextCursor || loadingMore) return;
    setLoadingMore(true);
    try {
      const page = await moneyActions.list({ status: 'pending_approval', limit: PAGE_SIZE, cursor: nextCursor });
      const shown = list?.length ?? 0;
      state.setData((current) => {
        const rows = current?.data ?? [];
        return { data: [...rows, ...page.data.filter((a) => !rows.some((x) => x.id === a.id))], next_cursor: page.next_cursor };
      });
      // Keyboard and screen reader users continue at the first row that came in.
      if (page.data.length > 0) focusRowAt(shown);
    } catch (err) {
      notify(errorText(err), 'error');
    } finally {
      setLoadingMore(false);
    }
  }

  return (
    <div className="page">
      <PageHeading>{t('billing.approvals.heading')}</PageHeading>
      <p className="hint">{t('billing.approvals.intro')}</p>
      <h2 ref={headingRef} className="section-heading" tabIndex={-1}>
        {t('billing.approvals.pending')}
      </h2>
      <p className="list-toolbar__count" role="status">
        {list && list.length > 0
          ? t(nextCursor ? 'billing.approvals.showingMore' : 'billing.approvals.showing', { count: list.length })
          : ''}
      </p>
      {state.error !== undefined && !list ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : !list ? (
        <Loading />
      ) : list.length === 0 ? (
        nextCursor ? (
          <Loading />
        ) : (
          <p className="empty">{t('billing.approvals.empty')}</p>
        )
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('billing.approvals.pending')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('billing.approvals.col.action')}</th>
                <th scope="col" className="num">
                  {t('billing.approvals.col.amount')}
                </th>
                <th scope="col">{t('billing.approvals.col.reason')}</th>
                <th scope="col">{t('billing.approvals.col.requestedBy')}</th>
                <th scope="col">{t('billing.approvals.col.where')}</th>
                <th scope="col">{t('billing.approvals.col.decide')}</th>
              </tr>
            </thead>
            <tbody ref={bodyRef}>
              {list.map((action) => {
                const amount = formatMoney(action.amount_minor, action.currency);
                const what = t(`billing.kindOf.${action.kind}`, { amount });
                return (
                  <tr key={action.id} data-testid="approval-row" data-money-action-id={action.id}>
                    <th scope="row" tabIndex={-1}>
                      {moneyActionKindLabel(action.kind)}
                    </th>
                    <td className="num">{amount}</td>
                    <td className="break">{action.reason}</td>
                    <td>
                      {action.requested_by.name || t('case.someone')}
                      <br />
                      <span className="muted small">
                        <RelativeTime iso={action.created_at} />
                      </span>
                    </td>
                    <td>
                      <ul className="plain-list">
                        {action.case_id && (
                          <li>
                            <Link to={`/cases/${action.case_id}`}>
                              {t('billing.approvals.openCase')}
                              <span className="visually-hidden"> {t('billing.approvals.of', { what })}</span>
                            </Link>
                          </li>
                        )}
                        <li>
                          <Link to={`/customers/${action.customer_id}`}>
                            {t('billing.approvals.openCustomer')}
                            <span className="visually-hidden"> {t('billing.approvals.of', { what })}</span>
                          </Link>
                        </li>
                      </ul>
                    </td>
                    <td>
                      <div className="row-actions">
                        <button
                          type="button"
                          className="button button--small button--primary"
                          onClick={() => setDeciding({ action, decision: 'approve' })}
                        >
                          {t('billing.approvals.approve')}
                          <span className="visually-hidden"> {what}</span>
                        </button>
                        <button type="button" className="button button--small" onClick={() => setDeciding({ action, decision: 'reject' })}>
                          {t('billing.approvals.reject')}
                          <span className="visually-hidden"> {what}</span>
                        </button>
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {nextCursor && list && list.length > 0 && (
        <div className="load-more">
          <button type="button" className="button" disabled={loadingMore} onClick={() => void loadMore()}>
            {t('billing.approvals.loadMore')}
          </button>
        </div>
      )}

      <Dialog
        open={deciding !== null}
        onClose={() => setDeciding(null)}
        title={deciding?.decision === 'reject' ? t('billing.approvals.rejectTitle') : t('billing.approvals.approveTitle')}
      >
        {deciding && (
          <DecisionForm
            action={deciding.action}
            decision={deciding.decision}
            onCancel={() => setDeciding(null)}
            onDecided={(action) => {
              setDeciding(null);
              decided(action, deciding.decision);
              headingRef.current?.focus();
            }}
            onGone={() => {
              state.reload();
              approvalsChanged();
            }}
          />
        )}
      </Dialog>
    </div>
  );
}

function DecisionForm({
  action,
  decision,
  onCancel,
  onDecided,
  onGone,
}: {
  action: MoneyAction;
  decision: Decision;
  onCancel: () => void;
  onDecided: (action: MoneyAction) => void;
  /** Someone else decided first: the list is out of date. */
  onGone: () => void;
}) {
  const id = useId();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const amount = formatMoney(action.amount_minor, action.currency);
  const what = t(`billing.kindOf.${action.kind}`, { amount });

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const result =
        decision === 'approve' ? await moneyActions.approve(action.id, note.trim()) : await moneyActions.reject(action.id, note.trim());
      onDecided(result);
    } catch (err) {
      if (isApiError(err) && err.status === 409) {
        setError(t('billing.approvals.alreadyDecided'));
        onGone();
      } else if (isApiError(err) && err.status === 403) {
        setError(err.code === 'billing.self_approval' ? t('billing.approvals.ownRequest') : errorText(err));
      } else {
        setError(errorText(err));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form" onSubmit={submit} noValidate>
      <div className="dialog__content">
        <p>
          <strong>{what}</strong>
        </p>
        <p className="break">{t('billing.reasonIs', { reason: action.reason })}</p>
        <p className="muted small">{t('billing.requestedBy', { name: action.requested_by.name || t('case.someone') })}</p>
      </div>
      <div className="field">
        <label htmlFor={`${id}-note`}>
          {decision === 'approve' ? t('billing.approvals.noteOptional') : t('billing.approvals.rejectNote')}
        </label>
        <textarea id={`${id}-note`} rows={3} maxLength={1000} value={note} data-autofocus onChange={(e) => setNote(e.target.value)} />
      </div>
      <FormError text={error} />
      <div className="form__actions">
        <button type="submit" className={`button ${decision === 'approve' ? 'button--primary' : 'button--danger'}`} disabled={busy}>
          {decision === 'approve' ? t('billing.approvals.approveSubmit') : t('billing.approvals.rejectSubmit')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
