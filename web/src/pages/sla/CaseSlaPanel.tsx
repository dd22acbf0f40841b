import { useEffect, useId, useRef, useState } from 'react';
import { sla as slaApi, type CaseSla } from '../../api/sla';
import type { CaseDetail } from '../../api/types';
import { ErrorNotice, Loading } from '../../components/Notice';
import { DateTime } from '../../components/Time';
import { t } from '../../i18n';
import { CasePresetLetters } from './CasePresetLetters';
import { displayTarget, metricLabel, worstTone, type TargetTone } from './format';
import './sla.css';

/**
 * The SLA clocks run in the server's event listener, a moment after the change that moves them:
 * after the case changes, look again after these delays (ms) as well as at once.
 */
const FOLLOW_UP_DELAYS_MS = [1500, 4000];
/** Business time and server-side breaches move on their own: look again every minute. */
const REFRESH_MS = 60_000;

interface Loaded {
  view: CaseSla;
  fetchedAt: number;
}

/** The case's version, status, priority and last message: what moves SLA clocks when it changes. */
function changeKey(kase: CaseDetail): string {
  return [kase.id, kase.version, kase.status, kase.priority, kase.category, kase.team_id, kase.last_message_at, kase.updated_at].join('|');
}

/** The case sidebar's SLA panel: each running target's time left (live), paused, met or breached. */
export function CaseSlaPanel({ kase }: { kase: CaseDetail }) {
  const id = useId();
  const caseId = kase.id;
  const key = changeKey(kase);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [tick, setTick] = useState(0);
  const now = useSecondTick(loaded !== null && loaded.view.targets.some((x) => x.state === 'running' || x.state === 'breached'));
  const firstKey = useRef(key);

  useEffect(() => {
    const controller = new AbortController();
    const timers: number[] = [];
    const load = () =>
      slaApi.ofCase(caseId, controller.signal).then(
        (view) => {
          if (controller.signal.aborted) return;
          setLoaded({ view, fetchedAt: Date.now() });
          setError(undefined);
        },
        (err: unknown) => {
          if (!controller.signal.aborted) setError(err);
        },
      );
    void load();
    // The first load of a case needs no follow-up; a change of the case does (the listener lags).
    if (key !== firstKey.current) for (const delay of FOLLOW_UP_DELAYS_MS) timers.push(window.setTimeout(() => void load(), delay));
    timers.push(window.setInterval(() => void load(), REFRESH_MS));
    return () => {
      controller.abort();
      timers.forEach((timer) => window.clearTimeout(timer));
    };
  }, [caseId, key, tick]);

  // A running target that reaches its due time is breached by the server's timer: look again then.
  const view = loaded?.view.case_id === caseId ? loaded.view : undefined;
  const dueSoon = view?.targets.some(
    (x) => x.state === 'running' && x.due_at !== null && Math.abs(new Date(x.due_at).getTime() - now) < 1000,
  );
  useEffect(() => {
    if (!dueSoon) return;
    const timer = window.setTimeout(() => setTick((n) => n + 1), 3000);
    return () => window.clearTimeout(timer);
  }, [dueSoon]);

  const shown = view && loaded ? view.targets.map((target) => ({ target, display: displayTarget(target, loaded.fetchedAt, now) })) : [];
  const worst = worstTone(shown.map((s) => s.display.tone));

  return (
    <section className="panel sla-panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="panel__heading sla-panel__heading">
        <span>{t('sla.panel')}</span>
        {worst && <span className={`sla-badge sla-badge--${worst}`}>{summaryText(worst)}</span>}
      </h2>
      {error !== undefined && !view ? (
        <ErrorNotice error={error} onRetry={() => setTick((n) => n + 1)} />
      ) : !view ? (
        <Loading />
      ) : !view.policy || view.targets.length === 0 ? (
        <p className="muted small">{view.policy ? t('sla.noTargets', { policy: view.policy.name }) : t('sla.noPolicy')}</p>
      ) : (
        <>
          <p className="muted small sla-panel__policy">
            {t('sla.policyLine', { policy: view.policy.name })}{' '}
            {view.time_basis === 'business' ? t('sla.businessTime', { zone: view.schedule?.time_zone ?? '' }) : t('sla.calendarTime')}
          </p>
          <ul className="sla-targets">
            {shown.map(({ target, display }) => (
              <li
                key={`${target.metric}-${target.cycle}`}
                className={`sla-target sla-target--${display.tone}`}
                data-testid="sla-target"
                data-metric={target.metric}
                data-state={target.state}
              >
                <span className="sla-target__metric">{metricLabel(target.metric)}</span>
                <span className={`sla-badge sla-badge--${display.tone}`}>{display.state}</span>
                {display.detail && <span className="sla-target__detail">{display.detail}</span>}
                {target.state !== 'met' && target.due_at && (
                  <span className="sla-target__due muted small">
                    {target.state === 'breached' ? t('sla.wasDue') : t('sla.due')} <DateTime iso={target.due_at} />
                  </span>
                )}
                {target.state === 'met' && target.met_at && (
                  <span className="sla-target__due muted small">
                    {t('sla.metAt')} <DateTime iso={target.met_at} />
                  </span>
                )}
              </li>
            ))}
          </ul>
          {/* The states in words for screen readers, announced when one changes (not every second). */}
          <p className="visually-hidden" aria-live="polite" aria-atomic="true">
            {shown.map(({ target, display }) => `${metricLabel(target.metric)}: ${display.state}.`).join(' ')}
          </p>
          {view.policy.preset && <CasePresetLetters caseId={caseId} refreshKey={`${view.policy.id ?? ''}|${key}`} />}
        </>
      )}
    </section>
  );
}

function summaryText(tone: TargetTone): string {
  switch (tone) {
    case 'breached':
      return t('sla.summary.breached');
    case 'warning':
      return t('sla.summary.warning');
    case 'ok':
      return t('sla.summary.onTrack');
    case 'paused':
      return t('sla.summary.paused');
    default:
      return t('sla.summary.met');
  }
}

/** A one-second tick while something counts down; none otherwise. */
function useSecondTick(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [active]);
  return now;
}
