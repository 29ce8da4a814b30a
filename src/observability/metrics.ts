// Prometheus metrics (prom-client): operations by name, upstream calls by route template and status, retries, 429s, loader batches, filter mismatches.
//
// prom-client builds, sorts and hashes a label object on every inc/observe (and its histogram allocates a closure per
// observation), which was a few percent of a short request. Here each label tuple gets its slot once, found through
// one Map per label, and an observation only adds to it: counters hand their totals to prom-client when /metrics is
// rendered (its `collect` hook), and histograms render their own slots in prom-client's exact exposition format. The
// registry, the default process metrics and the text format stay prom-client's.
import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
import type { UpstreamEvent } from '../bird/client.ts';

/** Operation names become labels only when plain and only for the first MAX_OPERATION_NAMES seen; then 'other'. */
export const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
export const MAX_OPERATION_NAMES = 200;
const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface Metrics {
  registry: Registry;
  /** A bounded label for an operation name: 'anonymous' when absent or odd, 'other' past the cardinality cap. */
  operationLabel(name: string | null | undefined): string;
  operation(operation: string, type: string, outcome: 'success' | 'error' | 'rejected', seconds: number): void;
  upstream(event: UpstreamEvent): void;
  batch(loader: string, size: number): void;
  /** An item Bird returned that a filter should have excluded (src/schema/filter-guard.ts). */
  filterMismatch(list: string, filter: string): void;
  render(): Promise<string>;
  contentType: string;
}

/** One slot per tuple of label values (in labelNames order), created on first use; `all` lists them for rendering. */
class Slots<T> {
  readonly all: T[] = [];
  private readonly root = new Map<string, unknown>();
  constructor(
    private readonly labelNames: readonly string[],
    private readonly make: (labels: Record<string, string>) => T,
  ) {}

  get(a: string, b?: string, c?: string): T {
    const depth = this.labelNames.length;
    let level = this.root;
    if (depth > 1) level = Slots.child(level, a);
    if (depth > 2) level = Slots.child(level, b as string);
    const key = (depth === 1 ? a : depth === 2 ? b : c) as string;
    let slot = level.get(key) as T | undefined;
    if (slot === undefined) {
      const values = [a, b, c];
      const labels: Record<string, string> = {};
      this.labelNames.forEach((name, i) => (labels[name] = values[i] as string));
      slot = this.make(labels);
      level.set(key, slot);
      this.all.push(slot);
    }
    return slot;
  }

  private static child(level: Map<string, unknown>, key: string): Map<string, unknown> {
    let next = level.get(key) as Map<string, unknown> | undefined;
    if (!next) level.set(key, (next = new Map()));
    return next;
  }

  clear(): void {
    this.root.clear();
    this.all.length = 0;
  }
}

/** A prom-client Counter whose increments are kept per slot and handed over when the registry collects it. */
function counter(registry: Registry, name: string, help: string, labelNames: readonly string[]) {
  const slots = new Slots(labelNames, (labels) => ({ labels, pending: 0 }));
  new Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      for (const slot of slots.all) {
        if (slot.pending === 0) continue;
        this.inc(slot.labels, slot.pending);
        slot.pending = 0;
      }
    },
  });
  return (a: string, b?: string, c?: string) => void slots.get(a, b, c).pending++;
}

interface HistogramSlot {
  labels: Record<string, string>;
  /** Observations per bucket (not cumulative); the last one counts those above every bound. */
  counts: number[];
  sum: number;
  count: number;
}

/** A histogram registered with prom-client's registry, rendering exactly as prom-client's Histogram does. */
class SlotHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly slots: Slots<HistogramSlot>;

  constructor(
    registry: Registry,
    readonly name: string,
    readonly help: string,
    labelNames: readonly string[],
    private readonly buckets: readonly number[],
  ) {
    this.slots = new Slots(labelNames, (labels) => ({ labels, counts: new Array<number>(buckets.length + 1).fill(0), sum: 0, count: 0 }));
    registry.registerMetric(this as unknown as Parameters<Registry['registerMetric']>[0]);
  }

  observe(value: number, a: string, b?: string): void {
    const slot = this.slots.get(a, b);
    let i = 0;
    while (i < this.buckets.length && value > (this.buckets[i] as number)) i++;
    slot.counts[i]!++;
    slot.sum += value;
    slot.count++;
  }

  /** prom-client's layout: the `le` label per bucket, the tuple's labels as shared labels; _bucket, _sum, _count. */
  async getForPromString() {
    const values: { labels: Record<string, string | number>; sharedLabels: Record<string, string>; value: number; metricName: string }[] = [];
    for (const slot of this.slots.all) {
      let cumulative = 0;
      this.buckets.forEach((le, i) => {
        cumulative += slot.counts[i] as number;
        values.push({ labels: { le }, sharedLabels: slot.labels, value: cumulative, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: { le: '+Inf' }, sharedLabels: slot.labels, value: slot.count, metricName: `${this.name}_bucket` });
      values.push({ labels: {}, sharedLabels: slot.labels, value: slot.sum, metricName: `${this.name}_sum` });
      values.push({ labels: {}, sharedLabels: slot.labels, value: slot.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  async get() {
    const data = await this.getForPromString();
    return { ...data, values: data.values.map(({ labels, sharedLabels, ...rest }) => ({ ...rest, labels: { ...labels, ...sharedLabels } })) };
  }

  reset(): void {
    this.slots.clear();
  }
}

export function createMetrics({ defaultMetrics = true }: { defaultMetrics?: boolean } = {}): Metrics {
  // One registry per app, never prom-client's global one: several apps (tests) can live in one process.
  const registry = new Registry();
  if (defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'bird_graphql_' });
  const operations = counter(
    registry,
    'graphql_operations_total',
    'GraphQL operations by operation name, type and outcome (rejected = refused before execution).',
    ['operation', 'type', 'outcome'],
  );
  const duration = new SlotHistogram(
    registry,
    'graphql_operation_duration_seconds',
    'Time from request to response of GraphQL operations, by operation name and type.',
    ['operation', 'type'],
    SECONDS_BUCKETS,
  );
  const upstreamRequests = counter(
    registry,
    'bird_upstream_requests_total',
    'Requests sent to Bird (each attempt), by method, route template and status (HTTP status, or the error code when none came).',
    ['method', 'route', 'status'],
  );
  const upstreamDuration = new SlotHistogram(
    registry,
    'bird_upstream_request_duration_seconds',
    'Duration of each attempt to Bird, by method and route template.',
    ['method', 'route'],
    SECONDS_BUCKETS,
  );
  const retries = counter(registry, 'bird_upstream_retries_total', 'Retries of calls to Bird, by method and route template.', ['method', 'route']);
  const rateLimited = counter(registry, 'bird_upstream_rate_limited_total', '429 answers from Bird, by method and route template.', ['method', 'route']);
  const batches = new SlotHistogram(registry, 'dataloader_batch_size', 'Keys per loader batch, by loader.', ['loader'], [1, 2, 5, 10, 20, 50, 100, 200]);

  const filterMismatches = counter(
    registry,
    'bird_filter_mismatches_total',
    'Items Bird returned that the filter asked for should have excluded, dropped by the local check: by list and filter. Non-zero means Bird ignored the wire name (run `npm run bird:probe`).',
    ['list', 'filter'],
  );

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
    operation(operation, type, outcome, seconds) {
      operations(operation, type, outcome);
      duration.observe(seconds, operation, type);
    },
    upstream(event) {
      // Routes are the client's own templates (a fixed set), so labels stay bounded.
      if (event.type === 'retry') {
        retries(event.method, event.route);
        return;
      }
      upstreamRequests(event.method, event.route, event.status === undefined ? (event.error ?? 'error') : String(event.status));
      upstreamDuration.observe(event.durationMs / 1000, event.method, event.route);
      if (event.status === 429) rateLimited(event.method, event.route);
    },
    batch(loader, size) {
      batches.observe(size, loader);
    },
    filterMismatch(list, filter) {
      // Both come from our own code (the list and filter names), so labels stay bounded.
      filterMismatches(list, filter);
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
