import { useId, useRef, useState, type FormEvent } from 'react';
import { billingSettings, type ApprovalLimit, type ApprovalLimits } from '../../api/billing';
import { isApiError } from '../../api/http';
import { AGENT_ROLES, type AgentRole } from '../../api/types';
import { FieldError, FormError } from '../../components/FieldError';
import { ErrorNotice, errorText, Loading } from '../../components/Notice';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { roleLabel, t } from '../../i18n';
import { describedBy } from '../../lib/fieldErrors';
import { amountProblemText, currencyExponent, minorToMajorString, parseAmount } from './money';

interface Row {
  key: number;
  role: AgentRole;
  currency: string;
  amount: string;
}

type RowErrors = Record<number, { currency?: string; amount?: string; row?: string }>;

let nextKey = 1;
const rowOf = (limit: ApprovalLimit): Row => ({
  key: nextKey++,
  role: limit.role,
  currency: limit.currency,
  amount: minorToMajorString(limit.max_minor, limit.currency),
});

/** How much each role may refund or credit without a second person, per currency. */
export function ApprovalLimitsSection() {
  const state = useApi((signal) => billingSettings.limits(signal), []);
  return (
    <section className="panel admin-section" aria-labelledby="billing-limits-heading">
      <h2 id="billing-limits-heading" className="panel__heading">
        {t('billing.limits.heading')}
      </h2>
      {state.error !== undefined && !state.data ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : !state.data ? (
        <Loading />
      ) : (
        <LimitsForm initial={state.data} onSaved={(saved) => state.setData(saved)} />
      )}
    </section>
  );
}

/** The row index a server error names: `limits.3.currency` (schema) or `limits[3]` (domain). */
function rowIndexOf(field: unknown): number | undefined {
  const match = typeof field === 'string' ? /^limits(?:\.|\[)(\d+)/.exec(field) : null;
  return match ? Number(match[1]) : undefined;
}

function LimitsForm({ initial, onSaved }: { initial: ApprovalLimits; onSaved: (saved: ApprovalLimits) => void }) {
  const id = useId();
  const { notify } = useToast();
  const tableRef = useRef<HTMLTableElement>(null);
  const addRef = useRef<HTMLButtonElement>(null);
  const [rows, setRows] = useState<Row[]>(() => initial.limits.map(rowOf));
  const [rowErrors, setRowErrors] = useState<RowErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const update = (key: number, changes: Partial<Row>) => setRows((list) => list.map((r) => (r.key === key ? { ...r, ...changes } : r)));

  function focusFirstInvalid() {
    window.setTimeout(() => tableRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problems: RowErrors = {};
    const limits: ApprovalLimit[] = [];
    rows.forEach((row, index) => {
      const currency = row.currency.trim().toUpperCase();
      const problem: RowErrors[number] = {};
      if (!/^[A-Z]{3}$/.test(currency)) problem.currency = t('billing.limits.currencyInvalid');
      // Without a valid currency the amount is still checked for its form (as if in EUR).
      const amountCurrency = /^[A-Z]{3}$/.test(currency) ? currency : 'EUR';
      const parsed = parseAmount(row.amount, amountCurrency);
      let maxMinor = 0;
      if ('minor' in parsed) maxMinor = parsed.minor;
      else if (parsed.problem !== 'zero')
        problem.amount =
          parsed.problem === 'empty' ? t('billing.limits.amountRequired') : amountProblemText(parsed.problem, amountCurrency);
      if (Object.keys(problem).length > 0) problems[index] = problem;
      else limits.push({ role: row.role, currency, max_minor: maxMinor });
    });
    const seen = new Map<string, number>();
    rows.forEach((row, index) => {
      const k = `${row.role}:${row.currency.trim().toUpperCase()}`;
      if (seen.has(k) && !problems[index]) problems[index] = { row: t('billing.limits.duplicate') };
      seen.set(k, index);
    });
    setFormError(null);
    setRowErrors(problems);
    if (Object.keys(problems).length > 0) return focusFirstInvalid();

    setBusy(true);
    try {
      const saved = await billingSettings.saveLimits(limits);
      onSaved(saved);
      setRows(saved.limits.map(rowOf));
      notify(t('billing.limits.saved'));
    } catch (err) {
      if (isApiError(err)) {
        const details = err.details as { field?: unknown; fields?: { field?: unknown; problem?: unknown }[] } | undefined;
        const named = [details?.field, ...(details?.fields ?? []).map((f) => f.field)];
        const index = named.map(rowIndexOf).find((i) => i !== undefined);
        if (index !== undefined && index < rows.length) {
          setRowErrors({ [index]: { row: errorText(err) } });
          return focusFirstInvalid();
        }
      }
      setFormError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const defaults = initial.defaults.map((d) => `${roleLabel(d.role)} ${d.max_minor}`).join(', ');

  return (
    <form className="form" onSubmit={submit} noValidate>
      <p className="hint">{t('billing.limits.intro')}</p>
      <p className="hint">{t('billing.limits.defaults', { list: defaults })}</p>
      {rows.length === 0 ? (
        <p className="muted">{t('billing.limits.none')}</p>
      ) : (
        <div className="table-wrap">
          <table ref={tableRef} className="table table--compact limits-table">
            <caption className="visually-hidden">{t('billing.limits.heading')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('billing.limits.role')}</th>
                <th scope="col">{t('billing.limits.currency')}</th>
                <th scope="col">{t('billing.limits.max')}</th>
                <th scope="col">{t('billing.limits.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => {
                const e = rowErrors[index] ?? {};
                const rowId = `${id}-${row.key}`;
                const n = index + 1;
                const code = row.currency.trim().toUpperCase();
                return (
                  <tr key={row.key}>
                    <td>
                      <select
                        aria-label={t('billing.limits.roleOfRow', { n })}
                        value={row.role}
                        aria-invalid={e.row ? true : undefined}
                        aria-describedby={describedBy(e.row && `${rowId}-row`)}
                        onChange={(ev) => update(row.key, { role: ev.target.value as AgentRole })}
                      >
                        {AGENT_ROLES.map((role) => (
                          <option key={role} value={role}>
                            {roleLabel(role)}
                          </option>
                        ))}
                      </select>
                      <FieldError id={`${rowId}-row`} text={e.row} />
                    </td>
                    <td>
                      <input
                        type="text"
                        aria-label={t('billing.limits.currencyOfRow', { n })}
                        value={row.currency}
                        maxLength={3}
                        size={5}
                        autoComplete="off"
                        spellCheck={false}
                        aria-invalid={e.currency ? true : undefined}
                        aria-describedby={describedBy(e.currency && `${rowId}-currency`)}
                        onChange={(ev) => update(row.key, { currency: ev.target.value.toUpperCase() })}
                      />
                      <FieldError id={`${rowId}-currency`} text={e.currency} />
                    </td>
                    <td>
                      <input
                        type="text"
                        inputMode={/^[A-Z]{3}$/.test(code) && currencyExponent(code) === 0 ? 'numeric' : 'decimal'}
                        aria-label={t('billing.limits.maxOfRow', { n })}
                        value={row.amount}
                        maxLength={20}
                        size={12}
                        autoComplete="off"
                        aria-invalid={e.amount ? true : undefined}
                        aria-describedby={describedBy(e.amount && `${rowId}-amount`)}
                        onChange={(ev) => update(row.key, { amount: ev.target.value })}
                      />
                      <FieldError id={`${rowId}-amount`} text={e.amount} />
                    </td>
                    <td>
                      <button
                        type="button"
                        className="button button--small button--danger-quiet"
                        onClick={() => {
                          setRows((list) => list.filter((r) => r.key !== row.key));
                          setRowErrors({});
                          addRef.current?.focus();
                        }}
                      >
                        {t('billing.limits.remove')}
                        <span className="visually-hidden"> {t('billing.limits.rowName', { n })}</span>
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <FormError text={formError} />
      <div className="form__actions">
        <button
          ref={addRef}
          type="button"
          className="button"
          onClick={() => {
            setRows((list) => [...list, { key: nextKey++, role: 'agent', currency: list.at(-1)?.currency ?? 'EUR', amount: '' }]);
            // The new row's first control: the role of the last row once rendered.
            window.setTimeout(() => tableRef.current?.querySelector<HTMLElement>('tbody tr:last-child select')?.focus(), 0);
          }}
        >
          {t('billing.limits.add')}
        </button>
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t('common.saving') : t('billing.limits.save')}
        </button>
      </div>
    </form>
  );
}
