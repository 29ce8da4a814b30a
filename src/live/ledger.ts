// The delivery ledger: which Bird deliveries (by messagebird-request-id) were already published, and each message's newest status time, in memory or shared by every replica in Redis.
import { LRUCache } from 'lru-cache';
import type { Redis } from 'ioredis';

/** Bird retries for about 8 hours: a delivery is remembered for 9. */
export const DEFAULT_DEDUPE_TTL_SECONDS = 9 * 3600;
/**
 * A claim lasts this long unless completed: a replica that dies between claim and publish frees the id for Bird's
 * next retry instead of marking it seen forever.
 */
export const CLAIM_TTL_MS = 30_000;
/** The in-memory ledger (one replica) remembers at most this many deliveries. */
const MEMORY_ENTRIES = 200_000;
const KEY_PREFIX = 'bird-graphql:webhook:';

export type Claim = 'claimed' | 'seen' | 'busy';

export interface DeliveryLedger {
  /**
   * 'claimed': new, this caller publishes it, then calls done() (or release() when publishing failed); 'seen': already
   * published; 'busy': being handled elsewhere right now. Rejects when the shared store is unreachable.
   */
  claim(requestId: string): Promise<Claim>;
  done(requestId: string): Promise<void>;
  release(requestId: string): Promise<void>;
  /**
   * Whether a status of `messageId` stamped `atMs` (its lastStatusAt) is at least as new as every one seen before; if
   * so it becomes the newest. Bird's retries can bring an older status after a newer one: that one is not published.
   */
  isLatest(messageId: string, atMs: number): Promise<boolean>;
}

export function memoryLedger(ttlSeconds = DEFAULT_DEDUPE_TTL_SECONDS): DeliveryLedger {
  const entries = new LRUCache<string, 'pending' | 'done'>({ max: MEMORY_ENTRIES, ttl: ttlSeconds * 1000 });
  const latest = new LRUCache<string, number>({ max: MEMORY_ENTRIES, ttl: ttlSeconds * 1000 });
  return {
    async claim(id) {
      const state = entries.get(id);
      if (state === 'done') return 'seen';
      if (state === 'pending') return 'busy';
      entries.set(id, 'pending', { ttl: CLAIM_TTL_MS });
      return 'claimed';
    },
    async done(id) {
      entries.set(id, 'done');
    },
    async release(id) {
      entries.delete(id);
    },
    async isLatest(messageId, atMs) {
      if ((latest.get(messageId) ?? -Infinity) > atMs) return false;
      latest.set(messageId, atMs);
      return true;
    },
  };
}

/** Compare and set in one step: only a status at least as new as the stored one replaces it. */
const IS_LATEST_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if current and tonumber(current) > tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1`;

/** `SET key pending NX PX` claims, `SET key done EX ttl` completes: one id is published once across all replicas. */
export function redisLedger(redis: Redis, ttlSeconds = DEFAULT_DEDUPE_TTL_SECONDS): DeliveryLedger {
  const key = (id: string) => `${KEY_PREFIX}${id}`;
  return {
    async claim(id) {
      if ((await redis.set(key(id), 'pending', 'PX', CLAIM_TTL_MS, 'NX')) === 'OK') return 'claimed';
      const state = await redis.get(key(id));
      // Gone between the two commands (an expired claim): claim again once.
      if (state === null) return (await redis.set(key(id), 'pending', 'PX', CLAIM_TTL_MS, 'NX')) === 'OK' ? 'claimed' : 'busy';
      return state === 'done' ? 'seen' : 'busy';
    },
    async done(id) {
      await redis.set(key(id), 'done', 'EX', ttlSeconds);
    },
    async release(id) {
      await redis.del(key(id));
    },
    async isLatest(messageId, atMs) {
      return (await redis.eval(IS_LATEST_SCRIPT, 1, `${KEY_PREFIX}latest:${messageId}`, String(atMs), String(ttlSeconds))) === 1;
    },
  };
}
