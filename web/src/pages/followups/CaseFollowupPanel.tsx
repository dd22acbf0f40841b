import { useId, useState, type FormEvent } from 'react';
import { followups, reminders, type CaseFollowups } from '../../api/followups';
import type { CaseDetail } from '../../api/types';
import { ErrorNotice, errorText, Loading } from '../../components/Notice';
import { DateTime } from '../../components/Time';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { formatDateTime, t } from '../../i18n';
import { fromLocalInput, presetTime, SNOOZE_PRESETS, toLocalInput, type SnoozePreset } from './presets';
import './followups.css';

/** The case sidebar's "Follow up" panel: the snooze, "Remind me", and the automatic follow-up plan. */
export function CaseFollowupPanel({ kase, onChanged }: { kase: CaseDetail; onChanged?: () => void }) {
  const id = useId();
  // Status and version changes move the plan (pending, solved, snoozed): load again with them.
  const state = useApi((signal) => followups.ofCase(kase.id, signal), [kase.id, kase.status, kase.version]);
  const data = state.data;

  return (
    <section className="panel followup-panel" aria-labelledby={`${id}-heading`} data-testid="followup-panel">
      <h2 id={`${id}-heading`} className="panel__heading">
        {t('followups.panel')}
      </h2>
      {state.error !== undefined && !data ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : !data ? (
        <Loading />
      ) : (
        <>
          <SnoozeControl
            kase={kase}
            data={data}
            onChanged={() => {
              state.reload();
              onChanged?.();
            }}
          />
          <RemindMe kase={kase} data={data} onChanged={state.reload} />
          <PlanLines data={data} />
        </>
      )}
    </section>
  );
}

interface PartProps {
  kase: CaseDetail;
  data: CaseFollowups;
  onChanged: () => void;
}

function SnoozeControl({ kase, data, onChanged }: PartProps) {
  const id = useId();
  const { notify } = useToast();
  const [preset, setPreset] = useState<SnoozePreset | 'custom'>('tomorrow');
  const [custom, setCustom] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (data.snooze) {
    const snooze = data.snooze;
    return (
      <div className="followup-snooze" role="status">
        <p>
          <strong>{t('followups.snoozedUntil', { when: formatDateTime(snooze.until) })}</strong>
        </p>
        {snooze.note && <p className="muted">{t('followups.snoozeNote', { note: snooze.note })}</p>}
        <button
          type="button"
          className="button button--small"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            try {
              await followups.unsnooze(kase.id);
              notify(t('followups.unsnoozed'));
              onChanged();
            } catch (err) {
              notify(errorText(err), 'error');
            } finally {
              setBusy(false);
            }
          }}
        >
          {t('followups.unsnooze')}
        </button>
      </div>
    );
  }
  if (kase.status === 'solved' || kase.status === 'closed') return <p className="hint">{t('followups.cannotSnooze')}</p>;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const until = preset === 'custom' ? fromLocalInput(custom) : presetTime(preset).toISOString();
    if (!until || new Date(until).getTime() <= Date.now()) {
      setError(t('followups.pickFuture'));
      return;
    }
    setError(null);
    setBusy(true);
    try {
      const snooze = await followups.snooze(kase.id, until, note.trim());
      notify(t('followups.snoozed', { when: formatDateTime(snooze.until) }));
      setNote('');
      onChanged();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="followup-form" onSubmit={(e) => void submit(e)} aria-label={t('followups.snooze')}>
      <div className="field">
        <label htmlFor={`${id}-preset`}>{t('followups.snoozeUntil')}</label>
        <select id={`${id}-preset`} value={preset} onChange={(e) => setPreset(e.target.value as SnoozePreset | 'custom')}>
          {SNOOZE_PRESETS.map((p) => (
            <option key={p} value={p}>
              {t(`followups.preset.${p}`)}
            </option>
          ))}
          <option value="custom">{t('followups.preset.custom')}</option>
        </select>
      </div>
      {preset === 'custom' && (
        <div className="field">
          <label htmlFor={`${id}-custom`}>{t('followups.customTime')}</label>
          <input
            id={`${id}-custom`}
            type="datetime-local"
            value={custom}
            min={toLocalInput(new Date())}
            onChange={(e) => setCustom(e.target.value)}
            required
          />
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-note`}>{t('followups.note')}</label>
        <input id={`${id}-note`} value={note} maxLength={1000} onChange={(e) => setNote(e.target.value)} />
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <p className="hint">{t('followups.snoozeHint')}</p>
      <button type="submit" className="button button--small" disabled={busy}>
        {t('followups.snooze')}
      </button>
    </form>
  );
}

function RemindMe({ kase, data, onChanged }: PartProps) {
  const id = useId();
  const { notify } = useToast();
  const [at, setAt] = useState(() => toLocalInput(presetTime('tomorrow')));
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const remindAt = fromLocalInput(at);
    if (!remindAt || new Date(remindAt).getTime() <= Date.now()) {
      setError(t('followups.pickFuture'));
      return;
    }
    setError(null);
    setBusy(true);
    try {
      const reminder = await reminders.create(kase.id, remindAt, note.trim());
      notify(t('followups.reminderSet', { when: formatDateTime(reminder.remind_at) }));
      setNote('');
      onChanged();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  async function act(action: () => Promise<unknown>, done: string) {
    try {
      await action();
      notify(done);
      onChanged();
    } catch (err) {
      notify(errorText(err), 'error');
    }
  }

  return (
    <>
      {data.reminders.length > 0 && (
        <>
          <h3 className="followup-subheading">{t('followups.myReminders')}</h3>
          <ul className="plain-list followup-reminders">
            {data.reminders.map((r) => (
              <li key={r.id} className={r.status === 'due' ? 'followup-reminder followup-reminder--due' : 'followup-reminder'}>
                {r.status === 'due' && <span className="badge badge--status-pending">{t('followups.reminderDue')}</span>}{' '}
                <DateTime iso={r.remind_at} />
                {r.note && <span> — {r.note}</span>}{' '}
                <button
                  type="button"
                  className="button button--small button--quiet"
                  onClick={() => void act(() => reminders.done(r.id), t('followups.reminderDone'))}
                >
                  {t('followups.markDone')}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <form className="followup-form" onSubmit={(e) => void submit(e)} aria-label={t('followups.remindMe')}>
        <div className="field">
          <label htmlFor={`${id}-at`}>{t('followups.remindAt')}</label>
          <input
            id={`${id}-at`}
            type="datetime-local"
            value={at}
            min={toLocalInput(new Date())}
            onChange={(e) => setAt(e.target.value)}
            required
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-note`}>{t('followups.reminderNote')}</label>
          <input id={`${id}-note`} value={note} maxLength={1000} onChange={(e) => setNote(e.target.value)} />
        </div>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button button--small" disabled={busy}>
          {t('followups.remindMe')}
        </button>
      </form>
    </>
  );
}

function PlanLines({ data }: { data: CaseFollowups }) {
  const lines: string[] = [];
  const p = data.pending_reminder;
  if (p?.reminder_due_at && !p.reminder_sent_at) lines.push(t('followups.plan.reminderDue', { when: formatDateTime(p.reminder_due_at) }));
  if (p?.reminder_sent_at && (p.solve_due_at || p.reminder_due_at))
    lines.push(t('followups.plan.reminderSent', { when: formatDateTime(p.reminder_sent_at) }));
  if (p?.solve_due_at) lines.push(t('followups.plan.solveDue', { when: formatDateTime(p.solve_due_at) }));
  const c = data.checkin;
  if (c?.due_at && !c.sent_at) lines.push(t('followups.plan.checkinDue', { when: formatDateTime(c.due_at) }));
  if (c?.sent_at) lines.push(t('followups.plan.checkinSent', { when: formatDateTime(c.sent_at) }));
  return (
    <>
      <h3 className="followup-subheading">{t('followups.plan')}</h3>
      {lines.length === 0 ? (
        <p className="muted small">{t('followups.plan.none')}</p>
      ) : (
        <ul className="plain-list small">
          {lines.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
    </>
  );
}
