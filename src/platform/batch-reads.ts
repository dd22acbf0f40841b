/**
 * Reads shared by the listeners of one outbox relay batch. The listeners of a batch run one after
 * the other in the relay's transaction and each reads the case its event is about: for one new
 * case, billing triage, the SLA clocks and the follow-ups read the same case view four times, three
 * statements each. The relay opens a scope on its transaction; a module lets a read be answered
 * from the scope and forgets its own keys on every write that could change what it read (a case
 * write leaves the SLA policies and triggers shared); a savepoint rollback empties the scope.
 * Outside a relay batch (requests, jobs) nothing is kept.
 */

const scopes = new WeakMap<object, Map<string, Promise<unknown>>>();

/** The relay: from here on, reads in `tx` may be shared until the scope is emptied. */
export function shareReadsIn(tx: object): void {
  scopes.set(tx, new Map());
}

/**
 * Empties the scope (a rollback to a savepoint), or only the reads whose keys start with
 * `keyPrefix` (after a write that changes them: a case write leaves the SLA policies read).
 */
export function forgetSharedReads(tx: object, keyPrefix?: string): void {
  const scope = scopes.get(tx);
  if (!scope) return;
  if (keyPrefix === undefined) {
    scope.clear();
    return;
  }
  for (const key of scope.keys()) if (key.startsWith(keyPrefix)) scope.delete(key);
}

/**
 * The value of `key` read once per scope: `load` runs on the first call, later calls get a copy of
 * its result (so a caller changing its copy changes nobody else's). Without a scope, or when the
 * load fails, it is simply `load()`.
 */
export async function readShared<T>(tx: object, key: string, load: () => Promise<T>): Promise<T> {
  const scope = scopes.get(tx);
  if (!scope) return load();
  let pending = scope.get(key) as Promise<T> | undefined;
  if (!pending) {
    pending = load();
    scope.set(key, pending);
    pending.catch(() => {
      if (scope.get(key) === pending) scope.delete(key);
    });
  }
  return structuredClone(await pending);
}
