// Production hardening end to end: no key anywhere, no stack traces, CORS, CSRF, introspection, every limit, metrics,
// /ready and persisted operations, each asserting the upstream calls it caused.
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED } from '../../src/emulator/seed.ts';
import { type TestStack, startTestStack, testSchema } from '../helpers.ts';

const WS = SEED.workspaces.main.id;
const SMS = SEED.channels.sms.id;
const MSG = SEED.messages.emailWithInteractions;
const GET_MESSAGE = 'GET /workspaces/:ws/channels/:ch/messages/:msg';
/** Valid and cheap, but 22 levels deep: Channel.messages → Message.channel, five times. */
const DEEP = `{ channel(workspaceId: "${WS}", channelId: "${SMS}") { ${'messages(first: 1) { edges { node { channel { '.repeat(5)}name${' } } } }'.repeat(5)} } }`;
const MESSAGE = `query OneMessage { message(workspaceId: "${WS}", channelId: "${MSG.channelId}", messageId: "${MSG.id}") { messageId text } }`;
/** The canonical read: workspace → channels → messages → sender → contact. */
const CANONICAL = `query Canonical {
  workspace(workspaceId: "${WS}") {
    name
    channels(first: 5) { edges { node { name messages(first: 10) { edges { node { messageId text
      sender { __typename ... on ContactParticipant { contactId contact { contactId displayName } } } } } } } } }
  }
}`;

function json(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', ...headers }, body: JSON.stringify(body) };
}

describe('secrets: a canary access key appears nowhere', () => {
  const CANARY = 'canary-key-5f1c9a7e2b4d';
  let stack: TestStack;
  const exporter = new InMemorySpanExporter();

  beforeAll(async () => {
    stack = await startTestStack({ emulator: { rateLimits: false }, authorization: `AccessKey ${CANARY}`, env: { LOG_LEVEL: 'debug' }, spanExporter: exporter });
    stack.emulator.store.addAccessKey(CANARY, 'all');
  });
  afterAll(async () => {
    await stack.close();
  });

  it('in no response body or header, log line, metric or span attribute', async () => {
    const bodies: string[] = [];
    const headers: string[] = [];
    const record = async (response: Response) => {
      bodies.push(await response.text());
      headers.push(JSON.stringify([...response.headers]));
    };
    await record(await stack.fetch('/graphql', json({ query: CANONICAL }, { authorization: `AccessKey ${CANARY}` })));
    await record(await stack.fetch('/graphql', json({ query: MESSAGE }, { authorization: `Bearer ${CANARY}` })));
    // Bird answering with the key echoed in its error body, then failing in every other way.
    stack.emulator.setFaults({
      [GET_MESSAGE]: [{ status: 500, body: { code: 'InternalError', message: `bad key AccessKey ${CANARY}` } }, { status: 401, body: { message: CANARY } }, 'reset', 'invalid-json'],
    });
    for (let i = 0; i < 3; i++) await record(await stack.fetch('/graphql', json({ query: MESSAGE }, { authorization: `AccessKey ${CANARY}` })));
    // A malformed header with the key inside (a key typed into a variable or the query is the caller's own input,
    // which validation errors may quote back to that caller; it is never logged).
    await record(await stack.fetch('/graphql', json({ query: MESSAGE }, { authorization: `AccessKey ${CANARY} extra` })));
    await record(await stack.fetch('/metrics'));
    expect(bodies[0]).toContain('"workspace":{"name"');
    for (const text of [...bodies, ...headers, ...stack.logs]) expect(text).not.toContain(CANARY);
    const spans = exporter.getFinishedSpans();
    expect(spans.length).toBeGreaterThan(3);
    expect(JSON.stringify(spans.map((span) => [span.name, span.attributes, span.events]))).not.toContain(CANARY);
    // The request log has one line per request with its id, operation, status and upstream calls.
    const line = stack.logs.find((l) => l.includes('"operation":"Canonical"'));
    expect(line).toBeDefined();
    expect(JSON.parse(line!.slice(line!.indexOf('{')))).toMatchObject({ msg: 'request', status: 200, operationType: 'query', outcome: 'success' });
  });

  it('sends the request id upstream as x-request-id and returns it', async () => {
    stack.requests.resetUpstream();
    const response = await stack.fetch('/graphql', json({ query: MESSAGE }, { 'x-request-id': 'trace-me-123' }));
    expect(response.headers.get('x-request-id')).toBe('trace-me-123');
    expect(stack.requests.upstream().map((entry) => entry.requestId)).toEqual(['trace-me-123']);
    expect(stack.logs.some((l) => l.includes('"requestId":"trace-me-123"') && l.includes('"upstreamCalls":1'))).toBe(true);
  });

  it('the structured logger redacts credentials in objects and free text', async () => {
    const { createLogger } = await import('../../src/observability/logger.ts');
    const { Writable } = await import('node:stream');
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) });
    const logger = createLogger({ level: 'debug', format: 'json', destination });
    logger.info({ headers: { authorization: `AccessKey ${CANARY}` }, credential: { token: CANARY } }, 'x');
    logger.warn(`failed with Authorization: AccessKey ${CANARY}`);
    const text = createLogger({ level: 'info', format: 'text', destination });
    text.info({ token: CANARY }, `Bearer ${CANARY}`);
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).not.toContain(CANARY);
  });
});

describe('credentials', () => {
  let stack: TestStack;
  beforeAll(async () => {
    // No server-held key: every request must bring its own.
    stack = await startTestStack({ env: { BIRD_ACCESS_KEY: undefined }, authorization: null });
  });
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(() => stack.requests.resetUpstream());

  it('a request with no credential gets UNAUTHENTICATED before any upstream call; __typename still answers', async () => {
    expect(stack.config.bird.accessKey).toBeNull();
    const result = await stack.execute(MESSAGE);
    expect(result.data).toEqual({ message: null });
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(await stack.execute('{ __typename }')).toEqual({ data: { __typename: 'Query' } });
    expect(stack.requests.upstream()).toEqual([]);
  });

  it('a malformed Authorization header is 401 before any upstream call', async () => {
    const response = await stack.fetch('/graphql', json({ query: MESSAGE }, { authorization: 'Basic dXNlcjpwYXNz' }));
    expect(response.status).toBe(401);
    expect((await response.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(stack.requests.upstream()).toEqual([]);
  });

  it('forwards the caller AccessKey and Bearer token', async () => {
    for (const scheme of ['AccessKey', 'Bearer']) {
      const result = await stack.execute(MESSAGE, undefined, { headers: { authorization: `${scheme} ${SEED.accessKeys.demo}` } });
      expect(result.errors).toBeUndefined();
    }
    expect(stack.requests.upstream()).toHaveLength(2);
  });
});

describe('production: masked errors, no stack traces', () => {
  let stack: TestStack;
  beforeAll(async () => {
    // A schema with one resolver that throws, next to the real ones.
    const base = testSchema().toConfig();
    const query = testSchema().getQueryType()!.toConfig();
    const Query = new GraphQLObjectType({
      ...query,
      fields: {
        ...query.fields,
        boom: {
          type: GraphQLString,
          resolve: () => {
            throw new Error('secret internals at /srv/app.ts:12');
          },
        },
      },
    });
    const schema = new GraphQLSchema({ ...base, query: Query, types: base.types.filter((type) => type.name !== 'Query') });
    stack = await startTestStack({ env: { NODE_ENV: 'production' }, schema, bird: { headersTimeoutMs: 300, deadlineMs: 2000, random: () => 0.01 } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const assertClean = (text: string) => {
    expect(text).not.toMatch(/stack|originalError|\.ts:\d+|node_modules|http:\/\/127\.0\.0\.1|secret internals/);
  };

  it('a throwing resolver, an upstream reset and invalid upstream JSON all answer "Unexpected error." or our code', async () => {
    const boom = await stack.fetch('/graphql', json({ query: '{ boom }' }));
    const boomText = await boom.text();
    assertClean(boomText);
    expect(JSON.parse(boomText)).toEqual({
      data: { boom: null },
      errors: [{ message: 'Unexpected error.', locations: [{ line: 1, column: 3 }], path: ['boom'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    });
    for (const fault of [['reset', 'reset', 'reset'], ['invalid-json']] as const) {
      stack.emulator.setFaults({ [GET_MESSAGE]: [...fault] });
      const response = await stack.fetch('/graphql', json({ query: MESSAGE }));
      const text = await response.text();
      assertClean(text);
      expect(response.status).toBe(200);
      expect(JSON.parse(text).errors[0].extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE' });
    }
  });

  it('introspection is refused while _service, _entities and __typename answer; GraphiQL is off', async () => {
    const schemaQuery = await stack.execute('{ __schema { queryType { name } } }');
    expect(schemaQuery.errors?.[0]?.message).toMatch(/introspection/i);
    const typeQuery = await stack.execute('{ __type(name: "Message") { name } }');
    expect(typeQuery.data).toBeUndefined();
    const service = await stack.execute<{ _service: { sdl: string } }>('{ _service { sdl } __typename }');
    expect(service.data?._service.sdl).toContain('type Message');
    const entities = await stack.execute(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Channel { name } } }',
      { r: [{ __typename: 'Channel', workspaceId: WS, channelId: SMS }] },
    );
    expect(entities.errors).toBeUndefined();
    expect(entities.data).toEqual({ _entities: [{ name: expect.any(String) }] });
    const html = await stack.fetch('/graphql', { headers: { accept: 'text/html' } });
    expect([404, 406]).toContain(html.status);
    // No "Did you mean" hints that would reveal the schema.
    const typo = await stack.execute('{ mesage }');
    expect(JSON.stringify(typo)).not.toMatch(/Did you mean/);
  });

  it('limit errors name no limit values in production', async () => {
    const deep = await stack.execute(DEEP);
    expect(deep.errors).toHaveLength(1);
    expect(deep.errors?.[0]?.extensions).toEqual({ code: 'DEPTH_LIMIT_EXCEEDED' });
    expect(deep.errors?.[0]?.message).toBe('The operation is too deep.');
  });
});

describe('CORS', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { CORS_ORIGINS: 'https://app.example.com,https://admin.example.com' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answers an allowed origin with that origin alone, credentials allowed', async () => {
    const response = await stack.fetch('/graphql', json({ query: '{ __typename }' }, { origin: 'https://app.example.com' }));
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
  });

  it('gives a refused origin no CORS headers at all (never echoed, never *)', async () => {
    const response = await stack.fetch('/graphql', json({ query: '{ __typename }' }, { origin: 'https://evil.example.net' }));
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('preflight: allowed origin gets methods and headers, a refused one nothing', async () => {
    const preflight = (origin: string) =>
      stack.fetch('/graphql', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' } });
    const ok = await preflight('https://admin.example.com');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://admin.example.com');
    expect(ok.headers.get('access-control-allow-methods')).toBe('GET, POST');
    expect(ok.headers.get('access-control-allow-headers')).toContain('authorization');
    const refused = await preflight('https://evil.example.net');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect([...refused.headers.keys()].filter((h) => h.startsWith('access-control'))).toEqual([]);
  });

  it('no CORS headers at all without CORS_ORIGINS (production default)', async () => {
    const production = await startTestStack({ env: { NODE_ENV: 'production' } });
    const response = await production.fetch('/graphql', json({ query: '{ __typename }' }, { origin: 'https://app.example.com' }));
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    await production.close();
  });
});

describe('CSRF prevention', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(() => stack.requests.resetUpstream());

  const query = encodeURIComponent(MESSAGE);
  it.each([
    ['GET without the header', { method: 'GET' }, `/graphql?query=${query}`],
    ['text/plain POST', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: MESSAGE }) }, '/graphql'],
    ['form-urlencoded POST', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `query=${query}` }, '/graphql'],
    ['multipart POST', { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: `--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: MESSAGE })}\r\n--x--\r\n` }, '/graphql'],
  ] as [string, RequestInit, string][])('%s → 403, no upstream call', async (_name, init, path) => {
    const response = await stack.fetch(path, { ...init, headers: { authorization: `AccessKey ${SEED.accessKeys.demo}`, ...init.headers } });
    expect(response.status).toBe(403);
    expect(stack.requests.upstream()).toEqual([]);
  });

  it('a JSON POST and a GET with the header pass', async () => {
    expect((await stack.execute(MESSAGE)).errors).toBeUndefined();
    const get = await stack.fetch(`/graphql?query=${query}`, { headers: { 'x-graphql-yoga-csrf': '1', accept: 'application/json', authorization: `AccessKey ${SEED.accessKeys.demo}` } });
    expect(get.status).toBe(200);
    expect(stack.requests.upstream()).toHaveLength(2);
  });
});

describe('limits: coded errors, zero upstream calls, canonical operations pass', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ emulator: { rateLimits: false } });
  });
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(() => stack.requests.resetUpstream());

  it('the canonical workspace → channels → messages → sender → contact query passes', async () => {
    const result = await stack.execute(CANONICAL);
    expect(result.errors).toBeUndefined();
    expect(stack.requests.upstream().length).toBeGreaterThan(2);
  });

  const cases: [string, string, Record<string, unknown> | undefined, string][] = [
    ['depth', DEEP, undefined, 'DEPTH_LIMIT_EXCEEDED'],
    ['aliases', `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: workspace(workspaceId: "${WS}") { name }`).join(' ')} }`, undefined, 'ALIAS_LIMIT_EXCEEDED'],
    ['tokens', `{ ${'__typename '.repeat(4_001)}}`, undefined, 'TOKEN_LIMIT_EXCEEDED'],
    [
      'cost (pages multiply)',
      `query ($n: Int) { workspace(workspaceId: "${WS}") { channels(first: $n) { edges { node { messages(first: $n) { edges { node { messageId text status createdAt } } } } } } } }`,
      { n: 100 },
      'COST_LIMIT_EXCEEDED',
    ],
    [
      'upstream budget',
      `{ workspace(workspaceId: "${WS}") { channels(first: 20) { edges { node { messages(first: 10) { edges { node { channel { name } } } } } } } } }`,
      undefined,
      'UPSTREAM_BUDGET_EXCEEDED',
    ],
  ];
  it.each(cases)('%s', async (_name, query, variables, code) => {
    const result = await stack.execute(query, variables);
    expect(result.data ?? undefined).toBeUndefined();
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual([code]);
    expect(stack.requests.upstream()).toEqual([]);
  });

  it('the same document passes with small variables (cost is checked per request, not cached per document)', async () => {
    const query = cases[3]![1];
    expect((await stack.execute(query, { n: 2 })).errors).toBeUndefined();
  });

  it('body size: a declared content-length over MAX_BODY_BYTES is 413, and so is a chunked one', async () => {
    const big = JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(300 * 1024) } });
    const declared = await stack.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(big.length) }, body: big });
    expect(declared.status).toBe(413);
    expect((await declared.json()).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const chunked = await stack.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(stack.requests.upstream()).toEqual([]);
  });
});

describe('metrics', () => {
  it('exposes operations by name, upstream calls by route template and status, retries, 429s and batch sizes', async () => {
    const stack = await startTestStack({ emulator: { rateLimits: false }, bird: { random: () => 0.01 } });
    await stack.execute(CANONICAL);
    stack.emulator.setFaults({ [GET_MESSAGE]: [{ status: 429, headers: { 'retry-after': '0' } }] });
    await stack.execute(MESSAGE);
    await stack.execute('{ __typename }');
    await stack.execute('query Weird$Name { __typename }'); // a parse error: rejected
    const text = await (await stack.fetch('/metrics')).text();
    await stack.close();
    expect(text).toContain('graphql_operations_total{operation="Canonical",type="query",outcome="success"} 1');
    expect(text).toContain('graphql_operations_total{operation="OneMessage",type="query",outcome="success"} 1');
    expect(text).toContain('graphql_operations_total{operation="anonymous",type="query",outcome="success"} 1');
    expect(text).toContain('graphql_operations_total{operation="anonymous",type="unknown",outcome="rejected"} 1');
    expect(text).toMatch(/graphql_operation_duration_seconds_count\{operation="Canonical",type="query"\} 1/);
    expect(text).toContain('bird_upstream_requests_total{method="GET",route="/workspaces/{workspaceId}/channels/{channelId}/messages/{messageId}",status="429"} 1');
    expect(text).toContain('bird_upstream_requests_total{method="GET",route="/workspaces/{workspaceId}/channels/{channelId}/messages/{messageId}",status="200"} 1');
    expect(text).toContain('bird_upstream_retries_total{method="GET",route="/workspaces/{workspaceId}/channels/{channelId}/messages/{messageId}"} 1');
    expect(text).toContain('bird_upstream_rate_limited_total{method="GET",route="/workspaces/{workspaceId}/channels/{channelId}/messages/{messageId}"} 1');
    expect(text).toMatch(/dataloader_batch_size_count\{loader="contact"\} [1-9]/);
    expect(text).toMatch(/bird_upstream_request_duration_seconds_count\{method="GET",route="\/workspaces\/\{workspaceId\}\/channels"\} 1/);
    // Labels never carry raw ids or paths.
    const series = text.split('\n').filter((line) => line.startsWith('bird_') || line.startsWith('graphql_') || line.startsWith('dataloader_'));
    for (const line of series) expect(line).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  });

  it('is off with METRICS=false', async () => {
    const stack = await startTestStack({ env: { METRICS: 'false' } });
    expect((await stack.fetch('/metrics')).status).toBe(404);
    await stack.close();
  });
});

describe('/ready', () => {
  it('is 200 while the emulator answers and 503 once it is gone', async () => {
    const stack = await startTestStack({ env: { READY_CACHE_MS: '0', READY_TIMEOUT_MS: '500' } });
    const up = await stack.fetch('/ready');
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual({ status: 'ready' });
    await stack.emulator.close();
    const down = await stack.fetch('/ready');
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: 'unavailable' });
    expect((await stack.fetch('/health')).status).toBe(200); // liveness does not depend on Bird
    await stack.close();
  });

  it('reuses a probe result for READY_CACHE_MS', async () => {
    const stack = await startTestStack({ env: { READY_CACHE_MS: '600000' } });
    expect((await stack.fetch('/ready')).status).toBe(200);
    await stack.emulator.close();
    expect((await stack.fetch('/ready')).status).toBe(200);
    await stack.close();
  });
});

describe('persisted operations', () => {
  const ROUTER_SECRET = 'router-secret-0123456789abcdef';
  const typename = 'query Persisted { __typename }';
  const hash = createHash('sha256').update(typename).digest('hex');
  let stack: TestStack;
  beforeAll(async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'persisted-')), 'ops.json');
    writeFileSync(file, JSON.stringify({ [hash]: typename, ['0'.repeat(64)]: MESSAGE }));
    stack = await startTestStack({ env: { PERSISTED_OPERATIONS: file, ROUTER_SECRET: ROUTER_SECRET } });
  });
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(() => stack.requests.resetUpstream());

  const byHash = (sha256Hash: string) => stack.fetch('/graphql', json({ extensions: { persistedQuery: { version: 1, sha256Hash } } }));

  it('runs a known hash', async () => {
    const response = await byHash(hash);
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
    const message = await (await byHash('0'.repeat(64))).json();
    expect(message.errors).toBeUndefined();
    expect(stack.requests.upstream()).toHaveLength(1);
  });

  it('refuses an unknown hash and arbitrary documents, with no upstream call', async () => {
    const unknown = await (await byHash('f'.repeat(64))).json();
    expect(unknown.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const arbitrary = await stack.execute(MESSAGE);
    expect(arbitrary.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_ONLY');
    const mixed = await stack.execute('{ _service { sdl } message(workspaceId: "x", channelId: "y", messageId: "z") { text } }');
    expect(mixed.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_ONLY');
    expect(stack.requests.upstream()).toEqual([]);
  });

  it('answers gateway traffic (_service, _entities) from the router only, proven by ROUTER_SECRET (test/security/router-proof.test.ts)', async () => {
    const router = { headers: { 'x-router-secret': ROUTER_SECRET } };
    const service = await stack.execute<{ _service: { sdl: string } }>('{ _service { sdl } }', undefined, router);
    expect(service.data?._service.sdl).toContain('type Channel');
    const entities = await stack.execute(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Channel { channelId } } }',
      { r: [{ __typename: 'Channel', workspaceId: WS, channelId: SMS }] },
      router,
    );
    expect(entities).toEqual({ data: { _entities: [{ channelId: SMS }] } });
    expect((await stack.execute('{ _service { sdl } }')).errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_ONLY');
  });

  it('the committed safelist is what scripts/persisted-operations.ts produces from test/gql', async () => {
    const { persistedOperations } = await import('../../scripts/persisted-operations.ts');
    const { readFileSync, readdirSync } = await import('node:fs');
    const sources = readdirSync('test/gql').filter((f) => f.endsWith('.graphql')).sort().map((f) => readFileSync(join('test/gql', f), 'utf8'));
    expect(JSON.parse(readFileSync('persisted-operations.json', 'utf8'))).toEqual(persistedOperations(sources));
  });
});
