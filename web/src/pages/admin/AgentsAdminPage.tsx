import { useState, type FormEvent } from 'react';
import { agents as agentsApi } from '../../api/client';
import { AGENT_ROLES, type Agent, type AgentRole, type Invitation } from '../../api/types';
import { useCurrentAgent } from '../../auth/SessionContext';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { CopyField } from '../../components/CopyField';
import { ErrorNotice, errorText, Loading } from '../../components/Notice';
import { PageHeading } from '../../components/PageHeading';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { presenceLabel, roleLabel, t } from '../../i18n';
import { useDirectory } from '../../shell/DirectoryContext';

export function AgentsAdminPage() {
  const { agent: me } = useCurrentAgent();
  const { notify } = useToast();
  const { reloadDirectory } = useDirectory();
  const state = useApi((signal) => agentsApi.list(signal), []);
  const [deactivating, setDeactivating] = useState<Agent | null>(null);

  async function update(agent: Agent, changes: { role?: AgentRole; status?: 'active' | 'deactivated' }, done: string) {
    try {
      const updated = await agentsApi.update(agent.id, changes);
      state.setData((list) => list?.map((a) => (a.id === agent.id ? { ...a, ...updated } : a)));
      reloadDirectory();
      notify(done);
    } catch (err) {
      notify(errorText(err), 'error');
      state.reload();
    }
  }

  return (
    <div className="page">
      <PageHeading>{t('agents.heading')}</PageHeading>
      <InviteForm
        onInvited={() => {
          state.reload();
          reloadDirectory();
        }}
      />

      <h2 className="section-heading">{t('agents.list')}</h2>
      {state.error !== undefined ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : !state.data ? (
        <Loading />
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('agents.list')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('agents.col.name')}</th>
                <th scope="col">{t('agents.col.email')}</th>
                <th scope="col">{t('agents.col.role')}</th>
                <th scope="col">{t('agents.col.status')}</th>
                <th scope="col">{t('agents.col.presence')}</th>
                <th scope="col">{t('agents.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {state.data.map((agent) => (
                <tr key={agent.id} data-testid="agent-row">
                  <th scope="row">{agent.name}</th>
                  <td className="break">{agent.email}</td>
                  <td>
                    <label htmlFor={`role-${agent.id}`} className="visually-hidden">
                      {t('agents.roleFor', { name: agent.name })}
                    </label>
                    <select
                      id={`role-${agent.id}`}
                      value={agent.role}
                      disabled={agent.id === me.id}
                      onChange={(e) => {
                        const role = e.target.value as AgentRole;
                        void update(agent, { role }, t('agents.roleChanged', { name: agent.name, role: roleLabel(role) }));
                      }}
                    >
                      {AGENT_ROLES.map((r) => (
                        <option key={r} value={r}>
                          {roleLabel(r)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <span className={`badge badge--agent-${agent.status}`}>{t(`agentStatus.${agent.status}`)}</span>
                  </td>
                  <td>{presenceLabel(agent.presence)}</td>
                  <td>
                    {agent.id === me.id ? (
                      <span className="muted small">{t('agents.you')}</span>
                    ) : agent.status === 'deactivated' ? (
                      <button
                        type="button"
                        className="button button--small"
                        onClick={() => void update(agent, { status: 'active' }, t('agents.reactivated', { name: agent.name }))}
                      >
                        {t('agents.reactivate')}
                        <span className="visually-hidden"> {agent.name}</span>
                      </button>
                    ) : (
                      <button type="button" className="button button--small button--danger-quiet" onClick={() => setDeactivating(agent)}>
                        {t('agents.deactivate')}
                        <span className="visually-hidden"> {agent.name}</span>
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
        open={deactivating !== null}
        title={t('agents.deactivateTitle')}
        confirmLabel={t('agents.deactivate')}
        danger
        onClose={() => setDeactivating(null)}
        onConfirm={async () => {
          if (deactivating) await update(deactivating, { status: 'deactivated' }, t('agents.deactivated', { name: deactivating.name }));
        }}
      >
        <p>{t('agents.deactivateBody', { name: deactivating?.name ?? '' })}</p>
      </ConfirmDialog>
    </div>
  );
}

function InviteForm({ onInvited }: { onInvited: () => void }) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<AgentRole>('agent');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<Invitation | null>(null);
  const { notify } = useToast();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!email.trim() || !name.trim()) return setError(t('agents.inviteMissing'));
    setBusy(true);
    setError(null);
    try {
      const invitation = await agentsApi.invite({ email: email.trim(), name: name.trim(), role });
      setResult(invitation);
      setEmail('');
      setName('');
      notify(t('agents.invited', { name: invitation.agent.name }));
      onInvited();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="invite-heading">
      <h2 id="invite-heading" className="panel__heading">
        {t('agents.invite')}
      </h2>
      <form className="form form--row" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="invite-email">{t('agents.email')}</label>
          <input id="invite-email" type="email" required maxLength={254} value={email} onChange={(e) => setEmail(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="invite-name">{t('agents.name')}</label>
          <input id="invite-name" type="text" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="invite-role">{t('agents.role')}</label>
          <select id="invite-role" value={role} onChange={(e) => setRole(e.target.value as AgentRole)}>
            {AGENT_ROLES.map((r) => (
              <option key={r} value={r}>
                {roleLabel(r)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button--primary" disabled={busy}>
          {t('agents.sendInvite')}
        </button>
      </form>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {result && (
        <div className="notice notice--success">
          {result.invite_url ? (
            <>
              <p>{t('agents.inviteLinkIntro', { name: result.agent.name })}</p>
              <CopyField label={t('agents.inviteLink')} value={result.invite_url} />
            </>
          ) : (
            <p>{t('agents.inviteNoLink')}</p>
          )}
        </div>
      )}
    </section>
  );
}
