// createBirdClient(options): one undici Pool per origin, explicit timeouts, the retry policy, UUID-checked paths and a typed method per Bird endpoint.

import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { setTimeout as sleepFor } from 'node:timers/promises';
import { Pool } from 'undici';
import type { Dispatcher } from 'undici';
import {
  BirdError,
  birdCodeOf,
  codeForStatus,
  codeForTransportError,
  scrubSecret,
  transportCodeOf,
  validationDetailsOf,
} from './errors.ts';
import type { BirdErrorCode } from './errors.ts';
import type {
  BatchResponse,
  Channel,
  ChannelContactInformation,
  ChannelListFilter,
  Contact,
  ContactIdentifier,
  CreateMessageRequest,
  Interaction,
  Message,
  MessageListFilter,
  Page,
  PageParams,
  PresignedUpload,
  Workspace,
} from './types.ts';

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
}

/**
 * What an observer learns about a call: the route TEMPLATE (never the built path or its ids), never headers or bodies.
 * `status` is Bird's HTTP status, or undefined when no response came (then `error` holds the BirdError code).
 */
export type UpstreamEvent =
  | { type: 'attempt'; method: string; route: string; attempt: number; status?: number; error?: string; durationMs: number }
  | { type: 'retry'; method: string; route: string; attempt: number; delayMs: number; status?: number };

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
  /** Transport failures where no connection was ever made, so nothing was sent: ANY method is resent. */
  unsentErrors: readonly string[];
  /** Token bucket shared by every call of one client: a call deposits `ratio`, a retry spends 1; holds at most `max`, starts full. */
  budget: { ratio: number; max: number };
}

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
}

export interface MediaDownload {
  status: number;
  contentType?: string;
  contentLength?: number;
  /** The media bytes, streamed: the caller must consume or destroy it, or the connection stays held. */
  body: Readable;
}

export interface UploadFileParams {
  upload: PresignedUpload;
  body: Readable | AsyncIterable<Uint8Array> | Uint8Array;
  filename: string;
  contentType: string;
  /** Byte size of `body` when known (sent as the part length in content-length). */
  size?: number;
}

type Ids<K extends string> = { [P in K]: string };

export interface BirdClient {
  listWorkspaces(params: { organizationId: string } & PageParams, call: CallOptions): Promise<Page<Workspace>>;
  getWorkspace(params: { organizationId: string; workspaceId: string }, call: CallOptions): Promise<Workspace>;
  listChannels(params: { workspaceId: string } & PageParams & ChannelListFilter, call: CallOptions): Promise<Page<Channel>>;
  getChannel(params: { workspaceId: string; channelId: string }, call: CallOptions): Promise<Channel>;
  getChannelContactInformation(
    params: { workspaceId: string; channelId: string; contactId: string; contactIdentifierValue?: string },
    call: CallOptions,
  ): Promise<ChannelContactInformation>;
  sendMessage(
    params: { workspaceId: string; channelId: string; message: CreateMessageRequest },
    call: CallOptions,
  ): Promise<Message>;
  sendBatch(
    params: { workspaceId: string; channelId: string; messageRequests: CreateMessageRequest[] },
    call: CallOptions,
  ): Promise<BatchResponse>;
  listChannelMessages(
    params: { workspaceId: string; channelId: string; filter?: MessageListFilter } & PageParams,
    call: CallOptions,
  ): Promise<Page<Message>>;
  listWorkspaceMessages(
    params: { workspaceId: string; filter?: MessageListFilter } & PageParams,
    call: CallOptions,
  ): Promise<Page<Message>>;
  getMessage(params: { workspaceId: string; channelId: string; messageId: string }, call: CallOptions): Promise<Message>;
  listInteractions(
    params: { workspaceId: string; channelId: string; messageId: string },
    call: CallOptions,
  ): Promise<Page<Interaction>>;
  createPresignedUpload(
    params: { workspaceId: string; channelId?: string; contentType: string },
    call: CallOptions,
  ): Promise<PresignedUpload>;
  /** Streams the multipart form to `upload.uploadUrl` (storage, not Bird): no Authorization header is sent. */
  uploadFile(params: UploadFileParams, call?: Partial<CallOptions>): Promise<void>;
  downloadMedia(params: { mediaUrl: string }, call: CallOptions): Promise<MediaDownload>;
  listContacts(params: { workspaceId: string } & PageParams, call: CallOptions): Promise<Page<Contact>>;
  getContact(params: { workspaceId: string; contactId: string }, call: CallOptions): Promise<Contact>;
  searchContacts(
    params: { workspaceId: string; identifierKey: string; identifierValue: string; platformAddress?: string },
    call: CallOptions,
  ): Promise<Page<Contact>>;
  listContactIdentifiers(
    params: { workspaceId: string; contactId: string } & PageParams,
    call: CallOptions,
  ): Promise<Page<ContactIdentifier>>;
  /** Closes every pool (waits for requests in flight). */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------------
// Policy and limits: explicit data, one place
// ---------------------------------------------------------------------------------------------------------------

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
  unsentErrors: ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'],
  // 20 % of recent calls plus a floor of 10 retries: a healthy client never notices it; against a Bird answering
  // 503 to everything, retries settle at 0.2 per call instead of tripling the load.
  budget: { ratio: 0.2, max: 10 },
});

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
});

/** JSON responses are buffered to be parsed, so they get a far lower cap than streamed media. */
const MAX_JSON_BYTES = 16 * 1024 * 1024;
/** Error bodies are read only for their `{code, message, details}`. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;
/** Upload targets are storage hosts chosen by Bird; keep at most this many pools for them (oldest closed first). */
const MAX_UPLOAD_POOLS = 4;

// ---------------------------------------------------------------------------------------------------------------
// Paths, ids and query strings
// ---------------------------------------------------------------------------------------------------------------

const ROUTES = {
  workspaces: '/organizations/{organizationId}/workspaces',
  workspace: '/organizations/{organizationId}/workspaces/{workspaceId}',
  channels: '/workspaces/{workspaceId}/channels',
  channel: '/workspaces/{workspaceId}/channels/{channelId}',
  channelContact: '/workspaces/{workspaceId}/channels/{channelId}/contacts/{contactId}',
  channelMessages: '/workspaces/{workspaceId}/channels/{channelId}/messages',
  channelMessage: '/workspaces/{workspaceId}/channels/{channelId}/messages/{messageId}',
  interactions: '/workspaces/{workspaceId}/channels/{channelId}/messages/{messageId}/interactions',
  batch: '/workspaces/{workspaceId}/channels/{channelId}/batch/messages',
  workspaceMessages: '/workspaces/{workspaceId}/messages',
  channelPresignedUpload: '/workspaces/{workspaceId}/channels/{channelId}/presigned-upload',
  presignedUpload: '/workspaces/{workspaceId}/channel-media/presigned-upload',
  contacts: '/workspaces/{workspaceId}/contacts',
  contact: '/workspaces/{workspaceId}/contacts/{contactId}',
  contactSearch: '/workspaces/{workspaceId}/contacts/search',
  contactIdentifiers: '/workspaces/{workspaceId}/contacts/{contactId}/identifiers',
} as const;

/** Bird's media paths (on the media origin): channel uploads, incoming message media, channel-independent uploads. */
const MEDIA_ROUTES = [
  '/workspaces/{workspaceId}/channels/{channelId}/media/{mediaId}',
  '/workspaces/{workspaceId}/messages/{messageId}/media/{mediaId}',
  '/workspaces/{workspaceId}/media/{mediaId}',
] as const;

/** Stand-in routes for errors about URLs we refuse or that Bird chose: never the URL itself. */
const UPLOAD_ROUTE = '{uploadUrl}';
const MEDIA_URL_ROUTE = '{mediaUrl}';

/** `'/a/{x}/b/{y}'` → `'x' | 'y'`. */
type PathParams<T extends string> = T extends `${string}{${infer P}}${infer Rest}` ? P | PathParams<Rest> : never;

/** Any UUID version, either case. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function invalidId(method: string, route: string, what: string): BirdError {
  // The offending value is left out on purpose: it is caller input and could be anything, even a key.
  return new BirdError({ code: 'INVALID_ID', message: `${method} ${route}: ${what} is not a UUID`, method, route, attempts: 0 });
}

/** The id in canonical (lower-case) form; UUIDs are case-insensitive on input and Bird's are lower-case. */
function checkedUuid(value: unknown, method: string, route: string, what: string): string {
  if (typeof value !== 'string' || !UUID.test(value)) throw invalidId(method, route, what);
  return value.toLowerCase();
}

/**
 * The one place a path is built. Every parameter must be a UUID: escaping is not enough, because
 * `encodeURIComponent('..')` is `'..'` and the URL parser turns `/channels/../messages` (and `%2e%2e`) into
 * `/messages`, so a crafted id could reach another endpoint with the caller's key. A UUID needs no escaping.
 */
function buildPath<T extends string>(method: string, template: T, params: Ids<PathParams<T>>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) =>
    checkedUuid((params as Record<string, unknown>)[name], method, template, name),
  );
}

type QueryValue = string | number | boolean | readonly string[] | undefined;

/** Undefined is omitted, booleans are 'true'/'false', arrays become repeated keys (`a=1&a=2`). */
function queryString(entries: readonly (readonly [string, QueryValue])[]): string {
  const search = new URLSearchParams();
  for (const [name, value] of entries) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) search.append(name, item);
    else search.append(name, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

function pageQuery(params: PageParams): [string, QueryValue][] {
  return [
    ['limit', params.limit],
    ['pageToken', params.pageToken],
    ['reverse', params.reverse],
  ];
}

/**
 * Our filter names → Bird's query names for both message lists (bird-api.md §2a). Bird does not publish them, so
 * this is the one place to correct them against a live account. `status` (the only array) is sent as CSV.
 */
export const MESSAGE_FILTER_WIRE_NAMES: Readonly<Record<keyof MessageListFilter, string>> = Object.freeze({
  platform: 'platform',
  direction: 'direction',
  status: 'status',
  startAt: 'startAt',
  endAt: 'endAt',
  senderIdentifier: 'senderIdentifier',
  recipientIdentifier: 'recipientIdentifier',
  tag: 'tag',
  subject: 'subject',
  batchId: 'batchId',
  channelId: 'channelId',
});

/** Our filter names → Bird's query names for the channel list; arrays are repeated keys (`channelIds=a&channelIds=b`). */
export const CHANNEL_FILTER_WIRE_NAMES: Readonly<Record<keyof ChannelListFilter, string>> = Object.freeze({
  platform: 'platform',
  status: 'status',
  useCaseType: 'useCaseType',
  channelIds: 'channelIds',
});

function messageFilterQuery(method: string, route: string, filter: MessageListFilter | undefined): [string, QueryValue][] {
  if (filter === undefined) return [];
  const ids = {
    channelId: filter.channelId === undefined ? undefined : checkedUuid(filter.channelId, method, route, 'filter.channelId'),
    batchId: filter.batchId === undefined ? undefined : checkedUuid(filter.batchId, method, route, 'filter.batchId'),
  };
  const checked: MessageListFilter = { ...filter, ...ids };
  return (Object.keys(MESSAGE_FILTER_WIRE_NAMES) as (keyof MessageListFilter)[]).map((key) => {
    const value = checked[key];
    return [MESSAGE_FILTER_WIRE_NAMES[key], Array.isArray(value) ? value.join(',') : value];
  });
}

function channelFilterQuery(method: string, route: string, filter: ChannelListFilter): [string, QueryValue][] {
  const channelIds = filter.channelIds?.map((id, index) => checkedUuid(id, method, route, `channelIds[${index}]`));
  const checked: ChannelListFilter = { ...filter, channelIds };
  return (Object.keys(CHANNEL_FILTER_WIRE_NAMES) as (keyof ChannelListFilter)[]).map((key) => [
    CHANNEL_FILTER_WIRE_NAMES[key],
    checked[key],
  ]);
}

/** downloadMedia's gate: the URL must be one of Bird's media paths, with UUIDs, on a configured origin. */
function matchMediaUrl(url: URL): { route: string; path: string } | undefined {
  for (const route of MEDIA_ROUTES) {
    const names: string[] = [];
    const pattern = new RegExp(
      `^${route.replace(/\{(\w+)\}/g, (_, name: string) => {
        names.push(name);
        return '([^/]+)';
      })}$`,
    );
    const match = pattern.exec(url.pathname);
    if (!match) continue;
    const ids = Object.fromEntries(names.map((name, index) => [name, match[index + 1]]));
    if (!Object.values(ids).every((id) => typeof id === 'string' && UUID.test(id))) return undefined;
    return { route, path: buildPath('GET', route, ids as Ids<string>) };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Headers, bodies and response shapes
// ---------------------------------------------------------------------------------------------------------------

/** Visible ASCII only: anything else could split headers, and undici's own complaint might quote the value. */
const HEADER_TOKEN = /^[\x21-\x7e]+$/;
const CONTENT_TYPE = /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+(?:\s*;\s*[\w!#$&^.+-]+=(?:[\w!#$&^.+-]+|"[^"\r\n]*"))*$/;

function authorizationHeader(credential: Credential | undefined, method: string, route: string): string {
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

function requestIdHeader(requestId: string | undefined): Record<string, string> {
  return requestId !== undefined && requestId.length <= 200 && HEADER_TOKEN.test(requestId)
    ? { 'x-request-id': requestId }
    : {};
}

/** WHATWG multipart/form-data escaping of a field name or filename inside its quotes. */
function quoteFormName(name: string): string {
  return name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/**
 * The upload form as a byte stream generated on the fly: Bird's policy fields in their given order, then the file
 * part. The file is piped through chunk by chunk, never buffered, so a 100 MiB upload costs a few chunks of memory.
 */
function multipartForm(params: UploadFileParams): { contentType: string; length?: number; open(): Readable } {
  const boundary = `----bird-upload-${randomUUID()}`;
  const fields = Object.entries(params.upload.uploadFormData)
    .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${quoteFormName(name)}"\r\n\r\n${value}\r\n`)
    .join('');
  const head = Buffer.from(
    `${fields}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${quoteFormName(params.filename)}"\r\n` +
      `Content-Type: ${params.contentType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const fileSize = params.body instanceof Uint8Array ? params.body.byteLength : params.size;
  const file = params.body;
  async function* parts(): AsyncGenerator<Uint8Array> {
    yield head;
    if (file instanceof Uint8Array) yield file;
    else for await (const chunk of file) yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    yield tail;
  }
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    ...(fileSize === undefined ? {} : { length: head.byteLength + fileSize + tail.byteLength }),
    open: () => Readable.from(parts(), { objectMode: false }),
  };
}

function parseRetryAfter(header: string | string[] | undefined): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function headerValue(header: string | string[] | undefined): string | undefined {
  return Array.isArray(header) ? header[0] : header;
}

/**
 * Reads a body up to `limit` bytes; `undefined` when it is larger. Leaving the loop early makes the iterator destroy
 * the stream, which releases (closes) the connection instead of leaving it held.
 */
async function readAtMost(body: Readable, limit: number): Promise<Buffer | undefined> {
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
function discard(body: Readable): void {
  if (body.destroyed) return;
  body.on('error', () => {});
  body.destroy();
}

/** A 2xx whose body is not what the endpoint promises; becomes BAD_RESPONSE (never retried). */
class UnexpectedResponse extends Error {}

type Shape<T> = (value: unknown) => value is T;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const withId = <T>(value: unknown): value is T => isRecord(value) && typeof value.id === 'string';
const anObject = <T>(value: unknown): value is T => isRecord(value);
const aPage = <T>(value: unknown): value is Page<T> =>
  isRecord(value) &&
  Array.isArray(value.results) &&
  (value.nextPageToken === undefined || typeof value.nextPageToken === 'string');
const aBatch = (value: unknown): value is BatchResponse => isRecord(value) && typeof value.batchId === 'string';
const aPresignedUpload = (value: unknown): value is PresignedUpload =>
  isRecord(value) &&
  typeof value.mediaUrl === 'string' &&
  typeof value.uploadUrl === 'string' &&
  isRecord(value.uploadFormData) &&
  Object.values(value.uploadFormData).every((field) => typeof field === 'string');

// ---------------------------------------------------------------------------------------------------------------
// The client
// ---------------------------------------------------------------------------------------------------------------

interface RequestSpec {
  method: 'GET' | 'POST';
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
}

/** Why an attempt failed, in the terms the retry policy speaks. */
type Failure =
  | { kind: 'status'; status: number; retryAfterMs?: number; error: BirdError }
  | { kind: 'transport'; code: string | undefined; error: BirdError }
  | { kind: 'final'; error: BirdError };

type AttemptResult<T> = { ok: true; value: T } | { ok: false; failure: Failure };

export function createBirdClient(options: BirdClientOptions): BirdClient {
  const settings = {
    connectTimeoutMs: options.connectTimeoutMs ?? CLIENT_DEFAULTS.connectTimeoutMs,
    headersTimeoutMs: options.headersTimeoutMs ?? CLIENT_DEFAULTS.headersTimeoutMs,
    bodyTimeoutMs: options.bodyTimeoutMs ?? CLIENT_DEFAULTS.bodyTimeoutMs,
    deadlineMs: options.deadlineMs ?? CLIENT_DEFAULTS.deadlineMs,
    uploadDeadlineMs: options.uploadDeadlineMs ?? CLIENT_DEFAULTS.uploadDeadlineMs,
    connections: options.connections ?? CLIENT_DEFAULTS.connections,
    maxResponseSize: options.maxResponseSize ?? CLIENT_DEFAULTS.maxResponseSize,
    userAgent: options.userAgent ?? CLIENT_DEFAULTS.userAgent,
  };
  const policy: RetryPolicy = { ...RETRY_POLICY, ...definedOnly(options.retry ?? {}) };
  const random = options.random ?? Math.random;
  const apiOrigin = new URL(options.apiUrl).origin;
  const mediaOrigin = new URL(options.mediaUrl || options.apiUrl).origin; // '' counts as unset
  const apiIsPlainHttp = apiOrigin.startsWith('http:');

  // ---- pools: one per origin, shared by every call ----------------------------------------------------------

  const newPool = (origin: string): Pool =>
    new Pool(origin, {
      connections: settings.connections,
      connectTimeout: settings.connectTimeoutMs,
      headersTimeout: settings.headersTimeoutMs,
      bodyTimeout: settings.bodyTimeoutMs,
      maxResponseSize: settings.maxResponseSize,
    });
  const fixedPools = new Map<string, Pool>([[apiOrigin, newPool(apiOrigin)]]);
  if (!fixedPools.has(mediaOrigin)) fixedPools.set(mediaOrigin, newPool(mediaOrigin));
  /** Insertion-ordered, so the first key is the least recently used. */
  const uploadPools = new Map<string, Pool>();

  function poolFor(origin: string): Pool {
    const fixed = fixedPools.get(origin);
    if (fixed) return fixed;
    let pool = uploadPools.get(origin);
    if (pool) {
      uploadPools.delete(origin);
    } else {
      pool = newPool(origin);
      if (uploadPools.size >= MAX_UPLOAD_POOLS) {
        const [oldestOrigin, oldest] = uploadPools.entries().next().value as [string, Pool];
        uploadPools.delete(oldestOrigin);
        oldest.close().catch(() => {}); // graceful: requests in flight finish first
      }
    }
    uploadPools.set(origin, pool);
    return pool;
  }

  // ---- retry budget -------------------------------------------------------------------------------------------

  let budgetTokens = policy.budget.max;
  const depositBudget = (): void => {
    budgetTokens = Math.min(policy.budget.max, budgetTokens + policy.budget.ratio);
  };
  const spendBudget = (): boolean => {
    if (budgetTokens < 1) return false;
    budgetTokens -= 1;
    return true;
  };

  const backoffMs = (retry: number): number =>
    Math.floor(random() * Math.min(policy.capMs, policy.baseMs * 2 ** (retry - 1)));

  function isRetryable(method: string, failure: Failure): boolean {
    const idempotent = policy.idempotentMethods.includes(method);
    switch (failure.kind) {
      case 'status':
        return policy.unprocessedStatuses.includes(failure.status) || (idempotent && policy.statuses.includes(failure.status));
      case 'transport':
        return (
          failure.code !== undefined &&
          (policy.unsentErrors.includes(failure.code) || (idempotent && policy.transportErrors.includes(failure.code)))
        );
      case 'final':
        return false;
    }
  }

  // ---- one call: attempts, waits, deadline ----------------------------------------------------------------------

  /**
   * Runs one logical call. Every attempt either returns a value or a Failure; nothing escapes unclassified. Every
   * response body is consumed on every path (read in full, read to a cap and destroyed, or handed to the caller for
   * downloads): an unread undici body keeps its connection checked out of the pool.
   */
  async function execute<T>(
    spec: RequestSpec,
    call: Partial<CallOptions> | undefined,
    onSuccess: (response: Dispatcher.ResponseData) => Promise<T>,
  ): Promise<T> {
    const idempotent = policy.idempotentMethods.includes(spec.method);
    const startedAt = Date.now();
    const deadlineMs = spec.deadlineMs ?? settings.deadlineMs;
    const callerSignal = call?.signal;
    // One controller and one timer per call, both released when the call settles: what AbortSignal.timeout plus
    // AbortSignal.any([caller, deadline]) did, at a fraction of the cost (those allocate signals, a DOMException per
    // timeout, GC-tracked dependants, and make @whatwg-node's lazy request signal build a native one). The caller's
    // signal is only listened to, and only when there is one.
    const callController = new AbortController();
    const callSignal = callController.signal;
    // A streamed download may outlive the deadline once its headers are in (bodyTimeout still bounds every stall), so
    // its request listens to the deadline through a controller that is detached when the response starts, and to the
    // caller's signal for as long as the body streams.
    const headerPhase = spec.streaming ? new AbortController() : undefined;
    const onDeadline = (): void => {
      const reason = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
      callController.abort(reason);
      headerPhase?.abort(reason);
    };
    const onCallerAbort = (): void => callController.abort(callerSignal?.reason);
    const deadlineTimer = setTimeout(onDeadline, deadlineMs);
    deadlineTimer.unref();
    if (callerSignal) {
      if (callerSignal.aborted) callController.abort(callerSignal.reason);
      else callerSignal.addEventListener('abort', onCallerAbort, { once: true });
    }
    let requestSignal = callSignal;
    if (headerPhase) {
      requestSignal = callerSignal ? AbortSignal.any([callerSignal, headerPhase.signal]) : headerPhase.signal;
    }

    const abortedError = (attempts: number, inFlight: boolean): BirdError => {
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
    };

    const transportFailure = (error: unknown, attempts: number): Failure => {
      if (callSignal.aborted) return { kind: 'final', error: abortedError(attempts, true) };
      const code = transportCodeOf(error);
      const birdCode: BirdErrorCode = codeForTransportError(error);
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
          outcomeUnknown: !idempotent && !(code !== undefined && policy.unsentErrors.includes(code)),
          cause: error,
        }),
      };
    };

    /** A non-2xx answer: its body is read (capped) for Bird's `{code, message, details}`, then released. */
    const statusFailure = async (response: Dispatcher.ResponseData, attempts: number): Promise<Failure> => {
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
        outcomeUnknown: !idempotent && status >= 500,
        method: spec.method,
        route: spec.route,
        attempts,
      });
      return { kind: 'status', status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }), error };
    };

    const emit = (event: UpstreamEvent): void => {
      try {
        call?.onEvent?.(event);
      } catch {
        // an observer never breaks a call
      }
    };
    let lastStatus: number | undefined;

    const attemptOnce = async (attempts: number): Promise<AttemptResult<T>> => {
      const errorFields = { method: spec.method, route: spec.route, attempts };
      let response: Dispatcher.ResponseData;
      lastStatus = undefined;
      try {
        response = await poolFor(spec.origin).request({
          method: spec.method,
          path: spec.path,
          headers: spec.headers,
          body: spec.body?.open() ?? null,
          signal: requestSignal,
          headersTimeout: settings.headersTimeoutMs,
          bodyTimeout: settings.bodyTimeoutMs,
        });
      } catch (error) {
        return { ok: false, failure: transportFailure(error, attempts) };
      }

      const { statusCode: status } = response;
      lastStatus = status;
      if (status >= 200 && status < 300) {
        try {
          return { ok: true, value: await onSuccess(response) };
        } catch (error) {
          if (!(error instanceof UnexpectedResponse)) return { ok: false, failure: transportFailure(error, attempts) };
          discard(response.body);
          return {
            ok: false,
            failure: {
              kind: 'final',
              error: new BirdError({
                code: 'BAD_RESPONSE',
                message: `${spec.method} ${spec.route}: ${error.message}`,
                status,
                outcomeUnknown: !idempotent, // Bird answered 2xx but we cannot tell what it did
                ...errorFields,
              }),
            },
          };
        }
      }

      return { ok: false, failure: await statusFailure(response, attempts) };
    };

    depositBudget();
    try {
      for (let attempts = 1; ; attempts++) {
        if (callSignal.aborted) throw abortedError(attempts - 1, false);
        const attemptStarted = performance.now();
        const result = await attemptOnce(attempts);
        emit({
          type: 'attempt',
          method: spec.method,
          route: spec.route,
          attempt: attempts,
          ...(lastStatus === undefined ? {} : { status: lastStatus }),
          ...(result.ok ? {} : { error: result.failure.error.code }),
          durationMs: performance.now() - attemptStarted,
        });
        if (result.ok) return result.value;
        const { failure } = result;
        const replayable = spec.body === undefined || spec.body.replayable;
        if (!replayable || attempts > policy.maxRetries || !isRetryable(spec.method, failure)) throw failure.error;
        // Retry-After is Bird's word on when to come back; when it does not fit what is left of the deadline, waiting
        // cannot help, so the error (RATE_LIMITED with retryAfterMs for a 429) goes to the caller at once.
        const waitMs = (failure.kind === 'status' ? failure.retryAfterMs : undefined) ?? backoffMs(attempts);
        if (waitMs >= deadlineMs - (Date.now() - startedAt)) throw failure.error;
        if (!spendBudget()) throw failure.error;
        emit({ type: 'retry', method: spec.method, route: spec.route, attempt: attempts, delayMs: waitMs, ...(lastStatus === undefined ? {} : { status: lastStatus }) });
        try {
          await sleepFor(waitMs, undefined, { signal: callSignal });
        } catch {
          throw abortedError(attempts, false);
        }
      }
    } finally {
      clearTimeout(deadlineTimer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    }
  }

  // ---- request builders ---------------------------------------------------------------------------------------

  function apiHeaders(method: string, route: string, call: CallOptions, extra: Record<string, string> = {}) {
    return {
      accept: 'application/json',
      'user-agent': settings.userAgent,
      authorization: authorizationHeader(call?.credential, method, route),
      ...requestIdHeader(call?.requestId),
      ...extra,
    };
  }

  async function readJson<T>(response: Dispatcher.ResponseData, isShape: Shape<T>): Promise<T> {
    const bytes = await readAtMost(response.body, MAX_JSON_BYTES);
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

  function getJson<T>(route: string, path: string, call: CallOptions, isShape: Shape<T>): Promise<T> {
    const spec: RequestSpec = {
      method: 'GET',
      origin: apiOrigin,
      route,
      path,
      headers: apiHeaders('GET', route, call),
      secret: call.credential?.token,
    };
    return execute(spec, call, (response) => readJson(response, isShape));
  }

  function postJson<T>(route: string, path: string, payload: unknown, call: CallOptions, isShape: Shape<T>): Promise<T> {
    const json = JSON.stringify(payload);
    const spec: RequestSpec = {
      method: 'POST',
      origin: apiOrigin,
      route,
      path,
      headers: apiHeaders('POST', route, call, { 'content-type': 'application/json' }),
      secret: call.credential?.token,
      body: { open: () => json, replayable: true },
    };
    return execute(spec, call, (response) => readJson(response, isShape));
  }

  // ---- endpoints ----------------------------------------------------------------------------------------------

  return {
    async listWorkspaces({ organizationId, ...page }, call) {
      const path = buildPath('GET', ROUTES.workspaces, { organizationId }) + queryString(pageQuery(page));
      return getJson(ROUTES.workspaces, path, call, aPage<Workspace>);
    },

    async getWorkspace({ organizationId, workspaceId }, call) {
      const path = buildPath('GET', ROUTES.workspace, { organizationId, workspaceId });
      return getJson(ROUTES.workspace, path, call, withId<Workspace>);
    },

    async listChannels({ workspaceId, limit, pageToken, reverse, ...filter }, call) {
      const route = ROUTES.channels;
      const path =
        buildPath('GET', route, { workspaceId }) +
        queryString([...pageQuery({ limit, pageToken, reverse }), ...channelFilterQuery('GET', route, filter)]);
      return getJson(route, path, call, aPage<Channel>);
    },

    async getChannel({ workspaceId, channelId }, call) {
      const path = buildPath('GET', ROUTES.channel, { workspaceId, channelId });
      return getJson(ROUTES.channel, path, call, withId<Channel>);
    },

    async getChannelContactInformation({ workspaceId, channelId, contactId, contactIdentifierValue }, call) {
      const path =
        buildPath('GET', ROUTES.channelContact, { workspaceId, channelId, contactId }) +
        queryString([['contactIdentifierValue', contactIdentifierValue]]);
      return getJson(ROUTES.channelContact, path, call, anObject<ChannelContactInformation>);
    },

    async sendMessage({ workspaceId, channelId, message }, call) {
      const path = buildPath('POST', ROUTES.channelMessages, { workspaceId, channelId });
      return postJson(ROUTES.channelMessages, path, message, call, withId<Message>);
    },

    async sendBatch({ workspaceId, channelId, messageRequests }, call) {
      const path = buildPath('POST', ROUTES.batch, { workspaceId, channelId });
      return postJson(ROUTES.batch, path, { messageRequests }, call, aBatch);
    },

    async listChannelMessages({ workspaceId, channelId, filter, ...page }, call) {
      const route = ROUTES.channelMessages;
      const path =
        buildPath('GET', route, { workspaceId, channelId }) +
        queryString([...pageQuery(page), ...messageFilterQuery('GET', route, filter)]);
      return getJson(route, path, call, aPage<Message>);
    },

    async listWorkspaceMessages({ workspaceId, filter, ...page }, call) {
      const route = ROUTES.workspaceMessages;
      const path =
        buildPath('GET', route, { workspaceId }) + queryString([...pageQuery(page), ...messageFilterQuery('GET', route, filter)]);
      return getJson(route, path, call, aPage<Message>);
    },

    async getMessage({ workspaceId, channelId, messageId }, call) {
      const path = buildPath('GET', ROUTES.channelMessage, { workspaceId, channelId, messageId });
      return getJson(ROUTES.channelMessage, path, call, withId<Message>);
    },

    async listInteractions({ workspaceId, channelId, messageId }, call) {
      const path = buildPath('GET', ROUTES.interactions, { workspaceId, channelId, messageId });
      return getJson(ROUTES.interactions, path, call, aPage<Interaction>);
    },

    async createPresignedUpload({ workspaceId, channelId, contentType }, call) {
      const [route, path] =
        channelId === undefined
          ? [ROUTES.presignedUpload, buildPath('POST', ROUTES.presignedUpload, { workspaceId })]
          : [ROUTES.channelPresignedUpload, buildPath('POST', ROUTES.channelPresignedUpload, { workspaceId, channelId })];
      return postJson(route, path, { contentType }, call, aPresignedUpload);
    },

    async uploadFile(params, call) {
      const refuse = (code: BirdErrorCode, what: string): BirdError =>
        new BirdError({ code, message: `POST ${UPLOAD_ROUTE}: ${what}`, method: 'POST', route: UPLOAD_ROUTE, attempts: 0 });
      let target: URL;
      try {
        target = new URL(params.upload.uploadUrl);
      } catch {
        throw refuse('INVALID_ID', 'uploadUrl is not a URL');
      }
      // The target is chosen by Bird (a storage bucket), but the presign object reaches us through our callers, so
      // refuse anything that is not plain https (http only when Bird itself is plain http: the local emulator).
      const protocolAllowed = target.protocol === 'https:' || (target.protocol === 'http:' && apiIsPlainHttp);
      if (!protocolAllowed || target.username !== '' || target.password !== '' || params.upload.uploadMethod !== 'POST') {
        throw refuse('INVALID_ID', 'uploadUrl is not an allowed upload target');
      }
      if (!CONTENT_TYPE.test(params.contentType)) throw refuse('INVALID_REQUEST', 'contentType is not a media type');
      const form = multipartForm(params);
      const spec: RequestSpec = {
        method: 'POST',
        origin: target.origin,
        route: UPLOAD_ROUTE,
        path: `${target.pathname}${target.search}`,
        // No Authorization: the form's signed policy fields authorize the upload, and the key must not reach storage.
        headers: {
          'user-agent': settings.userAgent,
          'content-type': form.contentType,
          ...(form.length === undefined ? {} : { 'content-length': String(form.length) }),
          ...requestIdHeader(call?.requestId),
        },
        // A stream can be read once, so only an in-memory file may be resent (and then only under the POST rule).
        body: { open: form.open, replayable: params.body instanceof Uint8Array },
        deadlineMs: settings.uploadDeadlineMs,
      };
      await execute(spec, call, async (response) => {
        await response.body.dump();
      });
    },

    async downloadMedia({ mediaUrl }, call) {
      const refuse = (what: string): BirdError =>
        new BirdError({ code: 'INVALID_ID', message: `GET ${MEDIA_URL_ROUTE}: ${what}`, method: 'GET', route: MEDIA_URL_ROUTE, attempts: 0 });
      // The URL parser silently drops tabs and newlines and trims spaces; refuse them instead of guessing.
      if (/[\s\x00-\x1f\x7f]/.test(mediaUrl)) throw refuse('mediaUrl contains whitespace or control characters');
      let url: URL;
      try {
        url = new URL(mediaUrl);
      } catch {
        throw refuse('mediaUrl is not a URL');
      }
      // Never fetch an arbitrary URL with the caller's key (SSRF, key leak): only Bird's own origins, only Bird's
      // media paths with UUIDs, no credentials or query. The path sent is rebuilt from the validated UUIDs.
      if (url.origin !== mediaOrigin && url.origin !== apiOrigin) throw refuse('mediaUrl is not on a Bird media origin');
      if (url.username !== '' || url.password !== '' || url.search !== '') throw refuse('mediaUrl has credentials or a query');
      const media = matchMediaUrl(url);
      if (!media) throw refuse('mediaUrl is not a Bird media path');
      const spec: RequestSpec = {
        method: 'GET',
        origin: url.origin,
        route: media.route,
        path: media.path,
        headers: {
          accept: '*/*',
          'user-agent': settings.userAgent,
          authorization: authorizationHeader(call?.credential, 'GET', media.route),
          ...requestIdHeader(call?.requestId),
        },
        secret: call.credential?.token,
        streaming: true,
      };
      // Retries apply only until a 2xx arrives; from then on the body belongs to the caller.
      return execute(spec, call, async (response) => {
        const length = Number(headerValue(response.headers['content-length']));
        const contentType = headerValue(response.headers['content-type']);
        // Destroying the stream early is a normal way to give it back; undici reports that as an 'error', which must
        // not crash a caller who attached no listener. Consumers (pipeline, for await) still see real errors.
        response.body.on('error', () => {});
        return {
          status: response.statusCode,
          ...(contentType === undefined ? {} : { contentType }),
          ...(Number.isSafeInteger(length) && length >= 0 ? { contentLength: length } : {}),
          body: response.body,
        };
      });
    },

    async listContacts({ workspaceId, ...page }, call) {
      const path = buildPath('GET', ROUTES.contacts, { workspaceId }) + queryString(pageQuery(page));
      return getJson(ROUTES.contacts, path, call, aPage<Contact>);
    },

    async getContact({ workspaceId, contactId }, call) {
      const path = buildPath('GET', ROUTES.contact, { workspaceId, contactId });
      return getJson(ROUTES.contact, path, call, withId<Contact>);
    },

    async searchContacts({ workspaceId, identifierKey, identifierValue, platformAddress }, call) {
      const path = buildPath('POST', ROUTES.contactSearch, { workspaceId });
      const payload = { identifier: { key: identifierKey, value: identifierValue }, ...(platformAddress ? { platformAddress } : {}) };
      return postJson(ROUTES.contactSearch, path, payload, call, aPage<Contact>);
    },

    async listContactIdentifiers({ workspaceId, contactId, ...page }, call) {
      const path = buildPath('GET', ROUTES.contactIdentifiers, { workspaceId, contactId }) + queryString(pageQuery(page));
      return getJson(ROUTES.contactIdentifiers, path, call, aPage<ContactIdentifier>);
    },

    async close() {
      const pools = [...fixedPools.values(), ...uploadPools.values()];
      uploadPools.clear();
      await Promise.all(pools.map((pool) => pool.close()));
    },
  };
}

/** Drops keys whose value is undefined, so `{ ...defaults, ...definedOnly(options) }` keeps the defaults. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}
