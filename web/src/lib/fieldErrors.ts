import { isApiError, type ApiError } from '../api/http';
import { errorText } from '../components/Notice';
import { t } from '../i18n';

/** A form's errors: one message per field it can point at, and one for the form as a whole. */
export interface FormErrors<K extends string> {
  fields: Partial<Record<K, string>>;
  form: string | null;
}

export const NO_ERRORS: FormErrors<never> = { fields: {}, form: null };

export function hasErrors(errors: FormErrors<string>): boolean {
  return errors.form !== null || Object.keys(errors.fields).length > 0;
}

interface Problem {
  field: string;
  problem: string;
}

/**
 * The fields a failed request names: a 400 lists `details.fields: [{field, problem}]` (schema and
 * domain validation alike), a 409 or 422 about one input names it in `details.field`.
 */
function problemsOf(error: ApiError): Problem[] {
  const details = error.details as { field?: unknown; fields?: unknown } | null | undefined;
  const problems: Problem[] = [];
  if (Array.isArray(details?.fields)) {
    for (const item of details.fields as { field?: unknown; problem?: unknown }[]) {
      if (typeof item?.field === 'string')
        problems.push({ field: item.field, problem: typeof item.problem === 'string' ? item.problem : '' });
    }
  }
  if (problems.length === 0 && typeof details?.field === 'string') problems.push({ field: details.field, problem: '' });
  return problems;
}

/** The form field for a server path, or for its nearest parent (`tags.3` is shown at `tags`). */
function fieldFor<T>(fields: Record<string, T>, path: string): T | undefined {
  for (let p = path; p; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
    if (Object.hasOwn(fields, p)) return fields[p];
  }
  return undefined;
}

/**
 * Splits a failed request into messages next to the form's fields. `fields` maps the server's field
 * path (`value`, `postal_address.city`) to the form's key and the field's visible label; `known`
 * gives the catalog's wording for error codes the form knows. Anything no field can show goes to
 * the form as a whole.
 */
export function formErrorsOf<K extends string>(
  error: unknown,
  fields: Record<string, { key: K; label: string }>,
  known: (error: ApiError) => string | undefined = () => undefined,
): FormErrors<K> {
  if (!isApiError(error)) return { fields: {}, form: errorText(error) };
  const knownText = known(error);
  const out: Partial<Record<K, string>> = {};
  for (const { field, problem } of problemsOf(error)) {
    const target = fieldFor(fields, field);
    if (!target || out[target.key]) continue;
    out[target.key] = knownText ?? (problem ? t('form.problem', { label: target.label, problem }) : errorText(error));
  }
  if (Object.keys(out).length === 0) return { fields: {}, form: knownText ?? errorText(error) };
  return { fields: out, form: null };
}

/** Space-separated ids for aria-describedby, skipping the absent ones. */
export function describedBy(...ids: (string | false | null | undefined)[]): string | undefined {
  const list = ids.filter((id): id is string => Boolean(id));
  return list.length > 0 ? list.join(' ') : undefined;
}
