import { conflict, unprocessable } from '../../platform/errors.js';
import {
  normalizeLanguage,
  normalizePostalAddress,
  normalizeTags,
  normalizeTier,
  normalizeTimeZone,
  type PostalAddressInput,
} from './normalize.js';
import type { CorrespondenceFormat, IdentityKind, PreferredChannel } from './schema.js';
import type { CustomerPatch } from './store.js';

/** The editable profile of a customer (everything but identities), as services accept it. */
export interface ProfileInput {
  name?: string | undefined;
  organization?: string | undefined;
  postal_address?: PostalAddressInput | null | undefined;
  language?: string | undefined;
  time_zone?: string | undefined;
  preferred_channel?: PreferredChannel | undefined;
  correspondence_format?: CorrespondenceFormat | undefined;
  notes?: string | undefined;
  tags?: string[] | undefined;
  /** A lower-case slug; null removes the tier. */
  tier?: string | null | undefined;
}

/** Validates and normalizes the fields present; absent fields stay absent (a patch leaves them). */
export function normalizeProfile(input: ProfileInput): CustomerPatch {
  const patch: CustomerPatch = {};
  if (input.name !== undefined) patch.name = input.name.trim();
  if (input.organization !== undefined) patch.organization = input.organization.trim();
  if (input.postal_address !== undefined)
    patch.postal_address = input.postal_address === null ? null : normalizePostalAddress(input.postal_address);
  if (input.language !== undefined) patch.language = normalizeLanguage(input.language);
  if (input.time_zone !== undefined) patch.time_zone = normalizeTimeZone(input.time_zone);
  if (input.preferred_channel !== undefined) patch.preferred_channel = input.preferred_channel;
  if (input.correspondence_format !== undefined) patch.correspondence_format = input.correspondence_format;
  if (input.notes !== undefined) patch.notes = input.notes;
  if (input.tags !== undefined) patch.tags = normalizeTags(input.tags);
  if (input.tier !== undefined) patch.tier = input.tier === null ? null : normalizeTier(input.tier);
  return patch;
}

export function identityTaken(kind: IdentityKind, value: string, field: string, ownerId: string | undefined) {
  return conflict(
    'customer.identity_taken',
    `The ${kind === 'email' ? 'email address' : 'phone number'} ${value} already belongs to a customer`,
    {
      field,
      kind,
      value,
      ...(ownerId ? { customer_id: ownerId } : {}),
    },
  );
}

export const staleVersion = (currentVersion: number) =>
  conflict('customer.stale_version', 'Someone else changed this customer; reload it and apply your change again', {
    current_version: currentVersion,
  });

/** A merged customer is read-only: changes would be invisible and would break an exact undo. */
export const customerMerged = (mergedIntoId: string) =>
  unprocessable('customer.merged', 'This customer was merged into another; change that customer instead', { merged_into_id: mergedIntoId });
