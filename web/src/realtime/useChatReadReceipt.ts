import { useEffect, useRef } from 'react';
import { chatConversations } from '../api/chat';
import type { Message } from '../api/types';

/**
 * On a chat case, tells the visitor the agent has read their latest message (while the page is
 * visible); sent once per message.
 */
export function useChatReadReceipt(caseId: string | undefined, channel: string | undefined, messages: Message[] | undefined): void {
  const sent = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!caseId || channel !== 'chat' || !messages) return;
    const latest = messages
      .filter((m) => m.author_type === 'customer')
      .reduce<Message | undefined>((a, m) => (!a || m.created_at > a.created_at ? m : a), undefined);
    if (!latest || latest.id === sent.current) return;
    const send = () => {
      if (document.visibilityState !== 'visible' || sent.current === latest.id) return;
      sent.current = latest.id;
      // A receipt that fails changes nothing the agent needs to know about.
      chatConversations.read(caseId, latest.id).catch(() => undefined);
    };
    send();
    document.addEventListener('visibilitychange', send);
    return () => document.removeEventListener('visibilitychange', send);
  }, [caseId, channel, messages]);
}
