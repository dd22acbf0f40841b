import { describe, expect, it } from 'vitest';
import { getTestApp, getTestContext } from '../test/harness.js';
import { unique } from '../test/factories.js';
import { createAdmin, parseCreateAdminArgs } from './create-admin.js';

describe('create-admin command', () => {
  it('creates the workspace and an admin who can sign in', async () => {
    const ctx = await getTestContext();
    const slug = unique('acme');
    const email = `${unique('boss')}@example.test`;
    const result = await createAdmin(ctx, {
      ...parseCreateAdminArgs(['--email', email, '--workspace', 'Acme Billing', '--slug', slug]),
      password: undefined,
    });
    expect(result).toMatchObject({ generated: true, workspace: slug });
    const app = await getTestApp();
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: result.password } });
    expect(login.statusCode).toBe(200);
    expect(login.json()).toMatchObject({ agent: { email, role: 'admin' }, workspace: { slug } });
  });

  it('requires an email', () => {
    expect(() => parseCreateAdminArgs(['--name', 'x'])).toThrow(/--email/);
  });
});
