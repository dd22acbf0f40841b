import { describe, expect, it } from 'vitest';
import { getTestApp } from '../test/harness.js';

describe('HTTP server', () => {
  it('answers health checks and documents the API as OpenAPI 3.1', async () => {
    const app = await getTestApp();
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{ openapi: string }>();
    expect(doc.openapi).toBe('3.1.0');
  });

  it('answers unknown routes with the error format', async () => {
    const app = await getTestApp();
    const res = await app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    const res2 = await app.inject({ method: 'GET', url: '/nothing-here' });
    expect(res2.statusCode).toBe(404);
    expect(res2.json()).toEqual({ error: { code: 'route.not_found', message: 'No route GET /nothing-here' } });
    expect(res2.headers['x-content-type-options']).toBe('nosniff');
  });
});
