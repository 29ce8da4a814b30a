// createLive(): live updates for one app, assembled from config: the event bus (memory or Redis), the delivery ledger, the webhook receiver, the subscription hub and its plugins.
import type { Plugin, YogaLogger } from 'graphql-yoga';
import type { Registry } from 'prom-client';
import type { BirdClient } from '../bird/client.ts';
import { bindBird } from '../bird/handle.ts';
import type { LiveConfig } from '../config.ts';
import { missingCredential } from '../context.ts';
import { type LiveBus, memoryBus, redisBus } from './bus.ts';
import { useLiveExecution } from './execution.ts';
import { type DeliveryLedger, memoryLedger, redisLedger } from './ledger.ts';
import { type LiveMetrics, createLiveMetrics } from './metrics.ts';
import { useWebhookReceiver } from './receiver.ts';
import { type RedisConnections, createRedisConnections } from './redis.ts';
import { SubscriptionHub } from './subscriptions.ts';

export interface LiveRuntime {
  bus: LiveBus;
  ledger: DeliveryLedger;
  hub: SubscriptionHub;
  metrics: LiveMetrics;
  /** The yoga plugins: the webhook receiver route, the live context and per-event execution, disposal. */
  plugins: Plugin[];
  /** False while Redis (when configured) is unreachable: /ready reports not ready. */
  healthy(): boolean;
  /** Shutdown, first step: refuse new subscriptions and end the open ones cleanly. */
  closeStreams(): void;
}

export interface CreateLiveOptions {
  config: LiveConfig;
  publicUrl: string | null;
  bird: BirdClient;
  logger: YogaLogger;
  /** The app's metrics registry (null when METRICS=false). */
  registry: Registry | null;
  /** Name the caps' values in errors (not in production). */
  exposeLimits: boolean;
}

const runtimes = new WeakMap<object, LiveRuntime>();

/** The live runtime createApp made for `app` (server.ts ends its streams at shutdown and attaches WebSockets to it). */
export function liveRuntimeOf(app: object): LiveRuntime | undefined {
  return runtimes.get(app);
}

export function registerLiveRuntime(app: object, live: LiveRuntime): void {
  runtimes.set(app, live);
}

export function createLive({ config, publicUrl, bird, logger, registry, exposeLimits }: CreateLiveOptions): LiveRuntime {
  let redis: RedisConnections | undefined;
  if (config.redisUrl !== null) redis = createRedisConnections(config.redisUrl, (message) => logger.warn(message));
  const bus = redis ? redisBus(redis) : memoryBus();
  const ledger = redis ? redisLedger(redis.commands, config.dedupeTtlSeconds) : memoryLedger(config.dedupeTtlSeconds);
  const metrics = createLiveMetrics(registry);
  const hub = new SubscriptionHub({
    bus,
    metrics,
    maxPerConnection: config.maxPerConnection,
    maxTotal: config.maxTotal,
    reauthorizeMs: config.reauthorizeMs,
    exposeLimits,
  });
  const rebind: Parameters<typeof useLiveExecution>[0]['rebind'] = (handle) => bindBird(bird, { ...handle.call, missingCredential });
  const plugins: Plugin[] = [
    useWebhookReceiver({
      signingKey: config.signingKey,
      publicUrl,
      maxBodyBytes: config.maxBodyBytes,
      toleranceSeconds: config.toleranceSeconds,
      ledger,
      bus,
      metrics,
      logger,
    }),
    useLiveExecution({ hub, rebind }),
    {
      async onDispose() {
        hub.closeAll();
        await redis?.close();
      },
    },
  ];
  return { bus, ledger, hub, metrics, plugins, healthy: () => bus.healthy(), closeStreams: () => hub.closeAll() };
}
