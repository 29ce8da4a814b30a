// Malformed-input fuzzing (VERIFY.md f): tables plus fast-check with a fixed seed. Every input gets a 4xx or a coded
// GraphQL error (every error, whatever the status, carries an allowed code), never a 5xx or a crash, and nothing
// invalid reaches Bird. The generated part (at least 1,000 malformed operations and variables) counts itself.
import fc from 'fast-check';
import { type DocumentNode, Kind, type OperationDefinitionNode, getVariableValues, parse, specifiedRules, validate } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseAuthorization } from '../../src/auth.ts';
import { encodeGlobalId } from '../../src/builder.ts';
import { SEED } from '../../src/emulator/seed.ts';
import { type TestStack, startTestStack, testSchema } from '../helpers.ts';

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
  'NESTING_LIMIT_EXCEEDED',
  'INTROSPECTION_LIMIT_EXCEEDED',
  'UPLOAD_LIMIT_EXCEEDED',
  'CSRF_REJECTED',
  'UNAUTHENTICATED',
  'OPERATION_RESOLUTION_FAILURE',
  'METHOD_NOT_ALLOWED',
  'NOT_ACCEPTABLE',
  'UNSUPPORTED_MEDIA_TYPE',
  'NOT_FOUND',
]);

let stack: TestStack;
let count = 0;
/** Inputs made by fast-check (the generated part), and what they caused: 5xx answers and Bird calls (both must stay 0). */
let generated = 0;
const seen = { serverErrors: 0, birdCalls: 0 };

beforeAll(async () => {
  // Production: generic messages, no GraphiQL, introspection off, the limits we ship.
  stack = await startTestStack({ env: { NODE_ENV: 'production' }, emulator: { rateLimits: false } });
});
afterAll(async () => {
  await stack.close();
  // The done-when bar: at least 1,000 generated malformed operations and variables, 0 5xx, 0 Bird calls.
  console.log(`fuzz: ${count} malformed inputs, ${generated} generated; ${seen.serverErrors} 5xx, ${seen.birdCalls} Bird calls`);
  expect(count).toBeGreaterThanOrEqual(1_300);
  expect(generated).toBeGreaterThanOrEqual(1_000);
  expect(seen).toEqual({ serverErrors: 0, birdCalls: 0 });
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
  if (response.status >= 500) seen.serverErrors++;
  const calls = stack.requests.upstream().filter((entry) => !allowRoutes.includes(entry.route));
  seen.birdCalls += calls.length;
  expect(response.status, text.slice(0, 300)).toBeLessThan(500);
  expect(text).not.toMatch(/Did you mean|"stack"|INTERNAL_SERVER_ERROR|Unexpected error|originalError/);
  // Every refusal is JSON with coded errors, whatever its status (a HEAD answer has no body).
  if (rest.method !== 'HEAD') {
    const body = JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] };
    expect(body.errors?.length, text.slice(0, 300)).toBeGreaterThan(0);
    for (const error of body.errors!) expect(ALLOWED_CODES, text.slice(0, 300)).toContain(error.extensions?.code);
  }
  expect(calls).toEqual([]);
}

/** rejects(), for an input fast-check made. */
async function rejectsGenerated(init: RequestInit & { path?: string }): Promise<void> {
  generated++;
  await rejects(init);
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
        await rejectsGenerated(post(MESSAGE_BY_IDS, { ws: WS, ch: id, msg: MSG.id }));
      }),
      SEEDS,
    );
  });

  it('fast-check: arbitrary global IDs (raw and type-prefixed)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 60, unit: 'grapheme' }), fc.boolean(), async (text, wrap) => {
        await rejectsGenerated(post(NODE, { id: wrap ? encodeGlobalId('Message', text) : text }));
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
        await rejectsGenerated(post(query));
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
        await rejectsGenerated({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });
      }),
      SEEDS,
    );
  });
});

describe('generated malformed operations and variables (at least 1,000)', () => {
  const schema = testSchema();
  const GENERATED = { seed: 20_261_201, numRuns: 250 } as const;
  const TIMEOUT = 180_000;

  /** Valid operations of every shape the graph serves, to break in every way. */
  const VALID = [
    `query OneMessage { message(workspaceId: "${WS}", channelId: "${MSG.channelId}", messageId: "${MSG.id}") { messageId text status createdAt } }`,
    `{ workspace(workspaceId: "${WS}") { name channels(first: 5, filter: { platforms: [SMS] }) { edges { node { channelId name messages(first: 2) { edges { cursor node { text } } } } } } } }`,
    `query ($id: ID!) { node(id: $id) { id ... on Channel { name } } }`,
    `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Contact { contactId displayName } } }`,
    `mutation { sendMessage(input: { workspaceId: "${WS}", channelId: "${SMS}", receivers: [{ identifierValue: "+31600000001" }], content: { body: { text: { text: "hi" } } } }) { __typename ... on SendMessagePayload { reference } } }`,
    `fragment F on Message { messageId } query Q { message(workspaceId: "${WS}", channelId: "${MSG.channelId}", messageId: "${MSG.id}") { ...F interactions(first: 3) { edges { node { type } } } } }`,
  ];
  const PUNCTUATION = [...'{}()[]:$!@."\\#,=&|\'`\n\t\u0000\u2028'];

  /** Whether graphql-js alone already refuses the document (so the server must, before any call). */
  function malformed(query: string): boolean {
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch {
      return true;
    }
    return validate(schema, document, specifiedRules).length > 0;
  }

  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...PUNCTUATION, 'x', '99999999999999999999', '"\\u{D800}"', '__schema', '...F', '@skip', '$v') }),
    fc.record({ kind: fc.constant('rename' as const), at: fc.nat(), name: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,10}$/) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }), times: fc.integer({ min: 2, max: 6 }) }),
  );
  type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

  function mutate(query: string, steps: Mutation[]): string {
    let text = query;
    for (const step of steps) {
      const at = step.at % Math.max(1, text.length);
      if (step.kind === 'delete') text = text.slice(0, at) + text.slice(at + step.length);
      else if (step.kind === 'insert') text = text.slice(0, at) + step.text + text.slice(at);
      else if (step.kind === 'truncate') text = text.slice(0, at);
      else if (step.kind === 'repeat') text = text.slice(0, at) + text.slice(at, at + step.length).repeat(step.times) + text.slice(at);
      else {
        // Replace the name under `at` with another one: an unknown field, argument, type or fragment.
        const start = text.slice(0, at).search(/[A-Za-z_][A-Za-z0-9_]*$/);
        const from = start < 0 ? at : start;
        const end = from + (/^[A-Za-z0-9_]*/.exec(text.slice(from))?.[0].length ?? 0);
        text = text.slice(0, from) + step.name + text.slice(end);
      }
    }
    return text;
  }

  it('mutated documents: deleted, inserted, renamed, truncated and repeated text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...VALID), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (query, steps) => {
        const broken = mutate(query, steps);
        fc.pre(malformed(broken));
        await rejectsGenerated(post(broken, { id: 'x', r: [{ __typename: 'Contact', workspaceId: WS, contactId: 'nope' }] }));
      }),
      { ...GENERATED, numRuns: 350 },
    );
  }, TIMEOUT);

  it('nesting past MAX_NESTING, in the document and in the variables, by any bracket', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 65, max: 4_000 }), fc.constantFrom('{', '(', '['), fc.boolean(), async (depth, bracket, inVariables) => {
        const close = { '{': '}', '(': ')', '[': ']' }[bracket];
        if (inVariables) {
          const value = `${'['.repeat(depth)}1${']'.repeat(depth)}`;
          await rejectsGenerated({ method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"query":${JSON.stringify(MESSAGE_BY_IDS)},"variables":{"ws":${value}}}` });
        } else {
          await rejectsGenerated(post(`{ ${`f${bracket} `.repeat(depth)}x${` ${close}`.repeat(depth)} }`));
        }
      }),
      { ...GENERATED, numRuns: 100 },
    );
  }, TIMEOUT);

  /** An operation and generated variables that graphql-js refuses to coerce (checked here, so each one is malformed). */
  function uncoercible(query: string, variables: Record<string, unknown>): boolean {
    const operation = parse(query).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
    return getVariableValues(schema, operation.variableDefinitions ?? [], variables).errors !== undefined;
  }
  const anyValue = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  );
  const uuidOrJunk = fc.oneof(fc.constant(WS), fc.uuid(), anyValue);

  const TYPED: [string, string, fc.Arbitrary<Record<string, unknown>>][] = [
    ['message ids', MESSAGE_BY_IDS, fc.record({ ws: uuidOrJunk, ch: uuidOrJunk, msg: uuidOrJunk })],
    [
      'a send',
      'mutation ($input: SendMessageInput!) { sendMessage(input: $input) { __typename } }',
      fc.record({
        input: fc.oneof(
          anyValue,
          fc.record(
            {
              workspaceId: uuidOrJunk,
              channelId: uuidOrJunk,
              receivers: fc.oneof(anyValue, fc.array(fc.record({ identifierValue: anyValue, identifierKey: anyValue }, { requiredKeys: [] }), { maxLength: 3 })),
              content: fc.oneof(anyValue, fc.record({ body: anyValue, template: anyValue }, { requiredKeys: [] })),
              tags: anyValue,
              scheduledFor: anyValue,
            },
            { requiredKeys: [] },
          ),
        ),
      }),
    ],
    [
      'channel filters',
      'query ($ws: UUID!, $f: ChannelFilter, $n: Int) { workspace(workspaceId: $ws) { channels(first: $n, filter: $f) { edges { node { name } } } } }',
      fc.record({ ws: uuidOrJunk, f: fc.oneof(anyValue, fc.record({ platforms: anyValue, status: anyValue, platformIds: anyValue }, { requiredKeys: [] })), n: fc.oneof(fc.integer(), anyValue) }),
    ],
    ['a node id', 'query ($id: ID!) { node(id: $id) { id } }', fc.record({ id: fc.oneof(fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string()), fc.object()) })],
  ];

  it.each(TYPED)('variables that do not coerce: %s', async (_name, query, variables) => {
    await fc.assert(
      fc.asyncProperty(variables, async (values) => {
        fc.pre(uncoercible(query, values));
        await rejectsGenerated(post(query, values));
      }),
      { ...GENERATED, numRuns: 120 },
    );
  }, TIMEOUT);

  it('malformed Authorization headers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('AccessKey', 'Bearer', 'accesskey', 'Basic', 'Token', ''),
        fc.string({ maxLength: 40, unit: fc.constantFrom(...'abcXYZ019._~+/-="<> \t\\,;:@'.split('')) }),
        async (scheme, token) => {
          const header = `${scheme} ${token}`.trim();
          let refused = false;
          try {
            parseAuthorization(header);
          } catch {
            refused = true;
          }
          fc.pre(refused);
          await rejectsGenerated({ ...post(MESSAGE_BY_IDS, { ws: WS, ch: MSG.channelId, msg: MSG.id }), headers: { 'content-type': 'application/json', authorization: header } });
        },
      ),
      { ...GENERATED, numRuns: 100 },
    );
  }, TIMEOUT);

  it('wrong methods, content types and bodies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('PUT', 'PATCH', 'DELETE', 'POST'),
        fc.constantFrom('application/xml', 'text/html', 'image/png', 'application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=b', 'application/json; charset=latin1'),
        fc.string({ maxLength: 200 }),
        async (method, contentType, body) => {
          fc.pre(!(method === 'POST' && contentType.startsWith('application/json')));
          await rejectsGenerated({ method, headers: { 'content-type': contentType }, body });
        },
      ),
      { ...GENERATED, numRuns: 100 },
    );
  }, TIMEOUT);
});
