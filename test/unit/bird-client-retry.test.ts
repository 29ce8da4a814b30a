// Bird client resilience against the emulator's scripted faults: which calls are retried, how often, within which deadline and budget, counted from the emulator's request log.

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createBirdClient } from '../../src/bird/client.ts';
import type { BirdClient, BirdClientOptions, CallOptions } from '../../src/bird/client.ts';
import { BirdError } from '../../src/bird/errors.ts';
import type { CreateMessageRequest } from '../../src/bird/types.ts';
import { startEmulator } from '../../src/emulator/server.ts';
import type { Emulator } from '../../src/emulator/server.ts';
import { SEED } from '../../src/emulator/seed.ts';

const WS = SEED.workspaces.main.id;
const CH = SEED.channels.sms.id;
const call: CallOptions = { credential: { scheme: 'AccessKey', token: SEED.accessKeys.demo } };
const channel = { workspaceId: WS, channelId: CH };
const message: CreateMessageRequest = {
  receiver: { contacts: [{ identifierValue: '+31612345678' }] },
  body: { type: 'text', text: { text: 'hello' } },
};

const GET_CHANNEL = 'GET /workspaces/:ws/channels/:ch';
const SEND = 'POST /workspaces/:ws/channels/:ch/messages';

let emulator: Emulator;
const clients: BirdClient[] = [];

/**
 * Short timeouts keep the suite fast. undici checks headers/body timeouts on a ~0.5 s tick, so a 150 ms timeout
 * fires somewhere below ~1 s: the delay faults are 2.5 s, far beyond either.
 */
function client(options: Partial<BirdClientOptions> = {}): BirdClient {
  const created = createBirdClient({
    apiUrl: emulator.url,
    headersTimeoutMs: 150,
    bodyTimeoutMs: 150,
    connectTimeoutMs: 500,
    deadlineMs: 8_000,
    random: () => 0, // no jitter: retries follow each other at once
    ...options,
  });
  clients.push(created);
  return created;
}

const count = (route: string) => emulator.requests.filter((r) => r.route === route).length;

/** The log may record a delayed request only when the emulator finishes answering it. */
async function expectCount(route: string, expected: number): Promise<void> {
  await vi.waitFor(() => expect(count(route)).toBe(expected), { timeout: 5_000, interval: 50 });
}

async function failure(promise: Promise<unknown>): Promise<BirdError> {
  const error = await promise.then(
    () => expect.fail('expected the call to fail'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BirdError);
  return error as BirdError;
}

const delay = (ms: number) => ({ delayMs: ms });
/** A 429 without Retry-After (Bird documents none): the client falls back to its jittered backoff (0 ms here). */
const TOO_MANY = { status: 429, body: { code: 'TooManyRequests', message: 'Too many requests' } };

beforeAll(async () => {
  emulator = await startEmulator({ rateLimits: false });
});

afterEach(async () => {
  emulator.clearFaults();
  emulator.resetRequests();
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await emulator.close();
});

describe('GET retries', () => {
  it('retries a 503 and succeeds (2 requests)', async () => {
    emulator.setFaults({ [GET_CHANNEL]: [503] });
    await expect(client().getChannel(channel, call)).resolves.toMatchObject({ id: CH });
    expect(count(GET_CHANNEL)).toBe(2);
  });

  it.each([
    ['429 without Retry-After', TOO_MANY],
    ['500', 500],
    ['502', 502],
    ['504', 504],
    ['reset', 'reset'],
  ] as const)('retries after %s', async (_label, fault) => {
    emulator.setFaults({ [GET_CHANNEL]: [fault] });
    await expect(client().getChannel(channel, call)).resolves.toMatchObject({ id: CH });
    expect(count(GET_CHANNEL)).toBe(2);
  });

  it('gives up after 3 attempts with UPSTREAM', async () => {
    emulator.setFaults({ [GET_CHANNEL]: [503, 503, 503, 503] });
    const error = await failure(client().getChannel(channel, call));
    expect(error).toMatchObject({ code: 'UPSTREAM', status: 503, attempts: 3, outcomeUnknown: false });
    expect(count(GET_CHANNEL)).toBe(3);
  });

  it('gives up after 3 resets with NETWORK', async () => {
    emulator.setFaults({ [GET_CHANNEL]: ['reset', 'reset', 'reset'] });
    const error = await failure(client().getChannel(channel, call));
    expect(error).toMatchObject({ code: 'NETWORK', attempts: 3 });
    expect(count(GET_CHANNEL)).toBe(3);
  });

  it.each([400, 401, 403, 404, 409, 422])('never retries a %i', async (status) => {
    emulator.setFaults({ [GET_CHANNEL]: [status] });
    const error = await failure(client().getChannel(channel, call));
    expect(error).toMatchObject({ status, attempts: 1 });
    expect(count(GET_CHANNEL)).toBe(1);
  });

  it('never retries invalid JSON on a 200 (BAD_RESPONSE)', async () => {
    emulator.setFaults({ [GET_CHANNEL]: ['invalid-json'] });
    const error = await failure(client().getChannel(channel, call));
    expect(error).toMatchObject({ code: 'BAD_RESPONSE', status: 200, attempts: 1 });
    expect(count(GET_CHANNEL)).toBe(1);
  });

  it('retries after a headers timeout', async () => {
    emulator.setFaults({ [GET_CHANNEL]: [delay(2_500)] });
    await expect(client().getChannel(channel, call)).resolves.toMatchObject({ id: CH });
    await expectCount(GET_CHANNEL, 2);
  });

  it('retries after a body timeout', async () => {
    emulator.setFaults({ [GET_CHANNEL]: [{ slowBodyMs: 2_500 }] });
    await expect(client().getChannel(channel, call)).resolves.toMatchObject({ id: CH });
    await expectCount(GET_CHANNEL, 2);
  });

  it('reports TIMEOUT when every attempt times out', async () => {
    emulator.setFaults({ [GET_CHANNEL]: [delay(2_500), delay(2_500)] });
    const error = await failure(client({ retry: { maxRetries: 1 } }).getChannel(channel, call));
    expect(error).toMatchObject({ code: 'TIMEOUT', attempts: 2 });
    expect((error.cause as { code?: string }).code).toBe('UND_ERR_HEADERS_TIMEOUT');
    await expectCount(GET_CHANNEL, 2);
  });

  it('reports the body timeout as TIMEOUT', async () => {
    emulator.setFaults({ [GET_CHANNEL]: [{ slowBodyMs: 2_500 }] });
    const error = await failure(client({ retry: { maxRetries: 0 } }).getChannel(channel, call));
    expect(error).toMatchObject({ code: 'TIMEOUT', attempts: 1 });
    expect((error.cause as { code?: string }).code).toBe('UND_ERR_BODY_TIMEOUT');
  });
});

describe('Retry-After and the deadline', () => {
  const rateLimited = { status: 429, headers: { 'retry-after': '1' } };

  it('honours Retry-After when it fits the deadline', async () => {
    emulator.setFaults({ [GET_CHANNEL]: [rateLimited] });
    await expect(client().getChannel(channel, call)).resolves.toMatchObject({ id: CH });
    expect(count(GET_CHANNEL)).toBe(2);
  });

  it('fails fast as RATE_LIMITED with retryAfterMs when Retry-After does not fit', async () => {
    emulator.setFaults({ [GET_CHANNEL]: [rateLimited, rateLimited] });
    const error = await failure(client({ deadlineMs: 500 }).getChannel(channel, call));
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryAfterMs: 1000, attempts: 1 });
    expect(count(GET_CHANNEL)).toBe(1);
  });

  it('ends with RATE_LIMITED when 429s outlast the retries', async () => {
    emulator.setFaults({ [GET_CHANNEL]: [TOO_MANY, TOO_MANY, TOO_MANY] });
    const error = await failure(client().getChannel(channel, call));
    expect(error).toMatchObject({ code: 'RATE_LIMITED', attempts: 3 });
    expect(error.retryAfterMs).toBeUndefined();
    expect(count(GET_CHANNEL)).toBe(3);
  });

  it('does not start a backoff that would outlive the deadline', async () => {
    emulator.setFaults({ [GET_CHANNEL]: [503, 503, 503] });
    const bird = client({ deadlineMs: 500, random: () => 0.99, retry: { baseMs: 1_000 } });
    const error = await failure(bird.getChannel(channel, call));
    expect(error).toMatchObject({ code: 'UPSTREAM', attempts: 1 });
    expect(count(GET_CHANNEL)).toBe(1);
  });

  it('cuts an attempt short at the deadline (TIMEOUT, no further attempt)', async () => {
    emulator.setFaults({ [GET_CHANNEL]: [delay(2_500), delay(2_500)] });
    const bird = client({ deadlineMs: 300, headersTimeoutMs: 10_000 });
    const error = await failure(bird.getChannel(channel, call));
    expect(error).toMatchObject({ code: 'TIMEOUT', attempts: 1 });
    expect(error.message).toMatch(/deadline/);
    await expectCount(GET_CHANNEL, 1);
  });

  it("aborts when the caller's signal aborts", async () => {
    emulator.setFaults({ [GET_CHANNEL]: [delay(2_500)] });
    const controller = new AbortController();
    const pending = client({ headersTimeoutMs: 10_000 }).getChannel(channel, { ...call, signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const error = await failure(pending);
    expect(error).toMatchObject({ code: 'TIMEOUT', attempts: 1 });
    expect(error.message).toMatch(/aborted by the caller/);
    await expectCount(GET_CHANNEL, 1);
  });

  it('aborts a backoff wait, and never starts with an aborted signal', async () => {
    emulator.setFaults({ [GET_CHANNEL]: [503, 503] });
    const bird = client({ random: () => 0.99, retry: { baseMs: 1_000 } });
    const pending = bird.getChannel(channel, { ...call, signal: AbortSignal.timeout(100) });
    expect(await failure(pending)).toMatchObject({ code: 'TIMEOUT', attempts: 1 });
    expect(count(GET_CHANNEL)).toBe(1);

    const aborted = await failure(bird.getChannel(channel, { ...call, signal: AbortSignal.abort() }));
    expect(aborted).toMatchObject({ code: 'TIMEOUT', attempts: 0, outcomeUnknown: false });
    expect(count(GET_CHANNEL)).toBe(1);
  });
});

describe('POST (sendMessage) is sent again only when Bird cannot have processed it', () => {
  it.each([500, 503, 'reset'] as const)('after %s: exactly one request, outcome unknown', async (fault) => {
    emulator.setFaults({ [SEND]: [fault, fault, fault] });
    const error = await failure(client().sendMessage({ ...channel, message }, call));
    expect(error).toMatchObject({ method: 'POST', attempts: 1, outcomeUnknown: true });
    expect(error.code).toBe(fault === 'reset' ? 'NETWORK' : 'UPSTREAM');
    expect(count(SEND)).toBe(1);
  });

  it('after a headers timeout: exactly one request, outcome unknown', async () => {
    emulator.setFaults({ [SEND]: [delay(2_500), delay(2_500)] });
    const error = await failure(client().sendMessage({ ...channel, message }, call));
    expect(error).toMatchObject({ code: 'TIMEOUT', attempts: 1, outcomeUnknown: true });
    await expectCount(SEND, 1);
  });

  it('after a body timeout or invalid JSON on the 202: one request, outcome unknown', async () => {
    emulator.setFaults({ [SEND]: [{ slowBodyMs: 2_500 }, 'invalid-json'] });
    const bird = client();
    expect(await failure(bird.sendMessage({ ...channel, message }, call))).toMatchObject({
      code: 'TIMEOUT',
      attempts: 1,
      outcomeUnknown: true,
    });
    expect(await failure(bird.sendMessage({ ...channel, message }, call))).toMatchObject({
      code: 'BAD_RESPONSE',
      attempts: 1,
      outcomeUnknown: true,
    });
    await expectCount(SEND, 2);
  });

  it('after 429, 429: sent 3 times and succeeds', async () => {
    emulator.setFaults({ [SEND]: [TOO_MANY, TOO_MANY] });
    await expect(client().sendMessage({ ...channel, message }, call)).resolves.toMatchObject({ status: 'accepted' });
    expect(count(SEND)).toBe(3);
  });

  it('a 429 that outlasts the retries is RATE_LIMITED with a known outcome', async () => {
    emulator.setFaults({ [SEND]: [TOO_MANY, TOO_MANY, TOO_MANY] });
    const error = await failure(client().sendMessage({ ...channel, message }, call));
    expect(error).toMatchObject({ code: 'RATE_LIMITED', attempts: 3, outcomeUnknown: false });
    expect(count(SEND)).toBe(3);
  });

  it('a batch after a 502 is sent once, outcome unknown', async () => {
    const BATCH = 'POST /workspaces/:ws/channels/:ch/batch/messages';
    emulator.setFaults({ [BATCH]: [502] });
    const error = await failure(client().sendBatch({ ...channel, messageRequests: [message] }, call));
    expect(error).toMatchObject({ code: 'UPSTREAM', attempts: 1, outcomeUnknown: true });
    expect(count(BATCH)).toBe(1);
  });

  it('a 4xx is not an unknown outcome', async () => {
    emulator.setFaults({ [SEND]: [422] });
    expect(await failure(client().sendMessage({ ...channel, message }, call))).toMatchObject({
      code: 'INVALID_REQUEST',
      outcomeUnknown: false,
    });
  });
});

describe('retry budget', () => {
  it('stops retrying once the budget is spent, and refills with traffic', async () => {
    emulator.setFaults({ [GET_CHANNEL]: Array(20).fill(503) });
    const bird = client({ retry: { budget: { ratio: 0.5, max: 1 } } });
    // Full bucket (1 token): the first call retries once, then the bucket is empty.
    expect(await failure(bird.getChannel(channel, call))).toMatchObject({ attempts: 2 });
    expect(count(GET_CHANNEL)).toBe(2);
    // 0.5 deposited: not enough for a retry.
    expect(await failure(bird.getChannel(channel, call))).toMatchObject({ attempts: 1 });
    // Another 0.5: one token again, one retry.
    expect(await failure(bird.getChannel(channel, call))).toMatchObject({ attempts: 2 });
    expect(count(GET_CHANNEL)).toBe(5);
  });

  it('with the default budget, a Bird failing every call is not hammered', async () => {
    emulator.setFaults({ [GET_CHANNEL]: Array(200).fill(503) });
    const bird = client();
    const calls = 40;
    for (let i = 0; i < calls; i++) await failure(bird.getChannel(channel, call));
    // 10 tokens to start with plus 0.2 per call: at most 10 + 0.2 * 40 = 18 retries.
    expect(count(GET_CHANNEL)).toBeLessThanOrEqual(calls + 18);
    expect(count(GET_CHANNEL)).toBeGreaterThan(calls);
  });
});
