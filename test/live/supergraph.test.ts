// Subscriptions through the supergraph: Hive Gateway (@graphql-hive/gateway-runtime) composed over this subgraph and the CRM one, a client's messageUpdated carrying a field the CRM resolves.
import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { createGatewayRuntime, createLoggerFromLogging } from '@graphql-hive/gateway-runtime';
import wsTransport from '@graphql-mesh/transport-ws';
import { createClient } from 'graphql-sse';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SEED } from '../../src/emulator/seed.ts';
import { type RunningServer, startServer } from '../../src/lifecycle.ts';
import { liveRuntimeOf } from '../../src/live/index.ts';
import { createWebSocketEndpoint } from '../../src/live/websocket.ts';
import { type TicketRow, birdSubgraph, createCrmSubgraph, crmSubgraph } from '../federation/neighbours.ts';
import { testSchema } from '../helpers.ts';
import { type LiveStack, SMS, WS, collect, startLiveStack, until } from './stack.ts';

const CONTACT = SEED.contacts[0]!;
let stack: LiveStack;
let crm: RunningServer;
let crmSockets: ReturnType<typeof createWebSocketEndpoint>;
let gateway: ReturnType<typeof createGatewayRuntime>;
const tickets: TicketRow[] = [];

beforeAll(async () => {
  // This subgraph holds no server key: every call uses the key the client gave the gateway.
  stack = await startLiveStack({ env: { BIRD_ACCESS_KEY: '' } });
  await stack.register();
  // The CRM subgraph on a port of its own, with graphql-ws like ours (the gateway reaches both over WebSocket).
  const crmApp = createCrmSubgraph(tickets);
  crmSockets = createWebSocketEndpoint({
    fetch: (url, init) => crmApp.fetch(url, init),
    path: '/graphql',
    corsOrigins: [],
    publicUrl: null,
    keepAliveMs: 12_000,
    maxMessageBytes: 256 * 1024,
    log: () => {},
  });
  crm = await startServer({ handler: crmApp, port: 0, host: '127.0.0.1', shutdownTimeoutMs: 1_000, onUpgrade: (r, s, h) => crmSockets.handleUpgrade(r, s, h) });

  const composed = composeServices([birdSubgraph(printSubgraphSchema(testSchema())), crmSubgraph()]);
  expect(composed.errors).toBeUndefined();
  gateway = createGatewayRuntime({
    supergraph: composed.supergraphSdl!,
    logging: createLoggerFromLogging(false),
    transports: { ws: wsTransport },
    transportEntries: {
      // Each subgraph over graphql-ws: queries, entity lookups and subscriptions alike.
      bird: {
        kind: 'ws',
        location: `${stack.url.replace('http', 'ws')}/graphql`,
        // The gateway hands the client's key on to the Bird subgraph (header propagation).
        options: { connectionParams: { authorization: '{context.headers.authorization}' } },
      },
      crm: { kind: 'ws', location: `${crm.url.replace('http', 'ws')}/graphql` },
    },
  });
}, 60_000);

afterAll(async () => {
  await gateway?.dispose();
  await crmSockets?.close();
  await crm?.shutdown();
  await stack?.close();
});

it('streams messageUpdated through the gateway, each event joined with the CRM’s ticketIds', async () => {
  const client = createClient({
    url: 'http://gateway/graphql',
    fetchFn: (input: RequestInfo | URL, init?: RequestInit) => gateway.fetch(input as string, init),
    headers: { authorization: `AccessKey ${SEED.accessKeys.demo}` },
    retryAttempts: 0,
  });
  const sub = collect<{ data?: { messageUpdated: Record<string, unknown> }; errors?: unknown[] }>(client, {
    query: `subscription Live($workspaceId: UUID!) {
      messageUpdated(workspaceId: $workspaceId) { messageId status channel { name } ticketIds }
    }`,
    variables: { workspaceId: WS },
  });
  await until(() => liveRuntimeOf(stack.app)!.hub.streaming === 1);
  // A seeded message the CRM has a ticket for; its status changes are the events.
  const messageId = stack.emulator.store.allMessages(WS, SMS.id).find((m) => m.direction === 'outgoing')!.id;
  tickets.push({ id: 'T-42', subject: 'Where is my parcel?', workspaceId: WS, channelId: SMS.id, messageId, contactId: CONTACT.id });
  stack.emulator.store.advanceMessage(WS, messageId, 'sent');
  stack.emulator.store.advanceMessage(WS, messageId, 'delivered');
  await sub.next(2);
  sub.stop();
  await client.dispose();
  expect(sub.errors).toEqual([]);
  expect(sub.results).toEqual(
    ['SENT', 'DELIVERED'].map((status) => ({ data: { messageUpdated: { messageId, status, channel: { name: SMS.name }, ticketIds: ['T-42'] } } })),
  );
}, 30_000);

it('refuses the subscription with UNAUTHENTICATED when the client gives the gateway no key (this subgraph holds none)', async () => {
  const client = createClient({ url: 'http://gateway/graphql', fetchFn: (input: RequestInfo | URL, init?: RequestInit) => gateway.fetch(input as string, init), retryAttempts: 0 });
  const sub = collect<{ errors?: { extensions?: { code?: string } }[] }>(client, { query: `subscription { messageUpdated(workspaceId: "${WS}") { messageId } }` });
  await sub.completed;
  await client.dispose();
  expect(sub.results.flatMap((r) => r.errors ?? []).map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
}, 30_000);
