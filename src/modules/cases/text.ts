import { validationError } from '../../platform/errors.js';

/** Cleaning of the free text cases store: PostgreSQL refuses NUL characters, and limits hold after cleaning. */

export const MAX_BODY = 100_000;
export const MAX_SUBJECT = 300;
export const MAX_TAG = 50;
export const MAX_TAGS = 30;

export const stripNul = (text: string): string => text.replaceAll('\u0000', '');

export function cleanBody(text: string): string {
  const body = stripNul(text);
  if (body.trim().length === 0) throw validationError('case.message_empty', 'The message has no text', { field: 'body' });
  if (body.length > MAX_BODY)
    throw validationError('case.message_too_long', `The message is longer than ${MAX_BODY} characters`, { field: 'body' });
  return body;
}

export function cleanSubject(text: string): string {
  const subject = stripNul(text).trim();
  if (subject.length === 0) throw validationError('case.subject_empty', 'The subject is empty', { field: 'subject' });
  if (subject.length > MAX_SUBJECT)
    throw validationError('case.subject_too_long', `The subject is longer than ${MAX_SUBJECT} characters`, { field: 'subject' });
  return subject;
}

/** Tags are compared case-insensitively: stored trimmed, lower-cased and once each, in first-seen order. */
export function cleanTags(tags: readonly string[]): string[] {
  const result: string[] = [];
  for (const raw of tags) {
    const tag = stripNul(raw).trim().toLowerCase();
    if (tag.length === 0 || tag.length > MAX_TAG) {
      throw validationError('case.tag_invalid', `Tags must be 1 to ${MAX_TAG} characters`, {
        field: 'tags',
        tag: raw.slice(0, MAX_TAG + 10),
      });
    }
    if (!result.includes(tag)) result.push(tag);
  }
  if (result.length > MAX_TAGS) throw validationError('case.too_many_tags', `A case has at most ${MAX_TAGS} tags`, { field: 'tags' });
  return result;
}

export function tagDiff(before: readonly string[], after: readonly string[]): { added: string[]; removed: string[] } {
  return { added: after.filter((t) => !before.includes(t)), removed: before.filter((t) => !after.includes(t)) };
}
