// Small fetch helpers shared by the emulator contract tests (test/unit/emulator-*.test.ts).
import { SEED } from '../../src/emulator/seed.ts';
import type { Emulator } from '../../src/emulator/server.ts';

export const KEY = SEED.accessKeys.demo;
export const WS = SEED.workspaces.main.id;
export const WS2 = SEED.workspaces.second.id;
export const SMS = SEED.channels.sms.id;

export interface Res<T> {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON, or undefined when the body is empty or not JSON. */
  body: T;
}

export type QueryInput = Record<string, string | number | boolean | (string | number)[]>;

export interface CallOptions {
  /** Access key; null sends no Authorization header. Default: the demo key. */
  key?: string | null;
  scheme?: string;
  query?: QueryInput;
  body?: unknown;
  headers?: Record<string, string>;
}

export function withQuery(path: string, query: QueryInput = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    for (const item of Array.isArray(v) ? v : [v]) params.append(k, String(item));
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

export async function call<T = any>(e: Emulator, method: string, path: string, options: CallOptions = {}): Promise<Res<T>> {
  const headers: Record<string, string> = { ...options.headers };
  const key = options.key === undefined ? KEY : options.key;
  if (key !== null) headers.authorization = `${options.scheme ?? 'AccessKey'} ${key}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(`${e.url}${withQuery(path, options.query)}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let parsed: T = undefined as T;
  try {
    parsed = (text ? JSON.parse(text) : undefined) as T;
  } catch {
    // left undefined: the caller asserts on `text`
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

export const get = <T = any>(e: Emulator, path: string, options: CallOptions = {}) => call<T>(e, 'GET', path, options);
export const post = <T = any>(e: Emulator, path: string, body: unknown, options: CallOptions = {}) => call<T>(e, 'POST', path, { ...options, body });

/** Follows nextPageToken to the end; returns every item and the number of pages. */
export async function walk<T extends { id: string }>(
  e: Emulator,
  path: string,
  query: QueryInput,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let pages = 0;
  let token: string | undefined;
  do {
    const res = await get<{ results: T[]; nextPageToken?: string }>(e, path, { query: { ...query, ...(token ? { pageToken: token } : {}) } });
    if (res.status !== 200) throw new Error(`walk: ${res.status} ${res.text}`);
    items.push(...res.body.results);
    token = res.body.nextPageToken;
    pages++;
    if (pages > 10_000) throw new Error('walk: no end');
  } while (token);
  return { items, pages };
}

/** Newest first: createdAt desc, then id desc. */
export function newestFirst<T extends { createdAt: string; id: string }>(a: T, b: T): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
