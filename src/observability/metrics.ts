// Prometheus metrics (prom-client): operations by name, upstream calls by route template and status, retries, 429s, loader batches, filter mismatches.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { UpstreamEvent } from '../bird/client.ts';

/** Operation names become labels only when plain and only for the first MAX_OPERATION_NAMES seen; then 'other'. */
export const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
export const MAX_OPERATION_NAMES = 200;

export interface Metrics {
  registry: Registry;
  /** A bounded label for an operation name: 'anonymous' when absent or odd, 'other' past the cardinality cap. */
  operationLabel(name: string | null | undefined): string;
  operation(fields: { operation: string; type: string; outcome: 'success' | 'error' | 'rejected'; seconds: number }): void;
  upstream(event: UpstreamEvent): void;
  batch(loader: string, size: number): void;
  /** An item Bird returned that a filter should have excluded (src/schema/filter-guard.ts). */
  filterMismatch(list: string, filter: string): void;
  render(): Promise<string>;
  contentType: string;
}

export function createMetrics({ defaultMetrics = true }: { defaultMetrics?: boolean } = {}): Metrics {
  // One registry per app, never prom-client's global one: several apps (tests) can live in one process.
  const registry = new Registry();
  if (defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'bird_graphql_' });
  const operations = new Counter({
    name: 'graphql_operations_total',
    help: 'GraphQL operations by operation name, type and outcome (rejected = refused before execution).',
    labelNames: ['operation', 'type', 'outcome'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'graphql_operation_duration_seconds',
    help: 'Time from request to response of GraphQL operations, by operation name and type.',
    labelNames: ['operation', 'type'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const upstreamRequests = new Counter({
    name: 'bird_upstream_requests_total',
    help: 'Requests sent to Bird (each attempt), by method, route template and status (HTTP status, or the error code when none came).',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const upstreamDuration = new Histogram({
    name: 'bird_upstream_request_duration_seconds',
    help: 'Duration of each attempt to Bird, by method and route template.',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const retries = new Counter({
    name: 'bird_upstream_retries_total',
    help: 'Retries of calls to Bird, by method and route template.',
    labelNames: ['method', 'route'],
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: 'bird_upstream_rate_limited_total',
    help: '429 answers from Bird, by method and route template.',
    labelNames: ['method', 'route'],
    registers: [registry],
  });
  const batches = new Histogram({
    name: 'dataloader_batch_size',
    help: 'Keys per loader batch, by loader.',
    labelNames: ['loader'],
    buckets: [1, 2, 5, 10, 20, 50, 100, 200],
    registers: [registry],
  });

  const filterMismatches = new Counter({
    name: 'bird_filter_mismatches_total',
    help: 'Items Bird returned that the filter asked for should have excluded, dropped by the local check: by list and filter. Non-zero means Bird ignored the wire name (run `npm run bird:probe`).',
    labelNames: ['list', 'filter'],
    registers: [registry],
  });

  const names = new Set<string>();
  const operationLabel = (name: string | null | undefined): string => {
    if (typeof name !== 'string' || !OPERATION_NAME.test(name)) return 'anonymous';
    if (names.has(name)) return name;
    if (names.size >= MAX_OPERATION_NAMES) return 'other';
    names.add(name);
    return name;
  };

  return {
    registry,
    operationLabel,
    operation({ operation, type, outcome, seconds }) {
      operations.inc({ operation, type, outcome });
      duration.observe({ operation, type }, seconds);
    },
    upstream(event) {
      // Routes are the client's own templates (a fixed set), so labels stay bounded.
      const labels = { method: event.method, route: event.route };
      if (event.type === 'retry') {
        retries.inc(labels);
        return;
      }
      upstreamRequests.inc({ ...labels, status: event.status === undefined ? (event.error ?? 'error') : String(event.status) });
      upstreamDuration.observe(labels, event.durationMs / 1000);
      if (event.status === 429) rateLimited.inc(labels);
    },
    batch(loader, size) {
      batches.observe({ loader }, size);
    },
    filterMismatch(list, filter) {
      // Both come from our own code (the list and filter names), so labels stay bounded.
      filterMismatches.inc({ list, filter });
    },
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}

const warnedMismatches = new Set<string>();

/** The first mismatch of each (list, filter) in this process is logged: once, naming the filter. */
export function warnFilterMismatchOnce(logger: { warn(...args: unknown[]): void }, list: string, filter: string): void {
  const key = `${list}.${filter}`;
  if (warnedMismatches.has(key)) return;
  warnedMismatches.add(key);
  logger.warn({
    msg: 'Bird returned items the filter excludes; they are dropped locally. Bird probably ignores this filter\'s wire name: run `npm run bird:probe` and report it.',
    list,
    filter,
  });
}
