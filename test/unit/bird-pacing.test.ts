// Per-workspace pacing: the slot plan's arithmetic, the pacer's counts in any one-second window, fail-fast refusals, and the client against an emulator that enforces Bird's limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBirdClient } from '../../src/bird/client.ts';
import type { BirdClient, CallOptions } from '../../src/bird/client.ts';
import { BirdError } from '../../src/bird/errors.ts';
import { createPacer, rateBucketOf, slotPlan } from '../../src/bird/pacing.ts';
import { startEmulator } from '../../src/emulator/server.ts';
import type { Emulator } from '../../src/emulator/server.ts';
import { SEED } from '../../src/emulator/seed.ts';
import { busiestSecond, perSecond } from '../upstream-counts.ts';

const WS = SEED.workspaces.main.id;
const call: CallOptions = { credential: { scheme: 'AccessKey', token: SEED.accessKeys.demo } };
const forever = new AbortController().signal;

describe('slotPlan', () => {
  it("cuts Bird's limits into slots that keep every second within them", () => {
    expect(slotPlan(50)).toEqual({ slotMs: 1000 / 48, perSlot: 1 });
    expect(slotPlan(500)).toEqual({ slotMs: 1000 / 48, perSlot: 10 });
    for (let limit = 3; limit <= 2_000; limit++) {
      const { slotMs, perSlot } = slotPlan(limit);
      const slots = Math.round(1000 / slotMs);
      // Any second overlaps at most slots + 1 slots, + 1 for clock skew between replicas.
      expect((slots + 2) * perSlot, String(limit)).toBeLessThanOrEqual(limit);
      expect(slotMs).toBeGreaterThanOrEqual(20);
    }
  });
});

describe('rateBucketOf', () => {
  it('is the workspace of a workspace path, the organization of the workspace list, nothing for others', () => {
    expect(rateBucketOf(`/workspaces/${WS.toUpperCase()}/channels?limit=1`)).toBe(WS);
    expect(rateBucketOf(`/workspaces/${WS}`)).toBe(WS);
    expect(rateBucketOf(`/organizations/${SEED.organizationId}/workspaces`)).toBe(`org:${SEED.organizationId}`);
    expect(rateBucketOf('/media-upload')).toBeUndefined();
    expect(rateBucketOf('/workspaces/not-a-uuid/channels')).toBeUndefined();
  });
});

describe('createPacer', () => {
  it('lets at most the limit through in any one-second window, in arrival order', async () => {
    const pacer = createPacer({ getPerSecond: 50, postPerSecond: null });
    const granted: number[] = [];
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 120 }, async (_, index) => {
        expect(await pacer.wait('ws-a', 'GET', 10_000, forever)).toBeUndefined();
        granted.push(Date.now());
        order.push(index);
      }),
    );
    expect(busiestSecond(granted)).toBeLessThanOrEqual(50);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    // Another workspace has a bucket of its own, and POSTs are not paced here.
    expect(await pacer.wait('ws-b', 'GET', 10, forever)).toBeUndefined();
    expect(await pacer.wait('ws-a', 'POST', 10, forever)).toBeUndefined();
  });

  it('refuses at once a wait that cannot fit, with the time to retry after, taking no turn', async () => {
    const pacer = createPacer({ getPerSecond: 50, postPerSecond: 500 });
    const line = Array.from({ length: 30 }, () => pacer.wait('ws', 'GET', 10_000, forever));
    const refused = await pacer.wait('ws', 'GET', 200, forever);
    expect(refused).toBeGreaterThanOrEqual(200);
    expect(await Promise.all(line)).toEqual(Array(30).fill(undefined));
  });

  it('a waiter whose signal aborts leaves the line', async () => {
    const pacer = createPacer({ getPerSecond: 50, postPerSecond: 500 });
    const line = Array.from({ length: 10 }, () => pacer.wait('ws', 'GET', 10_000, forever));
    const controller = new AbortController();
    const leaving = pacer.wait('ws', 'GET', 10_000, controller.signal);
    controller.abort(new Error('gone'));
    await expect(leaving).rejects.toThrow('gone');
    await Promise.all(line);
  });
});

describe('the client against an emulator enforcing 50 GET/s per workspace', () => {
  let emulator: Emulator;
  let bird: BirdClient;
  beforeAll(async () => {
    emulator = await startEmulator({ rateLimits: { getPerSecond: 50, postPerSecond: 500 } });
    bird = createBirdClient({ apiUrl: emulator.url, deadlineMs: 10_000, random: () => 0 });
  });
  afterAll(async () => {
    await bird.close();
    await emulator.close();
  });

  it('a burst of 120 GETs on one workspace: all answered, 0 refused (429), and never more than 50 in an emulator second', async () => {
    emulator.resetRequests();
    // Distinct paths (page sizes), so coalescing does not merge them.
    const results = await Promise.all(Array.from({ length: 120 }, (_, i) => bird.listChannels({ workspaceId: WS, limit: i + 1 }, call)));
    expect(results).toHaveLength(120);
    const statuses = emulator.requests.map((entry) => entry.status);
    expect(statuses.filter((status) => status === 429)).toEqual([]);
    expect(statuses).toHaveLength(120);
    const seconds = perSecond(emulator.requests);
    expect(Math.max(...seconds)).toBeLessThanOrEqual(50);
    // As long as the limit implies: 120 calls at under 50 a second span at least 3 of the emulator's seconds.
    expect(seconds.length).toBeGreaterThanOrEqual(3);
  });

  it('a call whose turn would come after its deadline fails at once as RATE_LIMITED, with 0 requests sent', async () => {
    emulator.resetRequests();
    const quick = createBirdClient({ apiUrl: emulator.url, deadlineMs: 1_000, random: () => 0 });
    try {
      const outcomes = await Promise.allSettled(Array.from({ length: 80 }, (_, i) => quick.listChannels({ workspaceId: WS, limit: i + 1 }, call)));
      const refused = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected').map((outcome) => outcome.reason as BirdError);
      expect(refused.length).toBeGreaterThan(0);
      for (const error of refused) {
        expect(error).toBeInstanceOf(BirdError);
        expect(error).toMatchObject({ code: 'RATE_LIMITED', attempts: 0 });
        expect(error.retryAfterMs).toBeGreaterThan(0);
      }
      // Only the calls that got a turn reached the emulator, and none of them was refused.
      expect(emulator.requests).toHaveLength(80 - refused.length);
      expect(emulator.requests.filter((entry) => entry.status === 429)).toEqual([]);
    } finally {
      await quick.close();
    }
  });
});
