// The persisted-operations safelist cannot be bypassed through `_entities` (issue 15 item 5): gateway traffic is let
// through only for a router that proves itself with ROUTER_SECRET in its header, configured in Apollo's gateway and in
// Hive Gateway the way the README says.
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { printSubgraphSchema } from '@apollo/subgraph';
import { buildHTTPExecutor } from '@graphql-tools/executor-http';
import { parse } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SEED } from '../../src/emulator/seed.ts';
import { type RunningServer, startServer } from '../../src/lifecycle.ts';
import { DEMO_KEY, type TestStack, startTestStack, testSchema } from '../helpers.ts';

const WS = SEED.workspaces.main.id;
const SECRET = 'router-secret-5f1c9a7e2b4d8c3a';
const HEADER = 'x-router-secret';
/** What the reproduction read: every contact's name, phone number and email. */
const CONTACTS = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Contact { contactId displayName featuredIdentifiers { key value } } } }`;
const representations = SEED.contacts.slice(0, 5).map((contact) => ({ __typename: 'Contact', workspaceId: WS, contactId: contact.id }));
const PERSISTED = 'query Persisted { __typename }';

let stack: TestStack;
beforeAll(async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'persisted-router-')), 'ops.json');
  writeFileSync(file, JSON.stringify({ [createHash('sha256').update(PERSISTED).digest('hex')]: PERSISTED }));
  // Production with a safelist and a router secret, as a subgraph behind a company gateway runs.
  stack = await startTestStack({ env: { NODE_ENV: 'production', PERSISTED_OPERATIONS: file, ROUTER_SECRET: SECRET } });
});
afterAll(async () => {
  await stack?.close();
});
beforeEach(() => stack.requests.resetUpstream());

const post = (body: unknown, headers: Record<string, string> = {}) =>
  stack
    .fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `AccessKey ${DEMO_KEY}`, ...headers },
      body: JSON.stringify(body),
    })
    .then(async (response) => ({ status: response.status, body: (await response.json()) as { data?: any; errors?: { extensions: { code: string } }[]; extensions?: { ftv1?: string } } }));

describe('a hand-written _entities query is no longer a way around the safelist', () => {
  it('the reproduction: _entities reading contacts without the router proof → PERSISTED_QUERY_ONLY, 0 Bird calls', async () => {
    const answer = await post({ query: CONTACTS, variables: { r: representations } });
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors?.map((e) => e.extensions.code)).toEqual(['PERSISTED_QUERY_ONLY']);
    expect(JSON.stringify(answer.body)).not.toMatch(/displayName|phonenumber|emailaddress/);
    expect(stack.requests.upstream()).toEqual([]);
    console.log(`item 5: _entities without the router secret → ${answer.body.errors?.[0]?.extensions.code}, ${stack.requests.upstream().length} Bird calls`);
  });

  it.each([
    ['a wrong secret', { [HEADER]: 'router-secret-5f1c9a7e2b4d8c3b' }],
    ['the secret in another header', { 'x-gateway-secret': SECRET }],
    ['an empty header', { [HEADER]: '' }],
    ['the secret with a suffix', { [HEADER]: `${SECRET}x` }],
  ])('%s is no proof', async (_name, headers) => {
    const answer = await post({ query: CONTACTS, variables: { r: representations } }, headers);
    expect(answer.body.errors?.map((e) => e.extensions.code)).toEqual(['PERSISTED_QUERY_ONLY']);
    expect(stack.requests.upstream()).toEqual([]);
  });

  it('_service { sdl } needs the proof too (it is the schema, which introspection would not tell); __typename alone does not', async () => {
    expect((await post({ query: '{ _service { sdl } }' })).body.errors?.map((e) => e.extensions.code)).toEqual(['PERSISTED_QUERY_ONLY']);
    expect((await post({ query: '{ __typename }' })).body).toEqual({ data: { __typename: 'Query' } });
    expect((await post({ extensions: { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(PERSISTED).digest('hex') } } })).body).toEqual({
      data: { __typename: 'Query' },
    });
  });

  it('with the proof, a router runs _entities, _service and the plain root-field documents of its query plans', async () => {
    const entities = await post({ query: CONTACTS, variables: { r: representations } }, { [HEADER]: SECRET });
    expect(entities.body.errors).toBeUndefined();
    expect(entities.body.data._entities).toHaveLength(5);
    const sdl = await post({ query: '{ _service { sdl } }' }, { [HEADER]: SECRET });
    expect(sdl.body.data._service.sdl).toContain('type Contact');
    const plan = await post({ query: `{ workspace(workspaceId: "${WS}") { name } }` }, { [HEADER]: SECRET });
    expect(plan.body.data.workspace.name).toEqual(expect.any(String));
  });

  it('inline traces (ftv1) are only for the router', async () => {
    const query = `{ workspace(workspaceId: "${WS}") { name } }`;
    const traced = await post({ query }, { [HEADER]: SECRET, 'apollo-federation-include-trace': 'ftv1' });
    expect(traced.body.extensions?.ftv1).toEqual(expect.any(String));
    // Without the proof the header is ignored (the document must then be a persisted one).
    const hash = createHash('sha256').update(PERSISTED).digest('hex');
    const untraced = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }, { 'apollo-federation-include-trace': 'ftv1' });
    expect(untraced.body).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('routers configured as documented', () => {
  let running: RunningServer;
  let supergraphSdl: string;
  let subgraphUrl: string;
  beforeAll(async () => {
    vi.stubEnv('APOLLO_TELEMETRY_DISABLED', '1');
    running = await startServer({ handler: stack.app, port: 0, host: '127.0.0.1', shutdownTimeoutMs: 1_000 });
    subgraphUrl = `${running.url}/graphql`;
    const composed = composeServices([{ name: 'bird', url: subgraphUrl, typeDefs: parse(printSubgraphSchema(testSchema())) }]);
    expect(composed.errors).toBeUndefined();
    supergraphSdl = composed.supergraphSdl!;
  });
  afterAll(async () => {
    await running?.shutdown();
    vi.unstubAllEnvs();
  });

  const CLIENT_QUERY = `{ workspace(workspaceId: "${WS}") { name contacts(first: 2) { edges { node { displayName } } } } }`;

  it("Apollo's gateway: the secret set on every subgraph request (as the Router's `headers: insert` does)", async () => {
    const gateway = new ApolloGateway({
      supergraphSdl,
      buildService: ({ url }) =>
        new RemoteGraphQLDataSource({
          url: url!,
          willSendRequest({ request }) {
            request.http?.headers.set('authorization', `AccessKey ${DEMO_KEY}`);
            request.http?.headers.set(HEADER, SECRET);
          },
        }),
    });
    const server = new ApolloServer({ gateway });
    await server.start();
    try {
      const response = await server.executeOperation({ query: CLIENT_QUERY });
      const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
      expect(result?.errors).toBeUndefined();
      expect((result?.data as any).workspace.contacts.edges).toHaveLength(2);
    } finally {
      await server.stop();
    }
  }, 20_000);

  /**
   * Hive Gateway's HTTP transport is @graphql-mesh/transport-http, which is not installed here: this stand-in is what
   * it wraps (@graphql-tools/executor-http, a dependency of the gateway runtime) over the gateway's own fetch, so the
   * gateway's header propagation (an onFetch hook) applies to it as to the real one.
   */
  const transports = {
    http: {
      getSubgraphExecutor: ({ transportEntry, fetch }: { transportEntry: { location?: string }; fetch?: unknown }) =>
        buildHTTPExecutor({ endpoint: transportEntry.location!, ...(fetch ? { fetch: fetch as never } : {}) }),
    },
  };

  it('Hive Gateway: propagateHeaders.fromClientToSubgraphs adds the secret for the bird subgraph', async () => {
    const gateway = createGatewayRuntime({
      supergraph: supergraphSdl,
      logging: false,
      transports,
      propagateHeaders: {
        fromClientToSubgraphs: ({ request, subgraphName }) =>
          subgraphName === 'bird' ? { authorization: request.headers.get('authorization') ?? '', [HEADER]: SECRET } : {},
      },
    });
    try {
      const response = await gateway.fetch('http://gateway/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `AccessKey ${DEMO_KEY}` },
        body: JSON.stringify({ query: CLIENT_QUERY }),
      });
      const result = (await response.json()) as { data?: any; errors?: unknown };
      expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
      expect(result.data.workspace.contacts.edges).toHaveLength(2);
      // And without the secret the same gateway is refused by the subgraph's safelist.
      const bare = createGatewayRuntime({
        supergraph: supergraphSdl,
        logging: false,
        transports,
        propagateHeaders: { fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get('authorization') ?? '' }) },
      });
      const refused = (await (
        await bare.fetch('http://gateway/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `AccessKey ${DEMO_KEY}` }, body: JSON.stringify({ query: CLIENT_QUERY }) })
      ).json()) as { data?: any; errors?: { message: string }[] };
      expect(refused.data?.workspace ?? null).toBeNull();
      expect(JSON.stringify(refused.errors)).toMatch(/persisted/i);
      await bare.dispose();
    } finally {
      await gateway.dispose();
    }
  }, 20_000);
});
