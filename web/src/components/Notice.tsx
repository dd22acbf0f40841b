import type { ReactNode } from 'react';
import { isApiError } from '../api/http';
import { t } from '../i18n';

/** Validation errors carry `details.fields: [{field, problem}]`; name them so the agent can fix the input. */
function fieldProblems(details: unknown): string | null {
  const fields = (details as { fields?: unknown } | null | undefined)?.fields;
  if (!Array.isArray(fields) || fields.length === 0) return null;
  return fields
    .slice(0, 5)
    .map((f: { field?: unknown; problem?: unknown }) => [f.field, f.problem].filter((x) => typeof x === 'string' && x).join(' '))
    .filter(Boolean)
    .join('; ');
}

/** The message to show for a failed request: the server's text, or a generic one by status. */
export function errorText(error: unknown): string {
  if (isApiError(error)) {
    if (error.status === 0) return t('error.network');
    if (error.status === 403) return error.message || t('error.forbidden');
    if (error.status === 404) return t('error.notFound');
    if (error.status === 429) return t('error.rateLimited');
    if (error.status >= 500) return t('error.server');
    const fields = fieldProblems(error.details);
    return fields ? `${error.message} (${fields})` : error.message || t('error.generic');
  }
  return t('error.generic');
}

interface ErrorNoticeProps {
  error: unknown;
  onRetry?: () => void;
  children?: ReactNode;
}

/** A load failure inside the page, with a retry button. */
export function ErrorNotice({ error, onRetry, children }: ErrorNoticeProps) {
  return (
    <div className="notice notice--error" role="alert">
      <p>{children ?? errorText(error)}</p>
      {onRetry && (
        <button type="button" className="button button--small" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

export function Loading({ label }: { label?: string }) {
  return (
    <p className="loading" role="status">
      {label ?? t('common.loading')}
    </p>
  );
}
