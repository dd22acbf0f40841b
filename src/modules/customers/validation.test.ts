import { beforeAll, describe, expect, it } from 'vitest';
import { getTestApp } from '../../test/harness.js';
import { normalizeEmail, normalizePhone, normalizeTags } from './normalize.js';
import { customerWorld, postCustomer, errorOf, type PageBody } from './test-support.js';
import type { CustomerView } from './view.js';

// Starting the database and server is slow on a busy machine: let the hook (60 s) pay for it, not the first test (30 s).
beforeAll(async () => {
  await getTestApp();
});

describe('customer input validation', () => {
  const cases: { name: string; body: Record<string, unknown>; code: string; field: string }[] = [
    {
      name: 'a bad email',
      body: { name: 'x', emails: ['ok@example.test', 'not-an-email'] },
      code: 'customer.invalid_email',
      field: 'emails.1',
    },
    {
      name: 'an email with spaces inside',
      body: { name: 'x', emails: ['a b@example.test'] },
      code: 'customer.invalid_email',
      field: 'emails.0',
    },
    {
      name: 'an over-long email',
      body: { name: 'x', emails: [`${'a'.repeat(60)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.test`] },
      code: 'customer.invalid_email',
      field: 'emails.0',
    },
    { name: 'a phone with letters', body: { name: 'x', phones: ['+1 800 FLOWERS'] }, code: 'customer.invalid_phone', field: 'phones.0' },
    { name: 'a phone with too few digits', body: { name: 'x', phones: ['12-34'] }, code: 'customer.invalid_phone', field: 'phones.0' },
    {
      name: 'a phone with too many digits',
      body: { name: 'x', phones: ['+1234567890123456789012'] },
      code: 'customer.invalid_phone',
      field: 'phones.0',
    },
    { name: 'a + inside a phone', body: { name: 'x', phones: ['12+345678'] }, code: 'customer.invalid_phone', field: 'phones.0' },
    {
      name: 'an unknown time zone',
      body: { name: 'x', time_zone: 'Mars/Olympus_Mons' },
      code: 'customer.invalid_time_zone',
      field: 'time_zone',
    },
    { name: 'a malformed language tag', body: { name: 'x', language: 'en_US' }, code: 'customer.invalid_language', field: 'language' },
    {
      name: 'an unknown country',
      body: { name: 'x', postal_address: { line1: 'a', city: 'b', postal_code: 'c', country: 'XX' } },
      code: 'customer.invalid_country',
      field: 'postal_address.country',
    },
    {
      name: 'a region code that is not a country',
      body: { name: 'x', postal_address: { line1: 'a', city: 'b', postal_code: 'c', country: 'EU' } },
      code: 'customer.invalid_country',
      field: 'postal_address.country',
    },
    {
      name: 'a blank address line',
      body: { name: 'x', postal_address: { line1: '   ', city: 'b', postal_code: 'c', country: 'DE' } },
      code: 'customer.invalid_postal_address',
      field: 'postal_address.line1',
    },
    { name: 'a blank tag', body: { name: 'x', tags: ['ok', '   '] }, code: 'customer.invalid_tag', field: 'tags.1' },
    { name: 'a tag over 50 characters', body: { name: 'x', tags: ['t'.repeat(51)] }, code: 'customer.invalid_tag', field: 'tags.0' },
    { name: 'an unknown field', body: { name: 'x', nickname: 'y' }, code: 'validation_failed', field: 'nickname' },
    { name: 'notes over 20000 characters', body: { name: 'x', notes: 'n'.repeat(20001) }, code: 'validation_failed', field: 'notes' },
    {
      name: 'more than 50 tags',
      body: { name: 'x', tags: Array.from({ length: 51 }, (_, i) => `t${i}`) },
      code: 'validation_failed',
      field: 'tags',
    },
    { name: 'an unknown channel', body: { name: 'x', preferred_channel: 'pigeon' }, code: 'validation_failed', field: 'preferred_channel' },
    {
      name: 'an unknown correspondence format',
      body: { name: 'x', correspondence_format: 'fax' },
      code: 'validation_failed',
      field: 'correspondence_format',
    },
    {
      name: 'an unknown address field',
      body: { name: 'x', postal_address: { line1: 'a', city: 'b', postal_code: 'c', country: 'DE', planet: 'Earth' } },
      code: 'validation_failed',
      field: 'postal_address.planet',
    },
    { name: 'a missing name', body: { emails: ['a@example.test'] }, code: 'validation_failed', field: 'name' },
    { name: 'a number as name', body: { name: 42 }, code: 'validation_failed', field: 'name' },
  ];

  for (const c of cases) {
    it(`answers 400 naming the field for ${c.name}`, async () => {
      const { app, agent } = await customerWorld();
      const res = await app.inject({ method: 'POST', url: '/api/v1/customers', headers: agent.headers, payload: c.body });
      expect(res.statusCode, res.body).toBe(400);
      const error = errorOf(res);
      expect(error.code).toBe(c.code);
      expect(error.details.fields.map((f: { field: string }) => f.field)).toContain(c.field);
      const list = await app.inject({ method: 'GET', url: '/api/v1/customers', headers: agent.headers });
      expect(list.json<PageBody<CustomerView>>().data).toEqual([]);
    });
  }

  it('validates PATCH bodies too (version required, bad time zone, unknown field)', async () => {
    const { app, agent } = await customerWorld();
    const customer = await postCustomer(agent, { name: 'Patchy' });
    const url = `/api/v1/customers/${customer.id}`;
    const noVersion = await app.inject({ method: 'PATCH', url, headers: agent.headers, payload: { name: 'x' } });
    expect(noVersion.statusCode).toBe(400);
    expect(errorOf(noVersion).details.fields).toContainEqual({ field: 'version', problem: 'is required' });
    const badZone = await app.inject({ method: 'PATCH', url, headers: agent.headers, payload: { version: 1, time_zone: 'Nowhere/Land' } });
    expect(badZone.statusCode).toBe(400);
    expect(errorOf(badZone)).toMatchObject({ code: 'customer.invalid_time_zone', details: { field: 'time_zone' } });
    const unknown = await app.inject({
      method: 'PATCH',
      url,
      headers: agent.headers,
      payload: { version: 1, merged_into_id: customer.id },
    });
    expect(unknown.statusCode).toBe(400);
    const longNotes = await app.inject({ method: 'PATCH', url, headers: agent.headers, payload: { version: 1, notes: 'x'.repeat(20001) } });
    expect(longNotes.statusCode).toBe(400);
    expect(errorOf(longNotes).details.fields[0]!.field).toBe('notes');
    const got = await app.inject({ method: 'GET', url, headers: agent.headers });
    expect(got.json<CustomerView>().version).toBe(1);
  });

  it('answers 400 for a malformed id', async () => {
    const { app, agent } = await customerWorld();
    const res = await app.inject({ method: 'GET', url: '/api/v1/customers/not-a-uuid', headers: agent.headers });
    expect(res.statusCode).toBe(400);
  });
});

describe('normalization', () => {
  it('normalizes emails, phones and tags', () => {
    expect(normalizeEmail('  Jane.Doe+Billing@Example.COM ')).toBe('jane.doe+billing@example.com');
    expect(() => normalizeEmail('jane@')).toThrow();
    expect(() => normalizeEmail('@example.com')).toThrow();
    expect(() => normalizeEmail(`${'a'.repeat(65)}@example.com`)).toThrow();
    expect(normalizePhone(' +49 (30) 1234-5678 ')).toBe('+493012345678');
    expect(normalizePhone('030/123 456')).toBe('030123456');
    expect(() => normalizePhone('12345')).toThrow();
    expect(() => normalizePhone('+49 30 1234 ext 5')).toThrow();
    expect(normalizeTags([' A ', 'a', 'B'])).toEqual(['a', 'b']);
  });
});
