// The Redis connections of one replica (ioredis): a command connection that fails fast, and a subscriber connection that waits out outages.
import { Redis, type RedisOptions } from 'ioredis';

export interface RedisConnections {
  /** PUBLISH and the delivery ledger: no offline queue, so a command fails at once while Redis is down (→ 503). */
  commands: Redis;
  /** SUBSCRIBE only: queues while disconnected and resubscribes on reconnect, so open streams survive an outage. */
  subscriber: Redis;
  /** Both connections are up (readiness, and whether the receiver may accept a delivery). */
  healthy(): boolean;
  close(): Promise<void>;
}

/** How long one Redis command may take before the delivery is refused (503) and left to Bird's retry. */
export const REDIS_COMMAND_TIMEOUT_MS = 2_000;

export function createRedisConnections(url: string, log: (message: string) => void): RedisConnections {
  const shared: RedisOptions = {
    connectTimeout: 2_000,
    // Reconnect forever, quickly at first, at most every 2 s.
    retryStrategy: (times) => Math.min(times * 100, 2_000),
    connectionName: 'bird-graphql',
  };
  const commands = new Redis(url, { ...shared, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: REDIS_COMMAND_TIMEOUT_MS });
  // A dropped subscribe/unsubscribe promise (inside @graphql-yoga/redis-event-target) must never reject: with
  // maxRetriesPerRequest null, queued commands wait for the reconnect instead of failing after N retries.
  const subscriber = new Redis(url, { ...shared, enableOfflineQueue: true, maxRetriesPerRequest: null, autoResubscribe: true });
  // The URL may hold a password: connection errors are logged by their code only.
  let down = false;
  for (const [name, client] of [
    ['commands', commands],
    ['subscriber', subscriber],
  ] as const) {
    client.on('error', (error: NodeJS.ErrnoException) => {
      if (!down) log(`redis ${name} connection error (${error.code ?? error.name}); live events wait for it to come back`);
      down = true;
    });
    client.on('ready', () => {
      if (down) log(`redis ${name} connection ready again`);
      down = false;
    });
  }
  return {
    commands,
    subscriber,
    healthy: () => commands.status === 'ready' && subscriber.status === 'ready',
    async close() {
      commands.disconnect();
      subscriber.disconnect();
    },
  };
}
