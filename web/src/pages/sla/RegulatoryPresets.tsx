import { useId, useState } from 'react';
import { slaPresets, type SlaPreset } from '../../api/slaPresets';
import { ErrorNotice, errorText, Loading } from '../../components/Notice';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { t } from '../../i18n';
import { formatTargetMinutes, metricLabel } from './format';

/**
 * Admin › SLA policies › Regulatory presets: ready policies for regulated billing complaints
 * (US Regulation Z, UK FCA) with what each sets, switched on and off here. Switched on, a
 * preset is an ordinary policy in the list above (first in order, editable).
 */
export function RegulatoryPresets({ onChanged }: { onChanged: () => void }) {
  const id = useId();
  const presets = useApi((signal) => slaPresets.list(signal), []);

  return (
    <section className="panel sla-presets" aria-labelledby={`${id}-heading`} data-testid="sla-presets">
      <h2 id={`${id}-heading`} className="panel__heading">
        {t('sla.preset.heading')}
      </h2>
      <p className="hint">{t('sla.preset.intro')}</p>
      {presets.error !== undefined && !presets.data ? (
        <ErrorNotice error={presets.error} onRetry={presets.reload} />
      ) : !presets.data ? (
        <Loading />
      ) : (
        <ul className="plain-list">
          {presets.data.data.map((preset) => (
            <li key={preset.key}>
              <PresetItem
                preset={preset}
                onChanged={() => {
                  presets.reload();
                  onChanged();
                }}
              />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function PresetItem({ preset, onChanged }: { preset: SlaPreset; onChanged: () => void }) {
  const id = useId();
  const { notify } = useToast();
  const [tag, setTag] = useState(preset.default_tag);
  const [busy, setBusy] = useState(false);
  const targets = (['first_reply', 'next_reply', 'resolution'] as const)
    .map((m) => ({ metric: m, minutes: preset.targets[`${m}_minutes`] }))
    .filter((x): x is { metric: 'first_reply' | 'next_reply' | 'resolution'; minutes: number } => x.minutes !== null);

  async function toggle() {
    setBusy(true);
    try {
      if (preset.enabled) {
        await slaPresets.disable(preset.key);
        notify(t('sla.preset.switchedOff', { name: preset.name }));
      } else {
        const trimmed = tag.trim();
        const result = await slaPresets.enable(preset.key, trimmed && trimmed !== preset.default_tag ? { tag: trimmed } : {});
        notify(
          result.macros.length > 0
            ? t('sla.preset.switchedOnWithMacros', { name: preset.name, count: result.macros.length })
            : t('sla.preset.switchedOn', { name: preset.name }),
        );
      }
      onChanged();
    } catch (err) {
      notify(errorText(err), 'error');
    } finally {
      setBusy(false);
    }
  }

  return (
    <article className="sla-preset" aria-labelledby={`${id}-name`} data-testid="sla-preset" data-preset={preset.key}>
      <h3 id={`${id}-name`} className="sla-preset__name">
        {preset.name} <span className="badge badge--neutral">{preset.jurisdiction}</span>{' '}
        {preset.enabled ? (
          <span className="badge badge--success">{t('sla.preset.on')}</span>
        ) : (
          <span className="badge badge--neutral">{t('sla.preset.off')}</span>
        )}
      </h3>
      <p className="muted small">{preset.regulation}</p>
      <p>{preset.description}</p>
      <ul className="plain-list small">
        {targets.map(({ metric, minutes }) => (
          <li key={metric}>
            {metricLabel(metric)}: <strong>{formatTargetMinutes(minutes)}</strong> ({t('sla.policy.calendar')})
          </li>
        ))}
        {preset.business_day_rule && <li>{preset.business_day_rule.description}</li>}
        <li>
          {t('sla.preset.escalations', {
            warning: formatTargetMinutes(preset.warning_minutes),
          })}
        </li>
        <li>{t('sla.preset.neverPauses')}</li>
      </ul>
      <details>
        <summary>{t('sla.preset.letters', { count: preset.letters.length })}</summary>
        <ul className="plain-list small">
          {preset.letters.map((letter) => (
            <li key={letter.key}>
              <strong>{letter.name}</strong>: {letter.when}
            </li>
          ))}
        </ul>
      </details>
      <div className="sla-row-actions">
        {!preset.enabled && (
          <div className="field field--inline">
            <label htmlFor={`${id}-tag`}>{t('sla.preset.tag')}</label>
            <input
              id={`${id}-tag`}
              type="text"
              maxLength={50}
              value={tag}
              aria-describedby={`${id}-tag-hint`}
              onChange={(e) => setTag(e.target.value)}
            />
            <span id={`${id}-tag-hint`} className="hint small">
              {t('sla.preset.tagHint')}
            </span>
          </div>
        )}
        <button
          type="button"
          role="switch"
          aria-checked={preset.enabled}
          className={preset.enabled ? 'button button--small' : 'button button--small button--primary'}
          disabled={busy}
          onClick={() => void toggle()}
        >
          {/* One name in both states (a switch announces its state itself: "Active ..., switch, on"). */}
          {t('sla.preset.active')}
          <span className="visually-hidden"> {preset.name}</span>
        </button>
      </div>
    </article>
  );
}
