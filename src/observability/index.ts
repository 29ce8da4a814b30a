// Observability as one yoga plugin: per-request state feeding the request log line, Prometheus metrics and trace spans.
import type { Span } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { getOperationAST } from 'graphql';
import type { Plugin, YogaLogger } from 'graphql-yoga';
import type { UpstreamEvent } from '../bird/client.ts';
import type { Config } from '../config.ts';
import { ignoreLine } from './logger.ts';
import { type Metrics, createMetrics } from './metrics.ts';
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
  /** The per-request hooks that go into the GraphQL context (Bird call observer, loader batch sizes). */
  contextHooks(request: Request): { onEvent: (event: UpstreamEvent) => void; onBatch: (loader: string, size: number) => void };
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

export function createObservability({ config, logger, graphqlPath, requestIdOf, spanExporter }: ObservabilityOptions): Observability {
  const metrics = config.metrics ? createMetrics() : null;
  // The request line is logged at info: when that level is off, it is not even built.
  const logRequests = logger.info !== ignoreLine;
  const tracing: Tracing | null = createTracing(config.tracing, spanExporter);
  const states = new WeakMap<Request, RequestState>();

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
      if (url.pathname === METRICS_PATH && metrics && (request.method === 'GET' || request.method === 'HEAD')) {
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
      const request = (args.contextValue as { request?: Request }).request;
      const state = request ? states.get(request) : undefined;
      if (!state) return;
      const operation = getOperationAST(args.document, args.operationName);
      state.executed = true;
      state.operationType = operation?.operation;
      state.operation = operation?.name?.value ?? state.operation;
      return {
        onExecuteDone({ result }) {
          if ('errors' in result && result.errors && result.errors.length > 0) state.failed = true;
        },
      };
    },
    onResponse({ request, response }) {
      const state = states.get(request);
      if (!state) return;
      states.delete(request);
      const seconds = (performance.now() - state.started) / 1000;
      const operation = metrics ? metrics.operationLabel(state.operation) : (state.operation ?? 'anonymous');
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

  return {
    plugin,
    metrics,
    contextHooks: (request) => ({
      onEvent: onEvent(request),
      onBatch: (loader, size) => metrics?.batch(loader, size),
    }),
  };
}
