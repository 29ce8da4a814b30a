// BirdError: the one error the Bird client throws, with a stable code, built from an HTTP answer or a transport failure.
//
// Callers branch on `code`, never on `message`. Nothing here ever holds the caller's credential: `route` is the path
// template (no ids, no query values), messages are built from our own words plus status and Bird's error code, and the
// client scrubs the token out of any parsed body before it lands in `body` (see `scrubSecret`).

export type BirdErrorCode =
  | 'NOT_FOUND'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'INVALID_REQUEST'
  | 'CONFLICT'
  | 'UPSTREAM'
  | 'TIMEOUT'
  | 'NETWORK'
  | 'BAD_RESPONSE'
  | 'INVALID_ID'
  /** The request spent its budget of upstream calls (MAX_UPSTREAM_CALLS): refused before anything was sent. */
  | 'CALL_BUDGET_EXCEEDED';

export interface BirdErrorInit {
  code: BirdErrorCode;
  message: string;
  method: string;
  route: string;
  attempts: number;
  status?: number;
  body?: unknown;
  details?: Record<string, string[]>;
  retryAfterMs?: number;
  outcomeUnknown?: boolean;
  cause?: unknown;
}

export class BirdError extends Error {
  override readonly name = 'BirdError';
  /** Stable machine-readable reason; branch on this. */
  readonly code: BirdErrorCode;
  /** The HTTP status Bird answered, when it answered. */
  readonly status?: number;
  /** Bird's parsed error body (JSON), with the credential scrubbed out. */
  readonly body?: unknown;
  /** A 400/422 `ValidationError`'s `details`: field path → messages. */
  readonly details?: Record<string, string[]>;
  /** From `Retry-After` (seconds or HTTP date), when Bird sent one. */
  readonly retryAfterMs?: number;
  readonly method: string;
  /** The path template, e.g. `/workspaces/{workspaceId}/channels/{channelId}`; never ids, query values or keys. */
  readonly route: string;
  /** Requests actually sent (0 when the call was refused before the network, e.g. INVALID_ID). */
  readonly attempts: number;
  /**
   * True when a non-idempotent request (POST) may have been processed by Bird: the request was sent and then any
   * answer but a 429 or one of Bird's refusals (400, 401, 403, 404, 409, 422) came, or a timeout, a reset, an abort
   * or an unreadable 2xx followed (src/bird/retry.ts, outcomeOf). Such a call must not be blindly resent (Bird's
   * Channels API has no idempotency key), and callers should tell their users the outcome is unknown.
   */
  readonly outcomeUnknown: boolean;

  constructor(init: BirdErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.method = init.method;
    this.route = init.route;
    this.attempts = init.attempts;
    this.outcomeUnknown = init.outcomeUnknown ?? false;
    if (init.status !== undefined) this.status = init.status;
    if (init.body !== undefined) this.body = init.body;
    if (init.details !== undefined) this.details = init.details;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
  }
}

export function isBirdError(error: unknown): error is BirdError {
  return error instanceof BirdError;
}

/** The code for an HTTP status Bird answered with (2xx never reaches here). */
export function codeForStatus(status: number): BirdErrorCode {
  switch (status) {
    case 400:
    case 422:
      return 'INVALID_REQUEST';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 409:
      return 'CONFLICT';
    case 429:
      return 'RATE_LIMITED';
    default:
      return 'UPSTREAM';
  }
}

/** `err.code` of a Node or undici error (`ECONNRESET`, `UND_ERR_HEADERS_TIMEOUT`, …), if any. */
export function transportCodeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

const TIMEOUT_TRANSPORT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

/** TIMEOUT for undici's connect/headers/body timeouts, BAD_RESPONSE for an oversized body, NETWORK for the rest. */
export function codeForTransportError(error: unknown): BirdErrorCode {
  const code = transportCodeOf(error);
  if (code !== undefined && TIMEOUT_TRANSPORT_CODES.has(code)) return 'TIMEOUT';
  if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') return 'BAD_RESPONSE';
  return 'NETWORK';
}

/** Bird's error `code` string (`NotFound`, `ValidationError`, …) when the body has one. */
export function birdCodeOf(body: unknown): string | undefined {
  const code = (body as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && code.length <= 100 ? code : undefined;
}

/** `details` of a `ValidationError` body, kept only when it has the documented shape (field → string[]). */
export function validationDetailsOf(body: unknown): Record<string, string[]> | undefined {
  const details = (body as { details?: unknown } | null | undefined)?.details;
  if (details === null || typeof details !== 'object' || Array.isArray(details)) return undefined;
  const entries = Object.entries(details);
  const valid = entries.every(([, messages]) => Array.isArray(messages) && messages.every((m) => typeof m === 'string'));
  return valid ? (Object.fromEntries(entries) as Record<string, string[]>) : undefined;
}

/**
 * A deep copy of a parsed JSON body with every occurrence of `secret` replaced. Bird (or anything between us and
 * Bird) may echo request headers in an error body; the credential must never ride along inside a BirdError.
 */
export function scrubSecret(value: unknown, secret: string | undefined): unknown {
  if (!secret) return value;
  if (typeof value === 'string') return value.split(secret).join('[REDACTED]');
  if (Array.isArray(value)) return value.map((item) => scrubSecret(item, secret));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [scrubSecret(key, secret) as string, scrubSecret(item, secret)]),
    );
  }
  return value;
}
