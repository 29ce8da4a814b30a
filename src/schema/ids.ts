// Parsing the key inside a global ID: the part count and a UUID check of every part, before any URL is built.
import { badUserInput } from '../errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** Splits a node key into exactly `parts` UUIDs, or fails as BAD_USER_INPUT ("Invalid ID."). */
export function parseNodeKey(key: string, parts: number): string {
  const values = key.split(':');
  if (values.length !== parts || !values.every(isUuid)) throw badUserInput('Invalid ID.', { argument: 'id' });
  return values.map((value) => value.toLowerCase()).join(':');
}

/** Keys are stored lower-case so that the same resource asked for in two spellings is loaded once. */
export function normalizeUuid(value: string): string {
  return value.toLowerCase();
}
