import type { EscalationAction } from '../../api/sla';
import type { Agent, Team } from '../../api/types';
import { FieldError } from '../../components/FieldError';
import { roleLabel, t } from '../../i18n';
import { describedBy } from '../../lib/fieldErrors';

type ActionType = EscalationAction['type'];
const ACTION_TYPES: ActionType[] = ['notify', 'reassign', 'raise_priority', 'add_follower'];
const ROLES = ['agent', 'supervisor', 'admin'] as const;

function blankAction(type: ActionType, agents: Agent[]): EscalationAction {
  switch (type) {
    case 'notify':
      return { type, assignee: true };
    case 'reassign':
      return { type };
    case 'raise_priority':
      return { type };
    default:
      return { type: 'add_follower', agent_id: agents[0]?.id ?? '' };
  }
}

const actionLabel = (type: ActionType): string =>
  type === 'notify'
    ? t('sla.action.notify')
    : type === 'reassign'
      ? t('sla.action.reassign')
      : type === 'raise_priority'
        ? t('sla.action.raisePriority')
        : t('sla.action.addFollower');

interface EscalationEditorProps {
  /** warning | breach: the server's path is escalations.<when>[i]. */
  when: 'warning' | 'breach';
  legend: string;
  actions: EscalationAction[];
  onChange: (actions: EscalationAction[]) => void;
  agents: Agent[];
  teams: Team[];
  idPrefix: string;
  error: (path: string) => string | undefined;
}

/** The actions carried out when a target reaches its warning threshold, or is breached. */
export function EscalationEditor({ when, legend, actions, onChange, agents, teams, idPrefix, error }: EscalationEditorProps) {
  const set = (index: number, action: EscalationAction) => onChange(actions.map((a, i) => (i === index ? action : a)));
  return (
    <fieldset>
      <legend>{legend}</legend>
      {actions.length === 0 && <p className="muted small">{t('sla.action.none')}</p>}
      <ul className="sla-inline-list">
        {actions.map((action, i) => {
          const path = `escalations.${when}[${i}]`;
          const base = `${idPrefix}-${when}-${i}`;
          const message = error(path);
          const invalid = message ? { 'aria-invalid': true as const, 'aria-describedby': describedBy(`${base}-error`) } : {};
          const n = i + 1;
          return (
            <li key={i} data-testid="escalation-action">
              <div className="field">
                <label htmlFor={`${base}-type`}>{t('sla.action.type', { n })}</label>
                <select
                  id={`${base}-type`}
                  value={action.type}
                  onChange={(e) => set(i, blankAction(e.target.value as ActionType, agents))}
                  {...invalid}
                >
                  {ACTION_TYPES.map((type) => (
                    <option key={type} value={type}>
                      {actionLabel(type)}
                    </option>
                  ))}
                </select>
              </div>
              {action.type === 'notify' && (
                <>
                  <label className="checkbox">
                    <input
                      type="checkbox"
                      checked={action.assignee ?? false}
                      onChange={(e) => set(i, { ...action, assignee: e.target.checked })}
                    />
                    <span>{t('sla.action.assignee')}</span>
                  </label>
                  {ROLES.map((role) => (
                    <label key={role} className="checkbox">
                      <input
                        type="checkbox"
                        checked={action.roles?.includes(role) ?? false}
                        onChange={(e) => {
                          const roles = (action.roles ?? []).filter((r) => r !== role);
                          set(i, { ...action, roles: e.target.checked ? [...roles, role] : roles });
                        }}
                      />
                      <span>{t('sla.action.everyRole', { role: roleLabel(role) })}</span>
                    </label>
                  ))}
                  <div className="field">
                    <label htmlFor={`${base}-agent`}>{t('sla.action.notifyAgent')}</label>
                    <select
                      id={`${base}-agent`}
                      value={action.agent_ids?.[0] ?? ''}
                      onChange={(e) => set(i, { ...action, agent_ids: e.target.value ? [e.target.value] : [] })}
                    >
                      <option value="">{t('sla.action.noAgent')}</option>
                      {agents.map((a) => (
                        <option key={a.id} value={a.id}>
                          {a.name}
                        </option>
                      ))}
                    </select>
                  </div>
                </>
              )}
              {action.type === 'reassign' && (
                <>
                  <div className="field">
                    <label htmlFor={`${base}-team`}>{t('sla.action.toTeam')}</label>
                    <select
                      id={`${base}-team`}
                      value={action.team_id ?? ''}
                      onChange={(e) => {
                        const { queue_id: _queue, team_id: _team, ...rest } = action;
                        set(i, e.target.value ? { ...rest, team_id: e.target.value } : rest);
                      }}
                    >
                      <option value="">{t('sla.action.noTeam')}</option>
                      {teams.map((tm) => (
                        <option key={tm.id} value={tm.id}>
                          {tm.name}
                        </option>
                      ))}
                    </select>
                  </div>
                  <div className="field">
                    <label htmlFor={`${base}-queue`}>{t('sla.action.toQueue')}</label>
                    <select
                      id={`${base}-queue`}
                      value={action.queue_id ?? ''}
                      disabled={!action.team_id}
                      onChange={(e) => {
                        const { queue_id: _queue, ...rest } = action;
                        set(i, e.target.value ? { ...rest, queue_id: e.target.value } : rest);
                      }}
                    >
                      <option value="">{t('sla.action.noQueue')}</option>
                      {(teams.find((tm) => tm.id === action.team_id)?.queues ?? []).map((q) => (
                        <option key={q.id} value={q.id}>
                          {q.name}
                        </option>
                      ))}
                    </select>
                  </div>
                  <div className="field">
                    <label htmlFor={`${base}-to-agent`}>{t('sla.action.toAgent')}</label>
                    <select
                      id={`${base}-to-agent`}
                      value={action.agent_id ?? ''}
                      onChange={(e) => {
                        const { agent_id: _agent, ...rest } = action;
                        set(i, e.target.value ? { ...rest, agent_id: e.target.value } : rest);
                      }}
                    >
                      <option value="">{t('sla.action.noAgent')}</option>
                      {agents.map((a) => (
                        <option key={a.id} value={a.id}>
                          {a.name}
                        </option>
                      ))}
                    </select>
                  </div>
                </>
              )}
              {action.type === 'raise_priority' && (
                <div className="field">
                  <label htmlFor={`${base}-to`}>{t('sla.action.raiseTo')}</label>
                  <select
                    id={`${base}-to`}
                    value={action.to ?? ''}
                    onChange={(e) =>
                      set(
                        i,
                        e.target.value ? { type: 'raise_priority', to: e.target.value as 'high' | 'urgent' } : { type: 'raise_priority' },
                      )
                    }
                  >
                    <option value="">{t('sla.action.oneStep')}</option>
                    <option value="high">{t('priority.high')}</option>
                    <option value="urgent">{t('priority.urgent')}</option>
                  </select>
                </div>
              )}
              {action.type === 'add_follower' && (
                <div className="field">
                  <label htmlFor={`${base}-follower`}>{t('sla.action.follower')}</label>
                  <select
                    id={`${base}-follower`}
                    value={action.agent_id}
                    onChange={(e) => set(i, { type: 'add_follower', agent_id: e.target.value })}
                  >
                    {agents.map((a) => (
                      <option key={a.id} value={a.id}>
                        {a.name}
                      </option>
                    ))}
                  </select>
                </div>
              )}
              <button
                type="button"
                className="button button--small button--quiet"
                onClick={() => onChange(actions.filter((_, j) => j !== i))}
              >
                {t('sla.action.remove', { n })}
              </button>
              <FieldError id={`${base}-error`} text={message} />
            </li>
          );
        })}
      </ul>
      <button type="button" className="button button--small" onClick={() => onChange([...actions, blankAction('notify', agents)])}>
        {legend === '' ? t('sla.action.add') : t('sla.action.addTo', { what: legend })}
      </button>
    </fieldset>
  );
}
