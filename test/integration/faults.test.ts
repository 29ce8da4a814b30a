// The fault matrix of VERIFY.md (f): every upstream fault against a query (`message`) and against `sendMessage`,
// asserting the response, the error code and the number of attempts the emulator saw.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Fault } from '../../src/emulator/server.ts';
import { SEED } from '../../src/emulator/seed.ts';
import { SendMessageDocument } from '../gql/generated.ts';
import { type TestStack, startTestStack } from '../helpers.ts';

const WS = SEED.workspaces.main.id;
const MSG = SEED.messages.emailWithInteractions;
const GET_MESSAGE = 'GET /workspaces/:ws/channels/:ch/messages/:msg';
const POST_MESSAGE = 'POST /workspaces/:ws/channels/:ch/messages';

const QUERY = `query Fault($ws: UUID!, $ch: UUID!, $msg: UUID!) {
  message(workspaceId: $ws, channelId: $ch, messageId: $msg) { messageId }
  typename: __typename
}`;

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({
    emulator: { rateLimits: false },
    bird: {
      // Short attempts, a deadline that fits three slow attempts (undici checks timeouts on a ~1 s tick), pinned jitter,
      // and a retry budget large enough that earlier rows never starve later ones.
      headersTimeoutMs: 300,
      bodyTimeoutMs: 300,
      deadlineMs: 8_000,
      random: () => 0.01,
      retry: { budget: { ratio: 1, max: 1_000 } },
    },
  });
});
afterAll(async () => {
  await stack.close();
});
beforeEach(() => {
  stack.requests.resetUpstream();
  stack.emulator.clearFaults();
});

const times = (n: number, fault: Fault): Fault[] => Array.from({ length: n }, () => fault);
const attempts = (route: string) => stack.requests.upstream().filter((entry) => entry.route === route).length;
const slowHeaders: Fault = { delayMs: 2_500 };
const slowBody: Fault = { slowBodyMs: 2_500 };

interface Row {
  fault: string;
  script: Fault[];
  /** The query: `message` is null, this is the error code (undefined: no error), and the GETs seen. */
  query: { code: string | undefined; attempts: number; retryAfter?: number; fields?: string[] };
  /** sendMessage: the result type, and the POSTs seen. */
  send: { typename: string; attempts: number; code?: string };
}

const rows: Row[] = [
  {
    fault: '429 + Retry-After: 1',
    script: times(3, { status: 429, headers: { 'retry-after': '1' } }),
    query: { code: 'RATE_LIMITED', attempts: 3, retryAfter: 1 },
    send: { typename: 'RateLimitedError', attempts: 3 },
  },
  {
    fault: '429 + Retry-After longer than the deadline (fails at once)',
    script: times(3, { status: 429, headers: { 'retry-after': '60' } }),
    query: { code: 'RATE_LIMITED', attempts: 1, retryAfter: 60 },
    send: { typename: 'RateLimitedError', attempts: 1 },
  },
  {
    fault: '429 without Retry-After',
    script: times(3, { status: 429, body: { code: 'TooManyRequests', message: 'slow down' } }),
    query: { code: 'RATE_LIMITED', attempts: 3 },
    send: { typename: 'RateLimitedError', attempts: 3 },
  },
  ...[500, 502, 503, 504].map(
    (status): Row => ({
      fault: String(status),
      script: times(3, status),
      query: { code: 'UPSTREAM_UNAVAILABLE', attempts: 3 },
      send: { typename: 'OutcomeUnknownError', attempts: 1 },
    }),
  ),
  { fault: 'reset', script: times(3, 'reset'), query: { code: 'UPSTREAM_UNAVAILABLE', attempts: 3 }, send: { typename: 'OutcomeUnknownError', attempts: 1 } },
  { fault: 'slow headers', script: times(3, slowHeaders), query: { code: 'UPSTREAM_UNAVAILABLE', attempts: 3 }, send: { typename: 'OutcomeUnknownError', attempts: 1 } },
  { fault: 'slow body', script: times(3, slowBody), query: { code: 'UPSTREAM_UNAVAILABLE', attempts: 3 }, send: { typename: 'OutcomeUnknownError', attempts: 1 } },
  { fault: 'invalid JSON on a 200', script: times(3, 'invalid-json'), query: { code: 'UPSTREAM_UNAVAILABLE', attempts: 1 }, send: { typename: 'OutcomeUnknownError', attempts: 1 } },
  { fault: '400', script: [400], query: { code: 'BAD_USER_INPUT', attempts: 1 }, send: { typename: 'ValidationError', attempts: 1 } },
  {
    fault: '422 with details',
    script: [{ status: 422, body: { code: 'ValidationError', message: 'invalid', details: { 'body.text.text': ['too long'] } } }],
    query: { code: 'BAD_USER_INPUT', attempts: 1, fields: ['body.text.text'] },
    send: { typename: 'ValidationError', attempts: 1 },
  },
  { fault: '401', script: [401], query: { code: 'UNAUTHENTICATED', attempts: 1 }, send: { typename: 'error', code: 'UNAUTHENTICATED', attempts: 1 } },
  { fault: '403', script: [403], query: { code: 'FORBIDDEN', attempts: 1 }, send: { typename: 'error', code: 'FORBIDDEN', attempts: 1 } },
  { fault: '404', script: [404], query: { code: undefined, attempts: 1 }, send: { typename: 'NotFoundError', attempts: 1 } },
];

describe('fault matrix: query `message` (GET, retried when idempotent)', () => {
  it.each(rows)('$fault', async ({ script, query }) => {
    stack.emulator.setFaults({ [GET_MESSAGE]: script });
    const result = await stack.execute(QUERY, { ws: WS, ch: MSG.channelId, msg: MSG.id });
    // The sibling field keeps its data; the failed one is null.
    expect(result.data).toEqual({ message: null, typename: 'Query' });
    if (query.code === undefined) {
      expect(result.errors).toBeUndefined();
    } else {
      expect(result.errors).toHaveLength(1);
      const [error] = result.errors!;
      expect(error!.path).toEqual(['message']);
      expect(error!.extensions).toEqual({
        code: query.code,
        ...(query.retryAfter === undefined ? {} : { retryAfter: query.retryAfter }),
        ...(query.fields === undefined ? {} : { fields: query.fields }),
      });
      // Our message only: never Bird's body, a URL or the key.
      expect(error!.message).not.toMatch(/scripted|http:|AccessKey|workspaces\//);
    }
    expect(attempts(GET_MESSAGE)).toBe(query.attempts);
  }, 20_000);
});

describe('fault matrix: sendMessage (POST, resent only when Bird certainly did not process it)', () => {
  const input = {
    workspaceId: WS,
    channelId: SEED.channels.sms.id,
    receivers: [{ identifierValue: SEED.contacts[0]!.phone }],
    content: { body: { text: { text: 'matrix' } } },
    reference: 'fault-row',
  };

  it.each(rows)('$fault', async ({ script, send }) => {
    stack.emulator.setFaults({ [POST_MESSAGE]: script });
    const result = await stack.execute(SendMessageDocument, { input });
    if (send.typename === 'error') {
      // sendMessage's result is non-null: an error outside its result union nulls the whole answer.
      expect(result.data ?? null).toBeNull();
      expect(result.errors?.map((error) => error.extensions?.code)).toEqual([send.code]);
    } else {
      expect(result.errors).toBeUndefined();
      const payload = result.data!.sendMessage!;
      expect(payload.__typename).toBe(send.typename);
      if (payload.__typename === 'OutcomeUnknownError') expect(payload.reference).toBe('fault-row');
      if (payload.__typename === 'ValidationError') expect(payload.fields.length).toBeGreaterThan(0);
    }
    expect(attempts(POST_MESSAGE)).toBe(send.attempts);
  }, 20_000);
});
