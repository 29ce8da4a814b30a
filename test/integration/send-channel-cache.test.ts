// The channel-platform cache of sends: a warm send is 1 POST and 0 GETs, per credential; cold sends read the channel
// first; Bird's 409/404 still decide on a warm channel; the channel states refused before posting match the emulator's.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHANNEL_STATUSES } from '../../src/bird/types.ts';
import { SEED } from '../../src/emulator/seed.ts';
import { SENDABLE_CHANNEL_STATUSES } from '../../src/emulator/store.ts';
import { UNSENDABLE_CHANNEL_STATUSES } from '../../src/schema/send.ts';
import { SendMessageDocument, type SendMessageInput, SendMessagesDocument } from '../gql/generated.ts';
import { type TestStack, type TestStackOptions, startTestStack } from '../helpers.ts';

const WS = SEED.workspaces.main.id;
const SMS = SEED.channels.sms.id;
const WHATSAPP = SEED.channels.whatsapp.id;
const INACTIVE = SEED.channels.inactiveSms.id;
const OTHER_KEY = 'second-access-key-0001';

let stack: TestStack;
async function start(options: TestStackOptions = {}) {
  stack = await startTestStack({ emulator: { rateLimits: false }, ...options });
  stack.emulator.store.addAccessKey(OTHER_KEY, 'all');
}
afterEach(async () => {
  await stack.close();
});

const text = (channelId: string, extra: Partial<SendMessageInput> = {}): SendMessageInput => ({
  workspaceId: WS,
  channelId,
  receivers: [{ identifierValue: '+31612345678' }],
  content: { body: { text: { text: 'hi' } } },
  ...extra,
});

async function send(variables: SendMessageInput, key?: string) {
  stack.requests.resetUpstream();
  const headers = key ? { authorization: `AccessKey ${key}` } : undefined;
  const result = await stack.execute(SendMessageDocument, { input: variables }, headers ? { headers } : {});
  expect(result.errors).toBeUndefined();
  const calls = stack.requests.upstream().map((entry) => entry.method);
  return { result: result.data!.sendMessage!, posts: calls.filter((m) => m === 'POST').length, gets: calls.filter((m) => m === 'GET').length };
}

describe('with the cache (the default)', () => {
  beforeEach(() => start());

  it('a cold send reads the channel once; every warm send after it is 1 POST and 0 GETs', async () => {
    expect(await send(text(SMS))).toMatchObject({ result: { __typename: 'SendMessagePayload' }, posts: 1, gets: 1 });
    for (let i = 0; i < 3; i++) {
      expect(await send(text(SMS))).toMatchObject({ result: { __typename: 'SendMessagePayload' }, posts: 1, gets: 0 });
    }
  });

  it('a warm channel still gets every platform rule, with 0 calls for a bad input', async () => {
    await send(text(SMS));
    const bad = await send(text(SMS, { receivers: [{ identifierValue: 'ada@example.com' }] }));
    expect(bad).toMatchObject({ result: { __typename: 'ValidationError' }, posts: 0, gets: 0 });
  });

  it('the same cache serves sendMessages: a warm batch is 1 POST and 0 GETs', async () => {
    await send(text(WHATSAPP));
    stack.requests.resetUpstream();
    const { workspaceId, channelId, ...message } = text(WHATSAPP);
    const result = await stack.execute(SendMessagesDocument, { input: { workspaceId, channelId, messages: [message, message] } });
    expect(result.data!.sendMessages.__typename).toBe('SendMessagesPayload');
    expect(stack.requests.upstream().map((entry) => entry.route)).toEqual(['POST /workspaces/:ws/channels/:ch/batch/messages']);
  });

  it("is per credential: another key's first send reads the channel itself", async () => {
    await send(text(SMS));
    expect(await send(text(SMS), OTHER_KEY)).toMatchObject({ posts: 1, gets: 1 });
    expect(await send(text(SMS), OTHER_KEY)).toMatchObject({ posts: 1, gets: 0 });
  });

  it("a warm channel that stopped is refused by Bird's 409: ConflictError after its one POST", async () => {
    await send(text(SMS));
    const record = stack.emulator.store.channels.get(SMS)!;
    record.channel.status = 'inactive';
    expect(await send(text(SMS))).toMatchObject({ result: { __typename: 'ConflictError' }, posts: 1, gets: 0 });
    record.channel.status = 'active';
  });

  it("a warm channel Bird no longer knows is NotFoundError, and forgotten: the next send reads it again", async () => {
    await send(text(SMS));
    const record = stack.emulator.store.channels.get(SMS)!;
    stack.emulator.store.channels.delete(SMS);
    expect(await send(text(SMS))).toMatchObject({ result: { __typename: 'NotFoundError' }, posts: 1, gets: 0 });
    stack.emulator.store.channels.set(SMS, record);
    expect(await send(text(SMS))).toMatchObject({ result: { __typename: 'SendMessagePayload' }, posts: 1, gets: 1 });
  });
});

describe('without the cache (SEND_CHANNEL_CACHE_TTL_MS=0)', () => {
  beforeEach(() => start({ env: { SEND_CHANNEL_CACHE_TTL_MS: '0' } }));

  it('every send reads the channel, then posts once', async () => {
    for (let i = 0; i < 2; i++) expect(await send(text(SMS))).toMatchObject({ result: { __typename: 'SendMessagePayload' }, posts: 1, gets: 1 });
  });
});

describe('channel states: the pre-check and the emulator agree', () => {
  beforeEach(() => start({ env: { SEND_CHANNEL_CACHE_TTL_MS: '0' } }));

  it('every status of Bird\'s enum is sendable in the emulator exactly when the graph does not refuse it', () => {
    for (const status of CHANNEL_STATUSES) expect(SENDABLE_CHANNEL_STATUSES.has(status), status).toBe(!UNSENDABLE_CHANNEL_STATUSES.has(status));
    expect([...SENDABLE_CHANNEL_STATUSES].sort()).toEqual(['active', 'warning']);
  });

  it.each(CHANNEL_STATUSES)('status %s: the same outcome from the pre-check (cold) and from Bird (warm)', async (status) => {
    const record = stack.emulator.store.channels.get(INACTIVE)!;
    record.channel.status = status;
    const cold = await send(text(INACTIVE));
    if (UNSENDABLE_CHANNEL_STATUSES.has(status)) expect(cold).toMatchObject({ result: { __typename: 'ConflictError' }, posts: 0 });
    else expect(cold).toMatchObject({ result: { __typename: 'SendMessagePayload' }, posts: 1 });
    // What Bird itself answers for the same state (the path a warm cache takes): the same result type.
    stack.requests.resetUpstream();
    const direct = await fetch(`${stack.emulator.url}/workspaces/${WS}/channels/${INACTIVE}/messages`, {
      method: 'POST',
      headers: { authorization: `AccessKey ${SEED.accessKeys.demo}`, 'content-type': 'application/json' },
      body: JSON.stringify({ receiver: { contacts: [{ identifierValue: '+31612345678' }] }, body: { type: 'text', text: { text: 'hi' } } }),
    });
    expect(direct.status).toBe(UNSENDABLE_CHANNEL_STATUSES.has(status) ? 409 : 202);
  });
});
