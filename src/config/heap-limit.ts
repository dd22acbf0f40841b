/**
 * The V8 heap limit Baton's server runs with. Left to itself, V8 lets the old generation grow to a
 * multiple of the live heap before collecting under steady load: at a million cases the server's
 * RSS climbed to ~330 MB while its live heap stayed near 55 MB. With a cap V8 sizes its heap
 * against it and collects sooner: RSS stayed at 170-185 MB in the same runs with caps of 192,
 * 384 and 512 MB. 512 leaves room for 10,000 chat connections with a backlog (192 ran out of
 * heap there; a process that dies is worse than one that grows). `npm start`, the benchmark
 * runner and the browser tests start the server with these arguments; who runs
 * `node dist/server/main.js` directly passes `--max-old-space-size` themselves.
 */

export const DEFAULT_HEAP_MB = 512;
const MIN_HEAP_MB = 96;
const MAX_HEAP_MB = 65536;

/** A problem with BATON_HEAP_MB, or undefined when it is valid (unset, 0, or in range). */
export function heapLimitProblem(raw: string | undefined): string | undefined {
  const value = raw?.trim();
  if (value === undefined || value === '' || value === '0') return undefined;
  if (!/^\d+$/.test(value)) return `BATON_HEAP_MB must be a whole number of megabytes, got "${raw}"`;
  const mb = Number(value);
  if (mb < MIN_HEAP_MB || mb > MAX_HEAP_MB)
    return `BATON_HEAP_MB must be 0 (Node's default) or between ${MIN_HEAP_MB} and ${MAX_HEAP_MB}, got ${mb}`;
  return undefined;
}

/** Node options for the server process: the heap cap (BATON_HEAP_MB, default 512; 0 = Node's own). */
export function serverNodeArgs(env: NodeJS.ProcessEnv = process.env): string[] {
  const problem = heapLimitProblem(env.BATON_HEAP_MB);
  if (problem) throw new Error(problem);
  const raw = env.BATON_HEAP_MB?.trim();
  const mb = raw === undefined || raw === '' ? DEFAULT_HEAP_MB : Number(raw);
  return mb === 0 ? [] : [`--max-old-space-size=${mb}`];
}
