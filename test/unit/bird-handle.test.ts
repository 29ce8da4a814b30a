// The per-request Bird handle: the hard call budget (CALL_BUDGET_EXCEEDED past maxCalls, nothing sent) and the request's cap on calls in flight, counted at the emulator.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBirdClient } from '../../src/bird/client.ts';
import type { BirdClient } from '../../src/bird/client.ts';
import { BirdError } from '../../src/bird/errors.ts';
import { FairShare } from '../../src/bird/fair-share.ts';
import { bindBird } from '../../src/bird/handle.ts';
import type { BindOptions } from '../../src/bird/handle.ts';
import { startEmulator } from '../../src/emulator/server.ts';
import type { Emulator } from '../../src/emulator/server.ts';
import { SEED } from '../../src/emulator/seed.ts';
import { fromBirdError } from '../../src/errors.ts';

const WS = SEED.workspaces.main.id;
const contacts = SEED.contacts.slice(0, 12).map((contact) => contact.id);
const GET_CONTACT = 'GET /workspaces/:ws/contacts/:contact';

let emulator: Emulator;
let bird: BirdClient;

beforeAll(async () => {
  emulator = await startEmulator({ rateLimits: false });
  bird = createBirdClient({ apiUrl: emulator.url, deadlineMs: 5_000, random: () => 0, pacing: false });
});
afterEach(() => {
  emulator.clearFaults();
  emulator.resetRequests();
});
afterAll(async () => {
  await bird.close();
  await emulator.close();
});

const bind = (options: Partial<BindOptions> = {}) =>
  bindBird(bird, {
    credential: { scheme: 'AccessKey', token: SEED.accessKeys.demo },
    missingCredential: () => new Error('no credential'),
    ...options,
  });

describe('the call budget', () => {
  it('makes the first maxCalls calls and fails every later one with CALL_BUDGET_EXCEEDED before anything is sent', async () => {
    const handle = bind({ maxCalls: 5 });
    const outcomes = await Promise.allSettled(contacts.slice(0, 10).map((contactId) => handle.getContact({ workspaceId: WS, contactId })));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(5);
    const refused = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected').map((outcome) => outcome.reason);
    expect(refused).toHaveLength(5);
    for (const error of refused) {
      expect(error).toBeInstanceOf(BirdError);
      expect(error).toMatchObject({ code: 'CALL_BUDGET_EXCEEDED', attempts: 0 });
      expect(fromBirdError(error as BirdError).code).toBe('UPSTREAM_BUDGET_EXCEEDED');
    }
    expect(emulator.requests).toHaveLength(5);
    expect(handle.callCount).toBe(5);
    // Every method counts, not only the one that spent the budget.
    await expect(handle.listChannels({ workspaceId: WS })).rejects.toMatchObject({ code: 'CALL_BUDGET_EXCEEDED' });
    expect(emulator.requests).toHaveLength(5);
  });

  it('is per handle (per request): another request has its own', async () => {
    const first = bind({ maxCalls: 1 });
    const second = bind({ maxCalls: 1 });
    await first.getContact({ workspaceId: WS, contactId: contacts[0]! });
    await second.getContact({ workspaceId: WS, contactId: contacts[1]! });
    await expect(first.getContact({ workspaceId: WS, contactId: contacts[2]! })).rejects.toMatchObject({ code: 'CALL_BUDGET_EXCEEDED' });
    expect(emulator.requests).toHaveLength(2);
  });

  it('a request without a credential fails with its own error, and spends nothing', async () => {
    const handle = bind({ credential: null, maxCalls: 1 });
    await expect(handle.getContact({ workspaceId: WS, contactId: contacts[0]! })).rejects.toThrow('no credential');
    expect(handle.callCount).toBe(0);
  });
});

describe("the request's cap on calls in flight", () => {
  it('lets at most maxInFlight calls of one request be in flight at once; the rest queue, and all are answered', async () => {
    emulator.setFaults({ [GET_CONTACT]: contacts.map(() => ({ delayMs: 150 })) });
    const handle = bind({ maxInFlight: 3 });
    let busiest = 0;
    const watch = setInterval(() => {
      busiest = Math.max(busiest, emulator.requests.filter((entry) => entry.status === 0).length);
    }, 5);
    try {
      const results = await Promise.all(contacts.map((contactId) => handle.getContact({ workspaceId: WS, contactId })));
      expect(results.map((contact) => contact.id)).toEqual(contacts);
    } finally {
      clearInterval(watch);
    }
    expect(emulator.requests).toHaveLength(contacts.length);
    expect(busiest).toBeGreaterThan(0);
    expect(busiest).toBeLessThanOrEqual(3);
  });

  it('a call queued past its deadline fails as TIMEOUT with nothing sent', async () => {
    // One request's slots shared by two clients: a patient one holds the only place, a hasty one queues behind it.
    const slots = new FairShare(1);
    const hasty = createBirdClient({ apiUrl: emulator.url, deadlineMs: 300, random: () => 0, pacing: false });
    try {
      emulator.setFaults({ [GET_CONTACT]: [{ delayMs: 1_000 }] });
      const credential = { scheme: 'AccessKey', token: SEED.accessKeys.demo } as const;
      const held = bird.getContact({ workspaceId: WS, contactId: contacts[0]! }, { credential, requestSlots: slots });
      const queued = await hasty.getContact({ workspaceId: WS, contactId: contacts[1]! }, { credential, requestSlots: slots }).catch((error: unknown) => error);
      expect(queued).toMatchObject({ code: 'TIMEOUT', attempts: 0, outcomeUnknown: false });
      expect(emulator.requests).toHaveLength(1);
      await held;
    } finally {
      await hasty.close();
    }
  });
});
