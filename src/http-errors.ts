// Every error leaves with an `extensions.code`: early HTTP errors coded by their status, empty 4xx bodies given a JSON error, nothing of the request echoed.
//
// yoga and graphql-js answer some refusals without a code (a wrong content type is an empty 415, "nothing
// acceptable" an empty 406, a JSON parse error carries the parser's message, which quotes the body, in
// `extensions.originalError`). Clients branch on codes, so this plugin is the last word on every result: an error
// without a code gets the one its HTTP status means, `originalError` is dropped, and the empty bodies get a JSON one.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** The code each HTTP status of an early refusal stands for. */
export const HTTP_STATUS_CODES: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  408: 'REQUEST_TIMEOUT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  421: 'MISDIRECTED_REQUEST',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
  507: 'INSUFFICIENT_STORAGE',
};

/** What an empty refusal body says instead (yoga answers these with no body at all). */
const EMPTY_BODY_MESSAGES: Readonly<Record<number, string>> = {
  404: 'Not found.',
  406: 'None of the media types in Accept can be served: accept application/json or application/graphql-response+json.',
  415: 'Unsupported Content-Type: send application/json (or multipart/form-data for uploads, with the CSRF header).',
};

/** A JSON error response with a code, for refusals made before (or outside) GraphQL. */
export function errorResponse(
  fetchAPI: { Response: typeof Response },
  status: number,
  message: string,
  extensions: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Response {
  const code = extensions.code ?? HTTP_STATUS_CODES[status] ?? 'BAD_REQUEST';
  return fetchAPI.Response.json(
    { errors: [{ message, extensions: { ...extensions, code } }] },
    { status, headers: { 'cache-control': 'no-store', ...headers } },
  );
}

function coded(error: GraphQLError): GraphQLError {
  const echoes = 'originalError' in error.extensions;
  if (error.extensions.code !== undefined && !echoes) return error;
  const { originalError: _echo, ...extensions } = error.extensions as Record<string, unknown>;
  let http = extensions.http as { status?: number; spec?: boolean } | undefined;
  // yoga keeps a spec error's 400 only while it carries the parser's error; without it the status must stay put.
  if (echoes && http?.spec) http = { ...http, spec: false };
  const code = extensions.code ?? (http?.status === undefined ? 'INTERNAL_SERVER_ERROR' : (HTTP_STATUS_CODES[http.status] ?? 'BAD_REQUEST'));
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: { ...extensions, ...(http ? { http } : {}), code },
  });
}

/**
 * The plugin: onResultProcess codes every error of the result about to be written (request errors included: yoga
 * processes those through the same hooks), and onResponse gives yoga's empty 404/406/415 a JSON body.
 */
export function useCodedErrors(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || typeof result !== 'object' || result === null || !('errors' in result) || !result.errors?.length) return;
      const errors = result.errors.map((error) => (error instanceof GraphQLError ? coded(error) : error));
      if (errors.some((error, i) => error !== result.errors![i])) setResult({ ...result, errors });
    },
    onResponse({ response, setResponse, fetchAPI }) {
      const message = EMPTY_BODY_MESSAGES[response.status];
      if (message === undefined || response.body !== null) return;
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        if (name !== 'content-type' && name !== 'content-length') headers[name] = value;
      });
      setResponse(errorResponse(fetchAPI, response.status, message, {}, headers));
    },
  };
}
