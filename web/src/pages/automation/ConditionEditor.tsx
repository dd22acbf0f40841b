import type { ConditionField, ConditionOperator, RuleCondition, RuleConditions } from '../../api/triggers';
import { CONDITION_FIELDS } from '../../api/triggers';
import type { Agent, Team } from '../../api/types';
import { FieldError } from '../../components/FieldError';
import { t } from '../../i18n';
import { describedBy } from '../../lib/fieldErrors';
import { ListInput } from './ListInput';
import { blankCondition, blankValue, FIELD_SPECS, fieldLabel, fieldsFor, inputOf, operatorLabel, operatorsOf } from './ruleFields';
import './automation.css';

export interface ConditionEditorProps {
  conditions: RuleConditions;
  onChange: (conditions: RuleConditions) => void;
  /** Triggers (true) may use event fields (changed by, field changed, changed_to ...); scheduled rules may not. */
  forEvents: boolean;
  agents: Agent[];
  teams: Team[];
  idPrefix: string;
  /** The error at a server path such as `conditions.all[1].value`. */
  error: (path: string) => string | undefined;
  /** Path of the conditions in the request body (default `conditions`). */
  path?: string;
}

/**
 * The "all of" and "any of" condition lists of a rule: rows of field / operator / value, with a
 * value input fitting the field (a choice, several choices, a team, an agent, tags, hours).
 * Shared by Admin › Triggers and Admin › Automations.
 */
export function ConditionEditor(props: ConditionEditorProps) {
  const { conditions, onChange } = props;
  return (
    <div className="rule-conditions">
      {(['all', 'any'] as const).map((group) => (
        <ConditionGroup
          key={group}
          {...props}
          group={group}
          list={conditions[group]}
          onListChange={(list) => onChange({ ...conditions, [group]: list })}
        />
      ))}
    </div>
  );
}

interface GroupProps extends ConditionEditorProps {
  group: 'all' | 'any';
  list: RuleCondition[];
  onListChange: (list: RuleCondition[]) => void;
}

function ConditionGroup({ group, list, onListChange, forEvents, agents, teams, idPrefix, error, path = 'conditions' }: GroupProps) {
  const fields = fieldsFor(forEvents, CONDITION_FIELDS);
  const set = (index: number, condition: RuleCondition) => onListChange(list.map((c, i) => (i === index ? condition : c)));
  const groupPath = `${path}.${group}`;
  return (
    <fieldset className="rule-group">
      <legend>{t(group === 'all' ? 'automation.conditions.all' : 'automation.conditions.any')}</legend>
      <FieldError id={`${idPrefix}-${group}-error`} text={error(groupPath)} />
      <ul className="rule-rows">
        {list.map((condition, i) => {
          const at = `${groupPath}[${i}]`;
          const base = `${idPrefix}-${group}-${i}`;
          const n = i + 1;
          const message = error(`${at}.value`) ?? error(`${at}.operator`) ?? error(`${at}.field`) ?? error(at);
          const invalid = message ? { 'aria-invalid': true as const, 'aria-describedby': describedBy(`${base}-error`) } : {};
          return (
            <li key={i} className="rule-row" data-testid="rule-condition">
              <div className="field">
                <label htmlFor={`${base}-field`}>{t('automation.condition.field', { n })}</label>
                <select
                  id={`${base}-field`}
                  value={condition.field}
                  onChange={(e) => set(i, blankCondition(e.target.value as ConditionField, forEvents))}
                >
                  {fields.map((f) => (
                    <option key={f} value={f}>
                      {fieldLabel(f)}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor={`${base}-operator`}>{t('automation.condition.operator', { n })}</label>
                <select
                  id={`${base}-operator`}
                  value={condition.operator}
                  onChange={(e) => {
                    const operator = e.target.value as ConditionOperator;
                    const sameInput = FIELD_SPECS[condition.field].operators[operator] === inputOf(condition);
                    set(i, { ...condition, operator, value: sameInput ? condition.value : blankValue(condition.field, operator) });
                  }}
                >
                  {operatorsOf(condition.field, forEvents).map((op) => (
                    <option key={op} value={op}>
                      {operatorLabel(op)}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field rule-row__value">
                <ValueField
                  id={`${base}-value`}
                  label={t('automation.condition.value', { n })}
                  condition={condition}
                  agents={agents}
                  teams={teams}
                  invalid={invalid}
                  onChange={(value) => set(i, { ...condition, value })}
                />
              </div>
              <button type="button" className="button button--small" onClick={() => onListChange(list.filter((_, j) => j !== i))}>
                <span aria-hidden="true">×</span>
                <span className="visually-hidden">{t('automation.condition.remove', { n })}</span>
              </button>
              <FieldError id={`${base}-error`} text={message} />
            </li>
          );
        })}
      </ul>
      {list.length === 0 && group === 'all' && <p className="muted small">{t('automation.conditions.none')}</p>}
      <button
        type="button"
        className="button button--small"
        onClick={() => onListChange([...list, blankCondition(forEvents && group === 'all' ? 'status' : 'priority', forEvents)])}
      >
        {t('automation.conditions.add')}
      </button>
    </fieldset>
  );
}

interface ValueFieldProps {
  id: string;
  label: string;
  condition: RuleCondition;
  agents: Agent[];
  teams: Team[];
  invalid: Record<string, unknown>;
  onChange: (value: RuleCondition['value']) => void;
}

function ValueField({ id, label, condition, agents, teams, invalid, onChange }: ValueFieldProps) {
  const spec = FIELD_SPECS[condition.field];
  const input = inputOf(condition);
  const list = Array.isArray(condition.value) ? condition.value : [];
  const text = typeof condition.value === 'string' ? condition.value : '';
  const toggle = (value: string, on: boolean) =>
    onChange(on ? [...list.filter((v) => v !== value), value] : list.filter((v) => v !== value));
  const chips = (options: { value: string; label: string }[]) => (
    <fieldset className="rule-chips" {...invalid}>
      <legend className="visually-hidden">{label}</legend>
      <span className="rule-chips__label" aria-hidden="true">
        {label}
      </span>
      <div className="checkbox-row">
        {options.map((o) => (
          <label key={o.value} className="checkbox-chip">
            <input type="checkbox" checked={list.includes(o.value)} onChange={(e) => toggle(o.value, e.target.checked)} />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
  const choiceOptions = (spec.choices ?? []).map((v) => ({ value: v, label: spec.label ? spec.label(v) : v }));
  const labelled = (control: React.ReactNode) => (
    <>
      <label htmlFor={id}>{label}</label>
      {control}
    </>
  );

  switch (input) {
    case 'choice':
      return labelled(
        <select id={id} value={text} onChange={(e) => onChange(e.target.value)} {...invalid}>
          {choiceOptions.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>,
      );
    case 'choices':
      return chips(choiceOptions);
    case 'team':
      return labelled(
        <select id={id} value={text} onChange={(e) => onChange(e.target.value || null)} {...invalid}>
          <option value="">{t('automation.condition.noTeam')}</option>
          {teams.map((tm) => (
            <option key={tm.id} value={tm.id}>
              {tm.name}
            </option>
          ))}
        </select>,
      );
    case 'teams':
      return chips(teams.map((tm) => ({ value: tm.id, label: tm.name })));
    case 'agent':
      return labelled(
        <select id={id} value={text} onChange={(e) => onChange(e.target.value || null)} {...invalid}>
          <option value="">{t('automation.condition.unassigned')}</option>
          {agents.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>,
      );
    case 'agents':
      return chips(agents.map((a) => ({ value: a.id, label: a.name })));
    case 'tags':
    case 'tiers':
      return labelled(
        <ListInput
          id={id}
          maxLength={1000}
          value={
            Array.isArray(condition.value)
              ? condition.value
              : typeof condition.value === 'string' && condition.value
                ? [condition.value]
                : []
          }
          onChange={onChange}
          placeholder={t('automation.condition.listHint')}
          {...invalid}
        />,
      );
    case 'tier':
      return labelled(
        <input
          id={id}
          type="text"
          maxLength={200}
          value={text}
          placeholder={t('automation.condition.noTier')}
          onChange={(e) => onChange(e.target.value.trim() ? e.target.value : null)}
          {...invalid}
        />,
      );
    case 'hours':
      return labelled(
        <input
          id={id}
          type="number"
          min={0}
          max={100000}
          step={1}
          inputMode="numeric"
          value={typeof condition.value === 'number' ? condition.value : ''}
          onChange={(e) => onChange(e.target.value === '' ? null : Math.max(0, Math.trunc(Number(e.target.value))))}
          {...invalid}
        />,
      );
    default:
      return labelled(<input id={id} type="text" maxLength={200} value={text} onChange={(e) => onChange(e.target.value)} {...invalid} />);
  }
}
