import { useEffect, useId, useState } from 'react';
import { slaPresets, type CasePreset } from '../../api/slaPresets';
import { errorText } from '../../components/Notice';
import { DateTime } from '../../components/Time';
import { useToast } from '../../components/Toasts';
import { t } from '../../i18n';

/**
 * The regulatory preset part of the case SLA panel: the preset's name, the business-day window
 * (FCA: summary resolution communication) and the required letters filled for this case, to copy
 * into a reply or a letter.
 */
export function CasePresetLetters({ caseId, refreshKey }: { caseId: string; refreshKey: string }) {
  const id = useId();
  const { notify } = useToast();
  const [view, setView] = useState<CasePreset | null>(null);
  const [error, setError] = useState<unknown>(undefined);

  useEffect(() => {
    const controller = new AbortController();
    slaPresets.ofCase(caseId, controller.signal).then(
      (loaded) => {
        if (controller.signal.aborted) return;
        setView(loaded);
        setError(undefined);
      },
      (err: unknown) => {
        if (!controller.signal.aborted) setError(err);
      },
    );
    return () => controller.abort();
  }, [caseId, refreshKey]);

  if (error !== undefined) return <p className="muted small">{errorText(error)}</p>;
  const preset = view?.preset;
  if (!preset) return null;
  const srcWindow = preset.business_day_window;

  async function copy(text: string, name: string) {
    try {
      await navigator.clipboard.writeText(text);
      notify(t('sla.preset.copied', { name }));
    } catch {
      notify(t('sla.preset.copyFailed'), 'error');
    }
  }

  return (
    <div className="sla-case-preset" data-testid="sla-case-preset" data-preset={preset.key}>
      <p className="small">
        <span className="badge badge--info">{t('sla.preset.badge')}</span> {preset.name}{' '}
        <span className="muted">({preset.regulation})</span>
      </p>
      {srcWindow && (
        <p className="small" data-testid="sla-src-window">
          {srcWindow.open ? t('sla.preset.windowOpen') : t('sla.preset.windowClosed')} <DateTime iso={srcWindow.ends_at} /> (
          {srcWindow.time_zone})
        </p>
      )}
      <details>
        <summary id={`${id}-letters`}>{t('sla.preset.requiredLetters')}</summary>
        <ul className="plain-list" aria-labelledby={`${id}-letters`}>
          {preset.letters.map((letter) => (
            <li key={letter.key} className="sla-case-preset__letter">
              <p className="small">
                <strong>{letter.name}</strong>
                <br />
                <span className="muted">{letter.when}</span>
              </p>
              <textarea
                readOnly
                rows={6}
                className="sla-case-preset__body"
                aria-label={t('sla.preset.letterText', { name: letter.name })}
                value={`${letter.subject}\n\n${letter.body}`}
              />
              <button
                type="button"
                className="button button--small"
                onClick={() => void copy(`${letter.subject}\n\n${letter.body}`, letter.name)}
              >
                {t('sla.preset.copy')}
                <span className="visually-hidden"> {letter.name}</span>
              </button>
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}
