import { describe, expect, it } from 'vitest';
import { getCustomerBillingState } from '../modules/billing/service.js';
import { createCase } from '../modules/cases/service.js';
import { findOrCreateCustomerByEmail } from '../modules/customers/service.js';
import { createWorkspace, unique } from '../test/factories.js';
import { getTestContext } from '../test/harness.js';
import { seedDemoBilling } from './billing.js';

describe('demo billing', () => {
  it('gives the customer with an open billing case a failed payment, others paid invoices and a refund', async () => {
    const { db } = await getTestContext();
    const workspace = await createWorkspace();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      ids.push((await findOrCreateCustomerByEmail(db, workspace.system, { email: `${unique('demo')}@example.test` })).customerId);
    }
    await createCase(db, workspace.system, {
      customerId: ids[2]!,
      subject: 'My card was charged twice?',
      category: 'payment',
      channel: 'email',
      message: { bodyText: 'Please check my last payment.', authorType: 'customer' },
    });
    await seedDemoBilling(db, workspace.system, ids);

    const failing = await getCustomerBillingState(db, workspace.system, ids[2]!);
    expect(failing.summary.last_failed_payment).toMatchObject({ failure_code: 'card_declined', method_summary: 'Mastercard •••• 5454' });
    expect(failing.subscriptions).toMatchObject([{ status: 'past_due' }]);
    expect(failing.summary.open_balance).toEqual([{ currency: 'EUR', amount_minor: 10400 }]);
    expect(failing.invoices[0]!.lines.some((l) => l.is_fee)).toBe(true);

    const refunded = await getCustomerBillingState(db, workspace.system, ids[0]!);
    expect(refunded.subscriptions).toMatchObject([{ status: 'active' }]);
    expect(refunded.refunds).toMatchObject([{ amount_minor: 1000, status: 'succeeded' }]);
    expect(refunded.payments[0]).toMatchObject({ method_summary: 'Visa •••• 4242', refunded_minor: 1000, refundable_minor: 3900 });

    const usd = await getCustomerBillingState(db, workspace.system, ids[1]!);
    expect(usd.accounts).toMatchObject([{ currency: 'USD' }]);
    const open = await getCustomerBillingState(db, workspace.system, ids[3]!);
    expect(open.summary.open_balance).toEqual([{ currency: 'USD', amount_minor: 2900 }]);
  });
});
