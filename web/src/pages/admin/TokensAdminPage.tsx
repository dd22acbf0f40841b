import { useState, type FormEvent } from 'react';
import { apiTokens } from '../../api/client';
import type { ApiToken } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { CopyField } from '../../components/CopyField';
import { ErrorNotice, errorText, Loading } from '../../components/Notice';
import { PageHeading } from '../../components/PageHeading';
import { DateTime } from '../../components/Time';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { t } from '../../i18n';

export function TokensAdminPage() {
  const state = useApi((signal) => apiTokens.list(signal), []);
  const { notify } = useToast();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [secret, setSecret] = useState<{ name: string; value: string | null } | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);

  async function create(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) return setError(t('tokens.nameRequired'));
    setBusy(true);
    setError(null);
    try {
      const created = await apiTokens.create(name.trim());
      setSecret({ name: created.api_token.name, value: created.secret });
      setName('');
      notify(t('tokens.created', { name: created.api_token.name }));
      state.reload();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="page">
      <PageHeading>{t('tokens.heading')}</PageHeading>
      <p className="hint">{t('tokens.intro')}</p>

      <section className="panel" aria-labelledby="token-create-heading">
        <h2 id="token-create-heading" className="panel__heading">
          {t('tokens.create')}
        </h2>
        <form className="form form--row" onSubmit={create} noValidate>
          <div className="field field--grow">
            <label htmlFor="token-name">{t('tokens.name')}</label>
            <input id="token-name" type="text" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
          </div>
          <button type="submit" className="button button--primary" disabled={busy}>
            {t('tokens.createButton')}
          </button>
        </form>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        {secret && (
          <div className="notice notice--success">
            {secret.value ? (
              <>
                <p>
                  <strong>{t('tokens.onceTitle')}</strong> {t('tokens.onceBody')}
                </p>
                <CopyField label={t('tokens.secretFor', { name: secret.name })} value={secret.value} />
              </>
            ) : (
              <p>{t('tokens.noSecret')}</p>
            )}
            <button type="button" className="button button--small" onClick={() => setSecret(null)}>
              {t('tokens.hideSecret')}
            </button>
          </div>
        )}
      </section>

      <h2 className="section-heading">{t('tokens.list')}</h2>
      {state.error !== undefined ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : !state.data ? (
        <Loading />
      ) : state.data.length === 0 ? (
        <p className="empty">{t('tokens.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('tokens.list')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('tokens.col.name')}</th>
                <th scope="col">{t('tokens.col.prefix')}</th>
                <th scope="col">{t('tokens.col.created')}</th>
                <th scope="col">{t('tokens.col.lastUsed')}</th>
                <th scope="col">{t('tokens.col.status')}</th>
                <th scope="col">{t('tokens.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {state.data.map((token) => (
                <tr key={token.id} data-testid="token-row">
                  <th scope="row">{token.name}</th>
                  <td>
                    <code>{token.token_prefix}…</code>
                  </td>
                  <td>
                    <DateTime iso={token.created_at} />
                  </td>
                  <td>{token.last_used_at ? <DateTime iso={token.last_used_at} /> : <span className="muted">{t('tokens.never')}</span>}</td>
                  <td>
                    {token.revoked_at ? (
                      <span className="badge badge--neutral">{t('tokens.revoked')}</span>
                    ) : (
                      <span className="badge badge--success">{t('tokens.active')}</span>
                    )}
                  </td>
                  <td>
                    {!token.revoked_at && (
                      <button type="button" className="button button--small button--danger-quiet" onClick={() => setRevoking(token)}>
                        {t('tokens.revoke')}
                        <span className="visually-hidden"> {token.name}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <ConfirmDialog
        open={revoking !== null}
        title={t('tokens.revokeTitle')}
        confirmLabel={t('tokens.revoke')}
        danger
        onClose={() => setRevoking(null)}
        onConfirm={async () => {
          if (!revoking) return;
          await apiTokens.revoke(revoking.id);
          notify(t('tokens.revokedDone', { name: revoking.name }));
          state.reload();
        }}
      >
        <p>{t('tokens.revokeBody', { name: revoking?.name ?? '' })}</p>
      </ConfirmDialog>
    </div>
  );
}
