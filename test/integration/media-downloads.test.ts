// GET /media/<token> when Bird's media body fails: the browser's response ends cut off instead of hanging; and the route's redirect chain never hands the key to the object store.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED } from '../../src/emulator/seed.ts';
import { deriveMediaLinkKeys, sealMediaLink } from '../../src/media/links.ts';
import { DEMO_KEY, type TestStack, startTestStack } from '../helpers.ts';

const IMAGE = SEED.messages.incomingImage;
const PNG = Buffer.from(SEED.media.png.base64, 'base64');
const OBJECT = 'GET /objects/:key';

let stack: TestStack;
let server: http.Server;
let base: string;

beforeAll(async () => {
  // The test stack's body timeout is 1 s: a body silent for longer fails upstream.
  stack = await startTestStack({ emulator: { rateLimits: false } });
  server = http.createServer(stack.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await stack.close();
});
beforeEach(() => {
  stack.requests.resetUpstream();
  stack.emulator.clearFaults();
});

const link = () =>
  `/media/${sealMediaLink(deriveMediaLinkKeys(stack.config.media.linkSecret), {
    mediaUrl: `${stack.emulator.url}${IMAGE.mediaPath}`,
    credential: { scheme: 'AccessKey', token: DEMO_KEY },
    expiresAt: Math.floor(Date.now() / 1000) + 60,
  })}`;

/** Reads a response body to its end or its failure: the bytes that came, and how it ended. */
async function drain(body: ReadableStream<Uint8Array> | null): Promise<{ bytes: number; ended: 'complete' | 'aborted' }> {
  let bytes = 0;
  const reader = body!.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { bytes, ended: 'complete' };
      bytes += value.byteLength;
    }
  } catch {
    return { bytes, ended: 'aborted' };
  }
}

describe("Bird's media body stalls after the headers", () => {
  it('over a socket: the response ends, cut off short of its length, instead of hanging', async () => {
    stack.emulator.setFaults({ [OBJECT]: [{ slowBodyMs: 60_000 }] });
    const response = await fetch(`${base}${link()}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(PNG.length));
    const outcome = await drain(response.body);
    expect(outcome.ended).toBe('aborted');
    expect(outcome.bytes).toBeLessThan(PNG.length);
  }, 20_000);

  it('in process (yoga.fetch): the body errors for its reader instead of hanging', async () => {
    stack.emulator.setFaults({ [OBJECT]: [{ slowBodyMs: 60_000 }] });
    const response = await stack.fetch(link());
    expect(response.status).toBe(200);
    const outcome = await drain(response.body);
    expect(outcome.ended).toBe('aborted');
    expect(outcome.bytes).toBeLessThan(PNG.length);
  }, 20_000);

  it('the next download on the same server is served whole', async () => {
    const response = await fetch(`${base}${link()}`);
    expect(Buffer.from(await response.arrayBuffer()).equals(PNG)).toBe(true);
  });
});

describe('the redirect chain behind a signed link', () => {
  it('Bird gets the key and answers 302; the object store serves the bytes and never sees a key', async () => {
    const response = await fetch(`${base}${link()}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(IMAGE.contentType);
    expect(response.headers.get('content-disposition')).toBe('inline');
    expect(Buffer.from(await response.arrayBuffer()).equals(PNG)).toBe(true);
    expect(stack.requests.upstream().map((entry) => `${entry.route} ${entry.status}`)).toEqual(['GET /workspaces/:ws/messages/:msg/media/:media 302']);
    expect(stack.emulator.objectStore.requests.map((entry) => ({ route: entry.route, status: entry.status, authorization: entry.authorization }))).toEqual([
      { route: OBJECT, status: 200, authorization: false },
    ]);
  });

  it("an object store failure is the route's 502, without echoing the store", async () => {
    stack.emulator.setFaults({ [OBJECT]: [500, 500, 500] });
    const response = await fetch(`${base}${link()}`);
    expect(response.status).toBe(502);
    const text = await response.text();
    expect(text).not.toMatch(/objects|X-Amz|127\.0\.0\.1/);
    // A GET is retried at the object store, not at Bird: the redirect was fine.
    expect(stack.emulator.objectStore.requests.map((entry) => entry.status)).toEqual([500, 500, 500]);
  });
});
