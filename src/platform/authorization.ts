import type { AgentRole } from '../modules/agents/schema.js';
import type { Actor } from './actor.js';
import { forbidden, notFound } from './errors.js';

/**
 * The one authorization function (CONVENTIONS.md, security rule 1). Data-access functions call
 * `authorize` before reading or writing, and scope every query with `workspaceScope`, so no
 * second code path (search, merge, export, realtime, email) can skip it.
 *
 * Objects of another workspace answer 404, never 403: their existence is not revealed.
 */
export type Permission =
  | 'case.read'
  | 'case.write'
  | 'case.reply'
  | 'case.merge'
  | 'case.bulk_update'
  | 'customer.read'
  | 'customer.write'
  | 'customer.merge'
  | 'view.read'
  | 'view.write_own'
  | 'view.write_shared'
  | 'agent.read'
  | 'agent.manage'
  | 'team.manage'
  | 'token.manage'
  | 'audit.read'
  | 'workspace.manage'
  | 'mailbox.read'
  | 'mailbox.manage'
  | 'inbound_mail.manage'
  | 'outbound_mail.read_all'
  | 'outbound_mail.retry'
  | 'status_link.read'
  | 'status_link.reply'
  | 'webform.submit'
  | 'billing.read'
  | 'billing.write'
  | 'billing.money_action'
  | 'billing.approve'
  | 'billing.manage'
  | 'dispute.read'
  | 'dispute.write'
  | 'sla.read'
  | 'sla.manage'
  | 'chat.manage'
  | 'automation.read'
  | 'automation.manage'
  | 'macro.read'
  | 'macro.manage_shared';

const AGENT: Permission[] = [
  'case.read',
  'case.write',
  'case.reply',
  'case.merge',
  'case.bulk_update',
  'customer.read',
  'customer.write',
  'view.read',
  'view.write_own',
  'agent.read',
  'mailbox.read',
  'billing.read',
  'billing.money_action',
  'dispute.read',
  'dispute.write',
  'sla.read',
  'automation.read',
  'macro.read',
];
const SUPERVISOR: Permission[] = [
  ...AGENT,
  'customer.merge',
  'view.write_shared',
  'audit.read',
  'inbound_mail.manage',
  'outbound_mail.read_all',
  'billing.write',
  'billing.approve',
  'macro.manage_shared',
];
const ADMIN: Permission[] = [
  ...SUPERVISOR,
  'agent.manage',
  'team.manage',
  'token.manage',
  'workspace.manage',
  'mailbox.manage',
  'outbound_mail.retry',
  'billing.manage',
  'sla.manage',
  'chat.manage',
  'automation.manage',
];

const ROLE_PERMISSIONS: Record<AgentRole, ReadonlySet<Permission>> = {
  agent: new Set(AGENT),
  supervisor: new Set(SUPERVISOR),
  admin: new Set(ADMIN),
};

/** What a customer may do, and only on their own case (checked against `resource.caseId`). */
const CUSTOMER_PERMISSIONS: ReadonlySet<Permission> = new Set(['status_link.read', 'status_link.reply', 'webform.submit']);

export interface Resource {
  workspaceId: string;
  /** Name used in the 404 code (`case.not_found`). */
  type: string;
  caseId?: string;
  customerId?: string;
}

export function can(actor: Actor, permission: Permission, resource?: Resource): boolean {
  if (resource && resource.workspaceId !== actor.workspaceId) return false;
  switch (actor.kind) {
    case 'system':
      return true;
    case 'agent':
      return ROLE_PERMISSIONS[actor.role].has(permission);
    case 'customer':
      if (!CUSTOMER_PERMISSIONS.has(permission)) return false;
      if (permission === 'webform.submit') return true;
      return (
        resource !== undefined &&
        resource.caseId !== undefined &&
        resource.caseId === actor.caseId &&
        resource.customerId === actor.customerId
      );
  }
}

/**
 * Throws 404 when the object is outside the actor's workspace (or a customer's own case), 403 when
 * the actor may see it but their role lacks the permission.
 */
export function authorize(actor: Actor, permission: Permission, resource?: Resource): void {
  if (can(actor, permission, resource)) return;
  if (resource && resource.workspaceId !== actor.workspaceId) throw notFound(resource.type);
  if (actor.kind === 'customer') throw notFound(resource?.type ?? 'case');
  throw forbidden('auth.forbidden', `Your role may not ${permission.replace('.', ': ').replace(/_/g, ' ')}`);
}

/** The workspace every query of this actor is confined to. */
export function workspaceScope(actor: Actor): string {
  return actor.workspaceId;
}
