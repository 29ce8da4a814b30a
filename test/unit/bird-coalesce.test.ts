// Cross-request coalescing in the Bird client against the emulator: identical GETs in flight for one credential are one request; counted in the emulator's log.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBirdClient } from '../../src/bird/client.ts';
import type { BirdClient, CallOptions, Credential } from '../../src/bird/client.ts';
import { credentialId } from '../../src/bird/coalesce.ts';
import { BirdError } from '../../src/bird/errors.ts';
import { startEmulator } from '../../src/emulator/server.ts';
import type { Emulator } from '../../src/emulator/server.ts';
import { SEED } from '../../src/emulator/seed.ts';

const WS = SEED.workspaces.main.id;
const EMAIL = SEED.messages.emailWithInteractions;
const GET_MESSAGE = 'GET /workspaces/:ws/channels/:ch/messages/:msg';
const params = { workspaceId: WS, channelId: EMAIL.channelId, messageId: EMAIL.id };
/** A fresh credential object each time: sharing goes by the key's value, not by the object. */
const demo = (): Credential => ({ scheme: 'AccessKey', token: SEED.accessKeys.demo });
const callWith = (extra: Partial<CallOptions> = {}): CallOptions => ({ credential: demo(), ...extra });

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

const requestsTo = (route: string) => emulator.requests.filter((entry) => entry.route === route);
/** Holds the first answer back, so every caller joins while it is in flight. */
const slowFirst = (extra: object = {}) => emulator.setFaults({ [GET_MESSAGE]: [{ delayMs: 1_000, ...extra }] });

describe('identical GETs in flight at the same moment', () => {
  it('100 concurrent identical GETs for one credential make 1 request, and all 100 get the answer', async () => {
    slowFirst();
    const results = await Promise.all(Array.from({ length: 100 }, () => bird.getMessage(params, callWith())));
    expect(new Set(results.map((message) => message.id))).toEqual(new Set([EMAIL.id]));
    expect(requestsTo(GET_MESSAGE).map((entry) => entry.status)).toEqual([200]);
  });

  it('are never shared across credentials', async () => {
    slowFirst();
    const scoped: CallOptions = { credential: { scheme: 'AccessKey', token: SEED.accessKeys.scoped } };
    const [mine, theirs] = await Promise.allSettled([bird.getMessage(params, callWith()), bird.getMessage(params, scoped)]);
    expect(mine.status).toBe('fulfilled');
    // The scoped key cannot read this workspace: it gets its own 403, never the other key's answer.
    expect(theirs.status === 'rejected' && (theirs.reason as BirdError).code).toBe('FORBIDDEN');
    expect(requestsTo(GET_MESSAGE).map((entry) => entry.status).sort()).toEqual([200, 403]);
  });

  it('are told apart by their path: other ids and other query strings are other requests', async () => {
    slowFirst();
    await Promise.all([
      bird.listChannels({ workspaceId: WS, limit: 1 }, callWith()),
      bird.listChannels({ workspaceId: WS, limit: 1 }, callWith()),
      bird.listChannels({ workspaceId: WS, limit: 2 }, callWith()),
    ]);
    expect(emulator.requests.map((entry) => entry.query)).toHaveLength(2);
  });

  it('share an error the same way: one 404, every caller NOT_FOUND', async () => {
    slowFirst({ status: 404 });
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => bird.getMessage(params, callWith())));
    expect(outcomes.map((outcome) => outcome.status === 'rejected' && (outcome.reason as BirdError).code)).toEqual(Array(20).fill('NOT_FOUND'));
    expect(requestsTo(GET_MESSAGE)).toHaveLength(1);
  });

  it("a caller's abort leaves the shared call running for the others", async () => {
    slowFirst();
    const leaving = new AbortController();
    const calls = [bird.getMessage(params, callWith({ signal: leaving.signal })), bird.getMessage(params, callWith()), bird.getMessage(params, callWith({ signal: new AbortController().signal }))];
    setTimeout(() => leaving.abort(), 50);
    const [left, ...stayed] = await Promise.allSettled(calls);
    expect(left).toMatchObject({ status: 'rejected', reason: { code: 'TIMEOUT', attempts: 0 } });
    expect(stayed.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(requestsTo(GET_MESSAGE).map((entry) => entry.status)).toEqual([200]);
  });

  it('when every caller has left, the request is aborted; the next caller starts afresh', async () => {
    emulator.setFaults({ [GET_MESSAGE]: [{ delayMs: 2_000 }] });
    const controllers = [new AbortController(), new AbortController()];
    const calls = controllers.map((controller) => bird.getMessage(params, callWith({ signal: controller.signal })));
    setTimeout(() => controllers.forEach((controller) => controller.abort()), 50);
    const outcomes = await Promise.allSettled(calls);
    for (const outcome of outcomes) expect(outcome).toMatchObject({ status: 'rejected', reason: { code: 'TIMEOUT' } });
    expect((outcomes[1] as PromiseRejectedResult).reason.message).toMatch(/aborted by the caller/);
    // The aborted request never got its answer (status 0); a new call is a new request, not a join of a dead one.
    expect(await bird.getMessage(params, callWith())).toMatchObject({ id: EMAIL.id });
    expect(requestsTo(GET_MESSAGE).map((entry) => entry.status)).toEqual([0, 200]);
  });

  it('only what is in flight is shared: calls one after the other are separate requests (no cache)', async () => {
    await bird.getMessage(params, callWith());
    await bird.getMessage(params, callWith());
    expect(requestsTo(GET_MESSAGE)).toHaveLength(2);
  });

  it('POSTs are never shared', async () => {
    const search = { workspaceId: WS, identifierKey: 'phonenumber', identifierValue: SEED.contacts[0]!.phone };
    await Promise.all([bird.searchContacts(search, callWith()), bird.searchContacts(search, callWith())]);
    expect(emulator.requests.filter((entry) => entry.method === 'POST')).toHaveLength(2);
  });
});

describe('credentialId', () => {
  it('is a one-way hash of the key: stable for one value, distinct for others, never containing the key', () => {
    const id = credentialId(demo());
    expect(id).toBe(credentialId(demo()));
    expect(id).not.toBe(credentialId({ scheme: 'Bearer', token: SEED.accessKeys.demo }));
    expect(id).not.toBe(credentialId({ scheme: 'AccessKey', token: SEED.accessKeys.scoped }));
    expect(id).not.toContain(SEED.accessKeys.demo);
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
