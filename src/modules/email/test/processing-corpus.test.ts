import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { MailLimits } from '../parse/parsed-mail.js';
import { selectPendingInboundMail } from '../processing/inbound-store.js';
import { casesOfWorkspace, deliver, inboundRow, mailWorld, messagesOf, outboundOf, processMail } from './support.js';

/**
 * Every message of the parser's fixture corpus (test/fixtures) through the whole pipeline: each
 * ends in a final state (processed, ignored or quarantined) on the first run, never as a
 * processing failure, and what lands in a case is clean.
 */

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

interface Expectation {
  quarantine?: string;
  limits?: Partial<MailLimits>;
  bounce?: unknown;
  auto?: Record<string, boolean>;
}

const names = fs
  .readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.eml'))
  .map((f) => f.slice(0, -4))
  .sort();

describe('inbound processing of the fixture corpus', () => {
  for (const name of names) {
    it(name, async () => {
      const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as Expectation;
      const world = await mailWorld();
      const raw = fs.readFileSync(path.join(FIXTURES, `${name}.eml`));
      const id = await deliver(world.mailbox, raw, { envelopeFrom: null });
      await processMail(world.workspace, { limits: expected.limits });
      const row = await inboundRow(id);
      expect(row.attempts, `${name}: processing threw (${row.reason ?? ''})`).toBe(0);

      if (expected.quarantine) {
        expect(row).toMatchObject({ status: 'quarantined', reason_code: expected.quarantine, case_id: null });
        return;
      }
      if (expected.auto?.ownLoop) {
        expect(row).toMatchObject({ status: 'ignored', reason_code: 'mail.own_loop' });
        return;
      }
      if (expected.bounce) {
        // Nothing Baton sent: the report matches no case and opens none.
        expect(row).toMatchObject({ status: 'ignored', reason_code: 'mail.bounce_unmatched' });
        expect(await casesOfWorkspace(world.ctx, world.workspace.id)).toEqual([]);
        return;
      }
      expect(row.status).toBe('processed');
      const messages = await messagesOf(world.ctx, row.case_id!);
      expect(messages).toHaveLength(1);
      const message = messages[0]!;
      expect(message.body_text.trim().length).toBeGreaterThan(0);
      expect(JSON.stringify(message)).not.toContain('\\u0000');
      const email = (message.metadata as { email: { visible_text: string; auto: Record<string, boolean> } }).email;
      expect(email.visible_text.trim().length).toBeGreaterThan(0);
      const automatic = Object.values(email.auto).some(Boolean);
      expect(await outboundOf(world.ctx, world.workspace.id)).toHaveLength(automatic ? 0 : 1);
    });
  }

  it('the two deliveries of one message: the second is a duplicate', async () => {
    const world = await mailWorld();
    const first = await deliver(world.mailbox, fs.readFileSync(path.join(FIXTURES, 'duplicate-message-id-a.eml')));
    const second = await deliver(world.mailbox, fs.readFileSync(path.join(FIXTURES, 'duplicate-message-id-b.eml')));
    await processMail(world.workspace);
    expect((await inboundRow(first)).status).toBe('processed');
    expect(await inboundRow(second)).toMatchObject({ status: 'ignored', reason_code: 'mail.duplicate' });
  });

  it('takes waiting mail in the order it arrived, even within one tick of the clock', async () => {
    const world = await mailWorld();
    const raw = fs.readFileSync(path.join(FIXTURES, 'duplicate-message-id-a.eml'));
    const arrived: string[] = [];
    for (let i = 0; i < 8; i++) arrived.push(await deliver(world.mailbox, raw));
    // All within one tick of a millisecond clock (the embedded database's): received_at ties.
    await world.ctx.db
      .updateTable('inbound_mail')
      .set({ received_at: new Date('2026-12-07T21:00:00.000Z') })
      .where('id', 'in', arrived)
      .execute();
    const waiting = await selectPendingInboundMail(world.ctx.db, 20, [], world.workspace.id);
    expect(waiting.map((row) => row.id)).toEqual(arrived);
  });
});
