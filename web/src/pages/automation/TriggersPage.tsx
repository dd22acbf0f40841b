import { useId, useState } from 'react';
import { triggers, type Trigger } from '../../api/triggers';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { CopyField } from '../../components/CopyField';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice, errorText, Loading } from '../../components/Notice';
import { PageHeading } from '../../components/PageHeading';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { t } from '../../i18n';
import { actionLabel } from './ActionEditor';
import { eventLabel, TriggerDialog } from './TriggerDialog';
import { WebhookDeliveries } from './WebhookDeliveries';
import './automation.css';

/** Admin › Triggers: rules run in this order when something happens on a case. */
export function TriggersPage() {
  const list = useApi((signal) => triggers.list(signal), []);
  const [editing, setEditing] = useState<Trigger | null>(null);
  const [dialogOpen, setDialogOpen] = useState(false);
  const [deleting, setDeleting] = useState<Trigger | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { notify } = useToast();
  const items = list.data ?? [];

  function saved(trigger: Trigger) {
    if (trigger.webhook_secret) setSecret(trigger.webhook_secret);
    list.reload();
  }

  async function move(index: number, by: -1 | 1) {
    const ids = items.map((x) => x.id);
    const target = index + by;
    if (target < 0 || target >= ids.length) return;
    [ids[index], ids[target]] = [ids[target]!, ids[index]!];
    setBusy(true);
    try {
      const page = await triggers.reorder(ids);
      list.setData(page.data);
      notify(t(by < 0 ? 'automation.trigger.movedUp' : 'automation.trigger.movedDown', { name: items[index]!.name, position: target + 1 }));
    } catch (err) {
      notify(errorText(err), 'error');
      list.reload();
    } finally {
      setBusy(false);
    }
  }

  async function toggle(trigger: Trigger, enabled: boolean) {
    setBusy(true);
    try {
      const next = await triggers.update(trigger.id, { version: trigger.version, enabled });
      list.setData(items.map((x) => (x.id === next.id ? next : x)));
      notify(t(enabled ? 'automation.trigger.turnedOn' : 'automation.trigger.turnedOff', { name: trigger.name }));
    } catch (err) {
      notify(errorText(err), 'error');
      list.reload();
    } finally {
      setBusy(false);
    }
  }

  async function rotate(trigger: Trigger) {
    try {
      saved(await triggers.update(trigger.id, { version: trigger.version, rotate_webhook_secret: true }));
    } catch (err) {
      notify(errorText(err), 'error');
    }
  }

  return (
    <div className="page page--wide">
      <div className="page-header">
        <PageHeading>{t('automation.trigger.heading')}</PageHeading>
        <div className="page-header__actions">
          <button
            type="button"
            className="button button--primary"
            onClick={() => {
              setEditing(null);
              setDialogOpen(true);
            }}
          >
            {t('automation.trigger.new')}
          </button>
        </div>
      </div>
      <p className="hint">{t('automation.trigger.intro')}</p>

      {list.error !== undefined && !list.data ? (
        <ErrorNotice error={list.error} onRetry={list.reload} />
      ) : !list.data ? (
        <Loading />
      ) : items.length === 0 ? (
        <p className="empty">{t('automation.trigger.empty')}</p>
      ) : (
        <ol className="plain-list trigger-list" aria-label={t('automation.trigger.order')}>
          {items.map((trigger, index) => (
            <li key={trigger.id}>
              <TriggerRow
                trigger={trigger}
                position={index + 1}
                busy={busy}
                canMoveUp={index > 0}
                canMoveDown={index < items.length - 1}
                onMove={(by) => void move(index, by)}
                onToggle={(on) => void toggle(trigger, on)}
                onEdit={() => {
                  setEditing(trigger);
                  setDialogOpen(true);
                }}
                onRotate={() => void rotate(trigger)}
                onDelete={() => setDeleting(trigger)}
              />
            </li>
          ))}
        </ol>
      )}

      <TriggerDialog open={dialogOpen} trigger={editing} onClose={() => setDialogOpen(false)} onSaved={saved} />
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
        open={deleting !== null}
        title={t('automation.trigger.deleteTitle', { name: deleting?.name ?? '' })}
        confirmLabel={t('automation.trigger.delete')}
        danger
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await triggers.remove(deleting.id);
          notify(t('automation.trigger.deleted', { name: deleting.name }));
          list.reload();
        }}
      >
        <p>{t('automation.trigger.deleteBody')}</p>
      </ConfirmDialog>
    </div>
  );
}

interface TriggerRowProps {
  trigger: Trigger;
  position: number;
  busy: boolean;
  canMoveUp: boolean;
  canMoveDown: boolean;
  onMove: (by: -1 | 1) => void;
  onToggle: (enabled: boolean) => void;
  onEdit: () => void;
  onRotate: () => void;
  onDelete: () => void;
}

function TriggerRow({ trigger, position, busy, canMoveUp, canMoveDown, onMove, onToggle, onEdit, onRotate, onDelete }: TriggerRowProps) {
  const id = useId();
  const conditionCount = trigger.conditions.all.length + trigger.conditions.any.length;
  const hasWebhook = trigger.actions.some((a) => a.type === 'webhook');
  return (
    <section className="panel" aria-labelledby={`${id}-heading`} data-testid="trigger" data-trigger-id={trigger.id}>
      <h2 id={`${id}-heading`} className="panel__heading">
        <span className="muted">{position}.</span> {trigger.name}{' '}
        {!trigger.enabled && <span className="badge badge--neutral">{t('automation.trigger.disabled')}</span>}
      </h2>
      {trigger.description && <p className="muted">{trigger.description}</p>}
      <p>{t('automation.trigger.on', { list: trigger.events.map(eventLabel).join(', ') })}</p>
      <p className="muted small">
        {t('automation.trigger.conditionCount', { count: conditionCount })}
        {' · '}
        {t('automation.trigger.actionCount', { count: trigger.actions.length })}
        {trigger.actions.length > 0 && `: ${trigger.actions.map((a) => actionLabel(a.type)).join(', ')}`}
      </p>
      {hasWebhook && <DeliveriesDisclosure triggerId={trigger.id} />}
      <div className="trigger-row__actions">
        <label className="checkbox">
          <input type="checkbox" checked={trigger.enabled} disabled={busy} onChange={(e) => onToggle(e.target.checked)} />
          <span>
            {t('automation.trigger.enabled')}
            <span className="visually-hidden"> {trigger.name}</span>
          </span>
        </label>
        <button type="button" className="button button--small" disabled={!canMoveUp || busy} onClick={() => onMove(-1)}>
          {t('automation.trigger.moveUp')}
          <span className="visually-hidden"> {trigger.name}</span>
        </button>
        <button type="button" className="button button--small" disabled={!canMoveDown || busy} onClick={() => onMove(1)}>
          {t('automation.trigger.moveDown')}
          <span className="visually-hidden"> {trigger.name}</span>
        </button>
        <button type="button" className="button button--small" onClick={onEdit}>
          {t('automation.trigger.edit')}
          <span className="visually-hidden"> {trigger.name}</span>
        </button>
        {hasWebhook && (
          <button type="button" className="button button--small" onClick={onRotate}>
            {t('automation.trigger.rotateSecret')}
            <span className="visually-hidden"> {trigger.name}</span>
          </button>
        )}
        <button type="button" className="button button--small button--danger" onClick={onDelete}>
          {t('automation.trigger.delete')}
          <span className="visually-hidden"> {trigger.name}</span>
        </button>
      </div>
    </section>
  );
}

function DeliveriesDisclosure({ triggerId }: { triggerId: string }) {
  const [open, setOpen] = useState(false);
  return (
    <details onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>{t('automation.deliveries.heading')}</summary>
      {open && <WebhookDeliveries triggerId={triggerId} />}
    </details>
  );
}
