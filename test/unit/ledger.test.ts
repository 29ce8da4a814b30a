// The delivery ledger, in memory and in a real redis-server: claim / done / release, and the newest-status guard.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, redisServerBinary, startRedisServer } from '../../scripts/live-cluster.ts';
import { type DeliveryLedger, memoryLedger, redisLedger } from '../../src/live/ledger.ts';

const binary = redisServerBinary();
if (binary === null) console.warn('\n*** SKIPPED the Redis half of test/unit/ledger.test.ts: install redis-server (apt-get install -y redis-server).\n');

function contract(name: string, make: () => DeliveryLedger) {
  describe(name, () => {
    it('claims a new id once; a claimed one is busy, a done one seen; a released one can be claimed again', async () => {
      const ledger = make();
      expect(await ledger.claim('a')).toBe('claimed');
      expect(await ledger.claim('a')).toBe('busy');
      await ledger.release('a');
      expect(await ledger.claim('a')).toBe('claimed');
      await ledger.done('a');
      expect(await ledger.claim('a')).toBe('seen');
      expect(await ledger.claim('b')).toBe('claimed');
    });

    it('accepts a status at least as new as the newest seen, refuses an older one', async () => {
      const ledger = make();
      expect(await ledger.isLatest('m', 2_000)).toBe(true);
      expect(await ledger.isLatest('m', 3_000)).toBe(true);
      expect(await ledger.isLatest('m', 3_000)).toBe(true);
      expect(await ledger.isLatest('m', 2_500)).toBe(false);
      expect(await ledger.isLatest('other', 1)).toBe(true);
    });
  });
}

contract('memoryLedger', () => memoryLedger());

describe.skipIf(binary === null)('redisLedger', () => {
  let server: RedisServer;
  let redis: Redis;
  let n = 0;
  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });
  // A fresh key space per test: the ids repeat across tests.
  contract('over Redis', () => {
    const ledger = redisLedger(redis);
    const prefix = `t${++n}-`;
    return {
      claim: (id) => ledger.claim(prefix + id),
      done: (id) => ledger.done(prefix + id),
      release: (id) => ledger.release(prefix + id),
      isLatest: (id, at) => ledger.isLatest(prefix + id, at),
    };
  });

  it('keeps a done id for the TTL (Bird’s 8-hour retry window is covered by default)', async () => {
    await redisLedger(redis).done('ttl-check');
    const ttl = await redis.ttl('bird-graphql:webhook:ttl-check');
    expect(ttl).toBeGreaterThan(8 * 3600);
    expect(ttl).toBeLessThanOrEqual(9 * 3600);
  });
});
