import type { AppContext } from '../../../context.js';
import type { Db } from '../../../db/database.js';
import { connectorFor, type BillingConnector } from '../connectors/index.js';

/**
 * Where money actions get the workspace's payment connector: `connectorFor` (ledger or Stripe,
 * per the workspace's billing settings). Tests swap the source for a fake processor to exercise
 * the job path (crash and retry with the same idempotency key).
 */
export type ConnectorSource = (ctx: AppContext, db: Db, workspaceId: string) => Promise<BillingConnector>;

const defaultSource: ConnectorSource = (ctx, db, workspaceId) => connectorFor(ctx, db, workspaceId);

let source: ConnectorSource = defaultSource;

export function moneyActionConnector(ctx: AppContext, db: Db, workspaceId: string): Promise<BillingConnector> {
  return source(ctx, db, workspaceId);
}

/** Test seam: replaces the connector source; returns the function that restores the default. */
export function useConnectorSourceForTests(replacement: ConnectorSource): () => void {
  source = replacement;
  return () => {
    source = defaultSource;
  };
}
