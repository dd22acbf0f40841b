import { describe, expect, it } from 'vitest';
import { forgetSharedReads, readShared, shareReadsIn } from './batch-reads.js';

const counter = () => {
  let calls = 0;
  return {
    load: async () => ({ calls: ++calls, tags: ['a'] }),
    calls: () => calls,
  };
};

describe('reads shared within a relay batch', () => {
  it('reads every time outside a scope', async () => {
    const tx = {};
    const source = counter();
    await readShared(tx, 'k', source.load);
    await readShared(tx, 'k', source.load);
    expect(source.calls()).toBe(2);
  });

  it('reads once per key inside a scope, concurrent callers included, and hands out copies', async () => {
    const tx = {};
    shareReadsIn(tx);
    const source = counter();
    const [first, second] = await Promise.all([readShared(tx, 'k', source.load), readShared(tx, 'k', source.load)]);
    const third = await readShared(tx, 'k', source.load);
    expect(source.calls()).toBe(1);
    expect(third).toEqual({ calls: 1, tags: ['a'] });
    first.tags.push('changed by one caller');
    expect(second.tags).toEqual(['a']);
    expect((await readShared(tx, 'k', source.load)).tags).toEqual(['a']);
    await readShared(tx, 'other', source.load);
    expect(source.calls()).toBe(2);
  });

  it('reads again after the scope is emptied, and keeps scopes of other transactions apart', async () => {
    const tx = {};
    const other = {};
    shareReadsIn(tx);
    shareReadsIn(other);
    const source = counter();
    await readShared(tx, 'k', source.load);
    await readShared(other, 'k', source.load);
    expect(source.calls()).toBe(2);
    forgetSharedReads(tx);
    expect((await readShared(tx, 'k', source.load)).calls).toBe(3);
    expect((await readShared(other, 'k', source.load)).calls).toBe(2);
  });

  it('forgets only the reads of a key prefix when told one', async () => {
    const tx = {};
    shareReadsIn(tx);
    const source = counter();
    await readShared(tx, 'case:1', source.load);
    await readShared(tx, 'policies:1', source.load);
    forgetSharedReads(tx, 'case:');
    expect((await readShared(tx, 'case:1', source.load)).calls).toBe(3);
    expect((await readShared(tx, 'policies:1', source.load)).calls).toBe(2);
  });

  it('does not keep a failed read', async () => {
    const tx = {};
    shareReadsIn(tx);
    let fail = true;
    const load = async () => {
      if (fail) throw new Error('not found');
      return 'found';
    };
    await expect(readShared(tx, 'k', load)).rejects.toThrow('not found');
    fail = false;
    await expect(readShared(tx, 'k', load)).resolves.toBe('found');
  });
});
