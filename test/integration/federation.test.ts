// Our subgraph behind a real gateway (@apollo/gateway, in process) with a CRM subgraph, plus `_entities`, `_service`, the node switch and ftv1.
import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { printSubgraphSchema } from '@apollo/subgraph';
import { Trace } from '@apollo/usage-reporting-protobuf';
import type { ExecutionResult } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { SEED } from '../../src/emulator/seed.ts';
import { buildSchema } from '../../src/schema/index.ts';
import {
  BIRD_URL,
  CRM_URL,
  type TicketRow,
  birdSubgraph,
  crmAccountOf,
  createCrmSubgraph,
  crmSubgraph,
} from '../federation/neighbours.ts';
import { DEMO_KEY, type TestStack, startTestStack, testSchema } from '../helpers.ts';

const WS = SEED.workspaces.main.id;
const SMS = SEED.channels.sms;
const EMAIL = SEED.channels.email;
const MAIN_CHANNELS = Object.values(SEED.channels).filter((channel) => channel.workspaceId === WS);
const ROUTES = {
  message: 'GET /workspaces/:ws/channels/:ch/messages/:msg',
  channels: 'GET /workspaces/:ws/channels',
  contact: 'GET /workspaces/:ws/contacts/:contact',
  workspace: 'GET /organizations/:org/workspaces/:ws',
};

/** The gateway's fetch signature (from @apollo/utils.fetcher, which is not a direct dependency). */
type Fetcher = NonNullable<NonNullable<ConstructorParameters<typeof RemoteGraphQLDataSource>[0]>['fetcher']>;
type FetcherResponse = Awaited<ReturnType<Fetcher>>;

interface SeedMessage {
  messageId: string;
  channelId: string;
  text: string | null;
  status: string;
}

let stack: TestStack;
let server: ApolloServer<{ authorization: string }>;
/** Ten tickets over ten distinct messages of two channels and three distinct contacts. */
let tickets: TicketRow[];
let messages: Map<string, SeedMessage>;

/** Upstream calls since the last reset, as `METHOD route` → count. */
function callCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of stack.requests.upstream()) counts[entry.route] = (counts[entry.route] ?? 0) + 1;
  return counts;
}

/** A query through the gateway, as a client of the supergraph would send it, with its Bird key. */
async function viaGateway(query: string): Promise<ExecutionResult<Record<string, any>>> {
  const response = await server.executeOperation({ query }, { contextValue: { authorization: `AccessKey ${DEMO_KEY}` } });
  if (response.body.kind !== 'single') throw new Error('Expected a single result');
  return response.body.singleResult as ExecutionResult<Record<string, any>>;
}

const ENTITIES = /* GraphQL */ `
  query Entities($representations: [_Any!]!) {
    _entities(representations: $representations) {
      __typename
      ... on Workspace { workspaceId name }
      ... on Channel { workspaceId channelId name }
      ... on Message { workspaceId channelId messageId status }
      ... on Contact { workspaceId contactId displayName }
    }
  }
`;

beforeAll(async () => {
  // The gateway and Apollo Server would otherwise probe cloud metadata hosts and export metrics.
  vi.stubEnv('APOLLO_TELEMETRY_DISABLED', '1');
  stack = await startTestStack({ emulator: { rateLimits: false } });

  // The ground truth: five messages of each channel, read straight from our own subgraph.
  const seed = await stack.execute<{ sms: any; email: any }>(`{
    sms: channel(workspaceId: "${WS}", channelId: "${SMS.id}") { messages(first: 5) { edges { node { messageId channelId text status } } } }
    email: channel(workspaceId: "${WS}", channelId: "${EMAIL.id}") { messages(first: 5) { edges { node { messageId channelId text status } } } }
  }`);
  expect(seed.errors).toBeUndefined();
  const list: SeedMessage[] = [...seed.data!.sms.messages.edges, ...seed.data!.email.messages.edges].map((e: any) => e.node);
  expect(list).toHaveLength(10);
  messages = new Map(list.map((m) => [m.messageId, m]));
  tickets = list.map((message, i) => ({
    id: `T-${i + 1}`,
    subject: `Ticket ${i + 1}`,
    workspaceId: WS,
    channelId: message.channelId,
    messageId: message.messageId,
    contactId: SEED.contacts[i % 3]!.id,
  }));

  const crm = createCrmSubgraph(tickets);
  const composed = composeServices([birdSubgraph(printSubgraphSchema(testSchema())), crmSubgraph()]);
  expect(composed.errors).toBeUndefined();

  // Each subgraph URL is served in process by its yoga.fetch: no port is opened.
  const fetchers: Record<string, Fetcher> = {
    [BIRD_URL]: (url, init) => stack.app.fetch(url, init as RequestInit) as Promise<FetcherResponse>,
    [CRM_URL]: (url, init) => crm.fetch(url, init as RequestInit) as Promise<FetcherResponse>,
  };
  const gateway = new ApolloGateway({
    supergraphSdl: composed.supergraphSdl!,
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource<{ authorization: string }>({
        url: url!,
        fetcher: (target, init) => fetchers[target]!(target, init),
        // What a router's header propagation does: the caller's Authorization goes on to the Bird subgraph.
        willSendRequest({ request, context }) {
          request.http?.headers.set('authorization', context.authorization);
        },
      }),
  });
  server = new ApolloServer({ gateway });
  await server.start();
});

afterAll(async () => {
  await server?.stop();
  await stack?.close();
  vi.unstubAllEnvs();
});

beforeEach(() => stack.requests.resetUpstream());

describe('a real gateway over our subgraph and a CRM subgraph', () => {
  it('answers a query that crosses both subgraphs with the seeded data, entity lookups batched', async () => {
    const result = await viaGateway(`{
      tickets {
        id
        message { messageId text status ticketIds channel { channelId name } }
        contact { contactId displayName crmAccount }
      }
    }`);
    expect(result.errors).toBeUndefined();
    const names = new Map(Object.values(SEED.channels).map((c) => [c.id, c.name]));
    const people = new Map(SEED.contacts.map((c) => [c.id, c.name]));
    expect(result.data!.tickets).toEqual(
      tickets.map((ticket) => {
        const message = messages.get(ticket.messageId)!;
        return {
          id: ticket.id,
          message: {
            messageId: message.messageId,
            text: message.text,
            status: message.status,
            ticketIds: [ticket.id],
            channel: { channelId: message.channelId, name: names.get(message.channelId) },
          },
          contact: { contactId: ticket.contactId, displayName: people.get(ticket.contactId), crmAccount: crmAccountOf(ticket.contactId) },
        };
      }),
    );
    // One GET per distinct message (Bird has no batch endpoint), ONE list call for both channels of all ten
    // messages, one GET per distinct contact.
    expect(callCounts()).toEqual({ [ROUTES.message]: 10, [ROUTES.channels]: 1, [ROUTES.contact]: 3 });
    const [channelList] = stack.requests.upstream().filter((e) => e.route === ROUTES.channels);
    expect([channelList!.query.channelIds].flat().sort()).toEqual([EMAIL.id, SMS.id].sort());
  });

  it('resolves ten Channel references of two channels with one upstream call', async () => {
    const result = await viaGateway('{ tickets { channel { channelId name platform } } }');
    expect(result.errors).toBeUndefined();
    expect(result.data!.tickets.map((t: any) => t.channel.name)).toEqual(
      tickets.map((t) => (t.channelId === SMS.id ? SMS.name : EMAIL.name)),
    );
    expect(callCounts()).toEqual({ [ROUTES.channels]: 1 });
  });
});

describe('_entities on our subgraph', () => {
  it('resolves 50 channel representations (any UUID case) with one upstream call', async () => {
    const representations = Array.from({ length: 50 }, (_, i) => {
      const channel = MAIN_CHANNELS[i % MAIN_CHANNELS.length]!;
      const id = i % 2 === 0 ? channel.id : channel.id.toUpperCase();
      return { __typename: 'Channel', workspaceId: WS, channelId: id };
    });
    const result = await stack.execute<{ _entities: any[] }>(ENTITIES, { representations });
    expect(result.errors).toBeUndefined();
    expect(result.data!._entities).toEqual(
      representations.map((r) => {
        const channel = MAIN_CHANNELS.find((c) => c.id === r.channelId.toLowerCase())!;
        return { __typename: 'Channel', workspaceId: WS, channelId: channel.id, name: channel.name };
      }),
    );
    expect(callCounts()).toEqual({ [ROUTES.channels]: 1 });
  });

  it('resolves Workspace, Message and Contact representations through their loaders', async () => {
    const message = [...messages.values()][0]!;
    const contact = SEED.contacts[0]!;
    const representations = [
      { __typename: 'Workspace', workspaceId: WS },
      { __typename: 'Message', workspaceId: WS, channelId: message.channelId, messageId: message.messageId },
      { __typename: 'Message', workspaceId: WS, channelId: message.channelId, messageId: message.messageId.toUpperCase() },
      { __typename: 'Contact', workspaceId: WS, contactId: contact.id },
    ];
    const result = await stack.execute<{ _entities: any[] }>(ENTITIES, { representations });
    expect(result.errors).toBeUndefined();
    const expectedMessage = { __typename: 'Message', workspaceId: WS, channelId: message.channelId, messageId: message.messageId, status: message.status };
    expect(result.data!._entities).toEqual([
      { __typename: 'Workspace', workspaceId: WS, name: SEED.workspaces.main.name },
      expectedMessage,
      expectedMessage,
      { __typename: 'Contact', workspaceId: WS, contactId: contact.id, displayName: contact.name },
    ]);
    expect(callCounts()).toEqual({ [ROUTES.workspace]: 1, [ROUTES.message]: 1, [ROUTES.contact]: 1 });
  });

  it('refuses malformed representations as BAD_USER_INPUT without calling Bird, failing only their own items', async () => {
    const representations = [
      { __typename: 'Channel', workspaceId: WS, channelId: '../x' },
      { __typename: 'Channel', workspaceId: WS, channelId: SMS.id },
      { __typename: 'Message', workspaceId: WS, channelId: SMS.id, messageId: 'a/b?c=d' },
      { __typename: 'Contact', workspaceId: WS },
      { __typename: 'Workspace', workspaceId: 42 },
    ];
    const result = await stack.execute<{ _entities: any[] }>(ENTITIES, { representations });
    expect(result.data!._entities).toEqual([
      null,
      { __typename: 'Channel', workspaceId: WS, channelId: SMS.id, name: SMS.name },
      null,
      null,
      null,
    ]);
    expect(result.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['_entities', 0], 'BAD_USER_INPUT'],
      [['_entities', 2], 'BAD_USER_INPUT'],
      [['_entities', 3], 'BAD_USER_INPUT'],
      [['_entities', 4], 'BAD_USER_INPUT'],
    ]);
    // Only the valid channel reached Bird; no URL was built from a malformed key.
    expect(callCounts()).toEqual({ [ROUTES.channels]: 1 });
  });

  it('fails Workspace references with a coded error when BIRD_ORGANIZATION_ID is not configured', async () => {
    const bare = await startTestStack({ env: { BIRD_ORGANIZATION_ID: '' } });
    try {
      const result = await bare.execute<{ _entities: any[] }>(ENTITIES, {
        representations: [{ __typename: 'Workspace', workspaceId: WS }],
      });
      expect(result.data!._entities).toEqual([null]);
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0]?.message).toMatch(/BIRD_ORGANIZATION_ID/);
      expect(bare.requests.upstream()).toEqual([]);
    } finally {
      await bare.close();
    }
  });
});

describe('_service and the Relay node switch', () => {
  const NODE_FIELD = /^\s+nodes?\(/m;

  it('serves the subgraph SDL with node/nodes by default', async () => {
    const result = await stack.execute<{ _service: { sdl: string } }>('{ _service { sdl } }');
    expect(result.errors).toBeUndefined();
    const sdl = result.data!._service.sdl;
    expect(sdl).toMatch(/@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+"/);
    expect(sdl).toMatch(/type Channel implements Node\s+@key\(fields: "workspaceId channelId"\)/);
    expect(sdl).toMatch(/type PageInfo\s+@shareable/);
    expect(sdl).toMatch(NODE_FIELD);
  });

  it('reads RELAY_NODE_FIELDS as a validated boolean, on by default', () => {
    const env = { BIRD_API_URL: stack.emulator.url, LOG_LEVEL: 'silent' };
    expect(loadConfig(env).relayNodeFields).toBe(true);
    expect(loadConfig({ ...env, RELAY_NODE_FIELDS: 'false' }).relayNodeFields).toBe(false);
    expect(() => loadConfig({ ...env, RELAY_NODE_FIELDS: 'maybe' })).toThrow(/RELAY_NODE_FIELDS/);
  });

  it('drops node/nodes from the schema and from `_service { sdl }` with RELAY_NODE_FIELDS=false', async () => {
    const off = buildSchema({ nodeFields: false });
    const sdl = printSubgraphSchema(off);
    expect(sdl).not.toMatch(NODE_FIELD);
    expect(off.getQueryType()!.getFields()).not.toHaveProperty('node');

    // No schema passed: createApp builds it from the config, as the server does.
    const config = loadConfig({ BIRD_API_URL: stack.emulator.url, LOG_LEVEL: 'silent', RELAY_NODE_FIELDS: 'false' });
    const app = createApp({ config, bird: stack.bird });
    try {
      const ask = async (query: string) => {
        const response = await app.fetch('http://yoga/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `AccessKey ${DEMO_KEY}` },
          body: JSON.stringify({ query }),
        });
        return (await response.json()) as ExecutionResult<Record<string, any>>;
      };
      const service = await ask('{ _service { sdl } }');
      expect(service.data!._service.sdl).toBe(sdl);
      const node = await ask('{ node(id: "x") { id } }');
      expect(node.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      // Entities still resolve: the switch only removes the two root fields.
      const entities = await ask(
        `{ _entities(representations: [{ __typename: "Channel", workspaceId: "${WS}", channelId: "${SMS.id}" }]) { ... on Channel { name } } }`,
      );
      expect(entities.data!._entities).toEqual([{ name: SMS.name }]);
    } finally {
      await app.dispose();
    }
  });
});

describe('Apollo inline traces (ftv1)', () => {
  it('adds a base64 trace when the gateway asks with apollo-federation-include-trace: ftv1', async () => {
    const result = await stack.execute('{ __typename }', undefined, { headers: { 'apollo-federation-include-trace': 'ftv1' } });
    expect(result.data).toEqual({ __typename: 'Query' });
    expect(result.extensions?.ftv1).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });

  it('adds none without the header', async () => {
    const result = await stack.execute('{ __typename }');
    expect(result.extensions?.ftv1).toBeUndefined();
  });

  it("times every resolved field when asked, and the same operation without the header still answers the same", async () => {
    const query = `{ channel(workspaceId: "${WS}", channelId: "${SMS.id}") { name messages(first: 2) { edges { node { messageId } } } } }`;
    const traced = await stack.execute(query, undefined, { headers: { 'apollo-federation-include-trace': 'ftv1' } });
    const plain = await stack.execute(query);
    expect(traced.errors).toBeUndefined();
    expect(traced.data).toEqual(plain.data);
    expect(plain.extensions?.ftv1).toBeUndefined();
    const trace = Trace.decode(Buffer.from(traced.extensions!.ftv1 as string, 'base64'));
    const names: string[] = [];
    const walk = (node: Trace.INode, path: string) => {
      for (const child of node.child ?? []) {
        const name = child.responseName || String(child.index);
        names.push(`${path}${name}`);
        walk(child, `${path}${name}.`);
      }
    };
    walk(trace.root!, '');
    expect(names).toEqual(expect.arrayContaining(['channel', 'channel.name', 'channel.messages', 'channel.messages.edges.0.node.messageId']));
    // A second traced request is traced too (the instrumented schema is built once and reused).
    const again = await stack.execute(query, undefined, { headers: { 'apollo-federation-include-trace': 'ftv1' } });
    expect(Trace.decode(Buffer.from(again.extensions!.ftv1 as string, 'base64')).root?.child?.[0]?.responseName).toBe('channel');
  });
});
