// In-memory Bird state for the emulator: entities, keyset pagination, list filters, send validation, the status lifecycle and media.
//
// Every operation a route performs lives here and throws an `ApiError` for Bird's documented error answers; the
// server only speaks HTTP. Where Bird's docs are silent the choice is marked "Decision:" beside the code.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type {
  Channel,
  ChannelContactInformation,
  Contact,
  ContactIdentifier,
  ContactRef,
  CreateMessageRequest,
  Interaction,
  InteractionType,
  Message,
  MessageBody,
  MessageFailure,
  MessageStatus,
  Page,
  PresignedUpload,
  Workspace,
} from '../bird/types.ts';
import { MESSAGE_STATUSES } from '../bird/types.ts';

// ---------------------------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------------------------

/** A Bird error answer: `{code, message}` (+ `details` for 422). The server serializes it as is. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, string[]>,
  ) {
    super(message);
  }
}

const notFound = (what: string) => new ApiError(404, 'NotFound', `The requested resource does not exist: ${what} not found`);
const badRequest = (message: string) => new ApiError(400, 'InvalidRequest', `Bad request: ${message}`);
const validationFailed = (details: Record<string, string[]>) =>
  new ApiError(422, 'ValidationError', 'The request did not pass validation', details);

// ---------------------------------------------------------------------------------------------------------------
// Queries and keyset pagination
// ---------------------------------------------------------------------------------------------------------------

/** A parsed query string: repeated keys become arrays. */
export type Query = Record<string, string | string[]>;

/** Which workspaces an access key may touch. */
export type Scope = 'all' | ReadonlySet<string>;

/** The keyset position of an item: `[createdAt, id]`, compared lexicographically (createdAt is always ISO-8601 with ms). */
type SortKey = readonly [string, string];

function compareKeys(a: SortKey, b: SortKey): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return 0;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** RFC 3339 date-time, as ajv-formats' full `date-time` format reads it (T or space, offset `Z`, `±HH`, `±HHMM`, `±HH:MM`). */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt\s](\d{2}):(\d{2}):(\d{2}(?:\.\d+)?)(?:[Zz]|([+-])(\d{2})(?::?(\d{2}))?)$/;
const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Parses an RFC 3339 instant to epoch ms, or returns undefined. Accepts exactly what ajv-formats' `date-time`
 * accepts (real calendar days, hours 0-23, a leap second only at 23:59 UTC) so send validation agrees with Bird's
 * OpenAPI document; computed from the fields rather than Date.parse, which rolls "April 31" over to May 1.
 */
function parseInstant(value: string): number | undefined {
  const m = DATE_TIME.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const second = Number(m[6]);
  const sign = m[7] === '-' ? -1 : 1;
  const tzH = Number(m[8] ?? 0);
  const tzM = Number(m[9] ?? 0);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (month < 1 || month > 12 || day < 1 || day > (month === 2 && leap ? 29 : (DAYS_IN_MONTH[month] as number))) return undefined;
  if (tzH > 23 || tzM > 59) return undefined;
  if (!(hour <= 23 && minute <= 59 && second < 60)) {
    const utcMinute = minute - tzM * sign;
    const utcHour = hour - tzH * sign - (utcMinute < 0 ? 1 : 0);
    if (!((utcHour === 23 || utcHour === -1) && (utcMinute === 59 || utcMinute === -1) && second < 61)) return undefined;
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, Math.min(Math.floor(second), 59)) + Math.round((second % 1) * 1000);
  return ms - sign * (tzH * 60 + tzM) * 60_000;
}

/** Page token: standard base64 (with padding) of JSON `[createdAt, id]` of the last item returned. */
export function encodePageToken(key: SortKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64');
}

/** Strict inverse of `encodePageToken`; anything else is a 400 (never a silent first page). */
export function decodePageToken(token: string): SortKey {
  const invalid = () => badRequest('invalid pageToken');
  if (token.length === 0 || token.length > 8000 || !BASE64.test(token)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw invalid();
  const [createdAt, id] = parsed as unknown[];
  if (typeof createdAt !== 'string' || typeof id !== 'string' || id.length === 0) throw invalid();
  const ms = parseInstant(createdAt);
  if (ms === undefined) throw invalid();
  // Normalized to our own ms precision so a token minted elsewhere (e.g. with ns) still compares correctly.
  return [new Date(ms).toISOString(), id];
}

/** One value of a single-valued parameter; a repeated key is a 400. */
function single(query: Query, name: string): string | undefined {
  const v = query[name];
  if (Array.isArray(v)) throw badRequest(`parameter ${name} given more than once`);
  return v;
}

/** Values of a multi-valued parameter: repeated keys and comma-separated lists both count; empty values are dropped. */
function multi(query: Query, name: string): string[] | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  const values = (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).filter((s) => s.length > 0);
  return values.length > 0 ? values : undefined;
}

/** A non-empty single value, or undefined (Decision: an empty filter value means "no filter"). */
function filterValue(query: Query, name: string): string | undefined {
  const v = single(query, name);
  return v === undefined || v === '' ? undefined : v;
}

interface PageOptions {
  limit: number;
  after?: SortKey;
  reverse: boolean;
}

/** `limit` (integer in 1..max, default 10), `pageToken`, `reverse` (`true`/`false`); anything else → 400. */
function pageOptions(query: Query, maxLimit: number): PageOptions {
  const rawLimit = single(query, 'limit');
  let limit = 10;
  if (rawLimit !== undefined) {
    if (!/^\d+$/.test(rawLimit)) throw badRequest('limit must be an integer');
    limit = Number(rawLimit);
    if (limit < 1 || limit > maxLimit) throw badRequest(`limit must be between 1 and ${maxLimit}`);
  }
  const rawReverse = single(query, 'reverse');
  if (rawReverse !== undefined && rawReverse !== 'true' && rawReverse !== 'false') {
    throw badRequest('reverse must be true or false');
  }
  const token = single(query, 'pageToken');
  const options: PageOptions = { limit, reverse: rawReverse === 'true' };
  if (token !== undefined) options.after = decodePageToken(token);
  return options;
}

/** First index whose key is greater than `key` in an ascending array. */
function upperBound<T>(sorted: readonly T[], keyOf: (t: T) => SortKey, key: SortKey): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(keyOf(sorted[mid] as T), key) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose key is >= `key` in an ascending array. */
function lowerBound<T>(sorted: readonly T[], keyOf: (t: T) => SortKey, key: SortKey): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(keyOf(sorted[mid] as T), key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Keyset page over an array kept in ascending (createdAt, id) order. Newest first by default; `reverse` = oldest
 * first. The token holds only the last item's key, so resuming does not depend on the limit that produced it.
 * Decision: `nextPageToken` is omitted exactly when no further matching item exists (we look one match ahead).
 */
function keysetPage<T, R = T>(
  sorted: readonly T[],
  keyOf: (t: T) => SortKey,
  options: PageOptions,
  accept: (t: T) => boolean = () => true,
  project: (t: T) => R = (t) => t as unknown as R,
): Page<R> {
  const results: R[] = [];
  let last: T | undefined;
  let more = false;
  if (options.reverse) {
    for (let i = options.after ? upperBound(sorted, keyOf, options.after) : 0; i < sorted.length; i++) {
      const item = sorted[i] as T;
      if (!accept(item)) continue;
      if (results.length === options.limit) {
        more = true;
        break;
      }
      results.push(project(item));
      last = item;
    }
  } else {
    for (let i = (options.after ? lowerBound(sorted, keyOf, options.after) : sorted.length) - 1; i >= 0; i--) {
      const item = sorted[i] as T;
      if (!accept(item)) continue;
      if (results.length === options.limit) {
        more = true;
        break;
      }
      results.push(project(item));
      last = item;
    }
  }
  const page: Page<R> = { results };
  if (more && last !== undefined) page.nextPageToken = encodePageToken(keyOf(last));
  return page;
}

/** Inserts into an ascending array, keeping the order (appends are the common case: O(1)). */
function insertSorted<T>(sorted: T[], item: T, keyOf: (t: T) => SortKey): void {
  const key = keyOf(item);
  const n = sorted.length;
  if (n === 0 || compareKeys(keyOf(sorted[n - 1] as T), key) <= 0) {
    sorted.push(item);
    return;
  }
  sorted.splice(upperBound(sorted, keyOf, key), 0, item);
}

const byCreatedAt = (t: { createdAt: string; id: string }): SortKey => [t.createdAt, t.id];

// ---------------------------------------------------------------------------------------------------------------
// Send validation: a small schema interpreter mirroring Bird's OpenAPI `CreateMessage`
// ---------------------------------------------------------------------------------------------------------------
//
// The schemas below transcribe channels-send-message.json (types, required, additionalProperties:false, enums,
// patterns, limits) so accept/reject agrees with an ajv run over that document. Deliberate, documented departures
// (decisions of this project, stricter than the schema's letter):
//  - `receiver.contacts` is required with at least 1 item, and `image.images` / `file.files` need at least 1 item:
//    Bird writes `minLength: 1` on these arrays, which JSON Schema ignores; we honour its evident intent.
//  - every receiver contact needs `id`, `identifierValue` or `identifiers`; more than one only on email channels.
//  - exactly one of `body` / `template` (null counts as absent); the schema's anyOf would accept both.
//  - `scheduledFor` at most 35 days ahead; a receiver `id` must name an existing contact of the workspace.
//  - body `type: "action"`: Bird's own TypeAction pins `type` to `permission_request`, so its schema accepts no
//    action body at all; we accept the discriminator's shape `{type:"action", action:{permission_request:{resource:"call"}}}`.
//  - template parameter values of the structured kinds (sectionList, productList, …) are checked only for their
//    required top-level key, not their full nested shape.
// Details keys are dotted paths with numeric indices, e.g. `receiver.contacts.1.identifierValue`, `tags.0`.

type Schema =
  | { k: 'string'; min?: number; max?: number; pattern?: RegExp; enum?: readonly string[]; format?: Format; nullable?: boolean }
  | NumberSchema
  | { k: 'boolean'; nullable?: boolean }
  | { k: 'array'; items: Schema; minItems?: number; maxItems?: number; nullable?: boolean }
  | {
      k: 'object';
      props: Record<string, Schema>;
      required?: readonly string[];
      /** false: unknown keys are errors (additionalProperties:false); a schema: every other value must match it. */
      extra?: false | Schema;
      /** At least one of these key sets must be fully present (Bird's `anyOf: [{required}]`). */
      anyOfRequired?: readonly (readonly string[])[];
      nullable?: boolean;
    }
  | { k: 'tagged'; variants: Record<string, Schema>; nullable?: boolean }
  | { k: 'oneOf'; options: readonly Schema[]; nullable?: boolean }
  | { k: 'any' };
type Format = 'uri' | 'uri-or-variable' | 'date-time' | 'uuid' | 'locale-bcp47';
type NumberSchema = { k: 'integer' | 'number'; min?: number; max?: number; nullable?: boolean };

type Errors = Record<string, string[]>;

/** ajv-formats' full `uri` format (MIT, from jmrware.com's RFC 3986 regex), so mediaUrl checks agree with an ajv run. */
const URI = /^(?:[a-z][a-z0-9+\-.]*:)(?:\/?\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:]|%[0-9a-f]{2})*@)?(?:\[(?:(?:(?:(?:[0-9a-f]{1,4}:){6}|::(?:[0-9a-f]{1,4}:){5}|(?:[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){4}|(?:(?:[0-9a-f]{1,4}:){0,1}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){3}|(?:(?:[0-9a-f]{1,4}:){0,2}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){2}|(?:(?:[0-9a-f]{1,4}:){0,3}[0-9a-f]{1,4})?::[0-9a-f]{1,4}:|(?:(?:[0-9a-f]{1,4}:){0,4}[0-9a-f]{1,4})?::)(?:[0-9a-f]{1,4}:[0-9a-f]{1,4}|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?))|(?:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})?::[0-9a-f]{1,4}|(?:(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4})?::)|[Vv][0-9a-f]+\.[a-z0-9\-._~!$&'()*+,;=:]+)\]|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?)|(?:[a-z0-9\-._~!$&'()*+,;=]|%[0-9a-f]{2})*)(?::\d*)?(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*|\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)?|(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)(?:\?(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?(?:#(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?$/i;
const URI_HINT = /\/|:/;
const UUID_FORMAT = /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i;
const TEMPLATE_VARIABLE = /{{[^{}]+}}/;
/** Bird's custom `locale-bcp47` format: a language, then optional script, region and variant subtags. */
const BCP47 = /^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-(?:[A-Za-z]{2}|\d{3}))?(-[A-Za-z0-9]{5,8}|-\d[A-Za-z0-9]{3})*$/;

/** A prototype-less map, so field names like `constructor` or `__proto__` are plain keys. */
function newErrors(): Errors {
  return Object.create(null) as Errors;
}

function addError(errors: Errors, path: string, message: string): void {
  (errors[path] ??= []).push(message);
}

function typeName(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

function checkFormat(format: Format, value: string): boolean {
  switch (format) {
    case 'uri':
      return URI_HINT.test(value) && URI.test(value);
    case 'uri-or-variable':
      return (URI_HINT.test(value) && URI.test(value)) || TEMPLATE_VARIABLE.test(value);
    case 'date-time':
      return parseInstant(value) !== undefined;
    case 'uuid':
      return UUID_FORMAT.test(value);
    case 'locale-bcp47':
      return BCP47.test(value);
  }
}

const join = (path: string, key: string | number) => (path === '' ? String(key) : `${path}.${key}`);

function validate(schema: Schema, value: unknown, path: string, errors: Errors): void {
  if (schema.k === 'any') return;
  if (value === null) {
    if (!schema.nullable) addError(errors, path, 'must not be null');
    return;
  }
  switch (schema.k) {
    case 'string': {
      if (typeof value !== 'string') return addError(errors, path, 'must be a string');
      const length = [...value].length;
      if (schema.min !== undefined && length < schema.min) addError(errors, path, `must be at least ${schema.min} character${schema.min === 1 ? '' : 's'}`);
      if (schema.max !== undefined && length > schema.max) addError(errors, path, `must be at most ${schema.max} characters`);
      if (schema.pattern && !schema.pattern.test(value)) addError(errors, path, `must match ${schema.pattern.source}`);
      if (schema.enum && !schema.enum.includes(value)) addError(errors, path, `must be one of: ${schema.enum.join(', ')}`);
      if (schema.format && !checkFormat(schema.format, value)) addError(errors, path, `must be a valid ${schema.format}`);
      return;
    }
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return addError(errors, path, `must be a ${schema.k}`);
      if (schema.k === 'integer' && !Number.isInteger(value)) return addError(errors, path, 'must be an integer');
      if (schema.min !== undefined && value < schema.min) addError(errors, path, `must be >= ${schema.min}`);
      if (schema.max !== undefined && value > schema.max) addError(errors, path, `must be <= ${schema.max}`);
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') addError(errors, path, 'must be a boolean');
      return;
    case 'array': {
      if (!Array.isArray(value)) return addError(errors, path, 'must be an array');
      if (schema.minItems !== undefined && value.length < schema.minItems) {
        addError(errors, path, `must have at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}`);
      }
      if (schema.maxItems !== undefined && value.length > schema.maxItems) {
        addError(errors, path, `must have at most ${schema.maxItems} items`);
      }
      value.forEach((item, i) => validate(schema.items, item, join(path, i), errors));
      return;
    }
    case 'object': {
      if (typeName(value) !== 'object') return addError(errors, path, 'must be an object');
      const obj = value as Record<string, unknown>;
      const has = (key: string) => Object.hasOwn(obj, key) && obj[key] !== undefined;
      for (const key of schema.required ?? []) {
        if (!has(key)) addError(errors, join(path, key), 'is required');
      }
      if (schema.anyOfRequired && !schema.anyOfRequired.some((set) => set.every(has))) {
        addError(errors, path, `must contain ${schema.anyOfRequired.map((set) => set.join(' + ')).join(' or ')}`);
      }
      for (const [key, v] of Object.entries(obj)) {
        if (v === undefined) continue;
        const prop = Object.hasOwn(schema.props, key) ? schema.props[key] : undefined;
        if (prop) validate(prop, v, join(path, key), errors);
        else if (schema.extra === false) addError(errors, join(path, key), 'is not allowed');
        else if (schema.extra) validate(schema.extra, v, join(path, key), errors);
      }
      return;
    }
    case 'tagged': {
      if (typeName(value) !== 'object') return addError(errors, path, 'must be an object');
      const type = (value as { type?: unknown }).type;
      const names = Object.keys(schema.variants);
      if (typeof type !== 'string' || !Object.hasOwn(schema.variants, type)) {
        return addError(errors, join(path, 'type'), `must be one of: ${names.join(', ')}`);
      }
      validate(schema.variants[type] as Schema, value, path, errors);
      return;
    }
    case 'oneOf': {
      const matches = schema.options.filter((option) => {
        const scratch = newErrors();
        validate(option, value, path, scratch);
        return Object.keys(scratch).length === 0;
      }).length;
      if (matches !== 1) addError(errors, path, 'must match exactly one of the allowed shapes');
      return;
    }
  }
}

// Schema builders (terse on purpose: the tables below read like the OpenAPI document they transcribe).
type Opt<S> = Omit<S, 'k'>;
type StringSchema = Extract<Schema, { k: 'string' }>;
type ObjectSchema = Extract<Schema, { k: 'object' }>;
const str = (o: Opt<StringSchema> = {}): Schema => ({ k: 'string', ...o });
const int = (o: Opt<NumberSchema> = {}): Schema => ({ k: 'integer', ...o });
const num = (o: Opt<NumberSchema> = {}): Schema => ({ k: 'number', ...o });
const bool = (nullable = false): Schema => ({ k: 'boolean', nullable });
const arr = (items: Schema, o: Opt<Omit<Extract<Schema, { k: 'array' }>, 'items'>> = {}): Schema => ({ k: 'array', items, ...o });
/** A closed object (additionalProperties: false), the common case in Bird's send schema. */
const closed = (props: Record<string, Schema>, o: Opt<Omit<ObjectSchema, 'props'>> = {}): Schema => ({ k: 'object', props, extra: false, ...o });
/** An open object (no additionalProperties restriction). */
const open = (props: Record<string, Schema>, o: Opt<Omit<ObjectSchema, 'props'>> = {}): Schema => ({ k: 'object', props, ...o });
const any: Schema = { k: 'any' };
const strMap = open({}, { extra: str() });
const strN = str({ nullable: true });
const uri = str({ format: 'uri' });

const ACTION_DESCRIPTION = closed({ label: str({ max: 72 }) });
const ACTION: Schema = {
  k: 'tagged',
  variants: {
    link: open({ type: any, link: open({ text: str(), url: str({ format: 'uri-or-variable' }) }, { required: ['text', 'url'] }) }, { required: ['type', 'link'] }),
    reply: open(
      { type: any, reply: open({ text: str(), imageUrl: str(), metadata: open({ description: ACTION_DESCRIPTION }) }, { required: ['text'] }) },
      { required: ['type', 'reply'] },
    ),
    locationRequest: open({ type: any, locationRequest: open({ text: str() }, { nullable: true }) }, { required: ['type'] }),
    buy: open(
      { type: any, buy: open({ text: str(), amountCents: int(), currency: str({ min: 3, max: 3 }) }, { required: ['text', 'amountCents', 'currency'] }) },
      { required: ['type', 'buy'] },
    ),
    postback: open(
      {
        type: any,
        postback: open({ text: str(), payload: str(), imageUrl: str(), metadata: open({ description: ACTION_DESCRIPTION }) }, { required: ['text'] }),
      },
      { required: ['type', 'postback'] },
    ),
  },
};
const ACTIONS = arr(ACTION, { nullable: true });
const TELEGRAM = closed({ parseMode: str({ enum: ['Markdown', 'MarkdownV2'] }) });
const MEDIA_METADATA = open({ subject: str(), fallbackText: str(), storyType: str(), telegram: TELEGRAM });
const ITEMS = arr(
  closed({ title: str(), mediaUrl: str({ format: 'uri', nullable: true }), description: str(), altText: str(), actions: ACTIONS }),
  { nullable: true },
);
const EMAIL_USERNAME = str({ pattern: /[\w\d.\-/+]+/ });

/** `{type: name, [name]: inner}`, closed, both keys required: one body variant. */
const variant = (name: string, inner: Schema): Schema => closed({ type: any, [name]: inner }, { required: ['type', name] });

const TEXT = closed(
  {
    text: str({ min: 1 }),
    attachments: arr(closed({ mediaUrl: uri, filename: str(), inline: bool(), contentId: str() }, { required: ['mediaUrl', 'filename'] }), { nullable: true }),
    actions: ACTIONS,
    metadata: closed({
      subject: str(),
      headers: strMap,
      whatsapp: closed({ previewUrl: bool() }),
      line: closed({
        emoji: closed({
          items: arr(
            closed({ index: int(), productId: str(), emojiId: str(), length: int({ nullable: true }) }, { required: ['index', 'productId', 'emojiId'] }),
            { nullable: true },
          ),
        }),
      }),
      telegram: TELEGRAM,
      apple: closed({ summaryText: str() }),
    }),
  },
  { required: ['text'] },
);
const HTML = closed(
  {
    text: str({ min: 1 }),
    html: str({ min: 1 }),
    attachments: arr(
      closed(
        { mediaUrl: uri, filename: str(), inline: bool(), content: str({ min: 1 }), contentType: str({ min: 1 }), contentId: str() },
        { anyOfRequired: [['mediaUrl', 'filename'], ['content', 'contentType', 'filename']] },
      ),
      { nullable: true },
    ),
    actions: ACTIONS,
    metadata: closed({
      subject: str(),
      emailFrom: closed({ username: EMAIL_USERNAME, displayName: str() }),
      headers: strMap,
      initialOpenTracking: bool(),
      clickTracking: bool(),
      openTracking: bool(),
    }),
  },
  { anyOfRequired: [['text'], ['html']] },
);
const IMAGE = closed(
  {
    text: str(),
    images: arr(closed({ mediaUrl: str({ format: 'uri', min: 1 }), altText: str() }, { required: ['mediaUrl'] }), { minItems: 1 }),
    metadata: MEDIA_METADATA,
    actions: ACTIONS,
  },
  { required: ['images'] },
);
const FILE = closed(
  {
    text: str(),
    files: arr(
      closed(
        {
          mediaUrl: str({ format: 'uri', min: 1 }),
          contentType: str({ min: 1 }),
          filename: str(),
          altText: str(),
          metadata: open({ isAnimated: bool() }),
        },
        { required: ['mediaUrl', 'contentType'] },
      ),
      { minItems: 1 },
    ),
    metadata: MEDIA_METADATA,
    actions: ACTIONS,
  },
  { required: ['files'] },
);
const GIF = closed(
  { text: str(), mediaUrl: str({ format: 'uri', min: 1 }), altText: str(), actions: ACTIONS, metadata: open({ telegram: TELEGRAM }) },
  { required: ['mediaUrl'] },
);
const LOCATION = closed(
  {
    coordinates: closed({ latitude: num({ min: -90, max: 90 }), longitude: num({ min: -180, max: 180 }) }),
    location: closed({ address: str(), label: str() }),
  },
  { required: ['coordinates'] },
);
const CAROUSEL = closed({ text: str({ max: 1024 }), items: ITEMS }, { required: ['items'] });
const LIST = closed(
  {
    title: str(),
    text: str(),
    altText: str(),
    items: ITEMS,
    actions: ACTIONS,
    metadata: open({
      button: closed({ label: str({ max: 20 }) }),
      replyMessage: closed({ title: str({ max: 512 }), text: str({ max: 512 }) }),
    }),
  },
  { required: ['text'] },
);
const SECTION_LEAVES = {
  text: variant('text', TEXT),
  image: variant('image', IMAGE),
  file: variant('file', FILE),
  gif: variant('gif', GIF),
  location: variant('location', LOCATION),
  carousel: variant('carousel', CAROUSEL),
  list: variant('list', LIST),
};
const SECTION_NESTED = closed({ items: arr({ k: 'tagged', variants: SECTION_LEAVES }), configurations: strMap });
const SECTION = closed({
  items: arr({ k: 'tagged', variants: { ...SECTION_LEAVES, section: variant('section', SECTION_NESTED) } }),
  configurations: strMap,
});
const AUTHENTICATION = closed({
  otp: closed({ disclaimer: bool(), expirationTime: int({ min: 1, max: 90, nullable: true }), actions: ACTIONS }, { required: ['disclaimer'] }),
});
const ACTION_BODY = closed(
  { type: str({ enum: ['permission_request'] }), permission_request: open({ resource: str({ enum: ['call'] }) }, { required: ['resource'] }) },
  { required: ['permission_request'] },
);

const BODY: Schema = {
  k: 'tagged',
  nullable: true,
  variants: {
    text: variant('text', TEXT),
    html: variant('html', HTML),
    image: variant('image', IMAGE),
    file: variant('file', FILE),
    gif: variant('gif', GIF),
    location: variant('location', LOCATION),
    carousel: variant('carousel', CAROUSEL),
    list: variant('list', LIST),
    section: variant('section', SECTION),
    authentication: variant('authentication', AUTHENTICATION),
    action: variant('action', ACTION_BODY),
  },
};

const parameter = (value: Schema): Schema => closed({ type: any, key: str({ min: 1 }), value }, { required: ['type', 'key'] });
const structured = (key: string): Schema => closed({ [key]: any }, { required: [key] });
const TEMPLATE_PARAMETER: Schema = {
  k: 'tagged',
  variants: {
    string: parameter(str()),
    number: parameter(num()),
    boolean: parameter(bool()),
    object: parameter(open({})),
    sectionList: parameter(structured('sections')),
    timeslotList: parameter(structured('timeslots')),
    productSections: parameter(structured('productSections')),
    productList: parameter(structured('products')),
    shippingMethodList: parameter(structured('shippingMethods')),
    lineItemList: parameter(structured('lineItems')),
    whatsappProductSections: parameter(structured('sections')),
    whatsappProductItems: parameter(structured('products')),
  },
};
const TEMPLATE = closed(
  {
    name: str(),
    projectId: str(),
    version: str(),
    locale: str({ format: 'locale-bcp47' }),
    attachments: arr(closed({ mediaUrl: uri, filename: str(), inline: bool() }, { required: ['mediaUrl', 'filename'] }), { nullable: true }),
    shortLinks: open({ enabled: bool(), domain: str() }, { nullable: true }),
    variables: open({ default: str() }, { extra: str(), nullable: true }),
    utmParameters: arr(
      {
        k: 'oneOf',
        options: [
          closed({ key: str({ min: 1, max: 20 }), value: str({ min: 1, max: 100 }) }, { required: ['key', 'value'] }),
          closed({ key: str({ min: 1, max: 20 }), reference: str({ enum: ['platform_name', 'channel_name'] }) }, { required: ['key', 'reference'] }),
        ],
      },
      { minItems: 1, maxItems: 8, nullable: true },
    ),
    parameters: arr(TEMPLATE_PARAMETER, { nullable: true }),
    settings: open({ disallowMmLite: bool(true) }, { nullable: true }),
  },
  { nullable: true },
);
const FLOW = closed({ id: str({ format: 'uuid', nullable: true }), name: strN, stepId: strN, runId: str({ format: 'uuid', nullable: true }) });
const META = closed({
  extraInformation: open({}),
  referral: closed({
    source: str(),
    title: strN,
    text: strN,
    group: strN,
    metadata: closed({ source_id: str(), source_url: strN, media_url: strN, tracking_id: strN }, { nullable: true }),
  }),
  order: closed({
    products: arr(
      closed({
        externalCatalogId: str(),
        externalProductId: str(),
        quantity: int(),
        price: closed({ amount: int(), exponent: int(), currencyCode: str() }),
      }),
    ),
  }),
  referredProduct: closed({ externalCatalogId: str(), externalProductId: str() }, { nullable: true }),
  email: closed({ subject: str(), headers: strMap, from: closed({ username: EMAIL_USERNAME, displayName: str() }) }),
  pushNotifications: closed({ gatewayTypeOverride: str({ enum: ['apns', 'firebase', 'web'] }) }),
  navigatorId: str({ format: 'uuid' }),
  navigatorMessageId: str({ format: 'uuid' }),
  flow: FLOW,
  journey: FLOW,
  campaign: closed({ id: str({ format: 'uuid', nullable: true }), name: strN }),
});
const RECEIVER_CONTACT = closed({
  id: str(),
  identifierKey: str(),
  identifierValue: str(),
  type: str({ enum: ['cc', 'bcc', 'to'] }),
  identifiers: arr(closed({ identifierKey: str(), identifierValue: str() }, { required: ['identifierKey', 'identifierValue'] })),
  platformAddress: str(),
  platformAddressSelector: strN,
});
const CREATE_MESSAGE = closed(
  {
    sender: closed(
      { connector: open({ identifierValue: str(), annotations: closed({ name: str() }) }, { required: ['identifierValue'] }) },
      { required: ['connector'] },
    ),
    receiver: closed({ contacts: arr(RECEIVER_CONTACT, { minItems: 1 }) }, { required: ['contacts'] }),
    reference: str(),
    template: TEMPLATE,
    meta: META,
    replyTo: closed({ id: str(), order: int(), type: str({ enum: ['message', 'click', 'referrals'] }) }, { required: ['id', 'type'] }),
    body: BODY,
    notification: open({ url: str() }),
    capFrequency: bool(),
    enableLinkTracking: bool(),
    ignoreQuietHours: bool(),
    ignoreGlobalHoldout: bool(),
    tags: arr(str({ min: 1, max: 50, pattern: /^[a-zA-Z0-9-_ ]+$/ }), { maxItems: 10 }),
    shortLinks: closed({ domain: str({ max: 128 }) }, { required: ['domain'], nullable: true }),
    scheduledFor: str({ format: 'date-time' }),
    validity: int({ min: 0 }),
  },
  { required: ['receiver'] },
);

const MAX_SCHEDULE_MS = 35 * 24 * 3600 * 1000;

// ---------------------------------------------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------------------------------------------

/** A channel and the workspace it belongs to. */
export interface ChannelRecord {
  channel: Channel;
  workspaceId: string;
  createdAt: string;
  id: string;
}

/** A message plus the derived fields its filters need, computed once at insert so lists stay cheap. */
export interface MessageRecord {
  message: Message;
  workspaceId: string;
  platformId: string;
  id: string;
  createdAt: string;
  createdMs: number;
  senderIds: string[];
  recipientIds: string[];
  subjects: string;
  interactions: Interaction[];
  timer?: NodeJS.Timeout;
}

/** A contact with all its identifiers (the Contact object itself carries only the featured ones). */
export interface ContactRecord {
  contact: Contact;
  workspaceId: string;
  identifiers: ContactIdentifier[];
  id: string;
  createdAt: string;
}

/** Bytes served at a media path. */
export interface StoredMedia {
  bytes: Buffer;
  contentType: string;
}

/** What a handed-out presigned form must carry to be accepted. */
interface UploadPolicy {
  fields: Record<string, string>;
  expiresMs: number;
  maxBytes: number;
  mediaPath: string;
}

export interface StoreOptions {
  /** Origin the emulator serves at (`http://127.0.0.1:PORT`), used in `mediaUrl`/`uploadUrl`. */
  origin?: string;
  /** Clock (epoch ms): timestamps, scheduling, policy expiry. */
  now?: () => number;
  /** 'manual' (tests advance statuses) or ms per lifecycle step (demo). */
  lifecycle?: 'manual' | number;
  /** Largest upload accepted by a presigned policy; Bird documents 100 MiB. */
  maxUploadBytes?: number;
}

export interface IncomingMessageInput {
  channelId: string;
  /** The sending contact: an existing `contactId`, or an identifier (the contact is found or created). */
  from: { contactId?: string; identifierKey?: string; identifierValue?: string };
  body: MessageBody;
  id?: string;
  createdAt?: string;
  meta?: Message['meta'];
  tags?: string[];
}

const NEXT_STATUS: Partial<Record<MessageStatus, MessageStatus>> = {
  scheduled: 'accepted',
  accepted: 'processing',
  processing: 'sent',
  sent: 'delivered',
};

/** Decision: default failures when a test forces a failure status without giving one. */
const DEFAULT_FAILURES: Partial<Record<MessageStatus, { failure: MessageFailure; reason: string }>> = {
  sending_failed: {
    failure: { code: 100, description: 'The platform refused the message', source: { code: 'generationRejection', name: 'pre-processing' } },
    reason: 'generationRejection',
  },
  delivery_failed: {
    failure: { code: 200, description: 'The recipient could not be reached', source: { code: 'bounceHard', name: 'carrier' } },
    reason: 'bounceHard',
  },
};

export const DEFAULT_MAX_UPLOAD_BYTES = 100 * 1024 * 1024;
const UPLOAD_POLICY_TTL_MS = 60 * 60 * 1000;
const MEDIA_BUCKET = 'channels--message-media--emulator--euw1';

// ---------------------------------------------------------------------------------------------------------------
// The store
// ---------------------------------------------------------------------------------------------------------------

export class Store {
  readonly origin: string;
  readonly now: () => number;
  readonly maxUploadBytes: number;
  private readonly lifecycle: 'manual' | number;
  private readonly signingSecret = randomBytes(32);

  readonly organizations = new Set<string>();
  readonly workspaces = new Map<string, Workspace>();
  readonly channels = new Map<string, ChannelRecord>();
  readonly messages = new Map<string, MessageRecord>();
  readonly contacts = new Map<string, ContactRecord>();
  /** Media bytes keyed by the path they are served at (e.g. `/workspaces/{ws}/channels/{ch}/media/{id}`). */
  readonly media = new Map<string, StoredMedia>();
  readonly accessKeys = new Map<string, Scope>();
  private readonly uploadPolicies = new Map<string, UploadPolicy>();

  private readonly workspacesByOrg = new Map<string, Workspace[]>();
  private readonly channelsByWorkspace = new Map<string, ChannelRecord[]>();
  private readonly messagesByWorkspace = new Map<string, MessageRecord[]>();
  private readonly messagesByChannel = new Map<string, MessageRecord[]>();
  private readonly contactsByWorkspace = new Map<string, ContactRecord[]>();
  /** `${ws}\0${key}\0${normalized value}` → contact id. */
  private readonly contactIndex = new Map<string, string>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(options: StoreOptions = {}) {
    this.origin = options.origin ?? 'http://127.0.0.1';
    this.now = options.now ?? Date.now;
    this.lifecycle = options.lifecycle ?? 'manual';
    this.maxUploadBytes = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  }

  private nowIso(): string {
    return new Date(this.now()).toISOString();
  }

  /** Stops lifecycle timers (called by the server's close()). */
  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  // --- auth ---------------------------------------------------------------------------------------------------

  addAccessKey(key: string, scope: Scope): void {
    this.accessKeys.set(key, scope);
  }

  /** 401 for a missing or unknown key, 403 when the key does not cover `workspaceId`. Returns the key's scope. */
  authorize(key: string | undefined, workspaceId?: string): Scope {
    const scope = key === undefined ? undefined : this.accessKeys.get(key);
    if (scope === undefined) throw new ApiError(401, 'Unauthorized', 'unauthorized request: missing or unknown access key');
    if (workspaceId !== undefined && scope !== 'all' && !scope.has(workspaceId)) {
      throw new ApiError(403, 'Forbidden', 'User has no access to the requested resource');
    }
    return scope;
  }

  // --- workspaces ---------------------------------------------------------------------------------------------

  addWorkspace(workspace: Workspace): Workspace {
    this.organizations.add(workspace.organizationId);
    this.workspaces.set(workspace.id, workspace);
    const list = this.workspacesByOrg.get(workspace.organizationId) ?? [];
    insertSorted(list, workspace, byCreatedAt);
    this.workspacesByOrg.set(workspace.organizationId, list);
    this.channelsByWorkspace.set(workspace.id, []);
    this.messagesByWorkspace.set(workspace.id, []);
    this.contactsByWorkspace.set(workspace.id, []);
    return workspace;
  }

  /** Lists the organization's workspaces the key can see (Decision: a scoped key sees only its own workspaces). */
  listWorkspaces(organizationId: string, query: Query, scope: Scope): Page<Workspace> {
    const list = this.workspacesByOrg.get(organizationId);
    if (!list) throw notFound('organization');
    const options = pageOptions(query, 100);
    return keysetPage(list, byCreatedAt, options, (w) => scope === 'all' || scope.has(w.id));
  }

  getWorkspace(organizationId: string, workspaceId: string): Workspace {
    if (!this.organizations.has(organizationId)) throw notFound('organization');
    const workspace = this.workspaces.get(workspaceId);
    if (!workspace || workspace.organizationId !== organizationId) throw notFound('workspace');
    return workspace;
  }

  private requireWorkspace(workspaceId: string): Workspace {
    const workspace = this.workspaces.get(workspaceId);
    if (!workspace) throw notFound('workspace');
    return workspace;
  }

  // --- channels -----------------------------------------------------------------------------------------------

  addChannel(workspaceId: string, channel: Channel): Channel {
    this.requireWorkspace(workspaceId);
    const record: ChannelRecord = { channel, workspaceId, id: channel.id, createdAt: channel.createdAt ?? this.nowIso() };
    this.channels.set(channel.id, record);
    insertSorted(this.channelsByWorkspace.get(workspaceId) as ChannelRecord[], record, byCreatedAt);
    this.messagesByChannel.set(channel.id, []);
    return channel;
  }

  getChannel(workspaceId: string, channelId: string): Channel {
    return this.requireChannel(workspaceId, channelId).channel;
  }

  private requireChannel(workspaceId: string, channelId: string): ChannelRecord {
    this.requireWorkspace(workspaceId);
    const record = this.channels.get(channelId);
    if (!record || record.workspaceId !== workspaceId) throw notFound('channel');
    return record;
  }

  /** `GET /workspaces/{ws}/channels`: limit 1..1000; filters platform, status, useCaseType, channelIds. */
  listChannels(workspaceId: string, query: Query): Page<Channel> {
    this.requireWorkspace(workspaceId);
    const options = pageOptions(query, 1000);
    const platforms = multi(query, 'platform');
    for (const p of platforms ?? []) {
      if (!/^[A-Za-z0-9-]{3,60}$/.test(p)) throw badRequest('invalid platform');
    }
    // Decision: any status string is accepted; an unknown one simply matches nothing (docs: default `preview`, odd).
    const status = filterValue(query, 'status');
    const useCaseType = filterValue(query, 'useCaseType');
    if (useCaseType !== undefined && !['otp', 'transactional', 'marketing', 'conversation'].includes(useCaseType)) {
      throw badRequest('invalid useCaseType');
    }
    const ids = multi(query, 'channelIds');
    for (const id of ids ?? []) if (!UUID.test(id)) throw badRequest('channelIds must be UUIDs');
    const idSet = ids ? new Set(ids.map((id) => id.toLowerCase())) : undefined;
    const accept = (r: ChannelRecord) =>
      (!platforms || platforms.includes(r.channel.platformId)) &&
      (status === undefined || r.channel.status === status) &&
      (useCaseType === undefined || r.channel.useCaseType === useCaseType) &&
      (!idSet || idSet.has(r.id));
    return keysetPage(this.channelsByWorkspace.get(workspaceId) as ChannelRecord[], byCreatedAt, options, accept, (r) => r.channel);
  }

  /**
   * Service window of a contact on a channel. Decision: WhatsApp windows end 24 h after the contact's latest
   * incoming message on the channel (null without one, even if that time has passed); other platforms have no
   * window (null) and report a permanent session. `contactIdentifierValue`, when given, must be one of the
   * contact's identifiers (else 404).
   */
  getChannelContactInformation(workspaceId: string, channelId: string, contactId: string, query: Query): ChannelContactInformation {
    const channel = this.requireChannel(workspaceId, channelId).channel;
    const contact = this.requireContact(workspaceId, contactId);
    const value = filterValue(query, 'contactIdentifierValue');
    if (value !== undefined && !contact.identifiers.some((i) => i.value === value)) throw notFound('contact identifier');
    if (channel.platformId !== 'whatsapp') return { serviceWindowExpireAt: null, isPermanentSession: true, metadata: null };
    const list = this.messagesByChannel.get(channelId) ?? [];
    for (let i = list.length - 1; i >= 0; i--) {
      const record = list[i] as MessageRecord;
      const sender = record.message.sender;
      if (record.message.direction === 'incoming' && 'contact' in sender && sender.contact.id === contactId) {
        return { serviceWindowExpireAt: new Date(record.createdMs + 24 * 3600 * 1000).toISOString(), isPermanentSession: false, metadata: null };
      }
    }
    return { serviceWindowExpireAt: null, isPermanentSession: false, metadata: null };
  }

  // --- contacts -----------------------------------------------------------------------------------------------

  private static normalizeIdentifier(key: string, value: string): string {
    return key === 'emailaddress' ? value.toLowerCase() : value;
  }

  private indexKey(workspaceId: string, key: string, value: string): string {
    return `${workspaceId}\0${key}\0${Store.normalizeIdentifier(key, value)}`;
  }

  /** Adds a contact with its identifiers (`featuredIdentifiers` and `identifierCount` are derived when absent). */
  addContact(workspaceId: string, contact: Contact, identifiers: { key: string; value: string; createdAt?: string }[]): Contact {
    this.requireWorkspace(workspaceId);
    const full: ContactIdentifier[] = identifiers.map((i) => ({
      contactId: contact.id,
      key: i.key,
      value: i.value,
      createdAt: i.createdAt ?? contact.createdAt,
    }));
    contact.featuredIdentifiers ??= full.slice(0, 3).map((i) => ({ key: i.key, value: i.value }));
    contact.identifierCount ??= full.length;
    contact.workspaceId ??= workspaceId;
    const record: ContactRecord = { contact, workspaceId, identifiers: [], id: contact.id, createdAt: contact.createdAt };
    for (const identifier of full) {
      insertSorted(record.identifiers, identifier, identifierKey);
      this.contactIndex.set(this.indexKey(workspaceId, identifier.key, identifier.value), contact.id);
    }
    this.contacts.set(contact.id, record);
    insertSorted(this.contactsByWorkspace.get(workspaceId) as ContactRecord[], record, byCreatedAt);
    return contact;
  }

  findContactByIdentifier(workspaceId: string, key: string, value: string): Contact | undefined {
    const id = this.contactIndex.get(this.indexKey(workspaceId, key, value));
    return id === undefined ? undefined : this.contacts.get(id)?.contact;
  }

  private requireContact(workspaceId: string, contactId: string): ContactRecord {
    this.requireWorkspace(workspaceId);
    const record = this.contacts.get(contactId);
    if (!record || record.workspaceId !== workspaceId) throw notFound('contact');
    return record;
  }

  getContact(workspaceId: string, contactId: string): Contact {
    return this.requireContact(workspaceId, contactId).contact;
  }

  listContacts(workspaceId: string, query: Query): Page<Contact> {
    this.requireWorkspace(workspaceId);
    const options = pageOptions(query, 100);
    return keysetPage(this.contactsByWorkspace.get(workspaceId) as ContactRecord[], byCreatedAt, options, undefined, (r) => r.contact);
  }

  listContactIdentifiers(workspaceId: string, contactId: string, query: Query): Page<ContactIdentifier> {
    const record = this.requireContact(workspaceId, contactId);
    const options = pageOptions(query, 100);
    return keysetPage(record.identifiers, identifierKey, options);
  }

  /** `POST /contacts/search` with `{identifier: {key, value}, platformAddress?}` → `{results}` (0 or 1 contact). */
  searchContacts(workspaceId: string, body: unknown): { results: Contact[] } {
    this.requireWorkspace(workspaceId);
    const errors = newErrors();
    validate(
      closed(
        { identifier: closed({ key: str({ min: 1 }), value: str({ min: 1 }) }, { required: ['key', 'value'] }), platformAddress: str() },
        { required: ['identifier'] },
      ),
      body,
      '',
      errors,
    );
    if (Object.keys(errors).length > 0) throw validationFailed(errors);
    const { key, value } = (body as { identifier: { key: string; value: string } }).identifier;
    const contact = this.findContactByIdentifier(workspaceId, key, value);
    return { results: contact ? [contact] : [] };
  }

  /** Finds the contact for (key, value) or creates it (Bird auto-creates receivers on send). */
  private upsertContact(workspaceId: string, key: string, value: string, extra: { key: string; value: string }[] = []): Contact {
    const existing = this.findContactByIdentifier(workspaceId, key, value);
    if (existing) return existing;
    const createdAt = this.nowIso();
    return this.addContact(
      workspaceId,
      { id: randomUUID(), computedDisplayName: value, attributes: {}, createdAt, updatedAt: createdAt },
      [{ key, value }, ...extra.filter((i) => !(i.key === key && i.value === value))],
    );
  }

  // --- messages: reading --------------------------------------------------------------------------------------

  /** Adds a message as is (seed and tests); returns it. */
  addMessage(workspaceId: string, message: Message): Message {
    const channel = this.requireChannel(workspaceId, message.channelId);
    this.insertMessage(workspaceId, channel.channel, message);
    return message;
  }

  private insertMessage(workspaceId: string, channel: Channel, message: Message): MessageRecord {
    const record: MessageRecord = {
      message,
      workspaceId,
      platformId: channel.platformId,
      id: message.id,
      createdAt: message.createdAt,
      createdMs: Date.parse(message.createdAt),
      senderIds: partyIdentifiers(message.sender),
      recipientIds: partyIdentifiers(message.receiver),
      subjects: messageSubjects(message),
      interactions: [],
    };
    this.messages.set(message.id, record);
    insertSorted(this.messagesByWorkspace.get(workspaceId) as MessageRecord[], record, byCreatedAt);
    insertSorted(this.messagesByChannel.get(channel.id) as MessageRecord[], record, byCreatedAt);
    return record;
  }

  private requireMessage(workspaceId: string, channelId: string, messageId: string): MessageRecord {
    this.requireChannel(workspaceId, channelId);
    const record = this.messages.get(messageId);
    if (!record || record.workspaceId !== workspaceId || record.message.channelId !== channelId) throw notFound('message');
    return record;
  }

  getMessage(workspaceId: string, channelId: string, messageId: string): Message {
    return this.requireMessage(workspaceId, channelId, messageId).message;
  }

  /** All messages of a workspace (or one channel), oldest first: for tests computing expectations independently. */
  allMessages(workspaceId: string, channelId?: string): Message[] {
    const list = channelId ? this.messagesByChannel.get(channelId) : this.messagesByWorkspace.get(workspaceId);
    return (list ?? []).map((r) => r.message);
  }

  /** `GET /workspaces/{ws}/channels/{ch}/messages` (filters incl. batchId; the 7-day window rule applies). */
  listChannelMessages(workspaceId: string, channelId: string, query: Query): Page<Message> {
    this.requireChannel(workspaceId, channelId);
    const options = pageOptions(query, 1000);
    const accept = messageFilter(query, 'channel');
    return keysetPage(this.messagesByChannel.get(channelId) as MessageRecord[], byCreatedAt, options, accept, (r) => r.message);
  }

  /** `GET /workspaces/{ws}/messages` (filters incl. channelId; no window limit). */
  listWorkspaceMessages(workspaceId: string, query: Query): Page<Message> {
    this.requireWorkspace(workspaceId);
    const options = pageOptions(query, 1000);
    const accept = messageFilter(query, 'workspace');
    return keysetPage(this.messagesByWorkspace.get(workspaceId) as MessageRecord[], byCreatedAt, options, accept, (r) => r.message);
  }

  /** `{results}` newest first; Bird documents no pagination for interactions. */
  listInteractions(workspaceId: string, channelId: string, messageId: string): { results: Interaction[] } {
    const record = this.requireMessage(workspaceId, channelId, messageId);
    const results: Interaction[] = [];
    for (let i = record.interactions.length - 1; i >= 0; i--) results.push(record.interactions[i] as Interaction);
    return { results };
  }

  /** Test hook: records an interaction (opened, clicked, read, reaction, …) on a message. */
  addInteraction(
    workspaceId: string,
    messageId: string,
    input: { type: InteractionType } & Partial<Omit<Interaction, 'messageId' | 'channelId' | 'platformId'>>,
  ): Interaction {
    const record = this.messages.get(messageId);
    if (!record || record.workspaceId !== workspaceId) throw notFound('message');
    const m = record.message;
    const interaction: Interaction = {
      messagePartsCount: 1,
      messageTags: m.tags ?? null,
      receiver: m.receiver,
      ...(m.reference !== undefined ? { messageReference: m.reference } : {}),
      ...input,
      id: input.id ?? randomUUID(),
      messageId: m.id,
      channelId: m.channelId,
      platformId: record.platformId,
      createdAt: input.createdAt ?? this.nowIso(),
    };
    insertSorted(record.interactions, interaction, byCreatedAt);
    return interaction;
  }

  /** Test hook: a message received from a contact (status delivered, direction incoming). */
  addIncomingMessage(workspaceId: string, input: IncomingMessageInput): Message {
    const channel = this.requireChannel(workspaceId, input.channelId).channel;
    const key = input.from.identifierKey ?? defaultIdentifierKey(channel);
    let contact: Contact;
    let value: string;
    if (input.from.contactId) {
      const record = this.requireContact(workspaceId, input.from.contactId);
      contact = record.contact;
      value = input.from.identifierValue ?? record.identifiers.find((i) => i.key === key)?.value ?? record.identifiers[0]?.value ?? '';
    } else {
      if (!input.from.identifierValue) throw new Error('addIncomingMessage: from needs contactId or identifierValue');
      value = input.from.identifierValue;
      contact = this.upsertContact(workspaceId, key, value);
    }
    const at = input.createdAt ? new Date(input.createdAt).toISOString() : this.nowIso();
    const message: Message = {
      id: input.id ?? randomUUID(),
      channelId: channel.id,
      sender: { contact: { id: contact.id, identifierKey: key, identifierValue: value } },
      receiver: { connector: { id: channel.connectorId, ...(channel.identifier ? { identifierValue: channel.identifier } : {}) } },
      body: input.body,
      status: 'delivered',
      direction: 'incoming',
      lastStatusAt: at,
      createdAt: at,
      updatedAt: at,
      ...(input.meta ? { meta: input.meta } : {}),
      ...(input.tags ? { tags: input.tags } : {}),
    };
    this.insertMessage(workspaceId, channel, message);
    return message;
  }

  // --- messages: sending and the lifecycle --------------------------------------------------------------------

  /** `POST /workspaces/{ws}/channels/{ch}/messages` → the accepted Message (202), or 404 / 409 / 422. */
  sendMessage(workspaceId: string, channelId: string, body: unknown): Message {
    const channel = this.requireChannel(workspaceId, channelId).channel;
    // Decision: Bird lists 409 for "conflicting conditions"; a channel that is not active is our conflict.
    if (channel.status !== 'active') {
      throw new ApiError(409, 'Conflict', `Creating the message was not possible because of conflicting conditions: channel is ${channel.status}`);
    }
    const errors = this.validateSend(workspaceId, channel, body);
    if (Object.keys(errors).length > 0) throw validationFailed(errors);
    return this.acceptMessage(workspaceId, channel, body as CreateMessageRequest).message;
  }

  /**
   * `POST /workspaces/{ws}/channels/{ch}/batch/messages` → `{batchId}`. Every item becomes a message carrying the
   * batchId: valid ones are accepted, invalid ones are stored as `rejected` with a `failure` (Bird validates
   * batches asynchronously and reports failures through the messages, not the 202).
   */
  sendBatch(workspaceId: string, channelId: string, body: unknown): { batchId: string } {
    const channel = this.requireChannel(workspaceId, channelId).channel;
    const requests = typeName(body) === 'object' ? (body as { messageRequests?: unknown }).messageRequests : undefined;
    if (!Array.isArray(requests) || requests.length < 1 || requests.length > 100) {
      throw new ApiError(400, 'InvalidRequest', 'The specified amount of messages in the batch is invalid.');
    }
    if (channel.status !== 'active') {
      throw new ApiError(409, 'Conflict', `Creating the message was not possible because of conflicting conditions: channel is ${channel.status}`);
    }
    const batchId = randomUUID();
    for (const request of requests) {
      const errors = this.validateSend(workspaceId, channel, request);
      if (Object.keys(errors).length === 0) this.acceptMessage(workspaceId, channel, request as CreateMessageRequest, batchId);
      else this.rejectMessage(workspaceId, channel, request, errors, batchId);
    }
    return { batchId };
  }

  private validateSend(workspaceId: string, channel: Channel, body: unknown): Errors {
    const errors = newErrors();
    if (typeName(body) !== 'object') {
      addError(errors, '', 'must be an object');
      return errors;
    }
    validate(CREATE_MESSAGE, body, '', errors);
    const request = body as Record<string, unknown>;
    const hasBody = request.body !== undefined && request.body !== null;
    const hasTemplate = request.template !== undefined && request.template !== null;
    if (hasBody === hasTemplate) {
      addError(errors, hasBody ? 'template' : 'body', hasBody ? 'must not be given together with body' : 'body or template is required');
    }
    const contacts = (request.receiver as { contacts?: unknown } | undefined)?.contacts;
    if (Array.isArray(contacts)) {
      if (contacts.length > 1 && channel.platformId !== 'email') {
        addError(errors, 'receiver.contacts', `only email channels accept more than one receiver contact (${channel.platformId} channel)`);
      }
      contacts.forEach((c: unknown, i) => {
        if (typeName(c) !== 'object') return;
        const contact = c as ContactRef;
        if (contact.id === undefined && contact.identifierValue === undefined && (!Array.isArray(contact.identifiers) || contact.identifiers.length === 0)) {
          addError(errors, `receiver.contacts.${i}`, 'must have id, identifierValue or identifiers');
        }
        if (typeof contact.id === 'string') {
          const record = this.contacts.get(contact.id);
          if (!record || record.workspaceId !== workspaceId) addError(errors, `receiver.contacts.${i}.id`, 'contact not found');
        }
      });
    }
    if (typeof request.scheduledFor === 'string') {
      const at = parseInstant(request.scheduledFor);
      if (at !== undefined && at - this.now() > MAX_SCHEDULE_MS) addError(errors, 'scheduledFor', 'must be at most 35 days ahead');
    }
    return errors;
  }

  /** Resolves each receiver to a contact (creating it when needed) and stores the accepted message. */
  private acceptMessage(workspaceId: string, channel: Channel, request: CreateMessageRequest, batchId?: string): MessageRecord {
    const at = this.nowIso();
    const contacts = request.receiver.contacts.map((c) => this.resolveReceiver(workspaceId, channel, c));
    const scheduled = request.scheduledFor !== undefined && (parseInstant(request.scheduledFor) ?? 0) > this.now();
    const message: Message = {
      id: randomUUID(),
      channelId: channel.id,
      sender: outgoingSender(channel, request),
      receiver: { contacts },
      ...(request.body ? { body: request.body } : {}),
      ...(request.template ? { template: request.template } : {}),
      ...(request.meta !== undefined ? { meta: request.meta } : {}),
      ...(request.reference !== undefined ? { reference: request.reference } : {}),
      ...(request.replyTo !== undefined ? { replyTo: request.replyTo } : {}),
      ...(request.shortLinks ? { shortLinks: request.shortLinks } : {}),
      status: scheduled ? 'scheduled' : 'accepted',
      direction: 'outgoing',
      lastStatusAt: at,
      createdAt: at,
      updatedAt: at,
      ...(request.tags ? { tags: request.tags.map((t) => t.toLowerCase()) } : {}),
      ...(request.scheduledFor !== undefined ? { scheduledFor: request.scheduledFor } : {}),
      ...(batchId ? { batchId } : {}),
    };
    const record = this.insertMessage(workspaceId, channel, message);
    this.scheduleStep(record);
    return record;
  }

  private resolveReceiver(workspaceId: string, channel: Channel, ref: ContactRef): ContactRef {
    const fallbackKey = defaultIdentifierKey(channel);
    let contact: Contact;
    let key: string;
    let value: string;
    if (ref.id !== undefined) {
      const record = this.requireContact(workspaceId, ref.id);
      contact = record.contact;
      key = ref.identifierKey ?? fallbackKey;
      value = ref.identifierValue ?? record.identifiers.find((i) => i.key === key)?.value ?? record.identifiers[0]?.value ?? '';
    } else if (ref.identifierValue !== undefined) {
      key = ref.identifierKey ?? fallbackKey;
      value = ref.identifierValue;
      contact = this.upsertContact(workspaceId, key, value);
    } else {
      const pairs = (ref.identifiers ?? []).map((i) => ({ key: i.identifierKey, value: i.identifierValue }));
      const first = pairs.find((p) => this.findContactByIdentifier(workspaceId, p.key, p.value)) ?? (pairs[0] as { key: string; value: string });
      key = first.key;
      value = first.value;
      contact = this.upsertContact(workspaceId, key, value, pairs);
    }
    // Decision: `type` is echoed when given and defaults to `to` on email (to/cc/bcc are email concepts).
    const type = ref.type ?? (channel.platformId === 'email' ? 'to' : undefined);
    return {
      id: contact.id,
      identifierKey: key,
      identifierValue: value,
      ...(type ? { type } : {}),
      ...(ref.platformAddress !== undefined ? { platformAddress: ref.platformAddress } : {}),
    };
  }

  /**
   * Stores an invalid batch item as `rejected`. Decision: only the parts that validated are kept (a body or
   * template that failed validation is dropped), receivers are echoed without contact resolution, and the
   * failure lists the validation messages.
   */
  private rejectMessage(workspaceId: string, channel: Channel, request: unknown, errors: Errors, batchId: string): void {
    const at = this.nowIso();
    const r = (typeName(request) === 'object' ? request : {}) as Record<string, unknown>;
    const clean = (key: string) => r[key] !== undefined && r[key] !== null && !Object.keys(errors).some((p) => p === key || p.startsWith(`${key}.`));
    const contacts = clean('receiver') ? (r.receiver as { contacts: ContactRef[] }).contacts : [];
    const summary = Object.entries(errors).map(([path, messages]) => `${path || '(body)'}: ${messages.join('; ')}`).join(', ');
    const message: Message = {
      id: randomUUID(),
      channelId: channel.id,
      sender: outgoingSender(channel, clean('sender') ? (r as unknown as CreateMessageRequest) : undefined),
      receiver: { contacts },
      ...(clean('body') ? { body: r.body as MessageBody } : {}),
      ...(clean('template') ? { template: r.template as Message['template'] } : {}),
      ...(clean('reference') ? { reference: r.reference as string } : {}),
      status: 'rejected',
      reason: 'validation failed',
      failure: { code: 422, description: summary, source: { code: 'ValidationError', name: 'pre-processing' } },
      direction: 'outgoing',
      lastStatusAt: at,
      createdAt: at,
      updatedAt: at,
      ...(clean('tags') ? { tags: (r.tags as string[]).map((t) => t.toLowerCase()) } : {}),
      batchId,
    };
    this.insertMessage(workspaceId, channel, message);
  }

  /**
   * Test hook: moves a message one lifecycle step (scheduled → accepted → processing → sent → delivered), or to
   * `to` (any status: failures get a default `failure`/`reason` unless given). Updates lastStatusAt/updatedAt.
   */
  advanceMessage(
    workspaceId: string,
    messageId: string,
    to?: MessageStatus,
    extra: { failure?: MessageFailure; reason?: string; details?: string } = {},
  ): Message {
    const record = this.messages.get(messageId);
    if (!record || record.workspaceId !== workspaceId) throw notFound('message');
    const m = record.message;
    const next = to ?? NEXT_STATUS[m.status];
    if (next === undefined) throw new Error(`advanceMessage: message ${messageId} is in final status ${m.status}`);
    if (!(MESSAGE_STATUSES as readonly string[]).includes(next)) throw new Error(`advanceMessage: unknown status ${next}`);
    const at = this.nowIso();
    m.status = next;
    m.lastStatusAt = at;
    m.updatedAt = at;
    const failure = extra.failure ?? DEFAULT_FAILURES[next]?.failure;
    const reason = extra.reason ?? DEFAULT_FAILURES[next]?.reason;
    if (failure) m.failure = failure;
    if (reason) m.reason = reason;
    if (extra.details) m.details = extra.details;
    if (record.timer) {
      clearTimeout(record.timer);
      this.timers.delete(record.timer);
      record.timer = undefined;
    }
    this.scheduleStep(record);
    return m;
  }

  /** Demo lifecycle: one step every `lifecycle` ms (a scheduled message waits until its scheduledFor). */
  private scheduleStep(record: MessageRecord): void {
    if (this.lifecycle === 'manual' || NEXT_STATUS[record.message.status] === undefined) return;
    let delay = this.lifecycle;
    if (record.message.status === 'scheduled' && record.message.scheduledFor) {
      delay = Math.min(Math.max(delay, (parseInstant(record.message.scheduledFor) ?? 0) - this.now()), 2 ** 31 - 1);
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      record.timer = undefined;
      this.advanceMessage(record.workspaceId, record.id);
    }, delay);
    timer.unref();
    record.timer = timer;
    this.timers.add(timer);
  }

  // --- media --------------------------------------------------------------------------------------------------

  /** Stores bytes served at `path` (seed: incoming media; uploads land here too). */
  addMedia(path: string, bytes: Buffer, contentType: string): void {
    this.media.set(path, { bytes, contentType });
  }

  getMedia(path: string): StoredMedia {
    const media = this.media.get(path);
    if (!media) throw notFound('media');
    return media;
  }

  /**
   * Both presigned-upload variants. Returns Bird's four fields; the form mimics S3's POST policy. The policy is
   * base64 JSON (like S3's) with a random nonce, remembered with its expiry, size limit and target; the signature is
   * an HMAC over it with a per-store secret.
   */
  createPresignedUpload(workspaceId: string, channelId: string | undefined, body: unknown): PresignedUpload {
    if (channelId !== undefined) this.requireChannel(workspaceId, channelId);
    else this.requireWorkspace(workspaceId);
    const errors = newErrors();
    validate(closed({ contentType: str({ min: 1 }) }, { required: ['contentType'] }), body, '', errors);
    if (Object.keys(errors).length > 0) throw validationFailed(errors);
    const { contentType } = body as { contentType: string };
    const mediaId = randomUUID();
    const mediaPath = channelId
      ? `/workspaces/${workspaceId}/channels/${channelId}/media/${mediaId}`
      : `/workspaces/${workspaceId}/media/${mediaId}`;
    const nowMs = this.now();
    const expiresMs = nowMs + UPLOAD_POLICY_TTL_MS;
    const key = `${workspaceId}/${mediaId}`;
    const stamp = new Date(nowMs).toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
    const credential = `EMULATORAKIAEXAMPLE/${stamp.slice(0, 8)}/eu-west-1/s3/aws4_request`;
    const policy = Buffer.from(
      JSON.stringify({
        expiration: new Date(expiresMs).toISOString(),
        conditions: [
          { bucket: MEDIA_BUCKET },
          { key },
          { acl: 'private' },
          { 'Content-Type': contentType },
          ['content-length-range', 0, this.maxUploadBytes],
          { 'x-amz-meta-allowed-paths': mediaPath },
          { nonce: randomBytes(12).toString('hex') },
        ],
      }),
    ).toString('base64');
    const fields: Record<string, string> = {
      'Content-Type': contentType,
      acl: 'private',
      bucket: MEDIA_BUCKET,
      key,
      policy,
      'x-amz-algorithm': 'AWS4-HMAC-SHA256',
      'x-amz-credential': credential,
      'x-amz-date': stamp,
      'x-amz-meta-allowed-paths': mediaPath,
      ...(channelId ? { 'x-amz-meta-channel-id': channelId } : {}),
      'x-amz-security-token': 'emulator-session-token',
      'x-amz-signature': this.sign(policy),
    };
    this.uploadPolicies.set(policy, { fields, expiresMs, maxBytes: this.maxUploadBytes, mediaPath });
    return { mediaUrl: `${this.origin}${mediaPath}`, uploadUrl: `${this.origin}/media-upload`, uploadMethod: 'POST', uploadFormData: { ...fields } };
  }

  private sign(policy: string): string {
    return createHmac('sha256', this.signingSecret).update(policy).digest('hex');
  }

  /**
   * The storage target's check (POST /media-upload): every handed-out field present with the same value, no
   * other field, a known unexpired policy with a valid signature, then the file. 403 AccessDenied for policy
   * failures (like S3), 400 for a malformed form or an oversized file. Decision: a policy can be reused until it
   * expires (S3 behaves so); each upload replaces the bytes.
   */
  completeUpload(fields: ReadonlyMap<string, string>, file: Buffer | undefined): void {
    const denied = (why: string) => new ApiError(403, 'AccessDenied', `Invalid according to Policy: ${why}`);
    const policyText = fields.get('policy');
    const policy = policyText === undefined ? undefined : this.uploadPolicies.get(policyText);
    if (!policy || policyText === undefined) throw denied('unknown or missing policy');
    if (policy.expiresMs < this.now()) throw denied('policy expired');
    if (fields.get('x-amz-signature') !== this.sign(policyText)) throw denied('signature mismatch');
    for (const [name, value] of Object.entries(policy.fields)) {
      if (fields.get(name) !== value) throw denied(`field ${name} ${fields.has(name) ? 'does not match' : 'is missing'}`);
    }
    for (const name of fields.keys()) {
      if (!Object.hasOwn(policy.fields, name)) throw denied(`extra input field ${name}`);
    }
    if (file === undefined) throw new ApiError(400, 'MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data: file field missing');
    if (file.length > policy.maxBytes) throw new ApiError(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
    this.addMedia(policy.mediaPath, file, policy.fields['Content-Type'] as string);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------------

const identifierKey = (i: ContactIdentifier): SortKey => [i.createdAt, `${i.key}:${i.value}`];

/** Decision (after Bird's docs): email receivers are keyed `emailaddress`, every other platform `phonenumber`. */
function defaultIdentifierKey(channel: Channel): string {
  return channel.platformId === 'email' ? 'emailaddress' : 'phonenumber';
}

/**
 * Decision: the sender is the channel's connector; `identifierValue` is the request's `sender.connector.identifierValue`
 * when given (Bird uses it to override the email username), else the channel's identifier.
 */
function outgoingSender(channel: Channel, request: Pick<CreateMessageRequest, 'sender'> | undefined): Message['sender'] {
  const override = request?.sender?.connector;
  const identifierValue = override?.identifierValue ?? channel.identifier;
  return {
    connector: {
      id: channel.connectorId,
      ...(identifierValue !== undefined ? { identifierValue } : {}),
      ...(override?.annotations ? { annotations: override.annotations } : {}),
    },
  };
}

/** Lower-cased identifier values of a sender or receiver: contact(s) and connector alike. */
function partyIdentifiers(party: Message['sender'] | Message['receiver']): string[] {
  if ('connector' in party) return party.connector.identifierValue ? [party.connector.identifierValue.toLowerCase()] : [];
  if ('contact' in party) return [party.contact.identifierValue.toLowerCase()];
  return party.contacts.flatMap((c) => [
    ...(c.identifierValue ? [c.identifierValue.toLowerCase()] : []),
    ...(c.identifiers ?? []).map((i) => i.identifierValue.toLowerCase()),
  ]);
}

/** Lower-cased subjects: meta.email.subject and the html/text body metadata subject, newline-joined. */
function messageSubjects(message: Message): string {
  const subjects: string[] = [];
  if (message.meta?.email?.subject) subjects.push(message.meta.email.subject);
  const body = message.body;
  if (body?.type === 'html' && body.html.metadata?.subject) subjects.push(body.html.metadata.subject);
  if (body?.type === 'text' && body.text.metadata?.subject) subjects.push(body.text.metadata.subject);
  return subjects.join('\n').toLowerCase();
}

/**
 * Parses the message-list filters (wire names of docs §2a) into one predicate. `status`: single, CSV or repeated;
 * `startAt`/`endAt`: inclusive bounds on createdAt; `senderIdentifier` / `recipientIdentifier`: exact,
 * case-insensitive match on any identifier of the party (contacts and connector — Decision: the connector counts
 * too, so incoming messages match their channel's number as recipient); `subject`: case-insensitive substring;
 * `batchId` on the channel list, `channelId` on the workspace list (Decision: other unknown parameters are ignored).
 */
function messageFilter(query: Query, list: 'channel' | 'workspace'): (r: MessageRecord) => boolean {
  const tests: ((r: MessageRecord) => boolean)[] = [];
  const platform = filterValue(query, 'platform');
  if (platform !== undefined) tests.push((r) => r.platformId === platform);
  const direction = filterValue(query, 'direction');
  if (direction !== undefined) {
    if (direction !== 'incoming' && direction !== 'outgoing') throw badRequest('direction must be incoming or outgoing');
    tests.push((r) => r.message.direction === direction);
  }
  const statuses = multi(query, 'status');
  if (statuses) {
    for (const s of statuses) if (!(MESSAGE_STATUSES as readonly string[]).includes(s)) throw badRequest(`invalid status ${s}`);
    const set = new Set(statuses);
    tests.push((r) => set.has(r.message.status));
  }
  const startRaw = filterValue(query, 'startAt');
  const endRaw = filterValue(query, 'endAt');
  const startAt = startRaw === undefined ? undefined : parseInstant(startRaw);
  const endAt = endRaw === undefined ? undefined : parseInstant(endRaw);
  if ((startRaw !== undefined && startAt === undefined) || (endRaw !== undefined && endAt === undefined)) {
    throw badRequest('startAt and endAt must be RFC 3339 date-times');
  }
  if (startAt !== undefined && endAt !== undefined) {
    if (startAt > endAt) throw badRequest('Invalid time range to filter');
    if (list === 'channel' && endAt - startAt > 7 * 24 * 3600 * 1000) throw badRequest('Invalid time range to filter');
  }
  if (startAt !== undefined) tests.push((r) => r.createdMs >= startAt);
  if (endAt !== undefined) tests.push((r) => r.createdMs <= endAt);
  const sender = filterValue(query, 'senderIdentifier')?.toLowerCase();
  if (sender !== undefined) tests.push((r) => r.senderIds.includes(sender));
  const recipient = filterValue(query, 'recipientIdentifier')?.toLowerCase();
  if (recipient !== undefined) tests.push((r) => r.recipientIds.includes(recipient));
  const tag = filterValue(query, 'tag')?.toLowerCase();
  if (tag !== undefined) tests.push((r) => r.message.tags?.includes(tag) ?? false);
  const subject = filterValue(query, 'subject')?.toLowerCase();
  if (subject !== undefined) tests.push((r) => r.subjects.includes(subject));
  const idFilter = list === 'channel' ? 'batchId' : 'channelId';
  const id = filterValue(query, idFilter);
  if (id !== undefined) {
    if (!UUID.test(id)) throw badRequest(`${idFilter} must be a UUID`);
    if (list === 'channel') tests.push((r) => r.message.batchId === id);
    else tests.push((r) => r.message.channelId === id);
  }
  if (tests.length === 0) return () => true;
  return (r) => tests.every((t) => t(r));
}
