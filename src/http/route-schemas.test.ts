import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import { describe, expect, it } from 'vitest';
import { getTestApp } from '../test/harness.js';
import { routesOf } from './server.js';
import { validatorCompiler } from './validation.js';

// Validators and response serializers are built on a route's first use (start-up time), so a
// schema that cannot compile would only show on that first request: this test builds them all.
describe('route schemas', () => {
  it('every route validator and response serializer compiles', async () => {
    const app = await getTestApp();
    const routes = routesOf(app);
    expect(routes.length).toBeGreaterThan(100);
    const buildSerializer = SerializerSelector()(app.getSchemas(), {});
    const failures: string[] = [];
    let compiled = 0;
    for (const route of routes) {
      const schema = (route.schema ?? {}) as Record<string, unknown>;
      const method = Array.isArray(route.method) ? route.method.join(',') : route.method;
      for (const part of ['body', 'querystring', 'params', 'headers'] as const) {
        if (!schema[part]) continue;
        const httpPart = part;
        try {
          const validate = validatorCompiler({ schema: schema[part], method, url: route.url, httpPart });
          // The first call compiles; its verdict on null does not matter here.
          (validate as (data: unknown) => unknown)(null);
          compiled++;
        } catch (error) {
          failures.push(`${method} ${route.url} ${part}: ${(error as Error).message}`);
        }
      }
      for (const [httpStatus, responseSchema] of Object.entries((schema.response ?? {}) as Record<string, unknown>)) {
        try {
          buildSerializer({ schema: responseSchema, method, url: route.url, httpStatus });
          compiled++;
        } catch (error) {
          failures.push(`${method} ${route.url} response ${httpStatus}: ${(error as Error).message}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(compiled).toBeGreaterThan(300);
  });
});
