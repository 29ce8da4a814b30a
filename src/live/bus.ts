// The event bus between the webhook receiver and subscribers: yoga's pub/sub, in memory, or over Redis (@graphql-yoga/redis-event-target) so every replica hears every event.
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { type PubSub, createPubSub } from 'graphql-yoga';
import type { LiveEvent, LiveEventKind } from './envelope.ts';
import type { RedisConnections } from './redis.ts';

/** One topic per (workspace, kind): a subscriber only ever listens to the workspace it was authorized for. */
export const topicOf = (kind: LiveEventKind, workspaceId: string) => `bird-graphql:live:${workspaceId}:${kind}`;

export interface LiveBus {
  /** Resolves once the event is handed over (in memory: delivered; Redis: PUBLISH acknowledged); rejects otherwise. */
  publish(event: LiveEvent): Promise<void>;
  /** The events of one topic, as they come; `return()` unsubscribes. */
  subscribe(kind: LiveEventKind, workspaceId: string): AsyncIterableIterator<LiveEvent>;
  /** Whether publishing can succeed now (Redis up); always true in memory. */
  healthy(): boolean;
  /** 'memory' or 'redis', for logs and metrics. */
  readonly mode: 'memory' | 'redis';
}

type Topics = Record<string, [LiveEvent]>;

export function memoryBus(): LiveBus {
  const pubSub: PubSub<Topics> = createPubSub<Topics>();
  return {
    mode: 'memory',
    async publish(event) {
      pubSub.publish(topicOf(event.kind, event.workspaceId), event);
    },
    subscribe: (kind, workspaceId) => pubSub.subscribe(topicOf(kind, workspaceId)) as AsyncIterableIterator<LiveEvent>,
    healthy: () => true,
  };
}

/**
 * Subscribers go through yoga's pub/sub over the Redis event target (one SUBSCRIBE per topic and replica, resubscribed
 * after an outage). Publishing does not use pubSub.publish: the event target drops PUBLISH's promise, so a failure
 * would go unnoticed (and reject unhandled). It sends the same message on the same channel itself, and awaits it, so
 * the receiver answers 2xx only once Redis has the event.
 */
export function redisBus(redis: RedisConnections): LiveBus {
  const pubSub: PubSub<Topics> = createPubSub<Topics>({
    eventTarget: createRedisEventTarget({ publishClient: redis.commands, subscribeClient: redis.subscriber }),
  });
  return {
    mode: 'redis',
    async publish(event) {
      // The event target's wire format: the channel is the topic, the message JSON.stringify(detail).
      await redis.commands.publish(topicOf(event.kind, event.workspaceId), JSON.stringify(event));
    },
    subscribe: (kind, workspaceId) => pubSub.subscribe(topicOf(kind, workspaceId)) as AsyncIterableIterator<LiveEvent>,
    healthy: () => redis.healthy(),
  };
}
