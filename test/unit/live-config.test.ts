// The live-update settings of src/config.ts: defaults, validation (one error listing all), demo mode's random signing key, and what describeConfig hides.
import { describe, expect, it } from 'vitest';
import { describeConfig, loadConfig } from '../../src/config.ts';
import { SUBSCRIPTION_DEFAULTS } from '../../src/live/subscriptions.ts';

const REAL = { BIRD_ACCESS_KEY: 'live-key-0123456789' };

describe('live settings', () => {
  it('has defaults: no signing key and in-memory events outside demo mode, the subscription caps, Bird’s 8-hour window covered', () => {
    const { live } = loadConfig(REAL);
    expect(live).toEqual({
      signingKey: null,
      signingKeyGiven: false,
      redisUrl: null,
      maxBodyBytes: 1024 * 1024,
      toleranceSeconds: 300,
      dedupeTtlSeconds: 9 * 3600,
      workspaceIds: null,
      maxPerConnection: SUBSCRIPTION_DEFAULTS.maxPerConnection,
      maxTotal: SUBSCRIPTION_DEFAULTS.maxTotal,
      keepAliveMs: SUBSCRIPTION_DEFAULTS.keepAliveMs,
      reauthorizeMs: SUBSCRIPTION_DEFAULTS.reauthorizeMs,
      demo: { stepMs: 1_500, failureRate: 0.1, duplicateRate: 0.05 },
    });
  });

  it('makes a random signing key in demo mode, different per process, and keeps a given one', () => {
    const demo = loadConfig({});
    expect(demo.live.signingKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(demo.live.signingKeyGiven).toBe(false);
    expect(loadConfig({}).live.signingKey).not.toBe(demo.live.signingKey);
    expect(loadConfig({ ...REAL, WEBHOOK_SIGNING_KEY: 'whsec-0123456789abcdef' }).live).toMatchObject({ signingKey: 'whsec-0123456789abcdef', signingKeyGiven: true });
  });

  it('reads REDIS_URL, WEBHOOK_WORKSPACE_IDS (lower-cased, deduplicated) and the numbers', () => {
    const { live } = loadConfig({
      ...REAL,
      REDIS_URL: 'rediss://:pw@redis.internal:6380/2',
      WEBHOOK_WORKSPACE_IDS: '0B6E3F4A-2C1D-4E8F-A5B7-91D2C3E4F501, 0b6e3f4a-2c1d-4e8f-a5b7-91d2c3e4f501',
      SUBSCRIPTIONS_PER_CONNECTION: '5',
      SUBSCRIPTIONS_MAX: '500',
      DEMO_FAILURE_RATE: '0',
    });
    expect(live).toMatchObject({ redisUrl: 'rediss://:pw@redis.internal:6380/2', workspaceIds: ['0b6e3f4a-2c1d-4e8f-a5b7-91d2c3e4f501'], maxPerConnection: 5, maxTotal: 500 });
    expect(live.demo.failureRate).toBe(0);
  });

  it('lists every bad live setting in one error, never quoting the signing key or the Redis URL', () => {
    let message = '';
    try {
      loadConfig({ ...REAL, WEBHOOK_SIGNING_KEY: 'short', REDIS_URL: 'http://user:secretpw@host', WEBHOOK_WORKSPACE_IDS: 'nope', DEMO_FAILURE_RATE: '2', SUBSCRIPTIONS_MAX: '0' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('WEBHOOK_SIGNING_KEY must be 16..1024 visible ASCII characters');
    expect(message).toContain('REDIS_URL must be a redis:// or rediss:// URL');
    expect(message).toContain('WEBHOOK_WORKSPACE_IDS must be a comma-separated list of workspace UUIDs');
    expect(message).toContain('DEMO_FAILURE_RATE must be a number from 0 to 1');
    expect(message).toContain('SUBSCRIPTIONS_MAX must be an integer');
    expect(message).not.toContain('secretpw');
    expect(message).not.toContain('"short"');
  });

  it('describeConfig shows whether a signing key and Redis are set, never their values', () => {
    const config = loadConfig({ ...REAL, WEBHOOK_SIGNING_KEY: 'whsec-0123456789abcdef', REDIS_URL: 'redis://:hunter22@redis:6379' });
    const described = JSON.stringify(describeConfig(config));
    expect(described).not.toContain('whsec-0123456789abcdef');
    expect(described).not.toContain('hunter22');
    expect(describeConfig(config).live).toMatchObject({ signingKey: 'set', redisUrl: 'set' });
    expect(describeConfig(loadConfig({})).live).toMatchObject({ signingKey: 'random', redisUrl: 'unset' });
  });
});
