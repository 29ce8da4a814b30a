// Emulator faults and rate limits: each scripted fault kind, script exhaustion, the request log, and per-workspace 429s under an injected clock.
import http from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from '../../src/emulator/seed.ts';
import { startEmulator, type Emulator } from '../../src/emulator/server.ts';
import { get, KEY, post, SMS, WS, WS2 } from './emulator-helpers.ts';

const CHANNEL = `/workspaces/${WS}/channels/${SMS}`;
const ROUTE = 'GET /workspaces/:ws/channels/:ch';

/** Raw GET through node:http, recording when each body chunk arrived relative to the headers. */
function rawGet(url: string): Promise<{ status: number; chunks: Buffer[]; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { authorization: `AccessKey ${KEY}` }, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, chunks, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

describe('scripted faults', () => {
  let e: Emulator;
  beforeAll(async () => {
    e = await startEmulator({ rateLimits: false });
  });
  afterEach(() => {
    e.clearFaults();
    e.resetRequests();
  });
  afterAll(() => e.close());

  it('a status answers with a Bird error body, then the exhausted script serves normally', async () => {
    e.setFaults({ [ROUTE]: [503, 500] });
    const first = await get(e, CHANNEL);
    expect(first.status).toBe(503);
    expect(first.body).toEqual({ code: 'InternalError', message: expect.any(String) });
    expect((await get(e, CHANNEL)).status).toBe(500);
    const third = await get(e, CHANNEL);
    expect(third.status).toBe(200);
    expect(third.body.id).toBe(SMS);
    expect(e.requests.map((r) => [r.route, r.status])).toEqual([
      [ROUTE, 503],
      [ROUTE, 500],
      [ROUTE, 200],
    ]);
  });

  it('faults apply only to their own route; "*" matches every route', async () => {
    e.setFaults({ [ROUTE]: [404], '*': [502] });
    expect((await get(e, `/workspaces/${WS}/channels`)).status).toBe(502);
    expect((await get(e, CHANNEL)).status).toBe(404);
    expect((await get(e, `/workspaces/${WS}/channels`)).status).toBe(200);
  });

  it('429 faults carry Retry-After: 1; 2xx numbers and "pass" serve normally', async () => {
    e.setFaults({ [ROUTE]: [429, 200, 'pass'] });
    const limited = await get(e, CHANNEL);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.body.code).toBe('TooManyRequests');
    expect((await get(e, CHANNEL)).body.id).toBe(SMS);
    expect((await get(e, CHANNEL)).body.id).toBe(SMS);
  });

  it('an object fault can set status, headers and body', async () => {
    e.setFaults({ [ROUTE]: [{ status: 418, headers: { 'x-extra': 'yes' }, body: { code: 'Teapot', message: 'short and stout' } }] });
    const res = await get(e, CHANNEL);
    expect(res.status).toBe(418);
    expect(res.headers.get('x-extra')).toBe('yes');
    expect(res.body).toEqual({ code: 'Teapot', message: 'short and stout' });
  });

  it('reset destroys the socket without an answer (logged with status 0)', async () => {
    e.setFaults({ [ROUTE]: ['reset'] });
    await expect(fetch(`${e.url}${CHANNEL}`, { headers: { authorization: `AccessKey ${KEY}` } })).rejects.toThrow();
    expect(e.requests).toEqual([expect.objectContaining({ route: ROUTE, status: 0 })]);
    expect((await get(e, CHANNEL)).status).toBe(200);
  });

  it('invalid-json answers 200 with a body that does not parse', async () => {
    e.setFaults({ [ROUTE]: ['invalid-json'] });
    const res = await get(e, CHANNEL);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(() => JSON.parse(res.text)).toThrow();
  });

  it('delayMs holds the answer back: a later request overtakes it', async () => {
    e.setFaults({ [ROUTE]: [{ delayMs: 150 }] });
    const order: string[] = [];
    const slow = get(e, CHANNEL).then((r) => order.push(`slow ${r.status}`));
    await new Promise((r) => setTimeout(r, 10)); // let the slow request arrive first
    const fast = get(e, `/workspaces/${WS}/channels`).then((r) => order.push(`fast ${r.status}`));
    await Promise.all([slow, fast]);
    expect(order).toEqual(['fast 200', 'slow 200']);
  });

  it('delayMs combines with a status', async () => {
    e.setFaults({ [ROUTE]: [{ delayMs: 20, status: 504 }] });
    expect((await get(e, CHANNEL)).status).toBe(504);
  });

  it('slowBodyMs sends the headers and part of the body, then the rest later', async () => {
    e.setFaults({ [ROUTE]: [{ slowBodyMs: 100 }] });
    const res = await rawGet(`${e.url}${CHANNEL}`);
    expect(res.status).toBe(200);
    expect(res.chunks.length).toBeGreaterThanOrEqual(2);
    expect(JSON.parse(res.body).id).toBe(SMS);
  });

  it('faults from the constructor option; POST routes too', async () => {
    const f = await startEmulator({ rateLimits: false, faults: { 'POST /workspaces/:ws/channels/:ch/messages': [500] } });
    try {
      const body = { receiver: { contacts: [{ identifierValue: '+31611111111' }] }, body: { type: 'text', text: { text: 'x' } } };
      expect((await post(f, `${CHANNEL}/messages`, body)).status).toBe(500);
      expect((await post(f, `${CHANNEL}/messages`, body)).status).toBe(202);
    } finally {
      await f.close();
    }
  });

  it('setFaults replaces the script; clearFaults removes it', async () => {
    e.setFaults({ [ROUTE]: [500, 500] });
    e.setFaults({ [ROUTE]: [404] });
    expect((await get(e, CHANNEL)).status).toBe(404);
    expect((await get(e, CHANNEL)).status).toBe(200);
    e.setFaults({ [ROUTE]: [500] });
    e.clearFaults();
    expect((await get(e, CHANNEL)).status).toBe(200);
  });

  it('close() ends pending delays and keep-alive sockets promptly', async () => {
    const f = await startEmulator({ faults: { [ROUTE]: [{ delayMs: 60_000 }] } });
    const pending = fetch(`${f.url}${CHANNEL}`, { headers: { authorization: `AccessKey ${KEY}` } }).catch(() => 'closed');
    await new Promise((r) => setTimeout(r, 20));
    await f.close();
    expect(await pending).toBe('closed');
  });
});

describe('rate limits (per workspace, fixed 1-second windows, injected clock)', () => {
  let clock = 1_000_000;
  let e: Emulator;
  beforeAll(async () => {
    e = await startEmulator({ rateLimits: { getPerSecond: 3, postPerSecond: 2 }, now: () => clock });
  });
  afterAll(() => e.close());

  it('the 4th GET in a second is 429 with Retry-After: 1 and a Bird error body', async () => {
    clock = 2_000_000;
    for (let i = 0; i < 3; i++) expect((await get(e, CHANNEL)).status).toBe(200);
    const res = await get(e, CHANNEL);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.body).toEqual({ code: 'TooManyRequests', message: expect.any(String) });
  });

  it('counts per workspace and per method; the next second starts afresh', async () => {
    clock = 3_000_000;
    for (let i = 0; i < 3; i++) await get(e, CHANNEL);
    expect((await get(e, CHANNEL)).status).toBe(429);
    expect((await get(e, `/workspaces/${WS2}/channels`)).status).toBe(200);
    const search = { identifier: { key: 'phonenumber', value: '+1' } };
    expect((await post(e, `/workspaces/${WS}/contacts/search`, search)).status).toBe(200);
    expect((await post(e, `/workspaces/${WS}/contacts/search`, search)).status).toBe(200);
    expect((await post(e, `/workspaces/${WS}/contacts/search`, search)).status).toBe(429);
    clock += 1000;
    expect((await get(e, CHANNEL)).status).toBe(200);
  });

  it('unauthenticated requests do not spend the workspace budget', async () => {
    clock = 4_000_000;
    for (let i = 0; i < 5; i++) expect((await get(e, CHANNEL, { key: 'wrong' })).status).toBe(401);
    expect((await get(e, CHANNEL)).status).toBe(200);
  });

  it('defaults to 50 GET/s per workspace', async () => {
    const fixed = await startEmulator({ now: () => 5_000_000 });
    try {
      const statuses = [];
      for (let i = 0; i < 51; i++) statuses.push((await get(fixed, `/workspaces/${WS}/channels`)).status);
      expect(statuses.slice(0, 50).every((s) => s === 200)).toBe(true);
      expect(statuses[50]).toBe(429);
      expect((await get(fixed, `/workspaces/${SEED.workspaces.third.id}/channels`)).status).toBe(200);
    } finally {
      await fixed.close();
    }
  });

  it('rateLimits: false disables limiting', async () => {
    const open = await startEmulator({ rateLimits: false, now: () => 6_000_000 });
    try {
      for (let i = 0; i < 60; i++) expect((await get(open, CHANNEL)).status).toBe(200);
    } finally {
      await open.close();
    }
  });
});
