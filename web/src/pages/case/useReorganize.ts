import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { CaseDetail } from '../../api/types';
import { useToast } from '../../components/Toasts';
import { t } from '../../i18n';
import { useViews } from '../../shell/ViewsContext';

interface ReorganizeOptions {
  /** The case number of the page (split mode ends when it changes). */
  number: string;
  /** The case on the page now. */
  current: () => CaseDetail | undefined;
  /** Another case was merged into this one: show the merged case and its new messages. */
  onMergedHere: (kase: CaseDetail) => void;
}

/**
 * Split mode (a selection of messages), the split and merge dialogs, and the move to the case that
 * results. The move waits until the dialog has closed: this effect runs after the dialog's own, so
 * the next page's heading takes the focus instead of the dialog handing it back to this page.
 */
export function useReorganize({ number, current, onMergedHere }: ReorganizeOptions) {
  const navigate = useNavigate();
  const { notify } = useToast();
  const { refreshViews } = useViews();
  const [splitMode, setSplitMode] = useState(false);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [splitOpen, setSplitOpen] = useState(false);
  const [mergeOpen, setMergeOpen] = useState(false);
  const [goTo, setGoTo] = useState<string | null>(null);
  const splitButtonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    setSplitMode(false);
    setSelected(new Set());
  }, [number]);

  useEffect(() => {
    if (!goTo || splitOpen || mergeOpen) return;
    setGoTo(null);
    void navigate(goTo);
  }, [goTo, splitOpen, mergeOpen, navigate]);

  const toggleMessage = useCallback((messageId: string) => {
    setSelected((list) => {
      const next = new Set(list);
      if (next.has(messageId)) next.delete(messageId);
      else next.add(messageId);
      return next;
    });
  }, []);

  const clearSelection = useCallback(() => setSelected(new Set()), []);

  function toggleSplitMode() {
    if (!splitMode) return setSplitMode(true);
    setSplitMode(false);
    setSelected(new Set());
  }

  function leaveSplitMode() {
    setSplitMode(false);
    setSelected(new Set());
    splitButtonRef.current?.focus();
  }

  function onSplit(created: CaseDetail) {
    const from = current()?.number;
    setSplitMode(false);
    setSelected(new Set());
    setSplitOpen(false);
    refreshViews();
    notify(t('split.done', { number: created.number, from: from ?? '' }));
    setGoTo(`/cases/${created.number}`);
  }

  function onMerged(target: CaseDetail, source: CaseDetail) {
    setMergeOpen(false);
    refreshViews();
    if (target.id === current()?.id) {
      onMergedHere(target);
      notify(t('caseMerge.doneIntoThis', { number: source.number }));
    } else {
      notify(t('caseMerge.doneIntoOther', { number: source.number, target: target.number }));
      setGoTo(`/cases/${target.number}`);
    }
  }

  return {
    splitMode,
    selected,
    splitButtonRef,
    toggleSplitMode,
    leaveSplitMode,
    toggleMessage,
    clearSelection,
    split: { open: splitOpen, show: () => setSplitOpen(true), close: () => setSplitOpen(false), onSplit },
    merge: { open: mergeOpen, show: () => setMergeOpen(true), close: () => setMergeOpen(false), onMerged },
  };
}
