// The one place a Bird path is built: every path parameter a checked UUID; plus the query-string encoding.

import { BirdError } from './errors.ts';
import type { PageParams } from './types.ts';

/** `'/a/{x}/b/{y}'` → `'x' | 'y'`. */
export type PathParams<T extends string> = T extends `${string}{${infer P}}${infer Rest}` ? P | PathParams<Rest> : never;

export type Ids<K extends string> = { [P in K]: string };

/** Any UUID version, either case. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function invalidId(method: string, route: string, what: string): BirdError {
  // The offending value is left out on purpose: it is caller input and could be anything, even a key.
  return new BirdError({ code: 'INVALID_ID', message: `${method} ${route}: ${what} is not a UUID`, method, route, attempts: 0 });
}

/** The id in canonical (lower-case) form; UUIDs are case-insensitive on input and Bird's are lower-case. */
export function checkedUuid(value: unknown, method: string, route: string, what: string): string {
  if (typeof value !== 'string' || !UUID.test(value)) throw invalidId(method, route, what);
  return value.toLowerCase();
}

/**
 * Every parameter must be a UUID: escaping is not enough, because `encodeURIComponent('..')` is `'..'` and the URL
 * parser turns `/channels/../messages` (and `%2e%2e`) into `/messages`, so a crafted id could reach another endpoint
 * with the caller's key. A UUID needs no escaping.
 */
export function buildPath<T extends string>(method: string, template: T, params: Ids<PathParams<T>>): string {
  const parts = templateParts(template);
  let path = parts[0] as string;
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i] as string;
    path += checkedUuid((params as Record<string, unknown>)[name], method, template, name) + (parts[i + 1] as string);
  }
  return path;
}

/** Each template split once into [text, name, text, name, …, text]: a path is built on every call to Bird. */
const splitTemplates = new Map<string, readonly string[]>();
function templateParts(template: string): readonly string[] {
  let parts = splitTemplates.get(template);
  if (parts === undefined) splitTemplates.set(template, (parts = template.split(/\{(\w+)\}/)));
  return parts;
}

export type QueryValue = string | number | boolean | readonly string[] | undefined;

/** Undefined is omitted, booleans are 'true'/'false', arrays become repeated keys (`a=1&a=2`). */
export function queryString(entries: readonly (readonly [string, QueryValue])[]): string {
  const search = new URLSearchParams();
  for (const [name, value] of entries) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) search.append(name, item);
    else search.append(name, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

export function pageQuery(params: PageParams): [string, QueryValue][] {
  return [
    ['limit', params.limit],
    ['pageToken', params.pageToken],
    ['reverse', params.reverse],
  ];
}
