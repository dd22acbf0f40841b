import { useEffect, useRef } from 'react';
import { t } from '../../i18n';

interface SplitBarProps {
  count: number;
  /** Every message of the case is selected: one must stay on it. */
  allSelected: boolean;
  onContinue: () => void;
  onCancel: () => void;
}

/** The instructions and actions of split mode, above the conversation. */
export function SplitBar({ count, allSelected, onContinue, onCancel }: SplitBarProps) {
  const introRef = useRef<HTMLParagraphElement>(null);

  // Entering split mode starts at the instructions, so screen-reader users learn what to do.
  useEffect(() => introRef.current?.focus(), []);

  return (
    <div className="split-bar" role="region" aria-label={t('split.barLabel')}>
      <p ref={introRef} tabIndex={-1} className="split-bar__intro">
        {t('split.instructions')}
      </p>
      <div className="split-bar__controls">
        <p className="split-bar__count" role="status">
          {t('split.selected', { count })}
          {allSelected && ` ${t('split.keepOne')}`}
        </p>
        <button type="button" className="button button--primary button--small" disabled={count === 0 || allSelected} onClick={onContinue}>
          {t('split.continue')}
        </button>
        <button type="button" className="button button--small" onClick={onCancel}>
          {t('split.cancel')}
        </button>
      </div>
    </div>
  );
}
