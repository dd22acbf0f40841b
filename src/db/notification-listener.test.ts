import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { NotificationListener } from './notification-listener.js';

const serverUrl = process.env.DATABASE_URL;

// LISTEN/NOTIFY across connections exists only on a PostgreSQL server (PGlite listens in-process).
describe.skipIf(!serverUrl)('NotificationListener (PostgreSQL)', () => {
  const name = `baton-test-${crypto.randomBytes(4).toString('hex')}`;
  const channel = (suffix: string) => `${name}-${suffix}`;
  let admin: pg.Client;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
  });

  const backendsOf = async (applicationName: string) =>
    (await admin.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [applicationName])).rows;
  const notify = (ch: string, payload: string) => admin.query('select pg_notify($1, $2)', [ch, payload]);

  it('listens to every channel on one connection and hands each payload to that channel only', async () => {
    const listener = new NotificationListener(serverUrl!, { applicationName: name });
    const received: string[] = [];
    try {
      await listener.listen(channel('a'), (p) => received.push(`a:${p}`));
      await listener.listen(channel('b'), (p) => received.push(`b:${p}`));
      await listener.listen(channel('b'), (p) => received.push(`b2:${p}`));
      expect(await backendsOf(name)).toHaveLength(1);

      await notify(channel('a'), 'one');
      await notify(channel('b'), 'two');
      await vi.waitFor(() => expect(received.sort()).toEqual(['a:one', 'b2:two', 'b:two']));
    } finally {
      await listener.close();
    }
    await vi.waitFor(async () => expect(await backendsOf(name)).toHaveLength(0));
  });

  it('stops delivering to a handler once unsubscribed, and UNLISTENs when a channel has none left', async () => {
    const listener = new NotificationListener(serverUrl!, { applicationName: `${name}-u` });
    const received: string[] = [];
    try {
      const off = await listener.listen(channel('u'), (p) => received.push(p));
      await listener.listen(channel('v'), (p) => received.push(`v:${p}`));
      await off();
      await notify(channel('u'), 'gone');
      await notify(channel('v'), 'here');
      await vi.waitFor(() => expect(received).toEqual(['v:here']));
    } finally {
      await listener.close();
    }
  });

  it('opens its connection again after the server drops it, and listens to every channel again', async () => {
    const lost = vi.fn();
    const listener = new NotificationListener(serverUrl!, { applicationName: `${name}-r`, onConnectionLost: lost });
    const received: string[] = [];
    try {
      await listener.listen(channel('r1'), (p) => received.push(`r1:${p}`));
      await listener.listen(channel('r2'), (p) => received.push(`r2:${p}`));
      const [before] = await backendsOf(`${name}-r`);
      await admin.query('select pg_terminate_backend($1)', [before!.pid]);
      await vi.waitFor(() => expect(lost).toHaveBeenCalled(), { timeout: 5000 });

      // Once it is back, a notification reaches both channels' handlers.
      await vi.waitFor(
        async () => {
          const backends = await backendsOf(`${name}-r`);
          expect(backends).toHaveLength(1);
          expect(backends[0]!.pid).not.toBe(before!.pid);
        },
        { timeout: 10_000, interval: 100 },
      );
      await vi.waitFor(
        async () => {
          await notify(channel('r1'), 'back');
          await notify(channel('r2'), 'back');
          expect(received).toContain('r1:back');
          expect(received).toContain('r2:back');
        },
        { timeout: 10_000, interval: 200 },
      );
    } finally {
      await listener.close();
    }
  });
});
