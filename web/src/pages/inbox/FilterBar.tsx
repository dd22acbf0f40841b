import { useEffect, useState, type FormEvent } from 'react';
import { CASE_CATEGORIES, CASE_PRIORITIES, CASE_STATUSES, type CaseFilterKey, type CaseFilters } from '../../api/types';
import { useCurrentAgent } from '../../auth/SessionContext';
import { categoryLabel, priorityLabel, statusLabel, t } from '../../i18n';
import { useDirectory } from '../../shell/DirectoryContext';
import { parseTags, splitList } from './filters';

interface FilterBarProps {
  filters: CaseFilters;
  onChange: (filters: CaseFilters) => void;
  onClear: () => void;
}

export function FilterBar({ filters, onChange, onClear }: FilterBarProps) {
  const { agents } = useDirectory();
  const { agent: me } = useCurrentAgent();
  const [tagsText, setTagsText] = useState(splitList(filters.tags).join(', '));
  const tagsKey = filters.tags ?? '';
  useEffect(() => setTagsText(splitList(tagsKey).join(', ')), [tagsKey]);

  const set = (key: CaseFilterKey, value: string) => {
    const next = { ...filters };
    if (value) next[key] = value;
    else delete next[key];
    // An empty status list stays explicit: it means "any status".
    if (key === 'status') next.status = value;
    onChange(next);
  };

  const statuses = splitList(filters.status);
  const toggleStatus = (status: string, on: boolean) =>
    set('status', CASE_STATUSES.filter((s) => (s === status ? on : statuses.includes(s))).join(','));

  function applyTags(event?: FormEvent) {
    event?.preventDefault();
    const tags = parseTags(tagsText).join(',');
    if (tags !== splitList(tagsKey).join(',')) set('tags', tags);
  }

  const assignee = filters.assignee_id ?? '';
  const knownAssignee = ['', 'me', 'none', ...agents.map((a) => a.id)].includes(assignee);

  return (
    <form className="filter-bar" aria-label={t('filters.label')} onSubmit={applyTags}>
      <fieldset className="filter-bar__statuses">
        <legend>{t('filters.status')}</legend>
        {CASE_STATUSES.map((status) => (
          <label key={status} className="checkbox-chip">
            <input type="checkbox" checked={statuses.includes(status)} onChange={(e) => toggleStatus(status, e.target.checked)} />
            <span>{statusLabel(status)}</span>
          </label>
        ))}
      </fieldset>

      <ListSelect
        id="filter-priority"
        label={t('filters.priority')}
        anyLabel={t('filters.anyPriority')}
        value={filters.priority ?? ''}
        options={CASE_PRIORITIES.map((p) => [p, priorityLabel(p)])}
        onChange={(value) => set('priority', value)}
      />
      <ListSelect
        id="filter-category"
        label={t('filters.category')}
        anyLabel={t('filters.anyCategory')}
        value={filters.category ?? ''}
        options={CASE_CATEGORIES.map((c) => [c, categoryLabel(c)])}
        onChange={(value) => set('category', value)}
      />

      <div className="field field--inline">
        <label htmlFor="filter-assignee">{t('filters.assignee')}</label>
        <select id="filter-assignee" value={assignee} onChange={(e) => set('assignee_id', e.target.value)}>
          <option value="">{t('filters.anyone')}</option>
          <option value="me">{t('filters.me')}</option>
          <option value="none">{t('filters.unassigned')}</option>
          {agents
            .filter((a) => a.id !== me.id && a.status !== 'deactivated')
            .map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          {!knownAssignee && <option value={assignee}>{t('filters.otherAgent')}</option>}
        </select>
      </div>

      <div className="field field--inline">
        <label htmlFor="filter-tags">{t('filters.tags')}</label>
        <input
          id="filter-tags"
          type="text"
          value={tagsText}
          maxLength={1000}
          aria-describedby="filter-tags-hint"
          onChange={(e) => setTagsText(e.target.value)}
          onBlur={() => applyTags()}
        />
        <span id="filter-tags-hint" className="visually-hidden">
          {t('filters.tagsHint')}
        </span>
      </div>

      <div className="filter-bar__actions">
        <button type="submit" className="button button--small">
          {t('filters.apply')}
        </button>
        <button type="button" className="button button--small button--quiet" onClick={onClear}>
          {t('filters.clear')}
        </button>
      </div>
    </form>
  );
}

interface ListSelectProps {
  id: string;
  label: string;
  anyLabel: string;
  value: string;
  options: [string, string][];
  onChange: (value: string) => void;
}

/** One value from a list; a saved view may hold several (e.g. "high,urgent"), shown as one option. */
function ListSelect({ id, label, anyLabel, value, options, onChange }: ListSelectProps) {
  const isSingle = value === '' || options.some(([v]) => v === value);
  const labels = new Map(options);
  return (
    <div className="field field--inline">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{anyLabel}</option>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
        {!isSingle && (
          <option value={value}>
            {splitList(value)
              .map((v) => labels.get(v) ?? v)
              .join(', ')}
          </option>
        )}
      </select>
    </div>
  );
}
