// Every operation of test/gql/*.graphql with variables against the seed, plus edge and error cases: the set on which
// compiled execution (src/jit.ts) must answer exactly as graphql-js (test/integration/jit.test.ts, bench/jit-check.ts).
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kind, parse } from 'graphql';
import { SEED } from '../../src/emulator/seed.ts';

export interface GqlCase {
  name: string;
  query: string;
  operationName?: string;
  variables: Record<string, unknown>;
  /** Sends or creates something: answers differ in fresh ids and times, which `normalizeAnswer` masks. */
  mutates?: boolean;
}

const WS = SEED.workspaces.main.id;
const SMS = SEED.channels.sms.id;
const IMAGE = SEED.messages.incomingImage;
const CONTACT = SEED.contacts[0]!;
const SEND_WS = SEED.workspaces.second.id;
const SEND_CH = SEED.channels.secondSms.id;
const SEND_TO = SEED.secondContacts[0]!.phone;
const globalId = (...parts: string[]) => Buffer.from(parts.join(':')).toString('base64url');

/** Operations not compared, and why. */
export const NOT_COMPARED: Record<string, string> = {
  UploadMedia: 'a multipart upload with a file (test/integration/media.test.ts runs it, compiled)',
  MessageUpdated: 'a subscription: never compiled (src/jit.ts); test/integration/live*.test.ts run it',
  MessageReceived: 'a subscription: never compiled (src/jit.ts)',
  InteractionAdded: 'a subscription: never compiled (src/jit.ts)',
};

/** Variables of each test/gql operation, by operation name. */
function variablesOf(name: string, messageId: string): Record<string, unknown> | undefined {
  const message = { workspaceId: WS, channelId: SMS, messageId };
  const table: Record<string, Record<string, unknown>> = {
    Typename: {},
    CreateMediaUpload: { input: { workspaceId: WS, channelId: SMS, contentType: 'image/png' } },
    MessageMedia: { workspaceId: WS, channelId: IMAGE.channelId, messageId: IMAGE.id },
    ChannelMessagesPage: { workspaceId: WS, channelId: SMS, first: 5, filter: { direction: 'OUTGOING' } },
    MessagesWithChannelAndSender: { workspaceId: WS, channelId: SMS, first: 20 },
    WorkspaceMessagesPage: { workspaceId: WS, first: 10, filter: { status: ['DELIVERED', 'SENT'] } },
    NodeById: { id: globalId('Message', WS, SMS, messageId) },
    NodesByIds: { ids: [globalId('Channel', WS, SMS), globalId('Workspace', SEED.organizationId, WS), globalId('Contact', WS, CONTACT.id)] },
    SameContactTwice: { workspaceId: WS, contactId: CONTACT.id },
    MessageDetail: message,
    WorkspaceChannels: { workspaceId: WS, first: 10 },
    ChannelsThenChannel: { workspaceId: WS, channelId: SMS },
    WorkspaceContacts: { workspaceId: WS, first: 5 },
    Workspaces: { first: 5 },
    ContactByIdentifier: { workspaceId: WS, identifierKey: 'phonenumber', identifierValue: CONTACT.phone },
    ChannelMessageIds: { workspaceId: WS, channelId: SMS, first: 10, filter: { direction: 'INCOMING' } },
    WorkspaceMessageIds: { workspaceId: WS, first: 10 },
    SendMessage: {
      input: { workspaceId: SEND_WS, channelId: SEND_CH, receivers: [{ identifierValue: SEND_TO }], content: { body: { text: { text: 'jit check' } } } },
    },
    SentMessage: message,
    ChannelNameAndMessages: { workspaceId: WS, channelId: SMS, first: 3, filter: { direction: 'OUTGOING' } },
    ChannelIdsOnly: { workspaceId: WS, channelId: SMS },
    WorkspaceListsOnly: { workspaceId: WS },
    WorkspaceMessagesBothWays: { workspaceId: WS, last: 4 },
    ContactsBothWays: { workspaceId: WS, first: 2 },
    ChannelsMessagesNested: { workspaceId: WS, first: 3 },
    ChannelsFiltered: { workspaceId: WS, filter: { platforms: ['SMS'] } },
    SendMessages: {
      input: {
        workspaceId: SEND_WS,
        channelId: SEND_CH,
        messages: [1, 2].map((n) => ({ receivers: [{ identifierValue: SEND_TO }], content: { body: { text: { text: `jit check ${n}` } } } })),
      },
    },
    BatchMessages: { workspaceId: SEND_WS, channelId: SEND_CH, batchId: '00000000-0000-4000-8000-000000000000', first: 5 },
    SendSms: {
      input: { workspaceId: SEND_WS, channelId: SEND_CH, receivers: [{ identifierValue: SEND_TO }], content: { body: { text: { text: 'jit check (live)' } } } },
    },
  };
  return table[name];
}

const GQL_DIR = dirname(fileURLToPath(import.meta.url));

/** The operations of test/gql/*.graphql (each document holds its fragments), with variables. */
export function fileCases(messageId: string): GqlCase[] {
  const cases: GqlCase[] = [];
  for (const file of readdirSync(GQL_DIR).filter((f) => f.endsWith('.graphql')).sort()) {
    const query = readFileSync(join(GQL_DIR, file), 'utf8');
    for (const definition of parse(query).definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION || !definition.name) continue;
      const name = definition.name.value;
      if (name in NOT_COMPARED) continue;
      const variables = variablesOf(name, messageId);
      if (!variables) throw new Error(`test/gql/cases.ts has no variables for ${file}:${name}: add them, so compiled execution is compared on it`);
      cases.push({ name: `${file}:${name}`, query, operationName: name, variables, mutates: definition.operation === 'mutation' });
    }
  }
  return cases;
}

const MESSAGE = `query Message($ws: UUID!, $ch: UUID!, $id: UUID!) { message(workspaceId: $ws, channelId: $ch, messageId: $id) { messageId status direction } }`;
const SEND = `mutation Send($input: SendMessageInput!) { sendMessage(input: $input) { __typename ... on SendMessagePayload { sentMessage { status } } ... on MutationError { message } } }`;
const ENTITIES = `query Entities($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Channel { channelId name } ... on Workspace { workspaceId name } ... on Message { messageId status } } }`;
const sendInput = (content: unknown) => ({ input: { workspaceId: SEND_WS, channelId: SEND_CH, receivers: [{ identifierValue: SEND_TO }], content } });

/** Where compiled execution differed before (variables, @oneOf, `_entities`, errors) and the language features it compiles. */
export function edgeCases(messageId: string): GqlCase[] {
  return [
    { name: 'bad UUID variable', query: MESSAGE, variables: { ws: '../x', ch: SMS, id: messageId } },
    { name: 'missing required variable', query: MESSAGE, variables: { ws: WS, ch: SMS } },
    { name: 'null for a non-null variable', query: MESSAGE, variables: { ws: WS, ch: null, id: messageId } },
    { name: 'a message that does not exist', query: MESSAGE, variables: { ws: WS, ch: SMS, id: '00000000-0000-4000-8000-000000000000' } },
    { name: 'an unknown workspace', query: `query($ws: UUID!) { workspace(workspaceId: $ws) { name channels(first: 2) { edges { node { name } } } } }`, variables: { ws: '00000000-0000-4000-8000-000000000000' } },
    { name: 'Int given as a string', query: `query($ws: UUID!, $n: Int) { workspace(workspaceId: $ws) { channels(first: $n) { edges { node { name } } } } }`, variables: { ws: WS, n: 'ten' } },
    { name: 'a negative page size', query: `query($ws: UUID!, $n: Int) { workspace(workspaceId: $ws) { channels(first: $n) { edges { node { name } } } } }`, variables: { ws: WS, n: -1 } },
    { name: 'a variable default', query: `query($ws: UUID!, $n: Int = 3) { workspace(workspaceId: $ws) { channels(first: $n) { edges { node { name } } } } }`, variables: { ws: WS } },
    { name: 'an enum and a list coerced from one value', query: `query($ws: UUID!, $d: MessageDirection, $s: [MessageStatus!]) { workspace(workspaceId: $ws) { messages(first: 5, filter: { direction: $d, status: $s }) { edges { node { messageId status } } } } }`, variables: { ws: WS, d: 'INCOMING', s: 'DELIVERED' } },
    { name: 'an unknown enum value', query: `query($ws: UUID!, $d: MessageDirection) { workspace(workspaceId: $ws) { messages(first: 5, filter: { direction: $d }) { edges { node { messageId } } } } }`, variables: { ws: WS, d: 'SIDEWAYS' } },
    { name: 'an unknown input field', query: `query($ws: UUID!, $f: MessageFilter) { workspace(workspaceId: $ws) { messages(first: 5, filter: $f) { edges { node { messageId } } } } }`, variables: { ws: WS, f: { colour: 'red' } } },
    { name: '@skip and @include on variables', query: `query($ws: UUID!, $yes: Boolean!, $no: Boolean = false) { workspace(workspaceId: $ws) { name @include(if: $yes) workspaceId @skip(if: $no) status @skip(if: $yes) } }`, variables: { ws: WS, yes: true } },
    { name: 'aliases, fragments and __typename', query: `query($ws: UUID!) { a: workspace(workspaceId: $ws) { ...W } b: workspace(workspaceId: $ws) { __typename ...W } } fragment W on Workspace { workspaceId name }`, variables: { ws: WS } },
    { name: 'fragments before, between and inside fields', query: `query($ws: UUID!) { workspace(workspaceId: $ws) { ...N channels(first: 2) { edges { node { ... on Channel { platform } name ...C } } } workspaceId } } fragment N on Workspace { name ... on Workspace { status } } fragment C on Channel { channelId ...S } fragment S on Channel { status }`, variables: { ws: WS } },
    { name: '@include on a fragment', query: `query($ws: UUID!, $yes: Boolean!) { workspace(workspaceId: $ws) { ...W @include(if: $yes) ...V } } fragment W on Workspace { name } fragment V on Workspace { ...W workspaceId }`, variables: { ws: WS, yes: false } },
    { name: 'a global id that is not one', query: `query($id: ID!) { node(id: $id) { id } }`, variables: { id: 'not an id' } },
    { name: '@oneOf content with two keys', query: SEND, variables: sendInput({ body: { text: { text: 'a' } }, template: { name: 'x' } }), mutates: true },
    { name: '@oneOf content with no key', query: SEND, variables: sendInput({}), mutates: true },
    { name: '@oneOf body with a null member', query: SEND, variables: sendInput({ body: { text: null } }), mutates: true },
    { name: 'a send the platform refuses (HTML on SMS)', query: SEND, variables: sendInput({ body: { html: { html: '<b>a</b>' } } }), mutates: true },
    { name: 'a send', query: SEND, variables: sendInput({ body: { text: { text: 'jit edge' } } }), mutates: true },
    {
      name: '_entities with malformed representations',
      query: ENTITIES,
      variables: {
        r: [
          { __typename: 'Channel', workspaceId: WS, channelId: '../x' },
          { __typename: 'Channel', workspaceId: WS, channelId: SMS },
          { __typename: 'Message', workspaceId: WS, channelId: SMS, messageId: 'a/b?c=d' },
          { __typename: 'Workspace', workspaceId: 42 },
          { __typename: 'Workspace', workspaceId: WS },
        ],
      },
    },
    { name: '_entities as a literal with a variable inside', query: `query($ch: String!) { _entities(representations: [{ __typename: "Channel", workspaceId: "${WS}", channelId: $ch }]) { ... on Channel { name } } }`, variables: { ch: SMS } },
    { name: 'a non-null field under a failing list item', query: `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Channel { name platform } } }`, variables: { ids: [globalId('Channel', WS, SMS), globalId('Channel', WS, '00000000-0000-4000-8000-000000000000')] } },
  ];
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const INSTANT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z|\b\d{8}(?:T\d{6}Z)?\b/g;
const SIGNED_LINK = /\/media\/m1\.[A-Za-z0-9_.-]+/g;
/** Fresh signatures and upload policies (base64 or hex, 40+ characters). */
const OPAQUE = /[A-Za-z0-9+/=]{40,}/g;

/** The answer as sent (key order included), signed media links masked (each is freshly encrypted), and for mutations fresh ids, instants and signatures. */
export function normalizeAnswer(body: string, mutates = false): string {
  const text = body.replace(SIGNED_LINK, '/media/<signed>');
  return mutates ? text.replace(UUID, '<uuid>').replace(INSTANT, '<instant>').replace(OPAQUE, '<opaque>') : text;
}
