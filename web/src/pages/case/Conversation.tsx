import type { Message } from '../../api/types';
import { DateTime } from '../../components/Time';
import { channelLabel, formatBytes, formatDateTime, t } from '../../i18n';
import { emailMetaOf } from '../../lib/email';
import { EmailMessage } from './EmailMessage';

/** Only same-origin paths and http(s) links become hrefs; anything else (javascript:, data:) is dropped. */
export function safeHref(url: string): string | undefined {
  if (url.startsWith('/') && !url.startsWith('//')) return url;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

function authorName(message: Message): string {
  if (message.author_type === 'system') return t('message.system');
  if (message.author?.name) return message.author.name;
  return message.author_type === 'customer' ? t('message.customer') : t('message.agent');
}

function roleText(message: Message): string {
  if (message.author_type === 'customer') return t('message.roleCustomer');
  if (message.author_type === 'agent') return t('message.roleAgent');
  return t('message.roleSystem');
}

/** Split mode: each message gets a checkbox. */
export interface MessageSelection {
  selected: ReadonlySet<string>;
  onToggle: (messageId: string) => void;
}

interface ConversationProps {
  messages: Message[];
  headingId: string;
  selection?: MessageSelection;
  /** Chat: the last message the visitor has seen (their read receipt). */
  visitorReadMessageId?: string | null;
}

/** The latest public agent message the visitor has seen: it carries the "Read" mark. */
function lastReadReply(messages: Message[], readMessageId: string | null | undefined): string | undefined {
  const read = readMessageId ? messages.find((m) => m.id === readMessageId) : undefined;
  if (!read) return undefined;
  return messages
    .filter((m) => m.author_type !== 'customer' && m.visibility === 'public' && m.created_at <= read.created_at)
    .reduce<Message | undefined>((a, m) => (!a || m.created_at > a.created_at ? m : a), undefined)?.id;
}

export function Conversation({ messages, headingId, selection, visitorReadMessageId }: ConversationProps) {
  if (messages.length === 0) return <p className="empty">{t('conversation.empty')}</p>;
  const readReplyId = lastReadReply(messages, visitorReadMessageId);
  return (
    <ol className="conversation" aria-labelledby={headingId}>
      {messages.map((message) => {
        const internal = message.visibility === 'internal';
        const titleId = `message-${message.id}-title`;
        const selected = selection?.selected.has(message.id) ?? false;
        const email = emailMetaOf(message);
        return (
          <li
            key={message.id}
            data-testid="message"
            data-message-id={message.id}
            data-visibility={message.visibility}
            data-author-type={message.author_type}
            data-selected={selection ? selected : undefined}
            data-email={email ? true : undefined}
            className={`message message--${message.visibility} message--from-${message.author_type} ${email ? 'message--email' : ''} ${selected ? 'message--selected' : ''}`}
          >
            <article aria-labelledby={titleId}>
              <header className="message__header">
                {selection && (
                  <label className="checkbox message__select">
                    <input type="checkbox" checked={selected} onChange={() => selection.onToggle(message.id)} />
                    <span>
                      {t('split.select')}
                      <span className="visually-hidden">
                        {' '}
                        {t('split.selectWhich', { author: authorName(message), time: formatDateTime(message.created_at) })}
                      </span>
                    </span>
                  </label>
                )}
                <h3 id={titleId} className="message__title">
                  <span className="message__author">{authorName(message)}</span>
                  <span className="message__role"> ({roleText(message)})</span>
                </h3>
                <span className={`message__label message__label--${message.visibility}`}>
                  {internal ? t('message.internal') : t('message.public')}
                </span>
                {!internal && message.channel && message.channel !== 'internal' && (
                  <span className="message__channel">{t('message.via', { channel: channelLabel(message.channel) })}</span>
                )}
                <span className="message__time">
                  <DateTime iso={message.created_at} />
                </span>
                {message.id === readReplyId && (
                  <span className="message__read" data-testid="visitor-read">
                    {t('message.readByCustomer')}
                  </span>
                )}
              </header>
              {email ? (
                <EmailMessage message={message} email={email} />
              ) : (
                // Plain text only: the server sends body_text; React escapes it.
                <div className="message__body">{message.body_text}</div>
              )}
              {message.attachments.length > 0 && (
                <div className="message__attachments">
                  <h4 className="visually-hidden">{t('message.attachments')}</h4>
                  <ul>
                    {message.attachments.map((file) => {
                      const href = safeHref(file.url);
                      return (
                        <li key={file.id}>
                          {href ? (
                            <a href={href} download={file.filename} rel="noopener">
                              {file.filename}
                            </a>
                          ) : (
                            file.filename
                          )}{' '}
                          <span className="muted">({formatBytes(file.size_bytes)})</span>
                        </li>
                      );
                    })}
                  </ul>
                </div>
              )}
            </article>
          </li>
        );
      })}
    </ol>
  );
}
