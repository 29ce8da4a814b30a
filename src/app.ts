// createApp({ config, bird }) → the yoga instance: schema, per-request context, masking, GraphiQL, /health; never listens.
import { randomUUID } from 'node:crypto';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { createLogger, createYoga, type GraphiQLOptions, type Plugin, type YogaLogger, type YogaServerInstance } from 'graphql-yoga';
import type { BirdClient, Credential } from './bird/client.ts';
import { ACCESS_TOKEN_PATTERN, type Config } from './config.ts';
import type { Context } from './context.ts';
import { maskError } from './errors.ts';
import { buildSchema } from './schema/index.ts';

/**
 * The operation GraphiQL opens with (when the browser has no saved tabs), also printed by `npm start` and quoted in
 * the README. One place to change when the schema grows.
 */
export const DEFAULT_QUERY = `# Welcome to Bird GraphQL. Press the run button (or Ctrl+Enter) to execute.
# Requests without an Authorization header use the server's key (the demo key in demo mode);
# send your own in the Headers tab: {"Authorization": "AccessKey <your key>"}.
query WorkspacesChannelsMessages {
  workspaces(first: 5) {
    edges {
      node {
        workspaceId
        name
        channels(first: 5) {
          edges {
            node {
              channelId
              name
              platform
              messages(first: 2) {
                edges {
                  node {
                    messageId
                    direction
                    status
                    text
                    createdAt
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}
`;

export const GRAPHQL_PATH = '/graphql';
export const HEALTH_PATH = '/health';
export const REQUEST_ID_HEADER = 'x-request-id';
/** Caller-supplied request ids are kept only when short and plain, so they are safe to log and forward. */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
const AUTHORIZATION_PATTERN = /^(AccessKey|Bearer) +(\S+)$/i;

export type App = YogaServerInstance<Record<string, never>, Context>;

export interface CreateAppOptions {
  config: Config;
  bird: BirdClient;
  /** Defaults to buildSchema(); tests may pass a prebuilt one. */
  schema?: GraphQLSchema;
  /** Defaults to yoga's console logger at config.logLevel. */
  logger?: YogaLogger;
  /** Overrides of the GraphiQL options (title, defaultQuery, ...); GraphiQL itself is on only when config.graphiql. */
  graphiql?: GraphiQLOptions;
}

export class AuthorizationError extends GraphQLError {
  constructor() {
    super('Malformed Authorization header: expected "AccessKey <key>" or "Bearer <token>".', {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'www-authenticate': 'AccessKey, Bearer' } } },
    });
  }
}

/**
 * The caller's credential from `Authorization`, else null. Throws AuthorizationError when the header is present but
 * not `AccessKey <token>` / `Bearer <token>` with a sane token; the header's value is never echoed.
 */
export function parseAuthorization(header: string | null): Credential | null {
  if (header === null || header.trim() === '') return null;
  const match = AUTHORIZATION_PATTERN.exec(header.trim());
  const token = match?.[2];
  if (!match || token === undefined || !ACCESS_TOKEN_PATTERN.test(token)) throw new AuthorizationError();
  return { scheme: match[1]!.toLowerCase() === 'bearer' ? 'Bearer' : 'AccessKey', token };
}

/** The caller's x-request-id when well-formed, else a fresh UUID. */
export function requestIdOf(request: Request): string {
  const given = request.headers.get(REQUEST_ID_HEADER);
  return given !== null && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
}

/** Caches each rendered page: the inlined GraphiQL bundle is ~9 MB, so it is built once, not per request. */
function memoizedGraphiQL(): (options: GraphiQLOptions) => string {
  const cache = new Map<string, string>();
  return (options) => {
    const key = JSON.stringify(options);
    let html = cache.get(key);
    if (html === undefined) {
      html = renderGraphiQL(options);
      cache.set(key, html);
    }
    return html;
  };
}

export function createApp({ config, bird, schema, logger, graphiql }: CreateAppOptions): App {
  const serverKey: Credential | null = config.bird.accessKey === null ? null : { scheme: 'AccessKey', token: config.bird.accessKey };
  const mediaOrigin = new URL(config.bird.mediaUrl).origin;
  const requestIds = new WeakMap<Request, string>();
  const idOf = (request: Request): string => {
    let id = requestIds.get(request);
    if (id === undefined) {
      id = requestIdOf(request);
      requestIds.set(request, id);
    }
    return id;
  };

  // Request ids on every response (GraphQL, GraphiQL, /health, errors) and the JSON liveness route.
  const httpPlugin: Plugin = {
    onRequest({ request, url, endResponse, fetchAPI }) {
      idOf(request);
      if (url.pathname === HEALTH_PATH && (request.method === 'GET' || request.method === 'HEAD')) {
        endResponse(fetchAPI.Response.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } }));
      }
    },
    onResponse({ request, response }) {
      response.headers.set(REQUEST_ID_HEADER, idOf(request));
    },
  };

  return createYoga<Record<string, never>, Context>({
    schema: schema ?? buildSchema(),
    graphqlEndpoint: GRAPHQL_PATH,
    // yoga's own check answers an empty 200 on any URL ending in its path and runs before user plugins;
    // it is moved aside so that /health is ours (exact path, JSON body).
    healthCheckEndpoint: '/_yoga/health',
    landingPage: false,
    logging: logger ?? createLogger(config.logLevel),
    // Masking is never off: src/errors.ts keeps an allowlist of codes and turns anything else into "Unexpected error.".
    // isDev is explicit so that only config decides (yoga would read NODE_ENV itself).
    maskedErrors: { maskError, isDev: config.nodeEnv === 'development' },
    // No CORS headers until the hardening work adds an explicit origin list (yoga's default reflects every origin
    // with credentials). Same-origin use (GraphiQL, server-to-server, routers) needs none.
    cors: false,
    graphiql: config.graphiql
      ? { title: 'Bird GraphQL', defaultQuery: DEFAULT_QUERY, shouldPersistHeaders: false, ...graphiql }
      : false,
    // The bundle inlined by @graphql-yoga/render-graphiql: the page loads nothing from a CDN.
    renderGraphiQL: memoizedGraphiQL(),
    plugins: [httpPlugin],
    context: ({ request }): Context => {
      const requestId = idOf(request);
      const credential = parseAuthorization(request.headers.get('authorization')) ?? serverKey;
      return {
        bird,
        call: { credential, requestId, signal: request.signal },
        requestId,
        organizationId: config.bird.organizationId,
        mediaOrigin,
      };
    },
  });
}
