// src/observability/metrics.ts renders exactly what prom-client's own Counter and Histogram render for the same
// observations (its per-tuple slots only change how observations are recorded), and keeps counting across scrapes.
import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/observability/metrics.ts';

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function reference() {
  const registry = new Registry();
  const labelled = <T extends string>(names: T[]) => ({ labelNames: names, registers: [registry] });
  return {
    registry,
    operations: new Counter({ name: 'graphql_operations_total', help: 'x', ...labelled(['operation', 'type', 'outcome']) }),
    duration: new Histogram({ name: 'graphql_operation_duration_seconds', help: 'x', buckets: SECONDS, ...labelled(['operation', 'type']) }),
    upstream: new Counter({ name: 'bird_upstream_requests_total', help: 'x', ...labelled(['method', 'route', 'status']) }),
    upstreamDuration: new Histogram({ name: 'bird_upstream_request_duration_seconds', help: 'x', buckets: SECONDS, ...labelled(['method', 'route']) }),
    retries: new Counter({ name: 'bird_upstream_retries_total', help: 'x', ...labelled(['method', 'route']) }),
    batches: new Histogram({ name: 'dataloader_batch_size', help: 'x', buckets: [1, 2, 5, 10, 20, 50, 100, 200], ...labelled(['loader']) }),
  };
}

/** The sample lines of one metric (HELP lines differ: the reference's help text is a placeholder). */
async function samples(registry: Registry, name: string): Promise<string[]> {
  const text = await registry.getSingleMetricAsString(name);
  return text.split('\n').filter((line) => !line.startsWith('# HELP'));
}

describe('metrics', () => {
  it('render as prom-client renders the same observations', async () => {
    const ours = createMetrics({ defaultMetrics: false });
    const ref = reference();
    const seconds = [0.001, 0.005, 0.0051, 0.3, 12, 0.07, 0.07];
    for (const [i, s] of seconds.entries()) {
      const operation = i % 2 ? 'MessageById' : 'anonymous';
      const outcome = i === 4 ? 'error' : 'success';
      ours.operation(operation, 'query', outcome, s);
      ref.operations.inc({ operation, type: 'query', outcome });
      ref.duration.observe({ operation, type: 'query' }, s);
      const route = i % 3 ? '/workspaces/{workspaceId}/channels' : '/workspaces/{workspaceId}/contacts/{contactId}';
      ours.upstream({ type: 'attempt', method: 'GET', route, status: i === 2 ? 503 : 200, durationMs: s * 1000, attempt: 1 });
      ref.upstream.inc({ method: 'GET', route, status: i === 2 ? '503' : '200' });
      ref.upstreamDuration.observe({ method: 'GET', route }, s);
      ours.batch('contact', i * 7);
      ref.batches.observe({ loader: 'contact' }, i * 7);
    }
    ours.upstream({ type: 'retry', method: 'GET', route: '/workspaces/{workspaceId}/channels', attempt: 1, delayMs: 10 });
    ref.retries.inc({ method: 'GET', route: '/workspaces/{workspaceId}/channels' });
    for (const name of [
      'graphql_operations_total',
      'graphql_operation_duration_seconds',
      'bird_upstream_requests_total',
      'bird_upstream_request_duration_seconds',
      'bird_upstream_retries_total',
      'dataloader_batch_size',
    ]) {
      expect(await samples(ours.registry, name), name).toEqual(await samples(ref.registry, name));
    }
  });

  it('keeps totals across scrapes (counters hand over only what is new)', async () => {
    const ours = createMetrics({ defaultMetrics: false });
    ours.operation('A', 'query', 'success', 0.01);
    await ours.render();
    ours.operation('A', 'query', 'success', 0.01);
    ours.operation('A', 'mutation', 'error', 0.01);
    const text = await ours.render();
    expect(text).toContain('graphql_operations_total{operation="A",type="query",outcome="success"} 2');
    expect(text).toContain('graphql_operations_total{operation="A",type="mutation",outcome="error"} 1');
    expect(text).toContain('graphql_operation_duration_seconds_count{operation="A",type="query"} 2');
    expect(text).toContain('graphql_operation_duration_seconds_bucket{le="0.01",operation="A",type="query"} 2');
  });
});
