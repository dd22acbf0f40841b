import { describe, expect, it } from 'vitest';
import { InboundMailProcessor } from '../processing/inbound-processor.js';
import { casesOfWorkspace, composeMail, deliver, inboundRow, mailWorld, newMessageId, outboundOf, processMail } from './support.js';

describe('inbound processing: concurrency', () => {
  it('processes every message exactly once when two processors run at the same time', async () => {
    const world = await mailWorld({ category: 'billing' });
    const ids: string[] = [];
    for (let round = 0; round < 3; round++) {
      for (let sender = 0; sender < 8; sender++) {
        const from = `sender-${sender}@customer.example`;
        const raw = await composeMail({ from, to: world.mailbox.address, subject: `Question ${round}`, text: `Round ${round}` });
        ids.push(await deliver(world.mailbox, raw, { envelopeFrom: from }));
      }
    }
    // The same message three times, arriving through different relays (different envelope senders).
    const shared = newMessageId();
    const copies: string[] = [];
    for (let copy = 0; copy < 3; copy++) {
      const raw = await composeMail({
        from: 'copies@customer.example',
        to: world.mailbox.address,
        subject: 'Copy',
        text: 'Same',
        messageId: `<${shared}>`,
      });
      copies.push(await deliver(world.mailbox, raw, { envelopeFrom: `relay-${copy}@customer.example` }));
    }

    await Promise.all([processMail(world.workspace, { concurrency: 4 }), processMail(world.workspace, { concurrency: 4 })]);
    // A copy that lost the race is left for the next pass, which sees the duplicate.
    await processMail(world.workspace);

    for (const id of ids) expect((await inboundRow(id)).status).toBe('processed');
    const copyRows = await Promise.all(copies.map((id) => inboundRow(id)));
    expect(copyRows.filter((r) => r.status === 'processed')).toHaveLength(1);
    expect(copyRows.filter((r) => r.status === 'ignored' && r.reason_code === 'mail.duplicate')).toHaveLength(2);

    const messages = await world.db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspace_id', '=', world.workspace.id)
      .executeTakeFirstOrThrow();
    expect(Number(messages.n)).toBe(25);
    // Continuity: one case per sender; one acknowledgement each.
    expect(await casesOfWorkspace(world.ctx, world.workspace.id)).toHaveLength(9);
    expect(await outboundOf(world.ctx, world.workspace.id)).toHaveLength(9);
  });

  it('the processor service wakes on the intake notification and stops cleanly', async () => {
    const world = await mailWorld();
    const processor = new InboundMailProcessor(world.ctx, { workspaceId: world.workspace.id, pollMs: 60_000 });
    await processor.start();
    try {
      const raw = await composeMail({ from: 'live@customer.example', to: world.mailbox.address, subject: 'Live', text: 'Hi' });
      const id = await deliver(world.mailbox, raw);
      await expect.poll(async () => (await inboundRow(id)).status, { timeout: 15_000, interval: 100 }).toBe('processed');
    } finally {
      await processor.stop();
    }
    // Stopped: new mail waits for the next processor.
    const raw = await composeMail({ from: 'later@customer.example', to: world.mailbox.address, subject: 'Later', text: 'Hi' });
    const waiting = await deliver(world.mailbox, raw);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await inboundRow(waiting)).status).toBe('received');
    await processMail(world.workspace);
    expect((await inboundRow(waiting)).status).toBe('processed');
  });
});
