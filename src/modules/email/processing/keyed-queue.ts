/**
 * Runs work items at most `concurrency` at a time, and items with the same key strictly one after
 * the other in arrival order (a customer's mails keep their order, and two of them never race for
 * the same case). New items are fetched whenever the queue runs low, so workers never wait for a
 * whole batch to finish. Resolves when a fetch returns nothing and all work is done.
 */
export interface KeyedQueueOptions<T> {
  concurrency: number;
  keyOf: (item: T) => string;
  /** The next items, leaving out those already queued or running; [] when there is nothing more. */
  fetchMore: (known: readonly T[]) => Promise<T[]>;
  /** Must not throw (a throw is treated as done). */
  run: (item: T) => Promise<void>;
  stopped: () => boolean;
}

export function runKeyedQueue<T>(options: KeyedQueueOptions<T>): Promise<void> {
  return new Promise((resolve, reject) => {
    const pending: T[] = [];
    const running = new Set<T>();
    const busyKeys = new Set<string>();
    let fetching = false;
    let exhausted = false;
    let failure: Error | undefined;

    const pump = (): void => {
      if (options.stopped() || failure !== undefined) {
        exhausted = true;
        pending.length = 0;
      }
      while (running.size < options.concurrency) {
        const index = pending.findIndex((item) => !busyKeys.has(options.keyOf(item)));
        if (index < 0) break;
        const item = pending.splice(index, 1)[0]!;
        const key = options.keyOf(item);
        busyKeys.add(key);
        running.add(item);
        void options
          .run(item)
          .catch(() => undefined)
          .finally(() => {
            busyKeys.delete(key);
            running.delete(item);
            pump();
          });
      }
      if (!exhausted && !fetching && pending.length < options.concurrency) {
        fetching = true;
        options.fetchMore([...running, ...pending]).then(
          (items) => {
            fetching = false;
            if (items.length === 0) exhausted = true;
            pending.push(...items);
            pump();
          },
          (error: unknown) => {
            fetching = false;
            failure = error instanceof Error ? error : new Error(String(error));
            pump();
          },
        );
      }
      if (exhausted && !fetching && pending.length === 0 && running.size === 0) {
        if (failure !== undefined) reject(failure);
        else resolve();
      }
    };
    pump();
  });
}
