import type { AppContext } from '../../context.js';
import type { ApiApp } from '../../http/server.js';
import { billingImportRoutes } from './import/routes.js';
import { ledgerRoutes } from './records/ledger-routes.js';
import { billingStateRoutes } from './state/routes.js';

/** Billing state, ledger entry and CSV import (BILLING.md part A). */
export function billingRoutes(app: ApiApp, ctx: AppContext): void {
  billingStateRoutes(app, ctx);
  ledgerRoutes(app, ctx);
  billingImportRoutes(app, ctx);
}
