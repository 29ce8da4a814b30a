// A code on every error: variable coercion, CSRF, body, JSON, content type, method and Authorization refusals, each
// with its `extensions.code` and HTTP status, never an echo of the request body, and 0 calls to Bird.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseAuthorization } from '../../src/auth.ts';
import { SEED } from '../../src/emulator/seed.ts';
import { type TestStack, startTestStack } from '../helpers.ts';

const WS = SEED.workspaces.main.id;
const SMS = SEED.channels.sms.id;
const KEY = SEED.accessKeys.demo;

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  errors: { message: string; extensions?: Record<string, unknown> }[];
}

let dev: TestStack;
let production: TestStack;
beforeAll(async () => {
  dev = await startTestStack({ env: { NODE_ENV: 'development' } });
  production = await startTestStack({ env: { NODE_ENV: 'production' } });
});
afterAll(async () => {
  await dev?.close();
  await production?.close();
});
beforeEach(() => {
  dev.requests.resetUpstream();
  production.requests.resetUpstream();
});

async function send(stack: TestStack, path: string, init: RequestInit): Promise<Answer> {
  const headers = new Headers(init.headers);
  if (!headers.has('authorization')) headers.set('authorization', `AccessKey ${KEY}`);
  const response = await stack.fetch(path, { ...init, headers });
  const text = await response.text();
  let errors: Answer['errors'] = [];
  try {
    errors = (JSON.parse(text) as { errors?: Answer['errors'] }).errors ?? [];
  } catch {
    errors = [];
  }
  return { status: response.status, headers: response.headers, text, errors };
}

const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

const codes = (answer: Answer) => answer.errors.map((error) => error.extensions?.code);

describe('variable coercion errors are BAD_USER_INPUT (400), as the same mistake inline is coded', () => {
  const WORKSPACE = 'query ($w: UUID!) { workspace(workspaceId: $w) { name } }';
  const PLATFORMS = `query ($p: [Platform!]) { workspace(workspaceId: "${WS}") { channels(first: 1, filter: { platforms: $p }) { edges { node { name } } } } }`;
  const SEND = 'mutation ($input: SendMessageInput!) { sendMessage(input: $input) { __typename } }';
  const receivers = [{ identifierValue: SEED.contacts[0]!.phone }];
  const cases: [string, string, Record<string, unknown>][] = [
    ['a non-UUID', WORKSPACE, { w: 'not-a-uuid' }],
    ['a missing required variable', WORKSPACE, {}],
    ['null for a non-null variable', WORKSPACE, { w: null }],
    ['a bad enum value', PLATFORMS, { p: ['TELEGRAPH'] }],
    ['an enum value of the wrong type', PLATFORMS, { p: [7] }],
    [
      'a @oneOf with two kinds',
      SEND,
      { input: { workspaceId: WS, channelId: SMS, receivers, content: { body: { text: { text: 'a' } }, template: { name: 'x' } } } },
    ],
    ['a @oneOf with none', SEND, { input: { workspaceId: WS, channelId: SMS, receivers, content: {} } }],
  ];
  it.each(cases)('%s', async (_name, query, variables) => {
    for (const stack of [dev, production]) {
      const answer = await send(stack, '/graphql', json({ query, variables }));
      expect(answer.status, answer.text).toBe(400);
      expect(codes(answer), answer.text).toEqual(answer.errors.map(() => 'BAD_USER_INPUT'));
      expect(answer.errors.length).toBeGreaterThan(0);
      expect(answer.errors[0]!.message).toMatch(/^Variable "\$\w+"/);
      expect(stack.requests.upstream()).toEqual([]);
    }
  });

  it('with introspection off (production), a coercion error names no enum value ("Did you mean …?" hidden)', async () => {
    const query = `query ($f: ChannelFilter) { workspace(workspaceId: "${WS}") { channels(first: 1, filter: $f) { edges { node { name } } } } }`;
    const hidden = await send(production, '/graphql', json({ query, variables: { f: { status: 'FAILD' } } }));
    expect(codes(hidden)).toEqual(['BAD_USER_INPUT']);
    expect(hidden.text).not.toMatch(/Did you mean|FAILED/);
    const shown = await send(dev, '/graphql', json({ query, variables: { f: { status: 'FAILD' } } }));
    expect(shown.text).toMatch(/Did you mean the enum value/);
  });

  it('an unknown operationName is OPERATION_RESOLUTION_FAILURE', async () => {
    const answer = await send(dev, '/graphql', json({ query: 'query A { __typename }', operationName: 'B' }));
    expect(answer.status).toBe(400);
    expect(codes(answer)).toEqual(['OPERATION_RESOLUTION_FAILURE']);
  });
});

describe('early HTTP errors carry a code', () => {
  const query = encodeURIComponent('{ __typename }');
  const cases: [string, string, RequestInit, number, string][] = [
    ['CSRF: GET without the header', `/graphql?query=${query}`, { method: 'GET', headers: { accept: 'application/json' } }, 403, 'CSRF_REJECTED'],
    ['CSRF: text/plain POST', '/graphql', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"query":"{ __typename }"}' }, 403, 'CSRF_REJECTED'],
    [
      'CSRF: form POST',
      '/graphql',
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `query=${query}` },
      403,
      'CSRF_REJECTED',
    ],
    [
      'CSRF: multipart POST',
      '/graphql',
      { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: '--x--\r\n' },
      403,
      'CSRF_REJECTED',
    ],
    ['CSRF: DELETE', '/graphql', { method: 'DELETE' }, 403, 'CSRF_REJECTED'],
    ['body too large', '/graphql', json({ query: '{ __typename }', variables: { pad: 'x'.repeat(300 * 1024) } }), 413, 'PAYLOAD_TOO_LARGE'],
    ['invalid Content-Length', '/graphql', json('{}', { 'content-length': '1,2' }), 400, 'BAD_REQUEST'],
    ['bad JSON', '/graphql', json('{"query": '), 400, 'BAD_REQUEST'],
    ['JSON null', '/graphql', json('null'), 400, 'BAD_REQUEST'],
    ['a batch', '/graphql', json([{ query: '{ __typename }' }]), 400, 'BAD_REQUEST'],
    // yoga answers these spec errors 200 to an application/json client (GraphQL over HTTP), still coded.
    ['no query', '/graphql', json({}), 200, 'BAD_REQUEST'],
    ['query not a string', '/graphql', json({ query: 7 }), 400, 'BAD_REQUEST'],
    ['wrong content type', '/graphql', { method: 'POST', headers: { 'content-type': 'application/xml', 'x-graphql-yoga-csrf': '1' }, body: '<q/>' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['method not allowed', '/graphql', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' }, 405, 'BAD_REQUEST'],
    [
      'a mutation over GET',
      `/graphql?query=${encodeURIComponent('mutation { __typename }')}`,
      { method: 'GET', headers: { 'x-graphql-yoga-csrf': '1', accept: 'application/json' } },
      405,
      'BAD_REQUEST',
    ],
    ['nothing acceptable', '/graphql', json({ query: '{ __typename }' }, { accept: 'image/png' }), 406, 'NOT_ACCEPTABLE'],
    ['a parse error', '/graphql', json({ query: '{ __typename ' }), 200, 'GRAPHQL_PARSE_FAILED'],
  ];
  it.each(cases)('%s', async (_name, path, init, status, code) => {
    for (const stack of [dev, production]) {
      const answer = await send(stack, path, init);
      expect(answer.status, answer.text).toBe(status);
      expect(codes(answer), answer.text).toEqual([code]);
      expect(answer.headers.get('content-type')).toMatch(/json/);
      expect(stack.requests.upstream()).toEqual([]);
    }
  });

  it('a JSON parse error never echoes the request body (extensions.originalError), in production or development', async () => {
    const body = '{"query": "{ __typename }", "variables": {"secret": "s3cr3t-value"';
    for (const stack of [production, dev]) {
      const answer = await send(stack, '/graphql', json(body));
      expect(answer.status).toBe(400);
      expect(answer.errors).toEqual([{ message: 'POST body sent invalid JSON.', extensions: { code: 'BAD_REQUEST' } }]);
      expect(answer.text).not.toContain('s3cr3t');
      expect(answer.text).not.toContain('originalError');
    }
  });
});

describe('Authorization follows Bird: AccessKey or Bearer, and the message says what is wrong', () => {
  const refused: [string, string, string, RegExp][] = [
    ['Bearer abc', 'Bearer abc', 'TOKEN_TOO_SHORT', /too short \(3 characters\).*at least 8/],
    ['AccessKey abc', 'AccessKey abc', 'TOKEN_TOO_SHORT', /AccessKey key is too short/],
    ['Basic credentials', 'Basic dXNlcjpwYXNzd29yZA==', 'UNKNOWN_SCHEME', /"Basic" scheme/],
    ['a key without a scheme', KEY, 'UNKNOWN_SCHEME', /no scheme Bird knows/],
    ['a scheme without a key', 'Bearer', 'MISSING_TOKEN', /Bearer scheme but no key/],
    ['two values', `AccessKey ${KEY} extra`, 'EXTRA_TOKENS', /more than one value/],
    ['quotes around the key', `Bearer "${KEY}"`, 'TOKEN_CHARACTERS', /characters a Bird key never has/],
    ['a too long key', `Bearer ${'k'.repeat(600)}`, 'TOKEN_TOO_LONG', /too long \(600 characters\)/],
  ];
  it.each(refused)('%s → 401 UNAUTHENTICATED with its reason, 0 calls, the value never echoed', async (_name, header, reason, message) => {
    const answer = await send(dev, '/graphql', json({ query: `{ workspace(workspaceId: "${WS}") { name } }` }, { authorization: header }));
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe('AccessKey, Bearer');
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors[0]!.extensions).toEqual({ code: 'UNAUTHENTICATED', reason });
    expect(answer.errors[0]!.message).toMatch(message);
    expect(answer.errors[0]!.message).not.toMatch(/expected "?Bearer <token>/);
    expect(answer.text).not.toContain(KEY);
    expect(dev.requests.upstream()).toEqual([]);
  });

  it('accepts both schemes in any case, with tabs or runs of spaces, and a JWT as a Bearer', () => {
    expect(parseAuthorization(`Bearer ${KEY}`)).toEqual({ scheme: 'Bearer', token: KEY });
    expect(parseAuthorization(`accesskey   ${KEY}`)).toEqual({ scheme: 'AccessKey', token: KEY });
    expect(parseAuthorization(`BEARER\t${KEY}`)).toEqual({ scheme: 'Bearer', token: KEY });
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl';
    expect(parseAuthorization(`Bearer ${jwt}`)).toEqual({ scheme: 'Bearer', token: jwt });
    expect(parseAuthorization('  ')).toBeNull();
    expect(parseAuthorization(null)).toBeNull();
  });

  it('a Bearer key reaches Bird as the caller sent it', async () => {
    const answer = await send(dev, '/graphql', json({ query: `{ workspace(workspaceId: "${WS}") { name } }` }, { authorization: `Bearer ${KEY}` }));
    expect(answer.status).toBe(200);
    expect(answer.errors).toEqual([]);
    expect(dev.requests.upstream()).toHaveLength(1);
  });
});
