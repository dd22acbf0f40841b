import { useEffect, useId, useRef, useState } from 'react';
import { disputes as disputesApi, isClosed, type Dispute, type EvidenceInput, type EvidenceItem } from '../../api/disputes';
import { isApiError } from '../../api/http';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { errorText } from '../../components/Notice';
import { useToast } from '../../components/Toasts';
import { formatDateTime, t } from '../../i18n';
import { useDirectory } from '../../shell/DirectoryContext';
import { EvidenceItemDialog } from './EvidenceItemDialog';
import { evidenceKindLabel } from './format';

const PREVIEW_CHARS = 240;

interface EvidenceBuilderProps {
  dispute: Dispute;
  /** Reload the dispute (requirements, submission) after a change here. */
  onChanged: () => void;
}

function preview(body: string): string {
  const text = body.replace(/\s+/g, ' ').trim();
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text;
}

/**
 * The evidence of one dispute: what its reason asks for, the staged items (prefilled from Baton's
 * records or written by agents), the packet PDF and the one-time submission.
 */
export function EvidenceBuilder({ dispute, onChanged }: EvidenceBuilderProps) {
  const id = useId();
  const { notify } = useToast();
  const { agents } = useDirectory();
  // The include toggles answer at once; the dispute's next version replaces these.
  const [included, setIncludedLocal] = useState<Record<string, boolean>>({});
  useEffect(() => setIncludedLocal({}), [dispute]);
  const items = dispute.evidence.map((i) => (i.id in included ? { ...i, included: included[i.id]! } : i));
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState<EvidenceItem | null | undefined>(undefined);
  const [deleting, setDeleting] = useState<EvidenceItem | null>(null);
  const [confirmSubmit, setConfirmSubmit] = useState(false);
  const [alreadySubmitted, setAlreadySubmitted] = useState(false);
  // Where focus goes when the control that had it disappears (a deleted item, the submit button).
  const itemsHeading = useRef<HTMLHeadingElement>(null);
  const submittedNotice = useRef<HTMLParagraphElement>(null);
  const [focusSubmitted, setFocusSubmitted] = useState(false);
  const [focusItems, setFocusItems] = useState(false);

  const submitted = dispute.submission !== null || alreadySubmitted;
  const readOnly = submitted || isClosed(dispute);
  const includedCount = items.filter((i) => i.included).length;
  const submission = dispute.submission;

  // The deleted item's button is gone once the dispute reloads: continue at the list's heading.
  useEffect(() => {
    if (focusItems && !dispute.evidence.some((i) => i.id === deleting?.id)) {
      itemsHeading.current?.focus();
      setFocusItems(false);
    }
  }, [focusItems, dispute.evidence, deleting]);

  useEffect(() => {
    if (focusSubmitted && submission) {
      submittedNotice.current?.focus();
      setFocusSubmitted(false);
    }
  }, [focusSubmitted, submission]);
  const submitter = submission?.submitted_by ? agents.find((a) => a.id === submission.submitted_by)?.name || t('case.someone') : null;

  function changed() {
    onChanged();
  }

  async function prefill() {
    setBusy(true);
    try {
      await disputesApi.prefill(dispute.id);
      notify(t('evidence.prefilled'));
      changed();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  }

  async function setIncluded(item: EvidenceItem, included: boolean) {
    setIncludedLocal((map) => ({ ...map, [item.id]: included }));
    try {
      await disputesApi.updateEvidence(dispute.id, item.id, { included });
    } catch (err) {
      showError(err);
    }
    onChanged();
  }

  async function save(input: EvidenceInput) {
    if (editing) {
      await disputesApi.updateEvidence(dispute.id, editing.id, input);
      notify(t('evidence.saved'));
    } else {
      await disputesApi.addEvidence(dispute.id, input);
      notify(t('evidence.added'));
    }
    setEditing(undefined);
    changed();
  }

  async function remove(item: EvidenceItem) {
    await disputesApi.deleteEvidence(dispute.id, item.id);
    notify(t('evidence.deleted'));
    changed();
    setFocusItems(true);
  }

  async function submit() {
    try {
      await disputesApi.submit(dispute.id);
      notify(t('evidence.submittedDone'));
      setFocusSubmitted(true);
    } catch (err) {
      if (isApiError(err) && err.code === 'dispute.already_submitted') setAlreadySubmitted(true);
      else throw err;
    }
    onChanged();
  }

  function showError(err: unknown) {
    if (isApiError(err) && err.code === 'dispute.already_submitted') {
      setAlreadySubmitted(true);
      onChanged();
    } else {
      notify(errorText(err), 'error');
    }
  }

  return (
    <section className="evidence" aria-labelledby={`${id}-heading`} aria-busy={busy}>
      <h3 id={`${id}-heading`} className="panel__subheading">
        {t('evidence.heading')}
      </h3>

      {alreadySubmitted && (
        <p className="notice notice--warning" role="alert">
          {t('evidence.alreadySubmitted')}
        </p>
      )}
      {submission ? (
        <p ref={submittedNotice} tabIndex={-1} className="notice notice--success">
          {submitter
            ? t('evidence.submittedBy', { date: formatDateTime(submission.submitted_at), name: submitter })
            : t('evidence.submittedOn', { date: formatDateTime(submission.submitted_at) })}{' '}
          {t('evidence.readOnly')}
        </p>
      ) : (
        readOnly && !alreadySubmitted && <p className="hint">{t('evidence.closedReadOnly')}</p>
      )}

      <h4 id={`${id}-requirements`} className="evidence__subheading">
        {t('evidence.requirements')}
      </h4>
      {dispute.requirements.length === 0 ? (
        <p className="muted small">{t('evidence.noRequirements')}</p>
      ) : (
        <ul className="requirements" aria-labelledby={`${id}-requirements`}>
          {dispute.requirements.map((r) => (
            <li key={r.kind} className={`requirement requirement--${r.satisfied ? 'met' : 'missing'}`}>
              <span className="requirement__mark" aria-hidden="true">
                {r.satisfied ? '✓' : '○'}
              </span>
              <span>
                {r.label || evidenceKindLabel(r.kind)}{' '}
                <span className="muted small">({r.required ? t('evidence.required') : t('evidence.optional')})</span>{' '}
                <span className={`requirement__state ${r.satisfied ? '' : 'requirement__state--missing'}`}>
                  {r.satisfied ? t('evidence.satisfied') : t('evidence.missing')}
                </span>
              </span>
            </li>
          ))}
        </ul>
      )}

      {!readOnly && (
        <div className="evidence__tools">
          <button type="button" className="button" disabled={busy} onClick={() => void prefill()}>
            {t('evidence.prefill')}
          </button>
          <button type="button" className="button" onClick={() => setEditing(null)}>
            {t('evidence.add')}
          </button>
        </div>
      )}

      <h4 id={`${id}-items`} ref={itemsHeading} tabIndex={-1} className="evidence__subheading">
        {t('evidence.items')}
      </h4>
      {items.length === 0 ? (
        <p className="empty">{t('evidence.empty')}</p>
      ) : (
        <ol className="evidence-items" aria-labelledby={`${id}-items`}>
          {items.map((item) => (
            <li key={item.id} className={`evidence-item ${item.included ? '' : 'evidence-item--excluded'}`}>
              <div className="evidence-item__header">
                <h5 className="evidence-item__title">{item.title}</h5>
                <span className="badge badge--neutral">{item.kind_label || evidenceKindLabel(item.kind)}</span>
                <span className="muted small">{t(item.origin === 'prefill' ? 'evidence.origin.prefill' : 'evidence.origin.agent')}</span>
                {!item.included && <span className="badge badge--warning">{t('evidence.excluded')}</span>}
              </div>
              <p className="evidence-item__body">{preview(item.body) || <span className="muted">{t('evidence.emptyBody')}</span>}</p>
              {!readOnly && (
                <div className="evidence-item__actions">
                  <label className="checkbox">
                    <input type="checkbox" checked={item.included} onChange={(e) => void setIncluded(item, e.target.checked)} />
                    <span>
                      {t('evidence.include')}
                      <span className="visually-hidden">: {item.title}</span>
                    </span>
                  </label>
                  <button type="button" className="button button--small" onClick={() => setEditing(item)}>
                    {t('evidence.edit')}
                    <span className="visually-hidden"> {item.title}</span>
                  </button>
                  <button type="button" className="button button--small button--danger-quiet" onClick={() => setDeleting(item)}>
                    {t('evidence.delete')}
                    <span className="visually-hidden"> {item.title}</span>
                  </button>
                </div>
              )}
            </li>
          ))}
        </ol>
      )}

      <div className="evidence__tools">
        <a className="button" href={submission?.packet_url ?? disputesApi.packetUrl(dispute.id)} download>
          {t('evidence.download')}
        </a>
        {!readOnly && dispute.can_submit && (
          <button
            type="button"
            className="button button--primary"
            disabled={includedCount === 0}
            aria-describedby={includedCount === 0 ? `${id}-submit-hint` : undefined}
            onClick={() => setConfirmSubmit(true)}
          >
            {t('evidence.submit')}
          </button>
        )}
      </div>
      {!readOnly && dispute.can_submit && includedCount === 0 && (
        <p id={`${id}-submit-hint`} className="hint">
          {t('evidence.nothingIncluded')}
        </p>
      )}
      {!readOnly && !dispute.can_submit && <p className="hint">{t('evidence.cannotSubmit')}</p>}

      <EvidenceItemDialog open={editing !== undefined} item={editing ?? null} onClose={() => setEditing(undefined)} onSave={save} />
      <ConfirmDialog
        open={deleting !== null}
        title={t('evidence.deleteTitle')}
        confirmLabel={t('evidence.delete')}
        danger
        onConfirm={() => (deleting ? remove(deleting) : undefined)}
        onClose={() => setDeleting(null)}
      >
        <p>{t('evidence.deleteBody', { title: deleting?.title ?? '' })}</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirmSubmit}
        title={t('evidence.submitTitle')}
        confirmLabel={t('evidence.submitConfirm')}
        onConfirm={submit}
        onClose={() => setConfirmSubmit(false)}
      >
        <p>{t('evidence.submitBody')}</p>
      </ConfirmDialog>
    </section>
  );
}
