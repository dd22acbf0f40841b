import { useCallback, useEffect, useRef, useState } from 'react';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The editable draft of server data in a form. When a newer version arrives (another panel on the
 * page saved, or this form did), fields the agent has not touched take the new values while the
 * agent's own edits stay: adding an email address must not wipe a half-written note.
 */
export function useDraft<D extends object>(
  source: D,
): {
  draft: D;
  set: <K extends keyof D>(key: K, value: D[K]) => void;
  reset: () => void;
  /** The fields whose draft value differs from the server's. */
  changed: Partial<D>;
} {
  const [draft, setDraft] = useState<D>(source);
  const base = useRef<D>(source);
  const sourceText = JSON.stringify(source);

  useEffect(() => {
    const before = base.current;
    const after = JSON.parse(sourceText) as D;
    base.current = after;
    setDraft((current) => {
      const next = { ...current };
      for (const key of Object.keys(after) as (keyof D)[]) {
        if (same(current[key], before[key])) next[key] = after[key];
      }
      return next;
    });
  }, [sourceText]);

  const set = useCallback(<K extends keyof D>(key: K, value: D[K]) => setDraft((d) => ({ ...d, [key]: value })), []);
  const reset = useCallback(() => setDraft(base.current), []);

  const changed: Partial<D> = {};
  for (const key of Object.keys(draft) as (keyof D)[]) {
    if (!same(draft[key], source[key])) changed[key] = draft[key];
  }
  return { draft, set, reset, changed };
}
