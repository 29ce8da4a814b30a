// Security defaults of the HTTP front: the Host check, CSRF, CORS allowlist, introspection switch, field-suggestion masking, persisted operations.
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { GraphQLError, Kind, type OperationDefinitionNode, parse } from 'graphql';
import { type CORSOptions, createGraphQLError, type Plugin } from 'graphql-yoga';
import type { Config } from './config.ts';
import { errorResponse } from './http-errors.ts';

/** `name[:port]` or `[IPv6][:port]`, as a Host header carries it. */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9._-]+)(?::\d{1,5})?$/i;

/**
 * Whether a Host header names a host of `allowed` (ALLOWED_HOSTS; null = any): names compare without the port and
 * without one trailing dot; `.example.com` allows example.com and every name under it.
 */
export function isAllowedHost(allowed: readonly string[] | null, host: string): boolean {
  if (allowed === null) return true;
  const match = HOST_HEADER.exec(host.trim());
  if (!match) return false;
  const name = match[1]!.toLowerCase().replace(/\.$/, '');
  return allowed.some((entry) => (entry.startsWith('.') ? name === entry.slice(1) || name.endsWith(entry) : name === entry));
}

/** Paths any Host may reach: liveness and readiness probes (a kubelet addresses the pod by its IP) carry no data. */
const ANY_HOST_PATHS = new Set(['/health', '/ready']);

/**
 * The Host check against DNS rebinding: a page on `rebind.attacker.example` that resolves to 127.0.0.1 reaches a
 * loopback server with the attacker's Host (and a matching Origin, so CORS cannot tell). Requests for a host not in
 * ALLOWED_HOSTS are answered 421 before anything else runs. A request with no Host header at all is no browser's (every
 * browser sends one); in-process calls (yoga.fetch) have none.
 */
export function useHostCheck(allowed: readonly string[] | null): Plugin {
  // The Host header of the last request that passed: nearly every request repeats it, and the answer cannot change.
  let lastAllowed: string | undefined;
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (allowed === null || ANY_HOST_PATHS.has(url.pathname)) return;
      const host = request.headers.get('host');
      if (host === null || host === lastAllowed) return;
      if (isAllowedHost(allowed, host)) {
        lastAllowed = host;
        return;
      }
      endResponse(
        errorResponse(fetchAPI, 421, 'This server does not answer for that host name: add it to ALLOWED_HOSTS (or set PUBLIC_URL) if it is yours.', {}, { connection: 'close' }),
      );
    },
  };
}

/** The header a GET or a CORS-"simple" POST must carry: a browser sends it only after a preflight. */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';
/** Headers a browser may send cross-origin: JSON, credentials, the CSRF header and our request id. */
const CORS_ALLOWED_HEADERS = ['content-type', 'authorization', CSRF_HEADER, 'x-request-id', 'accept'];

/**
 * yoga's CSRF prevention: GET and multipart/form-urlencoded/text POSTs (CORS "simple" requests) must carry CSRF_HEADER.
 * Its refusal is answered as CSRF_REJECTED (403) with a message saying what to send; the plugin's own has no code.
 */
export function useCsrfPrevention(): Plugin {
  const csrf = useCSRFPrevention({ requestHeaders: [CSRF_HEADER] });
  return {
    onRequestParse(payload) {
      try {
        return csrf.onRequestParse?.(payload);
      } catch {
        throw createGraphQLError(
          `Refused as a possible cross-site request: GET requests and form, multipart or text/plain POSTs must carry the "${CSRF_HEADER}" header (any value), or use Content-Type: application/json.`,
          { extensions: { code: 'CSRF_REJECTED', http: { status: 403 } } },
        );
      }
    },
  };
}

/**
 * yoga's `cors` option. yoga's default reflects ANY Origin with `Access-Control-Allow-Credentials: true`, which would let
 * every website call us with a user's cookies or key; here an origin gets CORS headers only when it is listed exactly,
 * and the answer names that origin alone (never `*`). Unlisted origins get no CORS headers, so browsers refuse them.
 */
export function corsOptions(config: Config): false | ((request: Request) => CORSOptions) {
  if (config.corsOrigins.length === 0) return false;
  const allowed = new Set(config.corsOrigins);
  return (request) => {
    const origin = request.headers.get('origin')?.toLowerCase();
    if (origin === undefined || !allowed.has(origin)) return false as unknown as CORSOptions;
    return {
      origin: [origin],
      credentials: true,
      methods: ['GET', 'POST'],
      allowedHeaders: CORS_ALLOWED_HEADERS,
      exposedHeaders: ['x-request-id'],
      maxAge: 600,
    };
  };
}

/**
 * With INTROSPECTION=false, `__schema` and `__type` are refused (graphql-js's NoSchemaIntrospectionCustomRule) and field
 * suggestions ("Did you mean …?") are masked, so the schema cannot be guessed either. `_service { sdl }`, `_entities`
 * and `__typename` are ordinary fields and keep answering for the federation gateway.
 */
export function introspectionPlugins(config: Config): Plugin[] {
  if (config.introspection) return [];
  return [useDisableIntrospection({ isDisabled: () => true }), blockFieldSuggestionsPlugin({ mask: '' }) as Plugin, useHiddenSuggestions()];
}

/** graphql-js's hints in any error ("Did you mean the enum value "FAILED"?", "Did you mean "name"?"). */
const SUGGESTION = /\s*Did you mean [^?]*\?/;
const SUGGESTIONS = new RegExp(SUGGESTION.source, 'g');

/**
 * Suggestions hidden from every error of every result, not only validation's (graphql-armor's plugin): a variable's
 * coercion error names the enum values it did not match, which would tell the schema that introspection keeps hidden.
 */
function useHiddenSuggestions(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || typeof result !== 'object' || result === null || !('errors' in result) || !result.errors?.length) return;
      if (!result.errors.some((error) => SUGGESTION.test(error.message))) return;
      const errors = result.errors.map((error) =>
        error instanceof GraphQLError && SUGGESTION.test(error.message)
          ? new GraphQLError(error.message.replace(SUGGESTIONS, ''), {
              nodes: error.nodes,
              source: error.source,
              positions: error.positions,
              path: error.path,
              extensions: error.extensions,
            })
          : error,
      );
      setResult({ ...result, errors });
    },
  };
}

/**
 * A predicate telling whether a request comes from the federation router: it carries ROUTER_SECRET in
 * ROUTER_SECRET_HEADER (set in the router's own configuration), compared in constant time. No secret configured: no
 * request is the router. A root-field name is no proof: anyone can write `_entities`.
 */
export function routerProof(router: Config['router']): (request: Request) => boolean {
  const { secret, header } = router;
  if (secret === null) return () => false;
  const expected = createHash('sha256').update(secret).digest();
  return (request) => {
    const given = request.headers.get(header);
    return given !== null && timingSafeEqual(createHash('sha256').update(given).digest(), expected);
  };
}

/** True when the document's every operation is a query selecting only `__typename` (a liveness probe; no data). */
export function isTypenameOnly(query: string): boolean {
  let operations: OperationDefinitionNode[];
  try {
    const document = parse(query, { noLocation: true, maxTokens: 100 });
    if (document.definitions.some((d) => d.kind !== Kind.OPERATION_DEFINITION)) return false;
    operations = document.definitions as OperationDefinitionNode[];
  } catch {
    return false;
  }
  return operations.every(
    (op) => op.operation === 'query' && op.selectionSet.selections.every((s) => s.kind === Kind.FIELD && s.name.value === '__typename'),
  );
}

/** The safelist: `{ "<sha256 hex of the document>": "<document>" }` (scripts/persisted-operations.ts writes it). */
export function loadPersistedOperations(path: string): ReadonlyMap<string, string> {
  return new Map(Object.entries(JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>));
}

/**
 * PERSISTED_OPERATIONS=<file>: only operations from the safelist run, sent as
 * `extensions: { persistedQuery: { version: 1, sha256Hash } }` (Apollo's format) or `documentId`. A document in the
 * body runs only from the router, proven by ROUTER_SECRET (routerProof): its query plans (`_entities`, `_service`
 * and root fields) are text, and its own safelist guards its clients. `{ __typename }` alone is no data and runs.
 */
export function persistedOperationsPlugins(config: Config): Plugin[] {
  if (config.persistedOperations === null) return [];
  const operations = loadPersistedOperations(config.persistedOperations);
  const isRouter = routerProof(config.router);
  const allowed = new WeakSet<Request>();
  const classify: Plugin = {
    onParams({ request, params }) {
      if (isRouter(request) || (typeof params.query === 'string' && isTypenameOnly(params.query))) allowed.add(request);
    },
  };
  return [
    classify,
    usePersistedOperations({
      getPersistedOperation: (hash) => operations.get(hash) ?? null,
      extractPersistedOperationId: (params) => {
        const extensions = params.extensions as { persistedQuery?: { version?: unknown; sha256Hash?: unknown } } | undefined;
        const hash = extensions?.persistedQuery?.version === 1 ? extensions.persistedQuery.sha256Hash : (params as { documentId?: unknown }).documentId;
        return typeof hash === 'string' ? hash : null;
      },
      allowArbitraryOperations: (request) => allowed.has(request),
      customErrors: {
        notFound: { message: 'Unknown persisted operation.', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', http: { status: 400 } } },
        keyNotFound: { message: 'Send a persisted operation hash (extensions.persistedQuery.sha256Hash).', extensions: { code: 'PERSISTED_QUERY_ID_REQUIRED', http: { status: 400 } } },
        persistedQueryOnly: { message: 'Only persisted operations are allowed.', extensions: { code: 'PERSISTED_QUERY_ONLY', http: { status: 400 } } },
      },
    }) as Plugin,
  ];
}
