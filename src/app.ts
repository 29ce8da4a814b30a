// createApp({ config, bird }) → the yoga instance: schema, context, masking, CSRF/CORS, limits, GraphiQL, /health, /ready, /metrics; never listens.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { GraphQLSchema } from 'graphql';
import { createYoga, type GraphiQLOptions, type Plugin, type YogaLogger, type YogaServerInstance } from 'graphql-yoga';
import { parseAuthorization } from './auth.ts';
import type { BirdClient, Credential } from './bird/client.ts';
import { bindBird } from './bird/handle.ts';
import type { Config } from './config.ts';
import { type Context, missingCredential } from './context.ts';
import { maskError, useCallBudgetOutcome } from './errors.ts';
import { useCodedErrors } from './http-errors.ts';
import { useBodySizeLimit, useLimits } from './limits.ts';
import { useMediaDownloadRoute } from './media/download-route.ts';
import { createMediaLinkIssuer } from './media/links.ts';
import { DEFAULT_MAX_FIELD_BYTES, uploadBodyLimit, useMultipartUploads } from './media/upload-parser.ts';
import { createObservability } from './observability/index.ts';
import { useGatedApolloInlineTrace } from './observability/inline-trace.ts';
import { createLogger, yogaLogger } from './observability/logger.ts';
import { createLive, registerLiveRuntime } from './live/index.ts';
import { useCompiledExecution } from './jit.ts';
import { createReadiness, useReadiness } from './ready.ts';
import { corsOptions, introspectionPlugins, isAllowedHost, persistedOperationsPlugins, routerProof, useCsrfPrevention, useHostCheck } from './security.ts';
import { createChannelPlatformCache } from './schema/channel-platform-cache.ts';
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

export type App = YogaServerInstance<Record<string, never>, Context>;

/** Each app's /metrics listener, for a port of its own (METRICS_PORT): see metricsHandler. */
const metricsListeners = new WeakMap<App, (req: IncomingMessage, res: ServerResponse) => void>();

/** The node:http handler that serves this app's /metrics alone (with METRICS_TOKEN), or null with METRICS=false. */
export function metricsHandler(app: App): ((req: IncomingMessage, res: ServerResponse) => void) | null {
  return metricsListeners.get(app) ?? null;
}

export interface CreateAppOptions {
  config: Config;
  bird: BirdClient;
  /** Defaults to buildSchema({ nodeFields: config.relayNodeFields }); tests may pass a prebuilt one. */
  schema?: GraphQLSchema;
  /** Defaults to structured logs (pino) at config.logLevel in config.logFormat on stdout. */
  logger?: YogaLogger;
  /** Tests pass an in-memory span exporter; tracing then runs whatever config.tracing says. */
  spanExporter?: SpanExporter;
  /** Overrides of the GraphiQL options (title, defaultQuery, ...); GraphiQL itself is on only when config.graphiql. */
  graphiql?: GraphiQLOptions;
}

/** The caller's x-request-id when well-formed, else a fresh UUID. */
export function requestIdOf(request: Request): string {
  const given = request.headers.get(REQUEST_ID_HEADER);
  return given !== null && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
}

/**
 * Caches each rendered page: the inlined GraphiQL bundle is ~9 MB, so it is built once, not per request. The module
 * holding it (~35 MB of memory) is loaded on the first page asked for, never in a process that serves none.
 */
function memoizedGraphiQL(): (options: GraphiQLOptions) => Promise<string> {
  const cache = new Map<string, Promise<string>>();
  return (options) => {
    const key = JSON.stringify(options);
    let html = cache.get(key);
    if (html === undefined) {
      html = import('@graphql-yoga/render-graphiql').then(({ renderGraphiQL }) => renderGraphiQL(options));
      cache.set(key, html);
    }
    return html;
  };
}

export function createApp({ config, bird, schema, logger, graphiql, spanExporter }: CreateAppOptions): App {
  const serverKey: Credential | null = config.bird.accessKey === null ? null : { scheme: 'AccessKey', token: config.bird.accessKey };
  const mediaOrigin = new URL(config.bird.mediaUrl).origin;
  // Per request: its id, and (from onRequest's parsed URL) whether it is for GRAPHQL_PATH.
  const requests = new WeakMap<Request, { id: string; graphqlPath?: boolean }>();
  const stateOf = (request: Request) => {
    let state = requests.get(request);
    if (state === undefined) {
      state = { id: requestIdOf(request) };
      requests.set(request, state);
    }
    return state;
  };
  const idOf = (request: Request): string => stateOf(request).id;

  const log = logger ?? yogaLogger(createLogger({ level: config.logLevel, format: config.logFormat }));
  const observability = createObservability({ config, logger: log, graphqlPath: GRAPHQL_PATH, requestIdOf: idOf, ...(spanExporter ? { spanExporter } : {}) });
  // Live updates (src/live): the webhook receiver, the event bus (memory or Redis) and the subscriptions' hub.
  const live = createLive({ config: config.live, publicUrl: config.publicUrl, bird, logger: log, registry: observability.metrics?.registry ?? null, exposeLimits: !config.production });
  const readiness = createReadiness({ url: config.bird.apiUrl, timeoutMs: config.ready.timeoutMs, cacheMs: config.ready.cacheMs, dependencies: [live.healthy] });
  // Signed download links for Bird media (GET /media/<token>) and streamed multipart uploads (src/media).
  const mediaLinks = createMediaLinkIssuer({
    secret: config.media.linkSecret,
    ttlSeconds: config.media.linkTtlSeconds,
    mediaOrigin,
    publicUrl: config.publicUrl,
    isAllowedHost: (host) => isAllowedHost(config.allowedHosts, host),
  });
  const uploadLimits = { maxFileBytes: config.media.maxBytes, maxFieldBytes: DEFAULT_MAX_FIELD_BYTES };
  // Each channel's platform, per credential, across requests: a warm send is one POST (src/schema/channel-platform-cache.ts).
  const channelPlatforms = createChannelPlatformCache(config.sends.channelCache);

  // Request ids on every response (GraphQL, GraphiQL, /health, errors) and the JSON liveness route.
  const httpPlugin: Plugin = {
    onRequest({ request, url, endResponse, fetchAPI }) {
      stateOf(request).graphqlPath = url.pathname === GRAPHQL_PATH;
      if (url.pathname === HEALTH_PATH && (request.method === 'GET' || request.method === 'HEAD')) {
        endResponse(fetchAPI.Response.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } }));
      }
    },
    onResponse({ request, response }) {
      const state = stateOf(request);
      response.headers.set(REQUEST_ID_HEADER, state.id);
      // Answered before this plugin's onRequest (yoga's own routes): the URL is parsed here.
      if (state.graphqlPath ?? new URL(request.url).pathname === GRAPHQL_PATH) {
        // Answers carry the caller's own data (their credential's view of Bird): no cache may keep or share them, and
        // the CORS headers differ by Origin.
        response.headers.set('cache-control', 'no-store');
        const vary = response.headers.get('vary');
        if (!vary?.toLowerCase().split(/\s*,\s*/).includes('origin')) response.headers.set('vary', vary ? `${vary}, Origin` : 'Origin');
      }
    },
  };

  const app = createYoga<Record<string, never>, Context>({
    schema: schema ?? buildSchema({ nodeFields: config.relayNodeFields }),
    graphqlEndpoint: GRAPHQL_PATH,
    // yoga's own check answers an empty 200 on any URL ending in its path and runs before user plugins;
    // it is moved aside so that /health is ours (exact path, JSON body).
    healthCheckEndpoint: '/_yoga/health',
    landingPage: false,
    logging: log,
    // yoga's own byte cap is replaced by useBodySizeLimit (no per-request stream wrapping when Content-Length bounds
    // the body): uploads get the largest upload request, other bodies the far smaller MAX_BODY_BYTES (src/limits.ts).
    maxRequestBodySize: false,
    // Masking is never off: src/errors.ts keeps an allowlist of codes and turns anything else into "Unexpected error.".
    // isDev is explicit so that only config decides (yoga would read NODE_ENV itself).
    maskedErrors: { maskError, isDev: config.nodeEnv === 'development' },
    // An explicit origin list (CORS_ORIGINS): yoga's default reflects every origin with credentials. Unlisted origins
    // get no CORS headers; same-origin use (GraphiQL, server-to-server, routers) needs none (src/security.ts).
    cors: corsOptions(config),
    graphiql: config.graphiql
      ? { title: 'Bird GraphQL', defaultQuery: DEFAULT_QUERY, shouldPersistHeaders: false, ...graphiql }
      : false,
    // The bundle inlined by @graphql-yoga/render-graphiql: the page loads nothing from a CDN.
    renderGraphiQL: memoizedGraphiQL(),
    // Order matters for onRequest: /health, /metrics and /ready answer before CSRF and the limits look at the request.
    plugins: [
      httpPlugin,
      // Before anything that reads or answers: a Host not in ALLOWED_HOSTS is 421 (DNS rebinding; src/security.ts).
      useHostCheck(config.allowedHosts),
      // Every error leaves with a code, and nothing of the request body is echoed (src/http-errors.ts).
      useCodedErrors(),
      observability.plugin,
      useReadiness(readiness),
      // POST /webhooks/bird answers before CSRF and the limits; the live context and per-event execution of subscriptions.
      ...live.plugins,
      useMediaDownloadRoute({ bird, keys: mediaLinks.keys, requestIdOf: idOf }),
      // GET and multipart/form-urlencoded/text POSTs (CORS "simple" requests) must carry the CSRF header: a browser
      // only sends it after a preflight, which the CORS allowlist answers (CSRF_REJECTED otherwise).
      useCsrfPrevention(),
      ...useLimits({ limits: config.limits, exposeLimits: !config.production, maxUploadBytes: config.media.maxBytes }),
      useCallBudgetOutcome(),
      ...introspectionPlugins(config),
      ...persistedOperationsPlugins(config),
      // Apollo Federation inline traces: `extensions.ftv1` only when a router asks (apollo-federation-include-trace:
      // ftv1), and with ROUTER_SECRET only when the router proves itself. They are built from the already-masked
      // errors, so they carry nothing a response would not. Only those requests pay for per-field instrumentation
      // (src/observability/inline-trace.ts).
      useGatedApolloInlineTrace(config.router.secret === null ? undefined : routerProof(config.router)),
      // Compiled execution (GRAPHQL_JIT): graphql-jit per hot document, graphql-js where it would answer otherwise.
      ...(config.jit.enabled ? [useCompiledExecution({ compileAfter: config.jit.compileAfter })] : []),
      // After CSRF: a multipart POST without the header is refused before a byte of it is read; then it needs a
      // credential and a spool ticket (uploads in flight, disk quota) before a byte is read; an idle upload is cut off.
      useMultipartUploads({
        limits: uploadLimits,
        tmpDir: config.media.spoolDir,
        hasServerKey: serverKey !== null,
        spool: {
          maxBytes: config.media.spoolMaxBytes,
          maxConcurrent: config.media.maxConcurrentUploads,
          maxConcurrentPerClient: config.media.maxConcurrentUploadsPerClient,
        },
        idleTimeoutMs: config.media.uploadIdleTimeoutMs,
      }),
      // Last, as yoga's own: wraps whichever request parser the plugins above chose.
      useBodySizeLimit({ limits: config.limits, exposeLimits: !config.production, upload: uploadBodyLimit(uploadLimits) }),
    ],
    context: ({ request }): Context => {
      const requestId = idOf(request);
      const credential = parseAuthorization(request.headers.get('authorization')) ?? serverKey;
      const hooks = observability.contextHooks(request);
      return {
        bird: bindBird(bird, {
          credential,
          requestId,
          signal: request.signal,
          onEvent: hooks.onEvent,
          missingCredential,
          // The hard runtime cap behind the estimate, and one request's share of the connections.
          maxCalls: config.limits.maxUpstreamCalls,
          maxInFlight: config.bird.maxInFlightPerRequest,
        }),
        onBatch: hooks.onBatch,
        onFilterMismatch: hooks.onFilterMismatch,
        requestId,
        organizationId: config.bird.organizationId,
        mediaOrigin,
        mediaLinks: mediaLinks.forRequest(request, credential),
        mediaMaxBytes: config.media.maxBytes,
        channelPlatforms,
      };
    },
  });
  if (observability.metricsListener) metricsListeners.set(app, observability.metricsListener);
  registerLiveRuntime(app, live);
  return app;
}
