import { useId, useState, type FormEvent } from 'react';
import {
  followupSettings,
  type FollowupSettings as Settings,
  type FollowupSettingsInput,
  type FollowupSettingsList,
} from '../../api/followups';
import type { Policy } from '../../api/sla';
import { ErrorNotice, errorText, Loading } from '../../components/Notice';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { t } from '../../i18n';
import '../followups/followups.css';

/**
 * Admin › SLA policies › Follow-ups: the workspace default (pending reminder, auto-solve,
 * check-in, texts) and an optional override per SLA policy, which replaces the default for the
 * policy's cases. `policies` is the page's list, so a policy created or switched on from a
 * preset above gets its row here at once.
 */
export function FollowupSettings({ policies }: { policies: Policy[] }) {
  const id = useId();
  const settings = useApi((signal) => followupSettings.list(signal), []);
  const [editing, setEditing] = useState<string | null>(null);
  const { notify } = useToast();
  const data = settings.data;

  return (
    <section className="panel followup-settings" aria-labelledby={`${id}-heading`} data-testid="followup-settings">
      <h2 id={`${id}-heading`} className="panel__heading">
        {t('followupSettings.heading')}
      </h2>
      <p className="hint">{t('followupSettings.intro')}</p>
      {settings.error !== undefined && !data ? (
        <ErrorNotice error={settings.error} onRetry={settings.reload} />
      ) : !data ? (
        <Loading />
      ) : (
        <>
          <h3 className="followup-subheading">{t('followupSettings.default')}</h3>
          <SettingsForm
            value={data.default}
            builtIn={data.built_in}
            save={(input) => followupSettings.putDefault(input)}
            onSaved={() => {
              notify(t('followupSettings.saved'));
              settings.reload();
            }}
          />
          {policies.map((policy) => (
            <PolicyFollowups
              key={policy.id}
              policy={policy}
              data={data}
              editing={editing === policy.id}
              onEdit={(on) => setEditing(on ? policy.id : null)}
              onChanged={(message) => {
                notify(message);
                setEditing(null);
                settings.reload();
              }}
            />
          ))}
        </>
      )}
    </section>
  );
}

const days = (n: number | null) => (n === null ? t('followupSettings.off') : t('followupSettings.days', { count: n }));

function PolicyFollowups(props: {
  policy: Policy;
  data: FollowupSettingsList;
  editing: boolean;
  onEdit: (on: boolean) => void;
  onChanged: (message: string) => void;
}) {
  const { policy, data, editing, onEdit, onChanged } = props;
  const own = data.policies.find((p) => p.sla_policy_id === policy.id);
  const { notify } = useToast();
  return (
    <div className="followup-policy" data-policy-id={policy.id}>
      <h3 className="followup-subheading">{t('followupSettings.forPolicy', { name: policy.name })}</h3>
      <p className="small">
        {own
          ? t('followupSettings.summary', {
              reminder: days(own.pending_reminder_after_days),
              solve: days(own.pending_solve_after_days),
              checkin: days(own.checkin_after_days),
            })
          : t('followupSettings.usesDefault')}{' '}
        {!editing && (
          <button type="button" className="button button--small button--quiet" onClick={() => onEdit(true)}>
            {own ? t('followupSettings.edit') : t('followupSettings.override')}
            <span className="visually-hidden"> {policy.name}</span>
          </button>
        )}
        {own && (
          <button
            type="button"
            className="button button--small button--quiet"
            onClick={async () => {
              try {
                await followupSettings.removePolicy(policy.id);
                onChanged(t('followupSettings.removed'));
              } catch (err) {
                notify(errorText(err), 'error');
              }
            }}
          >
            {t('followupSettings.removeOverride')}
            <span className="visually-hidden"> {policy.name}</span>
          </button>
        )}
      </p>
      {editing && (
        <SettingsForm
          value={own ?? data.default}
          builtIn={data.built_in}
          save={(input) => followupSettings.putPolicy(policy.id, input)}
          onSaved={() => onChanged(t('followupSettings.saved'))}
          onCancel={() => onEdit(false)}
        />
      )}
    </div>
  );
}

const asText = (n: number | null) => (n === null ? '' : String(n));
const asDays = (s: string): number | null => (s.trim() === '' ? null : Number(s));

function SettingsForm(props: {
  value: Settings;
  builtIn: FollowupSettingsList['built_in'];
  save: (input: FollowupSettingsInput) => Promise<unknown>;
  onSaved: () => void;
  onCancel?: () => void;
}) {
  const id = useId();
  const { value, builtIn } = props;
  const [reminder, setReminder] = useState(asText(value.pending_reminder_after_days));
  const [solve, setSolve] = useState(asText(value.pending_solve_after_days));
  const [checkin, setCheckin] = useState(asText(value.checkin_after_days));
  const [reminderBody, setReminderBody] = useState(value.reminder_body ?? '');
  const [checkinBody, setCheckinBody] = useState(value.checkin_body ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await props.save({
        pending_reminder_after_days: asDays(reminder),
        pending_solve_after_days: asDays(solve),
        checkin_after_days: asDays(checkin),
        reminder_body: reminderBody.trim() || null,
        checkin_body: checkinBody.trim() || null,
      });
      props.onSaved();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const number = (key: string, label: string, state: string, set: (v: string) => void) => (
    <div className="field">
      <label htmlFor={`${id}-${key}`}>{label}</label>
      <input
        id={`${id}-${key}`}
        type="number"
        min={1}
        max={365}
        step={1}
        inputMode="numeric"
        value={state}
        placeholder={t('followupSettings.off')}
        onChange={(e) => set(e.target.value)}
      />
    </div>
  );

  return (
    <form onSubmit={(e) => void submit(e)} className="followup-form">
      <div className="followup-settings__grid">
        {number('reminder', t('followupSettings.reminderDays'), reminder, setReminder)}
        {number('solve', t('followupSettings.solveDays'), solve, setSolve)}
        {number('checkin', t('followupSettings.checkinDays'), checkin, setCheckin)}
      </div>
      <div className="field">
        <label htmlFor={`${id}-reminder-body`}>{t('followupSettings.reminderBody')}</label>
        <textarea
          id={`${id}-reminder-body`}
          value={reminderBody}
          maxLength={5000}
          placeholder={builtIn.reminder_body.en}
          aria-describedby={`${id}-body-hint`}
          onChange={(e) => setReminderBody(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-checkin-body`}>{t('followupSettings.checkinBody')}</label>
        <textarea
          id={`${id}-checkin-body`}
          value={checkinBody}
          maxLength={5000}
          placeholder={builtIn.checkin_body.en}
          aria-describedby={`${id}-body-hint`}
          onChange={(e) => setCheckinBody(e.target.value)}
        />
      </div>
      <p className="hint" id={`${id}-body-hint`}>
        {t('followupSettings.bodyHint')}
      </p>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="reminder-list__actions">
        <button type="submit" className="button button--small button--primary" disabled={busy}>
          {t('followupSettings.save')}
        </button>
        {props.onCancel && (
          <button type="button" className="button button--small" onClick={props.onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
