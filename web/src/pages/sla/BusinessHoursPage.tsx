import { useId, useState } from 'react';
import { businessHours, WEEKDAYS, type Schedule } from '../../api/sla';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorNotice, errorText, Loading } from '../../components/Notice';
import { PageHeading } from '../../components/PageHeading';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { t, type MessageKey } from '../../i18n';
import { useDirectory } from '../../shell/DirectoryContext';
import { ScheduleDialog } from './ScheduleDialog';
import './sla.css';

/** Admin › Business hours: schedules (time zone, weekly hours, holidays), the default, each team's. */
export function BusinessHoursPage() {
  const state = useApi((signal) => businessHours.list(signal), []);
  const [editing, setEditing] = useState<Schedule | null>(null);
  const [dialogOpen, setDialogOpen] = useState(false);
  const [deleting, setDeleting] = useState<Schedule | null>(null);
  const { notify } = useToast();
  const schedules = state.data ?? [];

  return (
    <div className="page">
      <div className="page-header">
        <PageHeading>{t('sla.hours.heading')}</PageHeading>
        <div className="page-header__actions">
          <button
            type="button"
            className="button button--primary"
            onClick={() => {
              setEditing(null);
              setDialogOpen(true);
            }}
          >
            {t('sla.hours.new')}
          </button>
        </div>
      </div>
      <p className="hint">{t('sla.hours.intro')}</p>

      {state.error !== undefined && !state.data ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : !state.data ? (
        <Loading />
      ) : schedules.length === 0 ? (
        <p className="empty">{t('sla.hours.empty')}</p>
      ) : (
        schedules.map((schedule) => (
          <ScheduleSection
            key={schedule.id}
            schedule={schedule}
            onEdit={() => {
              setEditing(schedule);
              setDialogOpen(true);
            }}
            onDelete={() => setDeleting(schedule)}
          />
        ))
      )}

      {state.data && <TeamSchedules schedules={schedules} onChanged={state.reload} />}

      <ScheduleDialog open={dialogOpen} schedule={editing} onClose={() => setDialogOpen(false)} onSaved={() => state.reload()} />
      <ConfirmDialog
        open={deleting !== null}
        title={t('sla.hours.deleteTitle', { name: deleting?.name ?? '' })}
        confirmLabel={t('sla.hours.delete')}
        danger
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await businessHours.remove(deleting.id);
          notify(t('sla.hours.deleted', { name: deleting.name }));
          state.reload();
        }}
      >
        <p>{t('sla.hours.deleteBody')}</p>
      </ConfirmDialog>
    </div>
  );
}

function ScheduleSection({ schedule, onEdit, onDelete }: { schedule: Schedule; onEdit: () => void; onDelete: () => void }) {
  const id = useId();
  const { teams } = useDirectory();
  const teamNames = schedule.team_ids.map((teamId) => teams.find((tm) => tm.id === teamId)?.name ?? t('sla.someTeam'));
  return (
    <section className="panel" aria-labelledby={`${id}-heading`} data-testid="schedule" data-schedule-id={schedule.id}>
      <h2 id={`${id}-heading`} className="panel__heading">
        {schedule.name} {schedule.is_default && <span className="badge badge--success">{t('sla.hours.default')}</span>}
      </h2>
      <p>
        {t('sla.hours.timeZone')}: <strong>{schedule.time_zone}</strong>
      </p>
      <dl className="sla-week">
        {WEEKDAYS.map((day) => (
          <div key={day} className="sla-day">
            <dt className="sla-day__name">{t(`sla.day.${day}` as MessageKey)}</dt>
            <dd>
              {schedule.weekly[day]?.length ? schedule.weekly[day].map((r) => `${r.start}–${r.end}`).join(', ') : t('sla.hours.closed')}
            </dd>
          </div>
        ))}
      </dl>
      {schedule.holidays.length > 0 && (
        <>
          <h3 className="panel__subheading">{t('sla.hours.holidays')}</h3>
          <ul className="plain-list">
            {schedule.holidays.map((h, i) => (
              <li key={i}>
                {h.date
                  ? h.date
                  : t('sla.hours.everyYear', {
                      date: new Intl.DateTimeFormat(undefined, { month: 'long', day: 'numeric', timeZone: 'UTC' }).format(
                        Date.UTC(2024, (h.month ?? 1) - 1, h.day ?? 1),
                      ),
                    })}
                {h.name ? ` — ${h.name}` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="muted small">
        {teamNames.length > 0 ? t('sla.hours.usedBy', { teams: teamNames.join(', ') }) : t('sla.hours.noTeams')}
      </p>
      <div className="sla-row-actions">
        <button type="button" className="button button--small" onClick={onEdit}>
          {t('sla.hours.edit')}
          <span className="visually-hidden"> {schedule.name}</span>
        </button>
        <button type="button" className="button button--small button--danger" onClick={onDelete}>
          {t('sla.hours.delete')}
          <span className="visually-hidden"> {schedule.name}</span>
        </button>
      </div>
    </section>
  );
}

/** Each team's business hours: one of the schedules, or none (the workspace default applies). */
function TeamSchedules({ schedules, onChanged }: { schedules: Schedule[]; onChanged: () => void }) {
  const { teams } = useDirectory();
  const { notify } = useToast();
  const [busy, setBusy] = useState<string | null>(null);

  async function assign(teamId: string, teamName: string, scheduleId: string | null) {
    setBusy(teamId);
    try {
      await businessHours.setForTeam(teamId, scheduleId);
      notify(t('sla.hours.teamSaved', { team: teamName }));
      onChanged();
    } catch (err) {
      notify(errorText(err), 'error');
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="panel" aria-labelledby="sla-team-hours">
      <h2 id="sla-team-hours" className="panel__heading">
        {t('sla.hours.teams')}
      </h2>
      {teams.length === 0 ? (
        <p className="muted small">{t('sla.hours.noTeamsYet')}</p>
      ) : (
        <ul className="sla-inline-list">
          {teams.map((team) => {
            const current = schedules.find((s) => s.team_ids.includes(team.id));
            return (
              <li key={team.id} className="field">
                <label htmlFor={`sla-team-${team.id}`}>{t('sla.hours.teamHours', { team: team.name })}</label>
                <select
                  id={`sla-team-${team.id}`}
                  value={current?.id ?? ''}
                  disabled={busy === team.id}
                  onChange={(e) => void assign(team.id, team.name, e.target.value || null)}
                >
                  <option value="">{t('sla.hours.teamNone')}</option>
                  {schedules.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                    </option>
                  ))}
                </select>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
