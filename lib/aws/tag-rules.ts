import { ClusterSpec, joinPath, Problem } from '../model/index';
import { awsMessages } from './messages';
import { STACK_TAG_KEYS } from './tags';

/** AWS allows 50 tags per resource; the stack's own tags need the rest. */
export const AWS_MAX_TAGS_PER_RESOURCE = 50;
export const MAX_USER_TAGS = AWS_MAX_TAGS_PER_RESOURCE - STACK_TAG_KEYS.length;
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;
/** The characters AWS allows in tag keys and values, in every service. No `$`, so no `${...}`. */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** The distinct characters of `text` that a tag may not hold; [] when it is fine. */
export function disallowedTagCharacters(text: string): string[] {
  return TAG_TEXT.test(text) ? [] : [...new Set([...text].filter((c) => !TAG_TEXT.test(c)))];
}

/** Length in characters as AWS counts them (code points, not UTF-16 units). */
function characterCount(text: string): number {
  return [...text].length;
}

/** AWS tag rules; the stack adds its own tags, so it reserves their keys and part of the limit. */
export function validateTags(spec: ClusterSpec): Problem[] {
  const tags: unknown = spec.tags;
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) return [];
  const entries = Object.entries(tags);
  const problems: Problem[] = entries.flatMap(([key, value]) =>
    [tagKeyProblem(key), typeof value === 'string' ? tagValueProblem(value) : undefined]
      .filter((message) => message !== undefined)
      .map((message) => ({ path: joinPath('tags', key), message })),
  );
  if (entries.length > MAX_USER_TAGS) problems.unshift({ path: 'tags', message: awsMessages.tooManyTags(entries.length, MAX_USER_TAGS, STACK_TAG_KEYS) });
  return problems;
}

function tagKeyProblem(key: string): string | undefined {
  const length = characterCount(key);
  const bad = disallowedTagCharacters(key);
  if (length < 1 || length > MAX_TAG_KEY_LENGTH) return awsMessages.tagLength('key', key, length, `1-${MAX_TAG_KEY_LENGTH}`);
  if (bad.length > 0) return awsMessages.tagCharacters('key', key, bad);
  if (key.toLowerCase().startsWith('aws:')) return awsMessages.tagAwsPrefix(key);
  if ((STACK_TAG_KEYS as readonly string[]).includes(key)) return awsMessages.reservedTagKey(key, STACK_TAG_KEYS);
  return undefined;
}

function tagValueProblem(value: string): string | undefined {
  const length = characterCount(value);
  const bad = disallowedTagCharacters(value);
  if (length > MAX_TAG_VALUE_LENGTH) return awsMessages.tagLength('value', value, length, `0-${MAX_TAG_VALUE_LENGTH}`);
  if (bad.length > 0) return awsMessages.tagCharacters('value', value, bad);
  return undefined;
}
