import type { AgentTables } from '../modules/agents/schema.js';
import type { AutomationTables } from '../modules/automation/schema.js';
import type { ScheduledAutomationTables } from '../modules/automation/scheduled/schema.js';
import type { BillingTables } from '../modules/billing/schema.js';
import type { BillingOutreachTables } from '../modules/billing/outreach/schema.js';
import type { CaseTables } from '../modules/cases/schema.js';
import type { ChatTables } from '../modules/chat/schema.js';
import type { CustomerTables } from '../modules/customers/schema.js';
import type { DisputeTables } from '../modules/disputes/schema.js';
import type { EmailTables } from '../modules/email/schema.js';
import type { FollowupTables } from '../modules/followups/schema.js';
import type { SlaTables } from '../modules/sla/schema.js';
import type { MacroTables } from '../modules/macros/schema.js';
import type { WorkspaceTables } from '../modules/workspaces/schema.js';
import type { PlatformTables } from '../platform/schema.js';
import type { RealtimeTables } from '../modules/realtime/schema.js';

/** The whole database as Kysely sees it: each module declares its own tables in its schema.ts. */
export interface Database
  extends
    PlatformTables,
    WorkspaceTables,
    AgentTables,
    CustomerTables,
    CaseTables,
    EmailTables,
    BillingTables,
    BillingOutreachTables,
    DisputeTables,
    SlaTables,
    MacroTables,
    FollowupTables,
    RealtimeTables,
    ChatTables,
    AutomationTables,
    ScheduledAutomationTables {
  schema_migrations: { name: string; applied_at: Date };
}
