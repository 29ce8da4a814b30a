// Emulator sends: one test per validation rule (asserting the 422 details key), the accepted Message, auto-created contacts, batches and the status lifecycle.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_STATUSES, type Message } from '../../src/bird/types.ts';
import { SEED } from '../../src/emulator/seed.ts';
import { startEmulator, type Emulator } from '../../src/emulator/server.ts';
import { SENDABLE_CHANNEL_STATUSES } from '../../src/emulator/store.ts';
import { get, post, SMS, WS } from './emulator-helpers.ts';

const EMAIL = SEED.channels.email.id;
const WHATSAPP = SEED.channels.whatsapp.id;
const send = (channelId: string) => `/workspaces/${WS}/channels/${channelId}/messages`;
const batch = (channelId: string) => `/workspaces/${WS}/channels/${channelId}/batch/messages`;
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DAY = 24 * 3600 * 1000;

const to = (identifierValue = '+31612345678') => ({ contacts: [{ identifierValue }] });
const text = (t = 'Hello') => ({ type: 'text', text: { text: t } });
const valid = { receiver: to(), body: text() };

let e: Emulator;
beforeAll(async () => {
  e = await startEmulator({ rateLimits: false });
});
afterAll(() => e.close());

/** Sends `body` to the SMS channel (or `channelId`) and expects 422 with exactly a details entry at `key`. */
async function rejects(body: unknown, key: string, channelId: string = SMS) {
  const before = e.store.allMessages(WS, channelId).length;
  const res = await post(e, send(channelId), body);
  expect(res.status, res.text).toBe(422);
  expect(res.body).toMatchObject({ code: 'ValidationError', message: expect.any(String) });
  expect(Object.keys(res.body.details), res.text).toContain(key);
  expect(res.body.details[key]).toEqual(expect.arrayContaining([expect.any(String)]));
  expect(e.store.allMessages(WS, channelId)).toHaveLength(before);
}

describe('send: the accepted message', () => {
  it('202 with the full Message echoing the request', async () => {
    const request = {
      receiver: to('+31699990001'),
      body: text('Your code is 1234'),
      reference: 'order-42',
      meta: { extraInformation: { useCase: 'transactional' } },
      tags: ['OTP', 'Login Flow'],
    };
    const res = await post<Message>(e, send(SMS), request);
    expect(res.status).toBe(202);
    const m = res.body;
    expect(m).toMatchObject({
      channelId: SMS,
      status: 'accepted',
      direction: 'outgoing',
      sender: { connector: { id: SEED.channels.sms.connectorId, identifierValue: SEED.channels.sms.identifier } },
      body: request.body,
      reference: 'order-42',
      meta: request.meta,
      tags: ['otp', 'login flow'],
    });
    expect(m.createdAt).toMatch(ISO_MS);
    expect(m.updatedAt).toBe(m.createdAt);
    expect(m.lastStatusAt).toBe(m.createdAt);
    expect((await get(e, `${send(SMS)}/${m.id}`)).body).toEqual(m);
  });

  it('fills receiver ids with the existing contact for a known identifier', async () => {
    const anna = SEED.contacts[0] as (typeof SEED.contacts)[number];
    const res = await post<Message>(e, send(SMS), { receiver: to(anna.phone), body: text() });
    expect(res.body.receiver).toEqual({ contacts: [{ id: anna.id, identifierKey: 'phonenumber', identifierValue: anna.phone }] });
  });

  it('accepts a receiver by contact id and fills its identifier', async () => {
    const anna = SEED.contacts[0] as (typeof SEED.contacts)[number];
    const res = await post<Message>(e, send(SMS), { receiver: { contacts: [{ id: anna.id }] }, body: text() });
    expect(res.status).toBe(202);
    expect(res.body.receiver).toEqual({ contacts: [{ id: anna.id, identifierKey: 'phonenumber', identifierValue: anna.phone }] });
  });

  it('auto-creates a contact keyed phonenumber (SMS) that the contacts API then finds', async () => {
    const phone = '+31687654321';
    const res = await post<Message>(e, send(SMS), { receiver: to(phone), body: text() });
    const receiver = res.body.receiver as { contacts: { id: string; identifierKey: string; identifierValue: string }[] };
    const created = receiver.contacts[0];
    expect(created).toMatchObject({ id: expect.any(String), identifierKey: 'phonenumber', identifierValue: phone });
    expect((await get(e, `/workspaces/${WS}/contacts/${created?.id}`)).body).toMatchObject({ id: created?.id, featuredIdentifiers: [{ key: 'phonenumber', value: phone }] });
    const search = await post(e, `/workspaces/${WS}/contacts/search`, { identifier: { key: 'phonenumber', value: phone } });
    expect(search.body.results.map((c: { id: string }) => c.id)).toEqual([created?.id]);
    // a second send to the same number reuses the contact
    const again = await post<Message>(e, send(SMS), { receiver: to(phone), body: text() });
    expect((again.body.receiver as { contacts: { id: string }[] }).contacts[0]?.id).toBe(created?.id);
  });

  it('auto-creates email contacts keyed emailaddress; several receivers (to/cc/bcc) only on email', async () => {
    const res = await post<Message>(e, send(EMAIL), {
      receiver: { contacts: [{ identifierValue: 'new.person@example.org' }, { identifierValue: 'boss@example.org', type: 'cc' }] },
      body: { type: 'html', html: { html: '<p>Hi</p>', metadata: { subject: 'Greetings' } } },
    });
    expect(res.status).toBe(202);
    expect(res.body.receiver).toEqual({
      contacts: [
        { id: expect.any(String), identifierKey: 'emailaddress', identifierValue: 'new.person@example.org', type: 'to' },
        { id: expect.any(String), identifierKey: 'emailaddress', identifierValue: 'boss@example.org', type: 'cc' },
      ],
    });
  });

  it('accepts a template-only send (WhatsApp) and echoes the template', async () => {
    const template = { projectId: '7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918', version: 'latest', locale: 'en', parameters: [{ type: 'string', key: 'name', value: 'Bo' }] };
    const res = await post<Message>(e, send(WHATSAPP), { receiver: to(), template, body: null });
    expect(res.status).toBe(202);
    expect(res.body.template).toEqual(template);
    expect(res.body).not.toHaveProperty('body');
  });

  it('a future scheduledFor gives status scheduled and is echoed; a past one is accepted', async () => {
    const scheduledFor = new Date(Date.now() + DAY).toISOString();
    const res = await post<Message>(e, send(SMS), { ...valid, scheduledFor });
    expect(res.body).toMatchObject({ status: 'scheduled', scheduledFor });
    const past = await post<Message>(e, send(SMS), { ...valid, scheduledFor: '2020-01-01T00:00:00Z' });
    expect(past.body.status).toBe('accepted');
  });

  it.each([
    ['image', { type: 'image', image: { images: [{ mediaUrl: 'https://cdn.example.com/a.png' }] } }],
    ['file', { type: 'file', file: { files: [{ mediaUrl: 'https://cdn.example.com/a.pdf', contentType: 'application/pdf' }] } }],
    ['gif', { type: 'gif', gif: { mediaUrl: 'https://cdn.example.com/a.gif' } }],
    ['location', { type: 'location', location: { coordinates: { latitude: -90, longitude: 180 } } }],
    ['carousel', { type: 'carousel', carousel: { items: [{ title: 'A', actions: [{ type: 'link', link: { text: 'Go', url: '{{url}}' } }] }] } }],
    ['list', { type: 'list', list: { text: 'Pick', items: [{ title: 'One' }] } }],
    ['section', { type: 'section', section: { items: [text('a'), { type: 'section', section: { items: [text('b')] } }] } }],
    ['authentication', { type: 'authentication', authentication: { otp: { disclaimer: true, expirationTime: 90 } } }],
    ['action', { type: 'action', action: { type: 'permission_request', permission_request: { resource: 'call' } } }],
    [
      'text with every action kind',
      {
        type: 'text',
        text: {
          text: 'Choose',
          actions: [
            { type: 'link', link: { text: 'Site', url: 'https://acme.example' } },
            { type: 'reply', reply: { text: 'Yes' } },
            { type: 'postback', postback: { text: 'No', payload: 'no' } },
            { type: 'buy', buy: { text: 'Buy', amountCents: 999, currency: 'EUR' } },
            { type: 'locationRequest' },
          ],
        },
      },
    ],
  ])('accepts a valid %s body', async (_, body) => {
    const res = await post(e, send(WHATSAPP), { receiver: to(), body });
    expect(res.status, res.text).toBe(202);
    expect(res.body.body).toEqual(body);
  });
});

describe('send: validation rules (422 ValidationError with details)', () => {
  it('receiver is required', () => rejects({ body: text() }, 'receiver'));
  it('receiver.contacts is required', () => rejects({ receiver: {}, body: text() }, 'receiver.contacts'));
  it('receiver.contacts needs at least one contact', () => rejects({ receiver: { contacts: [] }, body: text() }, 'receiver.contacts'));
  it('each contact needs id, identifierValue or identifiers', () => rejects({ receiver: { contacts: [{ identifierKey: 'phonenumber' }] }, body: text() }, 'receiver.contacts.0'));
  it('unknown contact fields are rejected', () => rejects({ receiver: { contacts: [{ identifierValue: '+3161', nickname: 'x' }] }, body: text() }, 'receiver.contacts.0.nickname'));
  it('contact type is to/cc/bcc', () => rejects({ receiver: { contacts: [{ identifierValue: 'a@b.c', type: 'from' }] }, body: text() }, 'receiver.contacts.0.type', EMAIL));
  it('a contact id must exist in the workspace', () => rejects({ receiver: { contacts: [{ id: UNKNOWN }] }, body: text() }, 'receiver.contacts.0.id'));
  it('more than one receiver only on email channels', () =>
    rejects({ receiver: { contacts: [{ identifierValue: '+31611' }, { identifierValue: '+31622' }] }, body: text() }, 'receiver.contacts'));
  it('body or template is required', () => rejects({ receiver: to() }, 'body'));
  it('null body without template counts as missing', () => rejects({ receiver: to(), body: null }, 'body'));
  it('body and template together are rejected', () => rejects({ receiver: to(), body: text(), template: { name: 'x' } }, 'template'));
  it('unknown top-level fields are rejected', () => rejects({ ...valid, priority: 'high' }, 'priority'));
  it('body.type must be a known kind', () => rejects({ receiver: to(), body: { type: 'video', video: {} } }, 'body.type'));
  it('body.type must match its nested key', async () => {
    await rejects({ receiver: to(), body: { type: 'text', image: { images: [] } } }, 'body.text');
    await rejects({ receiver: to(), body: { type: 'text', image: { images: [] } } }, 'body.image');
  });
  it('text.text is required', () => rejects({ receiver: to(), body: { type: 'text', text: {} } }, 'body.text.text'));
  it('text.text has minLength 1', () => rejects({ receiver: to(), body: text('') }, 'body.text.text'));
  it('text body has no unknown fields', () => rejects({ receiver: to(), body: { type: 'text', text: { text: 'a', colour: 'red' } } }, 'body.text.colour'));
  it('text attachments need mediaUrl and filename', () =>
    rejects({ receiver: to(), body: { type: 'text', text: { text: 'a', attachments: [{ mediaUrl: 'https://x.y/z' }] } } }, 'body.text.attachments.0.filename'));
  it('html needs text or html', () => rejects({ receiver: to(), body: { type: 'html', html: { metadata: { subject: 's' } } } }, 'body.html', EMAIL));
  it('html attachments need mediaUrl+filename or content+contentType+filename', () =>
    rejects({ receiver: to('a@b.c'), body: { type: 'html', html: { html: '<p/>', attachments: [{ content: 'aGk=', filename: 'a.txt' }] } } }, 'body.html.attachments.0', EMAIL));
  it('image.images needs at least one image', () => rejects({ receiver: to(), body: { type: 'image', image: { images: [] } } }, 'body.image.images'));
  it('image needs images', () => rejects({ receiver: to(), body: { type: 'image', image: { text: 'x' } } }, 'body.image.images'));
  it('an image needs a mediaUrl', () => rejects({ receiver: to(), body: { type: 'image', image: { images: [{ altText: 'x' }] } } }, 'body.image.images.0.mediaUrl'));
  it('mediaUrl must be a URI', () => rejects({ receiver: to(), body: { type: 'image', image: { images: [{ mediaUrl: 'not a url' }] } } }, 'body.image.images.0.mediaUrl'));
  it('files need contentType', () =>
    rejects({ receiver: to(), body: { type: 'file', file: { files: [{ mediaUrl: 'https://x.y/a.pdf' }] } } }, 'body.file.files.0.contentType'));
  it('files need mediaUrl', () => rejects({ receiver: to(), body: { type: 'file', file: { files: [{ contentType: 'application/pdf' }] } } }, 'body.file.files.0.mediaUrl'));
  it('gif needs mediaUrl', () => rejects({ receiver: to(), body: { type: 'gif', gif: { text: 'x' } } }, 'body.gif.mediaUrl'));
  it('location needs coordinates', () => rejects({ receiver: to(), body: { type: 'location', location: {} } }, 'body.location.coordinates'));
  it('latitude is within -90..90', () =>
    rejects({ receiver: to(), body: { type: 'location', location: { coordinates: { latitude: 90.5, longitude: 0 } } } }, 'body.location.coordinates.latitude'));
  it('longitude is within -180..180', () =>
    rejects({ receiver: to(), body: { type: 'location', location: { coordinates: { latitude: 0, longitude: -181 } } } }, 'body.location.coordinates.longitude'));
  it('carousel needs items', () => rejects({ receiver: to(), body: { type: 'carousel', carousel: { text: 'x' } } }, 'body.carousel.items'));
  it('carousel text is at most 1024 characters', () =>
    rejects({ receiver: to(), body: { type: 'carousel', carousel: { text: 'x'.repeat(1025), items: [] } } }, 'body.carousel.text'));
  it('list needs text', () => rejects({ receiver: to(), body: { type: 'list', list: { title: 'x' } } }, 'body.list.text'));
  it('list button label is at most 20 characters', () =>
    rejects({ receiver: to(), body: { type: 'list', list: { text: 'x', metadata: { button: { label: 'x'.repeat(21) } } } } }, 'body.list.metadata.button.label'));
  it('section items are bodies of a known kind', () => rejects({ receiver: to(), body: { type: 'section', section: { items: [{ type: 'html', html: { html: 'x' } }] } } }, 'body.section.items.0.type'));
  it('a nested section may not contain a section', () =>
    rejects(
      { receiver: to(), body: { type: 'section', section: { items: [{ type: 'section', section: { items: [{ type: 'section', section: {} }] } }] } } },
      'body.section.items.0.section.items.0.type',
    ));
  it('authentication.otp needs disclaimer', () => rejects({ receiver: to(), body: { type: 'authentication', authentication: { otp: {} } } }, 'body.authentication.otp.disclaimer'));
  it('authentication expirationTime is 1..90', () =>
    rejects({ receiver: to(), body: { type: 'authentication', authentication: { otp: { disclaimer: false, expirationTime: 91 } } } }, 'body.authentication.otp.expirationTime'));
  it('action body needs permission_request.resource = call', () =>
    rejects({ receiver: to(), body: { type: 'action', action: { permission_request: { resource: 'video' } } } }, 'body.action.permission_request.resource'));

  const withAction = (action: unknown) => ({ receiver: to(), body: { type: 'text', text: { text: 'x', actions: [action] } } });
  it('action type must be known', () => rejects(withAction({ type: 'call', call: {} }), 'body.text.actions.0.type'));
  it('link action needs url', () => rejects(withAction({ type: 'link', link: { text: 'x' } }), 'body.text.actions.0.link.url'));
  it('link url is a URI or a {{variable}}', () => rejects(withAction({ type: 'link', link: { text: 'x', url: 'no url' } }), 'body.text.actions.0.link.url'));
  it('link action needs text', () => rejects(withAction({ type: 'link', link: { url: 'https://x.y' } }), 'body.text.actions.0.link.text'));
  it('reply action needs text', () => rejects(withAction({ type: 'reply', reply: {} }), 'body.text.actions.0.reply.text'));
  it('postback action needs text', () => rejects(withAction({ type: 'postback', postback: { payload: 'p' } }), 'body.text.actions.0.postback.text'));
  it('buy action needs amountCents', () => rejects(withAction({ type: 'buy', buy: { text: 'x', currency: 'EUR' } }), 'body.text.actions.0.buy.amountCents'));
  it('buy amountCents is an integer', () => rejects(withAction({ type: 'buy', buy: { text: 'x', amountCents: 9.5, currency: 'EUR' } }), 'body.text.actions.0.buy.amountCents'));
  it('buy currency has 3 characters', () => rejects(withAction({ type: 'buy', buy: { text: 'x', amountCents: 1, currency: 'EURO' } }), 'body.text.actions.0.buy.currency'));
  it('reply description label is at most 72 characters', () =>
    rejects(withAction({ type: 'reply', reply: { text: 'x', metadata: { description: { label: 'x'.repeat(73) } } } }), 'body.text.actions.0.reply.metadata.description.label'));

  it('at most 10 tags', () => rejects({ ...valid, tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }, 'tags'));
  it('tags match ^[a-zA-Z0-9-_ ]+$', () => rejects({ ...valid, tags: ['ok', 'not-ok!'] }, 'tags.1'));
  it('tags have at least 1 character', () => rejects({ ...valid, tags: [''] }, 'tags.0'));
  it('tags have at most 50 characters', () => rejects({ ...valid, tags: ['x'.repeat(51)] }, 'tags.0'));
  it('scheduledFor must be RFC 3339', () => rejects({ ...valid, scheduledFor: 'tomorrow at noon' }, 'scheduledFor'));
  it('scheduledFor at most 35 days ahead', () => rejects({ ...valid, scheduledFor: new Date(Date.now() + 36 * DAY).toISOString() }, 'scheduledFor'));
  it('validity is an integer', () => rejects({ ...valid, validity: 1.5 }, 'validity'));
  it('validity is >= 0', () => rejects({ ...valid, validity: -1 }, 'validity'));
  it('meta has no unknown fields', () => rejects({ ...valid, meta: { colour: 'red' } }, 'meta.colour'));
  it('meta.email.from has no unknown fields', () => rejects({ ...valid, meta: { email: { from: { name: 'x' } } } }, 'meta.email.from.name'));
  it('replyTo needs id and type', () => rejects({ ...valid, replyTo: { id: 'abc' } }, 'replyTo.type'));
  it('sender.connector needs identifierValue', () => rejects({ ...valid, sender: { connector: {} } }, 'sender.connector.identifierValue'));
  it('shortLinks needs domain', () => rejects({ ...valid, shortLinks: {} }, 'shortLinks.domain'));
  it('template has no unknown fields', () => rejects({ receiver: to(), template: { name: 'x', colour: 'red' } }, 'template.colour', WHATSAPP));
  it('template parameters have a known type and a key', () =>
    rejects({ receiver: to(), template: { name: 'x', parameters: [{ type: 'string', value: 'v' }] } }, 'template.parameters.0.key', WHATSAPP));
  it('template utmParameters have 1..8 items', () => rejects({ receiver: to(), template: { name: 'x', utmParameters: [] } }, 'template.utmParameters', WHATSAPP));
  it('field names like Object.prototype members are unknown fields', async () => {
    await rejects({ ...valid, constructor: 1 }, 'constructor');
    await rejects('{"receiver":{"contacts":[{"identifierValue":"+316"}]},"body":{"type":"text","text":{"text":"x"}},"__proto__":{"x":1}}', '__proto__');
  });
  it('scheduledFor must be a real calendar instant', async () => {
    await rejects({ ...valid, scheduledFor: '2020-04-31T10:00:00Z' }, 'scheduledFor');
    await rejects({ ...valid, scheduledFor: '2020-01-01T24:00:00Z' }, 'scheduledFor');
  });
  it('mediaUrl must be a URI by RFC 3986 (no braces, bad escapes or backslashes)', async () => {
    for (const mediaUrl of ['https://a.b/{x}', 'https://a.b/%zz', 'https://a.b\\c']) {
      await rejects({ receiver: to(), body: { type: 'image', image: { images: [{ mediaUrl }] } } }, 'body.image.images.0.mediaUrl');
    }
  });
  it('template locale is a BCP-47 tag', () => rejects({ receiver: to(), template: { name: 'x', locale: 'english!' } }, 'template.locale', WHATSAPP));
  it('a value of the wrong type is rejected', () => rejects({ ...valid, reference: 42 }, 'reference'));

  it('a body that is not an object → 422; not JSON → 400', async () => {
    expect((await post(e, send(SMS), [])).status).toBe(422);
    const bad = await post(e, send(SMS), '{"receiver": ');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('InvalidRequest');
  });
});

describe('send: channel errors', () => {
  it('404 for an unknown workspace or channel', async () => {
    expect((await post(e, send(UNKNOWN), valid)).status).toBe(404);
    expect((await post(e, `/workspaces/${UNKNOWN}/channels/${SMS}/messages`, valid)).status).toBe(404);
  });

  it('409 Conflict when the channel is not active', async () => {
    const res = await post(e, send(SEED.channels.inactiveSms.id), valid);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('Conflict');
  });

  it.each(CHANNEL_STATUSES.map((status) => [status, SENDABLE_CHANNEL_STATUSES.has(status) ? 202 : 409] as const))(
    'a channel in status %s answers a send with %i (a batch too)',
    async (status, expected) => {
      const record = e.store.channels.get(SEED.channels.inactiveSms.id)!;
      const previous = record.channel.status;
      record.channel.status = status;
      try {
        expect((await post(e, send(record.id), valid)).status).toBe(expected);
        expect((await post(e, batch(record.id), { messageRequests: [valid] })).status).toBe(expected);
      } finally {
        record.channel.status = previous;
      }
    },
  );

  it('a receiver named by receiverValue (newer docs) resolves to a contact under the channel key', async () => {
    const res = await post<Message>(e, send(SMS), { receiver: { contacts: [{ receiverValue: '+31644445555' }] }, body: text() });
    expect(res.status, res.text).toBe(202);
    const contact = res.body.receiver as { contacts: { id: string; identifierKey: string; identifierValue: string }[] };
    expect(contact.contacts[0]).toMatchObject({ identifierKey: 'phonenumber', identifierValue: '+31644445555', id: expect.any(String) });
  });
});

describe('batch send', () => {
  it.each([0, 101])('400 for %i messages', async (n) => {
    const res = await post(e, batch(SMS), { messageRequests: Array.from({ length: n }, () => valid) });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 'InvalidRequest', message: 'The specified amount of messages in the batch is invalid.' });
  });

  it('400 without messageRequests', async () => {
    expect((await post(e, batch(SMS), {})).status).toBe(400);
  });

  it('202 {batchId}; valid items accepted, invalid ones rejected with a failure, all carrying the batchId', async () => {
    const res = await post(e, batch(SMS), { messageRequests: [valid, { receiver: to(), body: text('') }, { ...valid, tags: ['Batch'] }] });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ batchId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    await e.store.batchesSettled();
    const listed = await get(e, send(SMS), { query: { batchId: res.body.batchId, reverse: true } });
    const messages = listed.body.results as Message[];
    expect(messages.map((m) => m.status).sort()).toEqual(['accepted', 'accepted', 'rejected']);
    expect(messages.every((m) => m.batchId === res.body.batchId)).toBe(true);
    const rejected = messages.find((m) => m.status === 'rejected');
    expect(rejected?.failure).toMatchObject({ code: 422, description: expect.stringContaining('body.text.text'), source: { name: 'pre-processing' } });
    expect(rejected).not.toHaveProperty('body');
    expect(messages.find((m) => m.tags)?.tags).toEqual(['batch']);
  });

  it('answers 202 before validating: the items become messages on the next turn of the event loop', async () => {
    const before = e.store.allMessages(WS, SMS).length;
    const { batchId } = e.store.sendBatch(WS, SMS, { messageRequests: [valid, { receiver: to('not-a-phone'), body: text() }] });
    expect(e.store.allMessages(WS, SMS)).toHaveLength(before);
    await e.store.batchesSettled();
    const items = e.store.allMessages(WS, SMS).filter((m) => m.batchId === batchId);
    expect(items.map((m) => m.status).sort()).toEqual(['accepted', 'rejected']);
    const rejected = items.find((m) => m.status === 'rejected')!;
    expect(rejected.reason).toBe('validation failed');
    expect(rejected.failure?.description).toContain('receiver.contacts.0.identifierValue');
    // Accepted items follow the normal lifecycle.
    const accepted = items.find((m) => m.status === 'accepted')!;
    expect(e.store.advanceMessage(WS, accepted.id).status).toBe('processing');
  });

  it('409 on an inactive channel, 404 on an unknown one', async () => {
    expect((await post(e, batch(SEED.channels.inactiveSms.id), { messageRequests: [valid] })).status).toBe(409);
    expect((await post(e, batch(UNKNOWN), { messageRequests: [valid] })).status).toBe(404);
  });
});

describe('status lifecycle', () => {
  it('advanceMessage steps accepted → processing → sent → delivered, updating lastStatusAt/updatedAt', async () => {
    const sent = (await post<Message>(e, send(SMS), valid)).body;
    const seen: string[] = [sent.status];
    for (let i = 0; i < 3; i++) {
      const m = e.store.advanceMessage(WS, sent.id);
      seen.push(m.status);
      expect(m.lastStatusAt).toBe(m.updatedAt);
      expect(m.lastStatusAt >= sent.lastStatusAt).toBe(true);
    }
    expect(seen).toEqual(['accepted', 'processing', 'sent', 'delivered']);
    expect((await get(e, `${send(SMS)}/${sent.id}`)).body.status).toBe('delivered');
    expect(() => e.store.advanceMessage(WS, sent.id)).toThrow(/final status/);
  });

  it('can force a failure with failure + reason (defaults when not given)', async () => {
    const a = (await post<Message>(e, send(SMS), valid)).body;
    const failure = { code: 7, description: 'Carrier said no', source: { code: 'X1', name: 'sms' } };
    e.store.advanceMessage(WS, a.id, 'delivery_failed', { failure, reason: 'carrierRejected' });
    expect((await get(e, `${send(SMS)}/${a.id}`)).body).toMatchObject({ status: 'delivery_failed', failure, reason: 'carrierRejected' });
    const b = (await post<Message>(e, send(SMS), valid)).body;
    const m = e.store.advanceMessage(WS, b.id, 'sending_failed');
    expect(m).toMatchObject({ status: 'sending_failed', failure: { code: expect.any(Number) }, reason: expect.any(String) });
    for (const status of ['rejected', 'deleted', 'skipped'] as const) {
      const c = (await post<Message>(e, send(SMS), valid)).body;
      expect(e.store.advanceMessage(WS, c.id, status).status).toBe(status);
    }
  });

  it('a scheduled message steps to accepted', async () => {
    const m = (await post<Message>(e, send(SMS), { ...valid, scheduledFor: new Date(Date.now() + DAY).toISOString() })).body;
    expect(e.store.advanceMessage(WS, m.id).status).toBe('accepted');
  });

  it('a timed lifecycle advances on its own until delivered', async () => {
    const demo = await startEmulator({ lifecycle: 1 });
    try {
      const m = (await post<Message>(demo, send(SMS), valid)).body;
      let status = m.status;
      for (let i = 0; i < 500 && status !== 'delivered'; i++) {
        await new Promise((r) => setTimeout(r, 5));
        status = (await get(demo, `${send(SMS)}/${m.id}`)).body.status;
      }
      expect(status).toBe('delivered');
    } finally {
      await demo.close();
    }
  });
});
