import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { unprocessable } from '../../../platform/errors.js';
import { recordBillingEvent } from '../events.js';
import { assertMinorUnits, normalizeCurrency } from '../money.js';
import { SUBSCRIPTION_STATUSES, type BillingInterval, type SubscriptionStatus } from '../schema.js';
import { authorizeBillingWrite, billingNotFound, eventApplies, isUuid } from './access.js';
import { loadAccount } from './accounts-store.js';
import type { SubscriptionRow } from './rows.js';
import { insertSubscriptionRow, lockSubscriptionByExternalId, selectSubscription, updateSubscriptionRow } from './subscriptions-store.js';

export interface UpsertSubscriptionInput {
  accountId: string;
  externalId: string | null;
  planName: string;
  status: SubscriptionStatus;
  priceMinor: number;
  currency: string;
  interval: BillingInterval;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  /** The processor's event time; null = API/import (always applies). */
  sourceEventAt: Date | null;
}

const INTERVALS: readonly BillingInterval[] = ['day', 'week', 'month', 'year'];

/**
 * Records a subscription keyed by its external id. An update carrying an older event time than
 * the stored one changes nothing (webhooks arrive out of order). A new subscription or a status
 * change emits `billing.subscription_changed`.
 */
export async function upsertSubscription(tx: Db, actor: Actor, input: UpsertSubscriptionInput): Promise<{ id: string; changed: boolean }> {
  authorizeBillingWrite(actor, 'subscription');
  const currency = normalizeCurrency(input.currency);
  assertMinorUnits(input.priceMinor, 'price_minor', { allowZero: true });
  if (!SUBSCRIPTION_STATUSES.includes(input.status)) {
    throw unprocessable('billing.invalid_status', `"${input.status}" is not a subscription status`, { field: 'status' });
  }
  if (!INTERVALS.includes(input.interval)) {
    throw unprocessable('billing.invalid_interval', `"${input.interval}" is not a billing interval`, { field: 'interval' });
  }
  const planName = input.planName.trim().slice(0, 200);
  if (!planName) throw unprocessable('billing.invalid_plan_name', 'A subscription needs a plan name', { field: 'plan_name' });
  const account = await loadAccount(tx, actor, input.accountId);
  const values = {
    account_id: account.id,
    external_id: input.externalId,
    plan_name: planName,
    status: input.status,
    price_minor: input.priceMinor,
    currency,
    billing_interval: input.interval,
    current_period_end: input.currentPeriodEnd,
    cancel_at_period_end: input.cancelAtPeriodEnd,
    source_event_at: input.sourceEventAt,
  };
  const insertedId = await insertSubscriptionRow(tx, actor, values);
  let id: string;
  let previousStatus: SubscriptionStatus | null = null;
  if (insertedId) {
    id = insertedId;
  } else {
    const existing = await lockSubscriptionByExternalId(tx, actor, input.externalId!);
    if (!existing) throw new Error('subscription vanished between insert conflict and re-read');
    if (!eventApplies(input.sourceEventAt, existing.source_event_at)) return { id: existing.id, changed: false };
    if (existing.account_id !== account.id) {
      throw unprocessable('billing.account_mismatch', 'This subscription belongs to another billing account', { field: 'account_id' });
    }
    id = existing.id;
    previousStatus = existing.status;
    const { external_id: _unchanged, ...rest } = values;
    await updateSubscriptionRow(tx, actor, id, { ...rest, source_event_at: input.sourceEventAt ?? existing.source_event_at });
  }
  if (previousStatus !== input.status) {
    await recordBillingEvent(
      tx,
      actor,
      'billing.subscription_changed',
      { type: 'subscription', id },
      {
        customer_id: account.customer_id,
        account_id: account.id,
        subscription_id: id,
        status: input.status,
        previous_status: previousStatus,
      },
    );
  }
  return { id, changed: true };
}

export async function getSubscription(db: Db, actor: Actor, subscriptionId: string): Promise<SubscriptionRow> {
  if (!isUuid(subscriptionId)) throw billingNotFound('subscription');
  const row = await selectSubscription(db, actor, subscriptionId);
  if (!row) throw billingNotFound('subscription');
  return row;
}
