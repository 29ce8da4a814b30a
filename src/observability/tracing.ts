// Optional OpenTelemetry tracing: one span per GraphQL request and one child span per attempt to Bird; never a credential.
import { createRequire } from 'node:module';
import { type Attributes, type Span, SpanKind, SpanStatusCode, type Tracer, context, trace } from '@opentelemetry/api';
import type * as OtlpHttp from '@opentelemetry/exporter-trace-otlp-http';
import type * as Resources from '@opentelemetry/resources';
import type * as SdkTrace from '@opentelemetry/sdk-trace-base';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { UpstreamEvent } from '../bird/client.ts';
import type { TracingConfig } from '../config.ts';

export interface Tracing {
  startRequest(attributes: Attributes): Span;
  /** A finished child span for one attempt to Bird (start time back-dated by its duration). */
  upstream(parent: Span, event: UpstreamEvent): void;
  shutdown(): Promise<void>;
}

/**
 * Spans carry only what is safe to export: operation name and type, request id, status codes, route templates and
 * counts. Headers, variables, paths with ids and error messages are never attributes.
 */
export function createTracing(config: TracingConfig, exporter?: SpanExporter): Tracing | null {
  if (!config.enabled && exporter === undefined) return null;
  // The SDK and the exporter (~8 MB of memory) are loaded only when tracing is on.
  const require = createRequire(import.meta.url);
  const { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base') as typeof SdkTrace;
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof Resources;
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof OtlpHttp;
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName }),
    spanProcessors: [
      exporter
        ? new SimpleSpanProcessor(exporter)
        : new BatchSpanProcessor(new OTLPTraceExporter(config.endpoint === null ? {} : { url: config.endpoint })),
    ],
  });
  const tracer: Tracer = provider.getTracer('bird-graphql');
  return {
    startRequest(attributes) {
      return tracer.startSpan('graphql.request', { kind: SpanKind.SERVER, attributes });
    },
    upstream(parent, event) {
      if (event.type !== 'attempt') {
        parent.addEvent('bird.retry', { 'bird.route': event.route, 'bird.attempt': event.attempt, 'bird.retry_delay_ms': event.delayMs });
        return;
      }
      const end = Date.now();
      const span = tracer.startSpan(
        `${event.method} ${event.route}`,
        {
          kind: SpanKind.CLIENT,
          startTime: end - event.durationMs,
          attributes: {
            'http.request.method': event.method,
            'url.template': event.route,
            'bird.attempt': event.attempt,
            ...(event.status === undefined ? {} : { 'http.response.status_code': event.status }),
            ...(event.error === undefined ? {} : { 'error.type': event.error }),
          },
        },
        trace.setSpan(context.active(), parent),
      );
      if (event.error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end(end);
    },
    shutdown: () => provider.shutdown(),
  };
}
