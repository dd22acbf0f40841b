import { useId, useState } from 'react';
import { sla as slaApi, type AttainmentReport } from '../../api/sla';
import { ErrorNotice, Loading } from '../../components/Notice';
import { useApi } from '../../hooks/useApi';
import { getLocale, t } from '../../i18n';
import { formatDuration, metricLabel } from './format';

const DAY_MS = 86_400_000;
const BAR_HEIGHT = 22;
const GAP = 10;
const LABEL_WIDTH = 110;
const CHART_WIDTH = 440;

const dateInput = (time: number) => new Date(time).toISOString().slice(0, 10);

function percent(value: number | null): string {
  return value === null ? '—' : new Intl.NumberFormat(getLocale(), { maximumFractionDigits: 1 }).format(value) + ' %';
}

/** SLA attainment per metric over a date range (UTC days, the end day included). */
export function AttainmentReportPanel() {
  const id = useId();
  const [from, setFrom] = useState(() => dateInput(Date.now() - 29 * DAY_MS));
  const [to, setTo] = useState(() => dateInput(Date.now()));
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && from <= to;
  const state = useApi(
    (signal) =>
      valid
        ? slaApi.report(`${from}T00:00:00.000Z`, new Date(Date.parse(`${to}T00:00:00.000Z`) + DAY_MS).toISOString(), signal)
        : Promise.resolve(undefined),
    [from, to, valid],
  );

  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="panel__heading">
        {t('sla.report.heading')}
      </h2>
      <form className="form form--row" onSubmit={(e) => e.preventDefault()} aria-label={t('sla.report.range')}>
        <div className="field">
          <label htmlFor={`${id}-from`}>{t('sla.report.from')}</label>
          <input id={`${id}-from`} type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`}>{t('sla.report.to')}</label>
          <input id={`${id}-to`} type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} />
        </div>
      </form>
      {!valid ? (
        <p className="form-error" role="alert">
          {t('sla.report.badRange')}
        </p>
      ) : state.error !== undefined ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : !state.data ? (
        <Loading />
      ) : (
        <ReportBody report={state.data} id={id} />
      )}
    </section>
  );
}

function ReportBody({ report, id }: { report: AttainmentReport; id: string }) {
  const rows = report.metrics;
  const withOutcomes = rows.filter((r) => r.attainment_percent !== null);
  const height = Math.max(rows.length, 1) * (BAR_HEIGHT + GAP);
  const summary = rows.map((r) => `${metricLabel(r.metric)} ${percent(r.attainment_percent)}`).join(', ');
  return (
    <>
      {withOutcomes.length > 0 && (
        <svg
          className="sla-chart"
          viewBox={`0 0 ${CHART_WIDTH} ${height}`}
          role="img"
          aria-labelledby={`${id}-chart-title`}
          preserveAspectRatio="xMinYMin meet"
        >
          <title id={`${id}-chart-title`}>{t('sla.report.chart', { summary })}</title>
          {rows.map((r, i) => {
            const y = i * (BAR_HEIGHT + GAP);
            const width = Math.round(((CHART_WIDTH - LABEL_WIDTH - 60) * (r.attainment_percent ?? 0)) / 100);
            return (
              <g key={r.metric} aria-hidden="true">
                <text x={0} y={y + BAR_HEIGHT * 0.7}>
                  {metricLabel(r.metric)}
                </text>
                <rect
                  className="bar--attainment"
                  x={LABEL_WIDTH}
                  y={y}
                  width={Math.max(width, r.attainment_percent ? 2 : 0)}
                  height={BAR_HEIGHT}
                  rx={3}
                />
                <text x={LABEL_WIDTH + width + 6} y={y + BAR_HEIGHT * 0.7}>
                  {percent(r.attainment_percent)}
                </text>
              </g>
            );
          })}
        </svg>
      )}
      <div className="table-wrap">
        <table className="table table--compact">
          <caption>{t('sla.report.table')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('sla.col.metric')}</th>
              <th scope="col">{t('sla.report.attainment')}</th>
              <th scope="col">{t('sla.report.onTime')}</th>
              <th scope="col">{t('sla.report.late')}</th>
              <th scope="col">{t('sla.report.breached')}</th>
              <th scope="col">{t('sla.report.average')}</th>
              <th scope="col">{t('sla.report.median')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.metric} data-testid="sla-report-row" data-metric={r.metric}>
                <th scope="row">{metricLabel(r.metric)}</th>
                <td>{percent(r.attainment_percent)}</td>
                <td>{r.met_on_time}</td>
                <td>{r.met_late}</td>
                <td>{r.breached}</td>
                <td>{r.average_seconds_to_meet === null ? '—' : formatDuration(r.average_seconds_to_meet)}</td>
                <td>{r.median_seconds_to_meet === null ? '—' : formatDuration(r.median_seconds_to_meet)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
