import { useId } from 'react';
import {
  CASE_CATEGORIES,
  CASE_PRIORITIES,
  type CaseCategory,
  type CaseChanges,
  type CaseDetail,
  type CasePriority,
  type CaseStatus,
} from '../../api/types';
import { useCurrentAgent } from '../../auth/SessionContext';
import { TagEditor } from '../../components/TagEditor';
import { BillingTriageNotice } from '../billing/BillingTriageNotice';
import { CaseBillingPanel } from '../billing/CaseBillingPanel';
import { CaseSlaPanel } from '../sla/CaseSlaPanel';
import { CaseFollowupPanel } from '../followups/CaseFollowupPanel';
import { categoryLabel, priorityLabel, statusLabel, t } from '../../i18n';
import { reachableStatuses } from '../../lib/status';
import { useDirectory } from '../../shell/DirectoryContext';

interface CaseSidebarProps {
  kase: CaseDetail;
  busy: boolean;
  onChange: (changes: CaseChanges, done: string) => void;
  onFollow: (follow: boolean) => void;
  /** A money action was recorded or finished: the case history has new lines. */
  onMoneyAction?: () => void;
  /** Snoozed or woken from the follow-up panel: the case's status changed. */
  onFollowupChange?: () => void;
}

export function CaseSidebar(props: CaseSidebarProps) {
  return (
    <>
      <BillingTriageNotice caseId={props.kase.id} />
      <CaseSlaPanel kase={props.kase} />
      <CaseProperties {...props} />
      <CaseFollowupPanel kase={props.kase} onChanged={props.onFollowupChange} />
      <CaseBillingPanel kase={props.kase} onMoneyAction={props.onMoneyAction} />
    </>
  );
}

function CaseProperties({ kase, busy, onChange, onFollow }: CaseSidebarProps) {
  const id = useId();
  const { agent: me } = useCurrentAgent();
  const { agents, teams } = useDirectory();
  const team = teams.find((tm) => tm.id === kase.team_id);
  const closed = kase.status === 'closed';
  const following = kase.followers.some((f) => f.id === me.id);
  const assignable = agents.filter((a) => a.status === 'active' || a.id === kase.assignee?.id);
  const assigneeKnown = !kase.assignee || assignable.some((a) => a.id === kase.assignee?.id);

  return (
    <section className="panel" aria-labelledby={`${id}-heading`} aria-busy={busy}>
      <h2 id={`${id}-heading`} className="panel__heading">
        {t('case.properties')}
      </h2>
      {closed && <p className="hint">{t('case.closedHint')}</p>}
      <div className="properties">
        <div className="field">
          <label htmlFor="case-status">{t('case.status')}</label>
          <select
            id="case-status"
            value={kase.status}
            disabled={closed}
            onChange={(e) => {
              const status = e.target.value as CaseStatus;
              onChange({ status }, t('case.statusChanged', { status: statusLabel(status) }));
            }}
          >
            {reachableStatuses(kase.status).map((s) => (
              <option key={s} value={s}>
                {statusLabel(s)}
              </option>
            ))}
          </select>
        </div>

        <div className="field">
          <label htmlFor="case-priority">{t('case.priority')}</label>
          <select
            id="case-priority"
            value={kase.priority}
            disabled={closed}
            onChange={(e) => {
              const priority = e.target.value as CasePriority;
              onChange({ priority }, t('case.priorityChanged', { priority: priorityLabel(priority) }));
            }}
          >
            {CASE_PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {priorityLabel(p)}
              </option>
            ))}
          </select>
        </div>

        <div className="field">
          <label htmlFor="case-category">{t('case.category')}</label>
          <select
            id="case-category"
            value={kase.category}
            disabled={closed}
            onChange={(e) => {
              const category = e.target.value as CaseCategory;
              onChange({ category }, t('case.categoryChanged', { category: categoryLabel(category) }));
            }}
          >
            {CASE_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {categoryLabel(c)}
              </option>
            ))}
          </select>
        </div>

        <div className="field">
          <label htmlFor="case-team">{t('case.team')}</label>
          <select
            id="case-team"
            value={kase.team_id ?? ''}
            disabled={closed}
            onChange={(e) => onChange({ team_id: e.target.value || null, queue_id: null }, t('case.teamChanged'))}
          >
            <option value="">{t('case.noTeam')}</option>
            {teams.map((tm) => (
              <option key={tm.id} value={tm.id}>
                {tm.name}
              </option>
            ))}
            {kase.team_id && !team && <option value={kase.team_id}>{t('case.otherTeam')}</option>}
          </select>
        </div>

        <div className="field">
          <label htmlFor="case-queue">{t('case.queue')}</label>
          <select
            id="case-queue"
            value={kase.queue_id ?? ''}
            disabled={closed || !team}
            onChange={(e) => onChange({ team_id: kase.team_id, queue_id: e.target.value || null }, t('case.queueChanged'))}
          >
            <option value="">{t('case.noQueue')}</option>
            {(team?.queues ?? []).map((q) => (
              <option key={q.id} value={q.id}>
                {q.name}
              </option>
            ))}
            {kase.queue_id && !team?.queues.some((q) => q.id === kase.queue_id) && (
              <option value={kase.queue_id}>{t('case.otherQueue')}</option>
            )}
          </select>
        </div>

        <div className="field">
          <label htmlFor="case-assignee">{t('case.assignee')}</label>
          <select
            id="case-assignee"
            value={kase.assignee?.id ?? ''}
            disabled={closed}
            onChange={(e) => {
              const assigneeId = e.target.value || null;
              const name = assignable.find((a) => a.id === assigneeId)?.name ?? '';
              onChange({ assignee_id: assigneeId }, assigneeId ? t('case.assignedTo', { name }) : t('case.unassignedDone'));
            }}
          >
            <option value="">{t('case.unassigned')}</option>
            {!assignable.some((a) => a.id === me.id) && <option value={me.id}>{me.name}</option>}
            {assignable.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
            {!assigneeKnown && kase.assignee && <option value={kase.assignee.id}>{kase.assignee.name || t('case.someone')}</option>}
          </select>
          {kase.assignee?.id !== me.id && !closed && (
            <button
              type="button"
              className="button button--small field__after"
              onClick={() => onChange({ assignee_id: me.id }, t('case.assignedToMe'))}
            >
              {t('case.assignMe')}
            </button>
          )}
        </div>

        <div className="field">
          <span className="field__label" id={`${id}-tags`}>
            {t('case.tags')}
          </span>
          {closed ? (
            <p>{kase.tags.join(', ') || t('tags.none')}</p>
          ) : (
            <TagEditor tags={kase.tags} label={t('case.addTag')} onChange={(tags) => onChange({ tags }, t('case.tagsChanged'))} />
          )}
        </div>

        <div className="field">
          <span className="field__label">{t('case.followers')}</span>
          {kase.followers.length > 0 ? (
            <ul className="plain-list">
              {kase.followers.map((f) => (
                <li key={f.id}>{f.id === me.id ? t('case.followerYou', { name: f.name || me.name }) : f.name || t('case.someone')}</li>
              ))}
            </ul>
          ) : (
            <p className="muted small">{t('case.noFollowers')}</p>
          )}
          <button type="button" className="button button--small" onClick={() => onFollow(!following)}>
            {following ? t('case.unfollow') : t('case.follow')}
          </button>
        </div>
      </div>
    </section>
  );
}
