// The README's first impressions in demo mode: the default query opens on a channel with messages; the message example has interactions.
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

/** The README's "what recipients did with it" example (Examples section), verbatim. */
const MESSAGE_EXAMPLE = `{
  message(
    workspaceId: "0b6e3f4a-2c1d-4e8f-a5b7-91d2c3e4f501"
    channelId: "c1a2b3c4-d5e6-4f70-8a91-b2c3d4e5f603"
    messageId: "618560bc-15a5-4abd-9325-4760ae8d6eb5"
  ) {
    id
    status
    direction
    text
    receivers { ... on ContactParticipant { identifierValue contact { displayName } } }
    content {
      __typename
      ... on TextContent { text }
      ... on ImageContent { images { mediaUrl downloadUrl altText } }
    }
    interactions(first: 10) { edges { node { type createdAt reaction { emoji action } } } }
  }
}`;

describe("the README's message example", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ authorization: null });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('names the seeded WhatsApp message that has a read and a reaction', () => {
    expect(SEED.messages.whatsappWithReaction).toEqual({ id: '618560bc-15a5-4abd-9325-4760ae8d6eb5', channelId: SEED.channels.whatsapp.id, interactions: 2 });
    expect(SEED.channels.whatsapp.workspaceId).toBe(SEED.workspaces.main.id);
  });

  it('shows the recipient and what they did: read, then 👍, newest first, in 3 Bird calls', async () => {
    stack.requests.resetUpstream();
    const result = await stack.execute(MESSAGE_EXAMPLE);
    expect(result.errors).toBeUndefined();
    expect(result.data).toMatchObject({
      message: {
        status: 'DELIVERED',
        direction: 'OUTGOING',
        text: 'Your boarding pass',
        receivers: [{ identifierValue: '+31610000006', contact: { displayName: 'Finn Meijer' } }],
        content: { __typename: 'ImageContent', images: [{ altText: 'Boarding pass' }] },
        interactions: {
          edges: [
            { node: { type: 'REACTION', reaction: { emoji: '👍', action: 'react' } } },
            { node: { type: 'READ', reaction: null } },
          ],
        },
      },
    });
    // The message, then its interactions and the recipient's contact (those two in parallel, in either order).
    expect(stack.requests.upstream().map((entry) => entry.route).sort()).toEqual([
      'GET /workspaces/:ws/channels/:ch/messages/:msg',
      'GET /workspaces/:ws/channels/:ch/messages/:msg/interactions',
      'GET /workspaces/:ws/contacts/:contact',
    ]);
  });
});
