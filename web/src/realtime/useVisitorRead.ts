import { useEffect, useState } from 'react';
import { chatConversations } from '../api/chat';
import { useRealtime } from './RealtimeContext';

/**
 * On a chat case: the last message the visitor has seen in the widget (their read receipt), from
 * the conversation when the page opens, then live from `chat.read` events.
 */
export function useVisitorRead(caseId: string | undefined, channel: string | undefined): string | null {
  const live = useRealtime();
  const [readMessageId, setReadMessageId] = useState<string | null>(null);

  useEffect(() => {
    setReadMessageId(null);
    if (!caseId || channel !== 'chat') return;
    const abort = new AbortController();
    chatConversations
      .get(caseId, abort.signal)
      .then((conversation) => setReadMessageId((current) => current ?? conversation.visitor_read_message_id))
      // Without the receipt the page only lacks the "Read" mark.
      .catch(() => undefined);
    const off = live?.client.on((message) => {
      if (message.type !== 'event' || message.case_id !== caseId || message.event !== 'chat.read') return;
      if (message.data.by === 'customer' && typeof message.data.message_id === 'string') setReadMessageId(message.data.message_id);
    });
    return () => {
      abort.abort();
      off?.();
    };
  }, [live, caseId, channel]);

  return readMessageId;
}
