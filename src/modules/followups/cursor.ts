import { decodeCursor } from '../../http/pagination.js';
import { validationError } from '../../platform/errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The (instant, id) keyset position of a follow-up list cursor; a tampered one is a 400. */
export function keysetAfter(raw: string | undefined): { at: Date; id: string } | undefined {
  const values = decodeCursor(raw, ['string', 'string']);
  if (!values) return undefined;
  const at = new Date(values[0] as string);
  const id = values[1] as string;
  if (Number.isNaN(at.getTime()) || !UUID.test(id)) {
    throw validationError('pagination.invalid_cursor', 'The cursor is not valid for this list; start again without it', {
      field: 'cursor',
    });
  }
  return { at, id };
}
