import { t, type Locale } from '../../platform/i18n/index.js';
import { html, preformatted, type SafeHtml } from './html.js';
import type { FieldProblem } from './validation.js';

/**
 * Accessible form parts (WCAG 2.2 AA): every input has a <label>, hints and errors are tied to
 * it with aria-describedby, invalid inputs carry aria-invalid, and an error summary at the top
 * links to each problem and takes focus on load without JavaScript (autofocus).
 */

export const fieldId = (name: string) => `field-${name}`;

export function errorSummary<F extends string>(locale: Locale, problems: FieldProblem<F>[]): SafeHtml | '' {
  if (problems.length === 0) return '';
  return html`<div class="error-summary" tabindex="-1" autofocus aria-labelledby="error-summary-title">
    <h2 id="error-summary-title">${t(locale, 'error.summary_title')}</h2>
    <ul>
      ${problems.map((p) => html`<li><a href="#${fieldId(p.field)}">${t(locale, p.key, p.params)}</a></li>`)}
    </ul>
  </div>`;
}

export interface FieldOptions {
  locale: Locale;
  name: string;
  label: string;
  required?: boolean;
  hint?: string | undefined;
  problems: FieldProblem<string>[];
}

function fieldParts(o: FieldOptions) {
  const id = fieldId(o.name);
  const problem = o.problems.find((p) => p.field === o.name);
  const hintId = o.hint ? `${id}-hint` : undefined;
  const errorId = problem ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ');
  const marker = o.required
    ? html` <span class="req">(${t(o.locale, 'form.required')})</span>`
    : html` <span class="opt">(${t(o.locale, 'form.optional')})</span>`;
  return {
    id,
    label: html`<label for="${id}">${o.label}${marker}</label>`,
    hint: o.hint ? html`<p class="hint" id="${hintId}">${o.hint}</p>` : '',
    error: problem
      ? html`<p class="field-error" id="${errorId}">
          <span class="visually-hidden">${t(o.locale, 'error.prefix')}: </span>${t(o.locale, problem.key, problem.params)}
        </p>`
      : '',
    attrs: html`${describedBy ? html` aria-describedby="${describedBy}"` : ''}${problem ? html` aria-invalid="true"` : ''}${o.required ? html` required` : ''}`,
  };
}

export function inputField(
  o: FieldOptions & { type: 'text' | 'email'; value: string; maxLength: number; autocomplete?: string },
): SafeHtml {
  const f = fieldParts(o);
  return html`<div class="field">
    ${f.label}${f.hint}${f.error}
    <input
      type="${o.type}"
      id="${f.id}"
      name="${o.name}"
      value="${o.value}"
      maxlength="${o.maxLength}"
      ${o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''}${f.attrs}
    />
  </div>`;
}

export function textareaField(o: FieldOptions & { value: string; maxLength: number; rows?: number }): SafeHtml {
  const f = fieldParts(o);
  return html`<div class="field">
    ${f.label}${f.hint}${f.error}
    ${preformatted('textarea', html` id="${f.id}" name="${o.name}" rows="${o.rows ?? 8}" maxlength="${o.maxLength}"${f.attrs}`, o.value)}
  </div>`;
}

export function selectField(
  o: FieldOptions & { value: string; placeholder: string; options: { value: string; label: string }[] },
): SafeHtml {
  const f = fieldParts(o);
  return html`<div class="field">
    ${f.label}${f.hint}${f.error}
    <select id="${f.id}" name="${o.name}" ${f.attrs}>
      <option value="">${o.placeholder}</option>
      ${o.options.map((opt) => html`<option value="${opt.value}" ${opt.value === o.value ? html` selected` : ''}>${opt.label}</option>`)}
    </select>
  </div>`;
}

export function fileField(o: FieldOptions): SafeHtml {
  const f = fieldParts(o);
  return html`<div class="field">
    ${f.label}${f.hint}${f.error} <input type="file" id="${f.id}" name="${o.name}" multiple${f.attrs} />
  </div>`;
}
