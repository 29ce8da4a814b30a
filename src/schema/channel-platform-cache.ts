// The platform of each channel a credential has used, kept across requests (lru-cache), so that a warm send is one POST and no GET.
//
// A channel's platform never changes, and it is all the pre-send rules need (receivers, content, cc/bcc). Entries
// are keyed by an HMAC of the credential under a random per-process key (never the key itself: a heap dump holds no
// usable credential, and one credential's knowledge of a channel is never used for another), the workspace and the
// channel. Only channels Bird showed this credential are stored; a send Bird answers with 404, 403 or 401 forgets
// the entry. The channel's status is not cached: on a warm send Bird's own 409 reports a channel that stopped.
import { createHmac, randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Credential } from '../bird/client.ts';

export interface ChannelPlatformCacheOptions {
  /** How long an entry is trusted (SEND_CHANNEL_CACHE_TTL_MS); 0 turns the cache off. */
  ttlMs: number;
  /** How many entries at most (SEND_CHANNEL_CACHE_SIZE), least recently used first out; 0 turns the cache off. */
  max: number;
  /** The clock the TTL is measured on (tests inject one); defaults to `performance`. */
  now?: () => number;
}

/** One hour: a bound on trusting an entry, not a guess at how often platforms change (they never do). */
export const CHANNEL_PLATFORM_CACHE_DEFAULTS: Readonly<Pick<ChannelPlatformCacheOptions, 'ttlMs' | 'max'>> = Object.freeze({
  ttlMs: 60 * 60 * 1000,
  max: 10_000,
});

export interface ChannelPlatformCache {
  get(credential: Credential, workspaceId: string, channelId: string): string | undefined;
  set(credential: Credential, workspaceId: string, channelId: string, platformId: string): void;
  delete(credential: Credential, workspaceId: string, channelId: string): void;
  /** Entries held now (tests and metrics). */
  readonly size: number;
  /** The stored keys (tests prove no credential is among them). */
  keys(): IterableIterator<string>;
}

/** A cache, or null when the options turn it off (every send then reads its channel first). */
export function createChannelPlatformCache(options: ChannelPlatformCacheOptions): ChannelPlatformCache | null {
  if (options.ttlMs <= 0 || options.max <= 0) return null;
  const secret = randomBytes(32);
  const entries = new LRUCache<string, string>({
    max: options.max,
    ttl: options.ttlMs,
    ...(options.now ? { perf: { now: options.now }, ttlResolution: 0 } : {}),
  });
  const keyOf = (credential: Credential, workspaceId: string, channelId: string): string => {
    const owner = createHmac('sha256', secret).update(`${credential.scheme} ${credential.token}`).digest('base64url');
    return `${owner}:${workspaceId.toLowerCase()}:${channelId.toLowerCase()}`;
  };
  return {
    get: (credential, workspaceId, channelId) => entries.get(keyOf(credential, workspaceId, channelId)),
    set: (credential, workspaceId, channelId, platformId) => {
      entries.set(keyOf(credential, workspaceId, channelId), platformId);
    },
    delete: (credential, workspaceId, channelId) => {
      entries.delete(keyOf(credential, workspaceId, channelId));
    },
    get size() {
      return entries.size;
    },
    keys: () => entries.keys(),
  };
}
