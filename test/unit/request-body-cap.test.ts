// useRequestBodyCap (src/limits.ts): yoga's maxRequestBodySize answers, without wrapping bodies that Content-Length bounds.
import { GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { useRequestBodyCap } from '../../src/limits.ts';

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: 'Query', fields: { echo: { type: GraphQLString, args: { text: { type: GraphQLString } }, resolve: (_, { text }) => text } } }),
});
const LIMIT = 200;
const yoga = createYoga({ schema, maxRequestBodySize: false, logging: false, plugins: [useRequestBodyCap(LIMIT)] });

const bodyOf = (length: number) => {
  const base = JSON.stringify({ query: '{ echo(text: "") }' });
  return JSON.stringify({ query: `{ echo(text: "${'x'.repeat(Math.max(0, length - base.length))}") }` });
};

function chunked(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + 16));
      offset += 16;
    },
  });
}

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  yoga.fetch('http://localhost/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, duplex: 'half' } as RequestInit);

describe('useRequestBodyCap', () => {
  it('answers a body within the limit, with or without Content-Length', async () => {
    const text = bodyOf(LIMIT);
    expect(new TextEncoder().encode(text).length).toBe(LIMIT);
    const declared = await post(text, { 'content-length': String(LIMIT) });
    expect(declared.status).toBe(200);
    expect((await declared.json()).data.echo).toHaveLength(LIMIT - JSON.stringify({ query: '{ echo(text: "") }' }).length);
    const streamed = await post(chunked(text));
    expect(streamed.status).toBe(200);
  });

  it('refuses a declared Content-Length over the limit with 413 REQUEST_ENTITY_TOO_LARGE', async () => {
    const text = bodyOf(LIMIT + 1);
    const response = await post(text, { 'content-length': String(LIMIT + 1) });
    expect(response.status).toBe(413);
    expect((await response.json()).errors[0].extensions.code).toBe('REQUEST_ENTITY_TOO_LARGE');
  });

  it('refuses an invalid Content-Length with 400 BAD_REQUEST', async () => {
    const response = await post(bodyOf(50), { 'content-length': '50, 50' });
    expect(response.status).toBe(400);
    expect((await response.json()).errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('counts a body without Content-Length and refuses it past the limit with 413', async () => {
    const response = await post(chunked(bodyOf(LIMIT * 4)));
    expect(response.status).toBe(413);
    expect((await response.json()).errors[0].extensions.code).toBe('REQUEST_ENTITY_TOO_LARGE');
  });
});
