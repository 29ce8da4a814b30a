// The read graph through yoga against the emulator: exact data and the exact upstream calls behind it.
import type { ExecutionResult } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Contact, Message, Page } from '../../src/bird/types.ts';
import { SEED } from '../../src/emulator/seed.ts';
import {
  ChannelMessagesPageDocument,
  type ChannelMessagesPageQuery,
  ContactByIdentifierDocument,
  MessageDetailDocument,
  MessagesWithChannelAndSenderDocument,
  NodeByIdDocument,
  NodesByIdsDocument,
  SameContactTwiceDocument,
  WorkspaceChannelsDocument,
  WorkspaceContactsDocument,
  type WorkspaceContactsQuery,
  WorkspacesDocument,
} from '../gql/generated.ts';
import { type TestStack, startTestStack } from '../helpers.ts';

const WS = SEED.workspaces.main.id;
const SMS = SEED.channels.sms.id;
const EMAIL = SEED.channels.email.id;

let stack: TestStack;

const rest = <T>(path: string) => stack.rest<T>(path);
const restAll = <T>(path: string) => stack.restAll<T>(path);

/** Upstream calls since the last reset, as `METHOD route` → count. */
function callCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of stack.requests.upstream()) counts[entry.route] = (counts[entry.route] ?? 0) + 1;
  return counts;
}

beforeAll(async () => {
  // These tests count calls exactly and make many in a row; Bird's 50 GET/s limit (and the retries after a 429)
  // is covered by the client and emulator tests, so it is off here.
  stack = await startTestStack({ emulator: { rateLimits: false } });
});
afterAll(async () => {
  await stack.close();
});
beforeEach(() => {
  stack.requests.resetUpstream();
});

describe('batched loading', () => {
  it('a page of 50 messages with channel and sender costs 1 list + 1 channel + 1 per distinct contact', async () => {
    const result = await stack.execute(MessagesWithChannelAndSenderDocument, { workspaceId: WS, channelId: SMS, first: 50 });
    expect(result.errors).toBeUndefined();
    const edges = result.data!.channel!.messages!.edges!;
    expect(edges).toHaveLength(50);

    const truth = (await rest<Page<Message>>(`/workspaces/${WS}/channels/${SMS}/messages?limit=50`)).results;
    const contactIds = new Set<string>();
    for (const [index, edge] of edges.entries()) {
      const wire = truth[index]!;
      expect(edge!.node!.messageId).toBe(wire.id);
      expect(edge!.node!.channel).toEqual({ channelId: SMS, name: SEED.channels.sms.name, platform: 'SMS' });
      const sender = edge!.node!.sender!;
      if ('contact' in wire.sender) {
        contactIds.add(wire.sender.contact.id);
        expect(sender).toMatchObject({
          __typename: 'ContactParticipant',
          contactId: wire.sender.contact.id,
          identifierValue: wire.sender.contact.identifierValue,
        });
        const contact = await rest<Contact>(`/workspaces/${WS}/contacts/${wire.sender.contact.id}`);
        expect(sender).toMatchObject({ contact: { contactId: contact.id, displayName: contact.computedDisplayName } });
      } else {
        expect(sender).toEqual({
          __typename: 'ConnectorParticipant',
          connectorId: SEED.channels.sms.connectorId,
          identifierValue: SEED.channels.sms.identifier,
        });
      }
    }
    expect(contactIds.size).toBeGreaterThan(1);
    // The ground-truth reads above went to the emulator too: count only what the operation caused.
    const operationCalls = stack.requests.upstream().slice(0, 2 + contactIds.size);
    const counts: Record<string, number> = {};
    for (const entry of operationCalls) counts[entry.route] = (counts[entry.route] ?? 0) + 1;
    expect(counts).toEqual({
      'GET /workspaces/:ws/channels': 1,
      'GET /workspaces/:ws/channels/:ch/messages': 1,
      'GET /workspaces/:ws/contacts/:contact': contactIds.size,
    });
    // The channel lookup went through the batch endpoint, filtered by id.
    const channelCall = stack.requests.upstream().find((entry) => entry.route === 'GET /workspaces/:ws/channels')!;
    expect(channelCall.query.channelIds).toEqual(SMS);
  });

  it('fetches the same contact once however often an operation asks for it', async () => {
    const contact = SEED.contacts[0]!;
    const result = await stack.execute(SameContactTwiceDocument, { workspaceId: WS, contactId: contact.id });
    expect(result.errors).toBeUndefined();
    expect(result.data!.first!.displayName).toBe(contact.name);
    expect(result.data!.second!.contactId).toBe(contact.id);
    expect(callCounts()).toEqual({ 'GET /workspaces/:ws/contacts/:contact': 1 });
  });

  it('batches every channel of a workspace listing into one call per 100 ids', async () => {
    const listing = await stack.execute(WorkspaceChannelsDocument, { workspaceId: WS, first: 50 });
    expect(listing.errors).toBeUndefined();
    const ids = listing.data!.workspace!.channels!.edges!.map((edge) => edge!.node!.id);
    expect(ids).toHaveLength(SEED.counts.mainChannels);
    stack.requests.resetUpstream();
    const result = await stack.execute(NodesByIdsDocument, { ids });
    expect(result.errors).toBeUndefined();
    expect(result.data!.nodes.map((node) => node?.id)).toEqual(ids);
    expect(callCounts()).toEqual({ 'GET /workspaces/:ws/channels': 1 });
  });

  it('primes loaders from lists: an interaction’s message costs no call when the message came from a list', async () => {
    const { id: messageId, channelId } = SEED.messages.emailWithInteractions;
    const result = await stack.execute(MessageDetailDocument, { workspaceId: WS, channelId, messageId });
    expect(result.errors).toBeUndefined();
    const interactions = result.data!.message!.interactions!.edges!;
    expect(interactions.length).toBe(SEED.messages.emailWithInteractions.interactions);
    for (const edge of interactions) expect(edge!.node!.message!.messageId).toBe(messageId);
    // One GET for the message itself (Interaction.message hits the loader cache), one for its interactions.
    expect(callCounts()).toEqual({
      'GET /workspaces/:ws/channels/:ch/messages/:msg': 1,
      'GET /workspaces/:ws/channels/:ch/messages/:msg/interactions': 1,
    });
  });
});

describe('nodes', () => {
  it('refetches every type with node(id) in exactly one upstream call', async () => {
    const { id: messageId, channelId } = SEED.messages.emailWithInteractions;
    const detail = await stack.execute(MessageDetailDocument, { workspaceId: WS, channelId, messageId });
    const interactionId = detail.data!.message!.interactions!.edges![0]!.node!.id;
    const workspaces = await stack.execute(WorkspacesDocument, { first: 10 });
    const workspace = workspaces.data!.workspaces!.edges![0]!.node!;
    const channels = await stack.execute(WorkspaceChannelsDocument, { workspaceId: WS, first: 1 });
    const contacts = await stack.execute(WorkspaceContactsDocument, { workspaceId: WS, first: 1 });
    const cases: [string, string, Record<string, unknown>, string][] = [
      ['Workspace', workspace.id, { workspaceId: workspace.workspaceId, name: workspace.name }, 'GET /organizations/:org/workspaces/:ws'],
      ['Channel', channels.data!.workspace!.channels!.edges![0]!.node!.id, {}, 'GET /workspaces/:ws/channels'],
      ['Message', detail.data!.message!.id, { messageId, channelId, workspaceId: WS }, 'GET /workspaces/:ws/channels/:ch/messages/:msg'],
      ['Contact', contacts.data!.workspace!.contacts!.edges![0]!.node!.id, { workspaceId: WS }, 'GET /workspaces/:ws/contacts/:contact'],
      [
        'Interaction',
        interactionId,
        { messageId },
        'GET /workspaces/:ws/channels/:ch/messages/:msg/interactions',
      ],
    ];
    for (const [typename, id, fields, route] of cases) {
      stack.requests.resetUpstream();
      const result = await stack.execute(NodeByIdDocument, { id });
      expect(result.errors, typename).toBeUndefined();
      expect(result.data!.node).toMatchObject({ __typename: typename, id, ...fields });
      expect(callCounts(), typename).toEqual({ [route]: 1 });
    }
  });

  it('still accepts interaction ids minted under the old type name MessageInteraction', async () => {
    const { id: messageId, channelId } = SEED.messages.emailWithInteractions;
    const detail = await stack.execute(MessageDetailDocument, { workspaceId: WS, channelId, messageId });
    const current = detail.data!.message!.interactions!.edges[0]!.node;
    const key = Buffer.from(current.id, 'base64url').toString('utf8');
    expect(key.startsWith('Interaction:')).toBe(true);
    const legacy = Buffer.from(`Message${key}`, 'utf8').toString('base64url');
    stack.requests.resetUpstream();
    const one = await stack.execute(NodeByIdDocument, { id: legacy });
    expect(one.errors).toBeUndefined();
    // Refetched under its current name: the answer carries the new id, so the client's cache converges on it.
    expect(one.data!.node).toMatchObject({ __typename: 'Interaction', id: current.id, interactionId: current.interactionId, messageId });
    expect(callCounts()).toEqual({ 'GET /workspaces/:ws/channels/:ch/messages/:msg/interactions': 1 });
    const many = await stack.execute(NodesByIdsDocument, { ids: [legacy, current.id] });
    expect(many.errors).toBeUndefined();
    expect(many.data!.nodes).toEqual([
      { __typename: 'Interaction', id: current.id },
      { __typename: 'Interaction', id: current.id },
    ]);
  });

  it('answers null, without an error, for a message that does not exist', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const result = await stack.execute(MessageDetailDocument, { workspaceId: WS, channelId: SMS, messageId: missing });
    expect(result).toEqual({ data: { message: null } });
    expect(callCounts()).toEqual({ 'GET /workspaces/:ws/channels/:ch/messages/:msg': 1 });
  });

  const encode = (text: string) => Buffer.from(text).toString('base64url');
  const malformedIds: [string, string][] = [
    ['garbage', 'not an id'],
    ['an unknown type', encode(`Order:${WS}`)],
    ['a non-UUID part', encode(`Channel:${WS}:..`)],
    ['an encoded slash', encode(`Message:${WS}:${SMS}:%2e%2e%2fmessages`)],
    ['too few parts', encode(`Message:${WS}:${SMS}`)],
    ['too many parts', encode(`Contact:${WS}:${SMS}:${SMS}`)],
    ['an empty key', encode('Channel:')],
  ];
  it.each(malformedIds)('refuses a global id with %s as BAD_USER_INPUT before any call', async (_name, id) => {
    const result = await stack.execute(NodeByIdDocument, { id });
    expect(result.data?.node ?? null).toBeNull();
    expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(stack.requests.upstream()).toEqual([]);
  });

  it('refuses a malformed UUID argument before any call', async () => {
    const result = await stack.execute(MessageDetailDocument, { workspaceId: WS, channelId: SMS, messageId: '../../x' });
    expect(result.errors).toHaveLength(1);
    expect(result.data ?? null).toBeNull();
    expect(stack.requests.upstream()).toEqual([]);
  });
});

describe('message connections', () => {
  it('walks every message of the largest channel exactly once, in order, one upstream call per page', async () => {
    const truth = (await restAll<Message>(`/workspaces/${WS}/channels/${SMS}/messages`)).map((m) => m.id);
    expect(truth.length).toBe(SEED.counts.smsMessages);
    stack.requests.resetUpstream();
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const result: ExecutionResult<ChannelMessagesPageQuery> = await stack.execute(ChannelMessagesPageDocument, {
        workspaceId: WS,
        channelId: SMS,
        first: 37,
        after,
      });
      expect(result.errors).toBeUndefined();
      const connection = result.data!.channel!.messages!;
      seen.push(...connection.edges!.map((edge) => edge!.node!.messageId));
      expect(connection.pageInfo.hasPreviousPage).toBe(after !== null);
      pages++;
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(truth);
    expect(pages).toBe(Math.ceil(truth.length / 37));
    // Each page: one list call (the channel selects only its id and messages, so it is not loaded); never a per-message GET.
    expect(callCounts()).toEqual({ 'GET /workspaces/:ws/channels/:ch/messages': pages });
  });

  type Walked = { ids: string[]; cursors: string[]; hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  async function smsPage(variables: { first?: number; after?: string | null; last?: number; before?: string | null }): Promise<Walked> {
    const result: ExecutionResult<ChannelMessagesPageQuery> = await stack.execute(ChannelMessagesPageDocument, { workspaceId: WS, channelId: SMS, ...variables });
    expect(result.errors).toBeUndefined();
    const connection = result.data!.channel!.messages!;
    return { ids: connection.edges.map((edge) => edge.node.messageId), cursors: connection.edges.map((edge) => edge.cursor), ...connection.pageInfo };
  }
  /** Exactly `expected`, in order: no duplicates, no gaps. */
  function expectExactly(seen: string[], expected: string[]) {
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expected);
  }

  it('walks the largest channel forward, back from a mid-page cursor, and forward again: the emulator’s listing, 0 duplicates, 0 gaps', async () => {
    const truth = (await restAll<Message>(`/workspaces/${WS}/channels/${SMS}/messages`)).map((m) => m.id);
    expect(truth).toHaveLength(SEED.counts.smsMessages);
    expect(truth).toHaveLength(420);
    stack.requests.resetUpstream();
    let pages = 0;

    // Forward: six pages of 37.
    const forward: string[] = [];
    let after: string | null = null;
    let page: Walked | undefined;
    for (let i = 0; i < 6; i++) {
      page = await smsPage({ first: 37, after });
      pages++;
      forward.push(...page.ids);
      after = page.endCursor;
    }
    expectExactly(forward, truth.slice(0, 222));

    // Back from the middle of the sixth page to the very start, in pages of 41.
    const pivot = 18;
    const pivotId = page!.ids[pivot]!;
    const backward: string[] = [];
    let before: string | null = page!.cursors[pivot]!;
    let firstBack: Walked | undefined;
    for (;;) {
      const back = await smsPage({ last: 41, before });
      pages++;
      firstBack ??= back;
      expect(back.hasNextPage).toBe(true);
      backward.unshift(...back.ids);
      if (!back.hasPreviousPage) break;
      before = back.startCursor;
    }
    const pivotIndex = truth.indexOf(pivotId);
    expect(pivotIndex).toBe(185 + pivot);
    expectExactly(backward, truth.slice(0, pivotIndex));

    // Forward again, from an edge in the middle of the first backward page, to the very end, in pages of 53.
    const restart = 20;
    const restartId = firstBack!.ids[restart]!;
    const again: string[] = [];
    after = firstBack!.cursors[restart]!;
    for (;;) {
      const next = await smsPage({ first: 53, after });
      pages++;
      expect(next.hasPreviousPage).toBe(true);
      again.push(...next.ids);
      if (!next.hasNextPage) break;
      after = next.endCursor;
    }
    expectExactly(again, truth.slice(truth.indexOf(restartId) + 1));
    // Together: everything before the pivot, the pivot's page-mates after it, to the end; each page exactly 1 call.
    expectExactly([...backward.slice(0, truth.indexOf(restartId) + 1), ...again], truth);
    expect(callCounts()).toEqual({ 'GET /workspaces/:ws/channels/:ch/messages': pages });
  });

  it('resumes from a cursor in the middle of an upstream page at the next message', async () => {
    const truth = (await rest<Page<Message>>(`/workspaces/${WS}/channels/${SMS}/messages?limit=30`)).results.map((m) => m.id);
    const page = await stack.execute(ChannelMessagesPageDocument, { workspaceId: WS, channelId: SMS, first: 20 });
    const middle = page.data!.channel!.messages!.edges![6]!.cursor;
    const resumed = await stack.execute(ChannelMessagesPageDocument, { workspaceId: WS, channelId: SMS, first: 10, after: middle });
    expect(resumed.errors).toBeUndefined();
    expect(resumed.data!.channel!.messages!.edges!.map((edge) => edge!.node!.messageId)).toEqual(truth.slice(7, 17));
  });

  it('walks backwards with last/before from the oldest message', async () => {
    const truth = (await restAll<Message>(`/workspaces/${WS}/channels/${EMAIL}/messages`)).map((m) => m.id);
    const seen: string[] = [];
    let before: string | null = null;
    for (;;) {
      const result: ExecutionResult<ChannelMessagesPageQuery> = await stack.execute(ChannelMessagesPageDocument, {
        workspaceId: WS,
        channelId: EMAIL,
        last: 10,
        before,
      });
      expect(result.errors).toBeUndefined();
      const connection = result.data!.channel!.messages!;
      seen.unshift(...connection.edges!.map((edge) => edge!.node!.messageId));
      if (!connection.pageInfo.hasPreviousPage) break;
      before = connection.pageInfo.startCursor;
    }
    expect(seen).toEqual(truth);
  });

  it('refuses a tampered cursor and a cursor of another list as BAD_USER_INPUT, saying why, with no upstream call', async () => {
    const sms = await stack.execute(ChannelMessagesPageDocument, { workspaceId: WS, channelId: SMS, first: 3 });
    const email = await stack.execute(ChannelMessagesPageDocument, { workspaceId: WS, channelId: EMAIL, first: 3 });
    const smsCursor = sms.data!.channel!.messages!.pageInfo.endCursor!;
    const emailCursor = email.data!.channel!.messages!.pageInfo.endCursor!;
    const decoded = JSON.parse(Buffer.from(smsCursor, 'base64url').toString()) as unknown[];
    decoded[3] = '00000000-0000-4000-8000-000000000000';
    const tampered = Buffer.from(JSON.stringify(decoded)).toString('base64url');
    const older = Buffer.from(JSON.stringify(['c1', 'f', null, 3, 'abcdefabcdef'])).toString('base64url');
    const cases: [string, string][] = [
      [tampered, 'ALTERED'],
      [`${smsCursor}x`, 'MALFORMED'],
      ['bm90IGEgY3Vyc29y', 'MALFORMED'],
      [older, 'EXPIRED'],
    ];
    for (const [after, reason] of cases) {
      stack.requests.resetUpstream();
      const result = await stack.execute(ChannelMessagesPageDocument, { workspaceId: WS, channelId: SMS, first: 3, after });
      // Refused before execution: the whole operation, with the reason.
      expect(result.data ?? null).toBeNull();
      expect(result.errors?.map((error) => [error.extensions?.code, error.extensions?.reason])).toEqual([['BAD_USER_INPUT', reason]]);
      expect(result.errors![0]!.message).toMatch(/^Invalid cursor `after`: /);
      expect(stack.requests.upstream()).toEqual([]);
    }
    // A sound cursor of another list is refused by the list it is used on, before anything is fetched.
    stack.requests.resetUpstream();
    const foreign = await stack.execute(ChannelMessagesPageDocument, { workspaceId: WS, channelId: SMS, first: 3, after: emailCursor });
    expect(foreign.data).toEqual({ channel: null });
    expect(foreign.errors?.map((error) => [error.extensions?.code, error.extensions?.reason])).toEqual([['BAD_USER_INPUT', 'OTHER_LIST']]);
    expect(foreign.errors![0]!.message).toContain('belongs to another list');
    expect(stack.requests.upstream()).toEqual([]);
  });

  it('refuses out-of-range page sizes', async () => {
    for (const variables of [{ first: 101 }, { first: -1 }, { first: 5, last: 5 }]) {
      const result = await stack.execute(ChannelMessagesPageDocument, { workspaceId: WS, channelId: SMS, ...variables });
      expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    }
  });
});

describe('workspaces, channels and contacts', () => {
  it('lists the organization’s workspaces', async () => {
    const result = await stack.execute(WorkspacesDocument, { first: 10 });
    expect(result.errors).toBeUndefined();
    const names = result.data!.workspaces!.edges!.map((edge) => edge!.node!.name).sort();
    expect(names).toEqual(Object.values(SEED.workspaces).map((w) => w.name).sort());
    for (const edge of result.data!.workspaces!.edges!) expect(edge!.node!.organizationId).toBe(SEED.organizationId);
    expect(callCounts()).toEqual({ 'GET /organizations/:org/workspaces': 1 });
  });

  it('filters channels by platform and status, and links each to its workspace', async () => {
    const result = await stack.execute(WorkspaceChannelsDocument, {
      workspaceId: WS,
      first: 10,
      filter: { platforms: ['SMS'], status: 'ACTIVE' },
    });
    expect(result.errors).toBeUndefined();
    const nodes = result.data!.workspace!.channels!.edges!.map((edge) => edge!.node!);
    expect(nodes.map((node) => node.channelId)).toEqual([SMS]);
    expect(nodes[0]).toMatchObject({ platform: 'SMS', platformId: 'sms', status: 'ACTIVE', workspace: { workspaceId: WS } });
    const list = stack.requests.upstream().find((entry) => entry.route === 'GET /workspaces/:ws/channels' && entry.query.platform);
    expect(list?.query).toMatchObject({ platform: 'sms', status: 'active' });
  });

  it('pages contacts and their identifiers', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const result: ExecutionResult<WorkspaceContactsQuery> = await stack.execute(WorkspaceContactsDocument, {
        workspaceId: WS,
        first: 7,
        after,
      });
      expect(result.errors).toBeUndefined();
      const connection = result.data!.workspace!.contacts!;
      for (const edge of connection.edges!) {
        seen.push(edge!.node!.contactId);
        expect(edge!.node!.identifiers!.edges!.length).toBeGreaterThan(0);
      }
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(SEED.counts.mainContacts);
    expect(seen).toHaveLength(SEED.counts.mainContacts);
  });

  it('finds a contact by identifier, and answers null for an unknown one', async () => {
    const contact = SEED.contacts[1]!;
    const found = await stack.execute(ContactByIdentifierDocument, {
      workspaceId: WS,
      identifierKey: 'phonenumber',
      identifierValue: contact.phone,
    });
    expect(found).toEqual({ data: { contactByIdentifier: { contactId: contact.id, displayName: contact.name } } });
    const missing = await stack.execute(ContactByIdentifierDocument, {
      workspaceId: WS,
      identifierKey: 'phonenumber',
      identifierValue: '+10000000000',
    });
    expect(missing).toEqual({ data: { contactByIdentifier: null } });
  });
});

describe('partial failure', () => {
  it('nulls only the field whose upstream call failed, with a coded error', async () => {
    stack.emulator.setFaults({ 'GET /workspaces/:ws/contacts/:contact': [500, 500, 500, 500, 500, 500, 500, 500, 500] });
    try {
      const result = await stack.execute(MessagesWithChannelAndSenderDocument, { workspaceId: WS, channelId: SMS, first: 5 });
      const edges = result.data!.channel!.messages!.edges!;
      expect(edges).toHaveLength(5);
      const withContact = edges.filter((edge) => edge!.node!.sender!.__typename === 'ContactParticipant');
      expect(withContact.length).toBeGreaterThan(0);
      for (const edge of withContact) {
        const sender = edge!.node!.sender as { contact: unknown; contactId: string };
        expect(sender.contact).toBeNull();
        expect(sender.contactId).toMatch(/^[0-9a-f-]{36}$/);
      }
      for (const edge of edges) expect(edge!.node!.channel!.name).toBe(SEED.channels.sms.name);
      expect(result.errors!.length).toBe(withContact.length);
      for (const error of result.errors!) {
        expect(error.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
        expect(error.path?.slice(-1)).toEqual(['contact']);
      }
    } finally {
      stack.emulator.clearFaults();
    }
  });
});
