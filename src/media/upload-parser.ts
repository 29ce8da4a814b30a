// GraphQL multipart requests (graphql-multipart-request-spec) parsed as a stream: the one file is spooled to a temp file, never held in memory.
//
// yoga's own multipart parser calls `request.formData()`, which buffers every file whole in memory. This plugin
// replaces it for multipart requests:
// - before a byte is read, the request must bring a well-formed credential (or the server hold a key) and get a ticket
//   from the spool (src/media/upload-spool.ts: uploads in flight per client and in all, a quota on the bytes on disk);
// - an upload that sends nothing for UPLOAD_IDLE_TIMEOUT_MS is stopped with 408 and its temp file removed;
// - the whole body is bounded by src/limits.ts's body-size limit (uploadBodyLimit: the file limit plus room for the
//   form), before reading when Content-Length declares it; this parser counts the file's own bytes as they arrive:
//   once the file passes `maxFileBytes` the body is no longer read and the request fails with 413 at once;
// - `operations` must come first, then `map`, then exactly one file (a second file, an unknown field or a file not
//   named in `map` is a 400); each text field is bounded;
// - the file part is piped through a byte counter into a private temp file under os.tmpdir(), with backpressure, so
//   memory stays at a few chunks whatever the file size;
// - the resolver receives a real `File` backed by that temp file (fs.openAsBlob): its `size` is known, so the upload
//   to Bird's storage can send a Content-Length, and reading it streams from disk;
// - temp files are removed when the response is sent, and at once when parsing fails.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, openAsBlob } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import Busboy from '@fastify/busboy';
import { createGraphQLError, type GraphQLParams, type Plugin } from 'graphql-yoga';
import { parseAuthorization } from '../auth.ts';
import { type BodyLimit, isMultipartUpload, payloadTooLarge } from '../limits.ts';
import { type SpoolLimits, type SpoolTicket, UploadSpool, spoolFull, uploadClient } from './upload-spool.ts';

export interface UploadLimits {
  /** Largest file accepted (MEDIA_MAX_BYTES). */
  maxFileBytes: number;
  /** Largest `operations` or `map` field. */
  maxFieldBytes: number;
}

/**
 * Defaults of the spool's settings (src/config.ts): the temp directory; 1 GiB spooled at once; 16 uploads in flight,
 * 2 per client; 15 s without a byte ends an upload (a client trickling 1 byte per 20 s is cut off at the first pause).
 */
export const UPLOAD_DEFAULTS = Object.freeze({
  spoolDir: () => tmpdir(),
  spoolMaxBytes: 1024 * 1024 * 1024,
  maxConcurrent: 16,
  maxConcurrentPerClient: 2,
  idleTimeoutMs: 15_000,
});

/** `operations` (the document and variables) and `map` are small; 64 KiB each is plenty. */
export const DEFAULT_MAX_FIELD_BYTES = 64 * 1024;
/** Room for part headers, boundaries and the form's framing on top of the file and the two text fields. */
const FRAMING_BYTES = 64 * 1024;
/** Map paths point into `variables` only, as `variables.input.file` or `variables.files.0`. */
const MAP_PATH = /^variables(?:\.(?:[A-Za-z_][A-Za-z0-9_]{0,127}|\d{1,4})){1,16}$/;
/** Names that would reach an object's prototype instead of a property. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_PATHS_PER_FILE = 16;
const FILE_NAME_FALLBACK = 'upload';
/** Temp files carry the process id, so a process (or a test) can tell its own files apart. */
export const TEMP_FILE_PREFIX = `bird-graphql-upload-${process.pid}-`;

/** The body-size limit of a multipart request (src/limits.ts's useBodySizeLimit): the largest body these limits allow. */
export function uploadBodyLimit(limits: UploadLimits): BodyLimit {
  return { maxBytes: limits.maxFileBytes + 2 * limits.maxFieldBytes + FRAMING_BYTES, message: fileTooLargeMessage(limits.maxFileBytes) };
}

const badRequest = (message: string) => createGraphQLError(message, { extensions: { http: { status: 400 }, code: 'BAD_REQUEST' } });

export interface ParseUploadOptions {
  limits: UploadLimits;
  /** Where temp files go (default os.tmpdir()). */
  tmpDir?: string;
  /** Called with each temp file's path before it is created, so the caller can remove it when the request ends. */
  track?: (path: string) => void;
  /** Room on disk for the file's first `bytes` bytes (the spool's quota, src/media/upload-spool.ts); false → 507. */
  reserve?: (bytes: number) => boolean;
  /** The body stops being read, and the request fails with 408, after this long without a byte. */
  idleTimeoutMs?: number;
}

const requestTimeout = (ms: number) =>
  createGraphQLError(`The upload sent nothing for ${ms} ms and was stopped; send the file without pauses.`, {
    extensions: { code: 'REQUEST_TIMEOUT', http: { status: 408, headers: { connection: 'close' } } },
  });

interface SpooledPart {
  field: string;
  path: string;
  size: number;
  filename: string;
  mimeType: string;
}

/**
 * Parses one GraphQL multipart request into GraphQL params with the uploaded file (a disk-backed `File`) placed at
 * its `map` paths. Rejects with a GraphQLError carrying an HTTP status (400 or 413); on rejection no temp file is
 * left behind. The request's body must already be capped to uploadBodyLimit (src/limits.ts's capRequestBody, which
 * useBodySizeLimit applies): this parser bounds the file and the text fields, not the whole body.
 */
export async function parseUploadRequest(request: Request, options: ParseUploadOptions): Promise<GraphQLParams> {
  const { limits } = options;
  const contentType = request.headers.get('content-type') ?? '';
  if (!/;\s*boundary=/i.test(contentType)) throw badRequest('A multipart request needs a Content-Type with a boundary.');
  if (request.body === null) throw badRequest('The multipart request has no body.');

  let failure: Error | undefined;
  const abort = new AbortController();
  /** Settles (rejects) at the first failure: the parse must not wait for a body that has stopped arriving. */
  let failed: (error: Error) => void = () => {};
  const failure$ = new Promise<never>((_, reject) => (failed = reject));
  failure$.catch(() => {});
  const fail = (error: Error): void => {
    if (failure) return;
    failure = error;
    part?.destroy(error);
    abort.abort(error);
    failed(error);
  };
  let idle: ReturnType<typeof setTimeout> | undefined;
  const armIdle = (): void => {
    if (options.idleTimeoutMs === undefined || failure) return;
    clearTimeout(idle);
    idle = setTimeout(() => fail(requestTimeout(options.idleTimeoutMs!)), options.idleTimeoutMs);
  };

  let operations: Record<string, unknown> | undefined;
  /** file field name → the variable paths it fills. */
  let map: Map<string, string[]> | undefined;
  let spooled: Promise<SpooledPart> | undefined;
  let tempPath: string | undefined;
  /** The file part being spooled and its temp file, destroyed on failure so that spooling settles at once. */
  let part: Readable | undefined;
  let closed: Promise<unknown> | undefined;

  let busboy: ReturnType<typeof Busboy>;
  try {
    busboy = Busboy({
      headers: { 'content-type': contentType },
      // Everything but the two text fields is treated as a file, with or without a filename.
      isPartAFile: (field) => field !== 'operations' && field !== 'map',
      limits: {
        fieldNameSize: 200,
        fieldSize: limits.maxFieldBytes,
        fields: 2,
        files: 2, // one allowed; the second is seen so that it can be refused clearly
        parts: 4,
        headerPairs: 16,
      },
    });
  } catch {
    throw badRequest('A multipart request needs a Content-Type with a boundary.');
  }

  busboy.on('field', (name: string, value: string, _nameTruncated: boolean, valueTruncated: boolean) => {
    if (failure) return;
    if (valueTruncated) return fail(payloadTooLarge(`The "${name}" field is larger than ${limits.maxFieldBytes} bytes.`));
    if (name === 'operations') {
      if (operations) return fail(badRequest('The "operations" field appears twice.'));
      const parsed = parseJson(value);
      if (!isPlainObject(parsed)) return fail(badRequest('The "operations" field must be a JSON object (batched operations are not supported).'));
      operations = parsed;
    } else {
      if (!operations) return fail(badRequest('The "operations" field must come before "map".'));
      if (map) return fail(badRequest('The "map" field appears twice.'));
      const parsed = parseMap(value);
      if (parsed instanceof Error) return fail(parsed);
      map = parsed;
    }
  });

  busboy.on('file', (field: string, stream: Readable, filename: string | undefined, _encoding: string, mimeType: string) => {
    if (failure) {
      stream.resume();
      return;
    }
    if (!operations || !map) {
      stream.resume();
      return fail(badRequest('The "operations" and "map" fields must come before the file.'));
    }
    if (spooled) {
      stream.resume();
      return fail(badRequest('Only one file per request: upload each file in its own request.'));
    }
    if (!map.has(field)) {
      stream.resume();
      return fail(badRequest(`The file part "${field}" is not listed in "map".`));
    }
    const path = join(options.tmpDir ?? tmpdir(), `${TEMP_FILE_PREFIX}${randomUUID()}`);
    tempPath = path;
    options.track?.(path);
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.byteLength;
        // Recorded before the streams are torn down, so this (not the parser's "unexpected end") is the answer.
        const error =
          size > limits.maxFileBytes ? payloadTooLarge(fileTooLargeMessage(limits.maxFileBytes)) : options.reserve && !options.reserve(size) ? spoolFull() : undefined;
        if (!error) return callback(null, chunk);
        fail(error);
        callback(error);
      },
    });
    part = stream;
    const file = createWriteStream(path, { flags: 'wx', mode: 0o600 });
    closed = once(file, 'close').catch(() => {});
    spooled = pipeline(stream, counter, file).then(() => ({
      field,
      path,
      size,
      filename: filename && filename.length > 0 ? filename : FILE_NAME_FALLBACK,
      mimeType,
    }));
    spooled.catch((error: Error) => fail(error));
  });

  const tooMany = (what: string) => () => fail(badRequest(`Too many ${what}: a GraphQL multipart request has "operations", "map" and one file.`));
  busboy.on('filesLimit', () => fail(badRequest('Only one file per request: upload each file in its own request.')));
  busboy.on('fieldsLimit', tooMany('form fields'));
  busboy.on('partsLimit', tooMany('form parts'));

  // busboy parses Buffers; the body's chunks may be plain Uint8Arrays (wrapped, not copied).
  async function* bytes(): AsyncGenerator<Buffer> {
    armIdle();
    for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
      armIdle();
      yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    }
    clearTimeout(idle);
  }

  try {
    try {
      await Promise.race([pipeline(Readable.from(bytes()), busboy, { signal: abort.signal }), failure$]);
    } catch (error) {
      fail(asParseError(error));
    } finally {
      clearTimeout(idle);
    }
    if (failure) throw failure;
    if (!operations) throw badRequest('Missing multipart form field "operations".');
    if (!map || map.size === 0) return operations as GraphQLParams;
    if (!spooled) throw badRequest(`The file "${[...map.keys()][0]}" listed in "map" is missing.`);
    const done = await Promise.race([spooled, failure$]);
    if (failure) throw failure;
    const blob = await openAsBlob(done.path, { type: done.mimeType });
    const file = new File([blob], done.filename, { type: done.mimeType });
    for (const path of map.get(done.field) ?? []) setPath(operations, path, file);
    return operations as GraphQLParams;
  } catch (error) {
    // Wait for the spooling to stop and its file to close before removing it, or a late open could recreate it.
    await spooled?.catch(() => {});
    await closed;
    if (tempPath !== undefined) await rm(tempPath, { force: true });
    throw failure ?? asParseError(error);
  }
}

function fileTooLargeMessage(maxFileBytes: number): string {
  return `The file is larger than the ${maxFileBytes}-byte upload limit.`;
}

function asParseError(error: unknown): Error {
  if (error instanceof Error && ('extensions' in error || error.name === 'AbortError')) return error;
  return badRequest(`The multipart body is malformed: ${error instanceof Error ? error.message : String(error)}`);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseMap(text: string): Map<string, string[]> | Error {
  const parsed = parseJson(text);
  if (!isPlainObject(parsed)) return badRequest('The "map" field must be a JSON object of file field → variable paths.');
  const entries = Object.entries(parsed);
  if (entries.length > 1) return badRequest('Only one file per request: upload each file in its own request.');
  const map = new Map<string, string[]>();
  for (const [field, paths] of entries) {
    if (field === 'operations' || field === 'map' || field.length === 0) return badRequest(`"${field}" cannot name a file.`);
    const valid =
      Array.isArray(paths) &&
      paths.length > 0 &&
      paths.length <= MAX_PATHS_PER_FILE &&
      paths.every((path) => typeof path === 'string' && MAP_PATH.test(path) && !path.split('.').some((key) => UNSAFE_KEYS.has(key)));
    if (!valid) return badRequest(`"map" must give each file a list of paths into variables, e.g. ["variables.input.file"].`);
    map.set(field, paths as string[]);
  }
  return map;
}

/** Sets `value` at a dotted path (already checked against MAP_PATH and UNSAFE_KEYS). */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let current: Record<string, unknown> = target;
  keys.forEach((key, index) => {
    if (index === keys.length - 1) {
      current[key] = value;
      return;
    }
    const next = Object.hasOwn(current, key) ? current[key] : undefined;
    if (typeof next !== 'object' || next === null) current[key] = {};
    current = current[key] as Record<string, unknown>;
  });
}

export interface MultipartUploadsOptions {
  limits: UploadLimits;
  tmpDir?: string;
  /** Whether the server holds a key of its own; without one, an upload without an Authorization header is refused. */
  hasServerKey: boolean;
  /** Uploads in flight and the disk quota (src/media/upload-spool.ts); unset = unbounded (unit tests only). */
  spool?: SpoolLimits;
  /** See ParseUploadOptions.idleTimeoutMs (UPLOAD_IDLE_TIMEOUT_MS). */
  idleTimeoutMs?: number;
}

const unauthenticated = (message: string, reason?: string) =>
  createGraphQLError(message, {
    extensions: {
      code: 'UNAUTHENTICATED',
      ...(reason === undefined ? {} : { reason }),
      http: { status: 401, headers: { 'www-authenticate': 'AccessKey, Bearer', connection: 'close' } },
    },
  });

/**
 * The credential check an upload passes before a byte of it is read: a well-formed Authorization header, or a key
 * held by the server. Only the header's form is checked here; Bird judges the key when the upload is stored.
 */
function checkUploadCredential(request: Request, hasServerKey: boolean): void {
  let credential;
  try {
    credential = parseAuthorization(request.headers.get('authorization'));
  } catch (error) {
    throw unauthenticated((error as Error).message, (error as { reason?: string }).reason);
  }
  if (credential === null && !hasServerKey) {
    throw unauthenticated('An upload needs a Bird access key: send `Authorization: AccessKey <key>` (this server holds none).');
  }
}

/**
 * The yoga plugin: multipart POSTs are parsed by parseUploadRequest instead of yoga's buffering parser, and their temp
 * files are removed when the response is ready. Before anything is read, the request must bring a credential (or the
 * server hold one) and get a ticket from the spool (uploads in flight, disk quota; a declared Content-Length is
 * reserved whole, up front). src/limits.ts's useBodySizeLimit, placed after this plugin, caps the body this parser reads
 * to uploadBodyLimit().
 */
export function useMultipartUploads(options: MultipartUploadsOptions): Plugin {
  const requests = new WeakMap<Request, { paths: Set<string>; ticket?: SpoolTicket }>();
  const spool = options.spool ? new UploadSpool(options.spool) : undefined;
  const maxBody = uploadBodyLimit(options.limits).maxBytes;
  const settle = async (request: Request) => {
    const state = requests.get(request);
    if (!state) return;
    requests.delete(request);
    await Promise.all([...state.paths].map((path) => rm(path, { force: true })));
    state.ticket?.release();
  };
  return {
    onRequestParse({ request, setRequestParser, serverContext }) {
      if (!isMultipartUpload(request)) return;
      checkUploadCredential(request, options.hasServerKey);
      const state: { paths: Set<string>; ticket?: SpoolTicket } = { paths: new Set() };
      let reserve: ((bytes: number) => boolean) | undefined;
      if (spool) {
        const remote = (serverContext as { req?: { socket?: { remoteAddress?: string } } } | undefined)?.req?.socket?.remoteAddress;
        const ticket = spool.admit(uploadClient(request.headers.get('authorization'), remote));
        if (ticket instanceof Error) throw ticket;
        state.ticket = ticket;
        // A declared length is reserved whole before reading (an upload that cannot fit is refused at once); without
        // one, the file's bytes are reserved as they arrive.
        const declared = Number(request.headers.get('content-length') ?? Number.NaN);
        let reserved = Number.isSafeInteger(declared) && declared >= 0 ? Math.min(declared, maxBody) : 0;
        if (reserved > 0 && !ticket.grow(reserved)) {
          ticket.release();
          throw spoolFull();
        }
        reserve = (bytes) => {
          if (bytes <= reserved) return true;
          if (!ticket.grow(bytes - reserved)) return false;
          reserved = bytes;
          return true;
        };
      }
      requests.set(request, state);
      // A client that goes away before any response is written must not keep its ticket.
      request.signal?.addEventListener('abort', () => void settle(request), { once: true });
      setRequestParser((parsed) =>
        parseUploadRequest(parsed, {
          limits: options.limits,
          ...(options.tmpDir === undefined ? {} : { tmpDir: options.tmpDir }),
          ...(reserve ? { reserve } : {}),
          ...(options.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.idleTimeoutMs }),
          track: (path) => state.paths.add(path),
        }),
      );
    },
    // Not async: only a request that carried an upload has anything to settle (and makes yoga wait for it).
    onResponse({ request }) {
      if (requests.has(request)) return settle(request);
    },
  };
}
