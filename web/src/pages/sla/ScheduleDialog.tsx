import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { businessHours, WEEKDAYS, type Holiday, type Schedule, type ScheduleInput, type TimeRange, type Weekday } from '../../api/sla';
import { Dialog } from '../../components/Dialog';
import { FieldError, FormError, useFocusFirstInvalid } from '../../components/FieldError';
import { useToast } from '../../components/Toasts';
import { t, type MessageKey } from '../../i18n';
import { describedBy } from '../../lib/fieldErrors';
import { NO_PATH_ERRORS, pathErrorsOf, type PathErrors } from './serverErrors';

interface HolidayDraft {
  kind: 'dated' | 'recurring';
  date: string;
  month: string;
  day: string;
  name: string;
}

interface Draft {
  name: string;
  time_zone: string;
  is_default: boolean;
  weekly: Record<Weekday, TimeRange[]>;
  holidays: HolidayDraft[];
}

const OFFICE_DAY = [{ start: '09:00', end: '17:00' }];

function blankDraft(): Draft {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  return {
    name: '',
    time_zone: zone,
    is_default: false,
    weekly: { mon: OFFICE_DAY, tue: OFFICE_DAY, wed: OFFICE_DAY, thu: OFFICE_DAY, fri: OFFICE_DAY, sat: [], sun: [] },
    holidays: [],
  };
}

function draftOf(schedule: Schedule): Draft {
  return {
    name: schedule.name,
    time_zone: schedule.time_zone,
    is_default: schedule.is_default,
    weekly: Object.fromEntries(WEEKDAYS.map((d) => [d, schedule.weekly[d] ?? []])) as Record<Weekday, TimeRange[]>,
    holidays: schedule.holidays.map((h) =>
      h.date
        ? { kind: 'dated', date: h.date, month: '', day: '', name: h.name ?? '' }
        : { kind: 'recurring', date: '', month: String(h.month ?? ''), day: String(h.day ?? ''), name: h.name ?? '' },
    ),
  };
}

function inputOf(draft: Draft): ScheduleInput {
  return {
    name: draft.name.trim(),
    time_zone: draft.time_zone,
    is_default: draft.is_default,
    weekly: draft.weekly,
    holidays: draft.holidays.map((h): Holiday => {
      const name = h.name.trim() ? { name: h.name.trim() } : {};
      return h.kind === 'dated' ? { date: h.date, ...name } : { month: Number(h.month), day: Number(h.day), ...name };
    }),
  };
}

/** Every IANA zone the browser knows (the server checks the name too), with the current one kept. */
function useTimeZones(current: string): string[] {
  return useMemo(() => {
    const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    const list = zones.includes('UTC') ? [...zones] : ['UTC', ...zones];
    return current && !list.includes(current) ? [current, ...list] : list;
  }, [current]);
}

const MONTHS = Array.from({ length: 12 }, (_, i) => i + 1);
const DAYS = Array.from({ length: 31 }, (_, i) => i + 1);

interface ScheduleDialogProps {
  open: boolean;
  /** The schedule to edit; none: a new one. */
  schedule: Schedule | null;
  onClose: () => void;
  onSaved: (schedule: Schedule) => void;
}

/** Create or edit business hours: name, IANA time zone, weekly ranges, holidays, workspace default. */
export function ScheduleDialog({ open, schedule, onClose, onSaved }: ScheduleDialogProps) {
  const id = useId();
  const { notify } = useToast();
  const [draft, setDraft] = useState<Draft>(blankDraft);
  const [errors, setErrors] = useState<PathErrors>(NO_PATH_ERRORS);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const zones = useTimeZones(draft.time_zone);
  useFocusFirstInvalid(formRef, errors === NO_PATH_ERRORS ? null : errors);

  useEffect(() => {
    if (!open) return;
    setDraft(schedule ? draftOf(schedule) : blankDraft());
    setErrors(NO_PATH_ERRORS);
  }, [open, schedule]);

  const err = (path: string) => errors.fields[path];
  const errId = (path: string) => `${id}-${path.replace(/[^\w-]/g, '_')}-error`;
  const errorProps = (path: string) => ({
    'aria-invalid': err(path) ? true : undefined,
    'aria-describedby': describedBy(err(path) && errId(path)),
  });
  const shownPaths = new Set<string>(['name', 'time_zone', 'weekly', 'holidays']);
  WEEKDAYS.forEach((d) => {
    shownPaths.add(`weekly.${d}`);
    draft.weekly[d].forEach((_, i) => shownPaths.add(`weekly.${d}[${i}]`));
  });
  draft.holidays.forEach((_, i) => shownPaths.add(`holidays[${i}]`));

  const setDay = (day: Weekday, ranges: TimeRange[]) => setDraft((d) => ({ ...d, weekly: { ...d.weekly, [day]: ranges } }));
  const setHoliday = (index: number, change: Partial<HolidayDraft>) =>
    setDraft((d) => ({ ...d, holidays: d.holidays.map((h, i) => (i === index ? { ...h, ...change } : h)) }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!draft.name.trim()) {
      setErrors({ fields: { name: t('sla.hours.nameRequired') }, form: null });
      return;
    }
    setBusy(true);
    try {
      const input = inputOf(draft);
      const saved = schedule ? await businessHours.update(schedule.id, input) : await businessHours.create(input);
      notify(t(schedule ? 'sla.hours.saved' : 'sla.hours.created', { name: saved.name }));
      onSaved(saved);
      onClose();
    } catch (error) {
      setErrors(pathErrorsOf(error, (path) => shownPaths.has(path)));
    } finally {
      setBusy(false);
    }
  }

  const title = schedule ? t('sla.hours.editTitle', { name: schedule.name }) : t('sla.hours.newTitle');
  return (
    <Dialog open={open} onClose={onClose} title={title} className="dialog--wide">
      <form ref={formRef} className="form sla-form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor={`${id}-name`}>{t('sla.hours.name')}</label>
          <input
            id={`${id}-name`}
            type="text"
            maxLength={100}
            value={draft.name}
            data-autofocus
            onChange={(e) => setDraft((d) => ({ ...d, name: e.target.value }))}
            {...errorProps('name')}
          />
          <FieldError id={errId('name')} text={err('name')} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-zone`}>{t('sla.hours.timeZone')}</label>
          <select
            id={`${id}-zone`}
            value={draft.time_zone}
            onChange={(e) => setDraft((d) => ({ ...d, time_zone: e.target.value }))}
            {...errorProps('time_zone')}
          >
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone}
              </option>
            ))}
          </select>
          <FieldError id={errId('time_zone')} text={err('time_zone')} />
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={draft.is_default} onChange={(e) => setDraft((d) => ({ ...d, is_default: e.target.checked }))} />
          <span>{t('sla.hours.isDefault')}</span>
        </label>

        <fieldset aria-describedby={describedBy(err('weekly') && errId('weekly'))}>
          <legend>{t('sla.hours.weekly')}</legend>
          <FieldError id={errId('weekly')} text={err('weekly')} />
          <div className="sla-week">
            {WEEKDAYS.map((day) => {
              const dayName = t(`sla.day.${day}` as MessageKey);
              const ranges = draft.weekly[day];
              return (
                <div key={day} className="sla-day" role="group" aria-label={dayName}>
                  <span className="sla-day__name" aria-hidden="true">
                    {dayName}
                  </span>
                  {ranges.length === 0 && <span className="muted small sla-day__closed">{t('sla.hours.closed')}</span>}
                  {ranges.map((range, i) => {
                    const path = `weekly.${day}[${i}]`;
                    const update = (change: Partial<TimeRange>) =>
                      setDay(
                        day,
                        ranges.map((r, j) => (j === i ? { ...r, ...change } : r)),
                      );
                    return (
                      <div key={i} className="sla-range">
                        <label className="visually-hidden" htmlFor={`${id}-${day}-${i}-start`}>
                          {t('sla.hours.opensAt', { day: dayName, n: i + 1 })}
                        </label>
                        <input
                          id={`${id}-${day}-${i}-start`}
                          type="time"
                          value={range.start}
                          onChange={(e) => update({ start: e.target.value })}
                          {...errorProps(path)}
                        />
                        <span aria-hidden="true">–</span>
                        <label className="visually-hidden" htmlFor={`${id}-${day}-${i}-end`}>
                          {t('sla.hours.closesAt', { day: dayName, n: i + 1 })}
                        </label>
                        <input
                          id={`${id}-${day}-${i}-end`}
                          type="text"
                          inputMode="numeric"
                          pattern="[0-9]{2}:[0-9]{2}"
                          maxLength={5}
                          size={5}
                          value={range.end}
                          onChange={(e) => update({ end: e.target.value })}
                          {...errorProps(path)}
                        />
                        <button
                          type="button"
                          className="button button--small button--quiet"
                          onClick={() =>
                            setDay(
                              day,
                              ranges.filter((_, j) => j !== i),
                            )
                          }
                        >
                          {t('sla.hours.removeRange')}
                          <span className="visually-hidden"> {t('sla.hours.opensAt', { day: dayName, n: i + 1 })}</span>
                        </button>
                        <FieldError id={errId(path)} text={err(path)} />
                      </div>
                    );
                  })}
                  <button
                    type="button"
                    className="button button--small"
                    onClick={() =>
                      setDay(day, [...ranges, ranges.length ? { start: '13:00', end: '17:00' } : { start: '09:00', end: '17:00' }])
                    }
                  >
                    {t('sla.hours.addRange')}
                    <span className="visually-hidden"> ({dayName})</span>
                  </button>
                  <FieldError id={errId(`weekly.${day}`)} text={err(`weekly.${day}`)} />
                </div>
              );
            })}
          </div>
          <p className="hint small">{t('sla.hours.endHint')}</p>
        </fieldset>

        <fieldset>
          <legend>{t('sla.hours.holidays')}</legend>
          <FieldError id={errId('holidays')} text={err('holidays')} />
          {draft.holidays.length === 0 && <p className="muted small">{t('sla.hours.noHolidays')}</p>}
          <ul className="sla-inline-list">
            {draft.holidays.map((h, i) => {
              const path = `holidays[${i}]`;
              const n = i + 1;
              return (
                <li key={i}>
                  <div className="field">
                    <label htmlFor={`${id}-h${i}-kind`}>{t('sla.hours.holidayKind', { n })}</label>
                    <select
                      id={`${id}-h${i}-kind`}
                      value={h.kind}
                      onChange={(e) => setHoliday(i, { kind: e.target.value as HolidayDraft['kind'] })}
                    >
                      <option value="dated">{t('sla.hours.dated')}</option>
                      <option value="recurring">{t('sla.hours.recurring')}</option>
                    </select>
                  </div>
                  {h.kind === 'dated' ? (
                    <div className="field">
                      <label htmlFor={`${id}-h${i}-date`}>{t('sla.hours.date', { n })}</label>
                      <input
                        id={`${id}-h${i}-date`}
                        type="date"
                        value={h.date}
                        onChange={(e) => setHoliday(i, { date: e.target.value })}
                        {...errorProps(path)}
                      />
                    </div>
                  ) : (
                    <>
                      <div className="field">
                        <label htmlFor={`${id}-h${i}-month`}>{t('sla.hours.month', { n })}</label>
                        <select
                          id={`${id}-h${i}-month`}
                          value={h.month}
                          onChange={(e) => setHoliday(i, { month: e.target.value })}
                          {...errorProps(path)}
                        >
                          <option value="">{t('common.choose')}</option>
                          {MONTHS.map((m) => (
                            <option key={m} value={m}>
                              {new Intl.DateTimeFormat(undefined, { month: 'long', timeZone: 'UTC' }).format(Date.UTC(2024, m - 1, 1))}
                            </option>
                          ))}
                        </select>
                      </div>
                      <div className="field">
                        <label htmlFor={`${id}-h${i}-day`}>{t('sla.hours.dayOfMonth', { n })}</label>
                        <select
                          id={`${id}-h${i}-day`}
                          value={h.day}
                          onChange={(e) => setHoliday(i, { day: e.target.value })}
                          {...errorProps(path)}
                        >
                          <option value="">{t('common.choose')}</option>
                          {DAYS.map((d) => (
                            <option key={d} value={d}>
                              {d}
                            </option>
                          ))}
                        </select>
                      </div>
                    </>
                  )}
                  <div className="field">
                    <label htmlFor={`${id}-h${i}-name`}>{t('sla.hours.holidayName', { n })}</label>
                    <input
                      id={`${id}-h${i}-name`}
                      type="text"
                      maxLength={100}
                      value={h.name}
                      onChange={(e) => setHoliday(i, { name: e.target.value })}
                    />
                  </div>
                  <button
                    type="button"
                    className="button button--small button--quiet"
                    onClick={() => setDraft((d) => ({ ...d, holidays: d.holidays.filter((_, j) => j !== i) }))}
                  >
                    {t('sla.hours.removeHoliday', { n })}
                  </button>
                  <FieldError id={errId(path)} text={err(path)} />
                </li>
              );
            })}
          </ul>
          <button
            type="button"
            className="button button--small"
            onClick={() =>
              setDraft((d) => ({ ...d, holidays: [...d.holidays, { kind: 'dated', date: '', month: '', day: '', name: '' }] }))
            }
          >
            {t('sla.hours.addHoliday')}
          </button>
        </fieldset>

        <FormError text={errors.form} />
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {schedule ? t('sla.hours.save') : t('sla.hours.create')}
          </button>
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
