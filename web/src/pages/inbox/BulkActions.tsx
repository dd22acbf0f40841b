import { useState, type FormEvent } from 'react';
import { cases as casesApi } from '../../api/client';
import { CASE_PRIORITIES, CASE_STATUSES, type BulkChanges, type CasePriority, type CaseStatus } from '../../api/types';
import { useCurrentAgent } from '../../auth/SessionContext';
import { errorText } from '../../components/Notice';
import { useToast } from '../../components/Toasts';
import { priorityLabel, statusLabel, t } from '../../i18n';
import { parseTags } from './filters';

interface BulkActionsProps {
  selectedIds: string[];
  onDone: () => void;
  onClearSelection: () => void;
}

export function BulkActions({ selectedIds, onDone, onClearSelection }: BulkActionsProps) {
  const { agent } = useCurrentAgent();
  const { notify } = useToast();
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<CaseStatus | ''>('');
  const [priority, setPriority] = useState<CasePriority | ''>('');
  const [tag, setTag] = useState('');
  const count = selectedIds.length;

  async function apply(changes: BulkChanges) {
    if (count === 0 || busy) return;
    setBusy(true);
    try {
      const result = await casesApi.bulk(selectedIds, changes);
      if (result.updated > 0) notify(t('bulk.done', { count: result.updated }));
      if (result.failed.length > 0) {
        const reason = result.failed[0]?.error?.message ?? '';
        notify(`${t('bulk.failed', { count: result.failed.length })} ${reason}`.trim(), 'error');
      }
      onDone();
    } catch (err) {
      notify(errorText(err), 'error');
    } finally {
      setBusy(false);
    }
  }

  const submit = (changes: BulkChanges | null) => (event: FormEvent) => {
    event.preventDefault();
    if (changes) void apply(changes);
  };

  return (
    <section className="bulk-bar" aria-label={t('bulk.label')} aria-busy={busy}>
      <p className="bulk-bar__count" role="status">
        {count === 0 ? t('bulk.none') : t('bulk.selected', { count })}
      </p>
      {count > 0 && (
        <div className="bulk-bar__controls">
          <button type="button" className="button button--small" disabled={busy} onClick={() => void apply({ assignee_id: agent.id })}>
            {t('bulk.assignMe')}
          </button>

          <form className="inline-form" onSubmit={submit(status ? { status } : null)}>
            <label htmlFor="bulk-status" className="inline-form__label">
              {t('bulk.status')}
            </label>
            <select id="bulk-status" value={status} onChange={(e) => setStatus(e.target.value as CaseStatus | '')}>
              <option value="">{t('common.choose')}</option>
              {CASE_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {statusLabel(s)}
                </option>
              ))}
            </select>
            <button type="submit" className="button button--small" disabled={busy || !status}>
              {t('bulk.applyStatus')}
            </button>
          </form>

          <form className="inline-form" onSubmit={submit(priority ? { priority } : null)}>
            <label htmlFor="bulk-priority" className="inline-form__label">
              {t('bulk.priority')}
            </label>
            <select id="bulk-priority" value={priority} onChange={(e) => setPriority(e.target.value as CasePriority | '')}>
              <option value="">{t('common.choose')}</option>
              {CASE_PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {priorityLabel(p)}
                </option>
              ))}
            </select>
            <button type="submit" className="button button--small" disabled={busy || !priority}>
              {t('bulk.applyPriority')}
            </button>
          </form>

          <form
            className="inline-form"
            onSubmit={(event) => {
              const tags = parseTags(tag);
              submit(tags.length ? { add_tags: tags } : null)(event);
              if (tags.length) setTag('');
            }}
          >
            <label htmlFor="bulk-tag" className="inline-form__label">
              {t('bulk.tag')}
            </label>
            <input id="bulk-tag" type="text" value={tag} maxLength={100} onChange={(e) => setTag(e.target.value)} />
            <button type="submit" className="button button--small" disabled={busy || !tag.trim()}>
              {t('bulk.addTag')}
            </button>
          </form>

          <button type="button" className="button button--small button--quiet" onClick={onClearSelection}>
            {t('bulk.clear')}
          </button>
        </div>
      )}
    </section>
  );
}
