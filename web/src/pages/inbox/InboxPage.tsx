import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { cases as casesApi, views as viewsApi } from '../../api/client';
import type { CaseFilters, CaseRow } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorNotice, errorText, Loading } from '../../components/Notice';
import { PageHeading } from '../../components/PageHeading';
import { useToast } from '../../components/Toasts';
import { isInteractive } from '../../hooks/keyboard';
import { t, type MessageKey } from '../../i18n';
import { useCoalesced, useLiveEvents } from '../../realtime/RealtimeContext';
import { useShortcuts } from '../../shell/shortcuts';
import { viewName } from '../../shell/SideNav';
import { useViews } from '../../shell/ViewsContext';
import { BulkActions } from './BulkActions';
import { CaseTable, caseLink } from './CaseTable';
import { FilterBar } from './FilterBar';
import { DEFAULT_SORT, PAGE_SIZE, SORT_OPTIONS, filtersFromParams, filtersFromView, paramsFromFilters, parseSort } from './filters';
import { SaveViewDialog } from './SaveViewDialog';

/** The API's largest page (limit <= 100). */
const MAX_PAGE_SIZE = 100;

const BUILTIN_NAMES: Record<string, MessageKey> = {
  my_open: 'view.my_open',
  unassigned: 'view.unassigned',
  all_open: 'view.all_open',
  recently_solved: 'view.recently_solved',
};

export function InboxPage() {
  const { viewId } = useParams();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const { notify } = useToast();
  const { views, refreshViews } = useViews();

  const view = viewId ? views.find((v) => v.id === viewId) : undefined;
  const filters: CaseFilters = viewId ? filtersFromView(view?.filters) : filtersFromParams(params);
  const sortParam = parseSort(params.get('sort'));
  const sort = sortParam ?? parseSort(view?.sort) ?? DEFAULT_SORT;
  const queryKey = viewId ? `view:${viewId}:${sortParam ?? ''}` : `cases:${params.toString()}`;

  const heading = viewId
    ? view
      ? viewName(view)
      : BUILTIN_NAMES[viewId]
        ? t(BUILTIN_NAMES[viewId])
        : t('view.fallback')
    : t('inbox.heading');

  const [rows, setRows] = useState<CaseRow[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [activeIndex, setActiveIndex] = useState(-1);
  const [reloadTick, setReloadTick] = useState(0);
  const [saveOpen, setSaveOpen] = useState(false);
  const [deleteOpen, setDeleteOpen] = useState(false);
  const linkRefs = useRef<(HTMLAnchorElement | null)[]>([]);

  const fetchPage = (cursor: string | undefined, signal?: AbortSignal, limit = PAGE_SIZE) =>
    viewId
      ? viewsApi.cases(viewId, { sort: sortParam, limit, cursor }, signal)
      : casesApi.list({ ...filters, sort, limit, cursor }, signal);

  // A live refresh refetches at least as many rows as the agent has loaded (pages 2, 3 ... stay on
  // screen), up to the API's page limit; a new list starts again with one page.
  const loadedRows = useRef(0);
  loadedRows.current = rows.length;
  const lastQueryKey = useRef(queryKey);

  useEffect(() => {
    const controller = new AbortController();
    const sameList = lastQueryKey.current === queryKey;
    lastQueryKey.current = queryKey;
    // One page more than was loaded: new arrivals at the top must not push loaded rows out.
    const limit = sameList && loadedRows.current > PAGE_SIZE ? Math.min(MAX_PAGE_SIZE, loadedRows.current + PAGE_SIZE) : PAGE_SIZE;
    setLoading(true);
    setError(undefined);
    fetchPage(undefined, controller.signal, limit).then(
      (page) => {
        setRows(page.data);
        setNextCursor(page.next_cursor);
        setLoading(false);
        // Keep the selection only for cases still on screen.
        setSelected((current) => new Set(page.data.filter((r) => current.has(r.id)).map((r) => r.id)));
        setActiveIndex((i) => Math.min(i, page.data.length - 1));
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setError(err);
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [queryKey, reloadTick]);

  // A new list (other view or filters) starts without selection or cursor.
  useEffect(() => {
    setSelected(new Set());
    setActiveIndex(-1);
  }, [queryKey]);

  async function loadMore() {
    if (!nextCursor) return;
    setLoadingMore(true);
    try {
      const page = await fetchPage(nextCursor);
      setRows((current) => {
        const seen = new Set(current.map((r) => r.id));
        return [...current, ...page.data.filter((r) => !seen.has(r.id))];
      });
      setNextCursor(page.next_cursor);
    } catch (err) {
      notify(errorText(err), 'error');
    } finally {
      setLoadingMore(false);
    }
  }

  function changeFilters(next: CaseFilters) {
    const nextParams = paramsFromFilters(next, sortParam ?? (viewId ? view?.sort : undefined));
    // A view's filters are fixed; refining one opens the ad-hoc list with its filters as a start.
    if (viewId) void navigate(`/?${nextParams.toString()}`);
    else setParams(nextParams);
  }

  function changeSort(value: string) {
    const next = new URLSearchParams(params);
    if (value === DEFAULT_SORT && !viewId) next.delete('sort');
    else next.set('sort', value);
    setParams(next);
  }

  function focusRow(index: number) {
    if (rows.length === 0) return;
    const clamped = Math.max(0, Math.min(rows.length - 1, index));
    setActiveIndex(clamped);
    linkRefs.current[clamped]?.focus();
  }

  useShortcuts({
    j: () => focusRow(activeIndex < 0 ? 0 : activeIndex + 1),
    k: () => focusRow(activeIndex < 0 ? 0 : activeIndex - 1),
    Enter: (event) => {
      const row = rows[activeIndex];
      if (!row || isInteractive(event.target)) return false;
      void navigate(caseLink(row));
    },
  });

  // New cases, messages, status and assignment changes: refetch the list (once per burst of events).
  const liveRefresh = useCoalesced(() => {
    setReloadTick((n) => n + 1);
    refreshViews();
  }, 500);
  useLiveEvents({ onEvent: (event) => event.event.startsWith('case.') && liveRefresh(), onResync: liveRefresh });

  const afterBulk = () => {
    refreshViews();
    setReloadTick((n) => n + 1);
    setSelected(new Set());
  };

  return (
    <div className="page page--wide">
      <div className="page-header">
        <PageHeading>{heading}</PageHeading>
        <div className="page-header__actions">
          <button type="button" className="button" onClick={() => setSaveOpen(true)}>
            {t('inbox.saveView')}
          </button>
          {view?.kind === 'saved' && (
            <button type="button" className="button button--danger-quiet" onClick={() => setDeleteOpen(true)}>
              {t('inbox.deleteView')}
            </button>
          )}
          <Link to="/cases/new" className="button button--primary">
            {t('nav.newCase')}
          </Link>
        </div>
      </div>

      {viewId && <p className="hint">{t('inbox.viewHint')}</p>}
      <FilterBar
        filters={filters}
        onChange={changeFilters}
        onClear={() => (viewId ? void navigate('/') : setParams(new URLSearchParams()))}
      />

      <div className="list-toolbar">
        <div className="field field--inline">
          <label htmlFor="inbox-sort">{t('inbox.sort')}</label>
          <select id="inbox-sort" value={sort} onChange={(e) => changeSort(e.target.value)}>
            {[...new Set([...SORT_OPTIONS, sort])].map((s) => (
              <option key={s} value={s}>
                {t(`sort.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <p className="list-toolbar__count" role="status">
          {loading ? '' : t('inbox.showing', { count: rows.length })}
        </p>
      </div>

      <BulkActions selectedIds={[...selected]} onDone={afterBulk} onClearSelection={() => setSelected(new Set())} />

      {error !== undefined ? (
        <ErrorNotice error={error} onRetry={() => setReloadTick((n) => n + 1)} />
      ) : loading && rows.length === 0 ? (
        <Loading />
      ) : rows.length === 0 ? (
        <p className="empty">{t('inbox.empty')}</p>
      ) : (
        <CaseTable
          caption={heading}
          rows={rows}
          selected={selected}
          onToggle={(id, on) =>
            setSelected((current) => {
              const next = new Set(current);
              if (on) next.add(id);
              else next.delete(id);
              return next;
            })
          }
          onToggleAll={(on) => setSelected(on ? new Set(rows.map((r) => r.id)) : new Set())}
          activeIndex={activeIndex}
          onActivate={setActiveIndex}
          linkRefs={linkRefs}
        />
      )}

      {nextCursor && !error && (
        <div className="load-more">
          <button type="button" className="button" disabled={loadingMore} onClick={() => void loadMore()}>
            {loadingMore ? t('common.loading') : t('inbox.loadMore')}
          </button>
        </div>
      )}

      <SaveViewDialog open={saveOpen} onClose={() => setSaveOpen(false)} filters={filters} sort={sort} />
      {view?.kind === 'saved' && (
        <ConfirmDialog
          open={deleteOpen}
          title={t('inbox.deleteViewTitle')}
          confirmLabel={t('inbox.deleteView')}
          danger
          onClose={() => setDeleteOpen(false)}
          onConfirm={async () => {
            await viewsApi.remove(view.id);
            refreshViews();
            notify(t('inbox.viewDeleted', { name: viewName(view) }));
            void navigate('/');
          }}
        >
          <p>{t('inbox.deleteViewBody', { name: viewName(view) })}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
