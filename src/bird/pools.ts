// The connection pools of the transport: one undici pool per origin with its fair share of calls in flight; upload and redirect targets in a small LRU.
import { Pool } from 'undici';
import { FairShare } from './fair-share.ts';
import type { TransportSettings } from './transport.ts';

/** Upload and redirect targets are storage hosts chosen by Bird; keep at most this many pools for them (oldest closed first). */
const MAX_UPLOAD_POOLS = 4;

/** An origin's connections and the fair share of them: at most `connections` calls in flight, so the pool never queues. */
export interface OriginPool {
  pool: Pool;
  share: FairShare;
  close(): Promise<void>;
}

export interface Pools {
  poolFor(origin: string): OriginPool;
  close(): Promise<void>;
}

/** Fixed pools for Bird's own origins; upload and redirect targets get pools of their own, least recently used closed first. */
export function createPools(settings: TransportSettings, perCredential: number, fixedOrigins: readonly string[]): Pools {
  const newPool = (origin: string): OriginPool => {
    const pool = new Pool(origin, {
      connections: settings.connections,
      connectTimeout: settings.connectTimeoutMs,
      headersTimeout: settings.headersTimeoutMs,
      bodyTimeout: settings.bodyTimeoutMs,
      maxResponseSize: settings.maxResponseSize,
    });
    return { pool, share: new FairShare(settings.connections, perCredential), close: () => pool.close() };
  };
  const fixedPools = new Map<string, OriginPool>();
  for (const origin of fixedOrigins) if (!fixedPools.has(origin)) fixedPools.set(origin, newPool(origin));
  /** Insertion-ordered, so the first key is the least recently used. */
  const uploadPools = new Map<string, OriginPool>();

  return {
    poolFor(origin) {
      const fixed = fixedPools.get(origin);
      if (fixed) return fixed;
      let pool = uploadPools.get(origin);
      if (pool) {
        uploadPools.delete(origin);
      } else {
        pool = newPool(origin);
        if (uploadPools.size >= MAX_UPLOAD_POOLS) {
          const [oldestOrigin, oldest] = uploadPools.entries().next().value as [string, OriginPool];
          uploadPools.delete(oldestOrigin);
          oldest.close().catch(() => {}); // graceful: requests in flight finish first
        }
      }
      uploadPools.set(origin, pool);
      return pool;
    },
    async close() {
      const pools = [...fixedPools.values(), ...uploadPools.values()];
      uploadPools.clear();
      await Promise.all(pools.map((pool) => pool.close()));
    },
  };
}

