// The subscription hub alone (in-memory bus): caps per connection and in total, places given back however a stream ends, filters, and closeAll.
import { describe, expect, it } from 'vitest';
import { memoryBus } from '../../src/live/bus.ts';
import type { LiveEvent } from '../../src/live/envelope.ts';
import { createLiveMetrics } from '../../src/live/metrics.ts';
import { SubscriptionHub } from '../../src/live/subscriptions.ts';

const WS = '0b6e3f4a-2c1d-4e8f-a5b7-91d2c3e4f501';
const event = (messageId: string, channelId = 'c1'): LiveEvent =>
  ({ kind: 'messageUpdated', event: 'sms.outbound', workspaceId: WS, channelId, messageId, platformId: 'sms', message: { id: messageId } }) as unknown as LiveEvent;

function hubWith(options: Partial<ConstructorParameters<typeof SubscriptionHub>[0]> = {}) {
  const bus = memoryBus();
  const hub = new SubscriptionHub({ bus, metrics: createLiveMetrics(null), maxPerConnection: 2, maxTotal: 3, reauthorizeMs: 60_000, exposeLimits: true, ...options });
  const spec = (accept: (e: LiveEvent) => boolean = () => true) => ({ field: 'messageUpdated', kind: 'messageUpdated' as const, workspaceId: WS, accept, reauthorize: async () => {} });
  return { bus, hub, spec };
}

describe('SubscriptionHub', () => {
  it('caps subscriptions per connection and in total, and gives a place back on release()', () => {
    const { hub } = hubWith();
    const [a, b] = [{}, {}];
    const first = hub.reserve(a);
    hub.reserve(a);
    expect(() => hub.reserve(a)).toThrow(expect.objectContaining({ extensions: { code: 'SUBSCRIPTION_LIMIT_EXCEEDED', scope: 'connection', limit: 2 } }));
    hub.reserve(b);
    expect(() => hub.reserve(undefined)).toThrow(expect.objectContaining({ extensions: { code: 'SUBSCRIPTION_LIMIT_EXCEEDED', scope: 'server', limit: 3 } }));
    first.release();
    first.release();
    expect(hub.size).toBe(2);
    hub.reserve(a);
    expect(hub.size).toBe(3);
  });

  it('gives the place back when a stream is returned before its first pull', async () => {
    const { hub, spec } = hubWith();
    const stream = hub.reserve({}).open(spec());
    expect(hub.size).toBe(1);
    await stream.return?.();
    expect(hub.size).toBe(0);
  });

  it('streams the accepted events of its topic, and gives the place back when the consumer returns', async () => {
    const { bus, hub, spec } = hubWith();
    const stream = hub.reserve(undefined).open(spec((e) => e.channelId === 'c1'));
    const first = stream.next();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(hub.streaming).toBe(1);
    await bus.publish(event('m0', 'c2'));
    await bus.publish(event('m1'));
    expect(((await first).value as LiveEvent).messageId).toBe('m1');
    await stream.return?.();
    expect([hub.size, hub.streaming]).toEqual([0, 0]);
  });

  it('closeAll() ends every stream and refuses new ones with SHUTTING_DOWN', async () => {
    const { hub, spec } = hubWith();
    const streams = [hub.reserve({}).open(spec()), hub.reserve({}).open(spec())];
    const pending = streams.map((s) => s.next());
    await new Promise((resolve) => setTimeout(resolve, 0));
    hub.closeAll();
    expect(await Promise.all(pending)).toEqual([
      { done: true, value: undefined },
      { done: true, value: undefined },
    ]);
    expect(hub.size).toBe(0);
    expect(() => hub.reserve({})).toThrow(expect.objectContaining({ extensions: { code: 'SHUTTING_DOWN' } }));
  });

  it('ends with one StreamEnd item when re-authorization fails', async () => {
    let now = 0;
    const { bus, hub } = hubWith({ reauthorizeMs: 10, now: () => now });
    const denied = new Error('revoked');
    const stream = hub.reserve(undefined).open({ field: 'f', kind: 'messageUpdated', workspaceId: WS, accept: () => true, reauthorize: async () => Promise.reject(denied) });
    const first = stream.next();
    await new Promise((resolve) => setTimeout(resolve, 0));
    now = 50;
    await bus.publish(event('m1'));
    expect((await first).value).toEqual({ kind: 'end', error: denied });
    expect(await stream.next()).toEqual({ done: true, value: undefined });
    expect(hub.size).toBe(0);
  });
});
