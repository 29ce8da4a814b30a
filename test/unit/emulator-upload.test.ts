// Emulator media: presigned uploads (both variants), the multipart storage target and its policy checks, and authenticated downloads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message, PresignedUpload } from '../../src/bird/types.ts';
import { SEED } from '../../src/emulator/seed.ts';
import { startEmulator, type Emulator } from '../../src/emulator/server.ts';
import { get, KEY, post, SMS, WS } from './emulator-helpers.ts';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const MAX = 2048;
const PDF = Buffer.from('%PDF-1.4\n% emulator test file\n' + 'x'.repeat(500));

let clock = Date.parse('2025-07-01T00:00:00.000Z');
let e: Emulator;
beforeAll(async () => {
  e = await startEmulator({ rateLimits: false, maxUploadBytes: MAX, now: () => clock });
});
afterAll(() => e.close());

/** `channelId` null: the channel-independent variant. */
async function presign(contentType = 'application/pdf', channelId: string | null = SMS): Promise<PresignedUpload> {
  const path = channelId ? `/workspaces/${WS}/channels/${channelId}/presigned-upload` : `/workspaces/${WS}/channel-media/presigned-upload`;
  const res = await post<PresignedUpload>(e, path, { contentType });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

/** POSTs the handed-out fields (optionally altered) and then the file, as a browser or the client would. */
async function upload(
  p: PresignedUpload,
  bytes: Buffer,
  change: (fields: Record<string, string>) => Record<string, string> = (f) => f,
  withFile = true,
): Promise<{ status: number; body: unknown }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(change({ ...p.uploadFormData }))) form.append(k, v);
  if (withFile) form.append('file', new Blob([new Uint8Array(bytes)], { type: 'application/octet-stream' }), 'file.bin');
  const res = await fetch(p.uploadUrl, { method: p.uploadMethod, body: form });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function download(url: string, key: string | null = KEY) {
  const res = await fetch(url, { headers: key ? { authorization: `AccessKey ${key}` } : {} });
  return { status: res.status, type: res.headers.get('content-type'), length: res.headers.get('content-length'), bytes: Buffer.from(await res.arrayBuffer()) };
}

describe('presigned upload', () => {
  it('returns Bird\'s four fields with an S3-like form (channel variant)', async () => {
    const p = await presign('image/png');
    expect(Object.keys(p).sort()).toEqual(['mediaUrl', 'uploadFormData', 'uploadMethod', 'uploadUrl']);
    expect(p.uploadMethod).toBe('POST');
    expect(p.uploadUrl).toBe(`${e.url}/media-upload`);
    expect(p.mediaUrl).toMatch(new RegExp(`^${e.url}/workspaces/${WS}/channels/${SMS}/media/[0-9a-f-]{36}$`));
    const mediaId = p.mediaUrl.split('/').at(-1);
    expect(p.uploadFormData).toMatchObject({
      'Content-Type': 'image/png',
      acl: 'private',
      bucket: expect.any(String),
      key: `${WS}/${mediaId}`,
      policy: expect.any(String),
      'x-amz-algorithm': 'AWS4-HMAC-SHA256',
      'x-amz-credential': expect.stringMatching(/\/s3\/aws4_request$/),
      'x-amz-date': expect.stringMatching(/^\d{8}T\d{6}Z$/),
      'x-amz-meta-allowed-paths': `/workspaces/${WS}/channels/${SMS}/media/${mediaId}`,
      'x-amz-meta-channel-id': SMS,
      'x-amz-signature': expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('channel-independent variant: mediaUrl under /workspaces/{ws}/media/{id}', async () => {
    const p = await presign('text/plain', null);
    expect(p.mediaUrl).toMatch(new RegExp(`^${e.url}/workspaces/${WS}/media/[0-9a-f-]{36}$`));
    expect(p.uploadFormData).not.toHaveProperty('x-amz-meta-channel-id');
  });

  it.each([
    ['missing contentType', {}, 'contentType'],
    ['empty contentType', { contentType: '' }, 'contentType'],
    ['extra field', { contentType: 'image/png', size: 3 }, 'size'],
  ])('422 on %s', async (_, body, key) => {
    const res = await post(e, `/workspaces/${WS}/channels/${SMS}/presigned-upload`, body);
    expect(res.status).toBe(422);
    expect(res.body.details).toHaveProperty([key]);
  });

  it('404 for an unknown workspace or channel; 401 without a key', async () => {
    expect((await post(e, `/workspaces/${WS}/channels/${UNKNOWN}/presigned-upload`, { contentType: 'a/b' })).status).toBe(404);
    expect((await post(e, `/workspaces/${UNKNOWN}/channel-media/presigned-upload`, { contentType: 'a/b' })).status).toBe(404);
    expect((await post(e, `/workspaces/${WS}/channel-media/presigned-upload`, { contentType: 'a/b' }, { key: null })).status).toBe(401);
  });
});

describe('upload round trip', () => {
  it('presign → multipart POST (fields, then file) → 204 → download: identical bytes and content type', async () => {
    const p = await presign('application/pdf');
    expect(await upload(p, PDF)).toEqual({ status: 204, body: undefined });
    const got = await download(p.mediaUrl);
    expect(got.status).toBe(200);
    expect(got.type).toBe('application/pdf');
    expect(Number(got.length)).toBe(PDF.length);
    expect(got.bytes.equals(PDF)).toBe(true);
  });

  it('works for channel-independent uploads, and the mediaUrl is usable in a send', async () => {
    const p = await presign('image/png', null);
    const png = Buffer.from(SEED.media.png.base64, 'base64');
    expect((await upload(p, png)).status).toBe(204);
    const got = await download(p.mediaUrl);
    expect(got.type).toBe('image/png');
    expect(got.bytes.equals(png)).toBe(true);
    const sent = await post<Message>(e, `/workspaces/${WS}/channels/${SEED.channels.whatsapp.id}/messages`, {
      receiver: { contacts: [{ identifierValue: '+31611112222' }] },
      body: { type: 'image', image: { images: [{ mediaUrl: p.mediaUrl }] } },
    });
    expect(sent.status).toBe(202);
  });

  it('a file of exactly the limit is accepted; one byte more is rejected with EntityTooLarge', async () => {
    const p = await presign();
    expect((await upload(p, Buffer.alloc(MAX, 1))).status).toBe(204);
    const over = await upload(p, Buffer.alloc(MAX + 1, 1));
    expect(over.status).toBe(400);
    expect(over.body).toMatchObject({ code: 'EntityTooLarge' });
  });

  it('an upload far over the limit is refused early (Content-Length) and nothing is stored', async () => {
    const p = await presign();
    const res = await upload(p, Buffer.alloc(MAX * 100, 1));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'EntityTooLarge' });
    expect((await download(p.mediaUrl)).status).toBe(404);
  });

  it('a chunked upload (no Content-Length) is cut off once it passes the limit', async () => {
    const p = await presign();
    const boundary = 'emulator-test-boundary';
    const head = Object.entries(p.uploadFormData)
      .map(([k, v]) => `--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
      .join('');
    const parts = [Buffer.from(`${head}--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="big.bin"\r\n\r\n`)];
    for (let i = 0; i < 40; i++) parts.push(Buffer.alloc(4096, 7));
    parts.push(Buffer.from(`\r\n--${boundary}--\r\n`));
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = parts.shift();
        if (next) controller.enqueue(new Uint8Array(next));
        else controller.close();
      },
    });
    const res = await fetch(p.uploadUrl, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'EntityTooLarge' });
  });
});

describe('the storage target refuses tampered or incomplete forms', () => {
  const cases: [string, (f: Record<string, string>) => Record<string, string>][] = [
    ['a changed key', (f) => ({ ...f, key: `${WS}/${UNKNOWN}` })],
    ['a changed Content-Type', (f) => ({ ...f, 'Content-Type': 'text/html' })],
    ['a changed signature', (f) => ({ ...f, 'x-amz-signature': '0'.repeat(64) })],
    ['an unknown policy', (f) => ({ ...f, policy: Buffer.from('{"expiration":"2030-01-01T00:00:00Z"}').toString('base64') })],
    ['a missing field', ({ acl: _acl, ...rest }) => rest],
    ['an extra field', (f) => ({ ...f, 'x-amz-meta-extra': 'x' })],
    ['a changed allowed path', (f) => ({ ...f, 'x-amz-meta-allowed-paths': `/workspaces/${WS}/media/${UNKNOWN}` })],
  ];
  it.each(cases)('403 AccessDenied for %s', async (_, change) => {
    const p = await presign();
    const res = await upload(p, PDF, change);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'AccessDenied' });
    expect((await download(p.mediaUrl)).status).toBe(404);
  });

  it('403 once the policy has expired', async () => {
    const p = await presign();
    clock += 2 * 3600 * 1000;
    try {
      expect((await upload(p, PDF)).status).toBe(403);
    } finally {
      clock -= 2 * 3600 * 1000;
    }
  });

  it('400 without a file, or when the body is not multipart', async () => {
    const p = await presign();
    const noFile = await upload(p, PDF, (f) => f, false);
    expect(noFile.status).toBe(400);
    expect(noFile.body).toMatchObject({ code: 'MalformedPOSTRequest' });
    const notMultipart = await fetch(p.uploadUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(notMultipart.status).toBe(400);
  });
});

describe('media downloads', () => {
  it('serves the seeded incoming image at the URL in its message', async () => {
    const { id, channelId, mediaPath, contentType } = SEED.messages.incomingImage;
    const message = await get<Message>(e, `/workspaces/${WS}/channels/${channelId}/messages/${id}`);
    const body = message.body.body;
    const mediaUrl = body?.type === 'image' ? body.image.images[0]?.mediaUrl : undefined;
    expect(mediaUrl).toBe(`${e.url}${mediaPath}`);
    const got = await download(mediaUrl ?? '');
    expect(got).toMatchObject({ status: 200, type: contentType, length: String(SEED.media.png.size) });
    expect(got.bytes.equals(Buffer.from(SEED.media.png.base64, 'base64'))).toBe(true);
    expect(got.bytes.subarray(1, 4).toString()).toBe('PNG');
  });

  it('serves the seeded incoming text file', async () => {
    const got = await download(`${e.url}${SEED.messages.incomingFile.mediaPath}`);
    expect(got.type).toBe('text/plain');
    expect(got.bytes.toString()).toBe(SEED.media.text.content);
  });

  it('requires the access key (401), its scope (403), and 404s unknown media', async () => {
    const url = `${e.url}${SEED.messages.incomingImage.mediaPath}`;
    expect((await download(url, null)).status).toBe(401);
    expect((await download(url, SEED.accessKeys.scoped)).status).toBe(403);
    expect((await download(`${e.url}/workspaces/${WS}/messages/${UNKNOWN}/media/${UNKNOWN}`)).status).toBe(404);
    expect((await download(`${e.url}/workspaces/${WS}/channels/${SMS}/media/${UNKNOWN}`)).status).toBe(404);
    expect((await download(`${e.url}/workspaces/${WS}/media/${UNKNOWN}`)).status).toBe(404);
  });
});
