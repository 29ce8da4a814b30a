// GraphQL multipart requests (graphql-multipart-request-spec) parsed as a stream: the one file is spooled to a temp file, never held in memory.
//
// yoga's own multipart parser calls `request.formData()`, which buffers every file whole in memory. This plugin
// replaces it for multipart requests:
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
import { type BodyLimit, isMultipartUpload, payloadTooLarge } from '../limits.ts';

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
}

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
  const fail = (error: Error): void => {
    if (failure) return;
    failure = error;
    part?.destroy(error);
    abort.abort(error);
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
        if (size <= limits.maxFileBytes) return callback(null, chunk);
        // Recorded before the streams are torn down, so this (not the parser's "unexpected end") is the answer.
        const error = payloadTooLarge(fileTooLargeMessage(limits.maxFileBytes));
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
    for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
      yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    }
  }

  try {
    try {
      await pipeline(Readable.from(bytes()), busboy, { signal: abort.signal });
    } catch (error) {
      fail(asParseError(error));
    }
    if (failure) throw failure;
    if (!operations) throw badRequest('Missing multipart form field "operations".');
    if (!map || map.size === 0) return operations as GraphQLParams;
    if (!spooled) throw badRequest(`The file "${[...map.keys()][0]}" listed in "map" is missing.`);
    const done = await spooled;
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
}

/**
 * The yoga plugin: multipart POSTs are parsed by parseUploadRequest instead of yoga's buffering parser, and their temp
 * files are removed when the response is ready. src/limits.ts's useBodySizeLimit, placed after this plugin, caps the
 * body this parser reads to uploadBodyLimit().
 */
export function useMultipartUploads(options: MultipartUploadsOptions): Plugin {
  const tempFiles = new WeakMap<Request, Set<string>>();
  return {
    onRequestParse({ request, setRequestParser }) {
      if (!isMultipartUpload(request)) return;
      const track = (path: string) => {
        let paths = tempFiles.get(request);
        if (!paths) tempFiles.set(request, (paths = new Set()));
        paths.add(path);
      };
      setRequestParser((parsed) =>
        parseUploadRequest(parsed, { limits: options.limits, ...(options.tmpDir === undefined ? {} : { tmpDir: options.tmpDir }), track }),
      );
    },
    async onResponse({ request }) {
      const paths = tempFiles.get(request);
      if (!paths) return;
      tempFiles.delete(request);
      await Promise.all([...paths].map((path) => rm(path, { force: true })));
    },
  };
}
