import { useEffect, useId, useState } from 'react';
import { macros as macrosApi, type Macro, type MacroScope } from '../../api/macros';
import { useCurrentAgent } from '../../auth/SessionContext';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorNotice, Loading } from '../../components/Notice';
import { PageHeading } from '../../components/PageHeading';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { t } from '../../i18n';
import { MacroDialog } from './MacroDialog';
import './macros.css';

/**
 * Admin › Macros: supervisors and admins manage shared macros; every agent manages their own
 * personal ones here too (the server decides what each may change).
 */
export function MacrosPage() {
  const id = useId();
  const { agent } = useCurrentAgent();
  const canShare = agent.role === 'admin' || agent.role === 'supervisor';
  const [query, setQuery] = useState('');
  const [debounced, setDebounced] = useState('');
  const [scope, setScope] = useState<MacroScope>('all');
  const [editing, setEditing] = useState<Macro | null>(null);
  const [dialogOpen, setDialogOpen] = useState(false);
  const [deleting, setDeleting] = useState<Macro | null>(null);
  const { notify } = useToast();

  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(query.trim()), 250);
    return () => window.clearTimeout(timer);
  }, [query]);

  const list = useApi((signal) => macrosApi.list({ q: debounced || undefined, scope, limit: 100 }, signal), [debounced, scope]);
  const mayEdit = (macro: Macro) => (macro.shared ? canShare : macro.owner_agent_id === agent.id);

  return (
    <div className="page page--wide">
      <div className="page-header">
        <PageHeading>{t('macros.heading')}</PageHeading>
        <div className="page-header__actions">
          <button
            type="button"
            className="button button--primary"
            onClick={() => {
              setEditing(null);
              setDialogOpen(true);
            }}
          >
            {t('macros.new')}
          </button>
        </div>
      </div>
      <p className="hint">{canShare ? t('macros.introSupervisor') : t('macros.introAgent')}</p>

      <div className="filters" role="search">
        <div className="field field--inline">
          <label htmlFor={`${id}-q`}>{t('macros.search')}</label>
          <input id={`${id}-q`} type="search" value={query} maxLength={200} onChange={(e) => setQuery(e.target.value)} />
        </div>
        <div className="field field--inline">
          <label htmlFor={`${id}-scope`}>{t('macros.scope')}</label>
          <select id={`${id}-scope`} value={scope} onChange={(e) => setScope(e.target.value as MacroScope)}>
            <option value="all">{t('macros.scope.all')}</option>
            <option value="shared">{t('macros.scope.shared')}</option>
            <option value="personal">{t('macros.scope.personal')}</option>
          </select>
        </div>
      </div>

      {list.error !== undefined && !list.data ? (
        <ErrorNotice error={list.error} onRetry={list.reload} />
      ) : !list.data ? (
        <Loading />
      ) : list.data.data.length === 0 ? (
        <p className="empty">{debounced ? t('macros.none') : t('macros.empty')}</p>
      ) : (
        <table className="macros-table">
          <caption className="visually-hidden">{t('macros.heading')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('macros.form.name')}</th>
              <th scope="col">{t('macros.scope')}</th>
              <th scope="col">{t('macros.used')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('macros.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.data.map((macro) => (
              <tr key={macro.id}>
                <td>
                  <strong>{macro.name}</strong>
                  {macro.description && <div className="muted small">{macro.description}</div>}
                </td>
                <td>{macro.shared ? t('macros.shared') : t('macros.personal')}</td>
                <td>{t('macros.usedTimes', { count: macro.usage_count })}</td>
                <td>
                  {mayEdit(macro) && (
                    <>
                      <button
                        type="button"
                        className="button button--small"
                        aria-label={t('macros.editNamed', { name: macro.name })}
                        onClick={() => {
                          setEditing(macro);
                          setDialogOpen(true);
                        }}
                      >
                        {t('macros.edit')}
                      </button>{' '}
                      <button
                        type="button"
                        className="button button--small button--danger-quiet"
                        aria-label={t('macros.deleteNamed', { name: macro.name })}
                        onClick={() => setDeleting(macro)}
                      >
                        {t('macros.delete')}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <MacroDialog
        open={dialogOpen}
        macro={editing}
        canShare={canShare}
        onClose={() => setDialogOpen(false)}
        onSaved={(saved) => {
          notify(t('macros.saved', { name: saved.name }));
          list.reload();
        }}
      />
      <ConfirmDialog
        open={deleting !== null}
        title={t('macros.deleteTitle', { name: deleting?.name ?? '' })}
        confirmLabel={t('macros.delete')}
        danger
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await macrosApi.remove(deleting.id);
          notify(t('macros.deleted', { name: deleting.name }));
          list.reload();
        }}
      >
        <p>{t('macros.deleteBody')}</p>
      </ConfirmDialog>
    </div>
  );
}
