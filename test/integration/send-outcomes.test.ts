// What sendMessage tells its caller for every answer Bird can give a POST: "nothing was sent" only after a 429 or a
// connection that never opened, "rejected" after Bird's refusals, and "outcome unknown" (with the reference) otherwise.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBirdClient } from '../../src/bird/client.ts';
import { BirdError } from '../../src/bird/errors.ts';
import type { Fault } from '../../src/emulator/server.ts';
import { SEED } from '../../src/emulator/seed.ts';
import { mutationErrorFrom } from '../../src/schema/mutation-errors.ts';
import { SendMessageDocument } from '../gql/generated.ts';
import { DEMO_KEY, type TestStack, startTestStack } from '../helpers.ts';

const WS = SEED.workspaces.main.id;
const SMS = SEED.channels.sms.id;
const POST_MESSAGE = 'POST /workspaces/:ws/channels/:ch/messages';
const REFERENCE = 'outcome-row';
const input = {
  workspaceId: WS,
  channelId: SMS,
  receivers: [{ identifierValue: SEED.contacts[0]!.phone }],
  content: { body: { text: { text: 'outcome matrix' } } },
  reference: REFERENCE,
};
/** The answers that tell the caller that resending is safe. */
const SAFE_TO_RETRY = new Set(['UpstreamUnavailableError', 'RateLimitedError']);

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ emulator: { rateLimits: false }, bird: { random: () => 0, retry: { budget: { ratio: 1, max: 1_000 } } } });
});
afterAll(async () => {
  await stack.close();
});
beforeEach(() => {
  stack.requests.resetUpstream();
  stack.emulator.clearFaults();
});

const posts = () => stack.requests.upstream().filter((entry) => entry.route === POST_MESSAGE);

/** A scripted answer: the status with a small body (a status below 400 without a body would serve normally). */
const answer = (status: number): Fault => ({
  status,
  body: { code: 'Scripted', message: `scripted ${status}` },
  ...(status >= 300 && status < 400 ? { headers: { location: 'https://elsewhere.example/messages' } } : {}),
});

async function send(): Promise<{ typename: string; code?: string; reference?: string }> {
  const result = await stack.execute(SendMessageDocument, { input });
  const payload = result.data?.sendMessage;
  if (!payload) return { typename: 'error', code: String(result.errors?.[0]?.extensions?.code) };
  return { typename: payload.__typename, ...('reference' in payload ? { reference: payload.reference } : {}) };
}

describe('a POST that reached Bird and got no definite answer: the outcome is unknown', () => {
  const statuses = [301, 302, 307, 308, 405, 408, 410, 413, 418, 425, 451, 499, 500, 501, 502, 503, 504];
  it.each(statuses)('%i → OutcomeUnknownError with the reference, 1 POST, never resent', async (status) => {
    stack.emulator.setFaults({ [POST_MESSAGE]: [answer(status), answer(status), answer(status)] });
    const outcome = await send();
    expect(outcome).toEqual({ typename: 'OutcomeUnknownError', reference: REFERENCE });
    expect(posts().map((entry) => entry.status)).toEqual([status]);
  });
});

describe("Bird's refusals: the request was rejected, and the caller is told why", () => {
  const rows: [number, string][] = [
    [400, 'ValidationError'],
    [422, 'ValidationError'],
    [404, 'NotFoundError'],
    [409, 'ConflictError'],
    [401, 'error:UNAUTHENTICATED'],
    [403, 'error:FORBIDDEN'],
  ];
  it.each(rows)('%i → %s, 1 POST', async (status, expected) => {
    stack.emulator.setFaults({ [POST_MESSAGE]: [status] });
    const outcome = await send();
    expect(outcome.code === undefined ? outcome.typename : `error:${outcome.code}`).toBe(expected);
    expect(posts().map((entry) => entry.status)).toEqual([status]);
  });
});

describe('"nothing was sent" only where it is certain', () => {
  it('429: Bird documents it as not processed; resent, and reported as rate limited when it persists', async () => {
    stack.emulator.setFaults({ [POST_MESSAGE]: [429, 429, 429] });
    expect((await send()).typename).toBe('RateLimitedError');
    expect(posts().map((entry) => entry.status)).toEqual([429, 429, 429]);
  });

  it('a connection that never opened: 0 requests reached anyone, reported as safe to retry', async () => {
    // A port nobody listens on: every attempt is refused before a byte is sent.
    const closed = createBirdClient({ apiUrl: 'http://127.0.0.1:1', random: () => 0, deadlineMs: 2_000 });
    try {
      const error = await closed
        .sendMessage({ workspaceId: WS, channelId: SMS, message: { receiver: { contacts: [] } } as never }, { credential: { scheme: 'AccessKey', token: DEMO_KEY } })
        .then(() => expect.fail('the send succeeded'), (caught: unknown) => caught);
      expect(error).toBeInstanceOf(BirdError);
      expect(error).toMatchObject({ code: 'NETWORK', outcomeUnknown: false });
      expect(mutationErrorFrom(error, { resource: 'channel', reference: REFERENCE }).name).toBe('UpstreamUnavailableError');
    } finally {
      await closed.close();
    }
  });

  it('across the whole matrix: 0 "safe to retry" answers after a POST reached Bird with anything but 429', async () => {
    const seen: string[] = [];
    for (const status of [301, 302, 307, 308, 400, 401, 403, 404, 405, 408, 409, 410, 413, 418, 422, 425, 451, 499, 500, 503]) {
      stack.requests.resetUpstream();
      stack.emulator.setFaults({ [POST_MESSAGE]: [answer(status), answer(status), answer(status)] });
      const outcome = await send();
      expect(posts(), String(status)).toHaveLength(1);
      if (SAFE_TO_RETRY.has(outcome.typename)) seen.push(`${status} → ${outcome.typename}`);
    }
    expect(seen).toEqual([]);
  });
});
