// Query strings and keyset pages for the emulator's lists: RFC 3339 instants, page tokens, page options and the message-list filters.
import { MESSAGE_STATUSES, type Page } from '../bird/types.ts';
import { badRequest } from './errors.ts';
import type { MessageRecord } from './records.ts';

/** A parsed query string: repeated keys become arrays. */
export type Query = Record<string, string | string[]>;

const PAGE = ['limit', 'pageToken', 'reverse'] as const;
const MESSAGE_FILTERS = ['platform', 'direction', 'status', 'startAt', 'endAt', 'senderIdentifier', 'recipientIdentifier', 'tag', 'subject'] as const;

/**
 * The query names each read route implements, by route key (`GET /workspaces/:ws/channels`): what strict mode
 * (`strictQuery`) accepts. They are Bird's documented names plus the project's guesses (bird-api.md §2a(i)), as the
 * routes honour them. Decision: Bird's documented channel-list names this emulator does not implement (`conferencial`,
 * `onlyMyChannels`, `suite`) are refused too, since nothing here would honour them. Routes not listed are not checked.
 */
export const QUERY_NAMES: Readonly<Record<string, readonly string[]>> = {
  'GET /organizations/:org/workspaces': PAGE,
  'GET /organizations/:org/workspaces/:ws': [],
  'GET /workspaces/:ws/channels': [...PAGE, 'platform', 'status', 'useCaseType', 'channelIds'],
  'GET /workspaces/:ws/channels/:ch': [],
  'GET /workspaces/:ws/channels/:ch/contacts/:contact': ['contactIdentifierValue'],
  'GET /workspaces/:ws/channels/:ch/messages': [...PAGE, ...MESSAGE_FILTERS, 'batchId'],
  'GET /workspaces/:ws/channels/:ch/messages/:msg': [],
  'GET /workspaces/:ws/channels/:ch/messages/:msg/interactions': [],
  'GET /workspaces/:ws/messages': [...PAGE, ...MESSAGE_FILTERS, 'channelId'],
  'GET /workspaces/:ws/contacts': PAGE,
  'GET /workspaces/:ws/contacts/:contact': [],
  'GET /workspaces/:ws/contacts/:contact/identifiers': PAGE,
};

/** Strict mode: a query name the route does not implement is a 400 (so a client's names are proven, not ignored). */
export function checkQueryNames(route: string, query: Query): void {
  const known = QUERY_NAMES[route];
  if (!known) return;
  for (const name of Object.keys(query)) {
    if (!known.includes(name)) throw badRequest(`unknown query parameter ${name}`);
  }
}

/** Ignore mode: the query without the named filters, as a Bird that does not know those names would read it. */
export function withoutIgnored(query: Query, ignored: ReadonlySet<string>): Query {
  if (ignored.size === 0) return query;
  return Object.fromEntries(Object.entries(query).filter(([name]) => !ignored.has(name)));
}

/** The keyset position of an item: `[createdAt, id]`, compared lexicographically (createdAt is always ISO-8601 with ms). */
export type SortKey = readonly [string, string];

function compareKeys(a: SortKey, b: SortKey): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return 0;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** RFC 3339 date-time, as ajv-formats' full `date-time` format reads it (T or space, offset `Z`, `±HH`, `±HHMM`, `±HH:MM`). */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt\s](\d{2}):(\d{2}):(\d{2}(?:\.\d+)?)(?:[Zz]|([+-])(\d{2})(?::?(\d{2}))?)$/;
const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Parses an RFC 3339 instant to epoch ms, or returns undefined. Accepts exactly what ajv-formats' `date-time`
 * accepts (real calendar days, hours 0-23, a leap second only at 23:59 UTC), so every `scheduledFor` the send schema
 * lets through parses, and filters and page tokens read instants the same way; computed from the fields rather than
 * Date.parse, which rolls "April 31" over to May 1.
 */
export function parseInstant(value: string): number | undefined {
  const m = DATE_TIME.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const second = Number(m[6]);
  const sign = m[7] === '-' ? -1 : 1;
  const tzH = Number(m[8] ?? 0);
  const tzM = Number(m[9] ?? 0);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (month < 1 || month > 12 || day < 1 || day > (month === 2 && leap ? 29 : (DAYS_IN_MONTH[month] as number))) return undefined;
  if (tzH > 23 || tzM > 59) return undefined;
  if (!(hour <= 23 && minute <= 59 && second < 60)) {
    const utcMinute = minute - tzM * sign;
    const utcHour = hour - tzH * sign - (utcMinute < 0 ? 1 : 0);
    if (!((utcHour === 23 || utcHour === -1) && (utcMinute === 59 || utcMinute === -1) && second < 61)) return undefined;
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, Math.min(Math.floor(second), 59)) + Math.round((second % 1) * 1000);
  return ms - sign * (tzH * 60 + tzM) * 60_000;
}

/** Page token: standard base64 (with padding) of JSON `[createdAt, id]` of the last item returned. */
export function encodePageToken(key: SortKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64');
}

/** Strict inverse of `encodePageToken`; anything else is a 400 (never a silent first page). */
export function decodePageToken(token: string): SortKey {
  const invalid = () => badRequest('invalid pageToken');
  if (token.length === 0 || token.length > 8000 || !BASE64.test(token)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw invalid();
  const [createdAt, id] = parsed as unknown[];
  if (typeof createdAt !== 'string' || typeof id !== 'string' || id.length === 0) throw invalid();
  const ms = parseInstant(createdAt);
  if (ms === undefined) throw invalid();
  // Normalized to our own ms precision so a token minted elsewhere (e.g. with ns) still compares correctly.
  return [new Date(ms).toISOString(), id];
}

/** One value of a single-valued parameter; a repeated key is a 400. */
function single(query: Query, name: string): string | undefined {
  const v = query[name];
  if (Array.isArray(v)) throw badRequest(`parameter ${name} given more than once`);
  return v;
}

/** Values of a multi-valued parameter: repeated keys and comma-separated lists both count; empty values are dropped. */
export function multi(query: Query, name: string): string[] | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  const values = (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).filter((s) => s.length > 0);
  return values.length > 0 ? values : undefined;
}

/** A non-empty single value, or undefined (Decision: an empty filter value means "no filter"). */
export function filterValue(query: Query, name: string): string | undefined {
  const v = single(query, name);
  return v === undefined || v === '' ? undefined : v;
}

interface PageOptions {
  limit: number;
  after?: SortKey;
  reverse: boolean;
}

/** `limit` (integer in 1..max, default 10), `pageToken`, `reverse` (`true`/`false`); anything else → 400. */
/**
 * The largest `limit` of both message lists. Bird's general docs say list endpoints take "up to a maximum of 100"
 * (bird-api.md §1.4, DOC:S5), but the channel list documents 1000 (§1.4, DOC:S3), and a merged, published
 * integration pages channel messages with `limit=1000` against the live API (§5, CODE:C1 PR #8333): were 1000
 * refused there, every one of its calls would fail. Direct evidence of the live message list wins over the generic
 * sentence, so 1..1000; the workspace-wide list (itself unverified, §7) follows the channel list.
 */
export const MESSAGE_LIST_MAX_LIMIT = 1000;

export function pageOptions(query: Query, maxLimit: number): PageOptions {
  const rawLimit = single(query, 'limit');
  let limit = 10;
  if (rawLimit !== undefined) {
    if (!/^\d+$/.test(rawLimit)) throw badRequest('limit must be an integer');
    limit = Number(rawLimit);
    if (limit < 1 || limit > maxLimit) throw badRequest(`limit must be between 1 and ${maxLimit}`);
  }
  const rawReverse = single(query, 'reverse');
  if (rawReverse !== undefined && rawReverse !== 'true' && rawReverse !== 'false') {
    throw badRequest('reverse must be true or false');
  }
  const token = single(query, 'pageToken');
  const options: PageOptions = { limit, reverse: rawReverse === 'true' };
  if (token !== undefined) options.after = decodePageToken(token);
  return options;
}

/**
 * Binary search in an ascending array: the first index whose key is greater than `key` (`after`), or greater than or
 * equal to it (`atOrAfter`).
 */
function boundOf<T>(sorted: readonly T[], keyOf: (t: T) => SortKey, key: SortKey, bound: 'after' | 'atOrAfter'): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const order = compareKeys(keyOf(sorted[mid] as T), key);
    if (order < 0 || (order === 0 && bound === 'after')) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Keyset page over an array kept in ascending (createdAt, id) order. Newest first by default; `reverse` = oldest
 * first. The token holds only the last item's key, so resuming does not depend on the limit that produced it.
 * Decision: `nextPageToken` is omitted exactly when no further matching item exists (we look one match ahead).
 */
export function keysetPage<T, R = T>(
  sorted: readonly T[],
  keyOf: (t: T) => SortKey,
  options: PageOptions,
  accept: (t: T) => boolean = () => true,
  project: (t: T) => R = (t) => t as unknown as R,
): Page<R> {
  const results: R[] = [];
  let last: T | undefined;
  let more = false;
  if (options.reverse) {
    for (let i = options.after ? boundOf(sorted, keyOf, options.after, 'after') : 0; i < sorted.length; i++) {
      const item = sorted[i] as T;
      if (!accept(item)) continue;
      if (results.length === options.limit) {
        more = true;
        break;
      }
      results.push(project(item));
      last = item;
    }
  } else {
    for (let i = (options.after ? boundOf(sorted, keyOf, options.after, 'atOrAfter') : sorted.length) - 1; i >= 0; i--) {
      const item = sorted[i] as T;
      if (!accept(item)) continue;
      if (results.length === options.limit) {
        more = true;
        break;
      }
      results.push(project(item));
      last = item;
    }
  }
  const page: Page<R> = { results };
  if (more && last !== undefined) page.nextPageToken = encodePageToken(keyOf(last));
  return page;
}

/** Inserts into an ascending array, keeping the order (appends are the common case: O(1)). */
export function insertSorted<T>(sorted: T[], item: T, keyOf: (t: T) => SortKey): void {
  const key = keyOf(item);
  const n = sorted.length;
  if (n === 0 || compareKeys(keyOf(sorted[n - 1] as T), key) <= 0) {
    sorted.push(item);
    return;
  }
  sorted.splice(boundOf(sorted, keyOf, key, 'after'), 0, item);
}

export const byCreatedAt = (t: { createdAt: string; id: string }): SortKey => [t.createdAt, t.id];

/**
 * Parses the message-list filters (wire names of docs §2a) into one predicate. `status`: single, CSV or repeated;
 * `startAt`/`endAt`: inclusive bounds on createdAt; `senderIdentifier` / `recipientIdentifier`: exact,
 * case-insensitive match on any identifier of the party (contacts and connector — Decision: the connector counts
 * too, so incoming messages match their channel's number as recipient); `subject`: case-insensitive substring;
 * `batchId` on the channel list, `channelId` on the workspace list (Decision: other unknown parameters are ignored;
 * strict mode refuses them, see QUERY_NAMES).
 */
export function messageFilter(query: Query, list: 'channel' | 'workspace'): (r: MessageRecord) => boolean {
  const tests: ((r: MessageRecord) => boolean)[] = [];
  const platform = filterValue(query, 'platform');
  if (platform !== undefined) tests.push((r) => r.platformId === platform);
  const direction = filterValue(query, 'direction');
  if (direction !== undefined) {
    if (direction !== 'incoming' && direction !== 'outgoing') throw badRequest('direction must be incoming or outgoing');
    tests.push((r) => r.message.direction === direction);
  }
  const statuses = multi(query, 'status');
  if (statuses) {
    for (const s of statuses) if (!(MESSAGE_STATUSES as readonly string[]).includes(s)) throw badRequest(`invalid status ${s}`);
    const set = new Set(statuses);
    tests.push((r) => set.has(r.message.status));
  }
  const startRaw = filterValue(query, 'startAt');
  const endRaw = filterValue(query, 'endAt');
  const startAt = startRaw === undefined ? undefined : parseInstant(startRaw);
  const endAt = endRaw === undefined ? undefined : parseInstant(endRaw);
  if ((startRaw !== undefined && startAt === undefined) || (endRaw !== undefined && endAt === undefined)) {
    throw badRequest('startAt and endAt must be RFC 3339 date-times');
  }
  if (startAt !== undefined && endAt !== undefined) {
    if (startAt > endAt) throw badRequest('Invalid time range to filter');
    if (list === 'channel' && endAt - startAt > 7 * 24 * 3600 * 1000) throw badRequest('Invalid time range to filter');
  }
  if (startAt !== undefined) tests.push((r) => r.createdMs >= startAt);
  if (endAt !== undefined) tests.push((r) => r.createdMs <= endAt);
  const sender = filterValue(query, 'senderIdentifier')?.toLowerCase();
  if (sender !== undefined) tests.push((r) => r.senderIds.includes(sender));
  const recipient = filterValue(query, 'recipientIdentifier')?.toLowerCase();
  if (recipient !== undefined) tests.push((r) => r.recipientIds.includes(recipient));
  const tag = filterValue(query, 'tag')?.toLowerCase();
  if (tag !== undefined) tests.push((r) => r.message.tags?.includes(tag) ?? false);
  const subject = filterValue(query, 'subject')?.toLowerCase();
  if (subject !== undefined) tests.push((r) => r.subjects.includes(subject));
  const idFilter = list === 'channel' ? 'batchId' : 'channelId';
  const id = filterValue(query, idFilter);
  if (id !== undefined) {
    if (!UUID.test(id)) throw badRequest(`${idFilter} must be a UUID`);
    if (list === 'channel') tests.push((r) => r.message.batchId === id);
    else tests.push((r) => r.message.channelId === id);
  }
  if (tests.length === 0) return () => true;
  return (r) => tests.every((t) => t(r));
}
