// The transport under every Bird call: undici pools per origin, execute() with its deadline, aborts and attempts, capped bodies, failures classified into BirdError.

import type { Readable } from 'node:stream';
import { setTimeout as sleepFor } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { Dispatcher } from 'undici';
import { Coalescer, credentialId } from './coalesce.ts';
import {
  BirdError,
  birdCodeOf,
  codeForStatus,
  codeForTransportError,
  scrubSecret,
  transportCodeOf,
  validationDetailsOf,
} from './errors.ts';
import { RetryBudget, isIdempotent, outcomeOf, parseRetryAfter, resolveRetryPolicy, retryDelay } from './retry.ts';
import type { FailureKind, RetryPolicy } from './retry.ts';
import type { FairShare, Release } from './fair-share.ts';
import { createPools } from './pools.ts';
import { BIRD_RATE_LIMITS, createPacer, rateBucketOf } from './pacing.ts';
import type { Pacer, PacingLimits } from './pacing.ts';

// ---------------------------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------------------------

/** The caller's Bird credential, sent as `Authorization: <scheme> <token>`; passed per call, never stored. */
export interface Credential {
  scheme: 'AccessKey' | 'Bearer';
  token: string;
}

export interface CallOptions {
  credential: Credential;
  /** Aborts the call (all attempts and waits); the GraphQL request's signal. */
  signal?: AbortSignal;
  /** Sent as `x-request-id` (visible ASCII, at most 200 characters; otherwise omitted). */
  requestId?: string;
  /** Told about every attempt and retry (metrics, logs, traces); its own failures are ignored. */
  onEvent?: (event: UpstreamEvent) => void;
  /** The request's own cap on calls in flight (src/bird/handle.ts), taken before the credential's share. */
  requestSlots?: FairShare;
}

/**
 * What an observer learns about a call: the route TEMPLATE (never the built path or its ids), never headers or bodies.
 * `status` is Bird's HTTP status, or undefined when no response came (then `error` holds the BirdError code).
 */
export type UpstreamEvent =
  | { type: 'attempt'; method: string; route: string; attempt: number; status?: number; error?: string; durationMs: number }
  | { type: 'retry'; method: string; route: string; attempt: number; delayMs: number; status?: number };

export interface BirdClientOptions {
  /** `https://api.bird.com` or the emulator's url. */
  apiUrl: string;
  /** `https://media.api.bird.com`; defaults to `apiUrl` (the emulator serves both). */
  mediaUrl?: string;
  connectTimeoutMs?: number;
  /** Per attempt: time to receive the response headers. */
  headersTimeoutMs?: number;
  /** Per attempt: longest silence between two body chunks. */
  bodyTimeoutMs?: number;
  /** Per call: all attempts and waits together (for downloadMedia: until the response headers). */
  deadlineMs?: number;
  /** The deadline of one storage upload (uploadFile), which may carry up to 100 MiB; default 10 minutes. */
  uploadDeadlineMs?: number;
  /** Connections per origin. */
  connections?: number;
  /** Hard cap on any response body, media included (undici aborts beyond it). JSON bodies are capped lower. */
  maxResponseSize?: number;
  retry?: Partial<RetryPolicy>;
  /** Jitter source in [0, 1); injectable for deterministic tests. */
  random?: () => number;
  userAgent?: string;
  /**
   * Calls one credential may have in flight per origin, of `connections` (src/bird/fair-share.ts); the rest wait in
   * turn, round-robin across credentials, within their deadline. Default: half the connections.
   */
  maxInFlightPerCredential?: number;
  /** Per-workspace pacing, in calls per second (src/bird/pacing.ts); a null limit or false = not paced. Default: Bird's 50 GET/s, 500 POST/s. */
  pacing?: PacingLimits | false;
  /** Redis shared by the replicas for the pacing buckets (`redis://…`); absent = each process paces alone. */
  redisUrl?: string | null;
  /** Origins media downloads may be redirected to besides public https ones (src/bird/media.ts), e.g. the emulator's object store. */
  mediaRedirectOrigins?: readonly string[];
}

// ---------------------------------------------------------------------------------------------------------------
// Limits: explicit data, one place
// ---------------------------------------------------------------------------------------------------------------

/** The options' timeouts, sizes and user agent, each resolved to the given value or its default. */
export type TransportSettings = Required<
  Pick<
    BirdClientOptions,
    'connectTimeoutMs' | 'headersTimeoutMs' | 'bodyTimeoutMs' | 'deadlineMs' | 'uploadDeadlineMs' | 'connections' | 'maxResponseSize' | 'userAgent'
  >
>;

/**
 * Timeouts and sizes used when the options leave them out. undici's own defaults are 300 s timeouts and no size cap.
 * undici checks headers and body timeouts on a coarse (~0.5 s) tick, so sub-second values fire up to ~1 s late; the
 * deadline (one timer per call) is precise.
 */
export const CLIENT_DEFAULTS = Object.freeze({
  connectTimeoutMs: 3_000,
  headersTimeoutMs: 5_000,
  bodyTimeoutMs: 5_000,
  deadlineMs: 10_000, // well under a router's 30 s
  // A storage upload streams up to 100 MiB (Bird's limit): 10 minutes is about 1.4 Mbit/s at that size.
  uploadDeadlineMs: 600_000,
  connections: 16,
  maxResponseSize: 128 * 1024 * 1024, // media: Bird allows 100 MiB uploads
  userAgent: 'bird-graphql/0.1 (undici)',
} satisfies TransportSettings);

/** JSON responses are buffered to be parsed, so they get a far lower cap than streamed media. */
const MAX_JSON_BYTES = 16 * 1024 * 1024;
/** Error bodies are read only for their `{code, message, details}`. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

// ---------------------------------------------------------------------------------------------------------------
// Headers
// ---------------------------------------------------------------------------------------------------------------

/** Visible ASCII only: anything else could split headers, and undici's own complaint might quote the value. */
const HEADER_TOKEN = /^[\x21-\x7e]+$/;

export function authorizationHeader(credential: Credential | undefined, method: string, route: string): string {
  const valid =
    credential !== undefined &&
    (credential.scheme === 'AccessKey' || credential.scheme === 'Bearer') &&
    typeof credential.token === 'string' &&
    credential.token.length <= 4096 &&
    HEADER_TOKEN.test(credential.token);
  if (!valid) {
    throw new BirdError({
      code: 'UNAUTHENTICATED',
      message: `${method} ${route}: the credential is missing or malformed`,
      method,
      route,
      attempts: 0,
    });
  }
  return `${credential.scheme} ${credential.token}`;
}

export function requestIdHeader(requestId: string | undefined): Record<string, string> {
  return requestId !== undefined && requestId.length <= 200 && HEADER_TOKEN.test(requestId)
    ? { 'x-request-id': requestId }
    : {};
}

export function headerValue(header: string | string[] | undefined): string | undefined {
  return Array.isArray(header) ? header[0] : header;
}

// ---------------------------------------------------------------------------------------------------------------
// Bodies
// ---------------------------------------------------------------------------------------------------------------

/**
 * Reads a body up to `limit` bytes; `undefined` when it is larger. Leaving the loop early makes the iterator destroy
 * the stream, which releases (closes) the connection instead of leaving it held.
 */
export async function readAtMost(body: Readable, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/**
 * Releases a body we will not read. undici's body reports an early destroy as an 'error' (RequestAbortedError); with
 * no listener that would crash the process, so one is attached first. The socket is closed, not reused.
 */
export function discard(body: Readable): void {
  if (body.destroyed) return;
  body.on('error', () => {});
  body.destroy();
}

/** Only a single non-negative integer is a Content-Length undici enforces (it fails a body that differs from it). */
const CONTENT_LENGTH = /^\d+$/;

/**
 * readAtMost for a response: when its Content-Length already bounds the body within `limit`, undici's own consumer
 * reads it (no async iteration of the stream, a promise per chunk; same bytes, same errors); when it declares more,
 * nothing is read.
 */
async function readCapped(response: Dispatcher.ResponseData, limit: number): Promise<Buffer | undefined> {
  const declared = headerValue(response.headers['content-length']);
  if (declared === undefined || !CONTENT_LENGTH.test(declared)) return readAtMost(response.body, limit);
  if (Number(declared) > limit) return undefined;
  return Buffer.from(await response.body.arrayBuffer());
}

/** A 2xx whose body is not what the endpoint promises; becomes BAD_RESPONSE (never retried). */
class UnexpectedResponse extends Error {}

export type Shape<T> = (value: unknown) => value is T;

/** A 2xx JSON body, capped, parsed and checked against the endpoint's shape. */
export async function readJson<T>(response: Dispatcher.ResponseData, isShape: Shape<T>): Promise<T> {
  const bytes = await readCapped(response, MAX_JSON_BYTES);
  if (bytes === undefined) throw new UnexpectedResponse(`response larger than ${MAX_JSON_BYTES} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new UnexpectedResponse('response is not valid JSON');
  }
  if (!isShape(value)) throw new UnexpectedResponse('response has an unexpected shape');
  return value;
}

// ---------------------------------------------------------------------------------------------------------------
// One call: its signals and deadline, the classification of each attempt's outcome
// ---------------------------------------------------------------------------------------------------------------

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  origin: string;
  /** Path template, for errors. */
  route: string;
  /** Built path with query string. */
  path: string;
  headers: Record<string, string>;
  /** The secret to scrub from error bodies (absent for storage uploads, which carry none). */
  secret?: string;
  body?: { open(): string | Readable; replayable: boolean };
  /** Keep the response body open and hand it to the caller (downloadMedia). */
  streaming?: boolean;
  /** Overrides the per-call deadline (uploads of up to 100 MiB need far longer than a JSON call). */
  deadlineMs?: number;
  /** Hand 301/302/303/307/308 answers to onSuccess instead of failing (media downloads follow them themselves). */
  redirects?: boolean;
}

export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** Why an attempt failed, with the error the caller gets when it is not retried. */
type Failure = FailureKind & { error: BirdError };

/** `status` is Bird's answer to this attempt, when one came. */
type AttemptResult<T> = { ok: true; status: number; value: T } | { ok: false; status?: number; failure: Failure };

/** The signals and the deadline of one logical call. */
interface CallScope {
  /** Aborted by the caller or by the deadline: ends waits and attempts. */
  signal: AbortSignal;
  /** What each request listens to (differs from `signal` for streamed downloads). */
  requestSignal: AbortSignal;
  remainingMs(): number;
  abortedError(attempts: number, inFlight: boolean): BirdError;
  /** Clears the deadline timer and the listener on the caller's signal. */
  dispose(): void;
}

/** One call in flight, with the client's retry state its attempts share with every other call. */
interface ActiveCall {
  spec: RequestSpec;
  idempotent: boolean;
  scope: CallScope;
  policy: RetryPolicy;
  budget: RetryBudget;
  random: () => number;
  /** Waits for the workspace's next turn (src/bird/pacing.ts); a number = refused, retry after that many ms. */
  pace?: (maxWaitMs: number) => Promise<number | undefined>;
}

/**
 * A paced call may wait for its workspace's turn at most this share of what is left of its deadline, so the request
 * itself still has time: a POST cut off in flight by the deadline would leave its outcome unknown.
 */
const PACING_SHARE_OF_DEADLINE = 0.5;

/**
 * One controller and one timer per call, both released by dispose(): what AbortSignal.timeout plus
 * AbortSignal.any([caller, deadline]) did, at a fraction of the cost (those allocate signals, a DOMException per
 * timeout, GC-tracked dependants, and make @whatwg-node's lazy request signal build a native one). The caller's
 * signal is only listened to, and only when there is one.
 */
function openCallScope(spec: RequestSpec, idempotent: boolean, deadlineMs: number, callerSignal: AbortSignal | undefined): CallScope {
  const startedAt = Date.now();
  const controller = new AbortController();
  // A streamed download may outlive the deadline once its headers are in (bodyTimeout still bounds every stall), so
  // its request listens to the deadline through a controller that is left behind when the call returns, and to the
  // caller's signal for as long as the body streams.
  const headerPhase = spec.streaming ? new AbortController() : undefined;
  const onDeadline = (): void => {
    const reason = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    controller.abort(reason);
    headerPhase?.abort(reason);
  };
  const onCallerAbort = (): void => controller.abort(callerSignal?.reason);
  const deadlineTimer = setTimeout(onDeadline, deadlineMs);
  deadlineTimer.unref();
  if (callerSignal) {
    if (callerSignal.aborted) controller.abort(callerSignal.reason);
    else callerSignal.addEventListener('abort', onCallerAbort, { once: true });
  }
  let requestSignal = controller.signal;
  if (headerPhase) {
    // Not AbortSignal.any([callerSignal, …]): Node 24 refuses a caller signal that is not a native AbortSignal, such
    // as the one @whatwg-node gives requests that arrive over a socket (every media download answered 502).
    if (callerSignal?.aborted) headerPhase.abort(callerSignal.reason);
    else callerSignal?.addEventListener('abort', () => headerPhase.abort(callerSignal.reason), { once: true });
    requestSignal = headerPhase.signal;
  }

  return {
    signal: controller.signal,
    requestSignal,
    remainingMs: () => deadlineMs - (Date.now() - startedAt),
    abortedError(attempts, inFlight) {
      const byCaller = callerSignal?.aborted === true;
      return new BirdError({
        code: 'TIMEOUT',
        message: byCaller
          ? `${spec.method} ${spec.route}: aborted by the caller`
          : `${spec.method} ${spec.route}: deadline of ${deadlineMs} ms exceeded`,
        method: spec.method,
        route: spec.route,
        attempts,
        outcomeUnknown: inFlight && !idempotent,
        ...(byCaller ? { cause: callerSignal.reason } : {}),
      });
    },
    dispose() {
      clearTimeout(deadlineTimer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    },
  };
}

/** No answer came (or its body broke off): an abort of ours, or a network failure under its undici/system code. */
function transportFailure({ spec, idempotent, policy, scope }: ActiveCall, error: unknown, attempts: number): Failure {
  if (scope.signal.aborted) return { kind: 'final', error: scope.abortedError(attempts, true) };
  const code = transportCodeOf(error);
  const birdCode = codeForTransportError(error);
  return {
    kind: 'transport',
    code,
    error: new BirdError({
      code: birdCode,
      message: `${spec.method} ${spec.route}: ${birdCode === 'TIMEOUT' ? 'timed out' : 'transport failure'} (${code ?? 'unknown'})`,
      method: spec.method,
      route: spec.route,
      attempts,
      // Not sent at all (connection never made) → known not processed; anything later may have been.
      outcomeUnknown: !idempotent && outcomeOf(policy, { kind: 'transport', code }) === 'unknown',
      cause: error,
    }),
  };
}

/** A non-2xx answer: its body is read (capped) for Bird's `{code, message, details}`, then released. */
async function statusFailure({ spec, idempotent, policy }: ActiveCall, response: Dispatcher.ResponseData, attempts: number): Promise<Failure> {
  const { statusCode: status, headers } = response;
  let body: unknown;
  try {
    const bytes = await readAtMost(response.body, MAX_ERROR_BODY_BYTES);
    body = bytes === undefined ? undefined : scrubSecret(JSON.parse(bytes.toString('utf8')), spec.secret);
  } catch {
    discard(response.body); // unreadable or not JSON: the status alone decides
    body = undefined;
  }
  const code = codeForStatus(status);
  const birdCode = birdCodeOf(body);
  const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(headers['retry-after']) : undefined;
  const details = code === 'INVALID_REQUEST' ? validationDetailsOf(body) : undefined;
  const error = new BirdError({
    code,
    message: `${spec.method} ${spec.route}: Bird answered ${status}${birdCode ? ` ${birdCode}` : ''}`,
    status,
    ...(body === undefined ? {} : { body }),
    ...(details === undefined ? {} : { details }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    outcomeUnknown: !idempotent && outcomeOf(policy, { kind: 'status', status }) === 'unknown',
    method: spec.method,
    route: spec.route,
    attempts,
  });
  return { kind: 'status', status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }), error };
}

/** A 2xx whose body is unusable: final, and for a POST Bird may well have acted on it. */
function badResponse({ spec, idempotent }: ActiveCall, problem: UnexpectedResponse, status: number, attempts: number): Failure {
  return {
    kind: 'final',
    error: new BirdError({
      code: 'BAD_RESPONSE',
      message: `${spec.method} ${spec.route}: ${problem.message}`,
      status,
      outcomeUnknown: !idempotent, // Bird answered 2xx but we cannot tell what it did
      method: spec.method,
      route: spec.route,
      attempts,
    }),
  };
}

/** One request: a value, or a Failure; nothing escapes unclassified. */
async function attemptOnce<T>(
  call: ActiveCall,
  send: () => Promise<Dispatcher.ResponseData>,
  onSuccess: (response: Dispatcher.ResponseData) => Promise<T>,
  attempts: number,
): Promise<AttemptResult<T>> {
  let response: Dispatcher.ResponseData;
  try {
    response = await send();
  } catch (error) {
    return { ok: false, failure: transportFailure(call, error, attempts) };
  }
  const { statusCode: status } = response;
  const redirect = call.spec.redirects === true && REDIRECT_STATUSES.has(status);
  if ((status < 200 || status >= 300) && !redirect) return { ok: false, status, failure: await statusFailure(call, response, attempts) };
  try {
    return { ok: true, status, value: await onSuccess(response) };
  } catch (error) {
    if (!(error instanceof UnexpectedResponse)) return { ok: false, status, failure: transportFailure(call, error, attempts) };
    discard(response.body);
    return { ok: false, status, failure: badResponse(call, error, status, attempts) };
  }
}

function notify(call: Partial<CallOptions> | undefined, event: UpstreamEvent): void {
  try {
    call?.onEvent?.(event);
  } catch {
    // an observer never breaks a call
  }
}

/** Our own pacing found no turn for the call's workspace within its deadline: nothing was sent. */
function pacedOut(spec: RequestSpec, retryAfterMs: number): BirdError {
  return new BirdError({
    code: 'RATE_LIMITED',
    message: `${spec.method} ${spec.route}: the workspace's rate limit leaves no turn within the deadline`,
    method: spec.method,
    route: spec.route,
    attempts: 0,
    retryAfterMs,
  });
}

/**
 * Waits for a place in the request's own cap, then in the credential's share of the origin's connections, within
 * the call's deadline; an abort while waiting fails the call with nothing sent.
 */
async function admit(share: FairShare, key: string, requestSlots: FairShare | undefined, scope: CallScope): Promise<Release[]> {
  const releases: Release[] = [];
  try {
    if (requestSlots) releases.push(requestSlots.tryAcquire('') ?? (await requestSlots.acquire('', scope.signal)));
    releases.push(share.tryAcquire(key) ?? (await share.acquire(key, scope.signal)));
    return releases;
  } catch {
    for (const release of releases) release();
    throw scope.abortedError(0, false);
  }
}

/** A streamed body keeps its connection until it ends, errs or is destroyed: so does its place in the shares. */
function holdUntilClosed(body: Readable, releases: readonly Release[]): void {
  const releaseAll = (): void => {
    for (const release of releases) release();
  };
  if (body.destroyed) releaseAll();
  else body.once('close', releaseAll);
}

/** Attempts until one succeeds, the policy gives up, or the call is aborted; tells the observer about each. */
async function runAttempts<T>(
  active: ActiveCall,
  send: () => Promise<Dispatcher.ResponseData>,
  onSuccess: (response: Dispatcher.ResponseData) => Promise<T>,
  call: Partial<CallOptions> | undefined,
): Promise<T> {
  const { spec, scope, policy, budget, random } = active;
  const named = { method: spec.method, route: spec.route };
  let lastError: BirdError | undefined;
  for (let attempts = 1; ; attempts++) {
    if (scope.signal.aborted) throw scope.abortedError(attempts - 1, false);
    if (active.pace) {
      let refusedMs: number | undefined;
      try {
        refusedMs = await active.pace(scope.remainingMs() * PACING_SHARE_OF_DEADLINE);
      } catch {
        throw scope.abortedError(attempts - 1, false);
      }
      // No turn within the deadline: the first attempt fails as rate limited with nothing sent; a retry gives up
      // with the failure it was retrying.
      if (refusedMs !== undefined) throw lastError ?? pacedOut(spec, refusedMs);
    }
    const attemptStarted = performance.now();
    const result = await attemptOnce(active, send, onSuccess, attempts);
    const status = result.status === undefined ? {} : { status: result.status };
    notify(call, {
      type: 'attempt',
      ...named,
      attempt: attempts,
      ...status,
      ...(result.ok ? {} : { error: result.failure.error.code }),
      durationMs: performance.now() - attemptStarted,
    });
    if (result.ok) return result.value;
    const delayMs = retryDelay(policy, budget, random, {
      method: spec.method,
      failure: result.failure,
      attempts,
      replayable: spec.body === undefined || spec.body.replayable, // a stream can be read once
      remainingMs: scope.remainingMs(),
    });
    if (delayMs === undefined) throw result.failure.error;
    lastError = result.failure.error;
    notify(call, { type: 'retry', ...named, attempt: attempts, delayMs, ...status });
    try {
      await sleepFor(delayMs, undefined, { signal: scope.signal });
    } catch {
      throw scope.abortedError(attempts, false);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The transport
// ---------------------------------------------------------------------------------------------------------------

export interface Transport {
  readonly apiOrigin: string;
  readonly mediaOrigin: string;
  readonly userAgent: string;
  /** The deadline of one call (a media download's whole redirect chain shares it). */
  readonly deadlineMs: number;
  readonly uploadDeadlineMs: number;
  /**
   * Runs one logical call: attempts under the retry policy, waits, the deadline. Every response body is consumed on
   * every path (read in full, read to a cap and destroyed, or handed to the caller for downloads): an unread undici
   * body keeps its connection checked out of the pool.
   */
  execute<T>(
    spec: RequestSpec,
    call: Partial<CallOptions> | undefined,
    onSuccess: (response: Dispatcher.ResponseData) => Promise<T>,
  ): Promise<T>;
  /** Origins media downloads may be redirected to besides public https ones. */
  readonly mediaRedirectOrigins: readonly string[];
  /** Closes every pool (waits for requests in flight) and the pacing's Redis connection. */
  close(): Promise<void>;
}

/** A Redis client for the pacing that never queues or hangs: while it is not ready, the insurance limiter paces. */
function pacingRedis(url: string): Redis {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 250, connectTimeout: 2_000 });
  redis.on('error', () => {}); // reconnects by itself; meanwhile every replica paces alone
  return redis;
}

export function createTransport(options: BirdClientOptions): Transport {
  const settings: TransportSettings = {
    connectTimeoutMs: options.connectTimeoutMs ?? CLIENT_DEFAULTS.connectTimeoutMs,
    headersTimeoutMs: options.headersTimeoutMs ?? CLIENT_DEFAULTS.headersTimeoutMs,
    bodyTimeoutMs: options.bodyTimeoutMs ?? CLIENT_DEFAULTS.bodyTimeoutMs,
    deadlineMs: options.deadlineMs ?? CLIENT_DEFAULTS.deadlineMs,
    uploadDeadlineMs: options.uploadDeadlineMs ?? CLIENT_DEFAULTS.uploadDeadlineMs,
    connections: options.connections ?? CLIENT_DEFAULTS.connections,
    maxResponseSize: options.maxResponseSize ?? CLIENT_DEFAULTS.maxResponseSize,
    userAgent: options.userAgent ?? CLIENT_DEFAULTS.userAgent,
  };
  const policy = resolveRetryPolicy(options.retry);
  const budget = new RetryBudget(policy.budget);
  const random = options.random ?? Math.random;
  const apiOrigin = new URL(options.apiUrl).origin;
  const mediaOrigin = new URL(options.mediaUrl || options.apiUrl).origin; // '' counts as unset
  const perCredential = options.maxInFlightPerCredential ?? Math.ceil(settings.connections / 2);
  const pools = createPools(settings, perCredential, [apiOrigin, mediaOrigin]);
  const redis = options.pacing !== false && options.redisUrl ? pacingRedis(options.redisUrl) : undefined;
  const limits = options.pacing === false ? undefined : (options.pacing ?? BIRD_RATE_LIMITS);
  const pacer: Pacer | undefined =
    limits === undefined || (limits.getPerSecond === null && limits.postPerSecond === null)
      ? undefined
      : createPacer({ ...limits, ...(redis ? { redis, keyPrefix: `bird-graphql:pace:${new URL(apiOrigin).host}` } : {}) });
  const coalescer = new Coalescer();

  /** One logical call: a place in the shares, then paced attempts under the retry policy, within one deadline. */
  async function run<T>(spec: RequestSpec, call: Partial<CallOptions> | undefined, onSuccess: (response: Dispatcher.ResponseData) => Promise<T>): Promise<T> {
    const idempotent = isIdempotent(policy, spec.method);
    const scope = openCallScope(spec, idempotent, spec.deadlineMs ?? settings.deadlineMs, call?.signal);
    const origin = pools.poolFor(spec.origin);
    const send = (): Promise<Dispatcher.ResponseData> =>
      origin.pool.request({
        method: spec.method,
        path: spec.path,
        headers: spec.headers,
        body: spec.body?.open() ?? null,
        signal: scope.requestSignal,
        headersTimeout: settings.headersTimeoutMs,
        bodyTimeout: settings.bodyTimeoutMs,
      });
    // Bird counts its limits per workspace; storage and redirect targets are not Bird's.
    const bucket = pacer && (spec.origin === apiOrigin || spec.origin === mediaOrigin) ? rateBucketOf(spec.path) : undefined;
    const pace = bucket === undefined ? undefined : (maxWaitMs: number) => (pacer as Pacer).wait(bucket, spec.method, maxWaitMs, scope.signal);
    budget.deposit();
    let releases: readonly Release[] = [];
    let held = false;
    const success = !spec.streaming
      ? onSuccess
      : async (response: Dispatcher.ResponseData): Promise<T> => {
          const value = await onSuccess(response);
          held = true;
          holdUntilClosed(response.body, releases);
          return value;
        };
    try {
      releases = await admit(origin.share, credentialId(call?.credential), call?.requestSlots, scope);
      return await runAttempts({ spec, idempotent, scope, policy, budget, random, ...(pace ? { pace } : {}) }, send, success, call);
    } finally {
      scope.dispose();
      if (!held) for (const release of releases) release();
    }
  }

  return {
    apiOrigin,
    mediaOrigin,
    userAgent: settings.userAgent,
    deadlineMs: settings.deadlineMs,
    uploadDeadlineMs: settings.uploadDeadlineMs,
    mediaRedirectOrigins: Object.freeze([...(options.mediaRedirectOrigins ?? [])].map((origin) => new URL(origin).origin)),
    execute(spec, call, onSuccess) {
      // Identical JSON GETs in flight for the same credential are made once; their signal is the waiters' together.
      if (spec.method !== 'GET' || spec.streaming) return run(spec, call, onSuccess);
      const key = `${credentialId(call?.credential)} ${spec.origin}${spec.path}`;
      return coalescer.run(key, call?.signal, (signal) => run(spec, { ...call, signal }, onSuccess), () => callerAborted(spec, call?.signal));
    },
    async close() {
      await pools.close();
      redis?.disconnect();
    },
  };
}

/** What a waiter of a shared GET gets when its own caller aborts (the shared call goes on for the others). */
function callerAborted(spec: RequestSpec, signal: AbortSignal | undefined): BirdError {
  return new BirdError({
    code: 'TIMEOUT',
    message: `${spec.method} ${spec.route}: aborted by the caller`,
    method: spec.method,
    route: spec.route,
    attempts: 0,
    ...(signal?.reason === undefined ? {} : { cause: signal.reason }),
  });
}
