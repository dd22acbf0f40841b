import type { Generated } from 'kysely';
import type { JsonObject, JsonWithDefault, Timestamp } from '../../platform/schema.js';

export interface RealtimeEventsTable {
  id: Generated<number>;
  workspace_id: string;
  type: string;
  case_id: string | null;
  domain_event_id: number | null;
  data: JsonWithDefault<JsonObject>;
  created_at: Generated<Timestamp>;
}

export type ConnectionStatus = 'online' | 'away';

export interface RealtimeConnectionsTable {
  id: string;
  workspace_id: string;
  agent_id: string;
  process_id: string;
  status: ConnectionStatus;
  connected_at: Generated<Timestamp>;
  seen_at: Generated<Timestamp>;
}

export interface RealtimeTables {
  realtime_events: RealtimeEventsTable;
  realtime_connections: RealtimeConnectionsTable;
}
