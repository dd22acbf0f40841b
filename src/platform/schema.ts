import type { ColumnType, Generated } from 'kysely';

/** timestamptz columns read and write as Date on both drivers. */
export type Timestamp = Date;
/** jsonb columns: read as the parsed value, written as a JSON string (JSON.stringify). */
export type Json<T> = ColumnType<T, string, string>;
/** jsonb with a database default: may be omitted on insert. */
export type JsonWithDefault<T> = ColumnType<T, string | undefined, string>;
export type NullableJson<T> = ColumnType<T | null, string | null, string | null>;
export type JsonObject = Record<string, unknown>;

export interface InstanceSecretsTable {
  name: string;
  value: string;
  created_at: Generated<Timestamp>;
}

export interface DomainEventsTable {
  id: Generated<number>;
  workspace_id: string;
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: Json<JsonObject>;
  actor_type: string;
  actor_id: string | null;
  occurred_at: Generated<Timestamp>;
  published_at: Timestamp | null;
}

export interface JobsTable {
  id: Generated<number>;
  queue: string;
  payload: Json<JsonObject>;
  status: Generated<'queued' | 'running' | 'done' | 'failed'>;
  run_at: Generated<Timestamp>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  locked_until: Timestamp | null;
  last_error: string | null;
  singleton_key: string | null;
  created_at: Generated<Timestamp>;
  finished_at: Timestamp | null;
}

export interface RateLimitHitsTable {
  bucket: string;
  window_start: Timestamp;
  hits: number;
}

export interface IdempotencyKeysTable {
  workspace_id: string;
  principal: string;
  key: string;
  request_hash: string;
  status_code: number;
  response: Json<unknown>;
  created_at: Generated<Timestamp>;
}

export interface AuditLogTable {
  id: Generated<number>;
  workspace_id: string;
  actor_type: string;
  actor_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  details: Json<JsonObject>;
  created_at: Generated<Timestamp>;
}

/** Domain events the realtime lane has still to relay (src/platform/outbox-relay.ts). */
export interface OutboxRealtimePendingTable {
  event_id: number;
}

export interface PlatformTables {
  instance_secrets: InstanceSecretsTable;
  domain_events: DomainEventsTable;
  outbox_realtime_pending: OutboxRealtimePendingTable;
  jobs: JobsTable;
  rate_limit_hits: RateLimitHitsTable;
  idempotency_keys: IdempotencyKeysTable;
  audit_log: AuditLogTable;
}
