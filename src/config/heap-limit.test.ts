import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './env.js';
import { DEFAULT_HEAP_MB, heapLimitProblem, serverNodeArgs } from './heap-limit.js';

describe('server heap limit (BATON_HEAP_MB)', () => {
  it('caps the old generation at 512 MB unless told otherwise', () => {
    expect(DEFAULT_HEAP_MB).toBe(512);
    expect(serverNodeArgs({})).toEqual(['--max-old-space-size=512']);
    expect(serverNodeArgs({ BATON_HEAP_MB: '' })).toEqual(['--max-old-space-size=512']);
    expect(serverNodeArgs({ BATON_HEAP_MB: ' 512 ' })).toEqual(['--max-old-space-size=512']);
  });

  it('leaves the limit to Node with 0', () => {
    expect(serverNodeArgs({ BATON_HEAP_MB: '0' })).toEqual([]);
  });

  it('refuses values that are not a size Baton can run in, with the reason', () => {
    expect(heapLimitProblem('lots')).toBe('BATON_HEAP_MB must be a whole number of megabytes, got "lots"');
    expect(heapLimitProblem('64')).toMatch(/between 96 and 65536, got 64/);
    expect(heapLimitProblem('1.5')).toMatch(/whole number/);
    expect(() => serverNodeArgs({ BATON_HEAP_MB: '-1' })).toThrow(/whole number/);
  });

  it('is reported by the start-up configuration check with the other problems', () => {
    expect(() => loadConfig({ BATON_HEAP_MB: '10', PORT: 'x' }, [])).toThrow(ConfigError);
    try {
      loadConfig({ BATON_HEAP_MB: '10', PORT: 'x' }, []);
    } catch (error) {
      expect((error as ConfigError).message).toMatch(/PORT must be a whole number/);
      expect((error as ConfigError).message).toMatch(/BATON_HEAP_MB must be 0 \(Node's default\) or between 96 and 65536, got 10/);
    }
    expect(() => loadConfig({ BATON_HEAP_MB: '256' }, [])).not.toThrow();
  });
});
