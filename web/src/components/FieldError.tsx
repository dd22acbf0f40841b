import { useEffect, type RefObject } from 'react';

/**
 * The error under one form field. Its id goes into the field's aria-describedby (read with the
 * field) and it is an alert, so the message is announced when it appears.
 */
export function FieldError({ id, text }: { id: string; text: string | undefined | null }) {
  if (!text) return null;
  return (
    <p id={id} className="field-error" role="alert">
      {text}
    </p>
  );
}

/** The form-level error (one that no single field can show). */
export function FormError({ text }: { text: string | null | undefined }) {
  if (!text) return null;
  return (
    <p className="form-error" role="alert">
      {text}
    </p>
  );
}

/**
 * After a refused submit, moves focus to the first field marked invalid so the agent can fix it
 * right away. `errors` must be a new object on every refusal.
 */
export function useFocusFirstInvalid(container: RefObject<HTMLElement | null>, errors: unknown): void {
  useEffect(() => {
    if (!errors) return;
    container.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [container, errors]);
}
