// Malformed-input fuzzing (VERIFY.md f): tables plus fast-check with a fixed seed. Every input gets a 4xx or a coded
// GraphQL error, never a 5xx or a crash, and nothing invalid reaches Bird.
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../../src/builder.ts';
import { SEED } from '../../src/emulator/seed.ts';
import { type TestStack, startTestStack } from '../helpers.ts';

const WS = SEED.workspaces.main.id;
const SMS = SEED.channels.sms.id;
const MSG = SEED.messages.emailWithInteractions;
const SEEDS = { seed: 20_260_405, numRuns: 60 } as const;

/** Codes an invalid input may produce; anything else (INTERNAL_SERVER_ERROR above all) fails the test. */
const ALLOWED_CODES = new Set([
  'BAD_USER_INPUT',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'DEPTH_LIMIT_EXCEEDED',
  'ALIAS_LIMIT_EXCEEDED',
  'TOKEN_LIMIT_EXCEEDED',
  'COST_LIMIT_EXCEEDED',
  'UPSTREAM_BUDGET_EXCEEDED',
  'PAYLOAD_TOO_LARGE',
]);

let stack: TestStack;
let count = 0;

beforeAll(async () => {
  // Production: generic messages, no GraphiQL, introspection off, the limits we ship.
  stack = await startTestStack({ env: { NODE_ENV: 'production' }, emulator: { rateLimits: false } });
});
afterAll(async () => {
  await stack.close();
  // The done-when bar: at least 300 malformed inputs across this file.
  console.log(`fuzz: ${count} malformed inputs`);
  expect(count).toBeGreaterThanOrEqual(300);
});
beforeEach(() => stack.requests.resetUpstream());

/** Sends one malformed request and checks the invariants; the upstream log must stay empty (or only `allowRoutes`). */
async function rejects(init: RequestInit & { path?: string }, allowRoutes: string[] = []): Promise<void> {
  count++;
  stack.requests.resetUpstream();
  const { path = '/graphql', ...rest } = init;
  const headers = new Headers(rest.headers);
  if (!headers.has('authorization')) headers.set('authorization', `AccessKey ${SEED.accessKeys.demo}`);
  const response = await stack.fetch(path, { ...rest, headers });
  const text = await response.text();
  expect(response.status, text.slice(0, 300)).toBeLessThan(500);
  expect(text).not.toMatch(/Did you mean|"stack"|INTERNAL_SERVER_ERROR|Unexpected error/);
  if (response.status === 200) {
    const body = JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] };
    expect(body.errors?.length, text.slice(0, 300)).toBeGreaterThan(0);
    for (const error of body.errors!) expect(ALLOWED_CODES, text.slice(0, 300)).toContain(error.extensions?.code);
  }
  expect(stack.requests.upstream().filter((entry) => !allowRoutes.includes(entry.route))).toEqual([]);
}

const post = (query: string, variables?: unknown, extra: Record<string, unknown> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'application/json' },
  body: JSON.stringify({ query, variables, ...extra }),
});

const MESSAGE_BY_IDS = 'query ($ws: UUID!, $ch: UUID!, $msg: UUID!) { message(workspaceId: $ws, channelId: $ch, messageId: $msg) { text } }';
const NODE = 'query ($id: ID!) { node(id: $id) { id } }';
const NODES = 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }';

const BAD_IDS = [
  '',
  '.',
  '..',
  '%2e%2e',
  '%2E%2E',
  '../x',
  '..%2f..%2fmessages',
  'a/b',
  'a%2Fb',
  'a?b=c',
  'a#b',
  'x'.repeat(10_000),
  'ü-ñ-😀',
  'a\u0000b',
  'a\r\nx-injected: 1',
  ' 00000000-0000-4000-8000-000000000001',
  '00000000-0000-4000-8000-00000000000g',
  '00000000000040008000000000000001',
];

describe('ids', () => {
  it.each(BAD_IDS.map((id) => [id.slice(0, 40), id]))('raw UUID arguments refuse %j in every position', async (_label, id) => {
    await rejects(post(MESSAGE_BY_IDS, { ws: id, ch: MSG.channelId, msg: MSG.id }));
    await rejects(post(MESSAGE_BY_IDS, { ws: WS, ch: id, msg: MSG.id }));
    await rejects(post(MESSAGE_BY_IDS, { ws: WS, ch: MSG.channelId, msg: id }));
    await rejects(post(`{ channel(workspaceId: ${JSON.stringify(id)}, channelId: "${SMS}") { name } }`));
  });

  it.each(BAD_IDS.map((id) => [id.slice(0, 40), id]))('global IDs refuse %j raw and wrapped', async (_label, id) => {
    await rejects(post(NODE, { id }));
    await rejects(post(NODE, { id: encodeGlobalId('Message', `${WS}:${MSG.channelId}:${id}`) }));
    await rejects(post(NODE, { id: encodeGlobalId('Channel', `${id}:${SMS}`) }));
  });

  it('global IDs of the wrong type, part count or an unknown type', async () => {
    for (const id of [
      encodeGlobalId('Message', `${WS}:${MSG.channelId}`),
      encodeGlobalId('Message', `${WS}:${MSG.channelId}:${MSG.id}:extra`),
      encodeGlobalId('Channel', SMS),
      encodeGlobalId('Query', 'x'),
      encodeGlobalId('PageInfo', `${WS}:${SMS}`),
      encodeGlobalId('', `${WS}:${SMS}`),
      Buffer.from(`Channel:${WS}:${SMS}`).toString('base64') + '!!',
    ]) {
      await rejects(post(NODE, { id }));
      await rejects(post(NODES, { ids: [id] }));
    }
  });

  it('fast-check: arbitrary strings as UUID arguments', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 80, unit: 'binary' }), async (id) => {
        await rejects(post(MESSAGE_BY_IDS, { ws: WS, ch: id, msg: MSG.id }));
      }),
      SEEDS,
    );
  });

  it('fast-check: arbitrary global IDs (raw and type-prefixed)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 60, unit: 'grapheme' }), fc.boolean(), async (text, wrap) => {
        await rejects(post(NODE, { id: wrap ? encodeGlobalId('Message', text) : text }));
      }),
      SEEDS,
    );
  });
});

describe('cursors and page sizes', () => {
  const PAGE = 'query ($ws: UUID!, $ch: UUID!, $after: String, $before: String, $first: Int, $last: Int) { message(workspaceId: $ws, channelId: $ch, messageId: "' + MSG.id + '") { channel { messages(first: $first, after: $after, last: $last, before: $before) { edges { cursor } } } } }';
  const list = ['GET /workspaces/:ws/channels/:ch/messages/:msg', 'GET /workspaces/:ws/channels'];
  const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
  const BAD_CURSORS = [
    '',
    'not base64!',
    b64('not json'),
    b64(['c2', 'f', null, 0]),
    b64(['c1', 'x', null, 0]),
    b64(['c1', 'f', null, -1]),
    b64(['c1', 'f', null, 1_000_000]),
    b64(['c1', 'f', 7, 0]),
    b64({ v: 'c1' }),
    b64(['c1', 'f', 'x'.repeat(9_000), 0]),
    'x'.repeat(9_000),
  ];
  it.each(BAD_CURSORS.map((c) => [c.slice(0, 30), c]))('after/before %j', async (_label, cursor) => {
    // The parents (message, its channel) are fetched; the messages list never is.
    await rejects(post(PAGE, { ws: WS, ch: MSG.channelId, first: 2, after: cursor }), list);
    await rejects(post(PAGE, { ws: WS, ch: MSG.channelId, last: 2, before: cursor }), list);
  });

  it.each([
    [{ first: -1 }],
    [{ first: 101 }],
    [{ last: 101 }],
    [{ first: 2, last: 2 }],
    [{ first: 'ten' }],
    [{ first: 2.5 }],
    [{ first: 2 ** 40 }],
  ])('page arguments %j', async (args) => {
    await rejects(post(PAGE, { ws: WS, ch: MSG.channelId, ...args }), list);
  });

  it('fast-check: random cursor text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 120, unit: 'binary-ascii' }), async (cursor) => {
        await rejects(post(PAGE, { ws: WS, ch: MSG.channelId, first: 2, after: cursor }), list);
      }),
      SEEDS,
    );
  });
});

describe('@oneOf inputs of sendMessage', () => {
  const SEND = 'mutation ($input: SendMessageInput!) { sendMessage(input: $input) { __typename } }';
  const base = { workspaceId: WS, channelId: SMS, receivers: [{ identifierValue: SEED.contacts[0]!.phone }] };
  const shapes: unknown[] = [
    {},
    { body: { text: { text: 'a' } }, template: { name: 'x' } },
    { body: null },
    { body: {} },
    { body: { text: { text: 'a' }, html: { html: '<b>a</b>' } } },
    { body: { text: null } },
    { template: null },
    'text',
    [],
  ];
  it.each(shapes.map((content) => [JSON.stringify(content), content]))('content %s via variables', async (_label, content) => {
    await rejects(post(SEND, { input: { ...base, content } }));
  });
  it.each([
    '{}',
    '{ body: { text: { text: "a" } }, template: { name: "x" } }',
    '{ body: null }',
    '{ body: { text: { text: "a" }, image: { images: [] } } }',
  ])('content %s inline', async (content) => {
    await rejects(post(`mutation { sendMessage(input: { workspaceId: "${WS}", channelId: "${SMS}", receivers: [{ identifierValue: "+31600000001" }], content: ${content} }) { __typename } }`));
  });
  it('a huge text (1 MB) is refused by the body limit', async () => {
    await rejects(post(SEND, { input: { ...base, content: { body: { text: { text: 'x'.repeat(1024 * 1024) } } } } }));
  });
});

describe('shape of the operation', () => {
  it('50 levels deep, 1,000 aliases, 100k tokens, wide and cyclic fragments', async () => {
    await rejects(post(`{ channel(workspaceId: "${WS}", channelId: "${SMS}") { ${'messages(first: 1) { edges { node { channel { '.repeat(13)}name${' } } } }'.repeat(13)} } }`));
    await rejects(post(`{ ${Array.from({ length: 1_000 }, (_, i) => `a${i}: workspace(workspaceId: "${WS}") { name }`).join(' ')} }`));
    await rejects(post(`{ ${'__typename '.repeat(100_000)}}`));
    await rejects(post(`{ ${Array.from({ length: 200 }, (_, i) => `c${i}: channel(workspaceId: "${WS}", channelId: "${SMS}") { messages(first: 100) { edges { node { text } } } }`).join(' ')} }`));
    await rejects(post('query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }'));
    await rejects(post(`{ workspaces(first: 100) { edges { node { channels(first: 100) { edges { node { messages(first: 100) { edges { node { text } } } } } } } } } }`));
  });

  it('fast-check: random query text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200, unit: fc.constantFrom(...'{}()[]:$!@."\\ \n#abcAZ_09,=&|'.split('')) }), async (query) => {
        await rejects(post(query));
      }),
      SEEDS,
    );
  });
});

describe('transport', () => {
  const query = MESSAGE_BY_IDS;
  it.each([
    ['batched array', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ query }, { query }]) }],
    ['empty body', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '' }],
    ['invalid JSON', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' }],
    ['JSON null', { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'null' }],
    ['JSON number', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '42' }],
    ['query not a string', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 7 }) }],
    ['variables not an object', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables: '[1]' }) }],
    ['variables an array', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables: [] }) }],
    ['extensions a string', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, extensions: 'x' }) }],
    ['operationName unknown', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, operationName: 'Nope' }) }],
    ['text/plain', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query }) }],
    ['form-urlencoded', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `query=${encodeURIComponent(query)}` }],
    ['xml', { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<query/>' }],
    ['no content type', { method: 'POST', body: JSON.stringify({ query }) }],
    ['GET mutation', { method: 'GET', path: `/graphql?query=${encodeURIComponent('mutation { sendMessage(input: {}) { __typename } }')}`, headers: { 'x-graphql-yoga-csrf': '1' } }],
    ['GET without CSRF header', { method: 'GET', path: `/graphql?query=${encodeURIComponent('{ __typename }')}` }],
    ['PUT', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) }],
    ['DELETE', { method: 'DELETE' }],
    ['over MAX_BODY_BYTES', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables: { pad: 'x'.repeat(512 * 1024) } }) }],
    ['malformed Authorization', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'AccessKey' }, body: JSON.stringify({ query: '{ __typename }' }) }],
    ['Authorization with CR/LF junk', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer a b c' }, body: JSON.stringify({ query: '{ __typename }' }) }],
  ] as [string, RequestInit & { path?: string }][])('%s', async (_name, init) => {
    await rejects(init);
  });

  it('fast-check: arbitrary JSON bodies', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (value) => {
        await rejects({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });
      }),
      SEEDS,
    );
  });
});
