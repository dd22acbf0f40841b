import type { MergeRow } from './merge-store.js';
import type { CustomerMergeView } from './view.js';

export function toMergeView(row: MergeRow): CustomerMergeView {
  return {
    id: row.id,
    source_customer_id: row.source_customer_id,
    target_customer_id: row.target_customer_id,
    moved: {
      identity_ids: row.moved.identity_ids ?? [],
      case_ids: row.moved.case_ids ?? [],
      tags_added: row.moved.tags_added ?? [],
      primary_identity_ids: row.moved.primary_identity_ids ?? [],
    },
    merged_by: row.merged_by,
    merged_at: row.merged_at.toISOString(),
    undone_by: row.undone_by,
    undone_at: row.undone_at ? row.undone_at.toISOString() : null,
  };
}
