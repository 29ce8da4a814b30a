// The webhook receiver in process (hand-signed requests through yoga.fetch): signature rules, size limit, answers, duplicates, metrics and what it logs; plus the verifier and the decoder alone.
import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from '../../src/emulator/seed.ts';
import { decodeDelivery } from '../../src/live/envelope.ts';
import { liveRuntimeOf } from '../../src/live/index.ts';
import { signedUrl } from '../../src/live/receiver.ts';
import { verifySignature, webhookSignature } from '../../src/live/signature.ts';
import { type TestStack, TEST_ORIGIN, startTestStack } from '../helpers.ts';

const KEY = 'unit-signing-key-0123456789abcdef';
const WS = SEED.workspaces.main.id;
const SMS = SEED.channels.sms.id;
const PHONE = '+31612345678';
const TEXT = 'my secret order number 4711';
const MESSAGE = {
  id: '6d1c0f7e-3b2a-4c5d-8e9f-0a1b2c3d4e5f',
  channelId: SMS,
  sender: { contact: { id: SEED.contacts[0]!.id, identifierKey: 'phonenumber', identifierValue: PHONE } },
  receiver: { connector: { id: SEED.channels.sms.connectorId } },
  body: { type: 'text', text: { text: TEXT } },
  status: 'delivered',
  direction: 'incoming',
  lastStatusAt: '2025-06-30T12:00:00.000Z',
  createdAt: '2025-06-30T12:00:00.000Z',
  updatedAt: '2025-06-30T12:00:00.000Z',
};
const PATH = `/webhooks/bird?workspaceId=${WS}`;

/** Bird's signature written out from bird-api.md §8.4, independently of src/live/signature.ts. */
function birdSign(key: string, timestamp: string, url: string, body: string): string {
  const digest = createHash('sha256').update(body).digest();
  return createHmac('sha256', key).update(Buffer.concat([Buffer.from(`${timestamp}\n${url}\n`), digest])).digest('base64');
}

let requestIds = 0;
function delivery(body: unknown, { url = `${TEST_ORIGIN}${PATH}`, key = KEY, timestamp = Math.floor(Date.now() / 1000), id = `req-${++requestIds}`, headers = {} as Record<string, string> } = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'messagebird-request-id': id,
      'messagebird-request-timestamp': String(timestamp),
      'messagebird-signature': birdSign(key, String(timestamp), url, text),
      ...headers,
    },
    body: text,
  };
}
const inbound = { service: 'channels', event: 'sms.inbound', payload: MESSAGE };

describe('POST /webhooks/bird', () => {
  let stack: TestStack;
  let published: unknown[];
  beforeAll(async () => {
    stack = await startTestStack({ env: { WEBHOOK_SIGNING_KEY: KEY, LOG_LEVEL: 'debug', WEBHOOK_MAX_BYTES: '4096' } });
    published = [];
    const bus = liveRuntimeOf(stack.app)!.bus;
    const original = bus.publish.bind(bus);
    bus.publish = async (event) => {
      published.push(event);
      await original(event);
    };
  });
  afterAll(() => stack.close());

  const post = (init: RequestInit, path = PATH) => stack.fetch(path, init);
  const metric = async (outcome: string, kind: string) => {
    const text = await (await stack.fetch('/metrics')).text();
    return Number(new RegExp(`^bird_webhooks_received_total\\{outcome="${outcome}",kind="${kind}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  };

  it('publishes a correctly signed delivery once and answers 200 after publishing', async () => {
    const res = await post(delivery(inbound, { id: 'first' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'published' });
    expect(published).toEqual([
      { kind: 'messageReceived', event: 'sms.inbound', workspaceId: WS, channelId: SMS, messageId: MESSAGE.id, platformId: 'sms', message: MESSAGE },
    ]);
    expect(await metric('published', 'inbound')).toBe(1);
    expect(stack.requests.upstream()).toEqual([]);
  });

  it('drops a delivery whose messagebird-request-id was seen (200 duplicate), re-signed or not', async () => {
    published.length = 0;
    const again = await post(delivery(inbound, { id: 'first', timestamp: Math.floor(Date.now() / 1000) - 1 }));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ status: 'duplicate' });
    expect(published).toEqual([]);
    expect(await metric('duplicate', 'inbound')).toBe(1);
  });

  it.each([
    ['no signature', { headers: { 'messagebird-signature': '' } }, 'missing'],
    ['no timestamp', { headers: { 'messagebird-request-timestamp': '' } }, 'missing'],
    ['another key', { key: 'another-key-0123456789abcdef' }, 'mismatch'],
    ['a signature over another URL', { url: `${TEST_ORIGIN}/webhooks/bird?workspaceId=${SEED.workspaces.second.id}` }, 'mismatch'],
    ['a timestamp 6 minutes old', { timestamp: Math.floor(Date.now() / 1000) - 360 }, 'stale'],
    ['a timestamp 6 minutes ahead', { timestamp: Math.floor(Date.now() / 1000) + 360 }, 'stale'],
  ])('answers 401 to %s, publishing nothing', async (_name, options, reason) => {
    published.length = 0;
    const res = await post(delivery(inbound, options as never));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'WEBHOOK_SIGNATURE_INVALID', reason });
    expect(published).toEqual([]);
  });

  it('answers 401 to a body changed after signing', async () => {
    const signed = delivery(inbound);
    const res = await post({ ...signed, body: signed.body.replace(TEXT, 'tampered') });
    expect(res.status).toBe(401);
  });

  it('answers 413 over WEBHOOK_MAX_BYTES, with or without Content-Length', async () => {
    const big = { ...inbound, payload: { ...MESSAGE, body: { type: 'text', text: { text: 'x'.repeat(5000) } } } };
    expect((await post(delivery(big))).status).toBe(413);
    const signed = delivery(big);
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(signed.body));
        controller.close();
      },
    });
    const res = await post({ method: 'POST', headers: signed.headers, body: chunked, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(await metric('too_large', 'none')).toBe(2);
  });

  it.each([
    ['an event kind it does not publish', { service: 'channels', event: 'channel.created', payload: { id: SMS } }, 'unknown_event', 'other'],
    ['another service', { service: 'numbers', event: 'number.purchased', payload: {} }, 'unknown_event', 'other'],
    ['a payload without ids', { service: 'channels', event: 'sms.outbound', payload: { status: 'sent' } }, 'malformed', 'outbound'],
    ['a body that is not JSON', 'not json', 'malformed', 'none'],
  ])('answers 200 and counts a metric for %s (retrying cannot help)', async (_name, body, outcome, kind) => {
    published.length = 0;
    const before = await metric(outcome, kind);
    const res = await post(delivery(body));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ignored' });
    expect(published).toEqual([]);
    expect(await metric(outcome, kind)).toBe(before + 1);
  });

  it('answers 200 unroutable when the URL names no workspace', async () => {
    const res = await post(delivery(inbound, { url: `${TEST_ORIGIN}/webhooks/bird` }), '/webhooks/bird');
    expect(await res.json()).toEqual({ status: 'ignored', reason: 'unroutable' });
  });

  it('answers 405 to other methods', async () => {
    const res = await stack.fetch('/webhooks/bird', { method: 'GET' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });

  it('never logs payload contents (numbers, texts) nor the signing key', () => {
    const all = stack.logs.join('\n');
    expect(all).toContain('webhook');
    for (const secret of [PHONE, TEXT, KEY, 'tampered']) expect(all).not.toContain(secret);
  });
});

describe('the receiver without a signing key, and behind a proxy', () => {
  it('answers 503 when WEBHOOK_SIGNING_KEY is not configured (Bird keeps retrying)', async () => {
    const stack = await startTestStack();
    try {
      const res = await stack.fetch(PATH, delivery(inbound));
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ code: 'WEBHOOKS_NOT_CONFIGURED' });
    } finally {
      await stack.close();
    }
  });

  it('verifies against PUBLIC_URL (the URL Bird called), not its own listen address', async () => {
    const stack = await startTestStack({ env: { WEBHOOK_SIGNING_KEY: KEY, PUBLIC_URL: 'https://graph.example.com/bird' } });
    try {
      const publicUrl = `https://graph.example.com/bird${PATH}`;
      expect((await stack.fetch(PATH, delivery(inbound, { url: publicUrl }))).status).toBe(200);
      expect((await stack.fetch(PATH, delivery(inbound, { url: `${TEST_ORIGIN}${PATH}` }))).status).toBe(401);
    } finally {
      await stack.close();
    }
  });
});

describe('the verifier and the decoder', () => {
  const body = new TextEncoder().encode(JSON.stringify(inbound));
  const url = 'https://graph.example.com/webhooks/bird?workspaceId=x';
  const now = Date.parse('2025-06-30T12:00:00Z');
  const ts = String(now / 1000);

  it('accepts Bird’s signature and refuses every other', () => {
    const signature = birdSign(KEY, ts, url, JSON.stringify(inbound));
    expect(webhookSignature(KEY, ts, url, body).toString('base64')).toBe(signature);
    expect(verifySignature({ signature, timestamp: ts, url, body }, { signingKey: KEY, nowMs: now })).toBe('valid');
    expect(verifySignature({ signature, timestamp: ts, url: `${url}&y=1`, body }, { signingKey: KEY, nowMs: now })).toBe('mismatch');
    expect(verifySignature({ signature: signature.slice(4), timestamp: ts, url, body }, { signingKey: KEY, nowMs: now })).toBe('mismatch');
    expect(verifySignature({ signature, timestamp: ts, url, body }, { signingKey: KEY, nowMs: now + 301_000 })).toBe('stale');
    expect(verifySignature({ signature, timestamp: ts, url, body }, { signingKey: KEY, nowMs: now + 299_000 })).toBe('valid');
    expect(verifySignature({ signature, timestamp: 'soon', url, body }, { signingKey: KEY, nowMs: now })).toBe('missing');
    expect(verifySignature({ signature: '%%%', timestamp: ts, url, body }, { signingKey: KEY, nowMs: now })).toBe('missing');
    expect(verifySignature({ signature: null, timestamp: ts, url, body }, { signingKey: KEY, nowMs: now })).toBe('missing');
  });

  it('maps the three channel events to the three subscription kinds, lower-casing ids', () => {
    const upper = { ...MESSAGE, id: MESSAGE.id.toUpperCase() };
    const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
    expect(decodeDelivery(encode({ ...inbound, payload: upper }), WS)).toMatchObject({ ok: true, event: { kind: 'messageReceived', messageId: MESSAGE.id, message: { id: MESSAGE.id } } });
    expect(decodeDelivery(encode({ ...inbound, event: 'whatsapp.outbound' }), WS)).toMatchObject({ ok: true, event: { kind: 'messageUpdated', platformId: 'whatsapp' } });
    const interaction = { id: MESSAGE.id, messageId: MESSAGE.id, channelId: SMS, platformId: 'email', type: 'opened', createdAt: MESSAGE.createdAt };
    expect(decodeDelivery(encode({ service: 'channels', event: 'email.interaction', payload: interaction }), WS)).toMatchObject({
      ok: true,
      event: { kind: 'interactionAdded', messageId: MESSAGE.id, platformId: 'email', interaction },
    });
    expect(decodeDelivery(encode(inbound), 'not-a-uuid')).toEqual({ ok: false, reason: 'unroutable', event: 'sms.inbound' });
    expect(decodeDelivery(encode({ ...inbound, payload: [] }), WS)).toEqual({ ok: false, reason: 'malformed', event: 'sms.inbound' });
  });

  it('rebuilds the signed URL from PUBLIC_URL with the request’s path and query', () => {
    expect(signedUrl('http://10.0.0.5:4000/webhooks/bird?workspaceId=a', 'https://graph.example.com/bird')).toBe('https://graph.example.com/bird/webhooks/bird?workspaceId=a');
    expect(signedUrl('http://127.0.0.1:4000/webhooks/bird?workspaceId=a', null)).toBe('http://127.0.0.1:4000/webhooks/bird?workspaceId=a');
  });
});
