// sendMessages end to end: 1 to 100 messages in exactly one batch POST, every item checked first (paths to the item,
// 0 POSTs), the batch id and references in the answer, Bird's asynchronous rejections read back by batchId.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED } from '../../src/emulator/seed.ts';
import { BatchMessagesDocument, type OutgoingMessageInput, SendMessagesDocument, type SendMessagesInput } from '../gql/generated.ts';
import type { GraphQLInputObjectType } from 'graphql';
import { type TestStack, startTestStack, testSchema } from '../helpers.ts';

const WS = SEED.workspaces.main.id;
const SMS = SEED.channels.sms.id;
const EMAIL = SEED.channels.email.id;
const BATCH = 'POST /workspaces/:ws/channels/:ch/batch/messages';
const UNKNOWN_CONTACT = '00000000-0000-4000-8000-0000000000c1';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({
    emulator: { rateLimits: false },
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

const posts = () => stack.requests.upstream().filter((entry) => entry.method === 'POST');
/** A valid Dutch mobile number per index (+316 1xxxxxxx). */
const phone = (i: number) => `+3161${String(1_000_000 + i).padStart(7, '0')}`;
const text = (i: number, extra: Partial<OutgoingMessageInput> = {}): OutgoingMessageInput => ({
  receivers: [{ identifierValue: phone(i) }],
  content: { body: { text: { text: `Message ${i}` } } },
  ...extra,
});

async function sendBatch(input: SendMessagesInput) {
  const result = await stack.execute(SendMessagesDocument, { input });
  expect(result.errors).toBeUndefined();
  return result.data!.sendMessages;
}

async function readBack(channelId: string, batchId: string) {
  await stack.emulator.store.batchesSettled();
  const result = await stack.execute(BatchMessagesDocument, { workspaceId: WS, channelId, batchId, first: 100 });
  expect(result.errors).toBeUndefined();
  // Non-null assertions hold either way the connection's nullability is declared.
  return (result.data!.channel!.messages!.edges ?? []).map((edge) => edge!.node!);
}

describe('the input', () => {
  it('a batch item has exactly the message fields of SendMessageInput (one declaration for both)', () => {
    const schema = testSchema();
    const fields = (name: string) =>
      Object.values((schema.getType(name) as GraphQLInputObjectType).getFields()).map((f) => [f.name, String(f.type), f.description]);
    const single = fields('SendMessageInput').filter(([name]) => name !== 'workspaceId' && name !== 'channelId');
    expect(single).toHaveLength(fields('SendMessageInput').length - 2);
    expect(fields('OutgoingMessageInput')).toEqual(single);
  });
});

describe('a batch of 100', () => {
  it('is one POST to the batch endpoint, answered with the batch id and a reference per message', async () => {
    const messages = Array.from({ length: 100 }, (_, i) => text(i, i % 10 === 0 ? { reference: `order-${i}` } : {}));
    const result = await sendBatch({ workspaceId: WS, channelId: SMS, messages });
    expect(result.__typename).toBe('SendMessagesPayload');
    if (result.__typename !== 'SendMessagesPayload') return;
    expect(posts().map((entry) => entry.route)).toEqual([BATCH]);
    expect(result.batchId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.references).toHaveLength(100);
    expect(new Set(result.references).size).toBe(100);
    result.references.forEach((reference, i) => {
      expect(reference).toMatch(i % 10 === 0 ? new RegExp(`^order-${i}$`) : /^bird-graphql-[0-9a-f-]{36}$/);
    });

    const read = await readBack(SMS, result.batchId);
    expect(read).toHaveLength(100);
    expect(read.every((message) => message.batchId === result.batchId && message.status === 'ACCEPTED')).toBe(true);
    expect(new Set(read.map((message) => message.reference))).toEqual(new Set(result.references));
  });
});

describe('every message checked before any call', () => {
  it('one bad item: 0 POSTs and an error path to that item', async () => {
    const messages = Array.from({ length: 100 }, (_, i) => (i === 37 ? text(i, { receivers: [{ identifierValue: 'not-a-phone' }] }) : text(i)));
    const result = await sendBatch({ workspaceId: WS, channelId: SMS, messages });
    expect(result.__typename).toBe('ValidationError');
    if (result.__typename !== 'ValidationError') return;
    expect(result.fields.map((field) => field.path)).toEqual([['input', 'messages', '37', 'receivers', '0', 'identifierValue']]);
    expect(result.fields[0]!.message).toMatch(/E\.164/);
    expect(posts()).toEqual([]);
  });

  it('names every bad item, each under its own index', async () => {
    const messages = [
      text(0),
      text(1, { receivers: [{ identifierValue: 'ada@example.com' }] }),
      text(2, { tags: ['not/ok'] }),
      text(3, { receivers: [{ identifierValue: phone(3) }, { identifierValue: phone(4) }] }),
      text(4, { content: { body: { text: { text: '' } } } }),
    ];
    const result = await sendBatch({ workspaceId: WS, channelId: SMS, messages });
    expect(result.__typename).toBe('ValidationError');
    if (result.__typename !== 'ValidationError') return;
    expect(result.fields.map((field) => field.path)).toEqual([
      ['input', 'messages', '1', 'receivers', '0', 'identifierValue'],
      ['input', 'messages', '2', 'tags', '0'],
      ['input', 'messages', '3', 'receivers'],
      ['input', 'messages', '4', 'content', 'body', 'text', 'text'],
    ]);
    expect(posts()).toEqual([]);
  });

  it.each([0, 101])('%i messages: refused before any call, at input.messages', async (count) => {
    const result = await sendBatch({ workspaceId: WS, channelId: SMS, messages: Array.from({ length: count }, (_, i) => text(i)) });
    expect(result).toMatchObject({ __typename: 'ValidationError', fields: [{ path: ['input', 'messages'] }] });
    expect(stack.requests.upstream()).toEqual([]);
  });

  it('an unknown channel is NotFoundError and an inactive one ConflictError, without posting', async () => {
    const unknown = await sendBatch({ workspaceId: WS, channelId: '00000000-0000-4000-8000-00000000dead', messages: [text(0)] });
    expect(unknown).toMatchObject({ __typename: 'NotFoundError', resource: 'channel' });
    const inactive = await sendBatch({ workspaceId: WS, channelId: SEED.channels.inactiveSms.id, messages: [text(0)] });
    expect(inactive.__typename).toBe('ConflictError');
    expect(posts()).toEqual([]);
  });

  it('email batches take email addresses and several receivers per message', async () => {
    const [a, b] = SEED.contacts.filter((contact) => contact.email);
    const result = await sendBatch({
      workspaceId: WS,
      channelId: EMAIL,
      messages: [
        { receivers: [{ identifierValue: a!.email! }, { identifierValue: b!.email!, type: 'CC' }], content: { body: { html: { html: '<p>1</p>' } } } },
        { receivers: [{ identifierValue: '+31612345678' }], content: { body: { html: { html: '<p>2</p>' } } } },
      ],
    });
    expect(result).toMatchObject({ __typename: 'ValidationError', fields: [{ path: ['input', 'messages', '1', 'receivers', '0', 'identifierValue'] }] });
    expect(posts()).toEqual([]);
  });
});

describe("Bird's asynchronous validation", () => {
  it('items Bird rejects are read back by batchId with status REJECTED, a reason and the failure', async () => {
    // Only Bird knows whether a contact id exists: the graph lets it through, Bird rejects the item after its 202.
    const messages = [text(0), { receivers: [{ contactId: UNKNOWN_CONTACT }], content: { body: { text: { text: 'x' } } } }, text(2)];
    const result = await sendBatch({ workspaceId: WS, channelId: SMS, messages });
    expect(result.__typename).toBe('SendMessagesPayload');
    if (result.__typename !== 'SendMessagesPayload') return;
    expect(posts()).toHaveLength(1);
    const read = await readBack(SMS, result.batchId);
    expect(read.map((message) => message.status).sort()).toEqual(['ACCEPTED', 'ACCEPTED', 'REJECTED']);
    const rejected = read.find((message) => message.status === 'REJECTED')!;
    expect(rejected.reason).toBe('validation failed');
    expect(rejected.failure).toMatchObject({ code: 422, description: expect.stringContaining('receiver.contacts.0.id') });
    expect(rejected.reference).toBe(result.references[1]);
  });
});

describe('exactly one POST per batch', () => {
  const batch = (): SendMessagesInput => ({ workspaceId: WS, channelId: SMS, messages: [text(0, { reference: 'b-0' }), text(1)] });

  it.each([500, 502])('after a %i: one POST, and the outcome is unknown with every reference', async (status) => {
    stack.emulator.setFaults({ [BATCH]: [status] });
    const result = await sendBatch(batch());
    expect(result.__typename).toBe('BatchOutcomeUnknownError');
    if (result.__typename !== 'BatchOutcomeUnknownError') return;
    expect(result.references).toHaveLength(2);
    expect(result.references[0]).toBe('b-0');
    expect(result.references[1]).toMatch(/^bird-graphql-/);
    expect(posts()).toHaveLength(1);
  });

  it('after a timeout: one POST, outcome unknown', async () => {
    stack.emulator.setFaults({ [BATCH]: [{ delayMs: 2500 }] });
    const result = await sendBatch(batch());
    expect(result.__typename).toBe('BatchOutcomeUnknownError');
    expect(posts()).toHaveLength(1);
  });

  it('after two 429s: retried (Bird did not process them), accepted on the third POST', async () => {
    stack.emulator.setFaults({ [BATCH]: [{ status: 429, headers: { 'retry-after': '0' } }, { status: 429, headers: { 'retry-after': '0' } }] });
    const result = await sendBatch(batch());
    expect(result.__typename).toBe('SendMessagesPayload');
    expect(posts()).toHaveLength(3);
  });

  it('after 429s all the way: at most 3 POSTs, then RateLimitedError', async () => {
    stack.emulator.setFaults({ [BATCH]: Array.from({ length: 5 }, () => ({ status: 429, headers: { 'retry-after': '0' } })) });
    const result = await sendBatch(batch());
    expect(result.__typename).toBe('RateLimitedError');
    expect(posts()).toHaveLength(3);
  });
});
