import { describe, expect, it } from 'vitest';
import { createAgent } from '../../../test/factories.js';
import { reprocessInboundMail } from '../processing/problem-mail.js';
import { casesOfWorkspace, composeMail, deliver, inboundRow, mailWorld, outboundOf, processMail } from './support.js';

describe('inbound processing: limits, failures and crash safety', () => {
  it('quarantines a message past a parser limit with the reason, and processes it after reprocess once the limit allows', async () => {
    const world = await mailWorld();
    const admin = await createAgent(world.workspace, { role: 'admin' });
    const raw = await composeMail({
      from: 'Big Sender <big@customer.example>',
      to: world.mailbox.address,
      subject: 'Large attachment',
      text: 'x'.repeat(5000),
    });
    const id = await deliver(world.mailbox, raw);

    await processMail(world.workspace, { limits: { maxBytes: 1024 } });
    const quarantined = await inboundRow(id);
    expect(quarantined).toMatchObject({
      status: 'quarantined',
      reason_code: 'mail.too_large',
      from_address: 'big@customer.example',
      subject: 'Large attachment',
    });
    expect(quarantined.reason).toEqual(expect.any(String));
    expect(await casesOfWorkspace(world.ctx, world.workspace.id)).toEqual([]);

    // Still over the limit: quarantined again, with the reason.
    await reprocessInboundMail(world.db, admin.actor, id);
    expect((await inboundRow(id)).status).toBe('received');
    await processMail(world.workspace, { limits: { maxBytes: 1024 } });
    expect(await inboundRow(id)).toMatchObject({ status: 'quarantined', reason_code: 'mail.too_large' });

    await reprocessInboundMail(world.db, admin.actor, id);
    await processMail(world.workspace);
    const processed = await inboundRow(id);
    expect(processed).toMatchObject({ status: 'processed', reason_code: null, reason: null, attempts: 0 });
    expect(await casesOfWorkspace(world.ctx, world.workspace.id)).toHaveLength(1);
  });

  it('retries a message whose processing throws and quarantines it after 5 attempts', async () => {
    const world = await mailWorld();
    const raw = await composeMail({ from: 'poison@customer.example', to: world.mailbox.address, subject: 'Poison', text: 'Hi' });
    const id = await deliver(world.mailbox, raw);
    const hooks = {
      afterMessageWritten: async (_tx: unknown, inboundMailId: string) => {
        if (inboundMailId === id) throw new Error('simulated bug in processing');
      },
    };
    for (let attempt = 1; attempt <= 4; attempt++) {
      expect(await processMail(world.workspace, { hooks })).toBe(1);
      expect(await inboundRow(id)).toMatchObject({ status: 'received', attempts: attempt });
    }
    await processMail(world.workspace, { hooks });
    expect(await inboundRow(id)).toMatchObject({
      status: 'quarantined',
      attempts: 5,
      reason_code: 'mail.processing_failed',
      reason: 'simulated bug in processing',
    });
    expect(await casesOfWorkspace(world.ctx, world.workspace.id)).toEqual([]);
    // Quarantined mail is not picked up again.
    expect(await processMail(world.workspace)).toBe(0);
  });

  it('leaves no partial case, customer, message, file or mail behind when processing dies mid-transaction', async () => {
    const world = await mailWorld();
    const raw = await composeMail({
      from: 'Crash Test <crash@customer.example>',
      to: world.mailbox.address,
      cc: 'cc@customer.example',
      subject: 'Crash',
      text: 'Hi',
      attachments: [{ filename: 'a.txt', content: 'attachment' }],
    });
    const id = await deliver(world.mailbox, raw);
    await processMail(world.workspace, {
      hooks: {
        afterMessageWritten: async (_tx, inboundMailId) => {
          if (inboundMailId === id) throw new Error('process killed');
        },
      },
    });
    expect(await inboundRow(id)).toMatchObject({ status: 'received', attempts: 1, case_id: null, message_id: null });
    const count = async (
      table: 'cases' | 'customers' | 'messages' | 'attachments' | 'email_message_ids' | 'email_case_participants' | 'outbound_mail',
    ) =>
      Number(
        (
          await world.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('workspace_id', '=', world.workspace.id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    for (const table of [
      'cases',
      'customers',
      'messages',
      'attachments',
      'email_message_ids',
      'email_case_participants',
      'outbound_mail',
    ] as const) {
      expect(await count(table), table).toBe(0);
    }

    // The next run processes it exactly once.
    await processMail(world.workspace);
    expect((await inboundRow(id)).status).toBe('processed');
    expect(await count('cases')).toBe(1);
    expect(await count('messages')).toBe(1);
    expect(await count('attachments')).toBe(1);
    expect(await outboundOf(world.ctx, world.workspace.id)).toHaveLength(1);
    expect(await processMail(world.workspace)).toBe(0);
  });
});
