import { ACTION_TYPES, type RuleAction, type RuleActionType } from '../../api/triggers';
import { CASE_CATEGORIES, CASE_PRIORITIES, CASE_STATUSES, type Agent, type Team } from '../../api/types';
import { FieldError } from '../../components/FieldError';
import { categoryLabel, priorityLabel, roleLabel, statusLabel, t, type MessageKey } from '../../i18n';
import { describedBy } from '../../lib/fieldErrors';
import { ListInput } from './ListInput';
import './automation.css';

const ROLES = ['agent', 'supervisor', 'admin'] as const;

export function blankAction(type: RuleActionType, teams: Team[]): RuleAction {
  switch (type) {
    case 'set_status':
      return { type, status: 'open' };
    case 'set_priority':
      return { type, priority: 'high' };
    case 'set_category':
      return { type, category: 'general' };
    case 'assign_team':
      return { type, team_id: teams[0]?.id ?? '' };
    case 'assign_agent':
      return { type, agent_id: null };
    case 'add_tags':
    case 'remove_tags':
      return { type, tags: [] };
    case 'send_message':
      return { type, visibility: 'public', body: '' };
    case 'notify':
      return { type, assignee: true, subject: '', body: '' };
    case 'webhook':
      return { type, url: '' };
  }
}

export const actionLabel = (type: string) => t(`automation.action.${type}` as MessageKey);

export interface ActionEditorProps {
  actions: RuleAction[];
  onChange: (actions: RuleAction[]) => void;
  agents: Agent[];
  teams: Team[];
  idPrefix: string;
  /** The error at a server path such as `actions[2].team_id`. */
  error: (path: string) => string | undefined;
  /** Path of the actions in the request body (default `actions`). */
  path?: string;
}

/**
 * A rule's actions in order, one row per action with the inputs its type needs. Shared by
 * Admin › Triggers and Admin › Automations.
 */
export function ActionEditor({ actions, onChange, agents, teams, idPrefix, error, path = 'actions' }: ActionEditorProps) {
  const set = (index: number, action: RuleAction) => onChange(actions.map((a, i) => (i === index ? action : a)));
  const move = (index: number, by: -1 | 1) => {
    const next = [...actions];
    [next[index], next[index + by]] = [next[index + by]!, next[index]!];
    onChange(next);
  };
  return (
    <fieldset className="rule-group">
      <legend>{t('automation.actions.legend')}</legend>
      <FieldError id={`${idPrefix}-actions-error`} text={error(path)} />
      {actions.length === 0 && <p className="muted small">{t('automation.actions.none')}</p>}
      <ol className="rule-rows">
        {actions.map((action, i) => {
          const at = `${path}[${i}]`;
          const base = `${idPrefix}-action-${i}`;
          const n = i + 1;
          const fieldError = (name: string) => error(`${at}.${name}`);
          const message = error(at);
          const invalidOf = (text: string | undefined, suffix: string) =>
            text ? { 'aria-invalid': true as const, 'aria-describedby': describedBy(`${base}-${suffix}-error`) } : {};
          return (
            <li key={i} className="rule-row rule-row--action" data-testid="rule-action">
              <div className="field">
                <label htmlFor={`${base}-type`}>{t('automation.action.type', { n })}</label>
                <select
                  id={`${base}-type`}
                  value={action.type}
                  onChange={(e) => set(i, blankAction(e.target.value as RuleActionType, teams))}
                  {...invalidOf(message, 'row')}
                >
                  {ACTION_TYPES.map((type) => (
                    <option key={type} value={type}>
                      {actionLabel(type)}
                    </option>
                  ))}
                </select>
              </div>
              <ActionInputs
                action={action}
                base={base}
                agents={agents}
                teams={teams}
                fieldError={fieldError}
                invalidOf={invalidOf}
                onChange={(next) => set(i, next)}
              />
              <div className="rule-row__buttons">
                <button type="button" className="button button--small" disabled={i === 0} onClick={() => move(i, -1)}>
                  <span aria-hidden="true">↑</span>
                  <span className="visually-hidden">{t('automation.action.moveUp', { n })}</span>
                </button>
                <button type="button" className="button button--small" disabled={i === actions.length - 1} onClick={() => move(i, 1)}>
                  <span aria-hidden="true">↓</span>
                  <span className="visually-hidden">{t('automation.action.moveDown', { n })}</span>
                </button>
                <button type="button" className="button button--small" onClick={() => onChange(actions.filter((_, j) => j !== i))}>
                  <span aria-hidden="true">×</span>
                  <span className="visually-hidden">{t('automation.action.remove', { n })}</span>
                </button>
              </div>
              <FieldError id={`${base}-row-error`} text={message} />
            </li>
          );
        })}
      </ol>
      <button type="button" className="button button--small" onClick={() => onChange([...actions, blankAction('add_tags', teams)])}>
        {t('automation.actions.add')}
      </button>
    </fieldset>
  );
}

interface ActionInputsProps {
  action: RuleAction;
  base: string;
  agents: Agent[];
  teams: Team[];
  fieldError: (name: string) => string | undefined;
  invalidOf: (text: string | undefined, suffix: string) => Record<string, unknown>;
  onChange: (action: RuleAction) => void;
}

function ActionInputs({ action, base, agents, teams, fieldError, invalidOf, onChange }: ActionInputsProps) {
  const field = (name: string, label: string, control: React.ReactNode) => (
    <div className="field">
      <label htmlFor={`${base}-${name}`}>{label}</label>
      {control}
      <FieldError id={`${base}-${name}-error`} text={fieldError(name)} />
    </div>
  );
  const props = (name: string) => ({ id: `${base}-${name}`, ...invalidOf(fieldError(name), name) });
  switch (action.type) {
    case 'set_status':
      return field(
        'status',
        t('automation.field.status'),
        <select
          {...props('status')}
          value={action.status}
          onChange={(e) => onChange({ ...action, status: e.target.value as typeof action.status })}
        >
          {CASE_STATUSES.map((s) => (
            <option key={s} value={s}>
              {statusLabel(s)}
            </option>
          ))}
        </select>,
      );
    case 'set_priority':
      return field(
        'priority',
        t('automation.field.priority'),
        <select
          {...props('priority')}
          value={action.priority}
          onChange={(e) => onChange({ ...action, priority: e.target.value as typeof action.priority })}
        >
          {CASE_PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {priorityLabel(p)}
            </option>
          ))}
        </select>,
      );
    case 'set_category':
      return field(
        'category',
        t('automation.field.category'),
        <select
          {...props('category')}
          value={action.category}
          onChange={(e) => onChange({ ...action, category: e.target.value as typeof action.category })}
        >
          {CASE_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {categoryLabel(c)}
            </option>
          ))}
        </select>,
      );
    case 'assign_team': {
      const queues = teams.find((tm) => tm.id === action.team_id)?.queues ?? [];
      return (
        <>
          {field(
            'team_id',
            t('automation.action.team'),
            <select
              {...props('team_id')}
              value={action.team_id}
              onChange={(e) => onChange({ type: 'assign_team', team_id: e.target.value })}
            >
              {!action.team_id && <option value="">{t('common.choose')}</option>}
              {teams.map((tm) => (
                <option key={tm.id} value={tm.id}>
                  {tm.name}
                </option>
              ))}
            </select>,
          )}
          {field(
            'queue_id',
            t('automation.action.queue'),
            <select
              {...props('queue_id')}
              value={action.queue_id ?? ''}
              disabled={queues.length === 0}
              onChange={(e) =>
                onChange({ type: 'assign_team', team_id: action.team_id, ...(e.target.value ? { queue_id: e.target.value } : {}) })
              }
            >
              <option value="">{t('automation.action.anyQueue')}</option>
              {queues.map((q) => (
                <option key={q.id} value={q.id}>
                  {q.name}
                </option>
              ))}
            </select>,
          )}
        </>
      );
    }
    case 'assign_agent':
      return field(
        'agent_id',
        t('automation.action.agent'),
        <select
          {...props('agent_id')}
          value={action.agent_id ?? ''}
          onChange={(e) => onChange({ ...action, agent_id: e.target.value || null })}
        >
          <option value="">{t('automation.action.unassign')}</option>
          {agents
            .filter((a) => a.status === 'active' || a.id === action.agent_id)
            .map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
        </select>,
      );
    case 'add_tags':
    case 'remove_tags':
      return field(
        'tags',
        t('automation.action.tags'),
        <ListInput {...props('tags')} maxLength={1000} value={action.tags} onChange={(tags) => onChange({ ...action, tags })} />,
      );
    case 'send_message':
      return (
        <>
          {field(
            'visibility',
            t('automation.action.visibility'),
            <select
              {...props('visibility')}
              value={action.visibility}
              onChange={(e) => onChange({ ...action, visibility: e.target.value as 'public' | 'internal' })}
            >
              <option value="public">{t('automation.action.public')}</option>
              <option value="internal">{t('automation.action.internal')}</option>
            </select>,
          )}
          {field(
            'body',
            t('automation.action.body'),
            <textarea
              {...props('body')}
              rows={4}
              maxLength={20000}
              value={action.body}
              onChange={(e) => onChange({ ...action, body: e.target.value })}
            />,
          )}
          <p className="hint small rule-row__wide">{t('automation.action.placeholders')}</p>
        </>
      );
    case 'notify':
      return (
        <>
          <fieldset className="rule-row__wide">
            <legend className="visually-hidden">{actionLabel('notify')}</legend>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={action.assignee ?? false}
                onChange={(e) => onChange({ ...action, assignee: e.target.checked })}
              />
              <span>{t('automation.action.assignee')}</span>
            </label>
            {ROLES.map((role) => (
              <label key={role} className="checkbox">
                <input
                  type="checkbox"
                  checked={action.roles?.includes(role) ?? false}
                  onChange={(e) => {
                    const roles = (action.roles ?? []).filter((r) => r !== role);
                    onChange({ ...action, roles: e.target.checked ? [...roles, role] : roles });
                  }}
                />
                <span>{t('automation.action.everyRole', { role: roleLabel(role) })}</span>
              </label>
            ))}
            {field(
              'agent_ids',
              t('automation.action.notifyAgents'),
              <select
                {...props('agent_ids')}
                multiple
                size={Math.min(5, Math.max(2, agents.length))}
                value={action.agent_ids ?? []}
                onChange={(e) => onChange({ ...action, agent_ids: [...e.target.selectedOptions].map((o) => o.value) })}
              >
                {agents
                  .filter((a) => a.status === 'active' || action.agent_ids?.includes(a.id))
                  .map((a) => (
                    <option key={a.id} value={a.id}>
                      {a.name}
                    </option>
                  ))}
              </select>,
            )}
          </fieldset>
          {field(
            'subject',
            t('automation.action.subject'),
            <input
              {...props('subject')}
              type="text"
              maxLength={300}
              value={action.subject}
              onChange={(e) => onChange({ ...action, subject: e.target.value })}
            />,
          )}
          {field(
            'body',
            t('automation.action.body'),
            <textarea
              {...props('body')}
              rows={3}
              maxLength={20000}
              value={action.body}
              onChange={(e) => onChange({ ...action, body: e.target.value })}
            />,
          )}
        </>
      );
    case 'webhook':
      return (
        <>
          {field(
            'url',
            t('automation.action.url'),
            <input
              {...props('url')}
              type="url"
              maxLength={2000}
              value={action.url}
              onChange={(e) => onChange({ type: 'webhook', url: e.target.value, ...(action.secret_set ? { secret_set: true } : {}) })}
            />,
          )}
          {action.secret_set && <p className="hint small rule-row__wide">{t('automation.action.secretSet')}</p>}
        </>
      );
  }
}
