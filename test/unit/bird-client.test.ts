// Bird client against the emulator: every endpoint's path and result, status → error code, UUID gates, filter wire names, key secrecy and the media round trip.

import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_FILTER_WIRE_NAMES, MESSAGE_FILTER_WIRE_NAMES, createBirdClient } from '../../src/bird/client.ts';
import type { BirdClient, CallOptions } from '../../src/bird/client.ts';
import { BirdError } from '../../src/bird/errors.ts';
import type { CreateMessageRequest, MessageListFilter } from '../../src/bird/types.ts';
import { startEmulator } from '../../src/emulator/server.ts';
import type { Emulator } from '../../src/emulator/server.ts';
import { SEED } from '../../src/emulator/seed.ts';

const ORG = SEED.organizationId;
const WS = SEED.workspaces.main.id;
const CH = SEED.channels.sms.id;
const CONTACT = SEED.contacts[0]!.id;
const EMAIL = SEED.messages.emailWithInteractions;
const call: CallOptions = { credential: { scheme: 'AccessKey', token: SEED.accessKeys.demo } };
const message: CreateMessageRequest = {
  receiver: { contacts: [{ identifierValue: '+31612345678' }] },
  body: { type: 'text', text: { text: 'hello' } },
};

let emulator: Emulator;
let bird: BirdClient;

beforeAll(async () => {
  emulator = await startEmulator({ rateLimits: false });
  bird = createBirdClient({ apiUrl: emulator.url, deadlineMs: 5_000, random: () => 0, mediaRedirectOrigins: [emulator.objectStore.url] });
});

afterEach(() => {
  emulator.clearFaults();
  emulator.resetRequests();
});

afterAll(async () => {
  await bird.close();
  await emulator.close();
});

async function failure(promise: Promise<unknown>): Promise<BirdError> {
  const error = await promise.then(
    () => expect.fail('expected the call to fail'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BirdError);
  return error as BirdError;
}

const paths = () => emulator.requests.map((r) => `${r.method} ${r.path}`);

describe('endpoints', () => {
  it('reads workspaces, channels, messages, interactions and contacts on their paths', async () => {
    const workspaces = await bird.listWorkspaces({ organizationId: ORG, limit: 2 }, call);
    expect(workspaces.results).toHaveLength(2);
    expect(await bird.getWorkspace({ organizationId: ORG, workspaceId: WS }, call)).toMatchObject({ id: WS });
    const channels = await bird.listChannels({ workspaceId: WS, limit: 100 }, call);
    expect(channels.results.map((c) => c.id)).toContain(CH);
    expect(await bird.getChannel({ workspaceId: WS, channelId: CH }, call)).toMatchObject({ id: CH, platformId: 'sms' });
    const page = await bird.listChannelMessages({ workspaceId: WS, channelId: CH, limit: 3 }, call);
    expect(page.results).toHaveLength(3);
    expect(page.nextPageToken).toEqual(expect.any(String));
    const next = await bird.listChannelMessages({ workspaceId: WS, channelId: CH, limit: 3, pageToken: page.nextPageToken }, call);
    expect(next.results[0]!.id).not.toBe(page.results[0]!.id);
    const first = page.results[0]!;
    expect(await bird.getMessage({ workspaceId: WS, channelId: CH, messageId: first.id }, call)).toMatchObject({ id: first.id });
    expect((await bird.listWorkspaceMessages({ workspaceId: WS, limit: 5 }, call)).results).toHaveLength(5);
    const interactions = await bird.listInteractions(
      { workspaceId: WS, channelId: EMAIL.channelId, messageId: EMAIL.id },
      call,
    );
    expect(interactions.results).toHaveLength(EMAIL.interactions);
    expect((await bird.listContacts({ workspaceId: WS, limit: 4 }, call)).results).toHaveLength(4);
    expect(await bird.getContact({ workspaceId: WS, contactId: CONTACT }, call)).toMatchObject({ id: CONTACT });
    expect((await bird.listContactIdentifiers({ workspaceId: WS, contactId: CONTACT }, call)).results.length).toBeGreaterThan(0);
    expect(
      await bird.getChannelContactInformation(
        { workspaceId: WS, channelId: CH, contactId: CONTACT, contactIdentifierValue: SEED.contacts[0]!.phone },
        call,
      ),
    ).toHaveProperty('serviceWindowExpireAt');

    expect(paths()).toEqual([
      `GET /organizations/${ORG}/workspaces`,
      `GET /organizations/${ORG}/workspaces/${WS}`,
      `GET /workspaces/${WS}/channels`,
      `GET /workspaces/${WS}/channels/${CH}`,
      `GET /workspaces/${WS}/channels/${CH}/messages`,
      `GET /workspaces/${WS}/channels/${CH}/messages`,
      `GET /workspaces/${WS}/channels/${CH}/messages/${first.id}`,
      `GET /workspaces/${WS}/messages`,
      `GET /workspaces/${WS}/channels/${EMAIL.channelId}/messages/${EMAIL.id}/interactions`,
      `GET /workspaces/${WS}/contacts`,
      `GET /workspaces/${WS}/contacts/${CONTACT}`,
      `GET /workspaces/${WS}/contacts/${CONTACT}/identifiers`,
      `GET /workspaces/${WS}/channels/${CH}/contacts/${CONTACT}`,
    ]);
    expect(emulator.requests[0]!.query).toEqual({ limit: '2' });
  });

  it('sends a message, a batch and a contact search', async () => {
    const sent = await bird.sendMessage({ workspaceId: WS, channelId: CH, message }, { ...call, requestId: 'send-1' });
    expect(sent).toMatchObject({ channelId: CH, status: 'accepted' });
    const batch = await bird.sendBatch({ workspaceId: WS, channelId: CH, messageRequests: [message, message] }, call);
    expect(batch.batchId).toEqual(expect.any(String));
    const contact = SEED.contacts[1]!;
    const found = await bird.searchContacts(
      { workspaceId: WS, identifierKey: 'phonenumber', identifierValue: contact.phone },
      call,
    );
    expect(found.results.map((c) => c.id)).toContain(contact.id);
    expect(emulator.requests.map((r) => r.route)).toEqual([
      'POST /workspaces/:ws/channels/:ch/messages',
      'POST /workspaces/:ws/channels/:ch/batch/messages',
      'POST /workspaces/:ws/contacts/search',
    ]);
    expect(emulator.requests[0]!.requestId).toBe('send-1');
  });
});

describe('status → code', () => {
  const get = () => bird.getChannel({ workspaceId: WS, channelId: CH }, call);

  it('404 → NOT_FOUND with the route template and parsed body', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const error = await failure(bird.getChannel({ workspaceId: WS, channelId: missing }, call));
    expect(error).toMatchObject({
      code: 'NOT_FOUND',
      status: 404,
      method: 'GET',
      route: '/workspaces/{workspaceId}/channels/{channelId}',
      attempts: 1,
      body: { code: 'NotFound' },
    });
    expect(error.message).not.toContain(missing);
  });

  it('401 → UNAUTHENTICATED (unknown key), 403 → FORBIDDEN (key scoped to another workspace)', async () => {
    expect(
      await failure(bird.getChannel({ workspaceId: WS, channelId: CH }, { credential: { scheme: 'Bearer', token: 'nope' } })),
    ).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    expect(
      await failure(
        bird.getChannel({ workspaceId: WS, channelId: CH }, { credential: { scheme: 'AccessKey', token: SEED.accessKeys.scoped } }),
      ),
    ).toMatchObject({ code: 'FORBIDDEN', status: 403 });
  });

  it('409 → CONFLICT (send on an inactive channel)', async () => {
    const error = await failure(
      bird.sendMessage({ workspaceId: WS, channelId: SEED.channels.inactiveSms.id, message }, call),
    );
    expect(error).toMatchObject({ code: 'CONFLICT', status: 409, outcomeUnknown: false });
  });

  it('422 → INVALID_REQUEST with the details map', async () => {
    const invalid = { receiver: { contacts: [{ identifierValue: '+31612345678' }] } } as CreateMessageRequest;
    const error = await failure(bird.sendMessage({ workspaceId: WS, channelId: CH, message: invalid }, call));
    expect(error).toMatchObject({ code: 'INVALID_REQUEST', status: 422, outcomeUnknown: false });
    expect(Object.keys(error.details ?? {}).length).toBeGreaterThan(0);
    for (const messages of Object.values(error.details!)) expect(messages).toEqual(expect.arrayContaining([expect.any(String)]));
  });

  it('400 → INVALID_REQUEST (7-day window on a channel list)', async () => {
    const error = await failure(
      bird.listChannelMessages(
        { workspaceId: WS, channelId: CH, filter: { startAt: '2025-05-01T00:00:00.000Z', endAt: '2025-06-01T00:00:00.000Z' } },
        call,
      ),
    );
    expect(error).toMatchObject({ code: 'INVALID_REQUEST', status: 400 });
  });

  it('scripted statuses map as documented', async () => {
    const expected = { 400: 'INVALID_REQUEST', 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 409: 'CONFLICT', 418: 'UPSTREAM' };
    for (const [status, code] of Object.entries(expected)) {
      emulator.setFaults({ 'GET /workspaces/:ws/channels/:ch': [Number(status)] });
      expect(await failure(get())).toMatchObject({ code, status: Number(status), attempts: 1 });
    }
  });

  it('a 200 with an unexpected shape is BAD_RESPONSE', async () => {
    emulator.setFaults({ 'GET /workspaces/:ws/channels': [{ status: 200, body: { items: [] } }] });
    expect(await failure(bird.listChannels({ workspaceId: WS }, call))).toMatchObject({ code: 'BAD_RESPONSE', attempts: 1 });
  });
});

describe('ids are UUIDs before any URL exists', () => {
  const BAD = ['not-a-uuid', '..', '.', '%2e%2e', '../x', 'a/b', '', `${WS}/..`, `${WS}?x=1`, `${WS}\n`, ` ${WS}`];
  const M = SEED.messages.incomingImage.id;
  type Case = [string, (id: string) => Promise<unknown>];
  const cases: Case[] = [
    ['listWorkspaces.organizationId', (id) => bird.listWorkspaces({ organizationId: id }, call)],
    ['getWorkspace.organizationId', (id) => bird.getWorkspace({ organizationId: id, workspaceId: WS }, call)],
    ['getWorkspace.workspaceId', (id) => bird.getWorkspace({ organizationId: ORG, workspaceId: id }, call)],
    ['listChannels.workspaceId', (id) => bird.listChannels({ workspaceId: id }, call)],
    ['listChannels.channelIds', (id) => bird.listChannels({ workspaceId: WS, channelIds: [CH, id] }, call)],
    ['getChannel.workspaceId', (id) => bird.getChannel({ workspaceId: id, channelId: CH }, call)],
    ['getChannel.channelId', (id) => bird.getChannel({ workspaceId: WS, channelId: id }, call)],
    ['getChannelContactInformation.contactId', (id) => bird.getChannelContactInformation({ workspaceId: WS, channelId: CH, contactId: id }, call)],
    ['sendMessage.channelId', (id) => bird.sendMessage({ workspaceId: WS, channelId: id, message }, call)],
    ['sendMessage.workspaceId', (id) => bird.sendMessage({ workspaceId: id, channelId: CH, message }, call)],
    ['sendBatch.channelId', (id) => bird.sendBatch({ workspaceId: WS, channelId: id, messageRequests: [message] }, call)],
    ['listChannelMessages.channelId', (id) => bird.listChannelMessages({ workspaceId: WS, channelId: id }, call)],
    ['listChannelMessages.filter.batchId', (id) => bird.listChannelMessages({ workspaceId: WS, channelId: CH, filter: { batchId: id } }, call)],
    ['listWorkspaceMessages.workspaceId', (id) => bird.listWorkspaceMessages({ workspaceId: id }, call)],
    ['listWorkspaceMessages.filter.channelId', (id) => bird.listWorkspaceMessages({ workspaceId: WS, filter: { channelId: id } }, call)],
    ['getMessage.messageId', (id) => bird.getMessage({ workspaceId: WS, channelId: CH, messageId: id }, call)],
    ['listInteractions.messageId', (id) => bird.listInteractions({ workspaceId: WS, channelId: CH, messageId: id }, call)],
    ['createPresignedUpload.workspaceId', (id) => bird.createPresignedUpload({ workspaceId: id, contentType: 'image/png' }, call)],
    ['createPresignedUpload.channelId', (id) => bird.createPresignedUpload({ workspaceId: WS, channelId: id, contentType: 'image/png' }, call)],
    ['listContacts.workspaceId', (id) => bird.listContacts({ workspaceId: id }, call)],
    ['getContact.contactId', (id) => bird.getContact({ workspaceId: WS, contactId: id }, call)],
    ['searchContacts.workspaceId', (id) => bird.searchContacts({ workspaceId: id, identifierKey: 'k', identifierValue: 'v' }, call)],
    ['listContactIdentifiers.contactId', (id) => bird.listContactIdentifiers({ workspaceId: WS, contactId: id }, call)],
    ['downloadMedia.mediaId', (id) => bird.downloadMedia({ mediaUrl: `${emulator.url}/workspaces/${WS}/messages/${M}/media/${id}` }, call)],
  ];

  it.each(cases)('%s: INVALID_ID and zero requests', async (_name, run) => {
    for (const id of BAD) {
      const error = await failure(run(id));
      expect(error).toMatchObject({ code: 'INVALID_ID', attempts: 0 });
    }
    expect(emulator.requests).toEqual([]);
  });

  it('accepts upper-case UUIDs and sends them in canonical lower case', async () => {
    await expect(bird.getChannel({ workspaceId: WS.toUpperCase(), channelId: CH.toUpperCase() }, call)).resolves.toMatchObject({ id: CH });
    await bird.listChannels({ workspaceId: WS, channelIds: [CH.toUpperCase()] }, call);
    expect(paths()).toEqual([`GET /workspaces/${WS}/channels/${CH}`, `GET /workspaces/${WS}/channels`]);
    expect(emulator.requests[1]!.query).toEqual({ channelIds: CH });
  });
});

describe('filters go out under their wire names', () => {
  it('message list filters (status as CSV; undefined omitted; booleans as words)', async () => {
    const filter: Required<Omit<MessageListFilter, 'channelId'>> = {
      platform: 'sms',
      direction: 'outgoing',
      status: ['sent', 'delivered'],
      startAt: '2025-06-25T00:00:00.000Z',
      endAt: '2025-06-30T00:00:00.000Z',
      senderIdentifier: '+3197010250000',
      recipientIdentifier: '+31600000001',
      tag: 'promo',
      subject: 'Hello',
      batchId: SEED.batches.smsPromo,
    };
    await bird.listChannelMessages({ workspaceId: WS, channelId: CH, limit: 7, reverse: true, filter }, call);
    await bird.listWorkspaceMessages({ workspaceId: WS, reverse: false, filter: { channelId: CH, status: 'sent', tag: undefined } }, call);
    expect(emulator.requests[0]!.query).toEqual({
      limit: '7',
      reverse: 'true',
      [MESSAGE_FILTER_WIRE_NAMES.platform]: 'sms',
      [MESSAGE_FILTER_WIRE_NAMES.direction]: 'outgoing',
      [MESSAGE_FILTER_WIRE_NAMES.status]: 'sent,delivered',
      [MESSAGE_FILTER_WIRE_NAMES.startAt]: filter.startAt,
      [MESSAGE_FILTER_WIRE_NAMES.endAt]: filter.endAt,
      [MESSAGE_FILTER_WIRE_NAMES.senderIdentifier]: filter.senderIdentifier,
      [MESSAGE_FILTER_WIRE_NAMES.recipientIdentifier]: filter.recipientIdentifier,
      [MESSAGE_FILTER_WIRE_NAMES.tag]: 'promo',
      [MESSAGE_FILTER_WIRE_NAMES.subject]: 'Hello',
      [MESSAGE_FILTER_WIRE_NAMES.batchId]: SEED.batches.smsPromo,
    });
    expect(emulator.requests[1]!.query).toEqual({
      reverse: 'false',
      [MESSAGE_FILTER_WIRE_NAMES.channelId]: CH,
      [MESSAGE_FILTER_WIRE_NAMES.status]: 'sent',
    });
    // The wire names are the ones bird-api.md §2a decided.
    expect(MESSAGE_FILTER_WIRE_NAMES).toEqual({
      platform: 'platform',
      direction: 'direction',
      status: 'status',
      startAt: 'startAt',
      endAt: 'endAt',
      senderIdentifier: 'senderIdentifier',
      recipientIdentifier: 'recipientIdentifier',
      tag: 'tag',
      subject: 'subject',
      batchId: 'batchId',
      channelId: 'channelId',
    });
  });

  it('channel list filters (arrays as repeated keys)', async () => {
    const email = SEED.channels.email.id;
    const page = await bird.listChannels(
      { workspaceId: WS, limit: 50, channelIds: [CH, email], platform: ['sms', 'email'], useCaseType: 'transactional', status: 'active' },
      call,
    );
    expect(page.results.map((c) => c.id)).toEqual([CH]);
    expect(emulator.requests[0]!.query).toEqual({
      limit: '50',
      [CHANNEL_FILTER_WIRE_NAMES.channelIds]: [CH, email],
      [CHANNEL_FILTER_WIRE_NAMES.platform]: ['sms', 'email'],
      [CHANNEL_FILTER_WIRE_NAMES.useCaseType]: 'transactional',
      [CHANNEL_FILTER_WIRE_NAMES.status]: 'active',
    });
  });
});

describe('the access key never appears in an error', () => {
  const CANARY = 'canary-7f3a9c2e-secret-key';
  const canaryCall: CallOptions = { credential: { scheme: 'AccessKey', token: CANARY } };

  it('across statuses, transport failures, timeouts and an upstream body that echoes it', async () => {
    emulator.store.addAccessKey(CANARY, 'all');
    const quick = createBirdClient({ apiUrl: emulator.url, headersTimeoutMs: 150, deadlineMs: 3_000, random: () => 0, retry: { maxRetries: 0 } });
    const echo = { status: 500, body: { code: 'InternalError', message: `got AccessKey ${CANARY}`, [CANARY]: [CANARY] } };
    emulator.setFaults({ 'GET /workspaces/:ws/channels/:ch': [echo, 'reset', 'invalid-json', { delayMs: 2_500 }, 429, 422] });
    const errors: BirdError[] = [];
    for (let i = 0; i < 6; i++) errors.push(await failure(quick.getChannel({ workspaceId: WS, channelId: CH }, canaryCall)));
    errors.push(await failure(quick.getChannel({ workspaceId: WS, channelId: '..' }, canaryCall)));
    errors.push(await failure(quick.sendMessage({ workspaceId: WS, channelId: SEED.channels.inactiveSms.id, message }, canaryCall)));
    errors.push(await failure(quick.downloadMedia({ mediaUrl: `https://evil.example/${CANARY}` }, canaryCall)));
    errors.push(await failure(quick.getChannel({ workspaceId: WS, channelId: CH }, { ...canaryCall, signal: AbortSignal.abort() })));
    await quick.close();

    expect(errors.map((e) => e.code)).toEqual([
      'UPSTREAM',
      'NETWORK',
      'BAD_RESPONSE',
      'TIMEOUT',
      'RATE_LIMITED',
      'INVALID_REQUEST',
      'INVALID_ID',
      'CONFLICT',
      'INVALID_ID',
      'TIMEOUT',
    ]);
    expect(JSON.stringify(errors[0]!.body)).toContain('[REDACTED]');
    for (const error of errors) {
      const dump = [
        inspect(error, { depth: null, showHidden: true }),
        JSON.stringify(error),
        JSON.stringify(error.body ?? null),
        String(error.cause),
        error.stack,
      ].join('\n');
      expect(dump).not.toContain(CANARY);
    }
  });
});

describe('media', () => {
  it('round trip: presigned upload, streamed multipart upload, download gives identical bytes', async () => {
    const bytes = randomBytes(300_000);
    for (const channelId of [CH, undefined]) {
      const upload = await bird.createPresignedUpload({ workspaceId: WS, channelId, contentType: 'application/octet-stream' }, call);
      const source = Readable.from([bytes.subarray(0, 100_000), bytes.subarray(100_000)]);
      await bird.uploadFile(
        { upload, body: source, filename: 'blob.bin', contentType: 'application/octet-stream', size: bytes.length },
        call,
      );
      const media = await bird.downloadMedia({ mediaUrl: upload.mediaUrl }, call);
      expect(media).toMatchObject({ status: 200, contentType: 'application/octet-stream', contentLength: bytes.length });
      const chunks: Buffer[] = [];
      for await (const chunk of media.body) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    }
    expect(emulator.requests.map((r) => r.route)).toEqual([
      'POST /workspaces/:ws/channels/:ch/presigned-upload',
      'POST /media-upload',
      'GET /workspaces/:ws/channels/:ch/media/:media',
      'POST /workspaces/:ws/channel-media/presigned-upload',
      'POST /media-upload',
      'GET /workspaces/:ws/media/:media',
    ]);
  });

  it("downloads an incoming message's media", async () => {
    const image = SEED.messages.incomingImage;
    const media = await bird.downloadMedia({ mediaUrl: `${emulator.url}${image.mediaPath}` }, call);
    expect(media.contentType).toBe(image.contentType);
    const chunks: Buffer[] = [];
    for await (const chunk of media.body) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(Buffer.from(SEED.media.png.base64, 'base64'))).toBe(true);
  });

  it('a missing media id is NOT_FOUND; a 503 before the body starts is retried', async () => {
    const image = SEED.messages.incomingImage;
    const missing = `${emulator.url}/workspaces/${WS}/messages/${image.id}/media/00000000-0000-4000-8000-000000000000`;
    expect(await failure(bird.downloadMedia({ mediaUrl: missing }, call))).toMatchObject({ code: 'NOT_FOUND', attempts: 1 });
    emulator.setFaults({ 'GET /workspaces/:ws/messages/:msg/media/:media': [503] });
    const media = await bird.downloadMedia({ mediaUrl: `${emulator.url}${image.mediaPath}` }, call);
    media.body.destroy();
    expect(emulator.requests).toHaveLength(3);
  });

  it('the deadline covers a download until its headers; then the body streams on, and the caller can abort it', async () => {
    const image = SEED.messages.incomingImage;
    const mediaUrl = `${emulator.url}${image.mediaPath}`;
    // The bytes come from the object store Bird redirects to: its body is the slow one.
    const MEDIA = 'GET /objects/:key';
    const slow = createBirdClient({ apiUrl: emulator.url, deadlineMs: 300, bodyTimeoutMs: 5_000, mediaRedirectOrigins: [emulator.objectStore.url] });
    try {
      emulator.setFaults({ [MEDIA]: [{ slowBodyMs: 800 }, { slowBodyMs: 800 }] });
      const media = await slow.downloadMedia({ mediaUrl }, call);
      const chunks: Buffer[] = [];
      for await (const chunk of media.body) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).equals(Buffer.from(SEED.media.png.base64, 'base64'))).toBe(true);

      const controller = new AbortController();
      const aborted = await slow.downloadMedia({ mediaUrl }, { ...call, signal: controller.signal });
      controller.abort();
      await expect(async () => {
        for await (const _ of aborted.body) void _;
      }).rejects.toThrow();
    } finally {
      await slow.close();
    }
  });

  it('refuses foreign origins and anything but a media path, without a request', async () => {
    const image = SEED.messages.incomingImage;
    const good = `${emulator.url}${image.mediaPath}`;
    const port = new URL(emulator.url).port;
    const refused = [
      `https://evil.example${image.mediaPath}`,
      `http://localhost:${port}${image.mediaPath}`, // same server, other origin string
      `http://127.0.0.1:${Number(port) + 1}${image.mediaPath}`,
      good.replace('http://', 'http://user:pass@'),
      `${good}?redirect=https://evil.example`,
      `${emulator.url}/workspaces/${WS}/channels/${CH}`,
      `${emulator.url}/workspaces/${WS}/channels/${CH}/messages`,
      `${emulator.url}/organizations/${ORG}/workspaces`,
      `${emulator.url}/media-upload`,
      `${good}/../../../../organizations/${ORG}/workspaces`,
      `${emulator.url}/workspaces/${WS}/media/%2e%2e`,
      `${emulator.url}/workspaces/${WS}/media/..%2F..%2Fchannels`,
      `${emulator.url}/workspaces/not-a-uuid/media/${image.mediaId}`,
      'not a url',
      'file:///etc/passwd',
      '',
    ];
    for (const mediaUrl of refused) {
      expect(await failure(bird.downloadMedia({ mediaUrl }, call)), mediaUrl).toMatchObject({ code: 'INVALID_ID', attempts: 0 });
    }
    expect(emulator.requests).toEqual([]);
  });
});
