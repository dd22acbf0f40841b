import { useState } from 'react';
import { chatSites, type ChatSite, type ChatSiteWithSecret } from '../../api/chat';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { CopyField } from '../../components/CopyField';
import { ErrorNotice, Loading } from '../../components/Notice';
import { PageHeading } from '../../components/PageHeading';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { categoryLabel, t } from '../../i18n';
import { useDirectory } from '../../shell/DirectoryContext';
import { ChatCapacity } from './ChatCapacity';
import { ChatSiteDialog } from './ChatSiteDialog';

/** Admin › Chat: the sites that embed the widget (snippet, secret, routing) and agents' chat capacity. */
export function ChatAdminPage() {
  const state = useApi((signal) => chatSites.list(signal), []);
  const { notify } = useToast();
  const { teams } = useDirectory();
  const [editing, setEditing] = useState<ChatSite | null | 'new'>(null);
  const [rotating, setRotating] = useState<ChatSite | null>(null);
  /** The secret answered by create or rotate: shown once, until dismissed. */
  const [secret, setSecret] = useState<{ siteId: string; value: string } | null>(null);
  const teamName = (id: string | null) => (id ? (teams.find((team) => team.id === id)?.name ?? '') : t('chatAdmin.anyTeam'));

  function saved(site: ChatSite | ChatSiteWithSecret) {
    const created = editing === 'new';
    setEditing(null);
    if ('secret' in site) setSecret({ siteId: site.id, value: site.secret });
    notify(created ? t('chatAdmin.created') : t('chatAdmin.saved'));
    state.reload();
  }

  return (
    <div className="page">
      <div className="page-header">
        <PageHeading>{t('chatAdmin.heading')}</PageHeading>
        <div className="page-header__actions">
          <button type="button" className="button button--primary" onClick={() => setEditing('new')}>
            {t('chatAdmin.add')}
          </button>
        </div>
      </div>

      <h2 className="section-heading">{t('chatAdmin.sites')}</h2>
      {state.error !== undefined ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : !state.data ? (
        <Loading />
      ) : state.data.length === 0 ? (
        <p className="empty">{t('chatAdmin.noSites')}</p>
      ) : (
        state.data.map((site) => (
          <section key={site.id} className="chat-site" aria-labelledby={`chat-site-${site.id}`} data-testid="chat-site">
            <h3 id={`chat-site-${site.id}`}>
              <span className="chat-site__swatch" style={{ background: site.colour }} aria-hidden="true" />
              {site.name} {!site.active && <span className="badge badge--neutral">{t('chatAdmin.inactive')}</span>}
            </h3>
            <p className="hint">
              {t('chatAdmin.originsCount', { count: site.allowed_origins.length })}
              {site.allowed_origins.length > 0 && `: ${site.allowed_origins.join(', ')}`} · {t('chatAdmin.team')}: {teamName(site.team_id)}{' '}
              · {t('chatAdmin.category')}: {categoryLabel(site.category)}
            </p>
            {site.greeting && <p>{site.greeting}</p>}
            <CopyField label={t('chatAdmin.snippet')} value={site.snippet} />
            {secret?.siteId === site.id && (
              <div className="notice notice--success">
                <p>{t('chatAdmin.secretOnce')}</p>
                <CopyField label={t('chatAdmin.secret')} value={secret.value} />
                <button type="button" className="button button--small" onClick={() => setSecret(null)}>
                  {t('common.dismiss')}
                </button>
              </div>
            )}
            <div className="form__actions">
              <button type="button" className="button button--small" onClick={() => setEditing(site)}>
                {t('chatAdmin.edit')}
                <span className="visually-hidden"> {site.name}</span>
              </button>
              <button type="button" className="button button--small" onClick={() => setRotating(site)}>
                {t('chatAdmin.rotate')}
                <span className="visually-hidden"> {site.name}</span>
              </button>
            </div>
          </section>
        ))
      )}

      <ChatCapacity />

      <ChatSiteDialog open={editing !== null} site={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={saved} />
      <ConfirmDialog
        open={rotating !== null}
        title={t('chatAdmin.rotateTitle', { name: rotating?.name ?? '' })}
        confirmLabel={t('chatAdmin.rotate')}
        onClose={() => setRotating(null)}
        onConfirm={async () => {
          if (!rotating) return;
          const rotated = await chatSites.rotateSecret(rotating.id);
          setSecret({ siteId: rotated.id, value: rotated.secret });
          notify(t('chatAdmin.rotated'));
          state.reload();
        }}
      >
        <p>{t('chatAdmin.rotateBody')}</p>
      </ConfirmDialog>
    </div>
  );
}
