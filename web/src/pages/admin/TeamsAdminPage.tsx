import { useEffect, useId, useState, type FormEvent } from 'react';
import { agents as agentsApi, teams as teamsApi } from '../../api/client';
import { CASE_CATEGORIES, type Agent, type CaseCategory, type Team } from '../../api/types';
import { ErrorNotice, errorText, Loading } from '../../components/Notice';
import { PageHeading } from '../../components/PageHeading';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { categoryLabel, t } from '../../i18n';
import { useDirectory } from '../../shell/DirectoryContext';
import { useViews } from '../../shell/ViewsContext';

export function TeamsAdminPage() {
  const teams = useApi((signal) => teamsApi.list(signal), []);
  const agents = useApi((signal) => agentsApi.list(signal), []);
  const { reloadDirectory } = useDirectory();
  const { refreshViews } = useViews();

  const changed = (team?: Team) => {
    if (team) teams.setData((list) => list?.map((x) => (x.id === team.id ? team : x)));
    else teams.reload();
    reloadDirectory();
    refreshViews();
  };

  return (
    <div className="page">
      <PageHeading>{t('teams.heading')}</PageHeading>
      <CreateTeamForm onCreated={() => changed()} />
      {teams.error !== undefined ? (
        <ErrorNotice error={teams.error} onRetry={teams.reload} />
      ) : !teams.data ? (
        <Loading />
      ) : teams.data.length === 0 ? (
        <p className="empty">{t('teams.empty')}</p>
      ) : (
        teams.data.map((team) => <TeamSection key={team.id} team={team} agents={agents.data ?? []} onChanged={changed} />)
      )}
    </div>
  );
}

function CreateTeamForm({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [autoAssign, setAutoAssign] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { notify } = useToast();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) return setError(t('teams.nameRequired'));
    setBusy(true);
    setError(null);
    try {
      await teamsApi.create({ name: name.trim(), description: description.trim(), auto_assign: autoAssign });
      notify(t('teams.created', { name: name.trim() }));
      setName('');
      setDescription('');
      setAutoAssign(false);
      onCreated();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="create-team-heading">
      <h2 id="create-team-heading" className="panel__heading">
        {t('teams.create')}
      </h2>
      <form className="form form--row" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="team-new-name">{t('teams.name')}</label>
          <input id="team-new-name" type="text" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field field--grow">
          <label htmlFor="team-new-description">{t('teams.description')}</label>
          <input
            id="team-new-description"
            type="text"
            maxLength={2000}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={autoAssign} onChange={(e) => setAutoAssign(e.target.checked)} />
          <span>{t('teams.autoAssign')}</span>
        </label>
        <button type="submit" className="button button--primary" disabled={busy}>
          {t('teams.createButton')}
        </button>
      </form>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

function TeamSection({ team, agents, onChanged }: { team: Team; agents: Agent[]; onChanged: (team?: Team) => void }) {
  const id = useId();
  const { notify } = useToast();
  const [members, setMembers] = useState<string[]>(team.members.map((m) => m.id));
  const [savingMembers, setSavingMembers] = useState(false);
  const memberKey = team.members.map((m) => m.id).join(',');
  useEffect(() => setMembers(memberKey ? memberKey.split(',') : []), [memberKey]);

  const candidates = agents.filter((a) => a.status !== 'deactivated' || members.includes(a.id));
  const dirty =
    [...members].sort().join(',') !==
    team.members
      .map((m) => m.id)
      .sort()
      .join(',');

  async function toggleAutoAssign(on: boolean) {
    try {
      onChanged(await teamsApi.update(team.id, { auto_assign: on }));
      notify(on ? t('teams.autoAssignOn', { name: team.name }) : t('teams.autoAssignOff', { name: team.name }));
    } catch (err) {
      notify(errorText(err), 'error');
    }
  }

  async function saveMembers(event: FormEvent) {
    event.preventDefault();
    setSavingMembers(true);
    try {
      onChanged(await teamsApi.setMembers(team.id, members));
      notify(t('teams.membersSaved', { name: team.name }));
    } catch (err) {
      notify(errorText(err), 'error');
    } finally {
      setSavingMembers(false);
    }
  }

  return (
    <section className="panel team" aria-labelledby={`${id}-heading`} data-testid="team">
      <h2 id={`${id}-heading`} className="panel__heading">
        {team.name}
      </h2>
      {team.description && <p className="muted">{team.description}</p>}
      <label className="checkbox">
        <input type="checkbox" checked={team.auto_assign} onChange={(e) => void toggleAutoAssign(e.target.checked)} />
        <span>{t('teams.autoAssignFor', { name: team.name })}</span>
      </label>

      <div className="team__columns">
        <form onSubmit={saveMembers}>
          <fieldset>
            <legend>{t('teams.membersOf', { name: team.name })}</legend>
            {candidates.length === 0 ? (
              <p className="muted small">{t('teams.noAgents')}</p>
            ) : (
              <ul className="plain-list checkbox-list">
                {candidates.map((agent) => (
                  <li key={agent.id}>
                    <label className="checkbox">
                      <input
                        type="checkbox"
                        checked={members.includes(agent.id)}
                        onChange={(e) =>
                          setMembers((list) => (e.target.checked ? [...list, agent.id] : list.filter((x) => x !== agent.id)))
                        }
                      />
                      <span>{agent.name}</span>
                    </label>
                  </li>
                ))}
              </ul>
            )}
          </fieldset>
          <button type="submit" className="button button--small" disabled={!dirty || savingMembers}>
            {t('teams.saveMembers')}
          </button>
        </form>

        <div>
          <h3 className="panel__subheading">{t('teams.queues')}</h3>
          {team.queues.length === 0 ? (
            <p className="muted small">{t('teams.noQueues')}</p>
          ) : (
            <ul className="plain-list">
              {team.queues.map((q) => (
                <li key={q.id}>
                  <strong>{q.name}</strong>
                  {q.categories.length > 0 && <span className="muted"> — {q.categories.map((c) => categoryLabel(c)).join(', ')}</span>}
                </li>
              ))}
            </ul>
          )}
          <AddQueueForm team={team} onAdded={() => onChanged()} />
        </div>
      </div>
    </section>
  );
}

function AddQueueForm({ team, onAdded }: { team: Team; onAdded: () => void }) {
  const id = useId();
  const { notify } = useToast();
  const [name, setName] = useState('');
  const [categories, setCategories] = useState<CaseCategory[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) return setError(t('teams.queueNameRequired'));
    setBusy(true);
    setError(null);
    try {
      await teamsApi.addQueue(team.id, { name: name.trim(), categories });
      notify(t('teams.queueAdded', { name: name.trim() }));
      setName('');
      setCategories([]);
      onAdded();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form add-queue" onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor={`${id}-name`}>{t('teams.queueName', { team: team.name })}</label>
        <input id={`${id}-name`} type="text" maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <fieldset>
        <legend>{t('teams.queueCategories')}</legend>
        <div className="checkbox-row">
          {CASE_CATEGORIES.map((c) => (
            <label key={c} className="checkbox-chip">
              <input
                type="checkbox"
                checked={categories.includes(c)}
                onChange={(e) => setCategories((list) => (e.target.checked ? [...list, c] : list.filter((x) => x !== c)))}
              />
              <span>{categoryLabel(c)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button button--small" disabled={busy}>
        {t('teams.addQueue')}
      </button>
    </form>
  );
}
