// Media end to end: presigned forms posted by the test, uploadMedia in one multipart request, signed download links
// for uploaded and incoming media, the limits (size, type, CSRF, one file) and that nothing leaks or is left behind.
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { print } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED } from '../../src/emulator/seed.ts';
import { deriveMediaLinkKeys, sealMediaLink } from '../../src/media/links.ts';
import { TEMP_FILE_PREFIX } from '../../src/media/upload-parser.ts';
import { CreateMediaUploadDocument, MessageMediaDocument, UploadMediaDocument, type UploadMediaMutation } from '../gql/generated.ts';
import { DEMO_KEY, TEST_ORIGIN, type TestStack, startTestStack } from '../helpers.ts';

const WS = SEED.workspaces.main.id;
const WHATSAPP = SEED.channels.whatsapp.id;
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
// Frozen: yoga's fetch ponyfill writes a body's content-type into a plain headers object it is given.
const CSRF = Object.freeze({ 'x-graphql-yoga-csrf': '1' });
const PRESIGN_CHANNEL = 'POST /workspaces/:ws/channels/:ch/presigned-upload';
const PRESIGN_ANY = 'POST /workspaces/:ws/channel-media/presigned-upload';
const UPLOAD = 'POST /media-upload';

const PNG = Buffer.from(SEED.media.png.base64, 'base64');
const PDF = Buffer.from(`%PDF-1.4\n% test document\n${'x'.repeat(3000)}\n%%EOF\n`);

/** A deterministic pseudo-random payload (so a wrong byte anywhere shows up). */
function bytesOf(size: number, prefix: Buffer = Buffer.alloc(0)): Buffer {
  const out = Buffer.alloc(size);
  prefix.copy(out);
  let x = 0x12345678;
  for (let i = prefix.length; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ emulator: { rateLimits: false } });
});
afterAll(async () => {
  await stack.close();
});
beforeEach(() => {
  stack.requests.resetUpstream();
  stack.emulator.clearFaults();
});

const routes = (s: TestStack = stack) => s.requests.upstream().map((r) => `${r.route} ${r.status}`);
/** What the emulator's object store served, and whether a key reached it (it must never). */
const objectRoutes = (s: TestStack = stack) =>
  s.emulator.objectStore.requests.map((r) => `${r.route} ${r.status}${r.authorization ? ' WITH AUTHORIZATION' : ''}`);
const OBJECT = 'GET /objects/:key';

async function ownTempFiles(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((name) => name.startsWith(TEMP_FILE_PREFIX));
}

interface FilePart {
  bytes: Buffer;
  type: string;
  name?: string;
}

/** A GraphQL multipart request (operations, map, file) as bytes, the way a browser's FormData sends it. */
async function multipartBody(
  variables: Record<string, unknown>,
  file: FilePart | null,
  tweak: (form: FormData) => void = () => {},
): Promise<{ body: Uint8Array<ArrayBuffer>; contentType: string }> {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query: print(UploadMediaDocument), variables }));
  form.append('map', JSON.stringify(file ? { 0: ['variables.input.file'] } : {}));
  if (file) form.append('0', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name ?? 'file.bin');
  tweak(form);
  const encoded = new Response(form);
  return { body: new Uint8Array(await encoded.arrayBuffer()), contentType: encoded.headers.get('content-type') as string };
}

async function uploadMedia(
  input: { workspaceId: string; channelId?: string },
  file: FilePart | null,
  options: { headers?: Record<string, string>; s?: TestStack; tweak?: (form: FormData) => void } = {},
): Promise<{ status: number; json: { data?: UploadMediaMutation; errors?: { message: string; extensions?: Record<string, unknown> }[] } }> {
  const { body, contentType } = await multipartBody({ input: { ...input, file: null } }, file, options.tweak);
  const response = await (options.s ?? stack).fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': contentType, 'content-length': String(body.length), authorization: `AccessKey ${DEMO_KEY}`, ...CSRF, ...options.headers },
    body,
  });
  return { status: response.status, json: JSON.parse(await response.text()) };
}

async function download(url: string, s: TestStack = stack) {
  expect(url.startsWith(`${TEST_ORIGIN}/media/`)).toBe(true);
  const response = await s.fetch(new URL(url).pathname);
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

/** Every base64url segment of a token, decoded, and the raw token: what an observer of the URL could read. */
function readableParts(url: string): string {
  const token = new URL(url).pathname.split('/').pop() as string;
  return [token, ...token.split('.').map((part) => Buffer.from(part, 'base64url').toString('latin1'))].join('\n');
}

function expectNoKey(text: string) {
  expect(text).not.toContain(DEMO_KEY);
  expect(text).not.toContain(Buffer.from(DEMO_KEY).toString('base64'));
  expect(text).not.toContain(Buffer.from(DEMO_KEY).toString('base64url'));
}

describe('createMediaUpload', () => {
  it('returns a channel-scoped form the client posts itself; the download link serves the same bytes', async () => {
    const result = await stack.execute(CreateMediaUploadDocument, { input: { workspaceId: WS, channelId: WHATSAPP, contentType: 'image/png' } });
    const payload = result.data?.createMediaUpload;
    if (payload?.__typename !== 'CreateMediaUploadPayload') throw new Error(JSON.stringify(result));
    expect(payload.uploadMethod).toBe('POST');
    expect(payload.uploadUrl).toBe(`${stack.emulator.url}/media-upload`);
    expect(payload.mediaUrl).toMatch(new RegExp(`^${stack.emulator.url}/workspaces/${WS}/channels/${WHATSAPP}/media/[0-9a-f-]{36}$`));
    expect(payload.maxSize).toBe(100 * 1024 * 1024);
    // Bird's fields, in Bird's order, as name/value pairs.
    expect(payload.uploadFields.map((f) => f.name)).toEqual([
      'Content-Type',
      'acl',
      'bucket',
      'key',
      'policy',
      'x-amz-algorithm',
      'x-amz-credential',
      'x-amz-date',
      'x-amz-meta-allowed-paths',
      'x-amz-meta-channel-id',
      'x-amz-security-token',
      'x-amz-signature',
    ]);

    // The browser flow: the fields in order, then the file, posted straight to the storage target, no key.
    const form = new FormData();
    for (const { name, value } of payload.uploadFields) form.append(name, value);
    form.append('file', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'photo.png');
    const stored = await fetch(payload.uploadUrl, { method: payload.uploadMethod, body: form });
    expect(stored.status).toBe(204);

    const file = await download(payload.downloadUrl as string);
    expect(file.status).toBe(200);
    expect(sha(file.bytes)).toBe(sha(PNG));
    expect(file.headers).toMatchObject({
      'content-type': 'image/png',
      'content-length': String(PNG.length),
      'x-content-type-options': 'nosniff',
      'content-disposition': 'inline',
    });
    expect(file.headers['cache-control']).toMatch(/^private, max-age=(89\d|900)$/);
    // Bird's media path redirects to the object store, which the client fetches without the key.
    expect(routes()).toEqual([`${PRESIGN_CHANNEL} 200`, `${UPLOAD} 204`, 'GET /workspaces/:ws/channels/:ch/media/:media 302']);
    expect(objectRoutes()).toEqual([`${OBJECT} 200`]);
    expectNoKey(JSON.stringify(result) + readableParts(payload.downloadUrl as string));
  });

  it('returns a channel-independent form when no channel is given', async () => {
    const result = await stack.execute(CreateMediaUploadDocument, { input: { workspaceId: WS, contentType: 'application/pdf' } });
    const payload = result.data?.createMediaUpload;
    if (payload?.__typename !== 'CreateMediaUploadPayload') throw new Error(JSON.stringify(result));
    expect(payload.mediaUrl).toMatch(new RegExp(`^${stack.emulator.url}/workspaces/${WS}/media/[0-9a-f-]{36}$`));
    expect(payload.uploadFields.map((f) => f.name)).not.toContain('x-amz-meta-channel-id');

    // Before the upload, the link answers 404 (Bird has nothing there yet), without echoing Bird.
    const early = await download(payload.downloadUrl as string);
    expect(early.status).toBe(404);
    expect(JSON.parse(early.bytes.toString())).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
    expect(early.bytes.toString()).not.toContain(stack.emulator.url);

    const form = new FormData();
    for (const { name, value } of payload.uploadFields) form.append(name, value);
    form.append('file', new Blob([new Uint8Array(PDF)], { type: 'application/pdf' }), 'terms.pdf');
    expect((await fetch(payload.uploadUrl, { method: 'POST', body: form })).status).toBe(204);

    const file = await download(payload.downloadUrl as string);
    expect(file.status).toBe(200);
    expect(file.bytes.equals(PDF)).toBe(true);
    expect(file.headers).toMatchObject({ 'content-type': 'application/pdf', 'content-disposition': 'inline' });
    expect(routes()).toEqual([`${PRESIGN_ANY} 200`, 'GET /workspaces/:ws/media/:media 404', `${UPLOAD} 204`, 'GET /workspaces/:ws/media/:media 302']);
    expect(objectRoutes()).toEqual([`${OBJECT} 200`]);
  });

  it.each([
    ['no subtype', 'image'],
    ['empty subtype', 'image/'],
    ['spaces', 'image /png'],
    ['a header injection', 'image/png\r\nx-evil: 1'],
    ['too long', `application/${'x'.repeat(300)}`],
    ['empty', ''],
  ])('refuses a content type with %s before any call', async (_why, contentType) => {
    const result = await stack.execute(CreateMediaUploadDocument, { input: { workspaceId: WS, channelId: WHATSAPP, contentType } });
    expect(result.data?.createMediaUpload).toMatchObject({
      __typename: 'ValidationError',
      fields: [{ path: ['input', 'contentType'], message: expect.any(String) }],
    });
    expect(routes()).toEqual([]);
  });

  it('says which resource is missing', async () => {
    const result = await stack.execute(CreateMediaUploadDocument, { input: { workspaceId: WS, channelId: UNKNOWN, contentType: 'image/png' } });
    expect(result.data?.createMediaUpload).toMatchObject({ __typename: 'NotFoundError', resource: 'channel' });
  });
});

describe('uploadMedia (one GraphQL multipart request)', () => {
  it('stores a channel file and its download link serves the same bytes', async () => {
    const before = await ownTempFiles();
    const { status, json } = await uploadMedia({ workspaceId: WS, channelId: WHATSAPP }, { bytes: PNG, type: 'image/png', name: 'photo.png' });
    expect(status).toBe(200);
    const payload = json.data?.uploadMedia;
    if (payload?.__typename !== 'UploadMediaPayload') throw new Error(JSON.stringify(json));
    expect(payload).toMatchObject({ contentType: 'image/png', size: PNG.length });
    expect(payload.mediaUrl).toMatch(new RegExp(`^${stack.emulator.url}/workspaces/${WS}/channels/${WHATSAPP}/media/[0-9a-f-]{36}$`));
    expect(routes()).toEqual([`${PRESIGN_CHANNEL} 200`, `${UPLOAD} 204`]);
    expect(await ownTempFiles()).toEqual(before);

    const file = await download(payload.downloadUrl as string);
    expect(file.bytes.equals(PNG)).toBe(true);
    expect(file.headers['content-type']).toBe('image/png');
    expectNoKey(JSON.stringify(json) + readableParts(payload.downloadUrl as string));
  });

  it('stores a channel-independent 3 MiB PDF, streamed with its length', async () => {
    const bytes = bytesOf(3 * 1024 * 1024, Buffer.from('%PDF-1.7\n'));
    const { json } = await uploadMedia({ workspaceId: WS }, { bytes, type: 'application/pdf', name: 'big.pdf' });
    const payload = json.data?.uploadMedia;
    if (payload?.__typename !== 'UploadMediaPayload') throw new Error(JSON.stringify(json));
    expect(payload.size).toBe(bytes.length);
    expect(routes()).toEqual([`${PRESIGN_ANY} 200`, `${UPLOAD} 204`]);
    const stored = stack.emulator.store.media.get(new URL(payload.mediaUrl).pathname);
    expect(stored?.contentType).toBe('application/pdf');
    expect(sha(stored?.bytes as Buffer)).toBe(sha(bytes));
    const file = await download(payload.downloadUrl as string);
    expect(sha(file.bytes)).toBe(sha(bytes));
    expect(file.headers['content-length']).toBe(String(bytes.length));
  });

  it('needs the CSRF header: without it, 403 and no upstream call', async () => {
    const { body, contentType } = await multipartBody({ input: { workspaceId: WS, file: null } }, { bytes: PNG, type: 'image/png' });
    const response = await stack.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': contentType, authorization: `AccessKey ${DEMO_KEY}` },
      body,
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('CSRF');
    expect(routes()).toEqual([]);
  });

  it.each([
    ['a PDF declared as PNG', { bytes: PDF, type: 'image/png' }, /declared as image\/png/],
    ['a PNG declared as HTML', { bytes: PNG, type: 'text/html' }, /declared as text\/html .*PNG/],
    ['a PNG declared as SVG', { bytes: PNG, type: 'image/svg+xml' }, /PNG/],
    ['text declared as JPEG', { bytes: Buffer.from('hello'), type: 'image/jpeg' }, /declared as image\/jpeg/],
    ['text declared as MP4', { bytes: Buffer.from('hello world, not a video'), type: 'video/mp4' }, /MP4/],
    ['an empty file', { bytes: Buffer.alloc(0), type: 'text/plain' }, /empty/],
  ])('refuses %s before any call', async (_why, file, message) => {
    const { status, json } = await uploadMedia({ workspaceId: WS, channelId: WHATSAPP }, file);
    expect(status).toBe(200);
    expect(json.data?.uploadMedia).toMatchObject({
      __typename: 'ValidationError',
      fields: [{ path: ['input', 'file'], message: expect.stringMatching(message) }],
    });
    expect(routes()).toEqual([]);
  });

  it('accepts matching types of every sniffed kind, and unknown types as declared', async () => {
    const cases: FilePart[] = [
      { bytes: bytesOf(64, Buffer.from([0xff, 0xd8, 0xff, 0xe0])), type: 'image/jpeg' },
      { bytes: bytesOf(64, Buffer.from('GIF89a')), type: 'image/gif' },
      { bytes: bytesOf(64, Buffer.concat([Buffer.from('RIFF'), Buffer.from([1, 0, 0, 0]), Buffer.from('WEBPVP8 ')])), type: 'image/webp' },
      { bytes: bytesOf(64, Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42')])), type: 'video/mp4' },
      { bytes: Buffer.from('Booking 4711\n'), type: 'text/plain' },
      { bytes: bytesOf(64, PNG.subarray(0, 8)), type: 'application/octet-stream' },
    ];
    for (const file of cases) {
      const { json } = await uploadMedia({ workspaceId: WS }, file);
      expect(json.data?.uploadMedia, file.type).toMatchObject({ __typename: 'UploadMediaPayload', contentType: file.type, size: file.bytes.length });
    }
  });

  it('refuses a second file, a file missing from map, and a form without operations, with a clear 400', async () => {
    const second = await uploadMedia({ workspaceId: WS }, { bytes: PNG, type: 'image/png' }, {
      tweak: (form) => form.append('1', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'b.png'),
    });
    expect(second.status).toBe(400);
    expect(second.json.errors?.[0]?.message).toMatch(/one file per request/i);

    const twoInMap = await uploadMedia({ workspaceId: WS }, { bytes: PNG, type: 'image/png' }, {
      tweak: (form) => form.set('map', JSON.stringify({ 0: ['variables.input.file'], 1: ['variables.other'] })),
    });
    expect(twoInMap.status).toBe(400);
    expect(twoInMap.json.errors?.[0]?.message).toMatch(/one file per request/i);

    const unmapped = await uploadMedia({ workspaceId: WS }, { bytes: PNG, type: 'image/png' }, {
      tweak: (form) => form.set('map', JSON.stringify({ 7: ['variables.input.file'] })),
    });
    expect(unmapped.status).toBe(400);
    expect(unmapped.json.errors?.[0]?.message).toMatch(/"0" is not listed in "map"/);

    const badPath = await uploadMedia({ workspaceId: WS }, { bytes: PNG, type: 'image/png' }, {
      tweak: (form) => form.set('map', JSON.stringify({ 0: ['__proto__.polluted'] })),
    });
    expect(badPath.status).toBe(400);

    const form = new FormData();
    form.append('map', '{}');
    const response = await stack.fetch('/graphql', { method: 'POST', headers: { ...CSRF }, body: form });
    expect(response.status).toBe(400);
    expect(routes()).toEqual([]);
    expect(await ownTempFiles()).toEqual([]);
  });
});

describe('limits', () => {
  let small: TestStack;
  beforeAll(async () => {
    small = await startTestStack({ emulator: { rateLimits: false }, env: { MEDIA_MAX_BYTES: '1024' } });
  });
  afterAll(async () => {
    await small.close();
  });

  it('refuses an oversized file by its Content-Length: 413, no call, nothing stored, no temp file', async () => {
    const mediaBefore = small.emulator.store.media.size;
    const { status, json } = await uploadMedia({ workspaceId: WS, channelId: WHATSAPP }, { bytes: bytesOf(64 * 1024), type: 'image/png' }, { s: small });
    expect(status).toBe(413);
    expect(json.errors).toEqual([{ message: 'The file is larger than the 1024-byte upload limit.', extensions: { code: 'PAYLOAD_TOO_LARGE' } }]);
    expect(routes(small)).toEqual([]);
    expect(small.emulator.store.media.size).toBe(mediaBefore);
    expect(await ownTempFiles()).toEqual([]);
  });

  it('stops reading a body without Content-Length as soon as the file passes the limit', async () => {
    const mediaBefore = small.emulator.store.media.size;
    const { body: bytes, contentType } = await multipartBody({ input: { workspaceId: WS, file: null } }, { bytes: bytesOf(8 * 1024 * 1024, PNG), type: 'image/png' });
    const body = Buffer.from(bytes);
    let sent = 0;
    async function* chunks() {
      for (let offset = 0; offset < body.length; offset += 1024) {
        sent += 1024;
        yield new Uint8Array(body.subarray(offset, offset + 1024));
      }
    }
    const response = await small.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': contentType, ...CSRF },
      body: Readable.toWeb(Readable.from(chunks())) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(await response.text()).toContain('1024-byte upload limit');
    expect(sent).toBeLessThan(64 * 1024); // of 8 MiB: the rest was never read
    expect(routes(small)).toEqual([]);
    expect(small.emulator.store.media.size).toBe(mediaBefore);
    expect(await ownTempFiles()).toEqual([]);
  });

  it('accepts a file right at the limit', async () => {
    const { json } = await uploadMedia({ workspaceId: WS }, { bytes: bytesOf(1024, PNG), type: 'image/png' }, { s: small });
    expect(json.data?.uploadMedia).toMatchObject({ __typename: 'UploadMediaPayload', size: 1024 });
  });

  it('the storage target only ever stores complete forms: a broken upload stores nothing', async () => {
    const presigned = await small.bird.createPresignedUpload({ workspaceId: WS, contentType: 'image/png' }, { credential: { scheme: 'AccessKey', token: DEMO_KEY } });
    small.requests.resetUpstream();
    async function* broken() {
      yield PNG.subarray(0, 40);
      throw new Error('disk read failed');
    }
    await expect(
      small.bird.uploadFile({ upload: presigned, body: broken(), filename: 'a.png', contentType: 'image/png', size: PNG.length }),
    ).rejects.toThrow();
    expect(small.emulator.store.media.has(new URL(presigned.mediaUrl).pathname)).toBe(false);
    expect(routes(small).filter((r) => r === `${UPLOAD} 204`)).toEqual([]);
  });
});

describe('downloads through signed links', () => {
  it('serves an incoming image and file with their types; no access key in any returned URL or token', async () => {
    const image = SEED.messages.incomingImage;
    const result = await stack.execute(MessageMediaDocument, { workspaceId: WS, channelId: image.channelId, messageId: image.id });
    const content = result.data?.message?.content;
    if (content?.__typename !== 'ImageContent') throw new Error(JSON.stringify(result));
    const [first] = content.images;
    expect(first?.mediaUrl).toBe(`${stack.emulator.url}${image.mediaPath}`);
    const file = await download(first?.downloadUrl as string);
    expect(file.status).toBe(200);
    expect(file.bytes.equals(PNG)).toBe(true);
    expect(file.headers).toMatchObject({ 'content-type': 'image/png', 'content-length': String(PNG.length), 'content-disposition': 'inline' });
    expectNoKey(JSON.stringify(result) + readableParts(first?.downloadUrl as string));

    const text = SEED.messages.incomingFile;
    const fileResult = await stack.execute(MessageMediaDocument, { workspaceId: WS, channelId: text.channelId, messageId: text.id });
    const fileContent = fileResult.data?.message?.content;
    if (fileContent?.__typename !== 'FileContent') throw new Error(JSON.stringify(fileResult));
    const served = await download(fileContent.files[0]?.downloadUrl as string);
    expect(served.bytes.toString('utf8')).toBe(SEED.media.text.content);
    // Anything but raster images and PDF is an attachment, so it never renders as a page on our origin.
    expect(served.headers).toMatchObject({ 'content-type': 'text/plain', 'content-disposition': 'attachment', 'x-content-type-options': 'nosniff' });
    expectNoKey(JSON.stringify(fileResult) + readableParts(fileContent.files[0]?.downloadUrl as string));
    // A signed link works until it expires: request logs name the route by its template, never the token.
    const token = new URL(first?.downloadUrl as string).pathname.split('/').pop()!;
    expect(stack.logs.some((line) => line.includes('/media/:token'))).toBe(true);
    expect(stack.logs.join('\n')).not.toContain(token);
    expect(routes()).toEqual([
      'GET /workspaces/:ws/channels/:ch/messages/:msg 200',
      'GET /workspaces/:ws/messages/:msg/media/:media 302',
      'GET /workspaces/:ws/channels/:ch/messages/:msg 200',
      'GET /workspaces/:ws/messages/:msg/media/:media 302',
    ]);
    expect(objectRoutes()).toEqual([`${OBJECT} 200`, `${OBJECT} 200`]);
  });

  it('uses the key of the caller who asked for the link', async () => {
    // The scoped key covers another workspace only: its link to main-workspace media is refused by Bird → 404.
    const image = SEED.messages.incomingImage;
    const result = await stack.execute(
      MessageMediaDocument,
      { workspaceId: WS, channelId: image.channelId, messageId: image.id },
      { headers: { authorization: `AccessKey ${DEMO_KEY}` } },
    );
    const content = result.data?.message?.content;
    if (content?.__typename !== 'ImageContent') throw new Error(JSON.stringify(result));
    const keys = deriveMediaLinkKeys(stack.config.media.linkSecret);
    const scoped = sealMediaLink(keys, {
      mediaUrl: content.images[0]?.mediaUrl as string,
      credential: { scheme: 'AccessKey', token: SEED.accessKeys.scoped },
      expiresAt: Math.floor(Date.now() / 1000) + 60,
    });
    stack.requests.resetUpstream();
    const refused = await stack.fetch(`/media/${scoped}`);
    expect(refused.status).toBe(404);
    expect(routes()).toEqual(['GET /workspaces/:ws/messages/:msg/media/:media 403']);
  });

  it('answers a tampered or unknown token 404 and an expired one 410, with no upstream call', async () => {
    const image = SEED.messages.incomingImage;
    const result = await stack.execute(MessageMediaDocument, { workspaceId: WS, channelId: image.channelId, messageId: image.id });
    const content = result.data?.message?.content;
    if (content?.__typename !== 'ImageContent') throw new Error(JSON.stringify(result));
    const token = new URL(content.images[0]?.downloadUrl as string).pathname.slice('/media/'.length);
    stack.requests.resetUpstream();

    const [version, body, signature] = token.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { u: string; e: number; c: string };
    const forged = Buffer.from(JSON.stringify({ ...payload, u: `${stack.emulator.url}${SEED.messages.incomingFile.mediaPath}` })).toString('base64url');
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
    const bad = [
      `${version}.${forged}.${signature}`, // another media URL under the same signature
      `${version}.${body}.${flip(signature, 5)}`,
      `${version}.${flip(body, 10)}.${signature}`,
      `m2.${body}.${signature}`,
      'nonsense',
      `${token}x`,
      'x'.repeat(5000),
    ];
    for (const candidate of bad) {
      const response = await stack.fetch(`/media/${candidate}`);
      expect(response.status, candidate.slice(0, 40)).toBe(404);
      expect(await response.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
    }

    const keys = deriveMediaLinkKeys(stack.config.media.linkSecret);
    const expired = sealMediaLink(keys, { mediaUrl: payload.u, credential: { scheme: 'AccessKey', token: DEMO_KEY }, expiresAt: Math.floor(Date.now() / 1000) - 1 });
    const gone = await stack.fetch(`/media/${expired}`);
    expect(gone.status).toBe(410);
    expect(await gone.json()).toEqual({ error: { code: 'GONE', message: expect.any(String) } });
    // Signed with another secret: not ours.
    const foreign = sealMediaLink(deriveMediaLinkKeys('another-secret-another-secret-another'), {
      mediaUrl: payload.u,
      credential: { scheme: 'AccessKey', token: DEMO_KEY },
      expiresAt: Math.floor(Date.now() / 1000) + 60,
    });
    expect((await stack.fetch(`/media/${foreign}`)).status).toBe(404);
    expect((await stack.fetch(`/media/${token}`, { method: 'POST' })).status).toBe(405);
    expect(routes()).toEqual([]);
  });

  it('maps Bird failures to 502 without echoing Bird', async () => {
    const image = SEED.messages.incomingImage;
    const keys = deriveMediaLinkKeys(stack.config.media.linkSecret);
    const token = sealMediaLink(keys, {
      mediaUrl: `${stack.emulator.url}${image.mediaPath}`,
      credential: { scheme: 'AccessKey', token: DEMO_KEY },
      expiresAt: Math.floor(Date.now() / 1000) + 60,
    });
    stack.emulator.setFaults({ 'GET /workspaces/:ws/messages/:msg/media/:media': [500, 500, 500] });
    const response = await stack.fetch(`/media/${token}`);
    expect(response.status).toBe(502);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'UPSTREAM_UNAVAILABLE', message: expect.any(String) } });
    expect(text).not.toMatch(/scripted|emulator|127\.0\.0\.1|workspaces/);
  });

  it('gives public media URLs as they are, and no link for a request without a credential', async () => {
    const { createMediaLinkIssuer } = await import('../../src/media/links.ts');
    const issuer = createMediaLinkIssuer({ secret: 'x'.repeat(32), ttlSeconds: 60, mediaOrigin: stack.emulator.url, publicUrl: null });
    const links = issuer.forRequest({ url: 'https://api.example.com/graphql' }, { scheme: 'AccessKey', token: DEMO_KEY });
    expect(links.downloadUrl('https://cdn.example.com/a.png')).toBe('https://cdn.example.com/a.png');
    expect(links.downloadUrl('javascript:alert(1)')).toBeNull();
    expect(links.downloadUrl('not a url')).toBeNull();
    expect(links.downloadUrl(`${stack.emulator.url}${SEED.messages.incomingImage.mediaPath}`)).toMatch(/^https:\/\/api\.example\.com\/media\/m1\./);
    expect(issuer.forRequest({ url: 'https://api.example.com/graphql' }, null).downloadUrl(`${stack.emulator.url}/x`)).toBeNull();
  });

  it('builds links on PUBLIC_URL when it is set', async () => {
    const other = await startTestStack({ env: { PUBLIC_URL: 'https://graphql.example.com/bird' } });
    try {
      const image = SEED.messages.incomingImage;
      const result = await other.execute(MessageMediaDocument, { workspaceId: WS, channelId: image.channelId, messageId: image.id });
      const content = result.data?.message?.content;
      if (content?.__typename !== 'ImageContent') throw new Error(JSON.stringify(result));
      expect(content.images[0]?.downloadUrl).toMatch(/^https:\/\/graphql\.example\.com\/bird\/media\/m1\./);
    } finally {
      await other.close();
    }
  });
});

describe('over a real socket', () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer(stack.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('uploads a 30 MiB video in one request and downloads the same bytes through the signed link', async () => {
    const bytes = bytesOf(30 * 1024 * 1024, Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42')]));
    const { body, contentType } = await multipartBody({ input: { workspaceId: WS, channelId: WHATSAPP, file: null } }, { bytes, type: 'video/mp4', name: 'clip.mp4' });
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': contentType, authorization: `AccessKey ${DEMO_KEY}`, ...CSRF },
      body,
    });
    const json = (await response.json()) as { data: UploadMediaMutation };
    const payload = json.data.uploadMedia;
    if (payload?.__typename !== 'UploadMediaPayload') throw new Error(JSON.stringify(json));
    expect(payload.size).toBe(bytes.length);
    expect(payload.downloadUrl?.startsWith(`${base}/media/`)).toBe(true);
    expect(await ownTempFiles()).toEqual([]);

    const file = await fetch(payload.downloadUrl as string);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('video/mp4');
    expect(file.headers.get('content-length')).toBe(String(bytes.length));
    expect(file.headers.get('content-disposition')).toBe('attachment');
    expect(sha(Buffer.from(await file.arrayBuffer()))).toBe(sha(bytes));
    // 60 MiB through real sockets: vitest's default 5 s is a wall-clock threshold a loaded machine crosses.
  }, 60_000);
});
