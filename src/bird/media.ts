// Media over the transport: the streamed multipart upload to Bird's storage target, and the gated media download that follows Bird's redirects without the key.

import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { BirdError } from './errors.ts';
import type { BirdErrorCode } from './errors.ts';
import { UUID, buildPath } from './paths.ts';
import type { Ids } from './paths.ts';
import type { Dispatcher } from 'undici';
import { mediaUrlProblem } from '../media/url-policy.ts';
import { REDIRECT_STATUSES, authorizationHeader, discard, headerValue, readAtMost, requestIdHeader } from './transport.ts';
import type { CallOptions, RequestSpec, Transport } from './transport.ts';
import type { PresignedUpload } from './types.ts';

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

/** Bird's media paths (on the media origin): channel uploads, incoming message media, channel-independent uploads. */
const MEDIA_ROUTES = [
  '/workspaces/{workspaceId}/channels/{channelId}/media/{mediaId}',
  '/workspaces/{workspaceId}/messages/{messageId}/media/{mediaId}',
  '/workspaces/{workspaceId}/media/{mediaId}',
] as const;

/** Stand-in routes for errors about URLs we refuse or that Bird chose: never the URL itself. */
const UPLOAD_ROUTE = '{uploadUrl}';
const MEDIA_URL_ROUTE = '{mediaUrl}';

const CONTENT_TYPE = /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+(?:\s*;\s*[\w!#$&^.+-]+=(?:[\w!#$&^.+-]+|"[^"\r\n]*"))*$/;

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

/** Streams the multipart form to `upload.uploadUrl` (storage, not Bird): no Authorization header is sent. */
export async function uploadFile(transport: Transport, params: UploadFileParams, call?: Partial<CallOptions>): Promise<void> {
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
  const apiIsPlainHttp = transport.apiOrigin.startsWith('http:');
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
      'user-agent': transport.userAgent,
      'content-type': form.contentType,
      ...(form.length === undefined ? {} : { 'content-length': String(form.length) }),
      ...requestIdHeader(call?.requestId),
    },
    // A stream can be read once, so only an in-memory file may be resent (and then only under the POST rule).
    body: { open: form.open, replayable: params.body instanceof Uint8Array },
    deadlineMs: transport.uploadDeadlineMs,
  };
  await transport.execute(spec, call, async (response) => {
    await response.body.dump();
  });
}

/** Bird's legacy media host: some inbound media URLs still point there (bird-api.md §10.4). */
export const LEGACY_MEDIA_ORIGIN = 'https://media.nest.messagebird.com';
/** Redirects a download follows at most (Bird answers its media paths with one, to a presigned object-store URL). */
export const MAX_MEDIA_REDIRECTS = 3;
/** The stand-in route of a redirect target in errors and events: its URL carries a signature, so it is never shown. */
const REDIRECT_ROUTE = '{mediaRedirect}';
/** The `?redirect=false` answer is a small JSON object. */
const MAX_REDIRECT_JSON_BYTES = 64 * 1024;

/** Whether a media URL's query is one we accept: `redirect=false` (the JSON form) and presigned `X-Amz-*` parameters only. */
function acceptedMediaQuery(url: URL): boolean {
  for (const [name, value] of url.searchParams) {
    if (name === 'redirect' ? value !== 'false' : !/^x-amz-[a-z0-9-]+$/i.test(name)) return false;
  }
  return true;
}

/** A presigned URL authorizes itself: a Bird key sent along would be refused (and must not travel anyway). */
function isPresigned(url: URL): boolean {
  return [...url.searchParams.keys()].some((name) => /^x-amz-(signature|credential)$/i.test(name));
}

/**
 * Where a download may be redirected: a public https URL without credentials (the checks sends use, in
 * src/media/url-policy.ts), or an origin the configuration allows (BIRD_MEDIA_REDIRECT_ORIGINS: the emulator's object
 * store, a private S3 endpoint). Never with the key.
 */
function redirectAllowed(target: URL, allowedOrigins: readonly string[]): boolean {
  if (target.username !== '' || target.password !== '') return false;
  if (allowedOrigins.includes(target.origin)) return true;
  return mediaUrlProblem(target, () => false) === null;
}

/**
 * downloadMedia's gate, before any request: never fetch an arbitrary URL with the caller's key (SSRF, key leak).
 * Only Bird's own origins (the configured ones and the legacy host), only Bird's media paths with UUIDs (the path
 * sent is rebuilt from them), no credentials, no query but the JSON form and a presigned URL's own parameters.
 * Returns why a URL is refused, or the URL and its media route.
 */
export function checkMediaUrl(mediaUrl: string, birdOrigins: readonly string[]): string | { url: URL; media: { route: string; path: string } } {
  // The URL parser silently drops tabs and newlines and trims spaces; refuse them instead of guessing.
  if (/[\s\x00-\x1f\x7f]/.test(mediaUrl)) return 'mediaUrl contains whitespace or control characters';
  const url = URL.parse(mediaUrl);
  if (!url) return 'mediaUrl is not a URL';
  if (!birdOrigins.includes(url.origin) && url.origin !== LEGACY_MEDIA_ORIGIN) return 'mediaUrl is not on a Bird media origin';
  if (url.username !== '' || url.password !== '') return 'mediaUrl has credentials';
  if (!acceptedMediaQuery(url)) return 'mediaUrl has a query other than redirect=false or a presigned signature';
  const media = matchMediaUrl(url);
  return media ? { url, media } : 'mediaUrl is not a Bird media path';
}

/** What one hop answered: the media itself, or where to go next. */
type Hop = { kind: 'media'; download: MediaDownload } | { kind: 'redirect'; location: string | undefined };

/**
 * Fetches one of Bird's media URLs as Bird serves it: the caller's key goes to Bird's media origin only, and the
 * answer may be the bytes, a redirect (at most MAX_MEDIA_REDIRECTS, each target checked, fetched WITHOUT the key),
 * or, for a `?redirect=false` URL, the presigned URL as JSON (`{"Location": …}`, a guess from public client code).
 * One deadline covers the chain until the final headers; every response is size-capped.
 */
export async function downloadMedia(transport: Transport, { mediaUrl }: { mediaUrl: string }, call: CallOptions): Promise<MediaDownload> {
  const gate = checkMediaUrl(mediaUrl, [transport.mediaOrigin, transport.apiOrigin]);
  if (typeof gate === 'string') {
    throw new BirdError({ code: 'INVALID_ID', message: `GET ${MEDIA_URL_ROUTE}: ${gate}`, method: 'GET', route: MEDIA_URL_ROUTE, attempts: 0 });
  }
  const { url, media } = gate;
  const startedAt = Date.now();
  let target = url;
  let path = `${media.path}${url.search}`;
  let route: string = media.route;
  let withKey = !isPresigned(url);
  let jsonForm = url.searchParams.get('redirect') === 'false';
  for (let hop = 0; ; hop++) {
    const remainingMs = transport.deadlineMs - (Date.now() - startedAt);
    const spec: RequestSpec = {
      method: 'GET',
      origin: target.origin,
      route,
      path,
      headers: {
        accept: '*/*',
        'user-agent': transport.userAgent,
        ...(withKey ? { authorization: authorizationHeader(call?.credential, 'GET', route), ...requestIdHeader(call?.requestId) } : {}),
      },
      secret: call.credential?.token,
      streaming: true,
      redirects: true,
      deadlineMs: Math.max(1, remainingMs),
    };
    const answer = await transport.execute(spec, call, (response) => readHop(response, jsonForm));
    if (answer.kind === 'media') return answer.download;
    const next = answer.location === undefined ? undefined : URL.parse(answer.location, target);
    const bad = (what: string): BirdError =>
      new BirdError({ code: 'BAD_RESPONSE', message: `GET ${route}: ${what}`, method: 'GET', route, attempts: hop + 1 });
    if (!next) throw bad('a redirect without a usable location');
    if (hop + 1 > MAX_MEDIA_REDIRECTS) throw bad(`more than ${MAX_MEDIA_REDIRECTS} redirects`);
    if (!redirectAllowed(next, transport.mediaRedirectOrigins)) throw bad('a redirect to a target that is not public https nor an allowed origin');
    target = next;
    path = `${next.pathname}${next.search}`;
    route = REDIRECT_ROUTE;
    withKey = false;
    jsonForm = false;
  }
}

/** One hop's answer: a redirect's location (its body dropped), the JSON form's `Location`, or the media stream. */
async function readHop(response: Dispatcher.ResponseData, jsonForm: boolean): Promise<Hop> {
  const contentType = headerValue(response.headers['content-type']);
  if (REDIRECT_STATUSES.has(response.statusCode)) {
    discard(response.body); // never waited for: only the location matters
    return { kind: 'redirect', location: headerValue(response.headers.location) };
  }
  if (jsonForm && contentType !== undefined && /^application\/json\b/i.test(contentType)) {
    const bytes = await readAtMost(response.body, MAX_REDIRECT_JSON_BYTES);
    let parsed: unknown;
    try {
      parsed = bytes === undefined ? undefined : JSON.parse(bytes.toString('utf8'));
    } catch {
      parsed = undefined;
    }
    const location = (parsed as { Location?: unknown; location?: unknown } | undefined)?.Location ?? (parsed as { location?: unknown } | undefined)?.location;
    return { kind: 'redirect', location: typeof location === 'string' ? location : undefined };
  }
  const length = Number(headerValue(response.headers['content-length']));
  // Destroying the stream early is a normal way to give it back; undici reports that as an 'error', which must
  // not crash a caller who attached no listener. Consumers (pipeline, for await) still see real errors.
  response.body.on('error', () => {});
  return {
    kind: 'media',
    download: {
      status: response.statusCode,
      ...(contentType === undefined ? {} : { contentType }),
      ...(Number.isSafeInteger(length) && length >= 0 ? { contentLength: length } : {}),
      body: response.body,
    },
  };
}
