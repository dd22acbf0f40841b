import { useId, useState } from 'react';
import { businessHours, SLA_METRICS, slaPolicies, type Policy, type Schedule } from '../../api/sla';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorNotice, errorText, Loading } from '../../components/Notice';
import { PageHeading } from '../../components/PageHeading';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { categoryLabel, channelLabel, priorityLabel, statusLabel, t } from '../../i18n';
import { useDirectory } from '../../shell/DirectoryContext';
import { AttainmentReportPanel } from './AttainmentReport';
import { FollowupSettings } from './FollowupSettings';
import { formatTargetMinutes, metricLabel } from './format';
import { PolicyDialog } from './PolicyDialog';
import { RegulatoryPresets } from './RegulatoryPresets';
import './sla.css';

/** Admin › SLA policies: tried in order, the first enabled match applies; attainment below. */
export function SlaPoliciesPage() {
  const policies = useApi((signal) => slaPolicies.list(signal), []);
  const schedules = useApi((signal) => businessHours.list(signal), []);
  const [editing, setEditing] = useState<Policy | null>(null);
  const [dialogOpen, setDialogOpen] = useState(false);
  const [deleting, setDeleting] = useState<Policy | null>(null);
  const [moving, setMoving] = useState(false);
  const { notify } = useToast();
  const list = policies.data ?? [];

  async function move(index: number, by: -1 | 1) {
    const ids = list.map((p) => p.id);
    const target = index + by;
    if (target < 0 || target >= ids.length) return;
    [ids[index], ids[target]] = [ids[target]!, ids[index]!];
    setMoving(true);
    try {
      const page = await slaPolicies.reorder(ids);
      policies.setData(page.data);
      notify(t(by < 0 ? 'sla.policy.movedUp' : 'sla.policy.movedDown', { name: list[index]!.name, position: target + 1 }));
    } catch (err) {
      notify(errorText(err), 'error');
      policies.reload();
    } finally {
      setMoving(false);
    }
  }

  return (
    <div className="page page--wide">
      <div className="page-header">
        <PageHeading>{t('sla.policy.heading')}</PageHeading>
        <div className="page-header__actions">
          <button
            type="button"
            className="button button--primary"
            onClick={() => {
              setEditing(null);
              setDialogOpen(true);
            }}
          >
            {t('sla.policy.new')}
          </button>
        </div>
      </div>
      <p className="hint">{t('sla.policy.intro')}</p>

      {policies.error !== undefined && !policies.data ? (
        <ErrorNotice error={policies.error} onRetry={policies.reload} />
      ) : !policies.data ? (
        <Loading />
      ) : list.length === 0 ? (
        <p className="empty">{t('sla.policy.empty')}</p>
      ) : (
        <ol className="plain-list sla-policies" aria-label={t('sla.policy.order')}>
          {list.map((policy, index) => (
            <li key={policy.id}>
              <PolicySection
                policy={policy}
                position={index + 1}
                schedules={schedules.data ?? []}
                canMoveUp={index > 0 && !moving}
                canMoveDown={index < list.length - 1 && !moving}
                onMove={(by) => void move(index, by)}
                onEdit={() => {
                  setEditing(policy);
                  setDialogOpen(true);
                }}
                onDelete={() => setDeleting(policy)}
              />
            </li>
          ))}
        </ol>
      )}

      <RegulatoryPresets onChanged={policies.reload} />

      <FollowupSettings policies={list} />
      <AttainmentReportPanel />

      <PolicyDialog
        open={dialogOpen}
        policy={editing}
        schedules={schedules.data ?? []}
        onClose={() => setDialogOpen(false)}
        onSaved={() => policies.reload()}
      />
      <ConfirmDialog
        open={deleting !== null}
        title={t('sla.policy.deleteTitle', { name: deleting?.name ?? '' })}
        confirmLabel={t('sla.policy.delete')}
        danger
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await slaPolicies.remove(deleting.id);
          notify(t('sla.policy.deleted', { name: deleting.name }));
          policies.reload();
        }}
      >
        <p>{t('sla.policy.deleteBody')}</p>
      </ConfirmDialog>
    </div>
  );
}

interface PolicySectionProps {
  policy: Policy;
  position: number;
  schedules: Schedule[];
  canMoveUp: boolean;
  canMoveDown: boolean;
  onMove: (by: -1 | 1) => void;
  onEdit: () => void;
  onDelete: () => void;
}

function PolicySection({ policy, position, schedules, canMoveUp, canMoveDown, onMove, onEdit, onDelete }: PolicySectionProps) {
  const id = useId();
  const { teams } = useDirectory();
  const c = policy.conditions;
  const conditions = [
    c.priority?.length ? t('sla.policy.when.priority', { list: c.priority.map(priorityLabel).join(', ') }) : null,
    c.category?.length ? t('sla.policy.when.category', { list: c.category.map(categoryLabel).join(', ') }) : null,
    c.team_ids?.length
      ? t('sla.policy.when.team', { list: c.team_ids.map((x) => teams.find((tm) => tm.id === x)?.name ?? t('sla.someTeam')).join(', ') })
      : null,
    c.channel?.length ? t('sla.policy.when.channel', { list: c.channel.map(channelLabel).join(', ') }) : null,
    c.customer_tags?.length ? t('sla.policy.when.tags', { list: c.customer_tags.join(', ') }) : null,
    c.customer_tiers?.length ? t('sla.policy.when.tiers', { list: c.customer_tiers.join(', ') }) : null,
    c.case_tags?.length ? t('sla.policy.when.caseTags', { list: c.case_tags.join(', ') }) : null,
  ].filter((x): x is string => x !== null);
  const schedule = schedules.find((s) => s.id === policy.schedule_id);

  return (
    <section className="panel" aria-labelledby={`${id}-heading`} data-testid="sla-policy" data-policy-id={policy.id}>
      <h2 id={`${id}-heading`} className="panel__heading">
        <span className="muted">{position}.</span> {policy.name}{' '}
        {!policy.enabled && <span className="badge badge--neutral">{t('sla.policy.disabled')}</span>}{' '}
        {policy.preset && <span className="badge badge--info">{t('sla.preset.badge')}</span>}
      </h2>
      {policy.description && <p className="muted">{policy.description}</p>}
      <p>{conditions.length ? conditions.join('; ') : t('sla.policy.everyCase')}</p>
      <ul className="plain-list">
        {SLA_METRICS.map((m) => {
          const minutes = policy.targets[`${m}_minutes`];
          return minutes === null ? null : (
            <li key={m}>
              {metricLabel(m)}: <strong>{formatTargetMinutes(minutes)}</strong>
            </li>
          );
        })}
      </ul>
      <p className="muted small">
        {policy.time_basis === 'calendar'
          ? t('sla.policy.calendar')
          : schedule
            ? t('sla.policy.businessIn', { name: schedule.name })
            : t('sla.policy.businessTeam')}
        {' · '}
        {policy.pause_statuses.length
          ? t('sla.policy.pausesIn', { list: policy.pause_statuses.map(statusLabel).join(', ') })
          : t('sla.policy.neverPauses')}
        {' · '}
        {policy.warning_minutes > 0 ? t('sla.policy.warnsAt', { minutes: policy.warning_minutes }) : t('sla.policy.noWarning')}
        {' · '}
        {t('sla.policy.escalationCount', { count: policy.escalations.warning.length + policy.escalations.breach.length })}
      </p>
      <div className="sla-row-actions">
        <button type="button" className="button button--small" disabled={!canMoveUp} onClick={() => onMove(-1)}>
          {t('sla.policy.moveUp')}
          <span className="visually-hidden"> {policy.name}</span>
        </button>
        <button type="button" className="button button--small" disabled={!canMoveDown} onClick={() => onMove(1)}>
          {t('sla.policy.moveDown')}
          <span className="visually-hidden"> {policy.name}</span>
        </button>
        <button type="button" className="button button--small" onClick={onEdit}>
          {t('sla.policy.edit')}
          <span className="visually-hidden"> {policy.name}</span>
        </button>
        <button type="button" className="button button--small button--danger" onClick={onDelete}>
          {t('sla.policy.delete')}
          <span className="visually-hidden"> {policy.name}</span>
        </button>
      </div>
    </section>
  );
}
