// The canonical operations, each three ways: the floor (the optimal direct REST calls with undici), our GraphQL
// server, and the peer (Hive Gateway over the emulator's OpenAPI document). Every variant fetches the same data.
import type { Pool } from 'undici';
import { SEED } from '../../src/emulator/seed.ts';

export const ACCESS_KEY = SEED.accessKeys.demo;
const WS = SEED.workspaces.main.id;
const SMS = SEED.channels.sms.id;
// Sends go to another workspace, so they never change the pages the read operations measure.
const SEND_WS = SEED.workspaces.second.id;
const SEND_CH = SEED.channels.secondSms.id;
const SEND_TO = SEED.secondContacts[0]!.phone;

export interface GraphQLRequest {
  query: string;
  variables: Record<string, unknown>;
}

export interface Operation {
  key: string;
  title: string;
  /** What the floor does, in words (the optimum). */
  optimum: string;
  /** The floor: the optimal direct calls; resolves to the number of upstream calls it made. */
  floor: (pool: Pool) => Promise<number>;
  ours: GraphQLRequest;
  peer: GraphQLRequest;
  /** Checks a GraphQL answer (ours or peer) holds the data; throws otherwise. */
  check: (target: 'ours' | 'peer', data: Record<string, any>) => void;
}

const auth = { authorization: `AccessKey ${ACCESS_KEY}` };

async function getJson(pool: Pool, path: string): Promise<any> {
  const res = await pool.request({ path, method: 'GET', headers: auth });
  const body = await res.body.json();
  if (res.statusCode !== 200) throw new Error(`GET ${path}: ${res.statusCode}`);
  return body;
}

async function postJson(pool: Pool, path: string, payload: unknown): Promise<any> {
  const res = await pool.request({
    path,
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  const body = await res.body.json();
  if (res.statusCode !== 202) throw new Error(`POST ${path}: ${res.statusCode}`);
  return body;
}

function expect(condition: unknown, what: string): void {
  if (!condition) throw new Error(`unexpected answer: ${what}`);
}

/** Filled in by `prepare` from the live emulator: a message to read by id. */
export const fixture = { messageId: '' };

export async function prepare(pool: Pool): Promise<void> {
  const page = await getJson(pool, `/workspaces/${WS}/channels/${SMS}/messages?limit=1`);
  fixture.messageId = page.results[0].id;
}

export function operations(): Operation[] {
  const messageId = fixture.messageId;
  return [
    {
      key: 'message',
      title: 'One message by id',
      optimum: '1 GET message',
      floor: async (pool) => {
        await getJson(pool, `/workspaces/${WS}/channels/${SMS}/messages/${messageId}`);
        return 1;
      },
      ours: {
        query: `query MessageById($ws: UUID!, $ch: UUID!, $id: UUID!) {
  message(workspaceId: $ws, channelId: $ch, messageId: $id) { messageId channelId status direction text createdAt updatedAt }
}`,
        variables: { ws: WS, ch: SMS, id: messageId },
      },
      peer: {
        query: `query MessageById($ws: UUID!, $ch: UUID!, $id: UUID!) {
  getMessage(workspaceId: $ws, channelId: $ch, messageId: $id) { ... on Message { id channelId status direction body createdAt updatedAt } }
}`,
        variables: { ws: WS, ch: SMS, id: messageId },
      },
      check: (target, data) => {
        const m = target === 'ours' ? data.message : data.getMessage;
        expect((m?.messageId ?? m?.id) === messageId, 'message id');
      },
    },
    {
      key: 'page50',
      title: 'Page of 50 messages + channel + sender contacts',
      optimum: '1 GET list ∥ 1 GET channels?channelIds, then 1 GET per distinct sender contact, in parallel',
      floor: async (pool) => {
        const [page] = await Promise.all([
          getJson(pool, `/workspaces/${WS}/channels/${SMS}/messages?limit=50`),
          getJson(pool, `/workspaces/${WS}/channels?channelIds=${SMS}&limit=1`),
        ]);
        const contactIds = new Set<string>();
        for (const m of page.results) if (m.sender?.contact?.id) contactIds.add(m.sender.contact.id);
        await Promise.all([...contactIds].map((id) => getJson(pool, `/workspaces/${WS}/contacts/${id}`)));
        return 2 + contactIds.size;
      },
      ours: {
        query: `query Page50($ws: UUID!, $ch: UUID!) {
  channel(workspaceId: $ws, channelId: $ch) {
    messages(first: 50) {
      edges {
        node {
          messageId text createdAt
          channel { channelId name platform }
          sender {
            __typename
            ... on ContactParticipant { contactId identifierValue contact { contactId displayName } }
            ... on ConnectorParticipant { connectorId identifierValue }
          }
        }
      }
    }
  }
}`,
        variables: { ws: WS, ch: SMS },
      },
      peer: {
        query: `query Page50($ws: UUID!, $ch: UUID!) {
  listChannelMessages(workspaceId: $ws, channelId: $ch, limit: 50) {
    ... on listChannelMessages_200_response {
      channel { ... on Channel { id name platformId } }
      results {
        id body createdAt
        sender {
          connector { id identifierValue }
          contact { id identifierValue contact { ... on Contact { id computedDisplayName } } }
        }
      }
    }
  }
}`,
        variables: { ws: WS, ch: SMS },
      },
      check: (target, data) => {
        if (target === 'ours') {
          const edges = data.channel?.messages?.edges ?? [];
          expect(edges.length === 50, '50 edges');
          expect(edges.every((e: any) => e.node.channel?.name), 'channel on every message');
          expect(
            edges.every((e: any) => e.node.sender.__typename !== 'ContactParticipant' || e.node.sender.contact?.displayName),
            'contact on every contact sender',
          );
        } else {
          const list = data.listChannelMessages;
          expect(list?.results?.length === 50 && list.channel?.name, '50 results and the channel');
          expect(list.results.every((m: any) => !m.sender.contact || m.sender.contact.contact?.computedDisplayName), 'contacts');
        }
      },
    },
    {
      key: 'channels',
      title: 'Channels of a workspace',
      optimum: '1 GET channels',
      floor: async (pool) => {
        await getJson(pool, `/workspaces/${WS}/channels?limit=20`);
        return 1;
      },
      ours: {
        query: `query WorkspaceChannels($ws: UUID!) {
  workspace(workspaceId: $ws) { channels(first: 20) { edges { node { channelId name platform status identifier } } } }
}`,
        variables: { ws: WS },
      },
      peer: {
        query: `query WorkspaceChannels($ws: UUID!) {
  listChannels(workspaceId: $ws, limit: 20) { ... on listChannels_200_response { results { id name platformId status identifier } } }
}`,
        variables: { ws: WS },
      },
      check: (target, data) => {
        const n = target === 'ours' ? data.workspace?.channels?.edges?.length : data.listChannels?.results?.length;
        expect(n === SEED.counts.mainChannels, `${SEED.counts.mainChannels} channels`);
      },
    },
    {
      key: 'filtered',
      title: 'Filtered workspace message list (20, incoming + delivered)',
      optimum: '1 GET messages?direction&status',
      floor: async (pool) => {
        await getJson(pool, `/workspaces/${WS}/messages?limit=20&direction=incoming&status=delivered`);
        return 1;
      },
      ours: {
        query: `query FilteredMessages($ws: UUID!) {
  workspace(workspaceId: $ws) {
    messages(first: 20, filter: { direction: INCOMING, status: [DELIVERED] }) {
      edges { node { messageId channelId status direction text createdAt } }
    }
  }
}`,
        variables: { ws: WS },
      },
      peer: {
        query: `query FilteredMessages($ws: UUID!) {
  listWorkspaceMessages(workspaceId: $ws, limit: 20, direction: incoming, status: ["delivered"]) {
    ... on listWorkspaceMessages_200_response { results { id channelId status direction body createdAt } }
  }
}`,
        variables: { ws: WS },
      },
      check: (target, data) => {
        const list = target === 'ours' ? data.workspace?.messages?.edges?.map((e: any) => e.node) : data.listWorkspaceMessages?.results;
        expect(list?.length === 20 && list.every((m: any) => /incoming/i.test(m.direction)), '20 incoming messages');
      },
    },
    {
      key: 'send',
      title: 'Send a text message (sendMessage)',
      optimum: '1 POST',
      floor: async (pool) => {
        await postJson(pool, `/workspaces/${SEND_WS}/channels/${SEND_CH}/messages`, {
          receiver: { contacts: [{ identifierValue: SEND_TO }] },
          body: { type: 'text', text: { text: 'Benchmark message' } },
          reference: 'bench',
        });
        return 1;
      },
      ours: {
        query: `mutation Send($input: SendMessageInput!) {
  sendMessage(input: $input) {
    __typename
    ... on SendMessagePayload { reference sentMessage { messageId status } }
    ... on MutationError { message }
  }
}`,
        variables: {
          input: {
            workspaceId: SEND_WS,
            channelId: SEND_CH,
            receivers: [{ identifierValue: SEND_TO }],
            content: { body: { text: { text: 'Benchmark message' } } },
            reference: 'bench',
          },
        },
      },
      peer: {
        query: `mutation Send($ws: UUID!, $ch: UUID!, $input: SendMessageRequest_Input) {
  sendMessage(workspaceId: $ws, channelId: $ch, input: $input) { ... on Message { id status reference } }
}`,
        variables: {
          ws: SEND_WS,
          ch: SEND_CH,
          input: { receiver: { contacts: [{ identifierValue: SEND_TO }] }, body: { type: 'text', text: { text: 'Benchmark message' } }, reference: 'bench' },
        },
      },
      check: (target, data) => {
        const status = target === 'ours' ? data.sendMessage?.sentMessage?.status : data.sendMessage?.status;
        expect(/accepted/i.test(status ?? ''), `accepted (got ${JSON.stringify(data)})`);
      },
    },
  ];
}

/** The ceiling's only operation. */
export const HELLO: GraphQLRequest = { query: '{ hello }', variables: {} };
/** The peer needs the workspace in a header to resolve a message's contact (see bench/peer.ts). */
export const PEER_HEADERS = { 'x-bird-workspace-id': WS };
