// Bird client on the wire: exact headers, the streamed multipart upload, Retry-After dates, unsent POST retries and body release, against a raw node:http server.

import { once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBirdClient } from '../../src/bird/client.ts';
import type { BirdClient, CallOptions } from '../../src/bird/client.ts';
import { BirdError } from '../../src/bird/errors.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

const WS = '11111111-1111-4111-8111-111111111111';
const CH = '22222222-2222-4222-8222-222222222222';
const KEY = 'wire-test-key';
const call: CallOptions = { credential: { scheme: 'AccessKey', token: KEY } };

let server: Server;
let baseUrl: string;
let seen: Seen[] = [];
let handler: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void = (_req, res) => res.end();
const clients: BirdClient[] = [];

function client(options: Partial<Parameters<typeof createBirdClient>[0]> = {}): BirdClient {
  const created = createBirdClient({ apiUrl: baseUrl, random: () => 0, deadlineMs: 2_000, ...options });
  clients.push(created);
  return created;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  server.keepAliveTimeout = 500;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  seen = [];
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('request headers', () => {
  it('sends accept, user-agent, the credential and the request id; JSON content-type on POST', async () => {
    handler = (req, res) =>
      req.method === 'GET'
        ? json(res, 200, { id: CH, name: 'x' })
        : json(res, 202, { id: '33333333-3333-4333-8333-333333333333', status: 'accepted' });
    const bird = client({ userAgent: 'test-agent/1' });
    await bird.getChannel({ workspaceId: WS, channelId: CH }, { ...call, requestId: 'req-1' });
    await bird.sendMessage(
      { workspaceId: WS, channelId: CH, message: { receiver: { contacts: [{ identifierValue: '+31600000000' }] } } },
      { credential: { scheme: 'Bearer', token: KEY } },
    );
    expect(seen.map((s) => [s.method, s.url])).toEqual([
      ['GET', `/workspaces/${WS}/channels/${CH}`],
      ['POST', `/workspaces/${WS}/channels/${CH}/messages`],
    ]);
    expect(seen[0]!.headers).toMatchObject({
      accept: 'application/json',
      'user-agent': 'test-agent/1',
      authorization: `AccessKey ${KEY}`,
      'x-request-id': 'req-1',
    });
    expect(seen[1]!.headers).toMatchObject({ authorization: `Bearer ${KEY}`, 'content-type': 'application/json' });
    expect(seen[1]!.headers['x-request-id']).toBeUndefined();
    expect(JSON.parse(seen[1]!.body.toString())).toEqual({ receiver: { contacts: [{ identifierValue: '+31600000000' }] } });
  });

  it('refuses a malformed credential before any request', async () => {
    const bird = client();
    for (const token of ['', 'with space', 'line\r\nbreak', 'x'.repeat(5000)]) {
      await expect(
        bird.getChannel({ workspaceId: WS, channelId: CH }, { credential: { scheme: 'AccessKey', token } }),
      ).rejects.toMatchObject({ code: 'UNAUTHENTICATED', attempts: 0 });
    }
    expect(seen).toEqual([]);
  });

  it('omits an x-request-id that is not a plain token', async () => {
    handler = (_req, res) => json(res, 200, { id: CH });
    await client().getChannel({ workspaceId: WS, channelId: CH }, { ...call, requestId: 'bad\nid' });
    expect(seen[0]!.headers['x-request-id']).toBeUndefined();
  });
});

describe('uploadFile', () => {
  const upload = (uploadUrl: string) => ({
    mediaUrl: `${baseUrl}/workspaces/${WS}/media/44444444-4444-4444-8444-444444444444`,
    uploadUrl,
    uploadMethod: 'POST' as const,
    uploadFormData: { key: 'ws/44444444', policy: 'p0l1cy', 'Content-Type': 'image/png', 'x-amz-signature': 'sig' },
  });

  it('streams a multipart form (fields in order, then the file) without the Authorization header', async () => {
    handler = (_req, res) => {
      res.writeHead(204);
      res.end();
    };
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251));
    const source = Readable.from([bytes.subarray(0, 30_000), bytes.subarray(30_000)]);
    await client().uploadFile(
      { upload: upload(`${baseUrl}/bucket?x=1`), body: source, filename: 'a "q".png', contentType: 'image/png', size: bytes.length },
      call,
    );
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request!.url).toBe('/bucket?x=1');
    expect(request!.headers.authorization).toBeUndefined();
    expect(request!.headers['content-length']).toBe(String(request!.body.length));
    const form = await new Response(new Uint8Array(request!.body), {
      headers: { 'content-type': request!.headers['content-type']! },
    }).formData();
    expect([...form.keys()]).toEqual(['key', 'policy', 'Content-Type', 'x-amz-signature', 'file']);
    expect(form.get('policy')).toBe('p0l1cy');
    const file = form.get('file') as File;
    expect(file.name).toBe('a "q".png'); // escaped as %22 on the wire, decoded by the parser
    expect(request!.body.includes('filename="a %22q%22.png"')).toBe(true);
    expect(file.type).toBe('image/png');
    expect(Buffer.from(await file.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('sends chunked when the size is unknown, and maps a storage error', async () => {
    handler = (_req, res) => {
      res.writeHead(403, { 'content-type': 'application/xml' });
      res.end('<Error><Code>AccessDenied</Code></Error>');
    };
    async function* chunks() {
      yield new Uint8Array([1, 2, 3]);
    }
    const error = await client()
      .uploadFile({ upload: upload(`${baseUrl}/bucket`), body: chunks(), filename: 'f.bin', contentType: 'application/octet-stream' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BirdError);
    expect(error).toMatchObject({ code: 'FORBIDDEN', status: 403, route: '{uploadUrl}', attempts: 1 });
    expect(seen[0]!.headers['transfer-encoding']).toBe('chunked');
  });

  it('refuses other schemes, credentials in the URL and header injection in the content type', async () => {
    const bird = client();
    const file = new Uint8Array([1]);
    for (const uploadUrl of ['ftp://example.com/x', 'not a url', `http://user:pw@127.0.0.1:1/x`, 'file:///etc/passwd']) {
      await expect(
        bird.uploadFile({ upload: upload(uploadUrl), body: file, filename: 'f', contentType: 'image/png' }),
      ).rejects.toMatchObject({ code: 'INVALID_ID', attempts: 0 });
    }
    await expect(
      bird.uploadFile({ upload: upload(`${baseUrl}/b`), body: file, filename: 'f', contentType: 'image/png\r\nX-Evil: 1' }),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST', attempts: 0 });
    expect(seen).toEqual([]);
  });
});

describe('retries on the wire', () => {
  it('honours Retry-After given as an HTTP date', async () => {
    let calls = 0;
    handler = (_req, res) =>
      ++calls === 1
        ? json(res, 429, { code: 'TooManyRequests', message: 'slow down' }, { 'retry-after': new Date(Date.now() - 1000).toUTCString() })
        : json(res, 200, { id: CH });
    await expect(client().getChannel({ workspaceId: WS, channelId: CH }, call)).resolves.toMatchObject({ id: CH });
    expect(seen).toHaveLength(2);
  });

  it('fails fast as RATE_LIMITED when an HTTP-date Retry-After is beyond the deadline', async () => {
    handler = (_req, res) =>
      json(res, 429, { code: 'TooManyRequests', message: 'x' }, { 'retry-after': new Date(Date.now() + 60_000).toUTCString() });
    const error = await client().getChannel({ workspaceId: WS, channelId: CH }, call).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429, attempts: 1 });
    expect((error as BirdError).retryAfterMs).toBeGreaterThan(30_000);
    expect(seen).toHaveLength(1);
  });

  it('retries a POST whose connection was refused (nothing was sent), and says the outcome is known', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const bird = createBirdClient({ apiUrl: `http://127.0.0.1:${port}`, random: () => 0 });
    clients.push(bird);
    const error = await bird
      .sendMessage({ workspaceId: WS, channelId: CH, message: { receiver: { contacts: [] } } }, call)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NETWORK', attempts: 3, outcomeUnknown: false, method: 'POST' });
    expect(((error as BirdError).cause as { code?: string }).code).toBe('ECONNREFUSED');
  });

  it('a response over maxResponseSize is BAD_RESPONSE and is not retried', async () => {
    handler = (_req, res) => json(res, 200, { id: CH, padding: 'x'.repeat(10_000) });
    const error = await client({ maxResponseSize: 1_000 })
      .getChannel({ workspaceId: WS, channelId: CH }, call)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BAD_RESPONSE', attempts: 1 });
    expect(((error as BirdError).cause as { code?: string }).code).toBe('UND_ERR_RES_EXCEEDED_MAX_SIZE');
    expect(seen).toHaveLength(1);
  });

  it('releases every error body: 30 failing calls in a row on a single connection all complete', async () => {
    handler = (_req, res) => json(res, 503, { code: 'InternalError', message: 'x'.repeat(100_000) });
    const bird = client({ connections: 1, retry: { maxRetries: 0 } });
    for (let i = 0; i < 30; i++) {
      await expect(bird.getChannel({ workspaceId: WS, channelId: CH }, call)).rejects.toMatchObject({ code: 'UPSTREAM' });
    }
    expect(seen).toHaveLength(30);
  });
});
