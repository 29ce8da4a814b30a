// MessageFilter end to end: each filter reaches Bird under its wire name and narrows the list to exactly what matches.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/bird/types.ts';
import { SEED } from '../../src/emulator/seed.ts';
import {
  ChannelMessageIdsDocument,
  type MessageFilter,
  WorkspaceMessageIdsDocument,
} from '../gql/generated.ts';
import { type TestStack, startTestStack } from '../helpers.ts';

const WS = SEED.workspaces.main.id;
const SMS = SEED.channels.sms.id;
const EMAIL = SEED.channels.email.id;
const DAY = 24 * 60 * 60 * 1000;

let stack: TestStack;
/** Every message of the main workspace, read straight from the emulator's REST API: the ground truth. */
let all: Message[];

const platformOf = (message: Message) =>
  Object.values(SEED.channels).find((channel) => channel.id === message.channelId)?.platformId;
const senderIdentifier = (message: Message) =>
  'contact' in message.sender ? message.sender.contact.identifierValue : message.sender.connector.identifierValue;
const recipientIdentifiers = (message: Message) =>
  'contacts' in message.receiver
    ? message.receiver.contacts.map((contact) => contact.identifierValue)
    : [message.receiver.connector.identifierValue];
const subjectOf = (message: Message) => {
  const body = message.body as { type: string; [kind: string]: unknown } | undefined;
  const metadata = body ? (body[body.type] as { metadata?: { subject?: string } } | undefined)?.metadata : undefined;
  return message.meta?.email?.subject ?? metadata?.subject ?? '';
};

beforeAll(async () => {
  stack = await startTestStack({ emulator: { rateLimits: false } });
  all = await stack.restAll<Message>(`/workspaces/${WS}/messages`);
  expect(all.length).toBe(SEED.counts.mainWorkspaceMessages);
});
afterAll(async () => {
  await stack.close();
});
beforeEach(() => {
  stack.requests.resetUpstream();
});

/** The single list call the operation made. */
function listCall(route: string) {
  const calls = stack.requests.upstream().filter((entry) => entry.route === route);
  expect(calls).toHaveLength(1);
  return calls[0]!;
}

async function workspaceIds(filter: MessageFilter): Promise<string[]> {
  const result = await stack.execute(WorkspaceMessageIdsDocument, { workspaceId: WS, first: 100, filter });
  expect(result.errors).toBeUndefined();
  return result.data!.workspace!.messages!.edges!.map((edge) => edge!.node!.messageId);
}

async function channelIds(channelId: string, filter: MessageFilter): Promise<string[]> {
  const result = await stack.execute(ChannelMessageIdsDocument, { workspaceId: WS, channelId, first: 100, filter });
  expect(result.errors).toBeUndefined();
  return result.data!.channel!.messages!.edges!.map((edge) => edge!.node!.messageId);
}

/** The ids of the ground truth that match, newest first like Bird's list. */
function expected(predicate: (message: Message) => boolean, channelId?: string): string[] {
  return all.filter((m) => (!channelId || m.channelId === channelId) && predicate(m)).map((m) => m.id);
}

describe('MessageFilter on Workspace.messages', () => {
  const WORKSPACE_LIST = 'GET /workspaces/:ws/messages';

  it('platform', async () => {
    const ids = await workspaceIds({ platform: 'EMAIL' });
    expect(listCall(WORKSPACE_LIST).query.platform).toBe('email');
    const want = expected((m) => platformOf(m) === 'email');
    expect(want.length).toBeGreaterThan(0);
    expect(want.length).toBeLessThan(all.length);
    expect(ids).toEqual(want.slice(0, 100));
  });

  it('channelId', async () => {
    const ids = await workspaceIds({ channelId: EMAIL, direction: 'OUTGOING' });
    expect(listCall(WORKSPACE_LIST).query).toMatchObject({ channelId: EMAIL, direction: 'outgoing' });
    expect(ids).toEqual(expected((m) => m.channelId === EMAIL && m.direction === 'outgoing'));
  });

  it('subject', async () => {
    const sample = all.find((m) => subjectOf(m).length > 0)!;
    const word = subjectOf(sample).split(' ')[0]!;
    const ids = await workspaceIds({ subject: word });
    expect(listCall(WORKSPACE_LIST).query.subject).toBe(word);
    const want = expected((m) => subjectOf(m).toLowerCase().includes(word.toLowerCase()));
    expect(want.length).toBeGreaterThan(0);
    expect(want.length).toBeLessThan(all.filter((m) => platformOf(m) === 'email').length + 1);
    expect(ids).toEqual(want);
  });
});

describe('MessageFilter on Channel.messages', () => {
  const CHANNEL_LIST = 'GET /workspaces/:ws/channels/:ch/messages';
  const sms = () => all.filter((m) => m.channelId === SMS);

  it('direction', async () => {
    const ids = await channelIds(SMS, { direction: 'INCOMING' });
    expect(listCall(CHANNEL_LIST).query.direction).toBe('incoming');
    const want = expected((m) => m.direction === 'incoming', SMS);
    expect(want.length).toBeGreaterThan(0);
    expect(want.length).toBeLessThan(sms().length);
    expect(ids).toEqual(want.slice(0, 100));
  });

  it('status (several at once)', async () => {
    const ids = await channelIds(SMS, { status: ['DELIVERY_FAILED', 'SENDING_FAILED'] });
    expect(listCall(CHANNEL_LIST).query.status).toBe('delivery_failed,sending_failed');
    const want = expected((m) => m.status === 'delivery_failed' || m.status === 'sending_failed', SMS);
    expect(want.length).toBeGreaterThan(0);
    expect(ids).toEqual(want);
  });

  it('startAt and endAt', async () => {
    const middle = new Date(sms()[Math.floor(sms().length / 2)]!.createdAt).getTime();
    const startAt = new Date(middle - 2 * DAY).toISOString();
    const endAt = new Date(middle + 2 * DAY).toISOString();
    const ids = await channelIds(SMS, { startAt, endAt });
    expect(listCall(CHANNEL_LIST).query).toMatchObject({ startAt, endAt });
    const want = expected((m) => m.createdAt >= startAt && m.createdAt <= endAt, SMS);
    expect(want.length).toBeGreaterThan(0);
    expect(want.length).toBeLessThan(sms().length);
    expect(ids).toEqual(want.slice(0, 100));
  });

  it('senderIdentifier', async () => {
    const incoming = sms().find((m) => m.direction === 'incoming')!;
    const identifier = senderIdentifier(incoming)!;
    const ids = await channelIds(SMS, { senderIdentifier: identifier });
    expect(listCall(CHANNEL_LIST).query.senderIdentifier).toBe(identifier);
    const want = expected((m) => senderIdentifier(m) === identifier, SMS);
    expect(want.length).toBeGreaterThan(0);
    expect(ids).toEqual(want.slice(0, 100));
  });

  it('recipientIdentifier', async () => {
    const outgoing = sms().find((m) => m.direction === 'outgoing')!;
    const identifier = recipientIdentifiers(outgoing)[0]!;
    const ids = await channelIds(SMS, { recipientIdentifier: identifier });
    expect(listCall(CHANNEL_LIST).query.recipientIdentifier).toBe(identifier);
    const want = expected((m) => recipientIdentifiers(m).includes(identifier), SMS);
    expect(want.length).toBeGreaterThan(0);
    expect(ids).toEqual(want.slice(0, 100));
  });

  it('tag', async () => {
    const tag = sms().find((m) => (m.tags ?? []).length > 0)!.tags![0]!;
    const ids = await channelIds(SMS, { tag });
    expect(listCall(CHANNEL_LIST).query.tag).toBe(tag);
    const want = expected((m) => (m.tags ?? []).includes(tag), SMS);
    expect(want.length).toBeGreaterThan(0);
    expect(want.length).toBeLessThan(sms().length);
    expect(ids).toEqual(want.slice(0, 100));
  });

  it('batchId', async () => {
    const batchId = SEED.batches.smsPromo;
    const ids = await channelIds(SMS, { batchId });
    expect(listCall(CHANNEL_LIST).query.batchId).toBe(batchId);
    expect(ids).toEqual(expected((m) => m.batchId === batchId, SMS));
    expect(ids).toHaveLength(SEED.counts.smsPromoBatch);
  });
});

describe('filters Bird would refuse are refused first', () => {
  const cases: [string, 'channel' | 'workspace', MessageFilter][] = [
    ['a channel window over 7 days', 'channel', { startAt: '2025-05-01T00:00:00.000Z', endAt: '2025-05-09T00:00:00.000Z' }],
    ['startAt after endAt', 'workspace', { startAt: '2025-05-09T00:00:00.000Z', endAt: '2025-05-01T00:00:00.000Z' }],
    ['batchId on a workspace list', 'workspace', { batchId: SEED.batches.smsPromo }],
    ['channelId on a channel list', 'channel', { channelId: SMS }],
    ['an empty tag', 'channel', { tag: '' }],
  ];
  it.each(cases)('%s: BAD_USER_INPUT and no list call', async (_name, list, filter) => {
    const result =
      list === 'channel'
        ? await stack.execute(ChannelMessageIdsDocument, { workspaceId: WS, channelId: SMS, filter })
        : await stack.execute(WorkspaceMessageIdsDocument, { workspaceId: WS, filter });
    expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(stack.requests.upstream().filter((entry) => entry.route.endsWith('/messages'))).toEqual([]);
  });

  it('a workspace list may span more than 7 days', async () => {
    const ids = await workspaceIds({ startAt: '2000-01-01T00:00:00.000Z', endAt: SEED.now, channelId: EMAIL });
    expect(ids).toEqual(expected((m) => m.channelId === EMAIL));
  });
});
