// The retry policy alone, no server: which failure is resent for which method, the backoff, Retry-After, the budget.
import { describe, expect, it } from 'vitest';
import {
  RETRY_POLICY,
  RetryBudget,
  backoffMs,
  isIdempotent,
  isRetryable,
  outcomeOf,
  parseRetryAfter,
  resolveRetryPolicy,
  retryDelay,
  wasNeverSent,
} from '../../src/bird/retry.ts';
import type { FailureKind, RetryQuestion } from '../../src/bird/retry.ts';

const policy = resolveRetryPolicy();
const status = (code: number, retryAfterMs?: number): FailureKind => ({ kind: 'status', status: code, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
const transport = (code: string | undefined): FailureKind => ({ kind: 'transport', code });

/** A random source that must not be asked. */
const noRandom = (): number => expect.fail('random() was called');

describe('the policy as data', () => {
  it('is frozen, and overrides replace only what they give', () => {
    expect(Object.isFrozen(RETRY_POLICY)).toBe(true);
    expect(resolveRetryPolicy()).toEqual(RETRY_POLICY);
    const tuned = resolveRetryPolicy({ maxRetries: 0, baseMs: undefined, budget: { ratio: 1, max: 2 } });
    expect(tuned).toEqual({ ...RETRY_POLICY, maxRetries: 0, budget: { ratio: 1, max: 2 } });
    expect(RETRY_POLICY.maxRetries).toBe(2);
  });

  it('GET is idempotent, POST is not', () => {
    expect(isIdempotent(policy, 'GET')).toBe(true);
    expect(isIdempotent(policy, 'POST')).toBe(false);
  });
});

describe('isRetryable: is this failure resent for this method', () => {
  it('a GET is resent on 429 and 5xx gateway statuses, never on other statuses', () => {
    for (const code of [429, 500, 502, 503, 504]) expect(isRetryable(policy, 'GET', status(code))).toBe(true);
    for (const code of [400, 401, 403, 404, 409, 422, 501]) expect(isRetryable(policy, 'GET', status(code))).toBe(false);
  });

  it('a POST is resent on 429 only: Bird says a 429 was not processed, a 5xx may have been', () => {
    expect(isRetryable(policy, 'POST', status(429))).toBe(true);
    for (const code of [500, 502, 503, 504, 400, 422]) expect(isRetryable(policy, 'POST', status(code))).toBe(false);
  });

  it('a GET is resent on every listed transport failure, a POST only when nothing was sent', () => {
    for (const code of policy.transportErrors) expect(isRetryable(policy, 'GET', transport(code))).toBe(true);
    for (const code of ['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']) {
      expect(isRetryable(policy, 'POST', transport(code))).toBe(false);
    }
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']) {
      expect(wasNeverSent(policy, code)).toBe(true);
      expect(isRetryable(policy, 'POST', transport(code))).toBe(true);
    }
  });

  it('an unknown or missing transport code and a final failure are never resent', () => {
    for (const method of ['GET', 'POST']) {
      expect(isRetryable(policy, method, transport(undefined))).toBe(false);
      expect(isRetryable(policy, method, transport('UND_ERR_RES_EXCEEDED_MAX_SIZE'))).toBe(false);
      expect(isRetryable(policy, method, { kind: 'final' })).toBe(false);
    }
    expect(wasNeverSent(policy, undefined)).toBe(false);
    expect(wasNeverSent(policy, 'ECONNRESET')).toBe(false);
  });
});

describe('outcomeOf: what a failed POST did at Bird', () => {
  it('not processed only after a 429 or a connection that never opened', () => {
    expect(outcomeOf(policy, status(429))).toBe('not-processed');
    for (const code of policy.unsentErrors) expect(outcomeOf(policy, transport(code))).toBe('not-processed');
  });

  it("rejected after Bird's documented refusals", () => {
    for (const code of [400, 401, 403, 404, 409, 422]) expect(outcomeOf(policy, status(code))).toBe('rejected');
  });

  it('unknown after any other answer and after any failure once connected', () => {
    for (const code of [301, 302, 303, 307, 308, 405, 408, 410, 413, 418, 425, 451, 499, 500, 501, 502, 503, 504, 599]) {
      expect(outcomeOf(policy, status(code)), String(code)).toBe('unknown');
    }
    for (const code of ['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', undefined]) {
      expect(outcomeOf(policy, transport(code)), String(code)).toBe('unknown');
    }
  });
});

describe('backoffMs: full jitter', () => {
  it('waits a uniform share of min(capMs, baseMs * 2^(n-1)), in whole milliseconds', () => {
    expect(backoffMs(policy, 1, () => 0)).toBe(0);
    expect(backoffMs(policy, 1, () => 0.5)).toBe(50);
    expect(backoffMs(policy, 2, () => 0.5)).toBe(100);
    expect(backoffMs(policy, 3, () => 0.5)).toBe(200);
    expect(backoffMs(policy, 1, () => 0.999)).toBe(99);
  });

  it('never exceeds the cap, however many retries', () => {
    expect(backoffMs(policy, 5, () => 0.999)).toBe(999);
    expect(backoffMs(policy, 40, () => 0.999)).toBe(999);
    expect(backoffMs({ baseMs: 30, capMs: 50 }, 2, () => 0.5)).toBe(25);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-06-30T12:00:00Z');

  it('reads delta-seconds and HTTP dates (a past date means now)', () => {
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter(['2', '9'], now)).toBe(2_000);
    expect(parseRetryAfter('Mon, 30 Jun 2025 12:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('Mon, 30 Jun 2025 11:00:00 GMT', now)).toBe(0);
  });

  it('ignores an absent, empty or unreadable header', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('   ', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('RetryBudget: the token bucket', () => {
  it('starts full, a retry spends one token, and an empty bucket refuses without going negative', () => {
    const budget = new RetryBudget({ ratio: 0.5, max: 2 });
    expect(budget.tokens).toBe(2);
    expect(budget.trySpend()).toBe(true);
    expect(budget.trySpend()).toBe(true);
    expect(budget.trySpend()).toBe(false);
    expect(budget.tokens).toBe(0);
  });

  it('every call deposits the ratio, up to the maximum', () => {
    const budget = new RetryBudget({ ratio: 0.5, max: 2 });
    budget.trySpend();
    budget.trySpend();
    budget.deposit();
    expect(budget.trySpend()).toBe(false); // half a token is not a retry
    budget.deposit();
    expect(budget.trySpend()).toBe(true);
    for (let i = 0; i < 10; i++) budget.deposit();
    expect(budget.tokens).toBe(2);
  });
});

describe('retryDelay: the whole decision after a failed attempt', () => {
  const ask = (question: Partial<RetryQuestion>): RetryQuestion => ({
    method: 'GET',
    failure: status(503),
    attempts: 1,
    replayable: true,
    remainingMs: 10_000,
    ...question,
  });

  it('answers the backoff and spends one token', () => {
    const budget = new RetryBudget({ ratio: 0, max: 3 });
    expect(retryDelay(policy, budget, () => 0.5, ask({}))).toBe(50);
    expect(retryDelay(policy, budget, () => 0.5, ask({ attempts: 2 }))).toBe(100);
    expect(budget.tokens).toBe(1);
  });

  it("prefers Bird's Retry-After to the backoff", () => {
    const budget = new RetryBudget(policy.budget);
    expect(retryDelay(policy, budget, noRandom, ask({ method: 'POST', failure: status(429, 1_500) }))).toBe(1_500);
    expect(retryDelay(policy, budget, noRandom, ask({ failure: status(503, 0) }))).toBe(0);
  });

  it('gives up after maxRetries, for a body that cannot be resent, and when the policy says no, spending nothing', () => {
    const budget = new RetryBudget({ ratio: 0, max: 1 });
    expect(retryDelay(policy, budget, noRandom, ask({ attempts: policy.maxRetries + 1 }))).toBeUndefined();
    expect(retryDelay(policy, budget, noRandom, ask({ method: 'POST', failure: status(429), replayable: false }))).toBeUndefined();
    expect(retryDelay(policy, budget, noRandom, ask({ method: 'POST', failure: status(503) }))).toBeUndefined();
    expect(retryDelay(policy, budget, noRandom, ask({ failure: { kind: 'final' } }))).toBeUndefined();
    expect(budget.tokens).toBe(1);
    expect(retryDelay(policy, budget, () => 0, ask({ attempts: policy.maxRetries }))).toBe(0);
  });

  it('gives up at once when the wait does not fit in what is left of the deadline, spending nothing', () => {
    const budget = new RetryBudget({ ratio: 0, max: 1 });
    expect(retryDelay(policy, budget, noRandom, ask({ failure: status(429, 2_000), remainingMs: 2_000 }))).toBeUndefined();
    expect(retryDelay(policy, budget, () => 0.999, ask({ attempts: 2, remainingMs: 150 }))).toBeUndefined();
    expect(budget.tokens).toBe(1);
    expect(retryDelay(policy, budget, noRandom, ask({ failure: status(429, 1_999), remainingMs: 2_000 }))).toBe(1_999);
  });

  it('gives up when the budget is spent', () => {
    const budget = new RetryBudget({ ratio: 0, max: 1 });
    expect(retryDelay(policy, budget, () => 0, ask({}))).toBe(0);
    expect(retryDelay(policy, budget, () => 0, ask({}))).toBeUndefined();
  });

  it('against a Bird failing every call, 200 calls retry at most max + ratio * 200 times', () => {
    const budget = new RetryBudget(policy.budget);
    let retries = 0;
    for (let call = 0; call < 200; call++) {
      budget.deposit();
      for (let attempts = 1; retryDelay(policy, budget, () => 0, ask({ attempts })) !== undefined; attempts++) retries++;
    }
    expect(retries).toBeLessThanOrEqual(policy.budget.max + policy.budget.ratio * 200);
    expect(retries).toBeGreaterThanOrEqual(policy.budget.ratio * 200);
  });
});
