// The demo's first impression: the query GraphiQL opens with shows the main workspace and a first channel with messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_QUERY } from '../../src/app.ts';
import { SEED } from '../../src/emulator/seed.ts';
import { type TestStack, startTestStack } from '../helpers.ts';

interface Shown {
  workspaces: {
    edges: {
      node: {
        workspaceId: string;
        name: string;
        channels: { edges: { node: { channelId: string; name: string; messages: { edges: { node: { messageId: string; text: string | null } }[] } } }[] };
      };
    }[];
  };
}

describe('the GraphiQL default query in demo mode', () => {
  let stack: TestStack;
  let shown: Shown;

  beforeAll(async () => {
    // No Authorization header: the server key answers, as for GraphiQL under `npm start`.
    stack = await startTestStack({ authorization: null });
    const result = await stack.execute<Shown>(DEFAULT_QUERY);
    expect(result.errors).toBeUndefined();
    shown = result.data as Shown;
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('opens on the main workspace and its SMS channel, whose latest two messages are shown', () => {
    const first = shown.workspaces.edges[0]?.node;
    expect(first).toMatchObject({ workspaceId: SEED.workspaces.main.id, name: SEED.workspaces.main.name });
    const channel = first?.channels.edges[0]?.node;
    expect(channel).toMatchObject({ channelId: SEED.channels.sms.id, name: SEED.channels.sms.name });
    expect(channel?.messages.edges).toHaveLength(2);
    for (const edge of channel?.messages.edges ?? []) expect(edge.node.text).toEqual(expect.any(String));
  });

  it('lists the seeded workspaces in declaration order; both with messages open on a channel that has some', () => {
    expect(shown.workspaces.edges.map((edge) => edge.node.name)).toEqual(['Acme Main', 'Acme Support', 'Acme Labs']);
    const opening = shown.workspaces.edges.map((edge) => edge.node.channels.edges[0]?.node);
    // Acme Labs' only channel is still setting up: it has no messages, and it comes last.
    expect(opening.slice(0, 2).map((channel) => channel?.messages.edges.length)).toEqual([2, 2]);
  });
});
