// Retry amplification: against a Bird that fails every call, retries stay within the budget (about 20 % of calls),
// and a send is never repeated.
import { afterEach, describe, expect, it } from 'vitest';
import { SEED } from '../../src/emulator/seed.ts';
import type { Fault } from '../../src/emulator/server.ts';
import { type TestStack, startTestStack } from '../helpers.ts';

const WS = SEED.workspaces.main.id;
const SMS = SEED.channels.sms.id;
const N = 200;
const CONCURRENCY = 10;
const MESSAGE_QUERY = `query ($ws: UUID!, $ch: UUID!, $id: UUID!) {
  message(workspaceId: $ws, channelId: $ch, messageId: $id) { messageId }
}`;
const SEND = `mutation ($input: SendMessageInput!) { sendMessage(input: $input) { __typename } }`;

let stack: TestStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

/** Runs `count` operations with at most `CONCURRENCY` in flight. */
async function run(count: number, operation: (index: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) await operation(next++);
    }),
  );
}

describe.each<[string, Fault]>([
  ['503 on every call', 503],
  ['a reset on every call', 'reset'],
])('Bird answering %s', (_name, fault) => {
  it(`${N} queries make at most 1.2·N + 10 attempts, and every one answers UPSTREAM_UNAVAILABLE`, async () => {
    stack = await startTestStack({ emulator: { rateLimits: false }, bird: { random: () => 0.01 } });
    const messages = stack.emulator.store.allMessages(WS, SMS).slice(0, 20).map((message) => message.id);
    stack.emulator.setFaults({ '*': Array.from({ length: 10 * N }, () => fault) });
    const codes: unknown[] = [];
    await run(N, async (index) => {
      const result = await stack!.execute(MESSAGE_QUERY, { ws: WS, ch: SMS, id: messages[index % messages.length] });
      codes.push(result.errors?.[0]?.extensions?.code);
    });
    expect(codes).toHaveLength(N);
    expect(new Set(codes)).toEqual(new Set(['UPSTREAM_UNAVAILABLE']));
    const attempts = stack.requests.upstream().length;
    // Each call adds 0.2 to the retry budget and each retry spends 1, from a starting balance of 10.
    expect(attempts).toBeGreaterThanOrEqual(N);
    expect(attempts).toBeLessThanOrEqual(1.2 * N + 10);
  });

  it(`${N} sends make exactly ${N} POSTs`, async () => {
    stack = await startTestStack({ emulator: { rateLimits: false }, bird: { random: () => 0.01 } });
    const POST = 'POST /workspaces/:ws/channels/:ch/messages';
    stack.emulator.setFaults({ [POST]: Array.from({ length: 10 * N }, () => fault) });
    const kinds: unknown[] = [];
    await run(N, async (index) => {
      const result = await stack!.execute(SEND, {
        input: {
          workspaceId: WS,
          channelId: SMS,
          receivers: [{ identifierValue: `+3161000${String(index).padStart(4, '0')}` }],
          content: { body: { text: { text: 'amplification check' } } },
        },
      });
      kinds.push((result.data as { sendMessage?: { __typename: string } } | undefined)?.sendMessage?.__typename);
    });
    expect(new Set(kinds)).toEqual(new Set(['OutcomeUnknownError']));
    expect(stack.requests.upstream().filter((entry) => entry.route === POST)).toHaveLength(N);
  });
});
