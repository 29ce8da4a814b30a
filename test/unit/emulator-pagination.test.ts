// Emulator lists: keyset pages walked in both orders, token resumption across limits, strict tokens, limits, every message filter and the 7-day rule.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../src/bird/types.ts';
import { SEED } from '../../src/emulator/seed.ts';
import { startEmulator, type Emulator } from '../../src/emulator/server.ts';
import { encodePageToken } from '../../src/emulator/pages.ts';
import { get, newestFirst, SMS, walk, WS, type QueryInput } from './emulator-helpers.ts';

const SMS_PATH = `/workspaces/${WS}/channels/${SMS}/messages`;
const WS_PATH = `/workspaces/${WS}/messages`;
const DAY = 24 * 3600 * 1000;

let e: Emulator;
/** Every seeded SMS message, newest first, computed from the store (not through the HTTP list). */
let smsNewestFirst: Message[];
beforeAll(async () => {
  e = await startEmulator({ rateLimits: false });
  smsNewestFirst = [...e.store.allMessages(WS, SMS)].sort(newestFirst);
});
afterAll(() => e.close());

const ids = (ms: { id: string }[]) => ms.map((m) => m.id);

describe('walking every page of the large SMS channel', () => {
  it.each([1, 7, 50, 1000])('newest first with limit %i: no duplicate, no gap, correct order', async (limit) => {
    const { items, pages } = await walk<Message>(e, SMS_PATH, { limit });
    expect(items).toHaveLength(SEED.counts.smsMessages);
    expect(new Set(ids(items)).size).toBe(items.length);
    expect(ids(items)).toEqual(ids(smsNewestFirst));
    expect(pages).toBe(Math.ceil(SEED.counts.smsMessages / limit));
  });

  it.each([3, 64])('oldest first (reverse=true) with limit %i is the exact reverse', async (limit) => {
    const { items } = await walk<Message>(e, SMS_PATH, { limit, reverse: true });
    expect(ids(items)).toEqual(ids([...smsNewestFirst].reverse()));
  });

  it('the seed has messages sharing a createdAt, ordered by id', () => {
    const shared = smsNewestFirst.filter((m, i) => smsNewestFirst[i + 1]?.createdAt === m.createdAt);
    expect(shared.length).toBeGreaterThan(0);
  });

  it('omits nextPageToken on the last page only', async () => {
    const last = await get(e, SMS_PATH, { query: { limit: SEED.counts.smsMessages } });
    expect(last.body.results).toHaveLength(SEED.counts.smsMessages);
    expect(last.body).not.toHaveProperty('nextPageToken');
    const notLast = await get(e, SMS_PATH, { query: { limit: SEED.counts.smsMessages - 1 } });
    expect(notLast.body.nextPageToken).toEqual(expect.any(String));
  });
});

describe('page tokens', () => {
  it('are standard base64 of JSON [createdAt, id] of the last item returned', async () => {
    const res = await get(e, SMS_PATH, { query: { limit: 5 } });
    const last = res.body.results[4] as Message;
    expect(res.body.nextPageToken).toBe(Buffer.from(JSON.stringify([last.createdAt, last.id])).toString('base64'));
  });

  it('resume identically whatever limit produced them', async () => {
    const fromThree = await get(e, SMS_PATH, { query: { limit: 3 } });
    const fromThreeNext = await get(e, SMS_PATH, { query: { limit: 3, pageToken: fromThree.body.nextPageToken } });
    // position 6, reached with limit 3 twice, then resumed with other limits
    for (const limit of [1, 13, 200]) {
      const res = await get(e, SMS_PATH, { query: { limit, pageToken: fromThreeNext.body.nextPageToken } });
      expect(ids(res.body.results)).toEqual(ids(smsNewestFirst.slice(6, 6 + limit)));
    }
    // and the same position reached with limit 6 gives the same token
    const fromSix = await get(e, SMS_PATH, { query: { limit: 6 } });
    expect(fromSix.body.nextPageToken).toBe(fromThreeNext.body.nextPageToken);
  });

  it('resume in reverse from the same kind of token', async () => {
    const oldest = [...smsNewestFirst].reverse();
    const first = await get(e, SMS_PATH, { query: { limit: 10, reverse: true } });
    const next = await get(e, SMS_PATH, { query: { limit: 4, reverse: true, pageToken: first.body.nextPageToken } });
    expect(ids(next.body.results)).toEqual(ids(oldest.slice(10, 14)));
  });

  it.each([
    ['not base64', 'not base64!'],
    ['base64 without padding', Buffer.from('["2025-01-01T00:00:00.000Z","x"]').toString('base64').replace(/=+$/, '')],
    ['not JSON', Buffer.from('hello').toString('base64')],
    ['not an array', Buffer.from('{"a":1}').toString('base64')],
    ['wrong arity', Buffer.from('["2025-01-01T00:00:00.000Z"]').toString('base64')],
    ['not a date', encodePageToken(['yesterday', 'x'])],
    ['empty id', encodePageToken(['2025-01-01T00:00:00.000Z', ''])],
    ['over 8000 chars', 'A'.repeat(8004)],
  ])('400 for a malformed token (%s)', async (_, token) => {
    const res = await get(e, SMS_PATH, { query: { pageToken: token } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('InvalidRequest');
  });
});

describe('limits', () => {
  it.each([
    ['0', 400],
    ['1001', 400],
    ['-1', 400],
    ['1.5', 400],
    ['abc', 400],
    ['', 400],
    ['1', 200],
    ['1000', 200],
  ])('message list limit=%s → %i', async (limit, status) => {
    expect((await get(e, SMS_PATH, { query: { limit } })).status).toBe(status);
    expect((await get(e, WS_PATH, { query: { limit } })).status).toBe(status);
  });

  it('defaults to 10', async () => {
    expect((await get(e, SMS_PATH)).body.results).toHaveLength(10);
  });

  it('400 on a repeated limit or a bad reverse', async () => {
    expect((await get(e, SMS_PATH, { query: { limit: [1, 2] } })).status).toBe(400);
    expect((await get(e, SMS_PATH, { query: { reverse: 'yes' } })).status).toBe(400);
  });
});

describe('message filters (checked against an independent computation over the store)', () => {
  /** Every id the list returns for `query` (one page of up to 1000, walking on if needed). */
  const listed = async (path: string, query: QueryInput) => ids((await walk<Message>(e, path, { limit: 1000, ...query })).items);
  const expected = (channelId: string | undefined, pred: (m: Message) => boolean) =>
    ids([...e.store.allMessages(WS, channelId)].sort(newestFirst).filter(pred));
  const identifiersOf = (party: Message['sender'] | Message['receiver']) =>
    'connector' in party
      ? [party.connector.identifierValue]
      : 'contact' in party
        ? [party.contact.identifierValue]
        : party.contacts.map((c) => c.identifierValue);
  const anna = SEED.contacts[0] as (typeof SEED.contacts)[number];

  const cases: [string, QueryInput, (m: Message) => boolean][] = [
    ['status single', { status: 'delivered' }, (m) => m.status === 'delivered'],
    ['status CSV', { status: 'sent,delivery_failed' }, (m) => m.status === 'sent' || m.status === 'delivery_failed'],
    ['status repeated', { status: ['accepted', 'rejected'] }, (m) => m.status === 'accepted' || m.status === 'rejected'],
    ['direction', { direction: 'incoming' }, (m) => m.direction === 'incoming'],
    ['tag', { tag: 'promo' }, (m) => m.tags?.includes('promo') ?? false],
    ['tag (case-insensitive)', { tag: 'BILLING' }, (m) => m.tags?.includes('billing') ?? false],
    ['senderIdentifier (contact)', { senderIdentifier: anna.phone }, (m) => identifiersOf(m.sender).includes(anna.phone)],
    [
      'senderIdentifier (connector)',
      { senderIdentifier: SEED.channels.sms.identifier },
      (m) => identifiersOf(m.sender).includes(SEED.channels.sms.identifier),
    ],
    ['recipientIdentifier', { recipientIdentifier: anna.phone }, (m) => identifiersOf(m.receiver).includes(anna.phone)],
    ['batchId', { batchId: SEED.batches.smsPromo }, (m) => m.batchId === SEED.batches.smsPromo],
    [
      'several filters at once',
      { direction: 'outgoing', status: 'delivered', tag: 'promo' },
      (m) => m.direction === 'outgoing' && m.status === 'delivered' && (m.tags?.includes('promo') ?? false),
    ],
  ];

  it.each(cases)('channel list: %s', async (_, query, pred) => {
    const want = expected(SMS, pred);
    expect(want.length).toBeGreaterThan(0);
    expect(want.length).toBeLessThan(SEED.counts.smsMessages);
    expect(await listed(SMS_PATH, query)).toEqual(want);
  });

  it.each(cases.filter(([, query]) => !('batchId' in query)))('workspace list: %s', async (_, query, pred) => {
    const want = expected(undefined, pred);
    expect(want.length).toBeGreaterThan(0);
    expect(await listed(WS_PATH, query)).toEqual(want);
  });

  it('the batch filter finds the seeded batch', async () => {
    expect(await listed(SMS_PATH, { batchId: SEED.batches.smsPromo })).toHaveLength(SEED.counts.smsPromoBatch);
  });

  it('startAt / endAt are inclusive bounds on createdAt', async () => {
    const window = smsNewestFirst.slice(40, 90); // newest first: [40] is the latest of the window
    const endAt = (window[0] as Message).createdAt;
    const startAt = (window.at(-1) as Message).createdAt;
    expect(Date.parse(endAt) - Date.parse(startAt)).toBeLessThanOrEqual(7 * DAY);
    const want = expected(SMS, (m) => m.createdAt >= startAt && m.createdAt <= endAt);
    expect(want).toEqual(expect.arrayContaining(ids(window)));
    expect(await listed(SMS_PATH, { startAt, endAt })).toEqual(want);
    expect(await listed(SMS_PATH, { startAt })).toEqual(expected(SMS, (m) => m.createdAt >= startAt));
    expect(await listed(SMS_PATH, { endAt })).toEqual(expected(SMS, (m) => m.createdAt <= endAt));
  });

  it('subject: case-insensitive substring of meta.email.subject or the body metadata subject', async () => {
    const subjectOf = (m: Message) =>
      [m.meta?.email?.subject, m.body?.type === 'html' ? m.body.html.metadata?.subject : undefined, m.body?.type === 'text' ? m.body.text.metadata?.subject : undefined]
        .filter(Boolean)
        .join('\n')
        .toLowerCase();
    const email = SEED.channels.email.id;
    const want = expected(email, (m) => subjectOf(m).includes('invoice'));
    expect(want.length).toBeGreaterThan(0);
    expect(await listed(`/workspaces/${WS}/channels/${email}/messages`, { subject: 'INVOICE' })).toEqual(want);
    // both places are searched
    const all = e.store.allMessages(WS, email).filter((m) => want.includes(m.id));
    expect(all.some((m) => m.meta?.email?.subject)).toBe(true);
    expect(all.some((m) => m.body?.type === 'html' && m.body.html.metadata?.subject)).toBe(true);
  });

  it('workspace list: platform, channelId and the shared filters', async () => {
    const platformOf = new Map(Object.values(SEED.channels).map((c) => [c.id as string, c.platformId as string]));
    expect(await listed(WS_PATH, {})).toHaveLength(e.store.allMessages(WS).length);
    expect(await listed(WS_PATH, { platform: 'email' })).toEqual(expected(undefined, (m) => platformOf.get(m.channelId) === 'email'));
    expect(await listed(WS_PATH, { channelId: SEED.channels.whatsapp.id })).toEqual(expected(undefined, (m) => m.channelId === SEED.channels.whatsapp.id));
    expect(await listed(WS_PATH, { recipientIdentifier: anna.email ?? '' })).toEqual(
      expected(undefined, (m) => identifiersOf(m.receiver).includes(anna.email)),
    );
    expect(await listed(WS_PATH, { subject: 'welcome', direction: 'outgoing' })).toEqual(
      expected(
        undefined,
        (m) =>
          m.direction === 'outgoing' &&
          [m.meta?.email?.subject, m.body?.type === 'html' ? m.body.html.metadata?.subject : ''].join(' ').toLowerCase().includes('welcome'),
      ),
    );
  });

  it.each([
    ['status', { status: 'bogus' }],
    ['status in a CSV', { status: 'sent,bogus' }],
    ['direction', { direction: 'sideways' }],
    ['startAt', { startAt: 'yesterday' }],
    ['endAt', { endAt: '2025-13-45' }],
    ['batchId', { batchId: 'not-a-uuid' }],
    ['startAt after endAt', { startAt: '2025-06-10T00:00:00Z', endAt: '2025-06-09T00:00:00Z' }],
  ])('400 for a bad %s', async (_, query) => {
    const res = await get(e, SMS_PATH, { query });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('InvalidRequest');
  });
});

describe('the 7-day rule', () => {
  const start = '2025-06-01T00:00:00.000Z';
  const at = (ms: number) => new Date(Date.parse(start) + ms).toISOString();

  it('channel list: both dates more than 7 days apart → 400 "Bad request: Invalid time range to filter"', async () => {
    const res = await get(e, SMS_PATH, { query: { startAt: start, endAt: at(7 * DAY + 1) } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 'InvalidRequest', message: 'Bad request: Invalid time range to filter' });
  });

  it('channel list: exactly 7 days, or only one date, is fine', async () => {
    expect((await get(e, SMS_PATH, { query: { startAt: start, endAt: at(7 * DAY) } })).status).toBe(200);
    expect((await get(e, SMS_PATH, { query: { startAt: start } })).status).toBe(200);
    expect((await get(e, SMS_PATH, { query: { endAt: at(30 * DAY) } })).status).toBe(200);
  });

  it('workspace list: no window limit', async () => {
    const res = await get(e, WS_PATH, { query: { startAt: at(-30 * DAY), endAt: at(30 * DAY), limit: 1000 } });
    expect(res.status).toBe(200);
    expect(res.body.results.length).toBeGreaterThan(0);
  });
});

describe('other lists page the same way', () => {
  it('channels, contacts and workspaces: full walk equals one big page', async () => {
    for (const [path, max] of [
      [`/workspaces/${WS}/channels`, 1000],
      [`/workspaces/${WS}/contacts`, 100],
      [`/organizations/${SEED.organizationId}/workspaces`, 100],
    ] as const) {
      const { items } = await walk<{ id: string }>(e, path, { limit: 2 });
      const big = await get(e, path, { query: { limit: max } });
      expect(ids(items)).toEqual(ids(big.body.results));
      const { items: reversed } = await walk<{ id: string }>(e, path, { limit: 3, reverse: true });
      expect(ids(reversed)).toEqual(ids(big.body.results).reverse());
    }
  });
});
