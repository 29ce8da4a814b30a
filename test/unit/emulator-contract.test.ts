// Emulator contract: every read endpoint's success and documented errors (auth 401/403, 404, 400), headers and the request log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from '../../src/emulator/seed.ts';
import { startEmulator, type Emulator } from '../../src/emulator/server.ts';
import { get, KEY, post, SMS, WS, WS2 } from './emulator-helpers.ts';

const ORG = SEED.organizationId;
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const contact = SEED.contacts[0] as (typeof SEED.contacts)[number];

let e: Emulator;
beforeAll(async () => {
  e = await startEmulator({ rateLimits: false });
});
afterAll(() => e.close());

describe('auth', () => {
  const path = `/workspaces/${WS}/channels`;

  it('accepts AccessKey and Bearer schemes alike', async () => {
    expect((await get(e, path)).status).toBe(200);
    expect((await get(e, path, { scheme: 'Bearer' })).status).toBe(200);
  });

  it.each([
    ['missing header', { key: null }],
    ['unknown key', { key: 'nope' }],
    ['unknown scheme', { scheme: 'Basic' }],
  ])('401 Unauthorized on %s', async (_, options) => {
    const res = await get(e, path, options);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ code: 'Unauthorized', message: expect.any(String) });
  });

  it('403 Forbidden when the key does not cover the workspace, 200 where it does', async () => {
    const denied = await get(e, path, { key: SEED.accessKeys.scoped });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('Forbidden');
    expect((await get(e, `/workspaces/${WS2}/channels`, { key: SEED.accessKeys.scoped })).status).toBe(200);
  });

  it('answers JSON with content-type and content-length', async () => {
    const res = await get(e, path);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(Number(res.headers.get('content-length'))).toBe(Buffer.byteLength(res.text));
  });
});

describe('workspaces', () => {
  it('lists the organization workspaces (a scoped key sees only its own)', async () => {
    const all = await get(e, `/organizations/${ORG}/workspaces`);
    expect(all.status).toBe(200);
    expect(all.body.results.map((w: { id: string }) => w.id).sort()).toEqual(Object.values(SEED.workspaces).map((w) => w.id).sort());
    const scoped = await get(e, `/organizations/${ORG}/workspaces`, { key: SEED.accessKeys.scoped });
    expect(scoped.body.results.map((w: { id: string }) => w.id)).toEqual([WS2]);
  });

  it('gets one workspace; 404 for unknown org or workspace; 403 outside the key scope', async () => {
    const res = await get(e, `/organizations/${ORG}/workspaces/${WS}`);
    expect(res.body).toMatchObject({ id: WS, organizationId: ORG, name: SEED.workspaces.main.name, status: 'active' });
    expect((await get(e, `/organizations/${UNKNOWN}/workspaces`)).status).toBe(404);
    expect((await get(e, `/organizations/${ORG}/workspaces/${UNKNOWN}`)).status).toBe(404);
    expect((await get(e, `/organizations/${ORG}/workspaces/${WS}`, { key: SEED.accessKeys.scoped })).status).toBe(403);
  });

  it('400 on a bad limit (workspaces: 1..100)', async () => {
    expect((await get(e, `/organizations/${ORG}/workspaces`, { query: { limit: 101 } })).status).toBe(400);
  });
});

describe('channels', () => {
  it('gets a channel; 404 for unknown ids and for a channel of another workspace', async () => {
    const res = await get(e, `/workspaces/${WS}/channels/${SMS}`);
    expect(res.body).toMatchObject({
      id: SMS,
      platformId: 'sms',
      connectorId: SEED.channels.sms.connectorId,
      identifier: SEED.channels.sms.identifier,
      status: 'active',
    });
    expect((await get(e, `/workspaces/${WS}/channels/${UNKNOWN}`)).body).toEqual({
      code: 'NotFound',
      message: 'The requested resource does not exist: channel not found',
    });
    expect((await get(e, `/workspaces/${UNKNOWN}/channels/${SMS}`)).status).toBe(404);
    expect((await get(e, `/workspaces/${WS}/channels/${SEED.channels.secondSms.id}`)).status).toBe(404);
  });

  const list = async (query: Record<string, string | string[]>) =>
    ((await get(e, `/workspaces/${WS}/channels`, { query: { limit: 1000, ...query } })).body.results as { id: string }[]).map((c) => c.id).sort();
  const mainChannels = Object.values(SEED.channels).filter((c) => c.workspaceId === WS);
  const ids = (pred: (c: (typeof mainChannels)[number]) => boolean) => mainChannels.filter(pred).map((c) => c.id).sort();

  it('lists every channel of the workspace', async () => {
    expect(await list({})).toEqual(ids(() => true));
    expect(mainChannels).toHaveLength(SEED.counts.mainChannels);
  });

  it('filters by platform (single and repeated), status, useCaseType and channelIds (repeated)', async () => {
    expect(await list({ platform: 'sms' })).toEqual(ids((c) => c.platformId === 'sms'));
    expect(await list({ platform: ['email', 'whatsapp'] })).toEqual(ids((c) => c.platformId === 'email' || c.platformId === 'whatsapp'));
    expect(await list({ status: 'inactive' })).toEqual([SEED.channels.inactiveSms.id]);
    expect(await list({ status: 'no-such-status' })).toEqual([]);
    expect(await list({ useCaseType: 'marketing' })).toEqual(ids((c) => c.useCaseType === 'marketing'));
    const wanted = [SEED.channels.email.id, SEED.channels.telegram.id, UNKNOWN];
    expect(await list({ channelIds: wanted })).toEqual([SEED.channels.email.id, SEED.channels.telegram.id].sort());
  });

  it('400 on bad channel filters and limits (channels: 1..1000)', async () => {
    const bad = async (query: Record<string, string | number | string[]>) => (await get(e, `/workspaces/${WS}/channels`, { query })).status;
    expect(await bad({ useCaseType: 'spam' })).toBe(400);
    expect(await bad({ channelIds: ['not-a-uuid'] })).toBe(400);
    expect(await bad({ platform: 'x!' })).toBe(400);
    expect(await bad({ limit: 0 })).toBe(400);
    expect(await bad({ limit: 1001 })).toBe(400);
    expect(await bad({ limit: 1000 })).toBe(200);
  });

  it('service window: WhatsApp ends 24 h after the latest incoming message; other platforms have none', async () => {
    const anna = SEED.contacts[0] as (typeof SEED.contacts)[number];
    const wa = await get(e, `/workspaces/${WS}/channels/${SEED.channels.whatsapp.id}/contacts/${anna.id}`);
    expect(wa.status).toBe(200);
    const latest = e.store
      .allMessages(WS, SEED.channels.whatsapp.id)
      .filter((m) => m.direction === 'incoming' && 'contact' in m.sender && m.sender.contact.id === anna.id)
      .at(-1);
    expect(wa.body).toEqual({
      serviceWindowExpireAt: new Date(Date.parse(latest?.createdAt ?? '') + 24 * 3600 * 1000).toISOString(),
      isPermanentSession: false,
      metadata: null,
    });
    const sms = await get(e, `/workspaces/${WS}/channels/${SMS}/contacts/${anna.id}`, { query: { contactIdentifierValue: anna.phone } });
    expect(sms.body).toEqual({ serviceWindowExpireAt: null, isPermanentSession: true, metadata: null });
    expect((await get(e, `/workspaces/${WS}/channels/${SMS}/contacts/${UNKNOWN}`)).status).toBe(404);
    expect((await get(e, `/workspaces/${WS}/channels/${SMS}/contacts/${anna.id}`, { query: { contactIdentifierValue: '+1' } })).status).toBe(404);
  });
});

describe('messages and interactions', () => {
  it('gets a message by id; 404 when it belongs to another channel or does not exist', async () => {
    const [first] = e.store.allMessages(WS, SMS);
    const res = await get(e, `/workspaces/${WS}/channels/${SMS}/messages/${first?.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(JSON.parse(JSON.stringify(first)));
    expect((await get(e, `/workspaces/${WS}/channels/${SEED.channels.email.id}/messages/${first?.id}`)).status).toBe(404);
    expect((await get(e, `/workspaces/${WS}/channels/${SMS}/messages/${UNKNOWN}`)).status).toBe(404);
  });

  it('lists interactions newest first as {results} only', async () => {
    const { id, channelId, interactions } = SEED.messages.emailWithInteractions;
    const res = await get(e, `/workspaces/${WS}/channels/${channelId}/messages/${id}/interactions`);
    expect(Object.keys(res.body)).toEqual(['results']);
    expect(res.body.results).toHaveLength(interactions);
    const times = res.body.results.map((i: { createdAt: string }) => i.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(res.body.results[0]).toMatchObject({ messageId: id, channelId, platformId: 'email' });
    expect(new Set(res.body.results.map((i: { type: string }) => i.type))).toEqual(new Set(['opened', 'clicked']));
    const wa = SEED.messages.whatsappWithReaction;
    const reactions = await get(e, `/workspaces/${WS}/channels/${wa.channelId}/messages/${wa.id}/interactions`);
    expect(reactions.body.results.map((i: { type: string }) => i.type).sort()).toEqual(['reaction', 'read']);
    expect((await get(e, `/workspaces/${WS}/channels/${SMS}/messages/${UNKNOWN}/interactions`)).status).toBe(404);
  });

  it('an interaction added through the store hook shows up first', async () => {
    const { id, channelId } = SEED.messages.emailWithInteractions;
    const added = e.store.addInteraction(WS, id, { type: 'reported-as-spam', details: 'spam_complaint' });
    const res = await get(e, `/workspaces/${WS}/channels/${channelId}/messages/${id}/interactions`);
    expect(res.body.results[0]).toEqual(JSON.parse(JSON.stringify(added)));
  });

  it('an incoming message added through the store hook is listed first and finds or creates its contact', async () => {
    const m = e.store.addIncomingMessage(WS, { channelId: SMS, from: { identifierValue: contact.phone }, body: { type: 'text', text: { text: 'hook' } } });
    expect(m).toMatchObject({ direction: 'incoming', status: 'delivered', sender: { contact: { id: contact.id, identifierValue: contact.phone } } });
    const res = await get(e, `/workspaces/${WS}/channels/${SMS}/messages`, { query: { limit: 1 } });
    expect(res.body.results[0].id).toBe(m.id);
  });
});

describe('contacts', () => {
  it('gets a contact with featured identifiers; 404 unknown or in another workspace', async () => {
    const res = await get(e, `/workspaces/${WS}/contacts/${contact.id}`);
    expect(res.body).toMatchObject({
      id: contact.id,
      computedDisplayName: contact.name,
      featuredIdentifiers: [
        { key: 'phonenumber', value: contact.phone },
        { key: 'emailaddress', value: contact.email },
      ],
      identifierCount: 2,
    });
    expect((await get(e, `/workspaces/${WS}/contacts/${UNKNOWN}`)).status).toBe(404);
    expect((await get(e, `/workspaces/${WS2}/contacts/${contact.id}`)).status).toBe(404);
  });

  it('lists contacts (limit 1..100)', async () => {
    const res = await get(e, `/workspaces/${WS}/contacts`, { query: { limit: 100 } });
    expect(res.body.results.length).toBeGreaterThanOrEqual(SEED.counts.mainContacts);
    expect((await get(e, `/workspaces/${WS}/contacts`, { query: { limit: 101 } })).status).toBe(400);
    expect((await get(e, `/workspaces/${UNKNOWN}/contacts`)).status).toBe(404);
  });

  it('lists identifiers of a contact, paged', async () => {
    const page1 = await get(e, `/workspaces/${WS}/contacts/${contact.id}/identifiers`, { query: { limit: 1 } });
    expect(page1.body.results).toHaveLength(1);
    expect(page1.body.nextPageToken).toEqual(expect.any(String));
    const page2 = await get(e, `/workspaces/${WS}/contacts/${contact.id}/identifiers`, { query: { limit: 1, pageToken: page1.body.nextPageToken } });
    expect(page2.body.nextPageToken).toBeUndefined();
    const all = [...page1.body.results, ...page2.body.results].map((i: { key: string; value: string; contactId: string }) => [i.contactId, i.key, i.value]);
    expect(all.sort()).toEqual(
      [
        [contact.id, 'emailaddress', contact.email],
        [contact.id, 'phonenumber', contact.phone],
      ].sort(),
    );
    expect((await get(e, `/workspaces/${WS}/contacts/${UNKNOWN}/identifiers`)).status).toBe(404);
  });

  it('searches by identifier (emails case-insensitively); 422 on a bad body', async () => {
    const found = await post(e, `/workspaces/${WS}/contacts/search`, { identifier: { key: 'emailaddress', value: contact.email?.toUpperCase() } });
    expect(found.status).toBe(200);
    expect(found.body.results.map((c: { id: string }) => c.id)).toEqual([contact.id]);
    const none = await post(e, `/workspaces/${WS}/contacts/search`, { identifier: { key: 'phonenumber', value: '+10000000000' } });
    expect(none.body).toEqual({ results: [] });
    const bad = await post(e, `/workspaces/${WS}/contacts/search`, { identifier: { key: 'phonenumber' } });
    expect(bad.status).toBe(422);
    expect(bad.body.details).toHaveProperty(['identifier.value']);
  });
});

describe('routing and the request log', () => {
  it('404 NotFound for unknown routes, logged as UNMATCHED', async () => {
    e.resetRequests();
    const res = await get(e, '/nowhere', { query: { a: 1 } });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NotFound');
    expect(e.requests).toEqual([{ method: 'GET', route: 'UNMATCHED', path: '/nowhere', query: { a: '1' }, status: 404, at: expect.any(Number) }]);
  });

  it('query keys named like Object.prototype members are plain keys', async () => {
    e.resetRequests();
    await get(e, `/workspaces/${WS}/channels`, { query: { constructor: 'x', toString: ['a', 'b'] } });
    expect(e.requests[0]?.query).toEqual({ constructor: 'x', toString: ['a', 'b'] });
  });

  it('logs route pattern, path, query (repeated keys as arrays), status and request id; never the key', async () => {
    e.resetRequests();
    await get(e, `/workspaces/${WS}/channels`, { query: { platform: ['sms', 'email'], limit: 5 }, headers: { 'x-request-id': 'req-1' } });
    await get(e, `/workspaces/${WS}/channels`, { key: 'wrong-key' });
    expect(e.requests).toEqual([
      {
        method: 'GET',
        route: 'GET /workspaces/:ws/channels',
        path: `/workspaces/${WS}/channels`,
        query: { platform: ['sms', 'email'], limit: '5' },
        status: 200,
        requestId: 'req-1',
        at: expect.any(Number),
      },
      { method: 'GET', route: 'GET /workspaces/:ws/channels', path: `/workspaces/${WS}/channels`, query: {}, status: 401, at: expect.any(Number) },
    ]);
    const log = JSON.stringify(e.requests);
    expect(log).not.toContain(KEY);
    expect(log).not.toContain('wrong-key');
  });
});
