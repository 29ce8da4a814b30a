// Pacing across replicas: two clients (two replicas) sharing one real Redis stay within Bird's 50 GET/s per workspace together; without Redis they would not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBirdClient } from '../../src/bird/client.ts';
import type { BirdClient, CallOptions } from '../../src/bird/client.ts';
import { startEmulator } from '../../src/emulator/server.ts';
import type { Emulator } from '../../src/emulator/server.ts';
import { SEED } from '../../src/emulator/seed.ts';
import { REDIS_AVAILABLE, type RedisServer, startRedis, warnRedisMissing } from '../redis-server.ts';
import { perSecond } from '../upstream-counts.ts';

const WS = SEED.workspaces.main.id;
const call: CallOptions = { credential: { scheme: 'AccessKey', token: SEED.accessKeys.demo } };
const PER_REPLICA = 60;

warnRedisMissing('test/integration/pacing-redis.test.ts (pacing shared by replicas)');

describe.skipIf(!REDIS_AVAILABLE)("two replicas sharing one Redis, against Bird's 50 GET/s per workspace", () => {
  let redis: RedisServer;
  let emulator: Emulator;
  beforeAll(async () => {
    redis = await startRedis();
    emulator = await startEmulator({ rateLimits: { getPerSecond: 50, postPerSecond: 500 } });
  });
  afterAll(async () => {
    await emulator?.close();
    await redis?.stop();
  });

  /** Each replica bursts PER_REPLICA distinct GETs on one workspace at the same moment. */
  async function burst(replicas: BirdClient[]) {
    emulator.resetRequests();
    const outcomes = await Promise.allSettled(
      replicas.flatMap((replica, r) =>
        Array.from({ length: PER_REPLICA }, (_, i) => replica.listChannels({ workspaceId: WS, limit: 1 + i + r * PER_REPLICA }, call)),
      ),
    );
    return {
      failed: outcomes.filter((outcome) => outcome.status === 'rejected').length,
      refused: emulator.requests.filter((entry) => entry.status === 429).length,
      busiest: Math.max(...perSecond(emulator.requests)),
      seconds: perSecond(emulator.requests).length,
    };
  }

  const replica = (redisUrl: string | null) =>
    createBirdClient({ apiUrl: emulator.url, deadlineMs: 10_000, random: () => 0, redisUrl, retry: { budget: { ratio: 1, max: 1_000 } } });

  it('together they stay at or under the limit: 0 429s served, every call answered', async () => {
    const replicas = [replica(redis.url), replica(redis.url)];
    try {
      // Let both connect: until then the in-memory insurance limiter paces each alone.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const result = await burst(replicas);
      expect(result).toMatchObject({ failed: 0, refused: 0 });
      expect(result.busiest).toBeLessThanOrEqual(50);
      // 120 GETs at under 50 a second: at least 3 emulator seconds.
      expect(result.seconds).toBeGreaterThanOrEqual(3);
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
    }
  }, 30_000);

  it('the control: without the shared Redis, each paces alone and together they exceed the limit', async () => {
    const replicas = [replica(null), replica(null)];
    try {
      const result = await burst(replicas);
      expect(result.refused).toBeGreaterThan(0);
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
    }
  }, 30_000);

  it('Redis going away leaves each replica pacing alone: calls still answered, never hung', async () => {
    const lonely = await startRedis();
    const replicas = [replica(lonely.url)];
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await lonely.stop();
      emulator.resetRequests();
      // Another workspace: its own bucket at the emulator, untouched by the bursts above.
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) => replicas[0]!.listChannels({ workspaceId: SEED.workspaces.second.id, limit: i + 1 }, call)),
      );
      expect(results).toHaveLength(30);
      expect(emulator.requests.filter((entry) => entry.status === 429)).toEqual([]);
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
    }
  }, 30_000);
});
