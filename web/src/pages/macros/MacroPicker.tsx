import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { macros as macrosApi, type FieldChange, type Macro, type MacroPreview } from '../../api/macros';
import { errorText } from '../../components/Notice';
import { humanize, priorityLabel, statusLabel, categoryLabel, t } from '../../i18n';
import type { CaseCategory, CasePriority, CaseStatus } from '../../api/types';
import './macros.css';

interface MacroPickerProps {
  caseId: string;
  /** Applies the macro; resolves when done (the picker then closes). */
  onApply: (macro: Macro) => Promise<void>;
  disabled?: boolean;
}

const SEARCH_DELAY_MS = 200;
const PREVIEW_DELAY_MS = 250;

/**
 * The composer's "Macros" button: a searchable list (WAI-ARIA combobox with a listbox popup).
 * Type to search, arrows move, Enter applies, Escape closes; the focused macro is previewed
 * (rendered reply and field changes) before anything changes.
 */
export function MacroPicker({ caseId, onApply, disabled }: MacroPickerProps) {
  const id = useId();
  const listId = `${id}-list`;
  const optionId = (macroId: string) => `${id}-opt-${macroId}`;
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [items, setItems] = useState<Macro[] | null>(null);
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [preview, setPreview] = useState<MacroPreview | null>(null);
  const [applying, setApplying] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const popoverRef = useRef<HTMLDivElement>(null);

  // Search as the agent types (shared macros and their own).
  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      macrosApi.list({ q: query.trim() || undefined }, controller.signal).then(
        (page) => {
          setItems(page.data);
          setActive(0);
          setError(null);
        },
        (err: unknown) => {
          if (!controller.signal.aborted) setError(errorText(err));
        },
      );
    }, SEARCH_DELAY_MS);
    return () => {
      controller.abort();
      window.clearTimeout(timer);
    };
  }, [open, query]);

  const current = items?.[active];

  // Preview the focused macro for this case.
  useEffect(() => {
    setPreview(null);
    if (!open || !current) return;
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      macrosApi.preview(caseId, current.id, controller.signal).then(
        (result) => setPreview(result),
        () => undefined,
      );
    }, PREVIEW_DELAY_MS);
    return () => {
      controller.abort();
      window.clearTimeout(timer);
    };
  }, [open, caseId, current]);

  useEffect(() => {
    if (open) inputRef.current?.focus();
  }, [open]);

  // Clicking outside closes the list.
  useEffect(() => {
    if (!open) return;
    const onDown = (event: MouseEvent) => {
      if (!popoverRef.current?.contains(event.target as Node) && event.target !== buttonRef.current) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  function close() {
    setOpen(false);
    setQuery('');
    setItems(null);
    buttonRef.current?.focus();
  }

  async function apply(macro: Macro | undefined) {
    if (!macro || applying) return;
    setApplying(true);
    try {
      await onApply(macro);
      setOpen(false);
      setQuery('');
      setItems(null);
    } finally {
      setApplying(false);
    }
  }

  function onKey(event: KeyboardEvent<HTMLInputElement>) {
    const count = items?.length ?? 0;
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        if (count > 0) setActive((n) => (n + 1) % count);
        break;
      case 'ArrowUp':
        event.preventDefault();
        if (count > 0) setActive((n) => (n - 1 + count) % count);
        break;
      case 'Home':
        if (count > 0) {
          event.preventDefault();
          setActive(0);
        }
        break;
      case 'End':
        if (count > 0) {
          event.preventDefault();
          setActive(count - 1);
        }
        break;
      case 'Enter':
        event.preventDefault();
        void apply(current);
        break;
      case 'Escape':
        event.preventDefault();
        event.stopPropagation();
        close();
        break;
    }
  }

  // Keep the active option in view while arrowing through a long list.
  useEffect(() => {
    if (current) document.getElementById(`${id}-opt-${current.id}`)?.scrollIntoView?.({ block: 'nearest' });
  }, [id, current]);

  return (
    <div className="macro-picker">
      <button
        ref={buttonRef}
        type="button"
        className="button button--small"
        aria-haspopup="listbox"
        aria-expanded={open}
        aria-controls={open ? `${id}-popover` : undefined}
        disabled={disabled}
        onClick={() => (open ? close() : setOpen(true))}
      >
        {t('macros.button')}
      </button>
      {open && (
        <div ref={popoverRef} id={`${id}-popover`} className="macro-picker__popover" data-testid="macro-picker">
          <label htmlFor={`${id}-search`} className="visually-hidden">
            {t('macros.search')}
          </label>
          <input
            ref={inputRef}
            id={`${id}-search`}
            className="macro-picker__search"
            type="text"
            role="combobox"
            autoComplete="off"
            placeholder={t('macros.searchPlaceholder')}
            aria-expanded={items !== null && items.length > 0}
            aria-controls={listId}
            aria-autocomplete="list"
            aria-activedescendant={current ? optionId(current.id) : undefined}
            aria-describedby={`${id}-hint`}
            value={query}
            maxLength={200}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={onKey}
          />
          <p id={`${id}-hint`} className="muted small">
            {t('macros.keyboardHint')}
          </p>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <ul id={listId} role="listbox" aria-label={t('macros.listLabel')} className="macro-picker__list">
            {items?.map((macro, index) => (
              <li
                key={macro.id}
                id={optionId(macro.id)}
                role="option"
                aria-selected={index === active}
                className="macro-picker__option"
                onMouseEnter={() => setActive(index)}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => void apply(macro)}
              >
                <span>{macro.name}</span> <span className="muted small">{macro.shared ? t('macros.shared') : t('macros.personal')}</span>
              </li>
            ))}
          </ul>
          <p className="visually-hidden" aria-live="polite">
            {items === null ? '' : t('macros.count', { count: items.length })}
          </p>
          {items !== null && items.length === 0 && <p className="muted small">{t('macros.none')}</p>}
          {current && (
            <div
              className="macro-picker__preview"
              data-testid="macro-preview"
              aria-label={t('macros.previewLabel', { name: current.name })}
            >
              {preview && preview.macro.id === current.id ? (
                <>
                  <div>{preview.body || <span className="muted">{t('macros.noReply')}</span>}</div>
                  {preview.changes.length > 0 && (
                    <ul className="macro-picker__changes small">
                      {preview.changes.map((change) => (
                        <li key={change.field}>{describeChange(change)}</li>
                      ))}
                    </ul>
                  )}
                </>
              ) : (
                <span className="muted small">{t('common.loading')}</span>
              )}
            </div>
          )}
          {applying && <p className="muted small">{t('macros.applying')}</p>}
        </div>
      )}
    </div>
  );
}

function describeChange(change: FieldChange): string {
  const to = change.to;
  switch (change.field) {
    case 'status':
      return t('macros.change.status', { to: statusLabel(to as CaseStatus) });
    case 'priority':
      return t('macros.change.priority', { to: priorityLabel(to as CasePriority) });
    case 'category':
      return t('macros.change.category', { to: categoryLabel(to as CaseCategory) });
    case 'assignee_id':
      return to ? t('macros.change.assignee') : t('macros.change.unassign');
    case 'tags':
      return t('macros.change.tags', { tags: Array.isArray(to) ? to.join(', ') : '' });
    default:
      return humanize(change.field);
  }
}
