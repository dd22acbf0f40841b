import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './env.js';

describe('loadConfig', () => {
  it('defaults to the embedded database on 127.0.0.1:3000 with both roles', () => {
    const config = loadConfig({}, []);
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      publicUrl: 'http://127.0.0.1:3000',
      demoData: true,
    });
    expect([...config.roles]).toEqual(['web', 'worker']);
    expect(config.dataDir).toMatch(/data$/);
  });

  it('honours PORT, HOST, BATON_DATA_DIR, DATABASE_URL and --role', () => {
    const config = loadConfig({ PORT: '8080', HOST: '0.0.0.0', BATON_DATA_DIR: '/tmp/baton-x', DATABASE_URL: 'postgres://db/baton' }, [
      '--role=worker',
    ]);
    expect(config).toMatchObject({ port: 8080, host: '0.0.0.0', dataDir: '/tmp/baton-x', databaseUrl: 'postgres://db/baton' });
    expect([...config.roles]).toEqual(['worker']);
  });

  it('reports every bad variable at once with a clear message', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', BATON_DEMO_DATA: 'maybe' }, ['--role=cook']);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(6);
    expect(problems.join('\n')).toMatch(/PORT must be a whole number, got "eighty"/);
    expect(problems.join('\n')).toMatch(/DATABASE_URL must start with postgres/);
    expect(problems.join('\n')).toMatch(/unknown role "cook"/);
  });

  it('parses BATON_TRUST_PROXY as off, on, a hop count or an address list', () => {
    expect(loadConfig({}, []).trustProxy).toBe(false);
    expect(loadConfig({ BATON_TRUST_PROXY: 'true' }, []).trustProxy).toBe(true);
    expect(loadConfig({ BATON_TRUST_PROXY: '1' }, []).trustProxy).toBe(1);
    expect(loadConfig({ BATON_TRUST_PROXY: '10.0.0.1, 192.168.0.0/16' }, []).trustProxy).toEqual(['10.0.0.1', '192.168.0.0/16']);
    expect(() => loadConfig({ BATON_TRUST_PROXY: 'everyone' }, [])).toThrow(/BATON_TRUST_PROXY/);
  });

  it('refuses a port out of range', () => {
    expect(() => loadConfig({ PORT: '70000' }, [])).toThrow(/PORT must be between 0 and 65535/);
  });
});
