import { Type, type Static } from 'typebox';
import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { validationError } from '../../platform/errors.js';
import { reasonLabel } from './requirements.js';
import { DISPUTE_REASONS, type DisputeReason } from './schema.js';
import { selectReport } from './store.js';

/** Won, lost and open disputes: counts and amounts per currency and per reason, and win rates. */

const Amount = Type.Object({ currency: Type.String(), amount_minor: Type.Integer() });
const CurrencyBucket = Type.Object({ count: Type.Integer(), amount_minor: Type.Integer() });
const ReasonBucket = Type.Object({ count: Type.Integer(), amounts: Type.Array(Amount) });
const WinRate = Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], {
  description: 'won / (won + lost); null while nothing was decided',
});

export const DisputeReportSchema = Type.Object({
  totals: Type.Object({ won: Type.Integer(), lost: Type.Integer(), open: Type.Integer(), closed_other: Type.Integer(), win_rate: WinRate }),
  by_currency: Type.Array(
    Type.Object({ currency: Type.String(), won: CurrencyBucket, lost: CurrencyBucket, open: CurrencyBucket, win_rate: WinRate }),
  ),
  by_reason: Type.Array(
    Type.Object({
      reason: Type.Enum([...DISPUTE_REASONS]),
      reason_label: Type.String(),
      won: ReasonBucket,
      lost: ReasonBucket,
      open: ReasonBucket,
      win_rate: WinRate,
    }),
  ),
});
export type DisputeReport = Static<typeof DisputeReportSchema>;

const rate = (won: number, lost: number): number | null => (won + lost === 0 ? null : Math.round((won / (won + lost)) * 10000) / 10000);

function parseDate(value: string | undefined, field: string): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw validationError('dispute.invalid_date', `${field} must be a date-time`, { field });
  return date;
}

export async function disputeReport(
  db: Db,
  actor: Actor,
  query: { from?: string | undefined; to?: string | undefined },
): Promise<DisputeReport> {
  const rows = await selectReport(db, actor, { from: parseDate(query.from, 'from'), to: parseDate(query.to, 'to') });
  const totals = { won: 0, lost: 0, open: 0, closed_other: 0 };
  type CurrencyRow = {
    won: { count: number; amount_minor: number };
    lost: { count: number; amount_minor: number };
    open: { count: number; amount_minor: number };
  };
  type ReasonRow = Record<'won' | 'lost' | 'open', { count: number; amounts: Map<string, number> }>;
  const currencies = new Map<string, CurrencyRow>();
  const reasons = new Map<DisputeReason, ReasonRow>();
  for (const row of rows) {
    const count = Number(row.count);
    const amount = Number(row.amount_minor);
    totals[row.bucket] += count;
    if (row.bucket === 'closed_other') continue;
    const c = currencies.get(row.currency) ?? {
      won: { count: 0, amount_minor: 0 },
      lost: { count: 0, amount_minor: 0 },
      open: { count: 0, amount_minor: 0 },
    };
    c[row.bucket].count += count;
    c[row.bucket].amount_minor += amount;
    currencies.set(row.currency, c);
    const reason = row.reason as DisputeReason;
    const r = reasons.get(reason) ?? {
      won: { count: 0, amounts: new Map() },
      lost: { count: 0, amounts: new Map() },
      open: { count: 0, amounts: new Map() },
    };
    r[row.bucket].count += count;
    r[row.bucket].amounts.set(row.currency, (r[row.bucket].amounts.get(row.currency) ?? 0) + amount);
    reasons.set(reason, r);
  }
  const bucket = (b: { count: number; amounts: Map<string, number> }) => ({
    count: b.count,
    amounts: [...b.amounts.entries()]
      .sort(([a], [z]) => a.localeCompare(z))
      .map(([currency, amount_minor]) => ({ currency, amount_minor })),
  });
  return {
    totals: { ...totals, win_rate: rate(totals.won, totals.lost) },
    by_currency: [...currencies.entries()]
      .sort(([a], [z]) => a.localeCompare(z))
      .map(([currency, c]) => ({ currency, ...c, win_rate: rate(c.won.count, c.lost.count) })),
    by_reason: [...reasons.entries()]
      .sort(([a], [z]) => a.localeCompare(z))
      .map(([reason, r]) => ({
        reason,
        reason_label: reasonLabel(reason),
        won: bucket(r.won),
        lost: bucket(r.lost),
        open: bucket(r.open),
        win_rate: rate(r.won.count, r.lost.count),
      })),
  };
}
