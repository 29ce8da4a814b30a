// Media downloads as Bird serves them: a 302 to a presigned object-store URL fetched without the key, the `?redirect=false` JSON form, presigned and legacy URLs, and the limits of a redirect chain; proven from request logs.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBirdClient } from '../../src/bird/client.ts';
import type { BirdClient, CallOptions } from '../../src/bird/client.ts';
import { BirdError } from '../../src/bird/errors.ts';
import { LEGACY_MEDIA_ORIGIN, MAX_MEDIA_REDIRECTS, checkMediaUrl } from '../../src/bird/media.ts';
import { startEmulator } from '../../src/emulator/server.ts';
import type { Emulator } from '../../src/emulator/server.ts';
import { SEED } from '../../src/emulator/seed.ts';

const WS = SEED.workspaces.main.id;
const KEY = SEED.accessKeys.demo;
const call: CallOptions = { credential: { scheme: 'AccessKey', token: KEY } };
const PNG = Buffer.from(SEED.media.png.base64, 'base64');
const IMAGE = SEED.messages.incomingImage;
const MEDIA_ROUTE = 'GET /workspaces/:ws/messages/:msg/media/:media';

async function bytesOf(body: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function failure(promise: Promise<unknown>): Promise<BirdError> {
  const error = await promise.then(() => expect.fail('expected the download to fail'), (e: unknown) => e);
  expect(error).toBeInstanceOf(BirdError);
  return error as BirdError;
}

describe('against the emulator: Bird redirects its media paths to its object store', () => {
  let emulator: Emulator;
  let bird: BirdClient;
  beforeAll(async () => {
    emulator = await startEmulator({ rateLimits: false });
    bird = createBirdClient({ apiUrl: emulator.url, deadlineMs: 5_000, random: () => 0, mediaRedirectOrigins: [emulator.objectStore.url] });
  });
  afterEach(() => {
    emulator.resetRequests();
    emulator.clearFaults();
  });
  afterAll(async () => {
    await bird.close();
    await emulator.close();
  });

  const objectLog = () => emulator.objectStore.requests.map((r) => ({ status: r.status, authorization: r.authorization }));

  it('inbound media: the key goes to Bird (302), never to the object store; the bytes round-trip', async () => {
    const media = await bird.downloadMedia({ mediaUrl: `${emulator.url}${IMAGE.mediaPath}` }, call);
    expect(media).toMatchObject({ status: 200, contentType: IMAGE.contentType, contentLength: PNG.length });
    expect((await bytesOf(media.body)).equals(PNG)).toBe(true);
    expect(emulator.requests.map((r) => `${r.route} ${r.status}`)).toEqual([`${MEDIA_ROUTE} 302`]);
    expect(objectLog()).toEqual([{ status: 200, authorization: false }]);
    // The object store saw a presigned path of its own, never a key in any form.
    expect(JSON.stringify(emulator.objectStore.requests)).not.toContain(KEY);
    expect(emulator.objectStore.requests[0]?.query).toHaveProperty('X-Amz-Signature');
  });

  it('uploaded media: presign, upload, download through the object store give the same bytes', async () => {
    const bytes = Buffer.from('uploaded through the storage target, served through the object store');
    const upload = await bird.createPresignedUpload({ workspaceId: WS, contentType: 'text/plain' }, call);
    await bird.uploadFile({ upload, body: bytes, filename: 'note.txt', contentType: 'text/plain' }, call);
    const media = await bird.downloadMedia({ mediaUrl: upload.mediaUrl }, call);
    expect((await bytesOf(media.body)).equals(bytes)).toBe(true);
    expect(objectLog()).toEqual([{ status: 200, authorization: false }]);
  });

  it('understands the ?redirect=false JSON form: Bird answers the presigned URL, the client fetches it without the key', async () => {
    const media = await bird.downloadMedia({ mediaUrl: `${emulator.url}${IMAGE.mediaPath}?redirect=false` }, call);
    expect((await bytesOf(media.body)).equals(PNG)).toBe(true);
    expect(emulator.requests.map((r) => ({ route: r.route, status: r.status, query: r.query }))).toEqual([
      { route: MEDIA_ROUTE, status: 200, query: { redirect: 'false' } },
    ]);
    expect(objectLog()).toEqual([{ status: 200, authorization: false }]);
  });

  it('accepts a presigned media URL and sends it without the key', async () => {
    // A presigned URL from the object store itself carries X-Amz-* parameters; here it is named on Bird's origin.
    const response = await fetch(`${emulator.url}${IMAGE.mediaPath}?redirect=false`, { headers: { authorization: `AccessKey ${KEY}` } });
    const presigned = new URL(((await response.json()) as { Location: string }).Location);
    emulator.resetRequests();
    const onBird = `${emulator.url}${IMAGE.mediaPath}${presigned.search}`;
    // Without a key Bird's media path answers 401: the client sent none, as a presigned URL must be sent.
    expect(await failure(bird.downloadMedia({ mediaUrl: onBird }, call))).toMatchObject({ code: 'UNAUTHENTICATED', attempts: 1 });
    expect(emulator.requests.map((r) => `${r.route} ${r.status}`)).toEqual([`${MEDIA_ROUTE} 401`]);
  });

  it('the object store refuses a key sent along, a tampered signature and an unknown object', async () => {
    const response = await fetch(`${emulator.url}${IMAGE.mediaPath}?redirect=false`, { headers: { authorization: `AccessKey ${KEY}` } });
    const presigned = ((await response.json()) as { Location: string }).Location;
    expect(presigned.startsWith(`${emulator.objectStore.url}/objects/`)).toBe(true);
    const withKey = await fetch(presigned, { headers: { authorization: `AccessKey ${KEY}` } });
    expect(withKey.status).toBe(400);
    expect(((await withKey.json()) as { code: string }).code).toBe('InvalidArgument');
    const tampered = presigned.replace(/X-Amz-Signature=([0-9a-f])/, (_, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`);
    expect((await fetch(tampered)).status).toBe(403);
    expect((await fetch(`${emulator.objectStore.url}/objects/workspaces/${WS}/media/00000000-0000-4000-8000-000000000000`)).status).toBe(403);
    expect((await fetch(presigned)).status).toBe(200);
    expect(objectLog()).toEqual([
      { status: 400, authorization: true },
      { status: 403, authorization: false },
      { status: 403, authorization: false },
      { status: 200, authorization: false },
    ]);
  });

  it('a redirect to an origin that is neither public https nor allowed is refused, and never fetched', async () => {
    const strict = createBirdClient({ apiUrl: emulator.url, deadlineMs: 5_000, random: () => 0 });
    try {
      const error = await failure(strict.downloadMedia({ mediaUrl: `${emulator.url}${IMAGE.mediaPath}` }, call));
      expect(error).toMatchObject({ code: 'BAD_RESPONSE' });
      expect(error.message).not.toContain(emulator.objectStore.url);
      expect(emulator.objectStore.requests).toEqual([]);
    } finally {
      await strict.close();
    }
  });

  it("a stalled object-store body fails the caller's stream once the body timeout passes", async () => {
    const quick = createBirdClient({ apiUrl: emulator.url, deadlineMs: 5_000, bodyTimeoutMs: 300, random: () => 0, mediaRedirectOrigins: [emulator.objectStore.url] });
    try {
      emulator.setFaults({ 'GET /objects/:key': [{ slowBodyMs: 10_000 }] });
      const media = await quick.downloadMedia({ mediaUrl: `${emulator.url}${IMAGE.mediaPath}` }, call);
      await expect(bytesOf(media.body)).rejects.toMatchObject({ code: 'UND_ERR_BODY_TIMEOUT' });
    } finally {
      await quick.close();
    }
  });
});

describe('against a stand-in Bird: the limits of a redirect chain', () => {
  let server: http.Server;
  let base: string;
  let seen: { path: string; authorization: string | undefined }[] = [];
  /** What the stand-in answers per path. */
  let answer: (path: string, res: http.ServerResponse) => void = () => {};
  const mediaPath = `/workspaces/${WS}/messages/${IMAGE.id}/media/${IMAGE.mediaId}`;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
      answer(req.url ?? '', res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => {
    seen = [];
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const client = (extra: Parameters<typeof createBirdClient>[0] | object = {}) =>
    createBirdClient({ apiUrl: base, deadlineMs: 3_000, random: () => 0, pacing: false, mediaRedirectOrigins: [base], ...extra });
  const redirect = (res: http.ServerResponse, location: string) => res.writeHead(302, { location, 'content-length': '0' }).end();

  it(`follows at most ${MAX_MEDIA_REDIRECTS} redirects, sending the key to the Bird origin only`, async () => {
    answer = (path, res) => (path === '/objects/4' ? res.writeHead(200, { 'content-type': 'image/png' }).end(PNG) : redirect(res, `/objects/${Number(path.split('/').pop()) + 1 || 1}`));
    const bird = client();
    try {
      const media = await bird.downloadMedia({ mediaUrl: `${base}${mediaPath}` }, call);
      await bytesOf(media.body);
      expect.fail('a fourth redirect was followed');
    } catch (error) {
      expect(error).toMatchObject({ code: 'BAD_RESPONSE' });
      expect((error as Error).message).toMatch(/more than 3 redirects/);
    } finally {
      await bird.close();
    }
    expect(seen.map((request) => request.path)).toEqual([mediaPath, '/objects/1', '/objects/2', '/objects/3']);
    // The key went to Bird's media path only, even though every redirect stayed on the same (allowed) origin.
    expect(seen.map((request) => request.authorization)).toEqual([`AccessKey ${KEY}`, undefined, undefined, undefined]);
  });

  it('three redirects are fine: the bytes come from the last one', async () => {
    answer = (path, res) => (path === '/objects/3' ? res.writeHead(200, { 'content-type': 'image/png' }).end(PNG) : redirect(res, `/objects/${Number(path.split('/').pop()) + 1 || 1}`));
    const bird = client();
    try {
      const media = await bird.downloadMedia({ mediaUrl: `${base}${mediaPath}` }, call);
      expect((await bytesOf(media.body)).equals(PNG)).toBe(true);
    } finally {
      await bird.close();
    }
    expect(seen).toHaveLength(4);
  });

  it.each([
    ['plain http on another origin', 'http://127.0.0.1:1/objects/x'],
    ['https to a loopback address', 'https://127.0.0.1/objects/x'],
    ['https to a local name', 'https://localhost./objects/x'],
    ['credentials in the URL', 'https://user:pass@objects.example.com/x'],
    ['another scheme', 'file:///etc/passwd'],
  ])('refuses a redirect to %s without fetching it', async (_why, location) => {
    answer = (_path, res) => redirect(res, location);
    const bird = client({ mediaRedirectOrigins: [] });
    try {
      expect(await failure(bird.downloadMedia({ mediaUrl: `${base}${mediaPath}` }, call))).toMatchObject({ code: 'BAD_RESPONSE', attempts: 1 });
    } finally {
      await bird.close();
    }
    expect(seen).toHaveLength(1);
  });

  it('one deadline covers the whole chain until the final headers', async () => {
    answer = (path, res) => setTimeout(() => (path.startsWith('/objects/3') ? res.writeHead(200).end(PNG) : redirect(res, `/objects/${Number(path.split('/').pop()) + 1 || 1}`)), 250);
    const bird = client({ deadlineMs: 600 });
    try {
      expect(await failure(bird.downloadMedia({ mediaUrl: `${base}${mediaPath}` }, call))).toMatchObject({ code: 'TIMEOUT' });
    } finally {
      await bird.close();
    }
    expect(seen.length).toBeLessThan(4);
  });

  it('a JSON form is read only up to a small cap, and one without a usable location is a bad response', async () => {
    const bird = client();
    try {
      for (const body of [{ Location: '/objects/1', padding: 'x'.repeat(100_000) }, { Location: 42 }, { url: '/objects/1' }]) {
        answer = (_path, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        expect(await failure(bird.downloadMedia({ mediaUrl: `${base}${mediaPath}?redirect=false` }, call))).toMatchObject({ code: 'BAD_RESPONSE' });
      }
    } finally {
      await bird.close();
    }
    // Nothing was followed: each answer was Bird's own.
    expect(seen.map((request) => request.path)).toEqual(Array(3).fill(`${mediaPath}?redirect=false`));
  });
});

describe('checkMediaUrl: the gate before any request', () => {
  const origins = ['https://media.api.bird.com', 'https://api.bird.com'];
  const path = `/workspaces/${WS}/messages/${IMAGE.id}/media/${IMAGE.mediaId}`;

  it("accepts Bird's media origins, the legacy host, the JSON form and presigned parameters", () => {
    for (const url of [
      `https://media.api.bird.com${path}`,
      `https://api.bird.com${path}`,
      `${LEGACY_MEDIA_ORIGIN}/workspaces/${WS}/media/${IMAGE.mediaId}`,
      `https://media.api.bird.com${path}?redirect=false`,
      `https://media.api.bird.com${path}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=a%2Fb&X-Amz-Date=20250101T000000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=abc`,
    ]) {
      expect(typeof checkMediaUrl(url, origins), url).toBe('object');
    }
  });

  it('signed download links are issued for the legacy host too (only the key opens it)', async () => {
    const { createMediaLinkIssuer } = await import('../../src/media/links.ts');
    const links = createMediaLinkIssuer({ secret: 'x'.repeat(32), ttlSeconds: 60, mediaOrigin: origins[0]!, publicUrl: null }).forRequest(
      { url: 'https://graph.example.com/graphql' },
      { scheme: 'AccessKey', token: KEY },
    );
    expect(links.downloadUrl(`${LEGACY_MEDIA_ORIGIN}/workspaces/${WS}/media/${IMAGE.mediaId}`)).toMatch(/^https:\/\/graph\.example\.com\/media\/m1\./);
    expect(links.downloadUrl(`https://cdn.example.com/a.png`)).toBe('https://cdn.example.com/a.png');
  });

  it('refuses other hosts, other query parameters, other redirect values and credentials', () => {
    for (const url of [
      `https://media.nest.messagebird.com.evil.example${path}`,
      `http://media.nest.messagebird.com${path}`,
      `https://media.api.bird.com${path}?redirect=true`,
      `https://media.api.bird.com${path}?redirect=https://evil.example`,
      `https://media.api.bird.com${path}?download=1`,
      `https://user:pass@media.api.bird.com${path}`,
    ]) {
      expect(typeof checkMediaUrl(url, origins), url).toBe('string');
    }
  });
});
