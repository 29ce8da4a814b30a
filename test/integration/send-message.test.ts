// sendMessage end to end: every body kind and a template round-trip, validation before any POST, Bird's 422 mapped
// to field paths, and exactly one POST per send whatever the emulator fails with.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED } from '../../src/emulator/seed.ts';
import { type MessageContentInput, SendMessageDocument, type SendMessageInput, SentMessageDocument } from '../gql/generated.ts';
import { type TestStack, startTestStack } from '../helpers.ts';
import { type OutgoingMessageInputShape, inputPathFromBird, toWireRequest } from '../../src/schema/send-input.ts';

const WS = SEED.workspaces.main.id;
const SMS = SEED.channels.sms.id;
const EMAIL = SEED.channels.email.id;
const WHATSAPP = SEED.channels.whatsapp.id;
const POST = 'POST /workspaces/:ws/channels/:ch/messages';
const IMG = 'https://cdn.example.com/pictures/a.png';
const PDF = 'https://cdn.example.com/docs/terms.pdf';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({
    emulator: { rateLimits: false },
    // Short attempts so the timeout rows finish quickly; jitter pinned so backoff is deterministic.
    bird: { headersTimeoutMs: 300, bodyTimeoutMs: 300, deadlineMs: 4000, random: () => 0.01 },
  });
});
afterAll(async () => {
  await stack.close();
});
beforeEach(() => {
  stack.requests.resetUpstream();
  stack.emulator.clearFaults();
});

function posts() {
  return stack.requests.upstream().filter((entry) => entry.route === POST);
}

function input(channelId: string, content: MessageContentInput, extra: Partial<SendMessageInput> = {}): SendMessageInput {
  const to = channelId === EMAIL ? SEED.contacts[0]!.email! : SEED.contacts[0]!.phone;
  return { workspaceId: WS, channelId, receivers: [{ identifierValue: to }], content, ...extra };
}

async function send(variables: SendMessageInput) {
  const result = await stack.execute(SendMessageDocument, { input: variables });
  expect(result.errors).toBeUndefined();
  return result.data!.sendMessage!;
}

const kinds: [string, string, MessageContentInput, Record<string, unknown>][] = [
  [
    'text with actions',
    SMS,
    { body: { text: { text: 'Pick one', actions: [{ reply: { text: 'Yes' } }, { postback: { text: 'No', payload: 'no' } }] } } },
    {
      __typename: 'TextContent',
      text: 'Pick one',
      actions: [
        { __typename: 'ReplyAction', text: 'Yes', descriptionLabel: null },
        { __typename: 'PostbackAction', text: 'No', payload: 'no' },
      ],
    },
  ],
  [
    'html with subject and attachment',
    EMAIL,
    {
      body: {
        html: { html: '<p>Hello</p>', text: 'Hello', subject: 'Welcome', attachments: [{ mediaUrl: PDF, filename: 'terms.pdf' }] },
      },
    },
    { __typename: 'HtmlContent', html: '<p>Hello</p>', text: 'Hello', subject: 'Welcome', attachments: [{ mediaUrl: PDF, filename: 'terms.pdf' }] },
  ],
  [
    'image',
    WHATSAPP,
    { body: { image: { text: 'caption', images: [{ mediaUrl: IMG, altText: 'A' }] } } },
    { __typename: 'ImageContent', text: 'caption', images: [{ mediaUrl: IMG, altText: 'A' }] },
  ],
  [
    'file',
    WHATSAPP,
    { body: { file: { text: 'docs', files: [{ mediaUrl: PDF, contentType: 'application/pdf', filename: 'terms.pdf' }] } } },
    { __typename: 'FileContent', text: 'docs', files: [{ mediaUrl: PDF, contentType: 'application/pdf', filename: 'terms.pdf' }] },
  ],
  [
    'gif',
    WHATSAPP,
    { body: { gif: { mediaUrl: 'https://cdn.example.com/fun.gif', altText: 'fun', text: 'ha' } } },
    { __typename: 'GifContent', mediaUrl: 'https://cdn.example.com/fun.gif', altText: 'fun', text: 'ha' },
  ],
  [
    'location',
    WHATSAPP,
    { body: { location: { coordinates: { latitude: 52.34, longitude: 4.9 }, label: 'Office', address: 'Main St 1' } } },
    { __typename: 'LocationContent', coordinates: { latitude: 52.34, longitude: 4.9 }, label: 'Office', address: 'Main St 1' },
  ],
  [
    'carousel',
    WHATSAPP,
    {
      body: {
        carousel: {
          text: 'Our picks',
          items: [
            { title: 'One', mediaUrl: IMG, actions: [{ link: { text: 'Buy', url: 'https://shop.example.com/1' } }] },
            { title: 'Two', mediaUrl: IMG, actions: [{ link: { text: 'Buy', url: 'https://shop.example.com/2' } }] },
          ],
        },
      },
    },
    {
      __typename: 'CarouselContent',
      text: 'Our picks',
      items: [
        { title: 'One', description: null, mediaUrl: IMG, actions: [{ __typename: 'LinkAction', text: 'Buy', url: 'https://shop.example.com/1' }] },
        { title: 'Two', description: null, mediaUrl: IMG, actions: [{ __typename: 'LinkAction', text: 'Buy', url: 'https://shop.example.com/2' }] },
      ],
    },
  ],
  [
    'list',
    WHATSAPP,
    {
      body: {
        list: {
          title: 'Menu',
          text: 'Choose a size',
          buttonLabel: 'Sizes',
          actions: [{ reply: { text: 'Small', descriptionLabel: 'S' } }, { reply: { text: 'Large' } }],
        },
      },
    },
    {
      __typename: 'ListContent',
      title: 'Menu',
      text: 'Choose a size',
      buttonLabel: 'Sizes',
      actions: [
        { __typename: 'ReplyAction', text: 'Small', descriptionLabel: 'S' },
        { __typename: 'ReplyAction', text: 'Large', descriptionLabel: null },
      ],
    },
  ],
  [
    'section',
    WHATSAPP,
    { body: { section: { contents: [{ text: { text: 'First' } }, { image: { images: [{ mediaUrl: IMG }] } }] } } },
    {
      __typename: 'SectionContent',
      contents: [
        { __typename: 'TextContent', text: 'First' },
        { __typename: 'ImageContent', images: [{ mediaUrl: IMG, altText: null }] },
      ],
    },
  ],
  [
    'authentication',
    WHATSAPP,
    { body: { authentication: { otp: { disclaimer: true, expirationTime: 10 } } } },
    { __typename: 'AuthenticationContent', otp: { disclaimer: true, expirationTime: 10 } },
  ],
  [
    'permission request',
    WHATSAPP,
    { body: { permissionRequest: { resource: 'CALL' } } },
    { __typename: 'PermissionRequestContent', resource: 'CALL' },
  ],
  [
    'template',
    WHATSAPP,
    {
      template: {
        name: 'order_update',
        projectId: '7c1b5d7e-8f9a-4b3c-9d2e-1f0a2b3c4d5e',
        version: 'latest',
        locale: 'en',
        parameters: [{ type: 'string', key: 'name', value: 'Robert' }],
      },
    },
    {
      __typename: 'TemplateContent',
      name: 'order_update',
      projectId: '7c1b5d7e-8f9a-4b3c-9d2e-1f0a2b3c4d5e',
      version: 'latest',
      locale: 'en',
      parameters: [{ type: 'string', key: 'name', value: 'Robert' }],
    },
  ],
];

describe('sending every content kind', () => {
  it.each(kinds)('%s: sent once, and read back through the graph with the same content', async (_name, channelId, content, expected) => {
    const result = await send(input(channelId, content, { tags: ['Launch', 'vip'] }));
    expect(result.__typename).toBe('SendMessagePayload');
    if (result.__typename !== 'SendMessagePayload') return;
    expect(posts()).toHaveLength(1);
    expect(result.sentMessage.status).toBe('ACCEPTED');
    expect(result.sentMessage.direction).toBe('OUTGOING');
    expect(result.sentMessage.tags).toEqual(['launch', 'vip']);
    expect(result.sentMessage.content).toMatchObject(expected);
    expect(result.sentMessage.reference).toBe(result.reference);

    stack.requests.resetUpstream();
    const readBack = await stack.execute(SentMessageDocument, { workspaceId: WS, channelId, messageId: result.sentMessage.messageId });
    expect(readBack.errors).toBeUndefined();
    expect(readBack.data!.message!.content).toEqual(result.sentMessage.content);
    expect(readBack.data!.message!.content).toMatchObject(expected);
    expect(stack.requests.upstream().map((entry) => entry.route)).toEqual(['GET /workspaces/:ws/channels/:ch/messages/:msg']);
  });

  it('sends an email to, cc and bcc receivers', async () => {
    const [a, b, c] = SEED.contacts.filter((contact) => contact.email);
    const result = await send({
      ...input(EMAIL, { body: { html: { html: '<b>Hi all</b>' } } }),
      receivers: [
        { identifierKey: 'emailaddress', identifierValue: a!.email! },
        { contactId: b!.id, type: 'CC' },
        { identifierValue: c!.email!, type: 'BCC' },
      ],
      meta: { emailSubject: 'Quarterly update', emailHeaders: [{ name: 'X-Campaign', value: 'q3' }] },
      reference: 'my-ref-1',
    });
    expect(result.__typename).toBe('SendMessagePayload');
    if (result.__typename !== 'SendMessagePayload') return;
    expect(result.reference).toBe('my-ref-1');
    expect(result.sentMessage.subject).toBe('Quarterly update');
    expect(result.sentMessage.receivers).toEqual([
      { __typename: 'ContactParticipant', contactId: a!.id, identifierValue: a!.email, type: 'TO' },
      { __typename: 'ContactParticipant', contactId: b!.id, identifierValue: b!.email, type: 'CC' },
      { __typename: 'ContactParticipant', contactId: c!.id, identifierValue: c!.email, type: 'BCC' },
    ]);
    expect(posts()).toHaveLength(1);
  });
});

/** Receivers Bird cannot deliver to on the channel (issue 12's Why), with the paths the graph and the emulator name. */
const RECEIVER_CASES: [string, SendMessageInput, string[][]][] = [
  ['not a phone number on SMS', { ...input(SMS, { body: { text: { text: 'hi' } } }), receivers: [{ identifierValue: 'not-a-phone' }] }, [['input', 'receivers', '0', 'identifierValue']]],
  ['an email address on SMS', { ...input(SMS, { body: { text: { text: 'hi' } } }), receivers: [{ identifierValue: 'ada@example.com' }] }, [['input', 'receivers', '0', 'identifierValue']]],
  ['a phone number on email', { ...input(EMAIL, { body: { html: { html: '<p>hi</p>' } } }), receivers: [{ identifierValue: '+31612345678' }] }, [['input', 'receivers', '0', 'identifierValue']]],
  ['a number with spaces (not E.164) on WhatsApp', { ...input(WHATSAPP, { body: { text: { text: 'hi' } } }), receivers: [{ identifierValue: '+31 6 1234 5678' }] }, [['input', 'receivers', '0', 'identifierValue']]],
  ['a number outside the numbering plan on SMS', { ...input(SMS, { body: { text: { text: 'hi' } } }), receivers: [{ identifierValue: '+15551234567' }] }, [['input', 'receivers', '0', 'identifierValue']]],
  ['no + before the country code on SMS', { ...input(SMS, { body: { text: { text: 'hi' } } }), receivers: [{ identifierValue: '31612345678' }] }, [['input', 'receivers', '0', 'identifierValue']]],
  [
    'an emailaddress key on SMS',
    { ...input(SMS, { body: { text: { text: 'hi' } } }), receivers: [{ identifierKey: 'emailaddress', identifierValue: 'ada@example.com' }] },
    [['input', 'receivers', '0', 'identifierKey']],
  ],
  [
    'a bad address among email receivers',
    { ...input(EMAIL, { body: { html: { html: '<p>hi</p>' } } }), receivers: [{ identifierValue: 'ada@example.com' }, { identifierValue: 'bob@', type: 'CC' }] },
    [['input', 'receivers', '1', 'identifierValue']],
  ],
];

describe('validation before any POST', () => {
  const cases: [string, SendMessageInput, string[][]][] = [
    [
      'two receivers on an SMS channel',
      { ...input(SMS, { body: { text: { text: 'hi' } } }), receivers: [{ identifierValue: '+31600000001' }, { identifierValue: '+31600000002' }] },
      [['input', 'receivers']],
    ],
    ['cc on an SMS channel', { ...input(SMS, { body: { text: { text: 'hi' } } }), receivers: [{ identifierValue: '+31600000001', type: 'CC' }] }, [['input', 'receivers', '0', 'type']]],
    ['a receiver with neither id nor identifier', { ...input(SMS, { body: { text: { text: 'hi' } } }), receivers: [{}] }, [['input', 'receivers', '0']]],
    ['no receiver', { ...input(SMS, { body: { text: { text: 'hi' } } }), receivers: [] }, [['input', 'receivers']]],
    ['eleven tags', input(SMS, { body: { text: { text: 'hi' } } }, { tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }), [['input', 'tags']]],
    ['a tag with punctuation', input(SMS, { body: { text: { text: 'hi' } } }, { tags: ['ok', 'not/ok'] }), [['input', 'tags', '1']]],
    [
      'a schedule more than 35 days ahead',
      input(SMS, { body: { text: { text: 'hi' } } }, { scheduledFor: new Date(Date.now() + 40 * 86_400_000).toISOString() }),
      [['input', 'scheduledFor']],
    ],
    ['a negative validity', input(SMS, { body: { text: { text: 'hi' } } }, { validity: -1 }), [['input', 'validity']]],
    ['empty text', input(SMS, { body: { text: { text: '' } } }), [['input', 'content', 'body', 'text', 'text']]],
    [
      'a media URL Bird cannot fetch',
      input(WHATSAPP, { body: { image: { images: [{ mediaUrl: 'http://127.0.0.1/secret.png' }] } } }),
      [['input', 'content', 'body', 'image', 'images', '0', 'mediaUrl']],
    ],
    [
      'an out-of-range latitude',
      input(WHATSAPP, { body: { location: { coordinates: { latitude: 91, longitude: 0 } } } }),
      [['input', 'content', 'body', 'location', 'coordinates', 'latitude']],
    ],
    ...RECEIVER_CASES.map(([name, variables, paths]) => [`receiver: ${name}`, variables, paths] as [string, SendMessageInput, string[][]]),
  ];
  it.each(cases)('%s: a ValidationError with the field path, and no POST', async (_name, variables, paths) => {
    const result = await send(variables);
    expect(result.__typename).toBe('ValidationError');
    if (result.__typename !== 'ValidationError') return;
    expect(result.fields.map((field) => field.path)).toEqual(paths);
    for (const field of result.fields) expect(field.message.length).toBeGreaterThan(0);
    expect(posts()).toEqual([]);
  });

  it.each(RECEIVER_CASES)("receiver: %s is refused by the emulator too, at a 422 path that maps onto the same input path", async (_name, variables, paths) => {
    const { workspaceId, channelId, ...message } = variables;
    const wire = toWireRequest(message as unknown as OutgoingMessageInputShape, 'ref-1');
    const response = await fetch(`${stack.emulator.url}/workspaces/${workspaceId}/channels/${channelId}/messages`, {
      method: 'POST',
      headers: { authorization: `AccessKey ${SEED.accessKeys.demo}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...wire, receiver: { contacts: wire.receiver.contacts.map((c) => ({ ...c, type: c.type?.toLowerCase() })) } }),
    });
    expect(response.status).toBe(422);
    const body = (await response.json()) as { details: Record<string, string[]> };
    expect(Object.keys(body.details).map((key) => inputPathFromBird(key.split('.')))).toEqual(paths);
  });

  it('refuses a body and a template together (@oneOf) before execution', async () => {
    const result = await stack.execute(SendMessageDocument, {
      input: input(SMS, { body: { text: { text: 'a' } }, template: { name: 'x' } } as MessageContentInput),
    });
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.message).toMatch(/Exactly one key must be specified for OneOf type "MessageContentInput"/);
    expect(stack.requests.upstream()).toEqual([]);
  });

  it('answers NotFoundError for an unknown channel, without posting', async () => {
    const result = await send(input('00000000-0000-4000-8000-00000000dead', { body: { text: { text: 'hi' } } }));
    expect(result).toMatchObject({ __typename: 'NotFoundError', resource: 'channel' });
    expect(posts()).toEqual([]);
  });

  it('answers ConflictError for an inactive channel, without posting', async () => {
    const result = await send(input(SEED.channels.inactiveSms.id, { body: { text: { text: 'hi' } } }));
    expect(result.__typename).toBe('ConflictError');
    expect(posts()).toEqual([]);
  });

  it("maps Bird's own 422 details onto field paths of the input", async () => {
    // An id that is a UUID but no contact of the workspace: only Bird can tell.
    const result = await send({
      ...input(SMS, { body: { text: { text: 'hi' } } }),
      receivers: [{ contactId: '00000000-0000-4000-8000-0000000000c1' }],
    });
    expect(result.__typename).toBe('ValidationError');
    if (result.__typename !== 'ValidationError') return;
    expect(result.fields.map((field) => field.path)).toEqual([['input', 'receivers', '0', 'id']]);
    expect(posts()).toHaveLength(1);
  });
});

describe('exactly one POST per send', () => {
  const text = () => input(SMS, { body: { text: { text: 'once' } } }, { reference: 'order-42' });

  it.each([500, 503])('after a %i: one POST, and the outcome is unknown', async (status) => {
    stack.emulator.setFaults({ [POST]: [status] });
    const result = await send(text());
    expect(result).toMatchObject({ __typename: 'OutcomeUnknownError', reference: 'order-42' });
    expect(posts()).toHaveLength(1);
  });

  it('after a timeout: one POST, and the outcome is unknown', async () => {
    stack.emulator.setFaults({ [POST]: [{ delayMs: 2500 }] });
    const result = await send(text());
    expect(result).toMatchObject({ __typename: 'OutcomeUnknownError', reference: 'order-42' });
    expect(posts()).toHaveLength(1);
  });

  it('after a reset: one POST, and the outcome is unknown', async () => {
    stack.emulator.setFaults({ [POST]: ['reset'] });
    const result = await send(text());
    expect(result).toMatchObject({ __typename: 'OutcomeUnknownError', reference: 'order-42' });
    expect(posts()).toHaveLength(1);
  });

  it('after two 429s: retried (Bird did not process them), sent on the third POST', async () => {
    stack.emulator.setFaults({ [POST]: [{ status: 429, headers: { 'retry-after': '0' } }, { status: 429, headers: { 'retry-after': '0' } }] });
    const result = await send(text());
    expect(result.__typename).toBe('SendMessagePayload');
    expect(posts()).toHaveLength(3);
  });

  it('after 429s all the way: at most 3 POSTs, then RateLimitedError', async () => {
    stack.emulator.setFaults({ [POST]: Array.from({ length: 5 }, () => ({ status: 429, headers: { 'retry-after': '0' } })) });
    const result = await send(text());
    expect(result.__typename).toBe('RateLimitedError');
    expect(posts()).toHaveLength(3);
  });

  it('generates a reference when the caller gives none, and returns it', async () => {
    stack.emulator.setFaults({ [POST]: [502] });
    const result = await send(input(SMS, { body: { text: { text: 'x' } } }));
    expect(result.__typename).toBe('OutcomeUnknownError');
    if (result.__typename !== 'OutcomeUnknownError') return;
    expect(result.reference).toMatch(/^bird-graphql-[0-9a-f-]{36}$/);
    const sent = posts()[0]!;
    expect(sent.route).toBe(POST);
  });
});
