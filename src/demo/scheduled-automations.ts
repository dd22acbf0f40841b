import type { Db } from '../db/database.js';
import type { AgentActor } from '../platform/actor.js';
import { createScheduled } from '../modules/automation/scheduled/service.js';

/**
 * The demo's scheduled automations, through the module's commands. "Close solved cases after 4
 * days" is on, as Zendesk ships it: a solved case the customer did not answer is closed for good
 * (the demo's cases solved at seed time close 4 days after it). The escalation of unanswered new
 * cases is an example an admin turns on (the demo's history would otherwise escalate at once).
 */
export async function seedDemoScheduledAutomations(db: Db, admin: AgentActor): Promise<void> {
  await createScheduled({ db }, admin, {
    name: 'Close solved cases after 4 days',
    description: 'Solved cases the customer has not reopened within 4 days are closed.',
    enabled: true,
    conditions: {
      all: [
        { field: 'status', operator: 'is', value: 'solved' },
        { field: 'hours_since_status_change', operator: 'gt', value: 96 },
      ],
      any: [],
    },
    actions: [{ type: 'set_status', status: 'closed' }],
  });
  await createScheduled({ db }, admin, {
    name: 'Escalate new cases unanswered for 24 hours',
    description: 'New cases nobody picked up within a day become high priority and are tagged.',
    enabled: false,
    conditions: {
      all: [
        { field: 'status', operator: 'is', value: 'new' },
        { field: 'hours_since_created', operator: 'gt', value: 24 },
        { field: 'priority', operator: 'in', value: ['low', 'normal'] },
      ],
      any: [],
    },
    actions: [
      { type: 'set_priority', priority: 'high' },
      { type: 'add_tags', tags: ['unanswered-24h'] },
    ],
  });
}
