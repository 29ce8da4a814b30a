// The retry policy as data and its pure parts: which failure is resent for which method, the shared budget, the backoff.

export interface RetryPolicy {
  /** Retries after the first attempt: a call sends at most `maxRetries + 1` requests. */
  maxRetries: number;
  /** Full-jitter backoff: retry n waits `random() * min(capMs, baseMs * 2^(n-1))` unless Bird sent Retry-After. */
  baseMs: number;
  capMs: number;
  /** Methods without side effects: resent after any failure in `statuses` or `transportErrors`. */
  idempotentMethods: readonly string[];
  statuses: readonly number[];
  transportErrors: readonly string[];
  /** Statuses after which ANY method is resent: Bird documents that a 429 "has not been processed". */
  unprocessedStatuses: readonly number[];
  /** Statuses with which Bird definitely refused a request without acting on it; never resent, the outcome is known. */
  rejectedStatuses: readonly number[];
  /** Transport failures where no connection was ever made, so nothing was sent: ANY method is resent. */
  unsentErrors: readonly string[];
  /** Token bucket shared by every call of one client: a call deposits `ratio`, a retry spends 1; holds at most `max`, starts full. */
  budget: { ratio: number; max: number };
}

/**
 * When a call is sent again. The rule that matters: a request with side effects (POST) is resent only when it is
 * certain Bird did not process it. Bird's Channels API has no idempotency key, so resending a `sendMessage` after a
 * 5xx, a timeout or a reset could deliver the message twice. That certainty exists in two cases only:
 *  - Bird answered 429, which its docs say "has not been processed and can be retried";
 *  - the connection was never established (refused, DNS failure, connect timeout), so no byte left this process.
 * A reset or timeout on an established connection proves nothing: the request may have been read and acted on.
 * GETs have no side effects and are also resent on 5xx gateway-ish statuses and on any transport failure.
 */
export const RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxRetries: 2,
  baseMs: 100,
  capMs: 1_000,
  idempotentMethods: ['GET'],
  statuses: [429, 500, 502, 503, 504],
  transportErrors: [
    'ECONNRESET',
    'ECONNREFUSED',
    'EPIPE',
    'ETIMEDOUT',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'ENOTFOUND',
    'EAI_AGAIN',
    'UND_ERR_SOCKET', // "other side closed"
    'UND_ERR_CONNECT_TIMEOUT',
    'UND_ERR_HEADERS_TIMEOUT',
    'UND_ERR_BODY_TIMEOUT',
    'UND_ERR_RES_CONTENT_LENGTH_MISMATCH', // truncated body
  ],
  unprocessedStatuses: [429],
  // Bird's documented refusals (bad request, authentication, access, not found, conflict, validation): 3xx, the other
  // 4xx (405, 408, 410, 413, 418, 425, 451, 499, ...) and every 5xx say nothing certain about a POST.
  rejectedStatuses: [400, 401, 403, 404, 409, 422],
  unsentErrors: ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'],
  // 20 % of recent calls plus a floor of 10 retries: a healthy client never notices it; against a Bird answering
  // 503 to everything, retries settle at 0.2 per call instead of tripling the load.
  budget: { ratio: 0.2, max: 10 },
});

/** RETRY_POLICY with the given overrides; an override left undefined keeps the default. */
export function resolveRetryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const defined = Object.entries(overrides).filter(([, value]) => value !== undefined);
  return { ...RETRY_POLICY, ...(Object.fromEntries(defined) as Partial<RetryPolicy>) };
}

/** Why an attempt failed, in the terms the policy speaks (the transport adds its BirdError to each). */
export type FailureKind =
  | { kind: 'status'; status: number; retryAfterMs?: number }
  | { kind: 'transport'; code: string | undefined }
  /** Never resent: an abort, the deadline, or a 2xx with a body we cannot use. */
  | { kind: 'final' };

export function isIdempotent(policy: RetryPolicy, method: string): boolean {
  return policy.idempotentMethods.includes(method);
}

/** A transport failure that happened before any connection existed: the request certainly did not reach Bird. */
export function wasNeverSent(policy: RetryPolicy, code: string | undefined): boolean {
  return code !== undefined && policy.unsentErrors.includes(code);
}

/**
 * What a failed request with side effects did at Bird, the one classification behind "safe to retry" answers:
 * - `not-processed`: certainly nothing happened: Bird answered 429, or no connection was ever made;
 * - `rejected`: Bird answered with one of its documented refusals (`rejectedStatuses`);
 * - `unknown`: any other answer (a redirect, any other 4xx, a 5xx) or a failure after the connection was made:
 *   Bird received the request and may have acted on it.
 * A `final` failure (an abort in flight, an unusable 2xx) is `unknown` here; an abort before any request is
 * classified where it happens.
 */
export type RequestOutcome = 'not-processed' | 'rejected' | 'unknown';

export function outcomeOf(policy: RetryPolicy, failure: FailureKind): RequestOutcome {
  if (failure.kind === 'final') return 'unknown';
  if (failure.kind === 'transport') return wasNeverSent(policy, failure.code) ? 'not-processed' : 'unknown';
  if (policy.unprocessedStatuses.includes(failure.status)) return 'not-processed';
  return policy.rejectedStatuses.includes(failure.status) ? 'rejected' : 'unknown';
}

/** Whether this failure may be resent for this method, by the policy alone (budget and deadline aside). */
export function isRetryable(policy: RetryPolicy, method: string, failure: FailureKind): boolean {
  const idempotent = isIdempotent(policy, method);
  switch (failure.kind) {
    case 'status':
      return policy.unprocessedStatuses.includes(failure.status) || (idempotent && policy.statuses.includes(failure.status));
    case 'transport':
      return (
        failure.code !== undefined && (wasNeverSent(policy, failure.code) || (idempotent && policy.transportErrors.includes(failure.code)))
      );
    case 'final':
      return false;
  }
}

/** Full jitter: retry n (1-based) waits a uniform share of `min(capMs, baseMs * 2^(n-1))`, in whole milliseconds. */
export function backoffMs(policy: Pick<RetryPolicy, 'baseMs' | 'capMs'>, retry: number, random: () => number): number {
  return Math.floor(random() * Math.min(policy.capMs, policy.baseMs * 2 ** (retry - 1)));
}

/** Retry-After as milliseconds to wait: delta-seconds or an HTTP date (a past date is 0); undefined when absent or unreadable. */
export function parseRetryAfter(header: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The token bucket that caps retries at a share of all calls, so a failing Bird is not hammered by its clients. */
export class RetryBudget {
  #tokens: number;
  readonly #ratio: number;
  readonly #max: number;

  constructor(budget: RetryPolicy['budget']) {
    this.#ratio = budget.ratio;
    this.#max = budget.max;
    this.#tokens = budget.max;
  }

  get tokens(): number {
    return this.#tokens;
  }

  /** Every call pays in once, whether or not it ever retries. */
  deposit(): void {
    this.#tokens = Math.min(this.#max, this.#tokens + this.#ratio);
  }

  /** Takes one token for a retry; false (and nothing taken) when less than one is left. */
  trySpend(): boolean {
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

export interface RetryQuestion {
  method: string;
  failure: FailureKind;
  /** Attempts made so far, the failed one included (1 after the first request). */
  attempts: number;
  /** False when the request body cannot be sent again (a stream already read). */
  replayable: boolean;
  /** What is left of the call's deadline. */
  remainingMs: number;
}

/**
 * The whole decision after a failed attempt: the wait before the next one, or undefined to give up. In this order:
 * the policy and the attempt count, then the wait (Retry-After, else jittered backoff), which must fit what is left
 * of the deadline (when it does not, waiting cannot help, so the caller gets the error at once, a 429 with its
 * retryAfterMs), and last the budget, which is spent only by a retry that will really happen.
 */
export function retryDelay(
  policy: RetryPolicy,
  budget: RetryBudget,
  random: () => number,
  question: RetryQuestion,
): number | undefined {
  const { method, failure, attempts } = question;
  if (!question.replayable || attempts > policy.maxRetries || !isRetryable(policy, method, failure)) return undefined;
  const waitMs = (failure.kind === 'status' ? failure.retryAfterMs : undefined) ?? backoffMs(policy, attempts, random);
  if (waitMs >= question.remainingMs) return undefined;
  if (!budget.trySpend()) return undefined;
  return waitMs;
}
