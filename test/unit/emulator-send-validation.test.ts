// Send validation over Bird's schema: the named departures, and how ajv's errors become Bird's 422 details (exact keys and messages).
import { describe, expect, it } from 'vitest';
import { DEPARTURES, type SendContext, validateSend } from '../../src/emulator/send-validation.ts';

const KNOWN = '3f2b3c1e-7d5a-4b1e-9c3a-2a1b0c9d8e7f';
const sms: SendContext = { platformId: 'sms', now: Date.parse('2030-01-01T00:00:00Z'), contactExists: (id) => id === KNOWN };
const to = { contacts: [{ identifierValue: '+31612345678' }] };
const text = { type: 'text', text: { text: 'Hello' } };
const details = (request: unknown, context: SendContext = sms) => ({ ...validateSend(request, context) });

describe('departures from Bird\'s document', () => {
  it('are named, each with a reason and a check', () => {
    expect(DEPARTURES.map((d) => d.name)).toEqual([
      'receiver-contacts-required',
      'media-lists-non-empty',
      'action-body-shape',
      'structured-template-values-shallow',
      'exactly-one-of-body-or-template',
      'receiver-newer-forms',
      'one-receiver-unless-email',
      'receiver-names-someone',
      'receiver-address-fits-platform',
      'receiver-id-exists',
      'schedule-within-35-days',
    ]);
    for (const d of DEPARTURES) {
      expect(d.why.length, d.name).toBeGreaterThan(20);
      expect(Boolean(d.patch ?? d.check), d.name).toBe(true);
    }
  });

  it.each([
    ['receiver-contacts-required', { receiver: {}, body: text }, { 'receiver.contacts': ['is required'] }],
    ['media-lists-non-empty', { receiver: to, body: { type: 'image', image: { images: [] } } }, { 'body.image.images': ['must have at least 1 item'] }],
    ['action-body-shape', { receiver: to, body: { type: 'action', action: { permission_request: { resource: 'call' } } } }, {}],
    [
      'structured-template-values-shallow',
      { receiver: to, template: { name: 't', parameters: [{ type: 'sectionList', key: 's', value: { sections: [{}] } }] } },
      {},
    ],
    ['exactly-one-of-body-or-template (both)', { receiver: to, body: text, template: { name: 't' } }, { template: ['must not be given together with body'] }],
    ['exactly-one-of-body-or-template (null counts as absent)', { receiver: to, body: null }, { body: ['body or template is required'] }],
    [
      'one-receiver-unless-email',
      { receiver: { contacts: [{ identifierValue: '+31611111111' }, { identifierValue: '+31622222222' }] }, body: text },
      { 'receiver.contacts': ['only email channels accept more than one receiver contact (sms channel)'] },
    ],
    [
      'receiver-newer-forms (receiverValue names the receiver)',
      { receiver: { contacts: [{ receiverValue: '+31612345678' }] }, body: text },
      {},
    ],
    [
      'receiver-names-someone (an expression alone names nobody)',
      { receiver: { contacts: [{ receiverExpression: 'attributes.mobile', platformAddressSelector: 'attributes.mobile' }] }, body: text },
      { 'receiver.contacts.0': ['must have id, identifierValue, identifiers, receiverValue or platformAddress'] },
    ],
    ['receiver-names-someone (a platformAddress names its address)', { receiver: { contacts: [{ platformAddress: '+31612345678' }] }, body: text }, {}],
    [
      'receiver-address-fits-platform (not a phone number on SMS)',
      { receiver: { contacts: [{ identifierValue: 'not-a-phone' }] }, body: text },
      { 'receiver.contacts.0.identifierValue': ['must be a phone number in E.164 format, e.g. +31612345678'] },
    ],
    [
      'receiver-address-fits-platform (an email address on SMS)',
      { receiver: { contacts: [{ identifierValue: 'ada@example.com' }] }, body: text },
      { 'receiver.contacts.0.identifierValue': ['must be a phone number in E.164 format, e.g. +31612345678'] },
    ],
    [
      'receiver-address-fits-platform (a number not in E.164 form)',
      { receiver: { contacts: [{ identifierValue: '+31 6 1234 5678' }] }, body: text },
      { 'receiver.contacts.0.identifierValue': ['must be a phone number in E.164 format, e.g. +31612345678'] },
    ],
    [
      'receiver-address-fits-platform (an emailaddress key on SMS)',
      { receiver: { contacts: [{ identifierKey: 'emailaddress', identifierValue: 'ada@example.com' }] }, body: text },
      { 'receiver.contacts.0.identifierKey': ['must be phonenumber on a sms channel'] },
    ],
    [
      'receiver-address-fits-platform (newer forms and identifiers[] follow the rule too)',
      {
        receiver: {
          contacts: [{ receiverValue: '12345' }, { platformAddress: 'x' }, { identifiers: [{ identifierKey: 'phonenumber', identifierValue: '0612' }] }],
        },
        body: text,
      },
      {
        'receiver.contacts': ['only email channels accept more than one receiver contact (sms channel)'],
        'receiver.contacts.0.receiverValue': ['must be a phone number in E.164 format, e.g. +31612345678'],
        'receiver.contacts.1.platformAddress': ['must be a phone number in E.164 format, e.g. +31612345678'],
        'receiver.contacts.2.identifiers.0.identifierValue': ['must be a phone number in E.164 format, e.g. +31612345678'],
      },
    ],
    ['receiver-address-fits-platform (another key is not ours to check)', { receiver: { contacts: [{ identifierKey: 'externalid', identifierValue: 'x-1' }] }, body: text }, {}],
    ['receiver-id-exists', { receiver: { contacts: [{ id: 'nobody' }] }, body: text }, { 'receiver.contacts.0.id': ['contact not found'] }],
    ['receiver-id-exists (known id)', { receiver: { contacts: [{ id: KNOWN }] }, body: text }, {}],
    ['schedule-within-35-days', { receiver: to, body: text, scheduledFor: '2030-02-06T00:00:00Z' }, { scheduledFor: ['must be at most 35 days ahead'] }],
  ])('%s', (_name, request, expected) => {
    expect(details(request)).toEqual(expected);
  });

  it('several receivers are fine on email', () => {
    const email = { ...sms, platformId: 'email' };
    expect(details({ receiver: { contacts: [{ identifierValue: 'a@b.c' }, { identifierValue: 'd@e.f', type: 'cc' }] }, body: text }, email)).toEqual({});
  });

  it.each([
    ['a phone number on email', { identifierValue: '+31612345678' }, 'receiver.contacts.0.identifierValue', 'must be a valid email address'],
    ['no domain dot', { identifierValue: 'ada@localhost' }, 'receiver.contacts.0.identifierValue', 'must be a valid email address'],
    ['a local part over 64 characters', { identifierValue: `${'a'.repeat(65)}@example.com` }, 'receiver.contacts.0.identifierValue', 'must be a valid email address'],
    ['a phonenumber key on email', { identifierKey: 'phonenumber', identifierValue: '+31612345678' }, 'receiver.contacts.0.identifierKey', 'must be emailaddress on a email channel'],
  ])('email receivers: %s', (_name, contact, key, message) => {
    expect(details({ receiver: { contacts: [contact] }, body: text }, { ...sms, platformId: 'email' })).toEqual({ [key]: [message] });
  });

  it('phone rules hold on every phone platform (and a provider suffix), not on others', () => {
    const bad = { receiver: { contacts: [{ identifierValue: 'not-a-phone' }] }, body: text };
    for (const platformId of ['sms', 'whatsapp', 'rcs', 'viber', 'sms-messagebird']) {
      expect(Object.keys(details(bad, { ...sms, platformId })), platformId).toEqual(['receiver.contacts.0.identifierValue']);
    }
    for (const platformId of ['telegram', 'instagram', 'line']) expect(details(bad, { ...sms, platformId }), platformId).toEqual({});
  });
});

describe('ajv errors as Bird details', () => {
  it.each([
    ['a body that is not an object', [], { '': ['must be an object'] }],
    ['unknown fields, including Object.prototype names', { receiver: to, body: text, constructor: 1, priority: 'high' }, { constructor: ['is not allowed'], priority: ['is not allowed'] }],
    [
      'the variant the discriminator names, and only it',
      { receiver: to, body: { type: 'text', image: { images: [] } } },
      { 'body.text': ['is required'], 'body.image': ['is not allowed'] },
    ],
    [
      'an unknown body kind, against Bird\'s BodyTypes enum',
      { receiver: to, body: { type: 'video', video: {} } },
      { 'body.type': ['must be one of: text, html, image, file, gif, location, carousel, list, section, authentication, template, action'] },
    ],
    [
      'a kind Bird lists but gives no variant (`template`): the discriminator\'s tags',
      { receiver: to, body: { type: 'template' } },
      { 'body.type': ['must be one of: text, html, image, file, gif, location, carousel, list, section, authentication, action'] },
    ],
    [
      'template parameters, discriminated by their type',
      { receiver: to, template: { name: 't', parameters: [{ type: 'number', key: 'n', value: 'three' }, { type: 'colour' }, 7] } },
      {
        'template.parameters.0.value': ['must be a number'],
        'template.parameters.1.type': [expect.stringMatching(/^must be one of: string, number, boolean, object, sectionList/)],
        'template.parameters.2': ['must be an object'],
      },
    ],
    ['an anyOf of key sets, once', { receiver: to, body: { type: 'html', html: {} } }, { 'body.html': ['must contain text or html'] }],
    [
      'an anyOf of string formats, once',
      { receiver: to, body: { type: 'text', text: { text: 'x', actions: [{ type: 'link', link: { text: 'Open', url: 'no url' } }] } } },
      { 'body.text.actions.0.link.url': ['must match {{[^{}]+}} or be a valid uri'] },
    ],
    [
      'a plain oneOf, once',
      { receiver: to, template: { name: 't', utmParameters: [{ key: 'utm_source' }] } },
      { 'template.utmParameters.0': ['must match exactly one of the allowed shapes'] },
    ],
    ['a wrong type hides the other complaints at its path', { receiver: to, body: text, tags: [7] }, { 'tags.0': ['must be a string'] }],
    ['null where the schema says nullable: accepted', { receiver: to, body: { type: 'text', text: { text: 'x', actions: null } }, template: null }, {}],
    ['null where it does not', { receiver: null, body: text }, { receiver: ['must not be null'] }],
    [
      'limits, lengths, patterns and formats',
      { receiver: to, body: text, validity: -1, tags: ['x'.repeat(51), 'no!'], scheduledFor: '2020-04-31T10:00:00Z' },
      {
        validity: ['must be >= 0'],
        'tags.0': ['must be at most 50 characters'],
        'tags.1': ['must match ^[a-zA-Z0-9-_ ]+$'],
        scheduledFor: ['must be a valid date-time'],
      },
    ],
  ])('%s', (_name, request, expected) => {
    expect(details(request)).toEqual(expected);
  });

  it('an own `__proto__` key is an unknown field like any other', () => {
    const request = JSON.parse(`{"receiver":{"contacts":[{"identifierValue":"+31612345678"}]},"body":{"type":"text","text":{"text":"x"}},"__proto__":{"x":1}}`);
    const result = validateSend(request, sms);
    expect(Object.keys(result)).toEqual(['__proto__']);
    expect(result['__proto__']).toEqual(['is not allowed']);
  });
});
