import type { Selectable } from 'kysely';
import { Type, type Static, type TSchema } from 'typebox';
import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { getAgentsByIds } from '../../agents/service.js';
import { MONEY_ACTION_KINDS, MONEY_ACTION_STATUSES, type BillingMoneyActionsTable } from '../schema.js';

export type MoneyActionRow = Selectable<BillingMoneyActionsTable>;

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Id = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const PersonRef = Type.Object({ id: Id, name: Type.String() });

export const MoneyActionViewSchema = Type.Object({
  id: Id,
  case_id: Nullable(Id),
  customer_id: Id,
  account_id: Id,
  kind: Type.Enum([...MONEY_ACTION_KINDS]),
  amount_minor: Type.Integer({ description: 'Integer minor units of the currency (cents; yen for JPY)' }),
  currency: Type.String({ description: 'ISO 4217 code' }),
  reason: Type.String(),
  payment_id: Nullable(Id),
  invoice_id: Nullable(Id),
  status: Type.Enum([...MONEY_ACTION_STATUSES], {
    description:
      'pending_approval -> approved (executing) -> completed | failed, or processing (the processor settles a refund later: webhook) -> completed | failed; or rejected',
  }),
  requested_by: PersonRef,
  decided_by: Nullable(PersonRef),
  decided_at: Nullable(DateTime),
  decision_note: Nullable(Type.String()),
  failure_message: Nullable(Type.String()),
  created_at: DateTime,
});
export type MoneyActionView = Static<typeof MoneyActionViewSchema>;

/** Views of money actions; the agents' names come in one batched query. */
export async function toMoneyActionViews(db: Db, actor: Actor, rows: MoneyActionRow[]): Promise<MoneyActionView[]> {
  const ids = [...new Set(rows.flatMap((r) => (r.decided_by ? [r.requested_by, r.decided_by] : [r.requested_by])))];
  const agents = await getAgentsByIds(db, actor, ids);
  const person = (id: string) => ({ id, name: agents.get(id)?.name ?? '' });
  return rows.map((row) => ({
    id: row.id,
    case_id: row.case_id,
    customer_id: row.customer_id,
    account_id: row.account_id,
    kind: row.kind,
    amount_minor: Number(row.amount_minor),
    currency: row.currency,
    reason: row.reason,
    payment_id: row.payment_id,
    invoice_id: row.invoice_id,
    status: row.status,
    requested_by: person(row.requested_by),
    decided_by: row.decided_by ? person(row.decided_by) : null,
    decided_at: row.decided_at ? row.decided_at.toISOString() : null,
    decision_note: row.decision_note,
    failure_message: row.failure_message,
    created_at: row.created_at.toISOString(),
  }));
}

export async function toMoneyActionView(db: Db, actor: Actor, row: MoneyActionRow): Promise<MoneyActionView> {
  return (await toMoneyActionViews(db, actor, [row]))[0]!;
}
