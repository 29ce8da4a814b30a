// The frontend contract against the emulator: cursors both ways, lazy parents and their call counts, arguments refused at 0 calls, the filter guard.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { ExecutionResult } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { operations } from '../../bench/lib/operations.ts';
import type { Contact, Message } from '../../src/bird/types.ts';
import { SEED } from '../../src/emulator/seed.ts';
import {
  ChannelIdsOnlyDocument,
  ChannelMessagesPageDocument,
  type ChannelMessagesPageQuery,
  ChannelNameAndMessagesDocument,
  ChannelsFilteredDocument,
  ChannelsMessagesNestedDocument,
  ContactByIdentifierDocument,
  ContactsBothWaysDocument,
  type ContactsBothWaysQuery,
  NodesByIdsDocument,
  WorkspaceChannelsDocument,
  WorkspaceListsOnlyDocument,
  WorkspaceMessagesBothWaysDocument,
  type WorkspaceMessagesBothWaysQuery,
} from '../gql/generated.ts';
import { type TestStack, startTestStack } from '../helpers.ts';

const WS = SEED.workspaces.main.id;
const SMS = SEED.channels.sms.id;
const EMAIL = SEED.channels.email.id;
const MISSING = '00000000-0000-4000-8000-000000000404';
const DAY = 24 * 3600 * 1000;

let stack: TestStack;

function routes(): string[] {
  return stack.requests.upstream().map((entry) => entry.route);
}
function counts(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const route of routes()) out[route] = (out[route] ?? 0) + 1;
  return out;
}

beforeAll(async () => {
  // Strict: the emulator refuses any query name it does not implement, so every request here uses only known names.
  stack = await startTestStack({ emulator: { rateLimits: false, strictQuery: true } });
});
afterAll(async () => {
  await stack.close();
});
beforeEach(() => {
  stack.requests.resetUpstream();
});

type Page = { ids: string[]; cursors: string[]; hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };

async function smsPage(variables: { first?: number; after?: string | null; last?: number; before?: string | null; filter?: unknown }): Promise<Page> {
  const result: ExecutionResult<ChannelMessagesPageQuery> = await stack.execute(ChannelMessagesPageDocument, {
    workspaceId: WS,
    channelId: SMS,
    ...variables,
  } as never);
  expect(result.errors).toBeUndefined();
  const connection = result.data!.channel!.messages!;
  return {
    ids: connection.edges.map((edge) => edge.node.messageId),
    cursors: connection.edges.map((edge) => edge.cursor),
    ...connection.pageInfo,
  };
}

/** Exactly `expected`, in order: no duplicates, no gaps. */
function expectExactly(seen: string[], expected: string[]) {
  expect(new Set(seen).size).toBe(seen.length);
  expect(seen).toEqual(expected);
}

describe('cursors both ways', () => {
  it('turns around inside a filter with one bound, on a channel, where a second bound would pass 7 days', async () => {
    const startAt = new Date(Date.parse(SEED.now) - 20 * DAY).toISOString();
    const filter = { startAt };
    const truth = (await stack.restAll<Message>(`/workspaces/${WS}/channels/${SMS}/messages?startAt=${encodeURIComponent(startAt)}`)).map((m) => m.id);
    expect(truth.length).toBeGreaterThan(200);
    const first = await smsPage({ first: 50, filter });
    const second = await smsPage({ first: 50, after: first.endCursor, filter });
    const back = await smsPage({ last: 30, before: second.cursors[10]!, filter });
    expectExactly(back.ids, truth.slice(30, 60));
    // Forward from a cursor read walking backward: bounded by the cursor's time, the filter's startAt checked locally.
    const seen: string[] = [];
    let after: string | null = back.cursors[5]!;
    for (;;) {
      const next = await smsPage({ first: 100, after, filter });
      seen.push(...next.ids);
      if (!next.hasNextPage) break;
      after = next.endCursor;
    }
    expectExactly(seen, truth.slice(36));
    for (const entry of stack.requests.upstream()) {
      const { startAt: s, endAt: e } = entry.query as Record<string, string>;
      if (s && e) expect(Date.parse(e) - Date.parse(s)).toBeLessThanOrEqual(7 * DAY);
    }
  });

  it('walks a workspace list with a filter both ways', async () => {
    const filter = { direction: 'INCOMING' };
    const truth = (await stack.restAll<Message>(`/workspaces/${WS}/messages?direction=incoming`)).map((m) => m.id);
    const walk = async (variables: Record<string, unknown>) => {
      const result: ExecutionResult<WorkspaceMessagesBothWaysQuery> = await stack.execute(WorkspaceMessagesBothWaysDocument, {
        workspaceId: WS,
        filter,
        ...variables,
      } as never);
      expect(result.errors).toBeUndefined();
      return result.data!.workspace!.messages!;
    };
    const a = await walk({ first: 30 });
    const b = await walk({ first: 30, after: a.pageInfo.endCursor });
    const back = await walk({ last: 40, before: b.edges[15]!.cursor });
    expectExactly(back.edges.map((e) => e.node.messageId), truth.slice(5, 45));
    expect(back.edges.every((e) => e.node.direction === 'INCOMING')).toBe(true);
    const on = await walk({ first: 40, after: back.pageInfo.endCursor });
    expectExactly(on.edges.map((e) => e.node.messageId), truth.slice(45, 85));
  });

  it('walks contacts (a list without a time window) both ways, turning around with one read up to the cursor', async () => {
    const truth = (await stack.rest<{ results: Contact[] }>(`/workspaces/${WS}/contacts?limit=100`)).results.map((c) => c.id);
    expect(truth).toHaveLength(SEED.counts.mainContacts);
    const page = async (variables: Record<string, unknown>) => {
      const result: ExecutionResult<ContactsBothWaysQuery> = await stack.execute(ContactsBothWaysDocument, { workspaceId: WS, ...variables } as never);
      expect(result.errors).toBeUndefined();
      return result.data!.workspace!.contacts!;
    };
    const one = await page({ first: 7 });
    const two = await page({ first: 7, after: one.pageInfo.endCursor });
    stack.requests.resetUpstream();
    const back = await page({ last: 5, before: two.edges[3]!.cursor });
    expectExactly(back.edges.map((e) => e.node.contactId), truth.slice(5, 10));
    expect(back.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    // ⌈(position 10 + 1) / 100⌉ = 1 read, from the newest, up to the cursor.
    expect(counts()).toEqual({ 'GET /workspaces/:ws/contacts': 1 });
    const seen: string[] = [];
    let after: string | null | undefined = back.edges[1]!.cursor;
    for (;;) {
      const next = await page({ first: 6, after });
      seen.push(...next.edges.map((e) => e.node.contactId));
      if (!next.pageInfo.hasNextPage) break;
      after = next.pageInfo.endCursor;
    }
    expectExactly(seen, truth.slice(7));
  });
});

describe('lazy parents', () => {
  const bench = Object.fromEntries(operations().map((op) => [op.key, op]));

  it('"Channels of a workspace" is 1 call: the channel list, the workspace is not read', async () => {
    const result = await stack.execute(bench.channels!.ours.query, bench.channels!.ours.variables);
    expect(result.errors).toBeUndefined();
    bench.channels!.check('ours', result.data as Record<string, unknown>);
    expect(routes()).toEqual(['GET /workspaces/:ws/channels']);
  });

  it('"Filtered workspace list" is 1 call: the filtered message list', async () => {
    const result = await stack.execute(bench.filtered!.ours.query, bench.filtered!.ours.variables);
    expect(result.errors).toBeUndefined();
    bench.filtered!.check('ours', result.data as Record<string, unknown>);
    expect(routes()).toEqual(['GET /workspaces/:ws/messages']);
  });

  it('the page of 50 is 12 calls: the list, one channel batch and one GET per distinct sender', async () => {
    const result = await stack.execute(bench.page50!.ours.query, bench.page50!.ours.variables);
    expect(result.errors).toBeUndefined();
    bench.page50!.check('ours', result.data as Record<string, unknown>);
    const senders = new Set(
      (result.data as any).channel.messages.edges.flatMap((e: any) => (e.node.sender.__typename === 'ContactParticipant' ? [e.node.sender.contactId] : [])),
    );
    expect(senders.size).toBe(10);
    expect(counts()).toEqual({
      'GET /workspaces/:ws/channels/:ch/messages': 1,
      'GET /workspaces/:ws/channels': 1,
      'GET /workspaces/:ws/contacts/:contact': 10,
    });
    expect(stack.requests.upstream()).toHaveLength(12);
  });

  it('runs the page of 50’s list and channel batch at the same time: the list arrives while the batch is still held back', async () => {
    let arrivedBeforeBatchAnswered: string[] | undefined;
    const overlap = await startTestStack({
      emulator: {
        rateLimits: false,
        // The channel batch is held 500 ms; the access log line is written when it is answered.
        faults: { 'GET /workspaces/:ws/channels': [{ delayMs: 500 }] },
        log: (line) => {
          if (line.startsWith(`GET /workspaces/${WS}/channels?`)) arrivedBeforeBatchAnswered = overlap.emulator.requests.map((e) => e.route);
        },
      },
    });
    try {
      const result = await overlap.execute(bench.page50!.ours.query, bench.page50!.ours.variables);
      expect(result.errors).toBeUndefined();
      const order = overlap.requests.upstream().map((e) => e.route);
      expect(order.slice(0, 2).sort()).toEqual(['GET /workspaces/:ws/channels', 'GET /workspaces/:ws/channels/:ch/messages']);
      // One after the other, the list could only start once the batch was answered; here it had already arrived.
      expect(arrivedBeforeBatchAnswered).toContain('GET /workspaces/:ws/channels/:ch/messages');
      expect(order).toHaveLength(12);
    } finally {
      await overlap.close();
    }
  });

  it('reports a refused credential on the lazy parent, and any other failure on the list itself', async () => {
    const denied = await stack.execute(ChannelMessagesPageDocument, { workspaceId: WS, channelId: SMS, first: 3 }, {
      headers: { authorization: `AccessKey ${SEED.accessKeys.scoped}` },
    });
    expect(denied.data).toEqual({ channel: null });
    expect(denied.errors?.map((error) => [error.extensions?.code, error.path])).toEqual([['FORBIDDEN', ['channel']]]);
    stack.emulator.setFaults({ 'GET /workspaces/:ws/channels/:ch/messages': [500, 500, 500, 500, 500, 500] });
    try {
      const failing = await stack.execute(ChannelMessagesPageDocument, { workspaceId: WS, channelId: SMS, first: 3 });
      expect(failing.data).toEqual({ channel: { channelId: SMS, messages: null } });
      expect(failing.errors?.map((error) => [error.extensions?.code, error.path])).toEqual([['UPSTREAM_UNAVAILABLE', ['channel', 'messages']]]);
    } finally {
      stack.emulator.clearFaults();
    }
  });

  it('never hands a lazy parent’s ids-only stub to another field that asks for the same object', async () => {
    const ids = await stack.execute(ChannelIdsOnlyDocument, { workspaceId: WS, channelId: SMS });
    const channelId = ids.data!.channel!.id;
    const result = await stack.execute<{ channel: unknown; node: { name: string; platform: string } }>(
      `query ($ws: UUID!, $ch: UUID!, $id: ID!) {
        channel(workspaceId: $ws, channelId: $ch) { id messages(first: 1) { edges { node { messageId } } } }
        node(id: $id) { ... on Channel { name platform } }
      }`,
      { ws: WS, ch: SMS, id: channelId },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.node).toEqual({ name: SEED.channels.sms.name, platform: 'SMS' });
  });

  it('starts the parent’s load beside the list whenever a field below loads that same object', async () => {
    const result = await stack.execute<{ channel: { messages: { edges: { node: { channel: { channelId: string } } }[] } } }>(
      `query ($ws: UUID!, $ch: UUID!) { channel(workspaceId: $ws, channelId: $ch) { messages(first: 5) { edges { node { channel { channelId } } } } } }`,
      { ws: WS, ch: SMS },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.channel.messages.edges.every((edge) => edge.node.channel.channelId === SMS)).toBe(true);
    expect(counts()).toEqual({ 'GET /workspaces/:ws/channels/:ch/messages': 1, 'GET /workspaces/:ws/channels': 1 });
  });

  it('reads nothing for a parent whose ids alone are selected', async () => {
    const result = await stack.execute(ChannelIdsOnlyDocument, { workspaceId: WS, channelId: SMS });
    expect(result).toEqual({ data: { channel: { __typename: 'Channel', id: expect.any(String), workspaceId: WS, channelId: SMS } } });
    expect(routes()).toEqual([]);
  });

  it('runs a workspace’s lists in parallel without reading the workspace', async () => {
    const result = await stack.execute(WorkspaceListsOnlyDocument, { workspaceId: WS });
    expect(result.errors).toBeUndefined();
    expect(result.data!.workspace!.channels!.edges).toHaveLength(5);
    expect(result.data!.workspace!.contacts!.edges).toHaveLength(3);
    expect(counts()).toEqual({ 'GET /workspaces/:ws/channels': 1, 'GET /workspaces/:ws/contacts': 1 });
  });

  it('answers null for a missing parent, from its list’s 404, with no error', async () => {
    const channel = await stack.execute(ChannelMessagesPageDocument, { workspaceId: WS, channelId: MISSING, first: 3 });
    expect(channel).toEqual({ data: { channel: null } });
    expect(routes()).toEqual(['GET /workspaces/:ws/channels/:ch/messages']);
    stack.requests.resetUpstream();
    const workspace = await stack.execute(WorkspaceListsOnlyDocument, { workspaceId: MISSING });
    expect(workspace).toEqual({ data: { workspace: null } });
    expect(counts()).toEqual({ 'GET /workspaces/:ws/channels': 1, 'GET /workspaces/:ws/contacts': 1 });
    // Loaded because `name` is selected: still null, from the channel batch.
    stack.requests.resetUpstream();
    const loaded = await stack.execute(ChannelNameAndMessagesDocument, { workspaceId: WS, channelId: MISSING, first: 3 });
    expect(loaded).toEqual({ data: { channel: null } });
  });
});

describe('arguments refused before any call, the parent’s included', () => {
  // biome-ignore lint: any document of the suite
  async function refused(document: string | TypedDocumentNode<any, any>, variables: Record<string, unknown>, argument?: string) {
    stack.requests.resetUpstream();
    const result = await stack.execute(document, variables as never);
    expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    if (argument) expect(result.errors![0]!.extensions?.argument).toBe(argument);
    expect(stack.requests.upstream()).toEqual([]);
    return result;
  }

  it.each([
    ['first: -1', { first: -1 }, 'first'],
    ['a garbage after', { first: 3, after: 'garbage!' }, 'after'],
    ['first with before', { first: 3, before: 'WyJjMiJd' }, 'before'],
    ['a 30-day window', { first: 3, filter: { startAt: new Date(Date.parse(SEED.now) - 30 * DAY).toISOString(), endAt: SEED.now } }, 'filter.endAt'],
  ])('channel(...) { name messages(%s) } costs 0 calls', async (_name, variables, argument) => {
    await refused(ChannelNameAndMessagesDocument, { workspaceId: WS, channelId: SMS, ...variables }, argument);
  });

  it('refuses a bad page size below a list of parents at 0 calls', async () => {
    await refused(ChannelsMessagesNestedDocument, { workspaceId: WS, first: -1 }, 'first');
  });

  it('refuses a sound cursor of another list at 0 calls, even when the parent must be read', async () => {
    const email = await stack.execute(ChannelMessagesPageDocument, { workspaceId: WS, channelId: EMAIL, first: 2 });
    const cursor = email.data!.channel!.messages!.pageInfo.endCursor!;
    const result = await refused(ChannelNameAndMessagesDocument, { workspaceId: WS, channelId: SMS, first: 3, after: cursor }, 'after');
    expect(result.errors![0]!.extensions?.reason).toBe('OTHER_LIST');
  });

  it.each([
    ['an empty identifierKey', { identifierKey: '', identifierValue: '+31600000000' }, 'identifierKey'],
    ['an empty identifierValue', { identifierKey: 'phonenumber', identifierValue: '' }, 'identifierValue'],
    ['a blank identifierValue', { identifierKey: 'phonenumber', identifierValue: '   ' }, 'identifierValue'],
    ['an identifierKey over 250 characters', { identifierKey: 'k'.repeat(251), identifierValue: 'x' }, 'identifierKey'],
  ])('contactByIdentifier with %s costs 0 calls', async (_name, variables, argument) => {
    await refused(ContactByIdentifierDocument, { workspaceId: WS, ...variables }, argument);
  });
});

describe('the filter guard', () => {
  let ignoring: TestStack;
  beforeAll(async () => {
    ignoring = await startTestStack({ emulator: { rateLimits: false, ignoreFilters: ['direction', 'platform', 'channelIds'] } });
  });
  afterAll(async () => {
    await ignoring.close();
  });

  it('keeps results right when Bird ignores a filter, counts each mismatch and logs once naming the filter', async () => {
    const truth = (await stack.restAll<Message>(`/workspaces/${WS}/messages?direction=incoming`)).map((m) => m.id);
    const everything = await ignoring.restAll<Message>(`/workspaces/${WS}/messages`);
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const result: ExecutionResult<WorkspaceMessagesBothWaysQuery> = await ignoring.execute(WorkspaceMessagesBothWaysDocument, {
        workspaceId: WS,
        first: 50,
        after,
        filter: { direction: 'INCOMING' },
      });
      expect(result.errors).toBeUndefined();
      const connection = result.data!.workspace!.messages!;
      expect(connection.edges.length).toBeLessThanOrEqual(50);
      expect(connection.edges.every((edge) => edge.node.direction === 'INCOMING')).toBe(true);
      seen.push(...connection.edges.map((edge) => edge.node.messageId));
      pages++;
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expectExactly(seen, truth);
    // Every outgoing message Bird sent back was dropped and counted once.
    const outgoing = everything.filter((m) => m.direction === 'outgoing').length;
    const metrics = await (await ignoring.fetch('/metrics')).text();
    expect(metrics).toContain(`bird_filter_mismatches_total{list="messages",filter="direction"} ${outgoing}`);
    const warnings = ignoring.logs.filter((line) => line.startsWith('warn') && line.includes('"filter":"direction"'));
    expect(warnings).toHaveLength(1);
    expect(pages).toBeGreaterThan(1);
  });

  it('drops channels of other platforms when Bird ignores the channel list’s platform filter', async () => {
    const result = await ignoring.execute(ChannelsFilteredDocument, { workspaceId: WS, filter: { platforms: ['SMS'] } });
    expect(result.errors).toBeUndefined();
    const platforms = result.data!.workspace!.channels!.edges.map((edge) => edge.node.platform);
    expect(platforms.length).toBeGreaterThan(0);
    expect(platforms.every((platform) => platform === 'SMS')).toBe(true);
    const metrics = await (await ignoring.fetch('/metrics')).text();
    expect(metrics).toMatch(/bird_filter_mismatches_total\{list="channels",filter="platform"\} [1-9]/);
  });

  it('still finds channels by id when Bird ignores channelIds: the batch, then one GET per id it missed', async () => {
    const listing = await stack.execute(WorkspaceChannelsDocument, { workspaceId: WS, first: 50 });
    const ids = listing.data!.workspace!.channels!.edges.map((edge) => edge.node.id).slice(-2);
    ignoring.requests.resetUpstream();
    const result = await ignoring.execute(NodesByIdsDocument, { ids });
    expect(result.errors).toBeUndefined();
    expect(result.data!.nodes.map((node) => node?.id)).toEqual(ids);
    const routesSeen = ignoring.requests.upstream().map((entry) => entry.route);
    expect(routesSeen[0]).toBe('GET /workspaces/:ws/channels');
    expect(routesSeen.filter((route) => route === 'GET /workspaces/:ws/channels/:ch').length).toBeLessThanOrEqual(2);
    const metrics = await (await ignoring.fetch('/metrics')).text();
    expect(metrics).toMatch(/bird_filter_mismatches_total\{list="channels",filter="channelIds"\} [1-9]/);
  });
});
