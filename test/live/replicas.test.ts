// Several replicas (two server processes) over one real redis-server and the emulator: a webhook on A reaches a subscriber on B once, a duplicate on B is dropped, and a Redis outage loses nothing.
import { print } from 'graphql';
import { createClient } from 'graphql-sse';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LiveCluster, redisServerBinary, startLiveCluster } from '../../scripts/live-cluster.ts';
import { topicOf } from '../../src/live/bus.ts';
import { SEED } from '../../src/emulator/seed.ts';
import { MessageUpdatedDocument } from '../gql/generated.ts';
import { collect, until } from './stack.ts';

const WS = SEED.workspaces.main.id;
const binary = redisServerBinary();
if (binary === null) {
  console.warn(
    '\n*** SKIPPED test/live/replicas.test.ts (several replicas over Redis): redis-server is not installed.\n' +
      '*** Install it to run them: apt-get install -y redis-server (CI installs it in .ci/run and never skips).\n',
  );
}

describe.skipIf(binary === null)('two replicas over one Redis', () => {
  let cluster: LiveCluster;
  let observer: Redis;
  beforeAll(async () => {
    cluster = await startLiveCluster({ replicas: 2 });
    observer = new Redis(cluster.redisUrl, { lazyConnect: true, retryStrategy: () => 100, maxRetriesPerRequest: null });
    observer.on('error', () => {}); // it waits out the outage the test causes
  }, 120_000);
  afterAll(async () => {
    observer?.disconnect();
    await cluster?.stop();
  }, 60_000);

  const [A, B] = [0, 1];
  /** Replicas subscribed to the workspace's messageUpdated channel in Redis (each SUBSCRIBEs once per topic). */
  const redisSubscribers = async () => {
    const [, count] = (await observer.call('PUBSUB', 'NUMSUB', topicOf('messageUpdated', WS))) as [string, number];
    return Number(count);
  };
  const ready = async (replica: number) => (await fetch(`${cluster.replicas[replica]!.url}/ready`)).status;
  const statusesOf = (sub: ReturnType<typeof subscribeOnB>, id: string) => sub.results.filter((r) => r.data?.messageUpdated.messageId === id).map((r) => r.data?.messageUpdated.status);
  const subscribeOnB = () =>
    collect<{ data?: { messageUpdated: { messageId: string; status: string } } }>(
      createClient({ url: `${cluster.replicas[B]!.url}/graphql`, headers: { authorization: `AccessKey ${SEED.accessKeys.demo}` }, retryAttempts: 0 }),
      { query: print(MessageUpdatedDocument), variables: { workspaceId: WS } },
    );

  it('delivers a webhook that landed on replica A to a subscriber on replica B, exactly once; a duplicate on B is dropped', async () => {
    await observer.connect();
    const sub = subscribeOnB();
    await until(async () => (await redisSubscribers()) === 1);
    cluster.balancer.pin(A);
    const id = await cluster.trigger.send();
    await until(() => statusesOf(sub, id).length === 1);
    await cluster.emulator.webhooks.settled();
    expect(cluster.balancer.log.filter((l) => l.path === '/webhooks/bird')).toEqual([{ replica: A, path: '/webhooks/bird', status: 200 }]);

    // Bird sends the same delivery again; this time the balancer picks B, which knows it from Redis.
    cluster.balancer.pin(B);
    cluster.emulator.webhooks.redeliver(cluster.emulator.deliveries[0]!.requestId);
    await cluster.emulator.webhooks.settled();
    expect(cluster.balancer.log.filter((l) => l.path === '/webhooks/bird').at(-1)).toEqual({ replica: B, path: '/webhooks/bird', status: 200 });
    // The next status, on B this time, comes right after the first: the duplicate showed nothing.
    cluster.emulator.store.advanceMessage(WS, id);
    await until(() => statusesOf(sub, id).length === 2);
    expect(statusesOf(sub, id)).toEqual(['ACCEPTED', 'PROCESSING']);
    // The emulator logs an attempt once its answer is in, which can be after the subscriber already has the event.
    await cluster.emulator.webhooks.settled();
    expect(cluster.emulator.deliveries.map((d) => [d.status, d.duplicate])).toEqual([
      [200, false],
      [200, true],
      [200, false],
    ]);
    sub.stop();
    await until(async () => (await redisSubscribers()) === 0);
  }, 60_000);

  it('answers 503 while Redis is down, keeps the stream open, reports not ready, and lets Bird’s redelivery through once Redis is back', async () => {
    const sub = subscribeOnB();
    await until(async () => (await redisSubscribers()) === 1);
    cluster.balancer.pin(A);
    cluster.emulator.deliveries.length = 0;
    const id = await cluster.trigger.send();
    await until(() => statusesOf(sub, id).length === 1);

    await cluster.redis!.kill();
    await until(async () => (await ready(A)) === 503 && (await ready(B)) === 503);
    cluster.emulator.store.advanceMessage(WS, id);
    await cluster.emulator.webhooks.settled();
    cluster.balancer.pin(B);
    cluster.emulator.webhooks.retryNow();
    await cluster.emulator.webhooks.settled();
    // Two attempts, one on each replica, both refused with 503: Bird keeps the delivery.
    expect(cluster.emulator.deliveries.slice(1).map((d) => [d.attempt, d.status])).toEqual([
      [1, 503],
      [2, 503],
    ]);
    expect(cluster.emulator.webhooks.retriesWaiting).toBe(1);
    expect(sub.errors).toEqual([]);
    expect(statusesOf(sub, id)).toEqual(['ACCEPTED']);

    await cluster.redis!.restart();
    await until(async () => (await ready(A)) === 200 && (await ready(B)) === 200);
    await until(async () => (await redisSubscribers()) === 1);
    cluster.balancer.pin(A);
    cluster.emulator.webhooks.retryNow();
    await until(() => statusesOf(sub, id).length === 2);
    await cluster.emulator.webhooks.settled();
    expect(cluster.emulator.deliveries.slice(1).map((d) => [d.attempt, d.status])).toEqual([
      [1, 503],
      [2, 503],
      [3, 200],
    ]);
    // Nothing lost, nothing doubled: the next event follows directly.
    cluster.emulator.store.advanceMessage(WS, id);
    await until(() => statusesOf(sub, id).length === 3);
    expect(statusesOf(sub, id)).toEqual(['ACCEPTED', 'PROCESSING', 'SENT']);
    expect(sub.errors).toEqual([]);
    sub.stop();
  }, 90_000);
});
