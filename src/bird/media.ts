// Media over the transport: the streamed multipart upload to Bird's storage target and the gated media download.

import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { BirdError } from './errors.ts';
import type { BirdErrorCode } from './errors.ts';
import { UUID, buildPath } from './paths.ts';
import type { Ids } from './paths.ts';
import { authorizationHeader, headerValue, requestIdHeader } from './transport.ts';
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

/** Fetches one of Bird's media URLs with the caller's key, after checking it really is one. */
export async function downloadMedia(transport: Transport, { mediaUrl }: { mediaUrl: string }, call: CallOptions): Promise<MediaDownload> {
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
  if (url.origin !== transport.mediaOrigin && url.origin !== transport.apiOrigin) throw refuse('mediaUrl is not on a Bird media origin');
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
      'user-agent': transport.userAgent,
      authorization: authorizationHeader(call?.credential, 'GET', media.route),
      ...requestIdHeader(call?.requestId),
    },
    secret: call.credential?.token,
    streaming: true,
  };
  // Retries apply only until a 2xx arrives; from then on the body belongs to the caller.
  return transport.execute(spec, call, async (response) => {
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
}
