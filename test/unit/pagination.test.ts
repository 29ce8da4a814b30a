// The cursor codec and connection arithmetic over Bird page tokens, against an in-memory keyset list.
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Page } from '../../src/bird/types.ts';
import {
  type Connection,
  type ConnectionArgs,
  type UpstreamPageRequest,
  decodeCursor,
  encodeCursor,
  planPage,
  resolveConnection,
} from '../../src/schema/pagination.ts';

/** A keyset list like Bird's: tokens name the last item returned, independent of the limit used. */
function keysetList(size: number, maxLimit: number) {
  const items = Array.from({ length: size }, (_, i) => `item-${String(i).padStart(3, '0')}`);
  const calls: UpstreamPageRequest[] = [];
  const fetchPage = async (request: UpstreamPageRequest): Promise<Page<string>> => {
    calls.push(request);
    if (request.limit < 1 || request.limit > maxLimit) throw new Error(`limit out of range: ${request.limit}`);
    const ordered = request.reverse ? [...items].reverse() : items;
    const start = request.pageToken ? ordered.indexOf(Buffer.from(request.pageToken, 'base64').toString()) + 1 : 0;
    const results = ordered.slice(start, start + request.limit);
    const last = results[results.length - 1];
    const more = start + results.length < ordered.length;
    return more && last ? { results, nextPageToken: Buffer.from(last).toString('base64') } : { results };
  };
  return { items, calls, fetchPage };
}

const options = { scope: 'Test.list|a', maxLimit: 50 };

function codeOf(error: unknown) {
  return error instanceof GraphQLError ? error.extensions.code : undefined;
}

describe('cursor codec', () => {
  it('round-trips a position', () => {
    const position = { direction: 'f' as const, pageToken: 'WyJ4Il0=', offset: 7 };
    expect(decodeCursor('s', encodeCursor('s', position), 50)).toEqual(position);
  });

  const valid = encodeCursor('s', { direction: 'f', pageToken: 'abc', offset: 3 });
  const raw = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const malformed: [string, string][] = [
    ['empty', ''],
    ['not base64url', '!!!'],
    ['base64 of non-JSON', Buffer.from('hello').toString('base64url')],
    ['unknown version tag', raw(['c0', 'f', 'abc', 3, 'x'])],
    ['wrong arity', raw(['c1', 'f', 'abc', 3])],
    ['wrong direction', raw(['c1', 'x', 'abc', 3, 'x'])],
    ['negative offset', raw(['c1', 'f', 'abc', -1, 'x'])],
    ['fractional offset', raw(['c1', 'f', 'abc', 1.5, 'x'])],
    ['offset at the endpoint limit', encodeCursor('s', { direction: 'f', pageToken: 'abc', offset: 50 })],
    ['token over 8000 characters', encodeCursor('s', { direction: 'f', pageToken: 'a'.repeat(8001), offset: 0 })],
    ['tampered check', valid.slice(0, -2) + (valid.endsWith('AA') ? 'BB' : 'AA')],
    ['from another list', encodeCursor('other scope', { direction: 'f', pageToken: 'abc', offset: 3 })],
    ['huge', 'A'.repeat(20_000)],
  ];
  it.each(malformed)('refuses a cursor that is %s as BAD_USER_INPUT', (_name, cursor) => {
    let caught: unknown;
    try {
      decodeCursor('s', cursor, 50);
    } catch (error) {
      caught = error;
    }
    expect(codeOf(caught)).toBe('BAD_USER_INPUT');
  });
});

describe('planPage', () => {
  const invalid: [string, ConnectionArgs][] = [
    ['first and last', { first: 1, last: 1 }],
    ['first above the cap', { first: 101 }],
    ['negative first', { first: -1 }],
    ['negative last', { last: -1 }],
    ['before with first', { first: 2, before: encodeCursor(options.scope, { direction: 'r', pageToken: null, offset: 1 }) }],
    ['after with last', { last: 2, after: encodeCursor(options.scope, { direction: 'f', pageToken: null, offset: 1 }) }],
    ['a forward cursor as before', { last: 2, before: encodeCursor(options.scope, { direction: 'f', pageToken: null, offset: 1 }) }],
    ['a backward cursor as after', { first: 2, after: encodeCursor(options.scope, { direction: 'r', pageToken: null, offset: 1 }) }],
  ];
  it.each(invalid)('refuses %s before any fetch', async (_name, args) => {
    const list = keysetList(10, 50);
    await expect(resolveConnection(args, options, list.fetchPage)).rejects.toSatisfy((e) => codeOf(e) === 'BAD_USER_INPUT');
    expect(list.calls).toHaveLength(0);
  });

  it('defaults to 20 items', () => {
    expect(planPage({}, options).request).toEqual({ limit: 20, reverse: false });
  });
});

describe('connections over a keyset list', () => {
  it('walks every item exactly once in order with first/after, one fetch per page', async () => {
    const list = keysetList(137, 50);
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const connection: Connection<string> = await resolveConnection({ first: 20, after }, options, list.fetchPage);
      seen.push(...connection.edges.map((edge) => edge.node));
      expect(connection.pageInfo.hasPreviousPage).toBe(after !== null);
      pages++;
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(list.items);
    expect(list.calls).toHaveLength(pages);
    // Page by page, every fetch starts at an upstream page boundary: no refetching of skipped items.
    expect(list.calls.every((call) => call.limit === 20)).toBe(true);
  });

  it('resumes after any edge, even in the middle of an upstream page', async () => {
    const list = keysetList(60, 50);
    const first = await resolveConnection({ first: 10 }, options, list.fetchPage);
    const third = first.edges[2]!;
    const resumed = await resolveConnection({ first: 4, after: third.cursor }, options, list.fetchPage);
    expect(resumed.edges.map((edge) => edge.node)).toEqual(list.items.slice(3, 7));
    expect(list.calls[1]).toEqual({ limit: 7, reverse: false });
  });

  it('returns a shorter page when the endpoint limit caps the fetch, and says more remain', async () => {
    const list = keysetList(200, 50);
    const first = await resolveConnection({ first: 45 }, options, list.fetchPage);
    const resumed = await resolveConnection({ first: 20, after: first.edges[39]!.cursor }, options, list.fetchPage);
    expect(resumed.edges.map((edge) => edge.node)).toEqual(list.items.slice(40, 50));
    expect(resumed.pageInfo.hasNextPage).toBe(true);
    const next = await resolveConnection({ first: 20, after: resumed.pageInfo.endCursor }, options, list.fetchPage);
    expect(next.edges[0]!.node).toBe(list.items[50]);
  });

  it('walks backwards with last/before and returns edges in forward order', async () => {
    const list = keysetList(45, 50);
    const seen: string[] = [];
    let before: string | null = null;
    for (;;) {
      const connection: Connection<string> = await resolveConnection({ last: 10, before }, options, list.fetchPage);
      seen.unshift(...connection.edges.map((edge) => edge.node));
      if (!connection.pageInfo.hasPreviousPage) break;
      before = connection.pageInfo.startCursor;
    }
    expect(seen).toEqual(list.items);
    expect(list.calls.every((call) => call.reverse)).toBe(true);
  });

  it('reports honest page info on the last page and for first: 0', async () => {
    const list = keysetList(5, 50);
    const all = await resolveConnection({ first: 5 }, options, list.fetchPage);
    expect(all.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
    const none = await resolveConnection({ first: 0 }, options, list.fetchPage);
    expect(none.edges).toEqual([]);
    expect(none.pageInfo).toMatchObject({ hasNextPage: true, startCursor: null, endCursor: null });
    const empty = keysetList(0, 50);
    const nothing = await resolveConnection({ first: 3 }, options, empty.fetchPage);
    expect(nothing.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
  });
});
