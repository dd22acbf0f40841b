import { useId, useState } from 'react';
import { Link } from 'react-router-dom';
import { scheduledAutomations, type Preview, type ScheduledAutomation } from '../../api/scheduledAutomations';
import type { CaseStatus } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { CopyField } from '../../components/CopyField';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice, errorText, Loading } from '../../components/Notice';
import { PageHeading } from '../../components/PageHeading';
import { RelativeTime } from '../../components/Time';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { statusLabel, t } from '../../i18n';
import { actionLabel } from './ActionEditor';
import { ScheduledAutomationDialog } from './ScheduledAutomationDialog';
import './automation.css';

/** Admin › Automations: time-based rules, run every 15 minutes in this order. */
export function ScheduledAutomationsPage() {
  const list = useApi((signal) => scheduledAutomations.list(signal), []);
  const [editing, setEditing] = useState<ScheduledAutomation | null>(null);
  const [dialogOpen, setDialogOpen] = useState(false);
  const [deleting, setDeleting] = useState<ScheduledAutomation | null>(null);
  const [running, setRunning] = useState<ScheduledAutomation | null>(null);
  const [previewing, setPreviewing] = useState<ScheduledAutomation | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { notify } = useToast();
  const items = list.data ?? [];

  function saved(rule: ScheduledAutomation) {
    if (rule.webhook_secret) setSecret(rule.webhook_secret);
    list.reload();
  }

  async function move(index: number, by: -1 | 1) {
    const ids = items.map((x) => x.id);
    const target = index + by;
    if (target < 0 || target >= ids.length) return;
    [ids[index], ids[target]] = [ids[target]!, ids[index]!];
    setBusy(true);
    try {
      const page = await scheduledAutomations.reorder(ids);
      list.setData(page.data);
      notify(
        t(by < 0 ? 'automation.scheduled.movedUp' : 'automation.scheduled.movedDown', { name: items[index]!.name, position: target + 1 }),
      );
    } catch (err) {
      notify(errorText(err), 'error');
      list.reload();
    } finally {
      setBusy(false);
    }
  }

  async function toggle(rule: ScheduledAutomation, enabled: boolean) {
    setBusy(true);
    try {
      const next = await scheduledAutomations.update(rule.id, rule.version, { enabled });
      list.setData(items.map((x) => (x.id === next.id ? next : x)));
      notify(t(enabled ? 'automation.scheduled.turnedOn' : 'automation.scheduled.turnedOff', { name: rule.name }));
    } catch (err) {
      notify(errorText(err), 'error');
      list.reload();
    } finally {
      setBusy(false);
    }
  }

  async function rotate(rule: ScheduledAutomation) {
    try {
      saved(await scheduledAutomations.rotateSecret(rule.id, rule.version));
    } catch (err) {
      notify(errorText(err), 'error');
    }
  }

  return (
    <div className="page page--wide">
      <div className="page-header">
        <PageHeading>{t('automation.scheduled.heading')}</PageHeading>
        <div className="page-header__actions">
          <button
            type="button"
            className="button button--primary"
            onClick={() => {
              setEditing(null);
              setDialogOpen(true);
            }}
          >
            {t('automation.scheduled.new')}
          </button>
        </div>
      </div>
      <p className="hint">{t('automation.scheduled.intro')}</p>

      {list.error !== undefined && !list.data ? (
        <ErrorNotice error={list.error} onRetry={list.reload} />
      ) : !list.data ? (
        <Loading />
      ) : items.length === 0 ? (
        <p className="empty">{t('automation.scheduled.empty')}</p>
      ) : (
        <ol className="plain-list trigger-list" aria-label={t('automation.scheduled.order')}>
          {items.map((rule, index) => (
            <li key={rule.id}>
              <RuleRow
                rule={rule}
                position={index + 1}
                busy={busy}
                canMoveUp={index > 0}
                canMoveDown={index < items.length - 1}
                onMove={(by) => void move(index, by)}
                onToggle={(on) => void toggle(rule, on)}
                onEdit={() => {
                  setEditing(rule);
                  setDialogOpen(true);
                }}
                onPreview={() => setPreviewing(rule)}
                onRun={() => setRunning(rule)}
                onRotate={() => void rotate(rule)}
                onDelete={() => setDeleting(rule)}
              />
            </li>
          ))}
        </ol>
      )}

      <ScheduledAutomationDialog open={dialogOpen} rule={editing} onClose={() => setDialogOpen(false)} onSaved={saved} />
      {previewing && <PreviewDialog rule={previewing} onClose={() => setPreviewing(null)} />}
      <Dialog open={secret !== null} title={t('automation.trigger.secretTitle')} onClose={() => setSecret(null)}>
        <p>{t('automation.trigger.secretBody')}</p>
        {secret && <CopyField label={t('automation.trigger.secretTitle')} value={secret} />}
        <div className="form__actions">
          <button type="button" className="button button--primary" data-autofocus onClick={() => setSecret(null)}>
            {t('common.close')}
          </button>
        </div>
      </Dialog>
      <ConfirmDialog
        open={running !== null}
        title={t('automation.scheduled.runTitle', { name: running?.name ?? '' })}
        confirmLabel={t('automation.scheduled.run')}
        onClose={() => setRunning(null)}
        onConfirm={async () => {
          if (!running) return;
          const counts = await scheduledAutomations.run(running.id);
          const text = t('automation.scheduled.ran', {
            name: running.name,
            acted: counts.acted,
            failed: counts.failed,
            skipped: counts.already_acted,
          });
          notify(counts.more ? `${text} ${t('automation.scheduled.ranMore')}` : text, counts.failed > 0 ? 'error' : undefined);
          list.reload();
        }}
      >
        <p>{t('automation.scheduled.runBody')}</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={deleting !== null}
        title={t('automation.scheduled.deleteTitle', { name: deleting?.name ?? '' })}
        confirmLabel={t('automation.scheduled.delete')}
        danger
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await scheduledAutomations.remove(deleting.id);
          notify(t('automation.scheduled.deleted', { name: deleting.name }));
          list.reload();
        }}
      >
        <p>{t('automation.scheduled.deleteBody')}</p>
      </ConfirmDialog>
    </div>
  );
}

interface RuleRowProps {
  rule: ScheduledAutomation;
  position: number;
  busy: boolean;
  canMoveUp: boolean;
  canMoveDown: boolean;
  onMove: (by: -1 | 1) => void;
  onToggle: (enabled: boolean) => void;
  onEdit: () => void;
  onPreview: () => void;
  onRun: () => void;
  onRotate: () => void;
  onDelete: () => void;
}

function RuleRow(props: RuleRowProps) {
  const { rule, position, busy, canMoveUp, canMoveDown, onMove, onToggle, onEdit, onPreview, onRun, onRotate, onDelete } = props;
  const id = useId();
  const conditionCount = rule.conditions.all.length + rule.conditions.any.length;
  const hasWebhook = rule.actions.some((a) => a.type === 'webhook');
  const named = <span className="visually-hidden"> {rule.name}</span>;
  return (
    <section className="panel" aria-labelledby={`${id}-heading`} data-testid="scheduled-automation" data-automation-id={rule.id}>
      <h2 id={`${id}-heading`} className="panel__heading">
        <span className="muted">{position}.</span> {rule.name}{' '}
        {!rule.enabled && <span className="badge badge--neutral">{t('automation.scheduled.disabled')}</span>}
      </h2>
      {rule.description && <p className="muted">{rule.description}</p>}
      <p className="muted small">
        {t('automation.scheduled.conditionCount', { count: conditionCount })}
        {' · '}
        {t('automation.scheduled.actionCount', { count: rule.actions.length })}
        {rule.actions.length > 0 && `: ${rule.actions.map((a) => actionLabel(a.type)).join(', ')}`}
        {' · '}
        {rule.last_run_at ? (
          <>
            {t('automation.scheduled.lastRun')} <RelativeTime iso={rule.last_run_at} />
          </>
        ) : (
          t('automation.scheduled.neverRun')
        )}
      </p>
      <div className="trigger-row__actions">
        <label className="checkbox">
          <input type="checkbox" checked={rule.enabled} disabled={busy} onChange={(e) => onToggle(e.target.checked)} />
          <span>
            {t('automation.scheduled.enabled')}
            {named}
          </span>
        </label>
        <button type="button" className="button button--small" disabled={!canMoveUp || busy} onClick={() => onMove(-1)}>
          {t('automation.scheduled.moveUp')}
          {named}
        </button>
        <button type="button" className="button button--small" disabled={!canMoveDown || busy} onClick={() => onMove(1)}>
          {t('automation.scheduled.moveDown')}
          {named}
        </button>
        <button type="button" className="button button--small" onClick={onEdit}>
          {t('automation.scheduled.edit')}
          {named}
        </button>
        <button type="button" className="button button--small" onClick={onPreview}>
          {t('automation.scheduled.preview')}
          {named}
        </button>
        <button type="button" className="button button--small" onClick={onRun}>
          {t('automation.scheduled.run')}
          {named}
        </button>
        {hasWebhook && (
          <button type="button" className="button button--small" onClick={onRotate}>
            {t('automation.scheduled.rotateSecret')}
            {named}
          </button>
        )}
        <button type="button" className="button button--small button--danger" onClick={onDelete}>
          {t('automation.scheduled.delete')}
          {named}
        </button>
      </div>
    </section>
  );
}

/** "Preview matches": the cases the rule matches now (first 50); nothing changes. */
function PreviewDialog({ rule, onClose }: { rule: ScheduledAutomation; onClose: () => void }) {
  // Mounted while open, so every opening asks the server afresh.
  const preview = useApi<Preview>((signal) => scheduledAutomations.preview(rule.id, signal), [rule.id]);
  const data = preview.data;
  return (
    <Dialog open title={t('automation.scheduled.previewTitle', { name: rule.name })} onClose={onClose} className="dialog--wide">
      {preview.error !== undefined && !data ? (
        <ErrorNotice error={preview.error} onRetry={preview.reload} />
      ) : !data ? (
        <Loading />
      ) : data.data.length === 0 ? (
        <p>{t('automation.scheduled.previewNone')}</p>
      ) : (
        <>
          <p role="status">
            {data.truncated
              ? t('automation.scheduled.previewTruncated', { count: data.data.length })
              : t('automation.scheduled.previewCount', { count: data.data.length })}
          </p>
          <div className="table-wrap">
            <table className="table table--compact">
              <thead>
                <tr>
                  <th scope="col">{t('automation.scheduled.previewCase')}</th>
                  <th scope="col">{t('automation.scheduled.previewSubject')}</th>
                  <th scope="col">{t('automation.scheduled.previewStatus')}</th>
                  <th scope="col">{t('automation.scheduled.previewUpdated')}</th>
                  <th scope="col">{t('automation.scheduled.previewDone')}</th>
                </tr>
              </thead>
              <tbody>
                {data.data.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <Link to={`/cases/${c.number}`}>#{c.number}</Link>
                    </td>
                    <td>{c.subject}</td>
                    <td>{statusLabel(c.status as CaseStatus)}</td>
                    <td>
                      <RelativeTime iso={c.updated_at} />
                    </td>
                    <td>{c.already_acted ? t('automation.scheduled.previewDoneYes') : t('automation.scheduled.previewDoneNo')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <div className="form__actions">
        <button type="button" className="button button--primary" data-autofocus onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
    </Dialog>
  );
}
