import { isApiError } from '../../api/http';
import { errorText } from '../../components/Notice';

/** Server field errors keyed by the form's field path; what no field shows goes to `form`. */
export interface PathErrors {
  fields: Record<string, string>;
  form: string | null;
}

export const NO_PATH_ERRORS: PathErrors = { fields: {}, form: null };

/** `weekly.mon[1].start` -> `weekly.mon[1]` -> `weekly.mon` -> `weekly`. */
function parentOf(path: string): string {
  const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
  return cut > 0 ? path.slice(0, cut) : '';
}

/**
 * Maps a failed save onto the form's fields: every `details.fields[{field, problem}]` (or the one
 * `details.field` of a 409/422) is shown at the field with that path, or at its nearest parent the
 * form has (`shown` lists the paths the form renders an error slot for).
 */
export function pathErrorsOf(error: unknown, shown: (path: string) => boolean): PathErrors {
  if (!isApiError(error)) return { fields: {}, form: errorText(error) };
  const details = error.details as { field?: unknown; fields?: unknown } | null | undefined;
  const problems: { field: string; problem: string }[] = [];
  if (Array.isArray(details?.fields)) {
    for (const item of details.fields as { field?: unknown; problem?: unknown }[]) {
      if (typeof item?.field === 'string')
        problems.push({ field: item.field, problem: typeof item.problem === 'string' ? item.problem : '' });
    }
  }
  if (problems.length === 0 && typeof details?.field === 'string') problems.push({ field: details.field, problem: error.message });
  const fields: Record<string, string> = {};
  let unplaced = false;
  for (const { field, problem } of problems) {
    // Schema errors name list items with dots (weekly.mon.0.start), the domain checks with brackets.
    let path = field.replace(/\.(\d+)(?=\.|$)/g, '[$1]');
    while (path && !shown(path)) path = parentOf(path);
    if (!path) {
      unplaced = true;
      continue;
    }
    fields[path] ??= problem || error.message;
  }
  return { fields, form: unplaced || Object.keys(fields).length === 0 ? errorText(error) : null };
}
