import { useId } from 'react';
import { disputes as disputesApi, type DisputeReport, type MoneyTotal, type ReportBucket } from '../../api/disputes';
import { ErrorNotice, Loading } from '../../components/Notice';
import { useApi } from '../../hooks/useApi';
import { getLocale, t } from '../../i18n';
import { formatMoney, reasonLabel } from './format';

type Bucket = ReportBucket;
const BUCKETS: Bucket[] = ['won', 'lost', 'open'];
const LABEL: Record<Bucket, 'report.won' | 'report.lost' | 'report.open'> = { won: 'report.won', lost: 'report.lost', open: 'report.open' };

const BAR_HEIGHT = 24;
const GAP = 10;
const LABEL_WIDTH = 70;
const CHART_WIDTH = 420;

function percent(rate: number | null): string {
  return rate === null ? '—' : new Intl.NumberFormat(getLocale(), { style: 'percent', maximumFractionDigits: 1 }).format(rate);
}

const money = (amounts: MoneyTotal[]): string => amounts.map((a) => formatMoney(a.amount_minor, a.currency)).join(', ') || '—';

/**
 * Won / lost / open at a glance: a bar chart (SVG, an image named by its summary) and, for
 * everyone and every screen reader, the same figures with amounts per currency as a table.
 */
export function DisputeReportPanel({ refreshKey }: { refreshKey: number }) {
  const id = useId();
  const state = useApi((signal) => disputesApi.report(signal), [refreshKey]);
  const report = state.data;

  return (
    <section className="panel dispute-report" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="panel__heading">
        {t('report.heading')}
      </h2>
      {state.error !== undefined && !report ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : !report ? (
        <Loading />
      ) : (
        <ReportBody report={report} id={id} />
      )}
    </section>
  );
}

function ReportBody({ report, id }: { report: DisputeReport; id: string }) {
  const counts: Record<Bucket, number> = { won: report.totals.won, lost: report.totals.lost, open: report.totals.open };
  const total = counts.won + counts.lost + counts.open;
  if (total === 0) return <p className="muted">{t('report.empty')}</p>;
  const max = Math.max(...BUCKETS.map((b) => counts[b]), 1);
  const height = BUCKETS.length * (BAR_HEIGHT + GAP);
  const summary = t('report.chart', { won: counts.won, lost: counts.lost, open: counts.open });

  return (
    <>
      <dl className="dispute-report__summary">
        <div className="dispute-report__figure">
          <dt>{t('report.winRate')}</dt>
          <dd>{report.totals.win_rate === null ? t('report.noRate') : percent(report.totals.win_rate)}</dd>
        </div>
        {BUCKETS.map((b) => (
          <div key={b} className="dispute-report__figure">
            <dt>{t(LABEL[b])}</dt>
            <dd>{counts[b]}</dd>
          </div>
        ))}
      </dl>

      <svg
        className="dispute-report__chart"
        viewBox={`0 0 ${CHART_WIDTH} ${height}`}
        role="img"
        aria-labelledby={`${id}-chart-title`}
        preserveAspectRatio="xMinYMin meet"
      >
        <title id={`${id}-chart-title`}>{summary}</title>
        {BUCKETS.map((b, i) => {
          const y = i * (BAR_HEIGHT + GAP);
          const width = Math.round(((CHART_WIDTH - LABEL_WIDTH - 40) * counts[b]) / max);
          return (
            <g key={b} aria-hidden="true">
              <text x={0} y={y + BAR_HEIGHT * 0.7}>
                {t(LABEL[b])}
              </text>
              <rect
                className={`bar--${b}`}
                x={LABEL_WIDTH}
                y={y}
                width={Math.max(width, counts[b] > 0 ? 2 : 0)}
                height={BAR_HEIGHT}
                rx={3}
              />
              <text x={LABEL_WIDTH + width + 6} y={y + BAR_HEIGHT * 0.7}>
                {counts[b]}
              </text>
            </g>
          );
        })}
      </svg>

      <div className="table-wrap">
        <table className="table table--compact">
          <caption>{t('report.table')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('report.col.outcome')}</th>
              <th scope="col" className="dispute-amount">
                {t('report.col.count')}
              </th>
              <th scope="col" className="dispute-amount">
                {t('report.col.amount')}
              </th>
            </tr>
          </thead>
          <tbody>
            {BUCKETS.map((b) => (
              <tr key={b}>
                <th scope="row">{t(LABEL[b])}</th>
                <td className="dispute-amount">{counts[b]}</td>
                <td className="dispute-amount">
                  {money(
                    report.by_currency
                      .filter((row) => row[b].count > 0)
                      .map((row) => ({ currency: row.currency, amount_minor: row[b].amount_minor })),
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {report.by_reason.length > 0 && (
        <div className="table-wrap">
          <table className="table table--compact">
            <caption>{t('report.byReason')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('disputes.col.reason')}</th>
                {BUCKETS.map((b) => (
                  <th key={b} scope="col" className="dispute-amount">
                    {t(LABEL[b])}
                  </th>
                ))}
                <th scope="col" className="dispute-amount">
                  {t('report.winRate')}
                </th>
              </tr>
            </thead>
            <tbody>
              {report.by_reason.map((row) => (
                <tr key={row.reason}>
                  <th scope="row">{reasonLabel(row.reason)}</th>
                  {BUCKETS.map((b) => (
                    <td key={b} className="dispute-amount">
                      {row[b].count}
                      {row[b].count > 0 && <span className="muted small"> ({money(row[b].amounts)})</span>}
                    </td>
                  ))}
                  <td className="dispute-amount">{percent(row.win_rate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
