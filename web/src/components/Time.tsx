import { useEffect, useState } from 'react';
import { formatDateTime, formatRelative } from '../i18n';

const listeners = new Set<() => void>();
let timer: number | undefined;

/** One shared minute tick for every relative time on the page. */
function useMinuteTick(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const listener = () => setNow(Date.now());
    listeners.add(listener);
    timer ??= window.setInterval(() => listeners.forEach((l) => l()), 60_000);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && timer !== undefined) {
        window.clearInterval(timer);
        timer = undefined;
      }
    };
  }, []);
  return now;
}

export function RelativeTime({ iso }: { iso: string }) {
  const now = useMinuteTick();
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatRelative(iso, now)}
    </time>
  );
}

export function DateTime({ iso }: { iso: string }) {
  return <time dateTime={iso}>{formatDateTime(iso)}</time>;
}
