// The emulator's webhooks: the subscriptions API and its body rules, then signed deliveries (filters, retries, duplicates, order) and the control routes.
import { createHash, createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from '../../src/emulator/seed.ts';
import { type Emulator, startEmulator } from '../../src/emulator/server.ts';
import { MAX_SAME_FILTER_SET } from '../../src/emulator/webhooks.ts';
import { type ReceiverStub, startReceiverStub } from '../live/receiver-stub.ts';
import { KEY, SMS, WS, WS2, call, get, post } from './emulator-helpers.ts';

const ORG = SEED.organizationId;
const BASE = `/organizations/${ORG}/workspaces/${WS}/webhook-subscriptions`;
const EMAIL = SEED.channels.email.id;
const SIGNING_KEY = 'a-signing-key-for-tests';
const CONTACT = SEED.contacts[0]!;
const sendBody = { receiver: { contacts: [{ identifierValue: CONTACT.phone }] }, body: { type: 'text', text: { text: 'Hello' } } };

/** Bird's signature, written out again from bird-api.md §8.4 (independently of src/emulator/webhooks.ts). */
function expectedSignature(timestamp: string, url: string, body: string): string {
  const digest = createHash('sha256').update(Buffer.from(body, 'utf8')).digest();
  return createHmac('sha256', SIGNING_KEY).update(Buffer.concat([Buffer.from(`${timestamp}\n${url}\n`, 'utf8'), digest])).digest('base64');
}

describe('the subscriptions API', () => {
  let emulator: Emulator;
  let loopback: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ rateLimits: false });
    loopback = await startEmulator({ rateLimits: false, webhooks: { allowLoopbackUrls: true } });
  });
  afterAll(async () => {
    await emulator.close();
    await loopback.close();
  });

  it('creates (201, active, key not echoed), lists, gets, updates and deletes a subscription', async () => {
    const created = await post(emulator, BASE, {
      service: 'channels',
      event: 'sms.outbound',
      url: 'https://hooks.example.com/bird?x=1',
      eventFilters: [{ key: 'channelId', value: SMS }],
      signingKey: SIGNING_KEY,
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      organizationId: ORG,
      workspaceId: WS,
      service: 'channels',
      event: 'sms.outbound',
      url: 'https://hooks.example.com/bird?x=1',
      eventFilters: [{ key: 'channelId', value: SMS }],
      status: 'active',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(created.text).not.toContain(SIGNING_KEY);
    const id = created.body.id as string;

    const list = await get(emulator, BASE);
    expect(list.status).toBe(200);
    expect(list.body.results.map((s: { id: string }) => s.id)).toEqual([id]);
    expect((await get(emulator, `${BASE}/${id}`)).body).toEqual(created.body);

    const patched = await call(emulator, 'PATCH', `${BASE}/${id}`, { body: { url: 'https://other.example.org/hook', eventFilters: [] } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id, url: 'https://other.example.org/hook', eventFilters: [], event: 'sms.outbound' });

    expect((await call(emulator, 'DELETE', `${BASE}/${id}`)).status).toBe(204);
    expect((await get(emulator, `${BASE}/${id}`)).status).toBe(404);
    expect((await get(emulator, BASE)).body.results).toEqual([]);
    expect(emulator.requests.map((r) => r.route)).toEqual([
      'POST /organizations/:org/workspaces/:ws/webhook-subscriptions',
      'GET /organizations/:org/workspaces/:ws/webhook-subscriptions',
      'GET /organizations/:org/workspaces/:ws/webhook-subscriptions/:sub',
      'PATCH /organizations/:org/workspaces/:ws/webhook-subscriptions/:sub',
      'DELETE /organizations/:org/workspaces/:ws/webhook-subscriptions/:sub',
      'GET /organizations/:org/workspaces/:ws/webhook-subscriptions/:sub',
      'GET /organizations/:org/workspaces/:ws/webhook-subscriptions',
    ]);
  });

  it.each([
    ['an unknown field', { service: 'channels', event: 'sms.inbound', url: 'https://a.example.com', extra: 1 }, { extra: ['is not allowed'] }],
    ['no service', { event: 'sms.inbound', url: 'https://a.example.com' }, { service: ['is required'] }],
    ['no event', { service: 'channels', url: 'https://a.example.com' }, { event: ['is required'] }],
    ['an unknown service', { service: 'mail', event: 'sms.inbound', url: 'https://a.example.com' }, { service: [expect.stringContaining('must be one of')] }],
    ['an event of another service', { service: 'channels', event: 'number.purchased', url: 'https://a.example.com' }, { event: ['is not an event of the channels service'] }],
    ['plain http', { service: 'channels', event: 'sms.inbound', url: 'http://a.example.com/hook' }, { url: [expect.stringContaining('must match')] }],
    ['an IP address', { service: 'channels', event: 'sms.inbound', url: 'https://10.0.0.1/hook' }, { url: [expect.stringContaining('must match')] }],
    ['localhost', { service: 'channels', event: 'sms.inbound', url: 'https://localhost/hook' }, { url: [expect.stringContaining('must match')] }],
    ['a loopback URL without the opt-in', { service: 'channels', event: 'sms.inbound', url: 'http://127.0.0.1:4000/webhooks/bird' }, { url: [expect.stringContaining('must match')] }],
    ['a port', { service: 'channels', event: 'sms.inbound', url: 'https://a.example.com:8443/hook' }, { url: [expect.stringContaining('must match')] }],
    ['an unknown filter key', { service: 'channels', event: 'sms.inbound', url: 'https://a.example.com', eventFilters: [{ key: 'colour', value: 'red' }] }, { 'eventFilters.0.key': [expect.stringContaining('must be one of')] }],
    [
      'two channelId filters',
      { service: 'channels', event: 'sms.inbound', url: 'https://a.example.com', eventFilters: [{ key: 'channelId', value: SMS }, { key: 'channelId', value: EMAIL }] },
      { eventFilters: ['may hold one channelId filter at most'] },
    ],
    [
      'two interactionType filters',
      { service: 'channels', event: 'email.interaction', url: 'https://a.example.com', eventFilters: [{ key: 'interactionType', value: 'opened' }, { key: 'interactionType', value: 'clicked' }] },
      { eventFilters: ['may hold one interactionType filter at most'] },
    ],
    ['a channelId that is no UUID', { service: 'channels', event: 'sms.inbound', url: 'https://a.example.com', eventFilters: [{ key: 'channelId', value: 'x' }] }, { 'eventFilters.0.value': ['must be a UUID for the channelId key'] }],
  ])('refuses %s with 422 and details', async (_name, body, details) => {
    const res = await post(emulator, BASE, body);
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ code: 'ValidationError', message: 'The request did not pass validation', details });
  });

  it('admits http://127.0.0.1 and localhost URLs only with the allowLoopbackUrls option', async () => {
    for (const url of ['http://127.0.0.1:4000/webhooks/bird?workspaceId=x', 'http://localhost/webhooks/bird']) {
      expect((await post(emulator, BASE, { service: 'channels', event: 'sms.inbound', url })).status).toBe(422);
      expect((await post(loopback, BASE, { service: 'channels', event: 'sms.inbound', url })).status).toBe(201);
    }
    // Other private addresses stay refused even then.
    expect((await post(loopback, BASE, { service: 'channels', event: 'sms.inbound', url: 'http://10.0.0.1/hook' })).status).toBe(422);
  });

  it(`allows ${MAX_SAME_FILTER_SET} subscriptions with one event and filter set, then answers 409`, async () => {
    const body = { service: 'channels', event: 'whatsapp.inbound', url: 'https://a.example.com', eventFilters: [{ key: 'platformId', value: 'whatsapp' }] };
    for (let i = 0; i < MAX_SAME_FILTER_SET; i++) expect((await post(emulator, BASE, body)).status).toBe(201);
    const refused = await post(emulator, BASE, body);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('Conflict');
    // Another filter set is fine.
    expect((await post(emulator, BASE, { ...body, eventFilters: [] })).status).toBe(201);
  });

  it('checks the PATCH body by the same rules', async () => {
    const { body: sub } = await post(emulator, BASE, { service: 'channels', event: 'sms.inbound', url: 'https://a.example.com' });
    expect((await call(emulator, 'PATCH', `${BASE}/${sub.id}`, { body: {} })).status).toBe(422);
    expect((await call(emulator, 'PATCH', `${BASE}/${sub.id}`, { body: { url: 'http://a.example.com' } })).body.details).toEqual({ url: [expect.stringContaining('must match')] });
    expect((await call(emulator, 'PATCH', `${BASE}/${sub.id}`, { body: { id: 'x' } })).body.details).toEqual({ id: ['is not allowed'] });
    expect((await call(emulator, 'PATCH', `${BASE}/${sub.id}`, { body: { event: 'nonsense' } })).body.details).toEqual({ event: ['is not an event of the channels service'] });
  });

  it('needs a key covering the workspace (401, 403) and the right organization (404)', async () => {
    expect((await get(emulator, BASE, { key: null })).status).toBe(401);
    expect((await get(emulator, BASE, { key: SEED.accessKeys.scoped })).status).toBe(403);
    expect((await get(emulator, `/organizations/${ORG}/workspaces/${WS2}/webhook-subscriptions`, { key: SEED.accessKeys.scoped })).status).toBe(200);
    expect((await get(emulator, `/organizations/${WS}/workspaces/${WS}/webhook-subscriptions`)).status).toBe(404);
    expect((await get(emulator, `${BASE}/${SMS}`)).status).toBe(404);
  });
});

describe('deliveries', () => {
  let emulator: Emulator;
  let stub: ReceiverStub;
  let flip = 0;
  beforeAll(async () => {
    stub = await startReceiverStub();
    emulator = await startEmulator({
      rateLimits: false,
      webhooks: { allowLoopbackUrls: true, retryDelaysMs: [20, 40] },
      // Deterministic duplicates: only while `flip` is set.
      random: () => (flip > 0 ? 0 : 0.99),
    });
  });
  afterEach(async () => {
    flip = 0;
    for (const sub of emulator.webhooks.all()) await call(emulator, 'DELETE', `/organizations/${ORG}/workspaces/${sub.workspaceId}/webhook-subscriptions/${sub.id}`);
    await emulator.webhooks.settled();
    stub.received.length = 0;
    stub.script.length = 0;
    emulator.deliveries.length = 0;
  });
  afterAll(async () => {
    await emulator.close();
    await stub.close();
  });

  const subscribe = async (event: string, extra: Record<string, unknown> = {}, ws = WS) => {
    const res = await post(emulator, `/organizations/${ORG}/workspaces/${ws}/webhook-subscriptions`, {
      service: 'channels',
      event,
      url: `${stub.url}/webhooks/bird?workspaceId=${ws}`,
      signingKey: SIGNING_KEY,
      ...extra,
    });
    expect(res.status).toBe(201);
    return res.body as { id: string; url: string };
  };
  const send = async (channelId = SMS) => {
    const res = await post(emulator, `/workspaces/${WS}/channels/${channelId}/messages`, sendBody);
    expect(res.status).toBe(202);
    return res.body as { id: string };
  };

  it('signs every status change of a sent message as Bird does, with the three messagebird headers', async () => {
    const sub = await subscribe('sms.outbound');
    const message = await send();
    for (const status of ['processing', 'sent', 'delivered'] as const) emulator.store.advanceMessage(WS, message.id, status);
    const received = await stub.waitFor(4);
    await emulator.webhooks.settled();
    expect(received.map((r) => JSON.parse(r.body).payload.status)).toEqual(['accepted', 'processing', 'sent', 'delivered']);
    for (const r of received) {
      expect(r.method).toBe('POST');
      expect(r.path).toBe(`/webhooks/bird?workspaceId=${WS}`);
      expect(r.headers['content-type']).toBe('application/json');
      const timestamp = r.headers['messagebird-request-timestamp'] as string;
      expect(timestamp).toMatch(/^\d{10}$/);
      expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
      expect(r.headers['messagebird-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.headers['messagebird-signature']).toBe(expectedSignature(timestamp, sub.url, r.body));
      const envelope = JSON.parse(r.body);
      expect(Object.keys(envelope)).toEqual(['service', 'event', 'payload']);
      expect(envelope).toMatchObject({ service: 'channels', event: 'sms.outbound', payload: { id: message.id, channelId: SMS, direction: 'outgoing' } });
    }
    expect(new Set(received.map((r) => r.headers['messagebird-request-id'])).size).toBe(4);
    expect(emulator.deliveries.map((d) => [d.event, d.attempt, d.status, d.duplicate])).toEqual(Array(4).fill(['sms.outbound', 1, 204, false]));
  });

  it('filters by event, channelId, messageStatus and platformId, AND-combined', async () => {
    await subscribe('sms.outbound', { eventFilters: [{ key: 'messageStatus', value: 'delivered' }] });
    await subscribe('sms.outbound', { eventFilters: [{ key: 'channelId', value: EMAIL }] });
    await subscribe('email.outbound', { eventFilters: [{ key: 'channelId', value: EMAIL }, { key: 'messageStatus', value: 'sent' }] });
    await subscribe('email.outbound', { eventFilters: [{ key: 'platformId', value: 'sms' }] });
    const sms = await send(SMS);
    const email = await post(emulator, `/workspaces/${WS}/channels/${EMAIL}/messages`, {
      receiver: { contacts: [{ identifierValue: CONTACT.email }] },
      body: { type: 'text', text: { text: 'Hi' } },
    });
    for (const id of [sms.id, email.body.id as string]) for (const status of ['processing', 'sent', 'delivered'] as const) emulator.store.advanceMessage(WS, id, status);
    await emulator.webhooks.settled();
    expect(stub.received.map((r) => [JSON.parse(r.body).event, JSON.parse(r.body).payload.status])).toEqual([
      ['sms.outbound', 'delivered'],
      ['email.outbound', 'sent'],
    ]);
  });

  it('delivers <platform>.inbound for the control route and <platform>.interaction for interactions', async () => {
    await subscribe('sms.inbound');
    await subscribe('email.interaction', { eventFilters: [{ key: 'interactionType', value: 'clicked' }] });
    const inbound = await post(emulator, '/_emulator/inbound', { channelId: SMS, text: 'Where is my order?' });
    expect(inbound.status).toBe(201);
    expect(inbound.body).toMatchObject({ channelId: SMS, direction: 'incoming', status: 'delivered', body: { type: 'text', text: { text: 'Where is my order?' } } });
    const emailMessage = SEED.messages.emailWithInteractions.id;
    expect((await post(emulator, '/_emulator/interactions', { messageId: emailMessage, type: 'opened' })).status).toBe(201);
    const clicked = await post(emulator, '/_emulator/interactions', { messageId: emailMessage, type: 'clicked', metadata: { link: { url: 'https://acme.example/x' } } });
    expect(clicked.status).toBe(201);
    await emulator.webhooks.settled();
    expect(stub.received.map((r) => JSON.parse(r.body))).toEqual([
      { service: 'channels', event: 'sms.inbound', payload: inbound.body },
      { service: 'channels', event: 'email.interaction', payload: clicked.body },
    ]);
  });

  it('retries a failed delivery with the same request id after growing waits, then gives up', async () => {
    await subscribe('sms.outbound');
    stub.script.push(500, 503);
    await send();
    await stub.waitFor(3);
    await emulator.webhooks.settled();
    expect(emulator.deliveries.map((d) => [d.attempt, d.status])).toEqual([
      [1, 500],
      [2, 503],
      [3, 204],
    ]);
    expect(new Set(emulator.deliveries.map((d) => d.requestId)).size).toBe(1);
    // Each attempt is signed afresh; all three carry a valid signature.
    for (const r of stub.received) expect(r.headers['messagebird-signature']).toBe(expectedSignature(r.headers['messagebird-request-timestamp'] as string, `${stub.url}/webhooks/bird?workspaceId=${WS}`, r.body));

    emulator.deliveries.length = 0;
    stub.script.push(500, 500, 500);
    await send();
    await stub.waitFor(6);
    await emulator.webhooks.settled();
    expect(emulator.deliveries.map((d) => [d.attempt, d.status, d.gaveUp ?? false])).toEqual([
      [1, 500, false],
      [2, 500, false],
      [3, 500, true],
    ]);
    expect(emulator.webhooks.retriesWaiting).toBe(0);
  });

  it('counts a receiver that does not answer as a failure (status 0) and retries it', async () => {
    const res = await post(emulator, BASE, { service: 'channels', event: 'sms.outbound', url: 'http://127.0.0.1:1/webhooks/bird', signingKey: SIGNING_KEY });
    expect(res.status).toBe(201);
    await send();
    while (emulator.deliveries.length < 3) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(emulator.deliveries.map((d) => [d.status, d.error])).toEqual(Array(3).fill([0, 'ECONNREFUSED']));
  });

  it('sends a successful delivery twice at the duplicate rate, and again on redeliver(), with the same id and body', async () => {
    const duplicating = await startEmulator({ rateLimits: false, webhooks: { allowLoopbackUrls: true, duplicateRate: 1 } });
    try {
      await post(duplicating, BASE, { service: 'channels', event: 'sms.outbound', url: `${stub.url}/x`, signingKey: SIGNING_KEY });
      await post(duplicating, `/workspaces/${WS}/channels/${SMS}/messages`, sendBody);
      await duplicating.webhooks.settled();
      expect(stub.received).toHaveLength(2);
      expect(stub.received[1]!.headers['messagebird-request-id']).toBe(stub.received[0]!.headers['messagebird-request-id']);
      expect(stub.received[1]!.body).toBe(stub.received[0]!.body);
      expect(duplicating.deliveries.map((d) => d.duplicate)).toEqual([false, true]);

      duplicating.webhooks.redeliver(duplicating.deliveries[0]!.requestId);
      await duplicating.webhooks.settled();
      expect(stub.received).toHaveLength(3);
      expect(stub.received[2]!.body).toBe(stub.received[0]!.body);
    } finally {
      await duplicating.close();
    }
  });

  it('keeps one subscription’s deliveries in order, and a retry goes behind later ones (out of order, like Bird)', async () => {
    await subscribe('sms.outbound');
    const message = await send();
    stub.script.push(204, 500);
    emulator.store.advanceMessage(WS, message.id, 'processing');
    emulator.store.advanceMessage(WS, message.id, 'sent');
    emulator.store.advanceMessage(WS, message.id, 'delivered');
    await stub.waitFor(5);
    await emulator.webhooks.settled();
    expect(stub.received.map((r) => JSON.parse(r.body).payload.status)).toEqual(['accepted', 'processing', 'sent', 'delivered', 'processing']);
  });

  it('retryNow() sends every waiting retry at once', async () => {
    const slow = await startEmulator({ rateLimits: false, webhooks: { allowLoopbackUrls: true, retryDelaysMs: [3_600_000] } });
    try {
      await post(slow, BASE, { service: 'channels', event: 'sms.outbound', url: `${stub.url}/x` });
      stub.script.push(503);
      await post(slow, `/workspaces/${WS}/channels/${SMS}/messages`, sendBody);
      await slow.webhooks.settled();
      expect(slow.webhooks.retriesWaiting).toBe(1);
      slow.webhooks.retryNow();
      await slow.webhooks.settled();
      expect(slow.deliveries.map((d) => [d.attempt, d.status])).toEqual([
        [1, 503],
        [2, 204],
      ]);
      // No signing key: the delivery goes out unsigned.
      expect(stub.received[1]!.headers['messagebird-signature']).toBeUndefined();
    } finally {
      await slow.close();
    }
  });

  it('gives the control routes Bird’s auth and validation', async () => {
    expect((await post(emulator, '/_emulator/inbound', { channelId: SMS, text: 'x' }, { key: null })).status).toBe(401);
    expect((await post(emulator, '/_emulator/inbound', { channelId: SMS, text: 'x' }, { key: SEED.accessKeys.scoped })).status).toBe(403);
    expect((await post(emulator, '/_emulator/inbound', { channelId: SMS })).body.details).toEqual({ '': ['must have exactly one of text or body'] });
    expect((await post(emulator, '/_emulator/inbound', { channelId: WS, text: 'x' })).status).toBe(404);
    expect((await post(emulator, '/_emulator/interactions', { messageId: SMS, type: 'opened' })).status).toBe(404);
    expect((await post(emulator, '/_emulator/interactions', { messageId: SMS, type: 'looked' })).status).toBe(422);
    const message = await send();
    const moved = await post(emulator, `/_emulator/messages/${message.id}/status`, {});
    expect(moved.body).toMatchObject({ id: message.id, status: 'processing' });
    expect((await post(emulator, `/_emulator/messages/${message.id}/status`, { status: 'delivery_failed' })).body).toMatchObject({ status: 'delivery_failed', reason: 'bounceHard' });
    expect((await post(emulator, `/_emulator/messages/${message.id}/status`, {})).status).toBe(409);
    const from = await post(emulator, '/_emulator/inbound', { channelId: SMS, text: 'new number', from: { identifierValue: '+31699999999' } });
    expect(from.body.sender.contact.identifierValue).toBe('+31699999999');
    expect(KEY).toBe(SEED.accessKeys.demo);
  });
});

describe('the timed lifecycle', () => {
  it('moves a sent message accepted → processing → sent → delivered by itself, each step a delivery', async () => {
    const stub = await startReceiverStub();
    const emulator = await startEmulator({ rateLimits: false, lifecycle: { stepMs: 5 }, webhooks: { allowLoopbackUrls: true } });
    try {
      await post(emulator, BASE, { service: 'channels', event: 'sms.outbound', url: `${stub.url}/x` });
      await post(emulator, `/workspaces/${WS}/channels/${SMS}/messages`, sendBody);
      const received = await stub.waitFor(4);
      expect(received.map((r) => JSON.parse(r.body).payload.status)).toEqual(['accepted', 'processing', 'sent', 'delivered']);
    } finally {
      await emulator.close();
      await stub.close();
    }
  });

  it.each([
    [[0.1], 'sending_failed', ['accepted', 'processing', 'sending_failed']],
    [[0.7, 0.2], 'delivery_failed', ['accepted', 'processing', 'sent', 'delivery_failed']],
    [[0.7, 0.7], 'delivered', ['accepted', 'processing', 'sent', 'delivered']],
  ])('fails now and then (draws %j → %s), as failureRate says', async (draws, _final, statuses) => {
    const stub = await startReceiverStub();
    // failureRate 1: a draw under 0.5 fails the step (processing → sending_failed, sent → delivery_failed).
    const queue = [...draws];
    const emulator = await startEmulator({ rateLimits: false, lifecycle: { stepMs: 5, failureRate: 1 }, random: () => queue.shift() ?? 0.99, webhooks: { allowLoopbackUrls: true } });
    try {
      await post(emulator, BASE, { service: 'channels', event: 'sms.outbound', url: `${stub.url}/x` });
      await post(emulator, `/workspaces/${WS}/channels/${SMS}/messages`, sendBody);
      const received = await stub.waitFor(statuses.length);
      expect(received.map((r) => JSON.parse(r.body).payload.status)).toEqual(statuses);
    } finally {
      await emulator.close();
      await stub.close();
    }
  });
});
