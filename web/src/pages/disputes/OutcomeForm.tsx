import { useId, useState, type FormEvent } from 'react';
import { disputes as disputesApi, type Dispute, type DisputeOutcome } from '../../api/disputes';
import { FormError } from '../../components/FieldError';
import { errorText } from '../../components/Notice';
import { useToast } from '../../components/Toasts';
import { t } from '../../i18n';
import { outcomeLabel } from './DisputeBadges';

/** For disputes entered by hand: the agent records what the bank decided (Stripe ones arrive by webhook). */
export function OutcomeForm({ dispute, onRecorded }: { dispute: Dispute; onRecorded: () => void }) {
  const id = useId();
  const { notify } = useToast();
  const [outcome, setOutcome] = useState<DisputeOutcome>('won');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await disputesApi.recordOutcome(dispute.id, outcome);
      notify(t('dispute.outcomeRecorded', { outcome: outcomeLabel(outcome) }));
      onRecorded();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="outcome-form" aria-labelledby={`${id}-legend`} onSubmit={(e) => void submit(e)}>
      <fieldset>
        <legend id={`${id}-legend`}>{t('dispute.recordOutcome')}</legend>
        <div className="outcome-form__row">
          {(['won', 'lost'] as const).map((value) => (
            <label key={value} className="radio">
              <input type="radio" name={`${id}-outcome`} value={value} checked={outcome === value} onChange={() => setOutcome(value)} />
              <span>{outcomeLabel(value)}</span>
            </label>
          ))}
          <button type="submit" className="button button--small" disabled={busy}>
            {t('dispute.recordOutcome')}
          </button>
        </div>
      </fieldset>
      <FormError text={error} />
    </form>
  );
}
