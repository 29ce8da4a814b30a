// Subscriptions end to end: the emulator's real signed deliveries → POST /webhooks/bird → pub/sub → graphql-sse and graphql-ws clients (payload, order, nothing twice), authorization, isolation and fresh loaders.
import { print } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED } from '../../src/emulator/seed.ts';
import { liveRuntimeOf } from '../../src/live/index.ts';
import { InteractionAddedDocument, MessageReceivedDocument, MessageUpdatedDocument, SendSmsDocument } from '../gql/generated.ts';
import { type Collected, type LiveStack, SMS, WS, collect, startLiveStack, until } from './stack.ts';

const CONTACT = SEED.contacts[0]!;
const SECOND = SEED.workspaces.second.id;
const CHANNELS_ROUTE = 'GET /workspaces/:ws/channels';
const FLOW = ['ACCEPTED', 'PROCESSING', 'SENT', 'DELIVERED'];

let stack: LiveStack;
beforeAll(async () => {
  stack = await startLiveStack();
  await stack.register([WS, SECOND]);
});
afterAll(() => stack.close());
beforeEach(async () => {
  await until(() => liveRuntimeOf(stack.app)!.hub.size === 0);
  await stack.emulator.webhooks.settled();
  stack.emulator.resetRequests();
  stack.emulator.deliveries.length = 0;
});

const hub = () => liveRuntimeOf(stack.app)!.hub;
/** Waits until `n` streams listen to the bus: events published from then on reach them. */
const listening = (n: number) => until(() => hub().streaming === n);

async function sendSms(channelId = SMS.id, workspaceId = WS): Promise<string> {
  const result = await stack.execute(SendSmsDocument, {
    input: { workspaceId, channelId, receivers: [{ identifierValue: CONTACT.phone }], content: { body: { text: { text: 'Your order shipped' } } } },
  });
  const payload = result.data?.sendMessage;
  if (payload?.__typename !== 'SendMessagePayload') throw new Error(`send failed: ${JSON.stringify(result)}`);
  return payload.sentMessage.messageId;
}
/** A send straight to the emulator (as another Bird client would): the server's only calls are then its own. */
async function sendRest(): Promise<string> {
  const res = await fetch(`${stack.emulator.url}/workspaces/${WS}/channels/${SMS.id}/messages`, {
    method: 'POST',
    headers: { authorization: `AccessKey ${SEED.accessKeys.demo}`, 'content-type': 'application/json' },
    body: JSON.stringify({ receiver: { contacts: [{ identifierValue: CONTACT.phone }] }, body: { type: 'text', text: { text: 'Hi' } } }),
  });
  return ((await res.json()) as { id: string }).id;
}
const advanceAll = (messageId: string, workspaceId = WS) => {
  for (const status of ['processing', 'sent', 'delivered'] as const) stack.emulator.store.advanceMessage(workspaceId, messageId, status);
};
const updated = (variables: Record<string, unknown>, client: 'sse' | 'ws' = 'sse', key?: string) =>
  collect<{ data?: { messageUpdated: { messageId: string; status: string; channel: { channelId: string; name: string } | null } }; errors?: unknown[] }>(
    stack[client](key),
    { query: print(MessageUpdatedDocument), variables },
  );
const statuses = (sub: Collected<{ data?: { messageUpdated: { status: string } } }>) => sub.results.map((r) => r.data?.messageUpdated.status);

describe.each(['sse', 'ws'] as const)('messageUpdated over %s', (client) => {
  it('shows a sent message going accepted → processing → sent → delivered, in order, each once, with its channel', async () => {
    const sub = updated({ workspaceId: WS }, client);
    await listening(1);
    const messageId = client === 'sse' ? await sendSms() : await sendRest();
    advanceAll(messageId);
    await sub.next(4);
    // A sentinel event after the four: had anything been delivered twice, it would have come before it.
    stack.emulator.resetRequests();
    const sentinel = await sendRest();
    await sub.next(5);
    sub.stop();
    expect(sub.errors).toEqual([]);
    expect(sub.results.slice(0, 4)).toEqual(
      FLOW.map((status) => ({
        data: { messageUpdated: { messageId, status, direction: 'OUTGOING', lastStatusAt: expect.any(String), channel: { channelId: SMS.id, name: SMS.name } } },
      })),
    );
    expect(sub.results[4]!.data!.messageUpdated).toMatchObject({ messageId: sentinel, status: 'ACCEPTED' });
    expect(sub.results).toHaveLength(5);
    // Every event came from a real signed delivery the receiver accepted once.
    await stack.emulator.webhooks.settled();
    expect(stack.emulator.deliveries.filter((d) => d.event === 'sms.outbound').map((d) => [d.status, d.duplicate])).toEqual(Array(5).fill([200, false]));
    // One channel lookup for the sentinel event: loaders are fresh for each event (nothing cached from the four).
    expect(stack.requests.upstream().filter((r) => r.route === CHANNELS_ROUTE).map((r) => r.query)).toEqual([{ channelIds: SMS.id, limit: '1' }]);
  });
});

describe('filters and isolation', () => {
  it('keeps to the channel and message asked for', async () => {
    const first = await sendSms();
    await stack.emulator.webhooks.settled();
    const byMessage = updated({ workspaceId: WS, messageId: first });
    const byOtherChannel = updated({ workspaceId: WS, channelId: SEED.channels.whatsapp.id });
    await listening(2);
    const other = await sendSms();
    advanceAll(other);
    advanceAll(first);
    await byMessage.next(3);
    byMessage.stop();
    byOtherChannel.stop();
    expect(statuses(byMessage)).toEqual(['PROCESSING', 'SENT', 'DELIVERED']);
    expect(byMessage.results.every((r) => r.data?.messageUpdated.messageId === first)).toBe(true);
    expect(byOtherChannel.results).toEqual([]);
  });

  it('gives each subscriber only the events of the workspace it was authorized for', async () => {
    const main = updated({ workspaceId: WS });
    const second = updated({ workspaceId: SECOND }, 'ws', SEED.accessKeys.scoped);
    await listening(2);
    const inMain = await sendSms();
    const inSecond = await sendSms(SEED.channels.secondSms.id, SECOND);
    await main.next(1);
    await second.next(1);
    await sendSms();
    await main.next(2);
    main.stop();
    second.stop();
    expect(main.results.map((r) => r.data?.messageUpdated.messageId)).toEqual([inMain, expect.any(String)]);
    expect(second.results.map((r) => r.data?.messageUpdated.messageId)).toEqual([inSecond]);
  });
});

describe('authorization when a subscription starts', () => {
  it.each([
    ['a key that may not read the workspace', { workspaceId: WS }, SEED.accessKeys.scoped, 'FORBIDDEN'],
    ['a key Bird does not know', { workspaceId: WS }, 'not-a-known-key-0000', 'UNAUTHENTICATED'],
    ['a channel of another workspace', { workspaceId: WS, channelId: SEED.channels.secondSms.id }, undefined, 'NOT_FOUND'],
  ])('refuses %s with one Bird call and no stream', async (_name, variables, key, code) => {
    const sub = updated(variables, 'sse', key);
    await sub.completed;
    expect(sub.results).toEqual([{ errors: [expect.objectContaining({ path: ['messageUpdated'], extensions: { code } })] }]);
    expect(stack.requests.upstream().map((r) => r.route)).toEqual([CHANNELS_ROUTE]);
    expect(hub().size).toBe(0);
  });

  it('over graphql-ws too, taking the key from connection_init', async () => {
    const sub = updated({ workspaceId: WS }, 'ws', SEED.accessKeys.scoped);
    await sub.completed;
    expect(sub.results).toEqual([{ errors: [expect.objectContaining({ extensions: { code: 'FORBIDDEN' } })] }]);
  });
});

describe('messageReceived and interactionAdded', () => {
  it('delivers an inbound message made with the emulator’s control route, its sender contact resolved', async () => {
    const sub = collect<Record<string, any>>(stack.ws(), { query: print(MessageReceivedDocument), variables: { workspaceId: WS, channelId: SMS.id } });
    await listening(1);
    const res = await fetch(`${stack.emulator.url}/_emulator/inbound`, {
      method: 'POST',
      headers: { authorization: `AccessKey ${SEED.accessKeys.demo}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channelId: SMS.id, text: 'Where is my parcel?', from: { contactId: CONTACT.id } }),
    });
    const message = (await res.json()) as { id: string };
    await sub.next(1);
    sub.stop();
    expect(sub.results).toEqual([
      {
        data: {
          messageReceived: {
            messageId: message.id,
            direction: 'INCOMING',
            status: 'DELIVERED',
            text: 'Where is my parcel?',
            sender: { __typename: 'ContactParticipant', identifierValue: CONTACT.phone, contact: { contactId: CONTACT.id, displayName: CONTACT.name } },
          },
        },
      },
    ]);
  });

  it('delivers interactions as they happen, filtered by message', async () => {
    const email = SEED.messages.emailWithInteractions;
    const sub = collect<Record<string, any>>(stack.sse(), { query: print(InteractionAddedDocument), variables: { workspaceId: WS, messageId: email.id } });
    await listening(1);
    const interact = (body: Record<string, unknown>) =>
      fetch(`${stack.emulator.url}/_emulator/interactions`, {
        method: 'POST',
        headers: { authorization: `AccessKey ${SEED.accessKeys.demo}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<{ id: string }>);
    const opened = await interact({ messageId: email.id, type: 'opened', details: 'initial_open' });
    await interact({ messageId: SEED.messages.whatsappWithReaction.id, type: 'read' });
    const clicked = await interact({ messageId: email.id, type: 'clicked', metadata: { link: { url: 'https://acme.example/offer' } } });
    await sub.next(2);
    sub.stop();
    expect(sub.results).toEqual([
      { data: { interactionAdded: { interactionId: opened.id, messageId: email.id, type: 'OPENED', link: null } } },
      { data: { interactionAdded: { interactionId: clicked.id, messageId: email.id, type: 'CLICKED', link: { url: 'https://acme.example/offer' } } } },
    ]);
  });
});

describe('Bird’s at-least-once delivery', () => {
  it('drops a delivery sent again (same messagebird-request-id): the subscriber sees it once', async () => {
    const sub = updated({ workspaceId: WS });
    await listening(1);
    const messageId = await sendSms();
    await sub.next(1);
    await stack.emulator.webhooks.settled();
    const [first] = stack.emulator.deliveries;
    stack.emulator.webhooks.redeliver(first!.requestId);
    stack.emulator.webhooks.redeliver(first!.requestId);
    await stack.emulator.webhooks.settled();
    stack.emulator.store.advanceMessage(WS, messageId, 'processing');
    await sub.next(2);
    sub.stop();
    await stack.emulator.webhooks.settled();
    expect(statuses(sub)).toEqual(['ACCEPTED', 'PROCESSING']);
    expect(stack.emulator.deliveries.map((d) => [d.status, d.duplicate])).toEqual([
      [200, false],
      [200, true],
      [200, true],
      [200, false],
    ]);
    expect(await (await stack.fetch('/metrics')).text()).toMatch(/^bird_webhooks_received_total\{outcome="duplicate",kind="outbound"\} 2$/m);
  });
});

describe('a retried delivery overtaken by later ones', () => {
  it('is not shown: the subscriber never sees a message go back to an older status', async () => {
    const sub = updated({ workspaceId: WS });
    await listening(1);
    const messageId = await sendRest();
    await sub.next(1);
    // The receiver fails the `processing` delivery once (Bird retries it), while `sent` and `delivered` go through.
    const bus = liveRuntimeOf(stack.app)!.bus;
    const publish = bus.publish;
    let failed = false;
    bus.publish = async (event) => {
      if (!failed && event.kind === 'messageUpdated' && event.message.status === 'processing') {
        failed = true;
        throw new Error('bus down for one event');
      }
      return publish(event);
    };
    try {
      for (const status of ['processing', 'sent', 'delivered'] as const) {
        stack.emulator.store.advanceMessage(WS, messageId, status);
        await new Promise((resolve) => setTimeout(resolve, 2)); // distinct lastStatusAt milliseconds
      }
      await until(() => stack.emulator.deliveries.filter((d) => d.status === 200).length === 4);
      await stack.emulator.webhooks.settled();
    } finally {
      bus.publish = publish;
    }
    // A sentinel event: anything still coming would arrive before it.
    stack.emulator.store.advanceMessage(WS, await sendRest(), 'processing');
    await sub.next(4);
    sub.stop();
    expect(statuses(sub)).toEqual(['ACCEPTED', 'SENT', 'DELIVERED', expect.any(String)]);
    expect(stack.emulator.deliveries.slice(0, 5).map((d) => d.status)).toEqual([200, 503, 200, 200, 200]);
    expect(await (await stack.fetch('/metrics')).text()).toMatch(/^bird_webhooks_received_total\{outcome="stale",kind="outbound"\} 1$/m);
  });
});
