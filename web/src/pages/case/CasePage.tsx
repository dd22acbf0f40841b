import { useCallback, useEffect, useRef, useState } from 'react';
import { useParams } from 'react-router-dom';
import { attachments as attachmentsApi, cases as casesApi } from '../../api/client';
import { isApiError } from '../../api/http';
import { macros as macrosApi, type Macro } from '../../api/macros';
import type { CaseChanges, CaseDetail, Message, Visibility } from '../../api/types';
import { useCurrentAgent } from '../../auth/SessionContext';
import { PriorityBadge, StatusBadge } from '../../components/Badges';
import { ErrorNotice, errorText, Loading } from '../../components/Notice';
import { PageHeading } from '../../components/PageHeading';
import { DateTime } from '../../components/Time';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { categoryLabel, channelLabel, statusLabel, t } from '../../i18n';
import { canTransition } from '../../lib/status';
import { useShortcuts } from '../../shell/shortcuts';
import { useViews } from '../../shell/ViewsContext';
import { CaseViewers } from '../../realtime/CaseViewers';
import { useCaseLive } from '../../realtime/useCaseLive';
import { useChatReadReceipt } from '../../realtime/useChatReadReceipt';
import { useVisitorRead } from '../../realtime/useVisitorRead';
import { DisputePanel } from '../disputes/DisputePanel';
import { NewDisputeButton } from '../disputes/NewDisputeButton';
import { CaseHistory } from './CaseHistory';
import { CaseSentMail } from './CaseSentMail';
import { CaseSidebar } from './CaseSidebar';
import { Composer, type OutgoingMessage } from './Composer';
import { Conversation } from './Conversation';
import { CustomerPanel } from './CustomerPanel';
import { MergeDialog } from './MergeDialog';
import { SplitBar } from './SplitBar';
import { SplitDialog } from './SplitDialog';
import { useReorganize } from './useReorganize';

interface MessagePages {
  items: Message[];
  nextCursor: string | null;
}

export function CasePage() {
  const { number = '' } = useParams();
  const { agent: me } = useCurrentAgent();
  const { notify } = useToast();
  const { refreshViews } = useViews();

  const caseState = useApi((signal) => casesApi.get(number, signal), [number]);
  // Ignore the previous case's data while the next one loads (the page is reused between cases).
  const kase = caseState.data && (String(caseState.data.number) === number || caseState.data.id === number) ? caseState.data : undefined;
  const caseId = kase?.id;

  const messagesState = useApi(
    async (signal): Promise<MessagePages> => {
      if (!caseId) return { items: [], nextCursor: null };
      const page = await casesApi.messages(caseId, undefined, signal);
      return { items: page.data, nextCursor: page.next_cursor };
    },
    [caseId],
  );
  const eventsState = useApi((signal) => (caseId ? casesApi.events(caseId, signal) : Promise.resolve([])), [caseId]);

  const [mode, setMode] = useState<Visibility>('public');
  const [stale, setStale] = useState(false);
  const [saving, setSaving] = useState(false);
  const [loadingOlder, setLoadingOlder] = useState(false);
  // Bumped when a reply goes out: the sent-mail panel then shows the new outgoing mail.
  const [sentTick, setSentTick] = useState(0);
  const textareaRef = useRef<HTMLTextAreaElement>(null);

  // Changes run one after another, each with the version the previous one returned.
  const kaseRef = useRef<CaseDetail | undefined>(kase);
  kaseRef.current = kase;
  const queue = useRef<Promise<void>>(Promise.resolve());

  useEffect(() => {
    setStale(false);
    setMode('public');
  }, [number]);

  const { setData: setCaseData } = caseState;
  const { reload: reloadMessages } = messagesState;
  const { reload: reloadEvents } = eventsState;

  const setCase = useCallback(
    (next: CaseDetail) => {
      kaseRef.current = next;
      setCaseData(next);
    },
    [setCaseData],
  );

  /**
   * Every change to the case runs one after another, and each leaves the latest version in
   * kaseRef: a quick second change never goes out with the version the first one replaced.
   */
  const serial = useCallback(<T,>(job: () => Promise<T>): Promise<T> => {
    const run = queue.current.then(job);
    queue.current = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }, []);

  const refetchCase = useCallback(async () => {
    const current = kaseRef.current;
    if (!current) return;
    try {
      setCase(await casesApi.get(current.id));
    } catch {
      // The page keeps what it has; the next action reports the problem.
    }
  }, [setCase]);

  const change = useCallback(
    (changes: CaseChanges, done: string) => {
      void serial(async () => {
        const current = kaseRef.current;
        if (!current) return;
        setSaving(true);
        try {
          const updated = await casesApi.update(current.id, current.version, changes);
          setCase({ ...current, ...updated });
          setStale(false);
          reloadEvents();
          refreshViews();
          notify(done);
        } catch (err) {
          if (isApiError(err) && err.status === 409) {
            // Someone else changed the case first: say so, load their version, let the agent redo.
            setStale(true);
            await refetchCase();
            reloadMessages();
            reloadEvents();
          } else {
            notify(errorText(err), 'error');
            await refetchCase();
          }
        } finally {
          setSaving(false);
        }
      });
    },
    [serial, setCase, refetchCase, reloadEvents, reloadMessages, refreshViews, notify],
  );

  function send(message: OutgoingMessage): Promise<boolean> {
    return serial(async () => {
      const current = kaseRef.current;
      if (!current) return false;
      try {
        const uploaded = message.files.length > 0 ? await attachmentsApi.upload(message.files) : [];
        const result = await casesApi.addMessage(current.id, {
          body: message.body,
          visibility: message.visibility,
          ...(message.statusAfter ? { status_after: message.statusAfter } : {}),
          ...(uploaded.length > 0 ? { attachment_ids: uploaded.map((a) => a.id) } : {}),
        });
        if (result?.case) setCase({ ...current, ...result.case });
        else await refetchCase();
        reloadMessages();
        reloadEvents();
        refreshViews();
        if (message.visibility === 'public') setSentTick((n) => n + 1);
        const base = message.visibility === 'internal' ? t('composer.noteAdded') : t('composer.replySent');
        notify(message.statusAfter ? t('composer.sentWithStatus', { done: base, status: statusLabel(message.statusAfter) }) : base);
        return true;
      } catch (err) {
        notify(errorText(err), 'error');
        if (isApiError(err) && (err.status === 409 || err.status === 422)) {
          await refetchCase();
          reloadMessages();
        }
        return false;
      }
    });
  }

  /** Applies a macro's field changes (under the case version) and hands its rendered reply to the composer. */
  function applyMacro(macro: Macro): Promise<{ body: string; visibility: Visibility } | null> {
    return serial(async () => {
      const current = kaseRef.current;
      if (!current) return null;
      setSaving(true);
      try {
        const applied = await macrosApi.apply(current.id, macro.id, current.version);
        setCase({ ...current, ...applied.case });
        setStale(false);
        reloadEvents();
        refreshViews();
        notify(t('macros.applied', { name: macro.name }));
        return { body: applied.body, visibility: applied.visibility };
      } catch (err) {
        if (isApiError(err) && err.status === 409) {
          setStale(true);
          await refetchCase();
          reloadEvents();
        } else {
          notify(errorText(err), 'error');
        }
        return null;
      } finally {
        setSaving(false);
      }
    });
  }

  function follow(on: boolean) {
    void serial(async () => {
      const current = kaseRef.current;
      if (!current) return;
      try {
        if (on) await casesApi.follow(current.id);
        else await casesApi.unfollow(current.id, me.id);
        await refetchCase();
        reloadEvents();
        notify(on ? t('case.following') : t('case.unfollowed'));
      } catch (err) {
        notify(errorText(err), 'error');
      }
    });
  }

  async function loadOlder() {
    const pages = messagesState.data;
    if (!caseId || !pages?.nextCursor) return;
    setLoadingOlder(true);
    try {
      const page = await casesApi.messages(caseId, pages.nextCursor);
      messagesState.setData({ items: [...pages.items, ...page.data], nextCursor: page.next_cursor });
    } catch (err) {
      notify(errorText(err), 'error');
    } finally {
      setLoadingOlder(false);
    }
  }

  function startWriting(next: Visibility) {
    setMode(next);
    textareaRef.current?.focus();
  }

  // Live: others' replies, notes and changes show without reload; who else is here (collision).
  const caseLive = useCaseLive(
    caseId,
    {
      onEvent: (event) => {
        // Queue places and read receipts change nothing on the case itself (useVisitorRead shows receipts).
        if (event.event === 'chat.read' || event.event === 'chat.queue') return;
        if (event.event === 'case.message_added') reloadMessages();
        else void refetchCase();
        reloadEvents();
      },
      onResync: () => {
        void refetchCase();
        reloadMessages();
        reloadEvents();
      },
    },
    textareaRef,
  );
  useChatReadReceipt(caseId, kase?.channel, messagesState.data?.items);
  const visitorReadMessageId = useVisitorRead(caseId, kase?.channel);

  const reorganize = useReorganize({
    number,
    current: () => kaseRef.current,
    onMergedHere: (merged) => {
      setCase(merged);
      setStale(false);
      reloadMessages();
      reloadEvents();
    },
  });
  const { splitMode, selected } = reorganize;

  const closed = kase?.status === 'closed';
  useShortcuts({
    r: () => (kase && !closed ? startWriting('public') : false),
    n: () => (kase && !closed ? startWriting('internal') : false),
    a: () => {
      if (!kase || closed) return false;
      if (kase.assignee?.id !== me.id) change({ assignee_id: me.id }, t('case.assignedToMe'));
    },
    s: () => {
      if (!kase || !canTransition(kase.status, 'solved') || kase.status === 'solved') return false;
      change({ status: 'solved' }, t('case.statusChanged', { status: statusLabel('solved') }));
    },
  });

  const title = kase ? `#${kase.number} ${kase.subject}` : t('case.title', { number });

  return (
    <div className="page page--case">
      <div className="case-header">
        <PageHeading title={title}>
          <span className="case-header__number">#{kase?.number ?? number}</span> {kase ? kase.subject || t('case.noSubject') : ''}
        </PageHeading>
        {kase && (
          <div className="case-header__meta">
            <StatusBadge status={kase.status} />
            <PriorityBadge priority={kase.priority} />
            <span>{categoryLabel(kase.category)}</span>
            <span>{t('case.viaChannel', { channel: channelLabel(kase.channel) })}</span>
            <span>
              {t('case.opened')} <DateTime iso={kase.created_at} />
            </span>
            {kase.due_at && (
              <span>
                {t('case.due')} <DateTime iso={kase.due_at} />
              </span>
            )}
            {kase.status !== 'solved' && canTransition(kase.status, 'solved') && (
              <button
                type="button"
                className="button button--small"
                onClick={() => change({ status: 'solved' }, t('case.statusChanged', { status: statusLabel('solved') }))}
              >
                {t('case.solve')}
              </button>
            )}
            {!closed && (
              <span className="case-header__actions">
                <button
                  ref={reorganize.splitButtonRef}
                  type="button"
                  className="button button--small"
                  aria-pressed={splitMode}
                  onClick={reorganize.toggleSplitMode}
                >
                  {t('split.mode')}
                </button>
                <button type="button" className="button button--small" onClick={reorganize.merge.show}>
                  {t('caseMerge.open')}
                </button>
                {kase.type !== 'dispute' && <NewDisputeButton kase={kase} onCreated={caseState.reload} />}
              </span>
            )}
          </div>
        )}
      </div>

      {kase && <CaseViewers live={caseLive} />}

      {stale && (
        <div className="notice notice--warning" role="alert">
          <p>
            <strong>{t('case.staleTitle')}</strong> {t('case.staleBody')}
          </p>
          <button type="button" className="button button--small" onClick={() => setStale(false)}>
            {t('common.dismiss')}
          </button>
        </div>
      )}

      {caseState.error !== undefined && !kase ? (
        <ErrorNotice error={caseState.error} onRetry={caseState.reload}>
          {isApiError(caseState.error) && caseState.error.status === 404 ? t('case.notFound', { number }) : undefined}
        </ErrorNotice>
      ) : !kase ? (
        <Loading />
      ) : (
        <div className="case-layout">
          <div className="case-layout__main">
            {kase.type === 'dispute' && <DisputePanel caseId={kase.id} />}
            <section aria-labelledby="conversation-heading">
              <h2 id="conversation-heading" className="section-heading">
                {t('case.conversation')}
              </h2>
              {messagesState.error !== undefined ? (
                <ErrorNotice error={messagesState.error} onRetry={messagesState.reload} />
              ) : !messagesState.data ? (
                <Loading />
              ) : (
                <>
                  {splitMode && !closed && (
                    <SplitBar
                      count={selected.size}
                      allSelected={!messagesState.data.nextCursor && selected.size >= messagesState.data.items.length}
                      onContinue={reorganize.split.show}
                      onCancel={reorganize.leaveSplitMode}
                    />
                  )}
                  <Conversation
                    messages={messagesState.data.items}
                    headingId="conversation-heading"
                    visitorReadMessageId={visitorReadMessageId}
                    selection={splitMode && !closed ? { selected, onToggle: reorganize.toggleMessage } : undefined}
                  />
                  {messagesState.data.nextCursor && (
                    <div className="load-more">
                      <button type="button" className="button" disabled={loadingOlder} onClick={() => void loadOlder()}>
                        {t('conversation.loadMore')}
                      </button>
                    </div>
                  )}
                </>
              )}
            </section>
            {closed ? (
              <p className="notice notice--info">{t('case.closedNoReply')}</p>
            ) : (
              <Composer
                mode={mode}
                onModeChange={setMode}
                caseStatus={kase.status}
                textareaRef={textareaRef}
                onSend={send}
                macros={{ caseId: kase.id, onApply: applyMacro }}
              />
            )}
          </div>
          <aside className="case-layout__side" aria-label={t('case.details')}>
            <CaseSidebar
              kase={kase}
              busy={saving}
              onChange={change}
              onFollow={follow}
              onMoneyAction={reloadEvents}
              onFollowupChange={() => {
                void refetchCase();
                reloadEvents();
              }}
            />
            <CustomerPanel customer={kase.customer} />
            <CaseHistory events={eventsState.data} error={eventsState.error} onRetry={eventsState.reload} />
            <CaseSentMail kase={kase} refreshKey={sentTick} />
          </aside>
        </div>
      )}

      {kase && (
        <>
          <SplitDialog
            open={reorganize.split.open}
            kase={kase}
            messageIds={[...selected]}
            onClose={reorganize.split.close}
            onSplit={reorganize.split.onSplit}
            onRefused={(code) => {
              if (code === 'case.split_unknown_messages') reorganize.clearSelection();
              void refetchCase();
              reloadMessages();
              reloadEvents();
            }}
          />
          <MergeDialog
            open={reorganize.merge.open}
            kase={kase}
            onClose={reorganize.merge.close}
            onMerged={reorganize.merge.onMerged}
            onRefused={() => {
              void refetchCase();
              reloadEvents();
            }}
          />
        </>
      )}
    </div>
  );
}
