import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { recordAudit } from '../../../platform/audit.js';
import { authorize, workspaceScope } from '../../../platform/authorization.js';
import { unprocessable } from '../../../platform/errors.js';
import type { AgentRole } from '../../agents/schema.js';
import { assertMinorUnits, normalizeCurrency } from '../money.js';

/**
 * How much each role may move without a second person (CONVENTIONS.md, Money). A workspace sets
 * limits per role and currency; without a row the built-in default of the role applies in every
 * currency (in minor units, so 5000 is 50.00 EUR but 5000 JPY).
 */
export const DEFAULT_APPROVAL_LIMITS: Readonly<Record<AgentRole, number>> = { agent: 5000, supervisor: 50000, admin: 500000 };
const ROLES: AgentRole[] = ['agent', 'supervisor', 'admin'];

export interface ApprovalLimit {
  role: AgentRole;
  currency: string;
  max_minor: number;
}

export interface ApprovalLimitsView {
  limits: ApprovalLimit[];
  defaults: { role: AgentRole; max_minor: number }[];
}

/** The most this role may request or approve in this currency. */
export async function approvalLimitOf(db: Db, actor: Actor, role: AgentRole, currency: string): Promise<number> {
  const row = await db
    .selectFrom('billing_approval_limits')
    .select('max_minor')
    .where('workspace_id', '=', workspaceScope(actor))
    .where('role', '=', role)
    .where('currency', '=', currency)
    .executeTakeFirst();
  return row ? Number(row.max_minor) : DEFAULT_APPROVAL_LIMITS[role];
}

async function selectLimits(db: Db, actor: Actor): Promise<ApprovalLimit[]> {
  const rows = await db
    .selectFrom('billing_approval_limits')
    .select(['role', 'currency', 'max_minor'])
    .where('workspace_id', '=', workspaceScope(actor))
    .orderBy('role')
    .orderBy('currency')
    .execute();
  return rows.map((r) => ({ role: r.role, currency: r.currency, max_minor: Number(r.max_minor) }));
}

const view = (limits: ApprovalLimit[]): ApprovalLimitsView => ({
  limits,
  defaults: ROLES.map((role) => ({ role, max_minor: DEFAULT_APPROVAL_LIMITS[role] })),
});

export async function getApprovalLimits(db: Db, actor: Actor): Promise<ApprovalLimitsView> {
  authorize(actor, 'billing.manage');
  return view(await selectLimits(db, actor));
}

/** Replaces the workspace's limits with this list (audited with the old and new lists). */
export async function replaceApprovalLimits(tx: Db, actor: Actor, input: ApprovalLimit[]): Promise<ApprovalLimitsView> {
  authorize(actor, 'billing.manage');
  const seen = new Set<string>();
  const limits = input.map((limit, index) => {
    const currency = normalizeCurrency(limit.currency);
    assertMinorUnits(limit.max_minor, `limits[${index}].max_minor`, { allowZero: true });
    const key = `${limit.role}:${currency}`;
    if (seen.has(key)) {
      throw unprocessable('billing.duplicate_limit', `The limit of ${limit.role} in ${currency} is given twice`, {
        field: `limits[${index}]`,
        role: limit.role,
        currency,
      });
    }
    seen.add(key);
    return { role: limit.role, currency, max_minor: limit.max_minor };
  });
  const workspaceId = workspaceScope(actor);
  const before = await selectLimits(tx, actor);
  await tx.deleteFrom('billing_approval_limits').where('workspace_id', '=', workspaceId).execute();
  if (limits.length > 0) {
    await tx
      .insertInto('billing_approval_limits')
      .values(limits.map((l) => ({ workspace_id: workspaceId, ...l })))
      .execute();
  }
  const after = await selectLimits(tx, actor);
  await recordAudit(tx, actor, {
    action: 'billing.approval_limits_updated',
    targetType: 'workspace',
    targetId: workspaceId,
    details: { before, after },
  });
  return view(after);
}
