// The app shell through yoga.fetch: a query, /health, self-contained GraphiQL, masking, credentials and request ids.
import { GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_QUERY } from '../../src/app.ts';
import type { Context } from '../../src/context.ts';
import { TypenameDocument } from '../gql/generated.ts';
import { DEMO_KEY, type TestStack, startTestStack } from '../helpers.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A stand-in schema whose fields expose what the context holds, and one that fails unexpectedly. */
function probeSchema(): GraphQLSchema {
  return new GraphQLSchema({
    query: new GraphQLObjectType<unknown, Context>({
      name: 'Query',
      fields: {
        scheme: { type: GraphQLString, resolve: (_, __, ctx) => ctx.bird.call.credential?.scheme ?? null },
        token: { type: GraphQLString, resolve: (_, __, ctx) => ctx.bird.call.credential?.token ?? null },
        requestId: { type: GraphQLString, resolve: (_, __, ctx) => (ctx.bird.call.requestId === ctx.requestId ? ctx.requestId : 'mismatch') },
        signal: { type: GraphQLString, resolve: (_, __, ctx) => (ctx.bird.call.signal instanceof AbortSignal ? 'yes' : 'no') },
        boom: {
          type: GraphQLString,
          resolve: () => {
            throw new Error('secret internal detail at /srv/app.ts:1 http://127.0.0.1:1/workspaces');
          },
        },
      },
    }),
  });
}

const json = (query: string, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify({ query }),
});

describe('app', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answers { __typename } with a typed document', async () => {
    const result = await stack.execute(TypenameDocument);
    expect(result).toEqual({ data: { __typename: 'Query' } });
    const typename: 'Query' | undefined = result.data?.__typename;
    expect(typename).toBe('Query');
  });

  it('runs the GraphiQL default query against the emulator without errors', async () => {
    const result = await stack.execute(DEFAULT_QUERY);
    expect(result.errors).toBeUndefined();
    expect(result.data).toMatchObject({ workspaces: { edges: expect.arrayContaining([expect.anything()]) } });
  });

  it('answers /health with 200 {status: "ok"} and no upstream call', async () => {
    stack.requests.resetUpstream();
    const response = await stack.fetch('/health');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(stack.requests.upstream()).toEqual([]);
  });

  it('serves GraphiQL from the server itself, with no CDN or external script/style', async () => {
    const response = await stack.fetch('/graphql', { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('<title>Bird GraphQL</title>');
    expect(html).toContain(JSON.stringify(DEFAULT_QUERY).slice(1, 40));
    expect(html).toMatch(/<script>/);
    // Every script and stylesheet is inline: no src/href pointing at another host, no CDN names anywhere.
    expect(html.match(/\b(?:src|href)\s*=\s*["']?(?:https?:)?\/\//gi)).toBeNull();
    expect(html).not.toMatch(/unpkg\.com|jsdelivr|cdnjs|esm\.sh|googleapis/i);
  });

  it('does not serve GraphiQL when GRAPHIQL=false', async () => {
    const off = await startTestStack({ env: { GRAPHIQL: 'false' } });
    try {
      const response = await off.fetch('/graphql', { headers: { accept: 'text/html' } });
      expect(response.status).not.toBe(200);
      expect(await response.text()).not.toContain('<html');
    } finally {
      await off.close();
    }
  });

  it('answers unknown paths with 404 and no landing page', async () => {
    const response = await stack.fetch('/nope', { headers: { accept: 'text/html' } });
    expect(response.status).toBe(404);
  });

  describe('with a probe schema', () => {
    let probe: TestStack;
    let production: TestStack;
    beforeAll(async () => {
      probe = await startTestStack({ schema: probeSchema(), authorization: null });
      production = await startTestStack({ schema: probeSchema(), authorization: null, env: { NODE_ENV: 'production' } });
    });
    afterAll(async () => {
      await probe?.close();
      await production?.close();
    });

    it('builds the context from the server key when the request brings no Authorization', async () => {
      const result = await probe.execute('{ scheme token requestId signal }');
      expect(result.data).toEqual({ scheme: 'AccessKey', token: DEMO_KEY, requestId: expect.stringMatching(UUID), signal: 'yes' });
    });

    it("forwards the caller's AccessKey or Bearer credential instead of the server key", async () => {
      expect((await probe.execute('{ scheme token }', undefined, { headers: { authorization: 'AccessKey caller-key-123' } })).data).toEqual({
        scheme: 'AccessKey',
        token: 'caller-key-123',
      });
      expect((await probe.execute('{ scheme token }', undefined, { headers: { authorization: 'bearer eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl' } })).data).toEqual({
        scheme: 'Bearer',
        token: 'eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl',
      });
    });

    it('has no credential when neither the request nor the server has one', async () => {
      const keyless = await startTestStack({ schema: probeSchema(), authorization: null, env: { BIRD_ACCESS_KEY: undefined } });
      try {
        expect((await keyless.execute('{ scheme token }')).data).toEqual({ scheme: null, token: null });
      } finally {
        await keyless.close();
      }
    });

    it.each([
      ['another scheme', 'Basic dXNlcjpwYXNzd29yZA==', 'UNKNOWN_SCHEME'],
      ['no token', 'AccessKey', 'MISSING_TOKEN'],
      ['two tokens', 'AccessKey abcdefgh ijklmnop', 'EXTRA_TOKENS'],
      ['a short token', 'AccessKey abc', 'TOKEN_TOO_SHORT'],
      ['a long token', `AccessKey ${'k'.repeat(600)}`, 'TOKEN_TOO_LONG'],
      ['bad characters', 'AccessKey key<script>alert(1)</script>', 'TOKEN_CHARACTERS'],
    ])('refuses a malformed Authorization header (%s) with 401 UNAUTHENTICATED, never echoing it', async (_, authorization, reason) => {
      probe.requests.resetUpstream();
      const response = await probe.fetch('/graphql', json('{ scheme }', { authorization }));
      expect(response.status).toBe(401);
      const body = await response.text();
      // The message says what is wrong (src/auth.ts); `reason` is the stable part.
      expect(JSON.parse(body)).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED', reason } }] });
      const token = authorization.split(' ').slice(1).join(' ');
      if (token) expect(body).not.toContain(token);
      expect(probe.requests.upstream()).toEqual([]);
    });

    it.each([
      ['test', () => probe],
      ['production', () => production],
    ])('masks unexpected errors (NODE_ENV=%s)', async (_, get) => {
      const response = await get().fetch('/graphql', json('{ requestId boom }'));
      expect(response.status).toBe(200);
      const body = await response.text();
      expect(JSON.parse(body)).toEqual({
        data: { requestId: expect.any(String), boom: null },
        errors: [{ message: 'Unexpected error.', path: ['boom'], locations: [{ line: 1, column: 13 }], extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
      });
      expect(body).not.toMatch(/secret|stack|originalError|\/srv\/|127\.0\.0\.1/);
    });

    it('echoes a well-formed x-request-id and uses it in the context', async () => {
      const response = await probe.fetch('/graphql', json('{ requestId }', { 'x-request-id': 'trace-42.a:b_c' }));
      expect(response.headers.get('x-request-id')).toBe('trace-42.a:b_c');
      expect(await response.json()).toEqual({ data: { requestId: 'trace-42.a:b_c' } });
    });

    it('replaces a malformed or missing x-request-id with a fresh UUID', async () => {
      for (const headers of [{ 'x-request-id': 'has spaces and "quotes"' }, { 'x-request-id': 'x'.repeat(200) }, {}] as Record<string, string>[]) {
        const response = await probe.fetch('/graphql', json('{ requestId }', headers));
        const id = response.headers.get('x-request-id');
        expect(id).toMatch(UUID);
        expect(await response.json()).toEqual({ data: { requestId: id } });
      }
    });

    it('sets x-request-id on every response: /health, GraphiQL, errors', async () => {
      for (const [path, init] of [
        ['/health', {}],
        ['/graphql', { headers: { accept: 'text/html' } }],
        ['/graphql', json('{ nope }')],
        ['/graphql', json('{ scheme }', { authorization: 'Basic x' })],
      ] as const) {
        const response = await probe.fetch(path, { ...init, headers: { ...init.headers, 'x-request-id': 'r-1' } });
        expect(response.headers.get('x-request-id')).toBe('r-1');
        await response.arrayBuffer();
      }
    });
  });
});
