// The connection engine over opaque Bird page tokens: cursor codec, plans, walks both ways, turn-arounds and the filter guard.
import fc from 'fast-check';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Page } from '../../src/bird/types.ts';
import {
  type Connection,
  type ConnectionArgs,
  type ListSpec,
  MAX_FETCHES_PER_PAGE,
  MAX_SCAN_FETCHES,
  type UpstreamPageRequest,
  type Verdict,
  checkConnectionArgs,
  decodeCursor,
  encodeCursor,
  planPage,
  resolveConnection,
} from '../../src/schema/pagination.ts';

interface Item {
  createdAt: string;
  id: string;
  tag?: string;
}

interface FakeOptions {
  maxLimit: number;
  /** Takes startAt / endAt bounds (message lists). */
  windowed?: boolean;
  /** How the fake reads a bound: Bird may truncate it to whole seconds, or treat it as exclusive. */
  truncateBoundsToSeconds?: boolean;
  exclusiveBounds?: boolean;
  /** Items the guard drops (a filter Bird ignored). */
  drop?: (item: Item) => boolean;
}

const ms = (iso: string) => Date.parse(iso);
const asc = (a: Item, b: Item) => (a.createdAt === b.createdAt ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : ms(a.createdAt) - ms(b.createdAt));

/**
 * A Bird-like keyset list whose tokens are truly opaque: random strings the fake alone can map back to a position,
 * valid only for the query (order and bound) that issued them.
 */
function fakeList(items: Item[], options: FakeOptions) {
  const oldestFirst = [...items].sort(asc);
  const tokens = new Map<string, { query: string; last: Item }>();
  const calls: UpstreamPageRequest[] = [];
  const boundMs = (value: string) => (options.truncateBoundsToSeconds ? Math.floor(ms(value) / 1000) * 1000 : ms(value));
  const fetch = async (request: UpstreamPageRequest): Promise<Page<Item>> => {
    calls.push(request);
    if (request.limit < 1 || request.limit > options.maxLimit) throw new Error(`limit out of range: ${request.limit}`);
    if (request.bound && !options.windowed) throw new Error('this list takes no time bound');
    const query = JSON.stringify([request.reverse, request.bound ?? null]);
    let ordered = request.reverse ? oldestFirst : [...oldestFirst].reverse();
    if (request.bound) {
      const bound = request.bound;
      ordered = ordered.filter((item) => {
        const at = ms(item.createdAt);
        if ('endAt' in bound) return options.exclusiveBounds ? at < boundMs(bound.endAt) : at <= boundMs(bound.endAt);
        return options.exclusiveBounds ? at > boundMs(bound.startAt) : at >= boundMs(bound.startAt);
      });
    }
    let start = 0;
    if (request.pageToken !== undefined) {
      const token = tokens.get(request.pageToken);
      if (!token || token.query !== query) throw new Error('invalid pageToken for this query');
      start = ordered.indexOf(token.last) + 1;
    }
    const results = ordered.slice(start, start + request.limit);
    const last = results[results.length - 1];
    if (!last || start + results.length >= ordered.length) return { results };
    const nextPageToken = `tok-${tokens.size}-${Math.random().toString(36).slice(2)}`;
    tokens.set(nextPageToken, { query, last });
    return { results, nextPageToken };
  };
  const spec: ListSpec<Item> = {
    scope: 'Test.list|a',
    maxLimit: options.maxLimit,
    windowed: options.windowed ?? false,
    keyOf: (item) => [item.createdAt, item.id],
    fetch,
    ...(options.drop ? { check: (item: Item): Verdict => (options.drop!(item) ? 'drop' : 'keep') } : {}),
  };
  /** The list as a client sees it: newest first, what the guard drops left out. */
  const truth = [...oldestFirst].reverse().filter((item) => !options.drop?.(item));
  return { spec, calls, truth };
}

const BASE = Date.parse('2026-01-01T00:00:00.000Z');
/** `count` items, some sharing an instant (ties broken by id) and some within the same second. */
function items(count: number, { tieEvery = 7, stepMs = 900 } = {}): Item[] {
  const out: Item[] = [];
  let at = BASE;
  for (let i = 0; i < count; i++) {
    if (i % tieEvery !== tieEvery - 1) at += stepMs;
    out.push({ createdAt: new Date(at).toISOString(), id: `id-${String((i * 7919) % 10007).padStart(5, '0')}` });
  }
  return out;
}

function codeOf(error: unknown) {
  return error instanceof GraphQLError ? error.extensions.code : undefined;
}
function reasonOf(error: unknown) {
  return error instanceof GraphQLError ? error.extensions.reason : undefined;
}
const ids = (connection: Connection<Item>) => connection.edges.map((edge) => edge.node.id);

describe('cursor codec', () => {
  const resume = { direction: 'f' as const, pageToken: 'opaque', offset: 7, bound: null, seeking: false };
  const valid = encodeCursor('s', ['2026-01-01T00:00:00.000Z', 'x'], resume);

  it('round-trips an edge key and its resume position', () => {
    const decoded = decodeCursor(valid);
    expect(decoded.key).toEqual(['2026-01-01T00:00:00.000Z', 'x']);
    expect(decoded.resume).toEqual(resume);
  });

  const raw = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const parts = JSON.parse(Buffer.from(valid, 'base64url').toString()) as unknown[];
  const altered = (index: number, value: unknown) => raw(parts.map((part, i) => (i === index ? value : part)));
  const refused: [string, string, string][] = [
    ['empty', '', 'MALFORMED'],
    ['not base64url', '!!!', 'MALFORMED'],
    ['base64 of non-JSON', Buffer.from('hello').toString('base64url'), 'MALFORMED'],
    ['JSON of something else', raw({ page: 2 }), 'MALFORMED'],
    ['huge', 'A'.repeat(20_000), 'MALFORMED'],
    ['of the previous version', raw(['c1', 'f', 'abc', 3, 'x']), 'EXPIRED'],
    ['with a changed id', altered(3, 'y'), 'ALTERED'],
    ['with a changed time', altered(2, '2026-01-02T00:00:00.000Z'), 'ALTERED'],
    ['with a changed token', altered(4, ['f', 'other', 7, null, 0]), 'ALTERED'],
    ['with a changed check', altered(5, 'AAAAAAAAAAAAAAAA'), 'ALTERED'],
    ['of the wrong arity', raw(parts.slice(0, 5)), 'ALTERED'],
    ['with a negative offset', altered(4, ['f', 'opaque', -1, null, 0]), 'ALTERED'],
    ['with a token over 8000 characters', encodeCursor('s', ['2026-01-01T00:00:00.000Z', 'x'], { ...resume, pageToken: 'a'.repeat(8001) }), 'ALTERED'],
  ];
  it.each(refused)('refuses a cursor %s as BAD_USER_INPUT, saying why', (_name, cursor, reason) => {
    let caught: unknown;
    try {
      decodeCursor(cursor, 'after');
    } catch (error) {
      caught = error;
    }
    expect(codeOf(caught)).toBe('BAD_USER_INPUT');
    expect(reasonOf(caught)).toBe(reason);
    expect((caught as Error).message).toMatch(/^Invalid cursor `after`: /);
  });
});

describe('planPage', () => {
  const list = fakeList(items(10), { maxLimit: 50 });
  const cursor = encodeCursor(list.spec.scope, ['2026-01-01T00:00:00.000Z', 'x'], null);
  const invalid: [string, ConnectionArgs, string?][] = [
    ['first and last', { first: 1, last: 1 }],
    ['first above the cap', { first: 101 }],
    ['negative first', { first: -1 }],
    ['negative last', { last: -1 }],
    ['before with first', { first: 2, before: cursor }],
    ['after with last', { last: 2, after: cursor }],
    ['after and before', { after: cursor, before: cursor }],
    ['a cursor of another list', { first: 2, after: encodeCursor('another', ['2026-01-01T00:00:00.000Z', 'x'], null) }, 'OTHER_LIST'],
  ];
  it.each(invalid)('refuses %s before any fetch', async (_name, args, reason) => {
    const fresh = fakeList(items(10), { maxLimit: 50 });
    const outcome = resolveConnection(args, fresh.spec);
    await expect(outcome).rejects.toSatisfy((e) => codeOf(e) === 'BAD_USER_INPUT' && (reason === undefined || reasonOf(e) === reason));
    expect(fresh.calls).toHaveLength(0);
  });

  it('checks everything but the list without knowing it (the pre-execution check)', () => {
    expect(() => checkConnectionArgs({ first: -1 })).toThrow();
    expect(checkConnectionArgs({ last: 3, before: cursor })).toMatchObject({ size: 3, direction: 'r' });
    expect(checkConnectionArgs({})).toMatchObject({ size: 20, direction: 'f', cursor: null });
  });

  it('resumes with the token in the direction a cursor was read, and turns around by key otherwise', () => {
    const key = ['2026-01-01T00:00:10.500Z', 'x'] as const;
    const forward = encodeCursor(list.spec.scope, key, { direction: 'f', pageToken: 't', offset: 3, bound: null, seeking: false });
    expect(planPage({ first: 5, after: forward }, list.spec).strategy).toEqual({ kind: 'walk', pageToken: 't', offset: 3, bound: null, seek: null });
    expect(planPage({ last: 5, before: forward }, list.spec).strategy).toEqual({ kind: 'scan', key });
    expect(planPage({ last: 5, before: forward }, { ...list.spec, windowed: true }).strategy).toEqual({
      kind: 'walk',
      pageToken: null,
      offset: 0,
      bound: '2026-01-01T00:00:09.000Z',
      seek: key,
    });
  });
});

describe('walking one way', () => {
  it('walks every item exactly once in order with first/after, one fetch of exactly `first` per page', async () => {
    const list = fakeList(items(137), { maxLimit: 50 });
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const connection: Connection<Item> = await resolveConnection({ first: 20, after }, list.spec);
      seen.push(...ids(connection));
      expect(connection.pageInfo.hasPreviousPage).toBe(after !== null);
      pages++;
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(list.truth.map((item) => item.id));
    expect(list.calls).toHaveLength(pages);
    expect(list.calls.every((call) => call.limit === 20)).toBe(true);
  });

  it('walks backwards with last/before, oldest first upstream, edges in list order', async () => {
    const list = fakeList(items(45), { maxLimit: 50 });
    const seen: string[] = [];
    let before: string | null = null;
    for (;;) {
      const connection: Connection<Item> = await resolveConnection({ last: 10, before }, list.spec);
      seen.unshift(...ids(connection));
      expect(connection.pageInfo.hasNextPage).toBe(before !== null);
      if (!connection.pageInfo.hasPreviousPage) break;
      before = connection.pageInfo.startCursor;
    }
    expect(seen).toEqual(list.truth.map((item) => item.id));
    expect(list.calls.every((call) => call.reverse)).toBe(true);
  });

  it('resumes after an edge in the middle of an upstream page, and shortens a page the endpoint limit caps', async () => {
    const list = fakeList(items(200), { maxLimit: 50 });
    const first = await resolveConnection({ first: 45 }, list.spec);
    const resumed = await resolveConnection({ first: 20, after: first.edges[39]!.cursor }, list.spec);
    expect(ids(resumed)).toEqual(list.truth.slice(40, 50).map((item) => item.id));
    expect(resumed.pageInfo.hasNextPage).toBe(true);
    const next = await resolveConnection({ first: 20, after: resumed.pageInfo.endCursor }, list.spec);
    expect(next.edges[0]!.node).toBe(list.truth[50]);
  });

  it('reports honest page info on the last page and for first: 0', async () => {
    const list = fakeList(items(5), { maxLimit: 50 });
    expect((await resolveConnection({ first: 5 }, list.spec)).pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
    const none = await resolveConnection({ first: 0 }, list.spec);
    expect(none.edges).toEqual([]);
    expect(none.pageInfo).toMatchObject({ hasNextPage: true, startCursor: null, endCursor: null });
    const empty = fakeList([], { maxLimit: 50 });
    expect((await resolveConnection({ first: 3 }, empty.spec)).pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
  });
});

/** One page as the truth says it must be: the `n` items after (or before) `anchor` in the list. */
function expected(truth: Item[], args: { first?: number; last?: number }, anchor: Item | null) {
  const index = anchor === null ? null : truth.indexOf(anchor);
  if (args.last !== undefined) {
    const end = index ?? truth.length;
    const start = Math.max(0, end - args.last);
    return { items: truth.slice(start, end), hasPrevious: start > 0, hasNext: index !== null };
  }
  const start = index === null ? 0 : index + 1;
  const n = args.first ?? 20;
  return { items: truth.slice(start, start + n), hasPrevious: index !== null, hasNext: start + n < truth.length };
}

interface Step {
  backward: boolean;
  size: number;
  /** Which known cursor to start from (null: from the end), as a fraction of those known. */
  pick: number | null;
}

/**
 * Any sequence of pages, each from any edge of any page read so far, in either direction, is exactly the truth's slice
 * (no duplicates, no gaps), with truthful page info at both ends. Turn-arounds may return a short page only when the
 * endpoint limit caps a fetch; the rest must be whole.
 */
async function checkWalk(list: ReturnType<typeof fakeList>, steps: Step[], { guarded = false } = {}) {
  const known: { cursor: string; item: Item }[] = [];
  for (const step of steps) {
    const cursorOf = step.pick === null || known.length === 0 ? null : known[Math.min(known.length - 1, Math.floor(step.pick * known.length))]!;
    const args: ConnectionArgs = step.backward
      ? { last: step.size, ...(cursorOf ? { before: cursorOf.cursor } : {}) }
      : { first: step.size, ...(cursorOf ? { after: cursorOf.cursor } : {}) };
    const connection = await resolveConnection(args, list.spec);
    const want = expected(list.truth, step.backward ? { last: step.size } : { first: step.size }, cursorOf?.item ?? null);
    const got = connection.edges.map((edge) => edge.node);
    if (got.length === want.items.length) {
      expect(got).toEqual(want.items);
      // With items dropped by the guard, "more follow" may be said of items that are then dropped too (never the reverse).
      const far = step.backward ? connection.pageInfo.hasPreviousPage : connection.pageInfo.hasNextPage;
      const wantFar = step.backward ? want.hasPrevious : want.hasNext;
      if (!guarded || wantFar) expect(far).toBe(wantFar);
      expect(step.backward ? connection.pageInfo.hasNextPage : connection.pageInfo.hasPreviousPage).toBe(
        step.backward ? want.hasNext : want.hasPrevious,
      );
    } else {
      // A page shortened by the endpoint limit or the guard: still the items right next to the cursor, and it says more follow.
      if (!guarded) expect(got.length).toBeGreaterThan(0);
      expect(got).toEqual(step.backward ? want.items.slice(want.items.length - got.length) : want.items.slice(0, got.length));
      expect(step.backward ? connection.pageInfo.hasPreviousPage : connection.pageInfo.hasNextPage).toBe(true);
    }
    for (const edge of connection.edges) known.push({ cursor: edge.cursor, item: edge.node });
  }
}

const stepArb = fc.record({
  backward: fc.boolean(),
  size: fc.integer({ min: 0, max: 12 }),
  pick: fc.option(fc.double({ min: 0, max: 0.999, noNaN: true }), { nil: null }),
});

describe('cursors both ways', () => {
  it('walks forward, back from a mid-page cursor, and forward again on a message list: 1 call per page', async () => {
    const list = fakeList(items(120), { maxLimit: 1000, windowed: true });
    const page1 = await resolveConnection({ first: 25 }, list.spec);
    const page2 = await resolveConnection({ first: 25, after: page1.pageInfo.endCursor }, list.spec);
    const middle = page2.edges[12]!;
    const back = await resolveConnection({ last: 30, before: middle.cursor }, list.spec);
    expect(ids(back)).toEqual(list.truth.slice(7, 37).map((item) => item.id));
    expect(back.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    const forward = await resolveConnection({ first: 40, after: back.pageInfo.endCursor }, list.spec);
    expect(ids(forward)).toEqual(list.truth.slice(37, 77).map((item) => item.id));
    expect(list.calls).toHaveLength(4);
    // The turn-around asked Bird for a window from just before the cursor's time, oldest first.
    expect(list.calls[2]).toMatchObject({ reverse: true, bound: { startAt: expect.any(String) } });
  });

  it('holds for any walk on a message list, whether Bird truncates its bounds or treats them as exclusive', async () => {
    for (const options of [{}, { truncateBoundsToSeconds: true }, { exclusiveBounds: true }]) {
      await fc.assert(
        fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 12 }), async (steps) => {
          await checkWalk(fakeList(items(90, { tieEvery: 4, stepMs: 400 }), { maxLimit: 1000, windowed: true, ...options }), steps);
        }),
        { numRuns: 60 },
      );
    }
  });

  it('holds for any walk on a list without time bounds, and on one capped at small pages', async () => {
    for (const maxLimit of [1000, 7]) {
      await fc.assert(
        fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 12 }), async (steps) => {
          await checkWalk(fakeList(items(50), { maxLimit }), steps);
        }),
        { numRuns: 60 },
      );
    }
  });

  it('holds for any walk while the guard drops every third item, both kinds of list', async () => {
    for (const windowed of [true, false]) {
      await fc.assert(
        fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 10 }), async (steps) => {
          const tagged = items(70, { tieEvery: 5, stepMs: 700 }).map((item, i) => ({ ...item, tag: i % 3 === 1 ? 'no' : 'yes' }));
          await checkWalk(fakeList(tagged, { maxLimit: windowed ? 1000 : 9, windowed, drop: (item) => item.tag === 'no' }), steps, { guarded: true });
        }),
        { numRuns: 60 },
      );
    }
  });

  it('turns around on a list without time bounds by reading up to the cursor: ⌈(position + 1) / limit⌉ calls', async () => {
    const list = fakeList(items(250), { maxLimit: 100 });
    let after: string | null = null;
    let page: Connection<Item> | undefined;
    for (let i = 0; i < 8; i++) {
      page = await resolveConnection({ first: 20, after }, list.spec);
      after = page.pageInfo.endCursor;
    }
    list.calls.length = 0;
    // The first edge of the 8th page sits at position 140: 2 calls of 100 reach it.
    const back = await resolveConnection({ last: 10, before: page!.pageInfo.startCursor }, list.spec);
    expect(ids(back)).toEqual(list.truth.slice(130, 140).map((item) => item.id));
    expect(list.calls).toHaveLength(2);
    expect(list.calls.every((call) => !call.reverse && call.limit === 100)).toBe(true);
    // Its cursors resume forward with a token again: 1 call.
    list.calls.length = 0;
    const again = await resolveConnection({ first: 5, after: back.pageInfo.endCursor }, list.spec);
    expect(ids(again)).toEqual(list.truth.slice(140, 145).map((item) => item.id));
    expect(list.calls).toHaveLength(1);
  });

  it('refuses a turn-around that would read more than MAX_SCAN_FETCHES pages', async () => {
    const list = fakeList(items(MAX_SCAN_FETCHES * 10 + 20), { maxLimit: 10 });
    const deep = list.truth[MAX_SCAN_FETCHES * 10 + 5]!;
    const cursor = encodeCursor(list.spec.scope, [deep.createdAt, deep.id], { direction: 'f', pageToken: null, offset: 0, bound: null, seeking: false });
    await expect(resolveConnection({ last: 3, before: cursor }, list.spec)).rejects.toSatisfy((e) => reasonOf(e) === 'TOO_DEEP');
    expect(list.calls).toHaveLength(MAX_SCAN_FETCHES);
  });

  it('finds the cursor among many items sharing its instant', async () => {
    const same = Array.from({ length: 60 }, (_, i) => ({ createdAt: '2026-01-01T00:00:00.000Z', id: `tie-${String(i).padStart(2, '0')}` }));
    const list = fakeList(same, { maxLimit: 1000, windowed: true });
    const page = await resolveConnection({ first: 50 }, list.spec);
    const back = await resolveConnection({ last: 5, before: page.edges[45]!.cursor }, list.spec);
    expect(ids(back)).toEqual(list.truth.slice(40, 45).map((item) => item.id));
  });
});

describe('the filter guard', () => {
  it('drops what the guard rejects; pages may be short but cursors and hasNextPage stay exact', async () => {
    const all = items(80).map((item, i) => ({ ...item, tag: i % 3 === 0 ? 'wanted' : 'other' }));
    const list = fakeList(all, { maxLimit: 1000, drop: (item) => item.tag !== 'wanted' });
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const connection: Connection<Item> = await resolveConnection({ first: 9, after }, list.spec);
      expect(connection.edges.length).toBeLessThanOrEqual(9);
      seen.push(...ids(connection));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(list.truth.map((item) => item.id));
    expect(list.truth.every((item) => item.tag === 'wanted')).toBe(true);
  });

  it('reads on when a whole page is dropped, and then answers a cursor to go on from', async () => {
    const all = items(100).map((item, i) => ({ ...item, tag: i === 3 ? 'wanted' : 'other' }));
    const list = fakeList(all, { maxLimit: 1000, drop: (item) => item.tag !== 'wanted' });
    // Newest first, the only match is the 97th item: 96 dropped ones come before it.
    const first = await resolveConnection({ first: 10 }, list.spec);
    expect(first.edges).toEqual([]);
    expect(list.calls).toHaveLength(MAX_FETCHES_PER_PAGE);
    expect(first.pageInfo.hasNextPage).toBe(true);
    let after = first.pageInfo.endCursor;
    let pages = 1;
    let connection = first;
    while (connection.edges.length === 0 && connection.pageInfo.hasNextPage) {
      expect(after).not.toBeNull();
      connection = await resolveConnection({ first: 10, after }, list.spec);
      after = connection.pageInfo.endCursor;
      pages++;
    }
    expect(ids(connection)).toEqual([all[3]!.id]);
    expect(connection.pageInfo.hasNextPage).toBe(false);
    // Each empty page read MAX_FETCHES_PER_PAGE pages of 10; nothing was read twice.
    expect(pages).toBe(Math.ceil(97 / (MAX_FETCHES_PER_PAGE * 10)));
    expect(list.calls.reduce((sum, call) => sum + call.limit, 0)).toBeLessThanOrEqual(100 + 10);
  });

  it('ends the walk at an item the guard says is past a bound, without reading on', async () => {
    const all = items(40);
    const cutoff = all[20]!.createdAt;
    const list = fakeList(all, { maxLimit: 1000 });
    const spec: ListSpec<Item> = {
      ...list.spec,
      check: (item, request) => (Date.parse(item.createdAt) < Date.parse(cutoff) ? (request.reverse ? 'drop' : 'end') : 'keep'),
    };
    const page = await resolveConnection({ first: 30 }, spec);
    expect(page.edges.map((edge) => edge.node)).toEqual(list.truth.filter((item) => Date.parse(item.createdAt) >= Date.parse(cutoff)));
    expect(page.pageInfo.hasNextPage).toBe(false);
  });
});
