import { useId, useRef, useState, type FormEvent } from 'react';
import { billingImport, IMPORT_KINDS, type ImportKind, type ImportReport } from '../../api/billing';
import { isApiError } from '../../api/http';
import { FieldError, FormError } from '../../components/FieldError';
import { errorText } from '../../components/Notice';
import { PageHeading } from '../../components/PageHeading';
import { useToast } from '../../components/Toasts';
import { t } from '../../i18n';
import { describedBy } from '../../lib/fieldErrors';
import './billing.css';

const KIND_LABEL = {
  accounts: 'billing.import.kind.accounts',
  invoices: 'billing.import.kind.invoices',
  payments: 'billing.import.kind.payments',
} as const;
const KIND_COLUMNS = {
  accounts: 'billing.import.columns.accounts',
  invoices: 'billing.import.columns.invoices',
  payments: 'billing.import.columns.payments',
} as const;

/** The largest file read into the form; the server refuses bigger bodies anyway. */
const MAX_FILE_BYTES = 5 * 1024 * 1024;

/**
 * Admin › Billing import: a CSV of accounts, invoices or payments. A check (dry run) comes first and
 * lists every refused row; the import writes all rows or none.
 */
export function BillingImportPage() {
  const id = useId();
  const { notify } = useToast();
  const reportRef = useRef<HTMLHeadingElement>(null);
  const [kind, setKind] = useState<ImportKind>('accounts');
  const [csv, setCsv] = useState('');
  const [fileError, setFileError] = useState<string | null>(null);
  const [csvError, setCsvError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<{ report: ImportReport; kind: ImportKind; csv: string } | null>(null);

  const checkedClean =
    report !== null && report.report.dry_run && report.report.rejected.length === 0 && report.kind === kind && report.csv === csv;

  async function readFile(file: File | undefined) {
    setFileError(null);
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) return setFileError(t('billing.import.fileTooLarge'));
    try {
      setCsv(await file.text());
      setReport(null);
    } catch {
      setFileError(t('billing.import.fileUnreadable'));
    }
  }

  async function run(dryRun: boolean) {
    setError(null);
    if (!csv.trim()) {
      setCsvError(t('billing.import.csvRequired'));
      document.getElementById(`${id}-csv`)?.focus();
      return;
    }
    setCsvError(null);
    setBusy(true);
    try {
      const result = await billingImport.run(kind, csv, dryRun);
      setReport({ report: result, kind, csv });
      if (!dryRun && result.rejected.length === 0) notify(t('billing.import.done', { count: result.accepted }));
      window.setTimeout(() => reportRef.current?.focus(), 0);
    } catch (err) {
      // Any refused row refuses the whole import: the report comes with the error.
      const details = isApiError(err) && err.code === 'billing.import_rejected' ? (err.details as ImportReport | undefined) : undefined;
      if (details && Array.isArray(details.rejected)) {
        setReport({ report: { ...details, dry_run: false }, kind, csv });
        window.setTimeout(() => reportRef.current?.focus(), 0);
      } else {
        setError(errorText(err));
      }
    } finally {
      setBusy(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(true);
  }

  return (
    <div className="page billing-admin">
      <PageHeading>{t('billing.import.heading')}</PageHeading>
      <p className="hint">{t('billing.import.intro')}</p>
      <form className="form panel" onSubmit={submit} noValidate>
        <fieldset className="billing-kinds">
          <legend>{t('billing.import.kind')}</legend>
          {IMPORT_KINDS.map((k) => (
            <label key={k} className="checkbox">
              <input type="radio" name={`${id}-kind`} value={k} checked={kind === k} onChange={() => setKind(k)} />
              <span>{t(KIND_LABEL[k])}</span>
            </label>
          ))}
          <p className="hint">{t(KIND_COLUMNS[kind])}</p>
          <p className="hint">{t('billing.import.formatHint')}</p>
        </fieldset>
        <div className="field">
          <label htmlFor={`${id}-file`}>{t('billing.import.file')}</label>
          <input
            id={`${id}-file`}
            type="file"
            accept=".csv,text/csv,text/plain"
            aria-invalid={fileError ? true : undefined}
            aria-describedby={describedBy(fileError && `${id}-file-error`)}
            onChange={(e) => void readFile(e.target.files?.[0])}
          />
          <FieldError id={`${id}-file-error`} text={fileError} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-csv`}>{t('billing.import.csv')}</label>
          <textarea
            id={`${id}-csv`}
            rows={10}
            spellCheck={false}
            className="billing-csv"
            value={csv}
            aria-invalid={csvError ? true : undefined}
            aria-describedby={describedBy(`${id}-csv-hint`, csvError && `${id}-csv-error`)}
            onChange={(e) => setCsv(e.target.value)}
          />
          <span id={`${id}-csv-hint`} className="hint">
            {t('billing.import.csvHint')}
          </span>
          <FieldError id={`${id}-csv-error`} text={csvError} />
        </div>
        <FormError text={error} />
        <div className="form__actions">
          <button type="submit" className="button" disabled={busy}>
            {t('billing.import.check')}
          </button>
          <button
            type="button"
            className="button button--primary"
            disabled={busy || !checkedClean}
            aria-describedby={`${id}-import-hint`}
            onClick={() => void run(false)}
          >
            {t('billing.import.run')}
          </button>
        </div>
        <p id={`${id}-import-hint`} className="hint">
          {checkedClean ? t('billing.import.readyHint') : t('billing.import.checkFirstHint')}
        </p>
      </form>

      {report && (
        <section className="panel" aria-labelledby={`${id}-report`}>
          <h2 id={`${id}-report`} ref={reportRef} tabIndex={-1} className="panel__heading">
            {report.report.dry_run ? t('billing.import.checkReport') : t('billing.import.importReport')}
          </h2>
          <ImportSummary report={report.report} />
          {report.report.rejected.length > 0 && (
            <div className="table-wrap">
              <table className="table table--compact">
                <caption className="visually-hidden">{t('billing.import.rejectedRows')}</caption>
                <thead>
                  <tr>
                    <th scope="col" className="num">
                      {t('billing.import.col.row')}
                    </th>
                    <th scope="col">{t('billing.import.col.field')}</th>
                    <th scope="col">{t('billing.import.col.message')}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.report.rejected.flatMap((row) =>
                    (row.errors.length > 0 ? row.errors : [{ field: '', code: '', message: '' }]).map((e, i) => (
                      <tr key={`${row.row}-${i}`} data-testid="import-rejected-row" data-row={row.row}>
                        <th scope="row" className="num">
                          {row.row}
                        </th>
                        <td>
                          <code>{e.field || '—'}</code>
                        </td>
                        <td className="break">{e.message || e.code}</td>
                      </tr>
                    )),
                  )}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
    </div>
  );
}

function ImportSummary({ report }: { report: ImportReport }) {
  const rejected = report.rejected.length;
  if (rejected > 0) {
    return (
      <p className="notice notice--error">
        {report.dry_run
          ? t('billing.import.wouldReject', { count: rejected })
          : t('billing.import.rejectedNothingWritten', { count: rejected })}
      </p>
    );
  }
  return (
    <p className="notice notice--success">
      {report.dry_run
        ? t('billing.import.wouldImport', { count: report.accepted })
        : t('billing.import.imported', { count: report.accepted })}
    </p>
  );
}
