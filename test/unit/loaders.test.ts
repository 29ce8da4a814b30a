// The batch functions behind the loadable refs, against the emulator: key order, null for NOT_FOUND, an Error per failed key, batch sizes.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BirdClient, type Credential, createBirdClient } from '../../src/bird/client.ts';
import { BirdError } from '../../src/bird/errors.ts';
import { bindBird } from '../../src/bird/handle.ts';
import type { Context } from '../../src/context.ts';
import { SEED } from '../../src/emulator/seed.ts';
import { type Emulator, startEmulator } from '../../src/emulator/server.ts';
import {
  CHANNEL_BATCH_SIZE,
  type LoaderContext,
  keys,
  loadChannels,
  loadContacts,
  loadInteractions,
  loadMessages,
  loadWorkspaces,
} from '../../src/loaders.ts';
import { Channel } from '../../src/schema/channel.ts';
import '../../src/schema/index.ts';

const ORG = SEED.organizationId;
const MAIN = SEED.workspaces.main.id;
const SECOND = SEED.workspaces.second.id;
const DEMO: Credential = { scheme: 'AccessKey', token: SEED.accessKeys.demo };
/** Reads workspace `second` only: Bird answers 403 for anything in `main`. */
const SCOPED: Credential = { scheme: 'AccessKey', token: SEED.accessKeys.scoped };

let emulator: Emulator;
let client: BirdClient;
const batches: [string, number][] = [];

function context(credential: Credential | null = DEMO): LoaderContext {
  return {
    bird: bindBird(client, { credential, requestId: 'loaders-test', missingCredential: () => new Error('no credential') }),
    onBatch: (loader, size) => batches.push([loader, size]),
  };
}

const calls = () => emulator.requests.map((r) => r.route);

beforeAll(async () => {
  emulator = await startEmulator({ rateLimits: false });
  client = createBirdClient({ apiUrl: emulator.url, deadlineMs: 5_000, random: () => 0 });
});

afterEach(() => {
  emulator.resetRequests();
  batches.length = 0;
});

afterAll(async () => {
  await client.close();
  await emulator.close();
});

/** Seeded messages of a channel, newest first, straight from the store. */
const seededMessages = (workspaceId: string, channelId: string) => emulator.store.allMessages(workspaceId, channelId);

describe('key order', () => {
  it('returns each message at its key position, whatever order the keys come in', async () => {
    const messages = seededMessages(MAIN, SEED.channels.sms.id).slice(0, 6).reverse();
    const messageKeys = messages.map((m) => keys.message(MAIN, m.channelId, m.id));
    const results = await loadMessages(context(), messageKeys);
    expect(results.map((r) => (r as { id: string }).id)).toEqual(messages.map((m) => m.id));
    expect(results.every((r) => (r as { workspaceId: string }).workspaceId === MAIN)).toBe(true);
    expect(batches).toEqual([['message', 6]]);
  });

  it('returns channels in key order across workspaces, one list call per workspace', async () => {
    const channelKeys = [
      keys.channel(SECOND, SEED.channels.secondSms.id),
      keys.channel(MAIN, SEED.channels.email.id),
      keys.channel(SECOND, SEED.channels.secondEmail.id),
      keys.channel(MAIN, SEED.channels.sms.id),
    ];
    const results = await loadChannels(context(), channelKeys);
    expect(results.map((r) => (r as { id: string }).id)).toEqual([
      SEED.channels.secondSms.id,
      SEED.channels.email.id,
      SEED.channels.secondEmail.id,
      SEED.channels.sms.id,
    ]);
    expect(calls()).toEqual(['GET /workspaces/:ws/channels', 'GET /workspaces/:ws/channels']);
    expect(emulator.requests.map((r) => r.query.channelIds).sort()).toEqual(
      [
        [SEED.channels.email.id, SEED.channels.sms.id],
        [SEED.channels.secondSms.id, SEED.channels.secondEmail.id],
      ].sort(),
    );
  });
});

describe('NOT_FOUND is null', () => {
  it('for a message, a contact and a workspace that do not exist', async () => {
    const [message] = await loadMessages(context(), [keys.message(MAIN, SEED.channels.sms.id, randomUUID())]);
    const [contact] = await loadContacts(context(), [keys.contact(MAIN, randomUUID())]);
    const [workspace] = await loadWorkspaces(context(), [keys.workspace(ORG, randomUUID())]);
    expect([message, contact, workspace]).toEqual([null, null, null]);
  });

  it('for a channel the list does not return, and for every channel of an unknown workspace', async () => {
    const ghost = randomUUID();
    const results = await loadChannels(context(), [
      keys.channel(MAIN, SEED.channels.sms.id),
      keys.channel(MAIN, randomUUID()),
      keys.channel(ghost, randomUUID()),
      keys.channel(ghost, randomUUID()),
    ]);
    expect(results.map((r) => (r === null ? null : (r as { id: string }).id))).toEqual([SEED.channels.sms.id, null, null, null]);
  });

  it('for an interaction its message does not have', async () => {
    const email = SEED.messages.emailWithInteractions;
    const [missing] = await loadInteractions(context(), [keys.interaction(MAIN, email.channelId, email.id, randomUUID())]);
    expect(missing).toBeNull();
  });
});

describe('an Error per failed key', () => {
  it('fails only the keys Bird refused; the rest of the batch keeps its values', async () => {
    const mainMessage = seededMessages(MAIN, SEED.channels.sms.id)[0]!;
    const secondMessage = seededMessages(SECOND, SEED.channels.secondSms.id)[0]!;
    const results = await loadMessages(context(SCOPED), [
      keys.message(MAIN, mainMessage.channelId, mainMessage.id),
      keys.message(SECOND, secondMessage.channelId, secondMessage.id),
    ]);
    expect(results[0]).toBeInstanceOf(BirdError);
    expect((results[0] as BirdError).code).toBe('FORBIDDEN');
    expect((results[1] as { id: string }).id).toBe(secondMessage.id);
  });

  it('fails a channel list only for the keys of its own workspace', async () => {
    const results = await loadChannels(context(SCOPED), [
      keys.channel(MAIN, SEED.channels.sms.id),
      keys.channel(SECOND, SEED.channels.secondSms.id),
      keys.channel(MAIN, SEED.channels.email.id),
    ]);
    expect(results[0]).toBeInstanceOf(BirdError);
    expect(results[2]).toBe(results[0]);
    expect((results[1] as { id: string }).id).toBe(SEED.channels.secondSms.id);
  });

  it('fails every key without a call when the request has no credential', async () => {
    const results = await loadContacts(context(null), [keys.contact(MAIN, SEED.contacts[0]!.id), keys.contact(MAIN, SEED.contacts[1]!.id)]);
    expect(results.map((r) => (r as Error).message)).toEqual(['no credential', 'no credential']);
    expect(emulator.requests).toHaveLength(0);
  });
});

describe('batch sizes', () => {
  it('interactions of one message share one list call', async () => {
    const email = SEED.messages.emailWithInteractions;
    const all = emulator.store.listInteractions(MAIN, email.channelId, email.id).results;
    expect(all.length).toBeGreaterThan(1);
    const results = await loadInteractions(
      context(),
      all.map((i) => keys.interaction(MAIN, email.channelId, email.id, i.id)),
    );
    expect(results.map((r) => (r as { id: string }).id)).toEqual(all.map((i) => i.id));
    expect(calls()).toEqual(['GET /workspaces/:ws/channels/:ch/messages/:msg/interactions']);
  });

  it(`the Channel loader splits ${CHANNEL_BATCH_SIZE + 50} keys of one workspace into list calls of at most ${CHANNEL_BATCH_SIZE} ids`, async () => {
    const template = emulator.store.getChannel(MAIN, SEED.channels.sms.id);
    const extra = Array.from({ length: CHANNEL_BATCH_SIZE + 50 }, () => randomUUID());
    for (const id of extra) emulator.store.addChannel(MAIN, { ...template, id, name: `bulk ${id}` });
    // The Pothos loader keeps its DataLoader per context object, so a fresh context is a fresh cache.
    const loader = Channel.getDataloader(context() as Context);
    const results = await Promise.all(extra.map((id) => loader.load(keys.channel(MAIN, id))));
    expect(results.map((r) => r?.id)).toEqual(extra);
    const sizes = emulator.requests.map((r) => [r.route, (r.query.channelIds as string[]).length]);
    expect(sizes).toEqual([
      ['GET /workspaces/:ws/channels', CHANNEL_BATCH_SIZE],
      ['GET /workspaces/:ws/channels', 50],
    ]);
    expect(batches).toEqual([
      ['channel', CHANNEL_BATCH_SIZE],
      ['channel', 50],
    ]);
  });
});
