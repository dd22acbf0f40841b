import type { BusinessSchedule } from './business-hours.js';
import { FCA_LETTERS, REG_Z_LETTERS, type PresetLetter } from './preset-letters.js';
import type { Escalations, PausableStatus, PolicyConditions, TimeBasis } from './schema.js';

/**
 * Regulatory SLA presets: ready policies a workspace switches on for billing complaints. Each
 * sets the conditions (editable afterwards like any policy), the targets, the escalations and
 * the templates of the letters the rule requires.
 *
 * Both count calendar time and pause in no status: the regulations measure from the day the
 * notice or complaint is received to the day the letter is sent, and waiting for the customer
 * does not stop them (Reg Z allows no extension for it; FCA's eight weeks run regardless, and a
 * firm that cannot answer must send its holding letter and FOS referral rights). Pausing while
 * `pending` would let a case look on time when the regulator would count it late.
 */

export const DAY_MINUTES = 1440;

export interface BusinessDayRule {
  /** The message the rule allows or requires inside the window. */
  letter: string;
  /** The window closes at the close of this many business days after the day of receipt. */
  business_days: number;
  description: string;
}

export interface SlaPreset {
  key: string;
  name: string;
  /** Prefix of the shared macros made from the letters ("Reg Z: Written acknowledgement ..."). */
  short_name: string;
  jurisdiction: string;
  regulation: string;
  description: string;
  /** The case tag the default conditions ask for (`tag` on enable replaces it). */
  default_tag: string;
  conditions(tag: string): PolicyConditions;
  time_basis: TimeBasis;
  targets: { first_reply_minutes: number | null; next_reply_minutes: number | null; resolution_minutes: number | null };
  pause_statuses: PausableStatus[];
  warning_minutes: number;
  escalations: Escalations;
  /** Rules counted in business days of a schedule (the preset's, else the workspace default). */
  business_day_rule: BusinessDayRule | null;
  /** Business hours created on enable when the workspace names none. */
  default_schedule: { name: string; schedule: BusinessSchedule } | null;
  letters: PresetLetter[];
}

/** Warnings go to the assignee and make the case high priority; breaches go to supervisors and admins and make it urgent. */
const REGULATORY_ESCALATIONS: Escalations = {
  warning: [
    { type: 'notify', assignee: true },
    { type: 'raise_priority', to: 'high' },
  ],
  breach: [
    { type: 'notify', roles: ['supervisor', 'admin'], assignee: true },
    { type: 'raise_priority', to: 'urgent' },
  ],
};

const weekdays = (start: string, end: string) => ({
  sun: [],
  mon: [{ start, end }],
  tue: [{ start, end }],
  wed: [{ start, end }],
  thu: [{ start, end }],
  fri: [{ start, end }],
  sat: [],
});

/** England and Wales bank holidays as published by GOV.UK (substitute days included); extend each year. */
const ENGLAND_AND_WALES_BANK_HOLIDAYS = [
  ['2026-01-01', "New Year's Day"],
  ['2026-04-03', 'Good Friday'],
  ['2026-04-06', 'Easter Monday'],
  ['2026-05-04', 'Early May bank holiday'],
  ['2026-05-25', 'Spring bank holiday'],
  ['2026-08-31', 'Summer bank holiday'],
  ['2026-12-25', 'Christmas Day'],
  ['2026-12-28', 'Boxing Day (substitute day)'],
  ['2027-01-01', "New Year's Day"],
  ['2027-03-26', 'Good Friday'],
  ['2027-03-29', 'Easter Monday'],
  ['2027-05-03', 'Early May bank holiday'],
  ['2027-05-31', 'Spring bank holiday'],
  ['2027-08-30', 'Summer bank holiday'],
  ['2027-12-27', 'Christmas Day (substitute day)'],
  ['2027-12-28', 'Boxing Day (substitute day)'],
  ['2028-01-03', "New Year's Day (substitute day)"],
].map(([date, name]) => ({ date: date!, name: name! }));

export const UK_BUSINESS_DAYS: { name: string; schedule: BusinessSchedule } = {
  name: 'UK business days (FCA complaints)',
  schedule: { timeZone: 'Europe/London', weekly: weekdays('09:00', '17:00'), holidays: ENGLAND_AND_WALES_BANK_HOLIDAYS },
};

export const SLA_PRESETS: readonly SlaPreset[] = [
  {
    key: 'reg_z_billing_error',
    name: 'US Regulation Z: billing error notices',
    short_name: 'Reg Z',
    jurisdiction: 'US',
    regulation: '12 CFR 1026.13 (Truth in Lending, Regulation Z)',
    description:
      'Billing-category cases tagged as a billing error notice. Written acknowledgement within 30 days of receipt (first reply ' +
      'target: 30 calendar days); correction or written explanation within two complete billing cycles and in no case more than ' +
      '90 days (resolution target: 90 calendar days). Two billing cycles can be shorter than 90 days: shorten the resolution target ' +
      'to match your billing cycle if so. Calendar time, no pause while waiting for the customer (the regulation allows none). ' +
      'Warning 5 days before each deadline (assignee notified, priority raised to high); on breach supervisors and admins are ' +
      'notified and the case becomes urgent.',
    default_tag: 'billing_error',
    conditions: (tag) => ({ category: ['billing'], case_tags: [tag] }),
    time_basis: 'calendar',
    targets: { first_reply_minutes: 30 * DAY_MINUTES, next_reply_minutes: null, resolution_minutes: 90 * DAY_MINUTES },
    pause_statuses: [],
    warning_minutes: 5 * DAY_MINUTES,
    escalations: REGULATORY_ESCALATIONS,
    business_day_rule: null,
    default_schedule: null,
    letters: REG_Z_LETTERS,
  },
  {
    key: 'fca_complaint',
    name: 'UK FCA: complaint handling',
    short_name: 'FCA',
    jurisdiction: 'UK',
    regulation: 'FCA Handbook DISP 1.5-1.6',
    description:
      'Billing and general cases tagged as a complaint. Final response within eight weeks of receipt (resolution target: 56 ' +
      'calendar days). A complaint resolved by the close of the third business day after the day of receipt may be closed with a ' +
      'summary resolution communication instead (the window is counted in UK business days: Europe/London, Monday to Friday, ' +
      'bank holidays excluded). Calendar time, no pause while waiting for the customer. Warning 7 days before the eight weeks end ' +
      '(assignee notified, priority raised to high); on breach supervisors and admins are notified and the case becomes urgent.',
    default_tag: 'complaint',
    conditions: (tag) => ({ category: ['billing', 'general'], case_tags: [tag] }),
    time_basis: 'calendar',
    targets: { first_reply_minutes: null, next_reply_minutes: null, resolution_minutes: 56 * DAY_MINUTES },
    pause_statuses: [],
    warning_minutes: 7 * DAY_MINUTES,
    escalations: REGULATORY_ESCALATIONS,
    business_day_rule: {
      letter: 'summary_resolution',
      business_days: 3,
      description:
        'Resolved by the close of the third business day after the day of receipt: a summary resolution communication ' +
        'replaces the final response (DISP 1.6.2AR).',
    },
    default_schedule: UK_BUSINESS_DAYS,
    letters: FCA_LETTERS,
  },
];

export function findPreset(key: string): SlaPreset | undefined {
  return SLA_PRESETS.find((p) => p.key === key);
}
