import type { CasePriority, CaseStatus } from '../api/types';
import { priorityLabel, statusLabel } from '../i18n';

export function StatusBadge({ status }: { status: CaseStatus }) {
  return <span className={`badge badge--status-${status}`}>{statusLabel(status)}</span>;
}

export function PriorityBadge({ priority }: { priority: CasePriority }) {
  return <span className={`badge badge--priority-${priority}`}>{priorityLabel(priority)}</span>;
}
