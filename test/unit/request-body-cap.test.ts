// useBodySizeLimit (src/limits.ts): one body cap, by content type, without wrapping bodies that Content-Length bounds.
import { GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/config.ts';
import { useBodySizeLimit } from '../../src/limits.ts';

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: 'Query', fields: { echo: { type: GraphQLString, args: { text: { type: GraphQLString } }, resolve: (_, { text }) => text } } }),
});
const LIMIT = 200;
const UPLOAD_LIMIT = 1_000;
const yoga = createYoga({
  schema,
  maxRequestBodySize: false,
  logging: false,
  plugins: [
    useBodySizeLimit({
      limits: { ...DEFAULT_LIMITS, maxBodyBytes: LIMIT },
      exposeLimits: true,
      upload: { maxBytes: UPLOAD_LIMIT, message: 'The file is larger than the upload limit.' },
    }),
  ],
});

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

describe('useBodySizeLimit', () => {
  it('answers a body within the limit, with or without Content-Length', async () => {
    const text = bodyOf(LIMIT);
    expect(new TextEncoder().encode(text).length).toBe(LIMIT);
    const declared = await post(text, { 'content-length': String(LIMIT) });
    expect(declared.status).toBe(200);
    expect((await declared.json()).data.echo).toHaveLength(LIMIT - JSON.stringify({ query: '{ echo(text: "") }' }).length);
    const streamed = await post(chunked(text));
    expect(streamed.status).toBe(200);
  });

  it('refuses a declared Content-Length over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const text = bodyOf(LIMIT + 1);
    const response = await post(text, { 'content-length': String(LIMIT + 1) });
    expect(response.status).toBe(413);
    expect((await response.json()).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses an invalid Content-Length with 400 BAD_REQUEST', async () => {
    const response = await post(bodyOf(50), { 'content-length': '50, 50' });
    expect(response.status).toBe(400);
    expect((await response.json()).errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('counts a body without Content-Length and refuses it past the limit with 413', async () => {
    const response = await post(chunked(bodyOf(LIMIT * 4)));
    expect(response.status).toBe(413);
    expect((await response.json()).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('gives multipart uploads the upload limit instead, with the same code and the upload message', async () => {
    const form = (padding: number) => {
      const boundary = 'cap-test';
      const operations = JSON.stringify({ query: `{ echo(text: "${'x'.repeat(padding)}") }` });
      const text = `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${operations}\r\n--${boundary}--\r\n`;
      return { text, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
    };
    const within = form(LIMIT * 2);
    expect(within.text.length).toBeGreaterThan(LIMIT);
    expect(within.text.length).toBeLessThan(UPLOAD_LIMIT);
    const passed = await post(within.text, { ...within.headers, 'content-length': String(within.text.length) });
    expect(passed.status).toBe(200);
    expect((await passed.json()).data.echo).toHaveLength(LIMIT * 2);

    const over = form(UPLOAD_LIMIT);
    const declared = await post(over.text, { ...over.headers, 'content-length': String(over.text.length) });
    expect(declared.status).toBe(413);
    expect(declared.headers.get('connection')).toBe('close');
    expect((await declared.json()).errors[0]).toEqual({ message: 'The file is larger than the upload limit.', extensions: { code: 'PAYLOAD_TOO_LARGE' } });
  });
});
