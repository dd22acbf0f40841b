import {
  CASE_CATEGORIES,
  CASE_PRIORITIES,
  CASE_STATUSES,
  type CaseEvent,
  type CaseCategory,
  type CasePriority,
  type CaseStatus,
} from '../../api/types';
import { categoryLabel, humanize, priorityLabel, statusLabel, t } from '../../i18n';
import { describeBillingEvent } from '../billing/caseEvents';

export interface NameLookup {
  agent: (id: string) => string | undefined;
  team: (id: string) => string | undefined;
  queue: (id: string) => string | undefined;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
const num = (v: unknown): string => (typeof v === 'number' || typeof v === 'string' ? String(v) : '?');
const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const none = () => t('history.none');

function label(kind: 'status' | 'priority' | 'category', value: unknown): string {
  const v = str(value);
  if (!v) return none();
  if (kind === 'status' && (CASE_STATUSES as readonly string[]).includes(v)) return statusLabel(v as CaseStatus);
  if (kind === 'priority' && (CASE_PRIORITIES as readonly string[]).includes(v)) return priorityLabel(v as CasePriority);
  if (kind === 'category' && (CASE_CATEGORIES as readonly string[]).includes(v)) return categoryLabel(v as CaseCategory);
  return v;
}

/** One line of case history in words; unknown event types fall back to their name. */
export function describeEvent(event: CaseEvent, names: NameLookup): string {
  const d = event.data ?? {};
  const agent = (v: unknown) => {
    const id = str(v);
    return id ? (names.agent(id) ?? t('history.someone')) : t('history.nobody');
  };
  switch (event.type) {
    case 'created':
      return t('history.created');
    case 'message_added':
      return d.visibility === 'internal' ? t('history.noteAdded') : t('history.messageAdded');
    case 'status_changed':
      return t('history.status', { from: label('status', d.from), to: label('status', d.to) });
    case 'priority_changed':
      return t('history.priority', { from: label('priority', d.from), to: label('priority', d.to) });
    case 'category_changed':
      return t('history.category', { from: label('category', d.from), to: label('category', d.to) });
    case 'subject_changed':
      return t('history.subject', { to: str(d.to) ?? '' });
    case 'assigned':
      return str(d.to) ? t(d.auto ? 'history.autoAssigned' : 'history.assigned', { name: agent(d.to) }) : t('history.unassigned');
    case 'team_changed':
      return t('history.team', { name: str(d.to) ? (names.team(str(d.to)!) ?? t('history.someTeam')) : none() });
    case 'queue_changed':
      return t('history.queue', { name: str(d.to) ? (names.queue(str(d.to)!) ?? t('history.someQueue')) : none() });
    case 'tags_changed': {
      const parts = [...list(d.added).map((tag) => `+${tag}`), ...list(d.removed).map((tag) => `−${tag}`)];
      return t('history.tags', { tags: parts.join(' ') });
    }
    case 'follower_added':
      return t('history.followerAdded', { name: agent(d.agent_id) });
    case 'follower_removed':
      return t('history.followerRemoved', { name: agent(d.agent_id) });
    case 'customer_changed':
      return t('history.customerChanged');
    case 'merged_into':
      return t('history.mergedInto', { number: num(d.number) });
    case 'merged_from':
      return t('history.mergedFrom', { number: num(d.number) });
    case 'split_from':
      return t('history.splitFrom', { number: num(d.number) });
    case 'split_to':
      return t('history.splitTo', { number: num(d.number) });
    case 'macro_applied':
      return t('history.macroApplied', { name: str(d.macro_name) ?? '' });
    default:
      return describeBillingEvent(event) ?? humanize(event.type);
  }
}
