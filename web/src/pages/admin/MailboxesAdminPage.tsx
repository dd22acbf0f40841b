import { useEffect, useRef, useState } from 'react';
import { mailboxes as mailboxesApi } from '../../api/client';
import { ApiError, isApiError } from '../../api/http';
import type { Mailbox } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorNotice, errorText, Loading } from '../../components/Notice';
import { PageHeading } from '../../components/PageHeading';
import { RelativeTime } from '../../components/Time';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { categoryLabel, t } from '../../i18n';
import { useDirectory } from '../../shell/DirectoryContext';
import { MailboxDialog } from './MailboxDialog';

/** Admin › Mailboxes: the addresses Baton receives customer mail at. */
export function MailboxesAdminPage() {
  const state = useApi((signal) => mailboxesApi.list(signal), []);
  const { teams } = useDirectory();
  const { notify } = useToast();
  const [editing, setEditing] = useState<{ mailbox: Mailbox | null } | null>(null);
  const [removing, setRemoving] = useState<Mailbox | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  // The deleted row's button is gone: focus lands on "Add mailbox" once the dialog has closed.
  const focusAfterDelete = useRef(false);
  useEffect(() => {
    if (removing !== null || !focusAfterDelete.current) return;
    focusAfterDelete.current = false;
    addButton.current?.focus();
  }, [removing]);

  const teamName = (id: string | null) =>
    id ? (teams.find((tm) => tm.id === id)?.name ?? t('mailboxes.unknownTeam')) : t('mailboxes.noTeam');

  function replace(mailbox: Mailbox) {
    state.setData((list) =>
      list?.some((m) => m.id === mailbox.id) ? list.map((m) => (m.id === mailbox.id ? mailbox : m)) : [...(list ?? []), mailbox],
    );
  }

  async function setActive(mailbox: Mailbox, active: boolean) {
    setBusyId(mailbox.id);
    try {
      replace(await mailboxesApi.update(mailbox.id, { active }));
      notify(active ? t('mailboxes.activated', { address: mailbox.address }) : t('mailboxes.deactivated', { address: mailbox.address }));
    } catch (err) {
      notify(errorText(err), 'error');
      state.reload();
    } finally {
      setBusyId(null);
    }
  }

  return (
    <div className="page">
      <div className="page-header">
        <PageHeading>{t('mailboxes.heading')}</PageHeading>
        <div className="page-header__actions">
          <button ref={addButton} type="button" className="button button--primary" onClick={() => setEditing({ mailbox: null })}>
            {t('mailboxes.add')}
          </button>
        </div>
      </div>
      <p className="hint">{t('mailboxes.intro')}</p>

      <h2 className="section-heading">{t('mailboxes.list')}</h2>
      {state.error !== undefined ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : !state.data ? (
        <Loading />
      ) : state.data.length === 0 ? (
        <p className="empty">{t('mailboxes.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('mailboxes.list')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('mailboxes.col.address')}</th>
                <th scope="col">{t('mailboxes.col.name')}</th>
                <th scope="col">{t('mailboxes.col.team')}</th>
                <th scope="col">{t('mailboxes.col.category')}</th>
                <th scope="col">{t('mailboxes.col.ack')}</th>
                <th scope="col">{t('mailboxes.col.imap')}</th>
                <th scope="col">{t('mailboxes.col.status')}</th>
                <th scope="col">{t('mailboxes.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {state.data.map((mailbox) => (
                <tr key={mailbox.id} data-testid="mailbox-row" data-mailbox-id={mailbox.id} data-active={mailbox.active}>
                  <th scope="row" className="break">
                    {mailbox.address}
                  </th>
                  <td>{mailbox.name}</td>
                  <td>{teamName(mailbox.team_id)}</td>
                  <td>{categoryLabel(mailbox.category)}</td>
                  <td>
                    {mailbox.acknowledge ? (
                      <span className="badge badge--success">{t('mailboxes.ackOn')}</span>
                    ) : (
                      <span className="badge badge--neutral">{t('mailboxes.ackOff')}</span>
                    )}
                  </td>
                  <td>
                    <ImapStatus mailbox={mailbox} />
                  </td>
                  <td>
                    {mailbox.active ? (
                      <span className="badge badge--success">{t('mailboxes.active')}</span>
                    ) : (
                      <span className="badge badge--warning">{t('mailboxes.inactive')}</span>
                    )}
                  </td>
                  <td>
                    <div className="row-actions">
                      <button type="button" className="button button--small" onClick={() => setEditing({ mailbox })}>
                        {t('mailboxes.edit')}
                        <span className="visually-hidden"> {mailbox.address}</span>
                      </button>
                      <button
                        type="button"
                        className="button button--small"
                        disabled={busyId === mailbox.id}
                        onClick={() => void setActive(mailbox, !mailbox.active)}
                      >
                        {mailbox.active ? t('mailboxes.deactivate') : t('mailboxes.activate')}
                        <span className="visually-hidden"> {mailbox.address}</span>
                      </button>
                      <button type="button" className="button button--small button--danger-quiet" onClick={() => setRemoving(mailbox)}>
                        {t('mailboxes.delete')}
                        <span className="visually-hidden"> {mailbox.address}</span>
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <MailboxDialog
        open={editing !== null}
        mailbox={editing?.mailbox ?? null}
        onClose={() => setEditing(null)}
        onSaved={(mailbox) => {
          replace(mailbox);
          setEditing(null);
        }}
      />

      <ConfirmDialog
        open={removing !== null}
        title={t('mailboxes.deleteTitle')}
        confirmLabel={t('mailboxes.delete')}
        danger
        onClose={() => setRemoving(null)}
        onConfirm={async () => {
          if (!removing) return;
          try {
            await mailboxesApi.remove(removing.id);
          } catch (err) {
            // Mail and cases still point at it: say what to do instead of the bare refusal.
            if (isApiError(err) && err.status === 409) throw new ApiError(409, err.code, t('mailboxes.inUse'));
            throw err;
          }
          notify(t('mailboxes.deleted', { address: removing.address }));
          state.setData((list) => list?.filter((m) => m.id !== removing.id));
          focusAfterDelete.current = true;
        }}
      >
        <p>{t('mailboxes.deleteBody', { address: removing?.address ?? '' })}</p>
      </ConfirmDialog>
    </div>
  );
}

/** Whether the mailbox fetches over IMAP, and how the last run went. */
function ImapStatus({ mailbox }: { mailbox: Mailbox }) {
  const imap = mailbox.imap;
  if (!imap) return <span className="muted">{t('mailboxes.imapNone')}</span>;
  return (
    <div className="imap-status">
      <span className="break">
        {imap.host}:{imap.port}
      </span>
      {imap.last_error ? (
        <span className="imap-status__error">
          <span className="badge badge--danger">{t('mailboxes.imapError')}</span> <span className="break">{imap.last_error}</span>
        </span>
      ) : imap.last_sync_at ? (
        <span className="muted small">
          {t('mailboxes.imapLastSync')} <RelativeTime iso={imap.last_sync_at} />
        </span>
      ) : (
        <span className="muted small">{t('mailboxes.imapNeverSynced')}</span>
      )}
    </div>
  );
}
