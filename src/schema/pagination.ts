// Relay connections over Bird's page tokens: the cursor codec and the connection resolver (limit / pageToken / reverse).
//
// Bird lists take `limit`, an opaque `pageToken` and `reverse`, and answer `{ results, nextPageToken? }`. Bird's tokens
// are keyset positions (base64 of `[createdAt, id]`) that do not depend on the `limit` that produced them, so a
// position can be named as (token of the upstream page, offset within it):
//
// - An edge's cursor is the position just AFTER that edge. For the last edge of an upstream page that is
//   (nextPageToken, 0), so a client walking page by page keeps fetching whole upstream pages; for any other edge it is
//   (token of its page, index + 1), so a client may resume after any edge, not only at page boundaries.
// - Resuming from (token, o) with `first: n` fetches `pageToken = token, limit = min(o + n, max)` and skips `o` items.
//   When the cap bites, fewer than `n` edges come back and `hasNextPage` stays true: short pages are honest.
// - `last: n` walks the list backwards with `reverse = true` (oldest first) and returns the edges in forward order;
//   its cursors carry direction `r`, and `before` only accepts such a cursor (it continues the same backward walk).
//
// A cursor is base64url of `["c1", direction, pageToken | null, offset, check]`. `check` is a short hash of the
// position and of the connection it belongs to (type, parent ids and filters), so a cursor altered by hand or taken
// from another connection is refused as BAD_USER_INPUT before any call to Bird. It is not a secret signature: the
// token only ever reaches Bird with the caller's own credential, and Bird validates it too.
import { createHash } from 'node:crypto';
import type { Page } from '../bird/types.ts';
import { badUserInput } from '../errors.ts';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/** Bird documents `pageToken` as at most 8,000 characters. */
const MAX_PAGE_TOKEN_LENGTH = 8000;
const MAX_CURSOR_LENGTH = 12_000;
const VERSION = 'c1';

type Direction = 'f' | 'r';

export interface Position {
  direction: Direction;
  pageToken: string | null;
  offset: number;
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

export interface ConnectionOptions {
  /**
   * Identifies the list a cursor belongs to, e.g. `Channel.messages|<ws>|<ch>|<filter json>`; a cursor minted for one
   * list is refused by another.
   */
  scope: string;
  /** The endpoint's `limit` maximum (100 on most Bird lists, 1,000 on channels and message lists). */
  maxLimit: number;
}

function check(scope: string, position: Position): string {
  return createHash('sha256')
    .update(`${scope}\u0000${position.direction}\u0000${position.pageToken ?? ''}\u0000${position.offset}`)
    .digest('base64url')
    .slice(0, 12);
}

export function encodeCursor(scope: string, position: Position): string {
  const payload = [VERSION, position.direction, position.pageToken, position.offset, check(scope, position)];
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

const invalidCursor = () => badUserInput('Invalid cursor.', { argument: 'cursor' });

/** Strict decoding: anything but a cursor this server minted for this very list is BAD_USER_INPUT. */
export function decodeCursor(scope: string, cursor: string, maxLimit: number): Position {
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH) throw invalidCursor();
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalidCursor();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(parsed) || parsed.length !== 5) throw invalidCursor();
  const [version, direction, pageToken, offset, checksum] = parsed as unknown[];
  if (version !== VERSION) throw invalidCursor();
  if (direction !== 'f' && direction !== 'r') throw invalidCursor();
  if (pageToken !== null && (typeof pageToken !== 'string' || pageToken.length === 0)) throw invalidCursor();
  if (typeof pageToken === 'string' && pageToken.length > MAX_PAGE_TOKEN_LENGTH) throw invalidCursor();
  // Offsets are minted strictly below the limit of the fetch that produced them, which never exceeds maxLimit.
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0 || offset >= maxLimit) {
    throw invalidCursor();
  }
  const position: Position = { direction, pageToken, offset };
  if (checksum !== check(scope, position)) throw invalidCursor();
  return position;
}

function pageSize(value: number | null | undefined, argument: 'first' | 'last'): number {
  if (value === null || value === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE_SIZE) {
    throw badUserInput(`\`${argument}\` must be an integer from 0 to ${MAX_PAGE_SIZE}.`, { argument });
  }
  return value;
}

/** Validates the arguments and works out the single upstream fetch a page needs, without calling Bird. */
export function planPage(args: ConnectionArgs, options: ConnectionOptions) {
  const hasFirst = args.first !== null && args.first !== undefined;
  const hasLast = args.last !== null && args.last !== undefined;
  const hasAfter = args.after !== null && args.after !== undefined;
  const hasBefore = args.before !== null && args.before !== undefined;
  if (hasFirst && hasLast) throw badUserInput('Pass either `first` or `last`, not both.', { argument: 'last' });
  if (hasFirst && hasBefore) throw badUserInput('`before` goes with `last`, not with `first`.', { argument: 'before' });
  if (hasLast && hasAfter) throw badUserInput('`after` goes with `first`, not with `last`.', { argument: 'after' });
  if (hasAfter && hasBefore) throw badUserInput('Pass either `after` or `before`, not both.', { argument: 'before' });

  const backward = hasLast || hasBefore;
  const direction: Direction = backward ? 'r' : 'f';
  const size = backward ? pageSize(args.last, 'last') : pageSize(args.first, 'first');
  const cursor = backward ? args.before : args.after;
  let start: Position = { direction, pageToken: null, offset: 0 };
  if (cursor !== null && cursor !== undefined) {
    start = decodeCursor(options.scope, cursor, options.maxLimit);
    // A forward cursor names a position in the newest-first walk; `before` needs one from the backward walk.
    if (start.direction !== direction) throw invalidCursor();
  }
  const request: UpstreamPageRequest = {
    // Always ask for at least one item past the skip so `first: 0` still learns whether more exist.
    limit: Math.min(start.offset + Math.max(size, 1), options.maxLimit),
    reverse: backward,
  };
  if (start.pageToken !== null) request.pageToken = start.pageToken;
  return { size, start, direction, backward, resumed: cursor !== null && cursor !== undefined, request };
}

/**
 * An edge whose cursor is minted (a sha256 check) on first read: most operations select `node` only, and a page of
 * 50 would otherwise hash 50 cursors nobody asked for. The getter is an own enumerable property, so the edge still
 * reads, spreads and compares like `{ cursor, node }`.
 */
function lazyEdge<T>(scope: string, position: Position, node: T): Edge<T> {
  let cursor: string | undefined;
  return {
    get cursor() {
      return (cursor ??= encodeCursor(scope, position));
    },
    node,
  };
}

/** Builds the connection from one upstream page fetched as `planPage` said. */
export function connectionFromPage<T>(
  plan: ReturnType<typeof planPage>,
  page: Page<T>,
  options: ConnectionOptions,
): Connection<T> {
  const { start, size, direction } = plan;
  const items = page.results;
  const end = Math.min(start.offset + size, items.length);
  const edges: Edge<T>[] = [];
  for (let index = start.offset; index < end; index++) {
    const lastOfPage = index + 1 === items.length;
    const position: Position =
      lastOfPage && page.nextPageToken
        ? { direction, pageToken: page.nextPageToken, offset: 0 }
        : { direction, pageToken: start.pageToken, offset: index + 1 };
    edges.push(lazyEdge(options.scope, position, items[index] as T));
  }
  const more = items.length > end || Boolean(page.nextPageToken);
  if (plan.backward) edges.reverse();
  return {
    edges,
    pageInfo: {
      hasNextPage: plan.backward ? plan.resumed : more,
      hasPreviousPage: plan.backward ? more : plan.resumed,
      get startCursor() {
        return edges[0]?.cursor ?? null;
      },
      get endCursor() {
        return edges[edges.length - 1]?.cursor ?? null;
      },
    },
  };
}

/** Plans, fetches exactly one upstream page, and builds the connection. */
export async function resolveConnection<T>(
  args: ConnectionArgs,
  options: ConnectionOptions,
  fetchPage: (request: UpstreamPageRequest) => Promise<Page<T>>,
): Promise<Connection<T>> {
  const plan = planPage(args, options);
  const page = await fetchPage(plan.request);
  return connectionFromPage(plan, page, options);
}
