import { useEffect, useId, useRef, useState, type RefObject } from 'react';
import { Link } from 'react-router-dom';
import { messageEmail } from '../../api/client';
import type { EmailAuth, Message, MessageEmail, MessageEmailMeta } from '../../api/types';
import { EmailFrame } from '../../components/EmailFrame';
import { ErrorNotice, Loading } from '../../components/Notice';
import { t } from '../../i18n';
import { addressOf, authDetails, formatAddress, formatAddressList, isAutomatic } from '../../lib/email';

/**
 * A case message that arrived by email: the envelope the agent needs (From, To, Cc), whether the
 * sender is authenticated, the new text first (quoted history on request), and the HTML part on
 * request inside a sandboxed frame. All text is text; the HTML never touches Baton's own page.
 */
export function EmailMessage({ message, email }: { message: Message; email: MessageEmailMeta }) {
  const id = useId();
  const [showQuoted, setShowQuoted] = useState(false);
  const [showAuth, setShowAuth] = useState(false);
  const [formatted, setFormatted] = useState(false);
  // Kept across toggles: switching back and forth loads the HTML once.
  const loadedHtml = useRef<MessageEmail | null>(null);

  const visible = email.visible_text?.trim() ? email.visible_text : null;
  const hasQuoted = visible !== null && visible.trim() !== message.body_text.trim();
  const body = hasQuoted && !showQuoted ? visible : message.body_text;

  const from = formatAddress(email.from);
  const to = formatAddressList(email.to);
  const cc = formatAddressList(email.cc);
  const replyTo = formatAddressList(email.reply_to);
  // Reply-To matters only when replies go somewhere else than the sender.
  const replyElsewhere =
    replyTo !== '' &&
    (Array.isArray(email.reply_to) ? email.reply_to : [email.reply_to]).some((r) => addressOf(r) !== addressOf(email.from));
  const details = authDetails(email.auth);

  return (
    <div className="email">
      <dl className="email__headers">
        {from && <HeaderRow name={t('email.from')} value={from} />}
        {to && <HeaderRow name={t('email.to')} value={to} />}
        {cc && <HeaderRow name={t('email.cc')} value={cc} />}
        {replyElsewhere && <HeaderRow name={t('email.replyTo')} value={replyTo} />}
      </dl>

      <div className="email__flags">
        <AuthBadge auth={email.auth} />
        {details.length > 0 && (
          <button
            type="button"
            className="button button--small button--quiet"
            aria-expanded={showAuth}
            aria-controls={`${id}-auth`}
            onClick={() => setShowAuth((x) => !x)}
          >
            {t('email.authDetails')}
          </button>
        )}
        {isAutomatic(email.auto) && <span className="badge badge--neutral">{t('email.auto')}</span>}
        {email.forwarded && <span className="badge badge--neutral">{t('email.forwarded')}</span>}
        {typeof email.follow_up_of === 'number' && (
          <span className="small muted">
            {t('email.followUpOf')} <Link to={`/cases/${email.follow_up_of}`}>#{email.follow_up_of}</Link>
          </span>
        )}
      </div>
      {details.length > 0 && (
        <div id={`${id}-auth`} hidden={!showAuth} className="email__auth">
          <dl>
            {details.map((row) => (
              <HeaderRow
                key={row.name}
                name={row.name}
                value={row.domain ? t('email.authResultFor', { result: row.result, domain: row.domain }) : row.result}
              />
            ))}
          </dl>
          <p className="hint">{t('email.authExplain')}</p>
        </div>
      )}

      {formatted ? (
        <FormattedEmail messageId={message.id} cache={loadedHtml} />
      ) : (
        // Plain text only; React escapes it.
        <div id={`${id}-body`} className="message__body email__body">
          {body}
        </div>
      )}

      {(hasQuoted || email.has_html) && (
        <div className="email__actions">
          {hasQuoted && !formatted && (
            <button
              type="button"
              className="button button--small"
              aria-expanded={showQuoted}
              aria-controls={`${id}-body`}
              onClick={() => setShowQuoted((x) => !x)}
            >
              {showQuoted ? t('email.hideQuoted') : t('email.showQuoted')}
            </button>
          )}
          {email.has_html && (
            <button type="button" className="button button--small" onClick={() => setFormatted((x) => !x)}>
              {formatted ? t('email.showPlain') : t('email.showHtml')}
            </button>
          )}
        </div>
      )}
    </div>
  );
}

function HeaderRow({ name, value }: { name: string; value: string }) {
  return (
    <div className="email__header">
      <dt>{name}</dt>
      <dd className="break">{value}</dd>
    </div>
  );
}

/** The sender check in a word: verified, or a warning. Unchecked mail shows nothing. */
export function AuthBadge({ auth }: { auth: EmailAuth | null | undefined }) {
  if (auth?.verdict === 'pass') {
    return (
      <span className="badge badge--success" data-testid="email-auth-badge" data-verdict="pass">
        <span aria-hidden="true">✓ </span>
        {t('email.verified')}
      </span>
    );
  }
  if (auth?.verdict === 'fail') {
    return (
      <span className="badge badge--danger" data-testid="email-auth-badge" data-verdict="fail">
        <span aria-hidden="true">⚠ </span>
        {t('email.notVerified')}
      </span>
    );
  }
  return null;
}

/** Loads the sanitized HTML part when the agent asks for it, once per message. */
function FormattedEmail({ messageId, cache }: { messageId: string; cache: RefObject<MessageEmail | null> }) {
  const [state, setState] = useState<{ data?: MessageEmail; error?: unknown }>(() => (cache.current ? { data: cache.current } : {}));
  const [tick, setTick] = useState(0);

  useEffect(() => {
    if (cache.current) return;
    const controller = new AbortController();
    setState({});
    messageEmail.get(messageId, controller.signal).then(
      (data) => {
        cache.current = data;
        setState({ data });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ error });
      },
    );
    return () => controller.abort();
  }, [messageId, cache, tick]);

  if (state.error !== undefined) return <ErrorNotice error={state.error} onRetry={() => setTick((n) => n + 1)} />;
  if (!state.data) return <Loading label={t('email.loadingHtml')} />;
  if (!state.data.html) return <p className="notice notice--info">{t('email.noHtml')}</p>;
  return (
    <>
      {state.data.html_truncated && <p className="hint email__note">{t('email.htmlTruncated')}</p>}
      <EmailFrame html={state.data.html} title={t('email.frameTitle')} hasRemoteImages={state.data.has_remote_images} />
    </>
  );
}
