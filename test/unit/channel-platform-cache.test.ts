// The channel-platform cache on its own: TTL and size bound on an injected clock, keys per credential, never the key itself.
import { describe, expect, it } from 'vitest';
import { createChannelPlatformCache } from '../../src/schema/channel-platform-cache.ts';

const WS = '0b6e3f4a-2c1d-4e8f-a5b7-91d2c3e4f501';
const SMS = 'c1a2b3c4-d5e6-4f70-8a91-b2c3d4e5f601';

describe('the cache itself', () => {
  const key = { scheme: 'AccessKey' as const, token: 'a-key-000001' };

  it('expires entries after the TTL and holds at most `max`, least recently used out first', () => {
    let now = 5000; // lru-cache reads a start time of 0 as "no TTL"
    const cache = createChannelPlatformCache({ ttlMs: 1000, max: 2, now: () => now })!;
    cache.set(key, WS, SMS, 'sms');
    now = 5999;
    expect(cache.get(key, WS, SMS)).toBe('sms');
    now = 6001;
    expect(cache.get(key, WS, SMS)).toBeUndefined();
    cache.set(key, WS, 'a', 'sms');
    cache.set(key, WS, 'b', 'email');
    cache.get(key, WS, 'a');
    cache.set(key, WS, 'c', 'whatsapp');
    expect([cache.get(key, WS, 'a'), cache.get(key, WS, 'b'), cache.get(key, WS, 'c')]).toEqual(['sms', undefined, 'whatsapp']);
    expect(cache.size).toBe(2);
  });

  it('keys entries by credential and never holds the key itself', () => {
    const cache = createChannelPlatformCache({ ttlMs: 1000, max: 10 })!;
    cache.set(key, WS, SMS, 'sms');
    expect(cache.get({ ...key, token: 'another-key-02' }, WS, SMS)).toBeUndefined();
    expect(cache.get({ scheme: 'Bearer', token: key.token }, WS, SMS)).toBeUndefined();
    expect(cache.get(key, WS.toUpperCase(), SMS.toUpperCase())).toBe('sms');
    const stored = [...cache.keys()];
    expect(stored).toHaveLength(1);
    expect(stored[0]).not.toContain(key.token);
    expect(stored[0]).toMatch(/^[A-Za-z0-9_-]{43}:/);
  });

  it('is off when the TTL or the size is 0', () => {
    expect(createChannelPlatformCache({ ttlMs: 0, max: 10 })).toBeNull();
    expect(createChannelPlatformCache({ ttlMs: 10, max: 0 })).toBeNull();
  });
});
