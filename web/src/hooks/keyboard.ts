/** Elements where typed characters are text, so single-key shortcuts must stay quiet. */
export function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'color', 'range', 'image'].includes(target.type);
  }
  return false;
}

/** Elements that do something on Enter themselves (links, buttons, form fields). */
export function isInteractive(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return Boolean(
    target.closest('a[href], button, input, select, textarea, summary, [role="button"], [role="tab"], [contenteditable="true"]'),
  );
}
