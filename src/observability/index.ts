// Observability as one yoga plugin: per-request state feeding the request log line, Prometheus metrics and trace spans.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Span } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { type DocumentNode, getOperationAST } from 'graphql';
import type { Plugin, YogaLogger } from 'graphql-yoga';
import type { UpstreamEvent } from '../bird/client.ts';
import type { Config } from '../config.ts';
import { errorResponse } from '../http-errors.ts';
import { ignoreLine } from './logger.ts';
import { type Metrics, OPERATION_NAME, createMetrics, warnFilterMismatchOnce } from './metrics.ts';
import { type Tracing, createTracing } from './tracing.ts';

export const METRICS_PATH = '/metrics';
/** Probes and scrapes: answered, but not logged line by line. */
const QUIET_PATHS = new Set(['/health', '/ready', METRICS_PATH]);

interface RequestState {
  started: number;
  path: string;
  method: string;
  operation?: string;
  operationType?: string;
  executed: boolean;
  failed: boolean;
  upstreamCalls: number;
  retries: number;
  span?: Span;
}

export interface Observability {
  plugin: Plugin;
  metrics: Metrics | null;
  /** A node:http handler serving /metrics alone (METRICS_PORT), with the token check; null with METRICS=false. */
  metricsListener: ((req: IncomingMessage, res: ServerResponse) => void) | null;
  /** The per-request hooks that go into the GraphQL context (Bird call observer, loader batch sizes). */
  contextHooks(request: Request): {
    onEvent: (event: UpstreamEvent) => void;
    onBatch: (loader: string, size: number) => void;
    onFilterMismatch: (list: string, filter: string) => void;
  };
}

export interface ObservabilityOptions {
  config: Config;
  logger: YogaLogger;
  /** Operation metrics are counted for this path only (other routes are still logged). */
  graphqlPath: string;
  requestIdOf(request: Request): string;
  /** Tests pass an in-memory exporter; tracing then runs even when OTEL is off. */
  spanExporter?: SpanExporter;
}

/** Whether an Authorization header carries `Bearer <token>`, compared in constant time. */
export function bearerMatches(header: string | null | undefined, token: string): boolean {
  const match = /^Bearer +(\S+)$/i.exec(header?.trim() ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]!, 'utf8');
  const expected = Buffer.from(token, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const METRICS_UNAUTHORIZED = 'Send the metrics token: Authorization: Bearer <METRICS_TOKEN>.';

export function createObservability({ config, logger, graphqlPath, requestIdOf, spanExporter }: ObservabilityOptions): Observability {
  const metrics = config.metrics ? createMetrics() : null;
  /** /metrics on the main port: not when it has a port of its own (METRICS_PORT). */
  const metricsHere = metrics !== null && config.metricsPort === null;
  const scrapeAllowed = (authorization: string | null | undefined) => config.metricsToken === null || bearerMatches(authorization, config.metricsToken);
  // The request line is logged at info: when that level is off, it is not even built.
  const logRequests = logger.info !== ignoreLine;
  const tracing: Tracing | null = createTracing(config.tracing, spanExporter);
  const states = new WeakMap<Request, RequestState>();
  /** The request's state, marked as executing the operation `args` chose (its type and name), or undefined when untracked. */
  const startOperation = (args: { contextValue: unknown; document: DocumentNode; operationName?: string | null }): RequestState | undefined => {
    const request = (args.contextValue as { request?: Request }).request;
    const state = request ? states.get(request) : undefined;
    if (!state) return undefined;
    const operation = getOperationAST(args.document, args.operationName);
    state.executed = true;
    state.operationType = operation?.operation;
    state.operation = operation?.name?.value ?? state.operation;
    return state;
  };

  const onEvent = (request: Request) => (event: UpstreamEvent) => {
    const state = states.get(request);
    if (state) {
      if (event.type === 'attempt') state.upstreamCalls++;
      else state.retries++;
      if (state.span) tracing?.upstream(state.span, event);
    }
    metrics?.upstream(event);
  };

  /**
   * The path as logs, metrics and spans may see it: a media download path carries a signed link that works until it
   * expires (and holds the caller's credential, encrypted), so it is logged by its template only.
   */
  const pathTemplate = (pathname: string): string => (pathname.startsWith('/media/') ? '/media/:token' : pathname);

  const plugin: Plugin = {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname === METRICS_PATH && metricsHere && metrics && (request.method === 'GET' || request.method === 'HEAD')) {
        if (!scrapeAllowed(request.headers.get('authorization'))) {
          endResponse(errorResponse(fetchAPI, 401, METRICS_UNAUTHORIZED, { code: 'UNAUTHENTICATED' }, { 'www-authenticate': 'Bearer' }));
          return;
        }
        return metrics.render().then((text) => {
          endResponse(new fetchAPI.Response(text, { headers: { 'content-type': metrics.contentType, 'cache-control': 'no-store' } }));
        });
      }
      if (QUIET_PATHS.has(url.pathname)) return;
      const path = pathTemplate(url.pathname);
      const state: RequestState = { started: performance.now(), path, method: request.method, executed: false, failed: false, upstreamCalls: 0, retries: 0 };
      if (tracing) {
        state.span = tracing.startRequest({ 'http.request.method': request.method, 'url.path': path, 'bird.request_id': requestIdOf(request) });
      }
      states.set(request, state);
    },
    onParams({ request, params }) {
      const state = states.get(request);
      if (state && typeof params.operationName === 'string') state.operation = params.operationName;
    },
    onExecute({ args }) {
      const state = startOperation(args);
      if (!state) return;
      return {
        onExecuteDone({ result }) {
          if ('errors' in result && result.errors && result.errors.length > 0) state.failed = true;
        },
      };
    },
    // Subscriptions run through subscribe: the request line and metrics name them too (an error before the stream fails them).
    onSubscribe({ args }) {
      const state = startOperation(args);
      if (!state) return;
      return {
        onSubscribeResult({ result }) {
          if ('errors' in result && result.errors && result.errors.length > 0) state.failed = true;
        },
      };
    },
    onResponse({ request, response }) {
      const state = states.get(request);
      if (!state) return;
      states.delete(request);
      const seconds = (performance.now() - state.started) / 1000;
      // The name a client sent (operationName) is any string until the document confirms it: only a plain name is logged.
      const operation = metrics ? metrics.operationLabel(state.operation) : state.operation !== undefined && OPERATION_NAME.test(state.operation) ? state.operation : 'anonymous';
      const type = state.operationType ?? 'unknown';
      const outcome = !state.executed ? 'rejected' : state.failed || response.status >= 400 ? 'error' : 'success';
      if (state.path === graphqlPath) metrics?.operation(operation, type, outcome, seconds);
      if (state.span) {
        state.span.setAttributes({
          'graphql.operation.name': operation,
          'graphql.operation.type': type,
          'http.response.status_code': response.status,
          'bird.upstream_calls': state.upstreamCalls,
          'bird.retries': state.retries,
          'graphql.outcome': outcome,
        });
        state.span.updateName(`graphql ${type} ${operation}`);
        state.span.end();
      }
      if (!logRequests) return;
      logger.info({
        msg: 'request',
        requestId: requestIdOf(request),
        method: state.method,
        path: state.path,
        status: response.status,
        operation,
        operationType: type,
        outcome,
        durationMs: Math.round(seconds * 10_000) / 10,
        upstreamCalls: state.upstreamCalls,
        retries: state.retries,
      });
    },
    async onDispose() {
      await tracing?.shutdown();
    },
  };

  const metricsListener =
    metrics === null
      ? null
      : (req: IncomingMessage, res: ServerResponse) => {
          const path = (req.url ?? '/').split('?')[0];
          const send = (status: number, contentType: string, body: string, headers: Record<string, string> = {}) => {
            res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store', ...headers });
            res.end(req.method === 'HEAD' ? undefined : body);
          };
          const json = (status: number, message: string, code: string, headers: Record<string, string> = {}) =>
            send(status, 'application/json; charset=utf-8', JSON.stringify({ errors: [{ message, extensions: { code } }] }), headers);
          if (path !== METRICS_PATH || (req.method !== 'GET' && req.method !== 'HEAD')) return json(404, 'Not found: this port serves GET /metrics only.', 'NOT_FOUND');
          if (!scrapeAllowed(req.headers.authorization)) return json(401, METRICS_UNAUTHORIZED, 'UNAUTHENTICATED', { 'www-authenticate': 'Bearer' });
          metrics.render().then(
            (text) => send(200, metrics.contentType, text),
            () => json(500, 'Metrics could not be rendered.', 'INTERNAL_SERVER_ERROR'),
          );
        };

  // The same for every request: made once.
  const onBatch = (loader: string, size: number) => metrics?.batch(loader, size);
  const onFilterMismatch = (list: string, filter: string) => {
    metrics?.filterMismatch(list, filter);
    warnFilterMismatchOnce(logger, list, filter);
  };
  return {
    plugin,
    metrics,
    metricsListener,
    contextHooks: (request) => ({ onEvent: onEvent(request), onBatch, onFilterMismatch }),
  };
}
