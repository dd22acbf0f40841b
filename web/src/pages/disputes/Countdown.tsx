import { useEffect, useState } from 'react';
import { formatDateTime } from '../../i18n';
import { dueState } from './format';

/** A minute tick of its own: the countdown recomputes every minute whatever else the page does. */
function useNow(intervalMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

interface CountdownProps {
  dueAt: string;
  /**
   * Make the text a polite live region (the dispute panel: one countdown). Its text is in whole
   * hours, so the DOM changes, and the screen reader speaks, only when the day/hour bucket does;
   * lists leave it off so a table of countdowns does not talk.
   */
  live?: boolean;
}

/** The time left to an evidence due date, as words (the tone is a second cue, never the only one). */
export function Countdown({ dueAt, live }: CountdownProps) {
  const now = useNow();
  const state = dueState(dueAt, now);
  return (
    <span className="countdown">
      <span
        className={`countdown__left countdown__left--${state.tone}`}
        aria-live={live ? 'polite' : undefined}
        aria-atomic={live ? true : undefined}
      >
        {state.text}
      </span>{' '}
      <time className="countdown__date muted small" dateTime={dueAt}>
        ({formatDateTime(dueAt)})
      </time>
    </span>
  );
}
