import type { AppContext } from '../../../context.js';
import type { Db } from '../../../db/database.js';
import { unprocessable } from '../../../platform/errors.js';
import { loadStripeCredentials } from '../stripe/credentials.js';
import { stripeConnectorFor } from '../stripe/stripe-connector.js';
import { ledgerConnector, type BillingConnector } from './connector.js';

export { ledgerConnector, type BillingConnector } from './connector.js';

/**
 * The connector of a workspace (billing settings): Baton's ledger, or Stripe with the stored API
 * key. The one way other billing parts reach a processor.
 */
export async function connectorFor(ctx: Pick<AppContext, 'secret'>, db: Db, workspaceId: string): Promise<BillingConnector> {
  const credentials = await loadStripeCredentials(db, ctx.secret, workspaceId);
  if (!credentials || credentials.connector === 'ledger') return ledgerConnector;
  if (!credentials.apiKey) {
    throw unprocessable(
      'billing.stripe_not_configured',
      'The Stripe connector is selected but its API key is missing or cannot be decrypted; an admin must enter it again',
    );
  }
  return stripeConnectorFor(credentials.apiKey, credentials.apiBase);
}
