import type { Db } from '../db/database.js';
import type { AgentActor } from '../platform/actor.js';
import { createPolicy, createSchedule, setTeamSchedule, startClocksForOpenCases } from '../modules/sla/service.js';

/**
 * The demo's service levels, through the SLA module's commands: office hours in Berlin (the
 * workspace default and the Service team's) and longer hours in New York for Support; an urgent
 * policy in calendar time (24x7), billing matters in business time (first reply within 4 business
 * hours, resolution within 3 business days) and a standard policy for the rest. The open demo
 * cases then get their clocks, as history: breaches already past are recorded without escalating.
 */

const nineToFive = [{ start: '09:00', end: '17:00' }];
const eightToEight = [{ start: '08:00', end: '20:00' }];
const BUSINESS_DAY = 8 * 60;

export async function seedDemoSla(db: Db, admin: AgentActor, teams: { serviceTeamId: string; supportTeamId: string }): Promise<void> {
  const office = await createSchedule(db, admin, {
    name: 'Berlin office hours',
    time_zone: 'Europe/Berlin',
    weekly: { mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive, fri: nineToFive },
    holidays: [
      { month: 1, day: 1, name: 'New Year' },
      { month: 5, day: 1, name: 'Labour Day' },
      { month: 10, day: 3, name: 'German Unity Day' },
      { month: 12, day: 25, name: 'Christmas Day' },
      { month: 12, day: 26, name: 'Boxing Day' },
    ],
    is_default: true,
  });
  const support = await createSchedule(db, admin, {
    name: 'Support hours (New York)',
    time_zone: 'America/New_York',
    weekly: {
      mon: eightToEight,
      tue: eightToEight,
      wed: eightToEight,
      thu: eightToEight,
      fri: eightToEight,
      sat: [{ start: '10:00', end: '16:00' }],
    },
    holidays: [
      { month: 7, day: 4, name: 'Independence Day' },
      { month: 12, day: 25, name: 'Christmas Day' },
    ],
  });
  await setTeamSchedule(db, admin, teams.serviceTeamId, office.body.id);
  await setTeamSchedule(db, admin, teams.supportTeamId, support.body.id);

  await createPolicy(db, admin, {
    name: 'Urgent (24x7)',
    description: 'Urgent cases are answered around the clock',
    conditions: { priority: ['urgent'] },
    targets: { first_reply_minutes: 60, next_reply_minutes: 120, resolution_minutes: 8 * 60 },
    time_basis: 'calendar',
    warning_minutes: 15,
    escalations: {
      warning: [{ type: 'notify', assignee: true }],
      breach: [{ type: 'notify', roles: ['supervisor'], assignee: true }],
    },
  });
  await createPolicy(db, admin, {
    name: 'Billing',
    description: 'Billing, payments, refunds and disputes: first reply within 4 business hours, resolved within 3 business days',
    conditions: { category: ['billing', 'payment', 'refund', 'dispute'] },
    targets: { first_reply_minutes: 4 * 60, next_reply_minutes: BUSINESS_DAY, resolution_minutes: 3 * BUSINESS_DAY },
    time_basis: 'business',
    warning_minutes: 60,
    escalations: {
      warning: [{ type: 'notify', assignee: true }],
      breach: [
        { type: 'raise_priority', to: 'high' },
        { type: 'notify', roles: ['supervisor'] },
      ],
    },
  });
  await createPolicy(db, admin, {
    name: 'Standard',
    description: 'Everything else',
    targets: { first_reply_minutes: BUSINESS_DAY, next_reply_minutes: BUSINESS_DAY, resolution_minutes: 5 * BUSINESS_DAY },
    time_basis: 'business',
    warning_minutes: 120,
  });
  await startClocksForOpenCases(db, admin.workspaceId, { history: true });
}
