// The filter guard's rules: what a walk sends (bounds, the 7-day rule) and how each filter is checked on what Bird returns.
import { describe, expect, it } from 'vitest';
import type { Channel, Message } from '../../src/bird/types.ts';
import type { UpstreamPageRequest } from '../../src/schema/pagination.ts';
import { MAX_CHANNEL_WINDOW_MS, channelGuard, messageGuard, sameIdentifier, upstreamFilter } from '../../src/schema/filter-guard.ts';

const FORWARD: UpstreamPageRequest = { limit: 10, reverse: false };
const BACKWARD: UpstreamPageRequest = { limit: 10, reverse: true };

function message(overrides: Partial<Message> = {}): Message {
  return {
    id: 'm1',
    channelId: 'c1',
    sender: { contact: { id: 'k1', identifierKey: 'phonenumber', identifierValue: '+31 6 1234 5678' } },
    receiver: { connector: { id: 'n1', identifierValue: '+3197010250000' } },
    status: 'delivered',
    direction: 'incoming',
    lastStatusAt: '2026-01-10T00:00:00.000Z',
    createdAt: '2026-01-10T00:00:00.000Z',
    updatedAt: '2026-01-10T00:00:00.000Z',
    ...overrides,
  };
}

function verdicts(filter: Parameters<typeof messageGuard>[0], messages: Message[], request: UpstreamPageRequest = FORWARD) {
  const reported: string[] = [];
  const guard = messageGuard(filter, { list: 'channel', report: (_list, name) => reported.push(name) });
  return { verdicts: messages.map((m) => guard.check(m, request, false)), reported };
}

describe('what a walk sends', () => {
  it('intersects the filter’s window with the walk’s bound', () => {
    const filter = { startAt: '2026-01-01T00:00:00.000Z', endAt: '2026-01-05T00:00:00.000Z' };
    expect(upstreamFilter(filter, { endAt: '2026-01-03T00:00:00.000Z' }, 'channel')).toEqual({ ...filter, endAt: '2026-01-03T00:00:00.000Z' });
    expect(upstreamFilter(filter, { endAt: '2026-02-01T00:00:00.000Z' }, 'channel')).toEqual(filter);
    expect(upstreamFilter(filter, { startAt: '2026-01-02T00:00:00.000Z' }, 'channel')).toEqual({ ...filter, startAt: '2026-01-02T00:00:00.000Z' });
    expect(upstreamFilter(filter, undefined, 'channel')).toBe(filter);
  });

  it('leaves the filter’s own far bound to the local check when the pair would pass 7 days on a channel', () => {
    const filter = { startAt: '2026-01-01T00:00:00.000Z', tag: 'x' };
    const bound = { endAt: new Date(Date.parse(filter.startAt) + MAX_CHANNEL_WINDOW_MS + 1).toISOString() };
    expect(upstreamFilter(filter, bound, 'channel')).toEqual({ tag: 'x', endAt: bound.endAt });
    expect(upstreamFilter(filter, bound, 'workspace')).toEqual({ ...filter, endAt: bound.endAt });
    const end = { endAt: '2026-03-01T00:00:00.000Z' };
    expect(upstreamFilter(end, { startAt: '2026-01-01T00:00:00.000Z' }, 'channel')).toEqual({ startAt: '2026-01-01T00:00:00.000Z' });
  });
});

describe('checking messages', () => {
  it('drops each mismatch and names every filter it fails', () => {
    const { verdicts: v, reported } = verdicts({ direction: 'outgoing', status: ['sent'] }, [message(), message({ direction: 'outgoing', status: 'sent' })]);
    expect(v).toEqual(['drop', 'keep']);
    expect(reported).toEqual(['direction', 'status']);
  });

  it('infers the direction from the sender when Bird omits it', () => {
    const outgoing = message({ direction: undefined, sender: { connector: { id: 'n1' } } });
    expect(verdicts({ direction: 'outgoing' }, [outgoing, message({ direction: undefined })]).verdicts).toEqual(['keep', 'drop']);
  });

  it('matches identifiers case-insensitively and phone numbers by their digits, on either party', () => {
    expect(sameIdentifier('+31 6 1234 5678', '+31612345678')).toBe(true);
    expect(sameIdentifier('Ann@Example.com', 'ann@example.com')).toBe(true);
    expect(sameIdentifier('+31612345678', '+31612345679')).toBe(false);
    expect(verdicts({ senderIdentifier: '+31612345678' }, [message()]).verdicts).toEqual(['keep']);
    expect(verdicts({ recipientIdentifier: '+3197010250000' }, [message()]).verdicts).toEqual(['keep']);
    expect(verdicts({ recipientIdentifier: '+31600000000' }, [message()]).verdicts).toEqual(['drop']);
  });

  it('keeps what it cannot judge: a message without batchId, a sender without identifiers', () => {
    expect(verdicts({ batchId: 'b1' }, [message(), message({ batchId: 'B1' }), message({ batchId: 'b2' })]).verdicts).toEqual(['keep', 'keep', 'drop']);
    expect(verdicts({ senderIdentifier: 'x' }, [message({ sender: { connector: { id: 'n1' } } })]).verdicts).toEqual(['keep']);
  });

  it('checks tags and subjects as Bird stores them', () => {
    const tagged = message({ tags: ['promo', 'spring'] });
    expect(verdicts({ tag: 'PROMO' }, [tagged, message()]).verdicts).toEqual(['keep', 'drop']);
    const email = message({ meta: { email: { subject: 'Your order 1042 shipped' } } });
    const inBody = message({ body: { type: 'html', html: { html: '<p/>', metadata: { subject: 'Order update' } } } as Message['body'] });
    expect(verdicts({ subject: 'order' }, [email, inBody, message()]).verdicts).toEqual(['keep', 'keep', 'drop']);
  });

  it('ends the walk past the bound it walks away from, and drops what lies before the bound it walks towards', () => {
    const filter = { startAt: '2026-01-05T00:00:00.000Z', endAt: '2026-01-20T00:00:00.000Z' };
    const early = message({ createdAt: '2026-01-01T00:00:00.000Z' });
    const late = message({ createdAt: '2026-01-25T00:00:00.000Z' });
    expect(verdicts(filter, [late, message(), early], FORWARD).verdicts).toEqual(['drop', 'keep', 'end']);
    expect(verdicts(filter, [early, message(), late], BACKWARD).verdicts).toEqual(['drop', 'keep', 'end']);
  });

  it('does not count a bound it did not send (left to the local check by the 7-day rule)', () => {
    const filter = { startAt: '2026-01-01T00:00:00.000Z' };
    const request = { ...FORWARD, bound: { endAt: '2026-03-01T00:00:00.000Z' } };
    const { verdicts: v, reported } = verdicts(filter, [message({ createdAt: '2025-12-01T00:00:00.000Z' })], request);
    expect(v).toEqual(['end']);
    expect(reported).toEqual([]);
    expect(verdicts(filter, [message({ createdAt: '2025-12-01T00:00:00.000Z' })]).reported).toEqual(['startAt']);
  });

  it('checks the platform through the channels’ platforms, and keeps what it cannot look up', async () => {
    const guard = messageGuard({ platform: 'sms' }, { list: 'workspace', platforms: async () => new Map([['c1', 'sms'], ['c2', 'email']]) });
    const page = [message(), message({ channelId: 'c2' }), message({ channelId: 'c3' })];
    await guard.prepare(page);
    expect(page.map((m) => guard.check(m, FORWARD, false))).toEqual(['keep', 'drop', 'keep']);
    const failing = messageGuard({ platform: 'sms' }, { list: 'workspace', platforms: async () => Promise.reject(new Error('down')) });
    await failing.prepare(page);
    expect(page.map((m) => failing.check(m, FORWARD, false))).toEqual(['keep', 'keep', 'keep']);
  });

  it('never counts a peek', () => {
    const reported: string[] = [];
    const guard = messageGuard({ status: ['sent'] }, { list: 'channel', report: (_l, name) => reported.push(name) });
    expect(guard.check(message(), FORWARD, true)).toBe('drop');
    expect(reported).toEqual([]);
  });
});

describe('checking channels', () => {
  const channel = (overrides: Partial<Channel>): Channel => ({ id: 'c', platformId: 'sms', name: 'n', connectorId: 'k', status: 'active', ...overrides });
  it('checks platforms, status and use case', () => {
    const reported: string[] = [];
    const check = channelGuard({ platform: ['sms', 'whatsapp'], status: 'active', useCaseType: 'marketing' }, (_l, name) => reported.push(name));
    expect(check(channel({ useCaseType: 'marketing' }), FORWARD, false)).toBe('keep');
    expect(check(channel({ platformId: 'email', status: 'inactive', useCaseType: 'marketing' }), FORWARD, false)).toBe('drop');
    expect(reported).toEqual(['platform', 'status']);
  });
});
