import { useEffect, useRef, useState, type RefObject } from 'react';
import { useCurrentAgent } from '../auth/SessionContext';
import type { LiveEvent, ServerMessage, Viewer } from './client';
import { useRealtime } from './RealtimeContext';

const CUSTOMER_TYPING_SHOWS_MS = 6_000;
const TYPING_EVERY_MS = 2_000;

export interface CaseLive {
  /** Other agents with the case open (collision detection), with whether they are typing. */
  viewers: Viewer[];
  customerTyping: boolean;
}

/**
 * Follows one case live: its events go to `onEvent` (the page refetches what changed), its
 * viewers and the chat visitor's typing are returned, and typing in `textareaRef` is announced
 * to the others (throttled; the server throttles too).
 */
export function useCaseLive(
  caseId: string | undefined,
  handlers: { onEvent: (event: LiveEvent) => void; onResync: () => void },
  textareaRef: RefObject<HTMLTextAreaElement | null>,
): CaseLive {
  const live = useRealtime();
  const { agent } = useCurrentAgent();
  const [viewers, setViewers] = useState<Viewer[]>([]);
  const [customerTyping, setCustomerTyping] = useState(false);
  const ref = useRef(handlers);
  ref.current = handlers;

  useEffect(() => {
    setViewers([]);
    setCustomerTyping(false);
    if (!live || !caseId) return;
    const client = live.client;
    let typingTimer: ReturnType<typeof setTimeout> | undefined;
    const others = (list: Viewer[]) => list.filter((v) => v.agent_id !== agent.id);
    const off = client.on((message: ServerMessage) => {
      if (message.type === 'event') {
        if (message.case_id === caseId) ref.current.onEvent(message);
      } else if (message.type === 'resync_required') ref.current.onResync();
      else if (message.type === 'viewers' && message.case_id === caseId) setViewers(others(message.viewers));
      else if (message.type === 'subscribed' && message.case_id === caseId && message.viewers) setViewers(others(message.viewers));
      else if (message.type === 'typing' && message.case_id === caseId) {
        setCustomerTyping(true);
        clearTimeout(typingTimer);
        typingTimer = setTimeout(() => setCustomerTyping(false), CUSTOMER_TYPING_SHOWS_MS);
      }
    });
    const unwatch = client.watchCase(caseId);

    let lastTyping = 0;
    const onInput = (event: Event) => {
      if (event.target !== textareaRef.current) return;
      const now = Date.now();
      if (now - lastTyping < TYPING_EVERY_MS) return;
      lastTyping = now;
      client.typing(caseId);
    };
    document.addEventListener('input', onInput);
    return () => {
      document.removeEventListener('input', onInput);
      clearTimeout(typingTimer);
      off();
      unwatch();
    };
  }, [live, caseId, agent.id, textareaRef]);

  return { viewers, customerTyping };
}
