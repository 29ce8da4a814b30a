// GET /media/<token>: verifies a signed media link and streams the Bird media it names, fetched with the caller's own key.
//
// The route never echoes Bird's body, status text or URL, and it answers a bad token without any upstream call:
// 404 for anything malformed, unsigned or tampered, 410 for a genuine but expired link. The bytes are streamed
// through (never buffered) with Bird's Content-Type and Content-Length, `nosniff`, and an `inline` disposition only
// for raster images and PDF, so an uploaded HTML or SVG file can never run as a page on our origin.
import { Readable } from 'node:stream';
import type { Plugin } from 'graphql-yoga';
import type { BirdClient } from '../bird/client.ts';
import { BirdError } from '../bird/errors.ts';
import { contentTypeProblem, dispositionFor } from './content-type.ts';
import { MEDIA_ROUTE_PREFIX, type MediaLinkKeys, openMediaLink } from './links.ts';

export interface MediaDownloadRouteOptions {
  bird: BirdClient;
  keys: MediaLinkKeys;
  /** The request id of a request (the app's x-request-id), forwarded to Bird. */
  requestIdOf: (request: Request) => string;
  now?: () => number;
}

/** What the route needs of node:http's response, when yoga runs on it (the server context's `res`). */
interface NodeResponse {
  destroy(): void;
  readonly writableFinished: boolean;
}

type ErrorCode = 'NOT_FOUND' | 'GONE' | 'METHOD_NOT_ALLOWED' | 'UPSTREAM_UNAVAILABLE' | 'RATE_LIMITED';

const MESSAGES: Record<ErrorCode, string> = {
  NOT_FOUND: 'This media link is not valid, or the media does not exist.',
  GONE: 'This media link has expired; ask the API for a fresh downloadUrl.',
  METHOD_NOT_ALLOWED: 'Only GET is supported here.',
  UPSTREAM_UNAVAILABLE: 'The media could not be fetched from Bird; try again later.',
  RATE_LIMITED: "Bird's rate limit was reached; try again later.",
};

export function useMediaDownloadRoute(options: MediaDownloadRouteOptions): Plugin {
  const now = options.now ?? Date.now;
  type OnRequest = NonNullable<Plugin['onRequest']>;
  const serve = async ({ request, url, endResponse, fetchAPI, serverContext }: Parameters<OnRequest>[0]): Promise<void> => {
    const error = (status: number, code: ErrorCode, headers: Record<string, string> = {}) =>
      fetchAPI.Response.json(
        { error: { code, message: MESSAGES[code] } },
        { status, headers: { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers } },
      );
    if (request.method !== 'GET') {
      endResponse(error(405, 'METHOD_NOT_ALLOWED', { allow: 'GET' }));
      return;
    }
    const token = url.pathname.slice(MEDIA_ROUTE_PREFIX.length);
    const nowMs = now();
    const opened = openMediaLink(options.keys, token, Math.floor(nowMs / 1000));
    if (!opened.ok) {
      endResponse(opened.reason === 'expired' ? error(410, 'GONE') : error(404, 'NOT_FOUND'));
      return;
    }
    const { mediaUrl, credential, expiresAt } = opened.claims;

    let media;
    try {
      media = await options.bird.downloadMedia(
        { mediaUrl },
        { credential, requestId: options.requestIdOf(request), signal: request.signal },
      );
    } catch (caught) {
      endResponse(upstreamError(caught, error));
      return;
    }

    const contentType =
      media.contentType !== undefined && contentTypeProblem(media.contentType) === null ? media.contentType : 'application/octet-stream';
    const maxAge = Math.max(0, expiresAt - Math.floor(nowMs / 1000));
    const headers: Record<string, string> = {
      'content-type': contentType,
      'cache-control': `private, max-age=${maxAge}`,
      'x-content-type-options': 'nosniff',
      'content-disposition': dispositionFor(contentType),
      // The token is in the path: never send it onwards in a Referer (a PDF viewer may follow links).
      'referrer-policy': 'no-referrer',
    };
    if (media.contentLength !== undefined) headers['content-length'] = String(media.contentLength);
    // The client aborts the upstream body with the request's signal when the browser goes away. The other way
    // round, a failed upstream body (a stall past the body timeout, a reset) must end this response too, cut off:
    // the server adapter pipes a stream without passing its error on, which left the browser waiting forever. So on
    // node:http the socket is destroyed (the browser sees the body end short of its length); elsewhere (yoga.fetch)
    // the body goes as a web stream, whose reader gets the error.
    const nodeResponse = (serverContext as { res?: NodeResponse } | undefined)?.res;
    if (nodeResponse?.destroy) {
      media.body.once('error', () => {
        if (!nodeResponse.writableFinished) nodeResponse.destroy();
      });
      endResponse(new fetchAPI.Response(media.body as unknown as BodyInit, { status: 200, headers }));
    } else {
      endResponse(new fetchAPI.Response(Readable.toWeb(media.body) as ReadableStream<Uint8Array>, { status: 200, headers }));
    }
  };
  return {
    // Not async itself: a hook that returns a promise makes yoga run every later onRequest hook of every request
    // in a microtask; only media paths get one.
    onRequest(payload) {
      if (payload.url.pathname.startsWith(MEDIA_ROUTE_PREFIX)) return serve(payload);
    },
  };
}

/** Bird's verdict, reduced to what a browser may learn: gone-or-forbidden looks like not found, the rest is 502/503. */
function upstreamError(caught: unknown, error: (status: number, code: ErrorCode, headers?: Record<string, string>) => Response): Response {
  if (!(caught instanceof BirdError)) return error(502, 'UPSTREAM_UNAVAILABLE');
  switch (caught.code) {
    case 'NOT_FOUND':
    case 'FORBIDDEN':
    case 'UNAUTHENTICATED':
    case 'INVALID_ID':
      return error(404, 'NOT_FOUND');
    case 'RATE_LIMITED': {
      const seconds = caught.retryAfterMs === undefined ? undefined : Math.max(1, Math.ceil(caught.retryAfterMs / 1000));
      return error(503, 'RATE_LIMITED', seconds === undefined ? {} : { 'retry-after': String(seconds) });
    }
    default:
      return error(502, 'UPSTREAM_UNAVAILABLE');
  }
}
