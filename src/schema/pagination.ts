// Relay connections over Bird's lists: the cursor codec, the page plan (validated before any call) and the walk itself.
//
// Bird lists take `limit`, an opaque `pageToken` and `reverse`, and answer `{ results, nextPageToken? }`, newest first
// (`reverse=true`: oldest first). Nothing here reads a token: they may be opaque. The scheme:
//
// - **A cursor names an edge**: base64url of `["c2", list, createdAt, id, resume, check]`. `(createdAt, id)` is the
//   edge's own keyset position; `resume` = `[direction, pageToken, offset, bound, seeking]` is where the upstream walk
//   that read it can go on: the token and extra bound of the request that returned the edge, and its index + 1 (for
//   the last item of an upstream page, the page's `nextPageToken` and 0). `list` is a digest of the connection the
//   cursor belongs to (type, parent ids, filter) and `check` a digest of everything before it: an altered cursor or
//   one from another list is refused as BAD_USER_INPUT, with the reason, before any call. They are integrity checks,
//   not secrets: a token only ever reaches Bird with the caller's own credential, and Bird checks it too.
// - **Same direction** (`first/after` of an edge read walking forward, `last/before` of one read walking backward):
//   resume with the token, `limit = offset + n` (capped at the endpoint's maximum) and skip `offset`: 1 call. Walking
//   page by page, every fetch starts at an upstream page boundary.
// - **Turning around on a message list** (`before` an edge read walking forward, or the reverse): Bird documents
//   `startAt` / `endAt` windows on createdAt with `reverse`, and one bound alone has no 7-day limit (bird-api.md
//   §2a(v)). So `after X` asks `endAt = X + 2 s`, newest first, and `before X` asks `startAt = X - 1 s` with
//   `reverse`; the margins cover a Bird that truncates the bound or treats it as exclusive. The items on the wrong
//   side of X (and X itself, found by id) are skipped: 1 call, more only when more than ~10 messages share the
//   seconds around X. The walk's own cursors carry the bound, so they resume that same request. The list's own
//   startAt/endAt are intersected with the bound; on a channel list, a pair wider than 7 days drops the filter's bound
//   from the request and the guard applies it instead.
// - **Turning around on a list without a time window** (channels, workspaces, contacts, identifiers, interactions):
//   no documented request reaches "the items just before X" in the other direction, so the walk reads the list from
//   the end the client came from (the direction X was read in) up to X, keeping the last `n` items before it. Cost:
//   ⌈(position of X + 1) / maximum limit⌉ calls (1,000 channels a call; 100 workspaces, contacts or identifiers;
//   interactions are one response), at most MAX_SCAN_FETCHES.
// - **The filter guard**: a list may pass `check`, which sees every item Bird returns and keeps it, drops it (Bird
//   ignored a filter; src/schema/filter-guard.ts counts it) or ends the walk (past a time bound of the filter). A page
//   may then hold fewer than `first` edges; cursors stay exact because positions count Bird's items, not ours, and the
//   last edge resumes past the items dropped after it, so none is read (or counted) twice. `hasNextPage` never hides
//   an item; while Bird ignores a filter it may promise items that then turn out to be dropped too. A page whose
//   items were all dropped reads on (at most MAX_FETCHES_PER_PAGE calls); still empty, it answers `endCursor`
//   (`startCursor` walking backward) at the last item read, so the client can go on.
// - **Page info**: walking forward, `hasNextPage` says whether more items follow (exact: Bird's `nextPageToken`, or an
//   item already read), `hasPreviousPage` whether the page started after a cursor; walking backward, the mirror image.
import { createHash } from 'node:crypto';
import type { Page } from '../bird/types.ts';
import { badUserInput } from '../errors.ts';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/** Upstream calls one page may make while every item it reads is dropped by the guard or skipped past a cursor. */
export const MAX_FETCHES_PER_PAGE = 4;
/** Upstream calls a turn-around on a list without a time window may make (see the header). */
export const MAX_SCAN_FETCHES = 10;
/** Bird documents `pageToken` as at most 8,000 characters. */
const MAX_PAGE_TOKEN_LENGTH = 8000;
const MAX_CURSOR_LENGTH = 12_000;
const MAX_KEY_PART_LENGTH = 1000;
/** The largest offset any list mints (interactions come in one response; see src/schema/interaction.ts). */
const MAX_OFFSET = 100_000;
/** Items a turn-around asks for beyond the page, for those on the wrong side of the cursor within the bound's margin. */
const SEEK_SLACK = 10;
const VERSION = 'c2';

export type Direction = 'f' | 'r';
/** An item's keyset position: its createdAt (RFC 3339, any precision) and a unique id. */
export type SortKey = readonly [createdAt: string, id: string];

/** Where the upstream walk that read an edge goes on (see the header). */
export interface Resume {
  direction: Direction;
  pageToken: string | null;
  offset: number;
  /** The createdAt bound a turn-around added (`endAt` walking forward, `startAt` walking backward). */
  bound: string | null;
  /** Still skipping the items up to `key` (a turn-around that has not reached its cursor yet). */
  seeking: boolean;
}

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface UpstreamPageRequest {
  limit: number;
  pageToken?: string;
  reverse: boolean;
  /** Windowed lists only: a createdAt bound the walk adds to the list's own filter. */
  bound?: { endAt: string } | { startAt: string };
}

/** The guard's answer for one item: keep it, drop it (it does not match the filter), or end the walk there. */
export type Verdict = 'keep' | 'drop' | 'end';

export interface ListSpec<T> {
  /** Identifies the list, e.g. `Channel.messages|<ws>|<ch>|<filter json>`; a cursor minted for one is refused by another. */
  scope: string;
  /** The endpoint's `limit` maximum. */
  maxLimit: number;
  keyOf(item: T): SortKey;
  /** Whether the list takes `startAt` / `endAt` on createdAt (message lists): turn-arounds then cost 1 call. */
  windowed?: boolean;
  /** The filter guard; `peek` asks without counting (the item is only looked at to learn whether more follow). */
  check?(item: T, request: UpstreamPageRequest, peek: boolean): Verdict;
  fetch(request: UpstreamPageRequest): Promise<Page<T>>;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Keys and instants
// ---------------------------------------------------------------------------------------------------------------

const INSTANT = /^(\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:?\d{2})$/;

/** An RFC 3339 instant as [epoch ms of its whole second, nanoseconds]; undefined when it is not one. */
function instant(value: string): [number, number] | undefined {
  const m = INSTANT.exec(value);
  if (!m) return undefined;
  const zone = m[3] === 'z' || m[3] === 'Z' ? 'Z' : (m[3] as string).replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2');
  const ms = Date.parse(`${(m[1] as string).replace(' ', 'T')}${zone}`);
  if (Number.isNaN(ms)) return undefined;
  return [ms, Number((m[2] ?? '').slice(0, 9).padEnd(9, '0'))];
}

/** Compares two keys in oldest-first order, instants at full precision; undefined when an instant does not parse. */
export function compareKeys(a: SortKey, b: SortKey): number | undefined {
  const x = instant(a[0]);
  const y = instant(b[0]);
  if (!x || !y) return undefined;
  if (x[0] !== y[0]) return x[0] < y[0] ? -1 : 1;
  if (x[1] !== y[1]) return x[1] < y[1] ? -1 : 1;
  return a[1] === b[1] ? 0 : a[1] < b[1] ? -1 : 1;
}

/** Whether `key` lies past `cursor` in a walk in `direction` (forward = towards older items). */
function isBeyond(key: SortKey, cursor: SortKey, direction: Direction): boolean {
  const order = compareKeys(key, cursor);
  if (order === undefined) return false;
  return direction === 'f' ? order < 0 : order > 0;
}

const sameId = (a: SortKey, b: SortKey) => a[1].toLowerCase() === b[1].toLowerCase();

/** The bound a turn-around asks for: whole seconds with a margin (see the header). */
function boundFor(key: SortKey, direction: Direction): string | null {
  const at = instant(key[0]);
  if (!at) return null;
  return new Date(direction === 'f' ? at[0] + 2000 : at[0] - 1000).toISOString();
}

// ---------------------------------------------------------------------------------------------------------------
// The cursor codec
// ---------------------------------------------------------------------------------------------------------------

type CursorReason = 'MALFORMED' | 'EXPIRED' | 'ALTERED' | 'OTHER_LIST';

const REASONS: Record<CursorReason, string> = {
  MALFORMED: 'it is not a cursor of this API',
  EXPIRED: 'it comes from an older version of this API and is no longer understood; start again from the first page',
  ALTERED: 'it was altered',
  OTHER_LIST: 'it belongs to another list (another parent, filter or connection); a cursor only works on the list that returned it',
};

function invalidCursor(argument: string, reason: CursorReason) {
  return badUserInput(`Invalid cursor \`${argument}\`: ${REASONS[reason]}.`, { argument, reason });
}

const digest = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 16);

/** The digest a cursor carries of its list. */
export const listDigest = (scope: string) => digest(`list\u0000${scope}`);

interface DecodedCursor {
  list: string;
  key: SortKey;
  resume: Resume | null;
}

type ResumeTuple = [Direction, string | null, number, string | null, 0 | 1];

function payloadOf(list: string, key: SortKey, resume: Resume | null): unknown[] {
  const tuple: ResumeTuple | null = resume && [resume.direction, resume.pageToken, resume.offset, resume.bound, resume.seeking ? 1 : 0];
  return [VERSION, list, key[0], key[1], tuple];
}

function encode(list: string, key: SortKey, resume: Resume | null): string {
  const payload = payloadOf(list, key, resume);
  const json = JSON.stringify(payload);
  return Buffer.from(JSON.stringify([...payload, digest(`check\u0000${json}`)]), 'utf8').toString('base64url');
}

/** Mints the cursor of an item of `scope` (tests and lists that build cursors themselves). */
export function encodeCursor(scope: string, key: SortKey, resume: Resume | null): string {
  return encode(listDigest(scope), key, resume);
}

const isText = (value: unknown, max: number): value is string => typeof value === 'string' && value.length > 0 && value.length <= max;

function decodeResume(value: unknown): Resume | null | undefined {
  if (value === null) return null;
  if (!Array.isArray(value) || value.length !== 5) return undefined;
  const [direction, pageToken, offset, bound, seeking] = value as unknown[];
  if (direction !== 'f' && direction !== 'r') return undefined;
  if (pageToken !== null && !isText(pageToken, MAX_PAGE_TOKEN_LENGTH)) return undefined;
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0 || offset > MAX_OFFSET) return undefined;
  if (bound !== null && (!isText(bound, 40) || !instant(bound))) return undefined;
  if (seeking !== 0 && seeking !== 1) return undefined;
  return { direction, pageToken, offset, bound, seeking: seeking === 1 };
}

/**
 * Strict decoding of what a cursor says about itself: anything this server did not mint (or minted and someone then
 * changed) is BAD_USER_INPUT with its reason. Whether it belongs to the list it is used on is checked by planPage.
 */
export function decodeCursor(cursor: unknown, argument = 'cursor'): DecodedCursor {
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw invalidCursor(argument, 'MALFORMED');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor(argument, 'MALFORMED');
  }
  if (!Array.isArray(parsed) || typeof parsed[0] !== 'string') throw invalidCursor(argument, 'MALFORMED');
  if (parsed[0] !== VERSION) throw invalidCursor(argument, /^c\d+$/.test(parsed[0]) ? 'EXPIRED' : 'MALFORMED');
  if (parsed.length !== 6) throw invalidCursor(argument, 'ALTERED');
  const [, list, createdAt, id, resumeTuple, check] = parsed as unknown[];
  const resume = decodeResume(resumeTuple);
  if (!isText(list, 64) || typeof createdAt !== 'string' || createdAt.length > MAX_KEY_PART_LENGTH || !isText(id, MAX_KEY_PART_LENGTH) || resume === undefined) {
    throw invalidCursor(argument, 'ALTERED');
  }
  const key: SortKey = [createdAt, id];
  if (check !== digest(`check\u0000${JSON.stringify(payloadOf(list, key, resume))}`)) throw invalidCursor(argument, 'ALTERED');
  return { list, key, resume };
}

// ---------------------------------------------------------------------------------------------------------------
// Arguments and the plan
// ---------------------------------------------------------------------------------------------------------------

function pageSize(value: number | null | undefined, argument: 'first' | 'last'): number {
  if (value === null || value === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE_SIZE) {
    throw badUserInput(`\`${argument}\` must be an integer from 0 to ${MAX_PAGE_SIZE}.`, { argument });
  }
  return value;
}

export interface CheckedArgs {
  size: number;
  direction: Direction;
  cursor: (DecodedCursor & { argument: 'after' | 'before' }) | null;
}

/**
 * Everything about a connection's arguments that does not depend on its list: page sizes, the combinations, and each
 * cursor's own integrity. Runs before execution for every connection of an operation (src/schema/arguments.ts), and
 * again in planPage.
 */
export function checkConnectionArgs(args: ConnectionArgs): CheckedArgs {
  const has = (value: unknown) => value !== null && value !== undefined;
  if (has(args.first) && has(args.last)) throw badUserInput('Pass either `first` or `last`, not both.', { argument: 'last' });
  if (has(args.first) && has(args.before)) throw badUserInput('`before` goes with `last`, not with `first`.', { argument: 'before' });
  if (has(args.last) && has(args.after)) throw badUserInput('`after` goes with `first`, not with `last`.', { argument: 'after' });
  if (has(args.after) && has(args.before)) throw badUserInput('Pass either `after` or `before`, not both.', { argument: 'before' });
  const backward = has(args.last) || has(args.before);
  const size = backward ? pageSize(args.last, 'last') : pageSize(args.first, 'first');
  const argument = backward ? 'before' : 'after';
  const raw = backward ? args.before : args.after;
  const cursor = has(raw) ? { ...decodeCursor(raw, argument), argument: argument as 'after' | 'before' } : null;
  return { size, direction: backward ? 'r' : 'f', cursor };
}

/** How a page is read: a walk from the head or from a resume position (optionally skipping up to a key), or a scan. */
type Strategy =
  | { kind: 'walk'; pageToken: string | null; offset: number; bound: string | null; seek: SortKey | null }
  | { kind: 'scan'; key: SortKey };

export interface Plan {
  size: number;
  direction: Direction;
  resumed: boolean;
  list: string;
  strategy: Strategy;
}

/** Validates the arguments against the list and works out how to read the page, without calling Bird. */
export function planPage<T>(args: ConnectionArgs, spec: Pick<ListSpec<T>, 'scope' | 'maxLimit' | 'windowed'>): Plan {
  const { size, direction, cursor } = checkConnectionArgs(args);
  const list = listDigest(spec.scope);
  const plan = (strategy: Strategy): Plan => ({ size, direction, resumed: cursor !== null, list, strategy });
  if (!cursor) return plan({ kind: 'walk', pageToken: null, offset: 0, bound: null, seek: null });
  if (cursor.list !== list) throw invalidCursor(cursor.argument, 'OTHER_LIST');
  const { resume, key } = cursor;
  if (resume && resume.offset > spec.maxLimit) throw invalidCursor(cursor.argument, 'ALTERED');
  if (resume && resume.direction === direction) {
    const { pageToken, offset, bound, seeking } = resume;
    return plan({ kind: 'walk', pageToken, offset, bound, seek: seeking ? key : null });
  }
  const bound = spec.windowed ? boundFor(key, direction) : null;
  if (bound !== null) return plan({ kind: 'walk', pageToken: null, offset: 0, bound, seek: key });
  return plan({ kind: 'scan', key });
}

// ---------------------------------------------------------------------------------------------------------------
// Reading a page
// ---------------------------------------------------------------------------------------------------------------

interface Read<T> {
  item: T;
  key: SortKey;
  resume: Resume;
}

/**
 * An edge whose cursor is minted (two sha256 digests) on first read: most operations select `node` only, and a page of
 * 50 would otherwise hash 50 cursors nobody asked for. The getter is an own enumerable property, so the edge still
 * reads, spreads and compares like `{ cursor, node }`.
 */
function lazyEdge<T>(list: string, read: Read<T>): Edge<T> {
  let cursor: string | undefined;
  return {
    get cursor() {
      return (cursor ??= encode(list, read.key, read.resume));
    },
    node: read.item,
  };
}

const opposite = (direction: Direction): Direction => (direction === 'f' ? 'r' : 'f');

function requestFor(direction: Direction, limit: number, pageToken: string | null, bound: string | null): UpstreamPageRequest {
  const request: UpstreamPageRequest = { limit, reverse: direction === 'r' };
  if (pageToken !== null) request.pageToken = pageToken;
  if (bound !== null) request.bound = direction === 'f' ? { endAt: bound } : { startAt: bound };
  return request;
}

/** Where the walk goes on after item `index` of a page fetched with `request`. */
function after(direction: Direction, request: UpstreamPageRequest, page: Page<unknown>, index: number, bound: string | null): Resume {
  const last = index + 1 === page.results.length && page.nextPageToken !== undefined;
  return last
    ? { direction, pageToken: page.nextPageToken as string, offset: 0, bound, seeking: false }
    : { direction, pageToken: request.pageToken ?? null, offset: index + 1, bound, seeking: false };
}

interface Outcome<T> {
  /** The edges in the walk's own order. */
  reads: Read<T>[];
  more: boolean;
  /** The last item read, for a page left empty with more to come. */
  boundary: Read<T> | null;
}

/**
 * The last edge resumes past the items dropped after it: the next page would only drop them again (and count them
 * twice). Its key stays its own, for a turn-around.
 */
function outcome<T>(reads: Read<T>[], more: boolean, boundary: Read<T> | null): Outcome<T> {
  const last = reads[reads.length - 1];
  if (last && boundary && boundary !== last && !boundary.resume.seeking) reads[reads.length - 1] = { ...last, resume: boundary.resume };
  return { reads, more, boundary };
}

async function walk<T>(plan: Plan & { strategy: { kind: 'walk' } }, spec: ListSpec<T>): Promise<Outcome<T>> {
  const { size, direction } = plan;
  const { bound, seek } = plan.strategy;
  const want = Math.max(size, 1);
  let skip = seek ? 0 : plan.strategy.offset;
  let passed = seek === null;
  const limitFor = (offset: number) => Math.min(offset + want + (passed ? 0 : SEEK_SLACK), spec.maxLimit);
  let request = requestFor(direction, limitFor(skip), plan.strategy.pageToken, bound);
  const reads: Read<T>[] = [];
  let boundary: Read<T> | null = null;
  for (let fetches = 1; ; fetches++) {
    const page = await spec.fetch(request);
    for (let index = skip; index < page.results.length; index++) {
      const item = page.results[index] as T;
      const key = spec.keyOf(item);
      const read: Read<T> = { item, key, resume: after(direction, request, page, index, bound) };
      if (!passed) {
        if (sameId(key, seek as SortKey)) {
          passed = true;
          boundary = read;
          continue;
        }
        if (!isBeyond(key, seek as SortKey, direction)) {
          boundary = { ...read, key: seek as SortKey, resume: { ...read.resume, seeking: true } };
          continue;
        }
        passed = true;
      }
      if (reads.length === size) {
        // One item past the page, read anyway: it says whether more follow (an item past a time bound does not).
        return outcome(reads, (spec.check?.(item, request, true) ?? 'keep') !== 'end', boundary);
      }
      const verdict = spec.check?.(item, request, false) ?? 'keep';
      if (verdict === 'end') return outcome(reads, false, boundary);
      boundary = read;
      if (verdict === 'keep') reads.push(read);
    }
    if (page.nextPageToken === undefined) return outcome(reads, false, boundary);
    if (passed && (reads.length > 0 || size === 0)) return outcome(reads, true, boundary);
    if (fetches >= MAX_FETCHES_PER_PAGE) return outcome(reads, true, boundary);
    skip = 0;
    request = requestFor(direction, limitFor(0), page.nextPageToken, bound);
    if (!passed) request.limit = spec.maxLimit;
  }
}

async function scan<T>(plan: Plan & { strategy: { kind: 'scan' } }, spec: ListSpec<T>): Promise<Outcome<T>> {
  const { size } = plan;
  const { key: cursor } = plan.strategy;
  // Reads from the end the cursor was read from, so its items come before the cursor in this order.
  const direction = opposite(plan.direction);
  let request = requestFor(direction, spec.maxLimit, null, null);
  const ring: Read<T>[] = [];
  let overflow = false;
  for (let fetches = 1; ; fetches++) {
    const page = await spec.fetch(request);
    for (let index = 0; index < page.results.length; index++) {
      const item = page.results[index] as T;
      const key = spec.keyOf(item);
      if (sameId(key, cursor) || isBeyond(key, cursor, direction)) return { reads: ring.reverse(), more: overflow, boundary: null };
      if ((spec.check?.(item, request, false) ?? 'keep') !== 'keep') continue;
      ring.push({ item, key, resume: after(direction, request, page, index, null) });
      if (ring.length > size) {
        ring.shift();
        overflow = true;
      }
    }
    if (page.nextPageToken === undefined) return { reads: ring.reverse(), more: overflow, boundary: null };
    if (fetches >= MAX_SCAN_FETCHES) {
      throw badUserInput(
        `Walking back from this cursor would read more than ${MAX_SCAN_FETCHES * spec.maxLimit} items of this list; page the other way, or start from the other end with \`${plan.direction === 'r' ? 'first' : 'last'}\`.`,
        { argument: plan.direction === 'r' ? 'before' : 'after', reason: 'TOO_DEEP' },
      );
    }
    request = requestFor(direction, spec.maxLimit, page.nextPageToken, null);
  }
}

/** Reads the page `plan` describes and builds the connection; edges always come in the list's order (newest first). */
export async function runPlan<T>(plan: Plan, spec: ListSpec<T>): Promise<Connection<T>> {
  const outcome = plan.strategy.kind === 'scan' ? await scan({ ...plan, strategy: plan.strategy }, spec) : await walk({ ...plan, strategy: plan.strategy }, spec);
  const edges = outcome.reads.map((read) => lazyEdge(plan.list, read));
  if (plan.direction === 'r') edges.reverse();
  const forward = plan.direction === 'f';
  const edge = outcome.boundary && edges.length === 0 && outcome.more ? lazyEdge(plan.list, outcome.boundary) : null;
  return {
    edges,
    pageInfo: {
      hasNextPage: forward ? outcome.more : plan.resumed,
      hasPreviousPage: forward ? plan.resumed : outcome.more,
      get startCursor() {
        return edges[0]?.cursor ?? (!forward && edge ? edge.cursor : null);
      },
      get endCursor() {
        return edges[edges.length - 1]?.cursor ?? (forward && edge ? edge.cursor : null);
      },
    },
  };
}

/**
 * Plans now (synchronously: a bad argument throws before anything is fetched) and returns the read, to run when
 * wanted; lazy parents plan every connection first and only then start them (src/schema/lazy-parent.ts).
 */
export function prepareConnection<T>(args: ConnectionArgs, spec: ListSpec<T>): () => Promise<Connection<T>> {
  const plan = planPage(args, spec);
  return () => runPlan(plan, spec);
}

/** Plans, reads and builds the connection. */
export async function resolveConnection<T>(args: ConnectionArgs, spec: ListSpec<T>): Promise<Connection<T>> {
  return runPlan(planPage(args, spec), spec);
}
