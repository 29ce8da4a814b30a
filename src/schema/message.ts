// Message: a loadable node, its participants and enums, the shared MessageFilter, and Channel.messages / Workspace.messages.
import { builder } from '../builder.ts';
import {
  MESSAGE_STATUSES,
  type ContactRef,
  type MessageReceiver,
  type MessageSender,
  type MessageListFilter,
  type MessageStatus as WireMessageStatus,
  type Message as WireMessage,
} from '../bird/types.ts';
import type { Context } from '../context.ts';
import { badUserInput } from '../errors.ts';
import { type ChannelModel, type MessageModel, keys, loadMessages } from '../loaders.ts';
import { validatesConnection } from './arguments.ts';
import { Channel, Platform } from './channel.ts';
import { Contact } from './contact.ts';
import { MessageContent, contentOf, contentText } from './content.ts';
import { representationKey } from './federation.ts';
import { MAX_CHANNEL_WINDOW_MS, messageGuard, upstreamFilter } from './filter-guard.ts';
import { normalizeUuid, parseNodeKey } from './ids.ts';
import { lazyConnection } from './lazy-parent.ts';
import { type ConnectionArgs, prepareConnection } from './pagination.ts';
import { Workspace } from './workspace.ts';

/**
 * Bird's message lists take up to 1,000 a page: a published integration pages the live list with `limit=1000`
 * (bird-api.md §5, CODE:C1) although the generic docs say 100 (§1.4); the evidence is weighed in src/emulator/pages.ts.
 */
export const MESSAGE_LIST_MAX_LIMIT = 1000;

const STATUS_DESCRIPTIONS: Record<WireMessageStatus, string> = {
  accepted: 'Accepted by Bird for processing.',
  rejected: 'Refused by Bird, e.g. an invalid message inside a batch.',
  processing: 'Being processed by Bird.',
  scheduled: 'Waiting for its `scheduledFor` time.',
  sent: 'Handed to the platform (the carrier, WhatsApp, the email provider, …).',
  sending_failed: 'Could not be handed to the platform; see `failure` and `reason`.',
  delivered: 'Delivered to the recipient, or, for an incoming message, delivered to Bird.',
  delivery_failed: 'Handed to the platform but not delivered; see `failure` and `details`.',
  deleted: 'Deleted.',
  skipped: 'Skipped (for example by quiet hours or frequency capping).',
};

export const MessageStatus = builder.enumType('MessageStatus', {
  description: "Where a message is in Bird's delivery lifecycle.",
  values: Object.fromEntries(
    MESSAGE_STATUSES.map((status) => [status.toUpperCase(), { value: status, description: STATUS_DESCRIPTIONS[status] }]),
  ) as Record<string, { value: WireMessageStatus; description: string }>,
});

export const MessageDirection = builder.enumType('MessageDirection', {
  description: 'Whether a message was sent by the workspace or received by it.',
  values: {
    INCOMING: { value: 'incoming', description: 'Received from a contact.' },
    OUTGOING: { value: 'outgoing', description: 'Sent by the workspace.' },
  },
});

export const RecipientType = builder.enumType('RecipientType', {
  description: 'How an email receiver is addressed.',
  values: {
    TO: { value: 'to', description: 'A primary receiver.' },
    CC: { value: 'cc', description: 'A carbon-copy receiver.' },
    BCC: { value: 'bcc', description: 'A blind carbon-copy receiver.' },
  },
});

/** A connector (the channel's side) taking part in a message. */
type ConnectorParticipantShape = { kind: 'connector'; workspaceId: string } & {
  connector: { id: string; identifierValue?: string; annotations?: { name?: string }; types?: string[] };
};
/** A contact taking part in a message, as the message names it. */
type ContactParticipantShape = { kind: 'contact'; workspaceId: string; contact: ContactRef };
type ParticipantShape = ConnectorParticipantShape | ContactParticipantShape;

const ConnectorParticipant = builder.objectRef<ConnectorParticipantShape>('ConnectorParticipant').implement({
  description: "The workspace's own side of a message: the connector behind a channel.",
  fields: (t) => ({
    connectorId: t.id({ nullable: false, description: 'The Bird connector UUID.', resolve: (p) => p.connector.id }),
    identifierValue: t.string({
      description: "The connector's address (the channel's phone number, email address, …).",
      resolve: (p) => p.connector.identifierValue ?? null,
    }),
    name: t.string({ description: 'A display name given to the sender.', resolve: (p) => p.connector.annotations?.name ?? null }),
  }),
});

const ContactParticipant = builder.objectRef<ContactParticipantShape>('ContactParticipant').implement({
  description: 'A contact taking part in a message, with the identifier the message used.',
  fields: (t) => ({
    contactId: t.id({ description: 'The Bird contact UUID, when Bird resolved one.', resolve: (p) => p.contact.id ?? null }),
    identifierKey: t.string({
      description: 'The identifier kind used, e.g. `phonenumber` or `emailaddress`.',
      resolve: (p) => p.contact.identifierKey ?? null,
    }),
    identifierValue: t.string({
      description: 'The identifier value used, e.g. `+31612345678`.',
      resolve: (p) => p.contact.identifierValue ?? null,
    }),
    type: t.field({
      type: RecipientType,
      description: 'For email receivers: to, cc or bcc.',
      resolve: (p) => p.contact.type ?? null,
    }),
    countryCode: t.string({ description: 'The country of a phone number.', resolve: (p) => p.contact.countryCode ?? null }),
    platformAddress: t.string({
      description: 'The address actually used on the platform.',
      resolve: (p) => p.contact.platformAddress ?? null,
    }),
    name: t.string({ description: 'A display name given in the message.', resolve: (p) => p.contact.annotations?.name ?? null }),
    contact: t.field({
      type: Contact,
      description: 'The full contact; null when the message names none or it no longer exists.',
      resolve: (p) => (p.contact.id ? keys.contact(p.workspaceId, normalizeUuid(p.contact.id)) : null),
    }),
  }),
});

export const MessageParticipant = builder.unionType('MessageParticipant', {
  description: 'A sender or receiver of a message: the workspace connector, or a contact.',
  types: [ConnectorParticipant, ContactParticipant],
  resolveType: (participant) => (participant.kind === 'connector' ? ConnectorParticipant : ContactParticipant),
});

const MessageFailure = builder.objectRef<NonNullable<WireMessage['failure']>>('MessageFailure').implement({
  description: 'Why a message failed, as Bird reports it.',
  fields: (t) => ({
    code: t.exposeInt('code', { nullable: false, description: "Bird's failure code." }),
    description: t.exposeString('description', { nullable: false, description: 'What went wrong.' }),
    sourceCode: t.string({ description: 'The code given by the step that failed.', resolve: (f) => f.source?.code ?? null }),
    sourceName: t.string({
      description: 'The step that failed, e.g. `pre-processing`, `whatsapp` or `email-sparkpost`.',
      resolve: (f) => f.source?.name ?? null,
    }),
  }),
});

const MessageOrigin = builder.objectRef<{ type: string; id: string }>('MessageOrigin').implement({
  description: 'What produced a message (a flow, a campaign, an API call, …).',
  fields: (t) => ({
    type: t.exposeString('type', { nullable: false, description: 'The kind of producer.' }),
    id: t.exposeString('id', { nullable: false, description: 'The producer id.' }),
  }),
});

const MessageReplyTo = builder.objectRef<NonNullable<WireMessage['replyTo']>>('MessageReplyTo').implement({
  description: 'What a message replies to.',
  fields: (t) => ({
    id: t.exposeString('id', { nullable: false, description: 'The id of the message, click or referral replied to.' }),
    type: t.exposeString('type', { nullable: false, description: '`message`, `click` or `referrals`.' }),
    order: t.exposeInt('order', { description: 'The position within the replied-to item.' }),
  }),
});

/** Bird's sender is a connector or a contact; its receiver is a connector or a list of contacts. */
export function participantsOf(party: MessageSender | MessageReceiver | undefined, workspaceId: string): ParticipantShape[] {
  if (!party) return [];
  if ('connector' in party) return [{ kind: 'connector', workspaceId, connector: party.connector }];
  if ('contact' in party) return [{ kind: 'contact', workspaceId, contact: party.contact }];
  return (party.contacts ?? []).map((contact) => ({ kind: 'contact', workspaceId, contact }));
}

export const Message = builder.loadableNode('Message', {
  description: 'A message sent or received on a channel, with its content, participants and delivery status.',
  id: {
    resolve: (message) => keys.message(message.workspaceId, message.channelId, message.id),
    parse: (key) => parseNodeKey(key, 3),
  },
  load: (messageKeys: string[], ctx) => loadMessages(ctx, messageKeys),
  toKey: (message: MessageModel) => keys.message(message.workspaceId, message.channelId, message.id),
  // Messages read from a list are cached, so a later lookup by id in the same request costs no call.
  cacheResolved: true,
  fields: (t) => ({
    workspaceId: t.exposeID('workspaceId', { nullable: false, description: 'The Bird workspace UUID.' }),
    channelId: t.exposeID('channelId', { nullable: false, description: 'The Bird channel UUID.' }),
    messageId: t.exposeID('id', { nullable: false, description: 'The Bird message UUID.' }),
    status: t.expose('status', {
      type: MessageStatus,
      nullable: false,
      description: 'The delivery status.',
    }),
    direction: t.expose('direction', {
      type: MessageDirection,
      description: 'Whether the workspace sent or received it.',
    }),
    content: t.field({
      type: MessageContent,
      description: 'What the message says: one of the body kinds, or the template it was sent with.',
      resolve: (message) => contentOf(message),
    }),
    text: t.string({
      description: 'A plain-text rendering of the content for previews (the text, caption or list text), when it has one.',
      resolve: (message) => {
        const content = contentOf(message);
        return content ? contentText(content) : null;
      },
    }),
    subject: t.string({
      description: 'The email subject, from the message meta or the body metadata.',
      resolve: (message) => {
        const body = message.body as { type: string; [kind: string]: unknown } | undefined;
        const bodyMeta = body ? (body[body.type] as { metadata?: { subject?: string } } | undefined)?.metadata : undefined;
        return message.meta?.email?.subject ?? bodyMeta?.subject ?? null;
      },
    }),
    sender: t.field({
      type: MessageParticipant,
      description:
        'Who sent it: the connector for outgoing messages, the contact for incoming ones. Bird always names a sender; null only for a sender form this schema does not know yet (a new form must not fail a whole page).',
      resolve: (message) => participantsOf(message.sender, message.workspaceId)[0] ?? null,
    }),
    receivers: t.field({
      type: [MessageParticipant],
      nullable: false,
      description: 'Who it was sent to: the contacts (with to/cc/bcc on email) for outgoing messages, the connector for incoming ones.',
      resolve: (message) => participantsOf(message.receiver, message.workspaceId),
    }),
    reference: t.exposeString('reference', { description: 'The correlation reference given when sending.' }),
    tags: t.exposeStringList('tags', { description: 'Tags given when sending (lower-cased by Bird).' }),
    reason: t.exposeString('reason', { description: 'Why the message failed, in words, when it did.' }),
    details: t.exposeString('details', { description: 'Extra status information, e.g. `bounceHard` for email.' }),
    failure: t.expose('failure', {
      type: MessageFailure,
      description: 'Structured failure information, when the message failed.',
    }),
    origin: t.expose('origin', { type: MessageOrigin, description: 'What produced the message.' }),
    replyTo: t.expose('replyTo', { type: MessageReplyTo, description: 'What the message replies to.' }),
    platformReferences: t.stringList({
      description: "The platform's own ids of the message parts (e.g. WhatsApp `wamid…`).",
      resolve: (message) => message.parts?.map((part) => part.platformReference) ?? null,
    }),
    shortLinksDomain: t.string({
      description: 'The domain links were shortened with, if link shortening was on.',
      resolve: (message) => message.shortLinks?.domain ?? null,
    }),
    batchId: t.exposeID('batchId', { description: 'The batch the message was sent in, if any.' }),
    meta: t.field({
      type: 'JSONObject',
      description: 'Everything else Bird attached to the message (email headers, referral, order, flow, campaign, …), as sent.',
      resolve: (message) => (message.meta as Record<string, unknown> | undefined) ?? null,
    }),
    scheduledFor: t.expose('scheduledFor', {
      type: 'DateTime',
      description: 'When a scheduled message is due to go out.',
    }),
    lastStatusAt: t.expose('lastStatusAt', {
      type: 'DateTime',
      nullable: false,
      description: 'When the status last changed.',
    }),
    createdAt: t.expose('createdAt', {
      type: 'DateTime',
      nullable: false,
      description: 'When Bird created the message.',
    }),
    updatedAt: t.expose('updatedAt', {
      type: 'DateTime',
      nullable: false,
      description: 'When the message last changed.',
    }),
    channel: t.field({
      type: Channel,
      description: 'The channel the message went through.',
      resolve: (message) => keys.channel(message.workspaceId, normalizeUuid(message.channelId)),
    }),
  }),
});

export const MessageFilter = builder.inputType('MessageFilter', {
  description:
    'Narrows a message list. The same filter serves `Channel.messages` and `Workspace.messages`; `channelId` is for the workspace list and `batchId` for the channel list.',
  fields: (t) => ({
    platform: t.field({ type: Platform, description: "Only messages on this platform's channels." }),
    direction: t.field({ type: MessageDirection, description: 'Only incoming or only outgoing messages.' }),
    status: t.field({ type: [MessageStatus], description: 'Only messages in one of these statuses.' }),
    startAt: t.field({
      type: 'DateTime',
      description: 'Only messages created at or after this instant. On a channel, `startAt`..`endAt` may span at most 7 days.',
    }),
    endAt: t.field({ type: 'DateTime', description: 'Only messages created at or before this instant.' }),
    senderIdentifier: t.string({ description: "Only messages from this sender identifier (phone number, email address, …)." }),
    recipientIdentifier: t.string({ description: 'Only messages to this receiver identifier.' }),
    tag: t.string({ description: 'Only messages carrying this tag.' }),
    subject: t.string({ description: 'Only emails whose subject contains this text.' }),
    batchId: t.field({ type: 'UUID', description: 'Only messages of this batch send (channel list only).' }),
    channelId: t.field({ type: 'UUID', description: 'Only messages of this channel (workspace list only).' }),
  }),
});

type MessageFilterInput = typeof MessageFilter.$inferInput;

const MAX_FILTER_TEXT = 500;

/** Turns the GraphQL filter into the client's filter, refusing what Bird would refuse before calling it. */
export function toListFilter(filter: MessageFilterInput | null | undefined, list: 'channel' | 'workspace'): MessageListFilter {
  if (!filter) return {};
  const result: MessageListFilter = {};
  if (filter.platform) result.platform = filter.platform;
  if (filter.direction) result.direction = filter.direction;
  if (filter.status && filter.status.length > 0) result.status = [...new Set(filter.status)];
  for (const name of ['senderIdentifier', 'recipientIdentifier', 'tag', 'subject'] as const) {
    const value = filter[name];
    if (value === null || value === undefined) continue;
    if (value.length === 0 || value.length > MAX_FILTER_TEXT) {
      throw badUserInput(`\`filter.${name}\` must be 1 to ${MAX_FILTER_TEXT} characters.`, { argument: `filter.${name}` });
    }
    result[name] = value;
  }
  const start = filter.startAt ?? null;
  const end = filter.endAt ?? null;
  if (start) result.startAt = start.toISOString();
  if (end) result.endAt = end.toISOString();
  if (start && end && start.getTime() > end.getTime()) {
    throw badUserInput('`filter.startAt` must not be after `filter.endAt`.', { argument: 'filter.startAt' });
  }
  if (list === 'channel' && start && end && end.getTime() - start.getTime() > MAX_CHANNEL_WINDOW_MS) {
    throw badUserInput('On a channel, `filter.startAt`..`filter.endAt` may span at most 7 days.', {
      argument: 'filter.endAt',
    });
  }
  if (filter.batchId) {
    if (list !== 'channel') {
      throw badUserInput('`filter.batchId` filters a channel\'s messages; use `Channel.messages`.', { argument: 'filter.batchId' });
    }
    result.batchId = normalizeUuid(filter.batchId);
  }
  if (filter.channelId) {
    if (list !== 'workspace') {
      throw badUserInput('`filter.channelId` filters a workspace\'s messages; a channel list is already one channel.', {
        argument: 'filter.channelId',
      });
    }
    result.channelId = normalizeUuid(filter.channelId);
  }
  return result;
}

type MessagesArgs = ConnectionArgs & { filter?: MessageFilterInput | null };

/** The platforms of channels, through the Channel loader (one batched call; free when the page loads them anyway). */
function channelPlatforms(ctx: Context, workspaceId: string) {
  return async (channelIds: readonly string[]) => {
    const loaded = await Channel.getDataloader(ctx).loadMany(channelIds.map((id) => keys.channel(workspaceId, normalizeUuid(id))));
    const platforms = new Map<string, string>();
    loaded.forEach((channel, index) => {
      if (channel && !(channel instanceof Error)) platforms.set(channelIds[index] as string, (channel as ChannelModel).platformId);
    });
    return platforms;
  };
}

/** Plans a message list (a channel's or a workspace's), checked by the filter guard. */
function prepareMessages(ctx: Context, args: MessagesArgs, target: { workspaceId: string; channelId?: string }) {
  const list = target.channelId ? 'channel' : 'workspace';
  const filter = toListFilter(args.filter, list);
  const { workspaceId, channelId } = target;
  const guard = messageGuard(filter, { list, report: ctx.onFilterMismatch, platforms: channelPlatforms(ctx, workspaceId) });
  return prepareConnection<MessageModel>(args, {
    scope: `${list === 'channel' ? 'Channel' : 'Workspace'}.messages|${workspaceId}|${channelId ?? ''}|${JSON.stringify(filter)}`,
    maxLimit: MESSAGE_LIST_MAX_LIMIT,
    windowed: true,
    keyOf: (message: MessageModel) => [message.createdAt, message.id],
    check: guard.check,
    fetch: async (request) => {
      const page = { limit: request.limit, pageToken: request.pageToken, reverse: request.reverse, filter: upstreamFilter(filter, request.bound, list) };
      const result = channelId
        ? await ctx.bird.listChannelMessages({ workspaceId, channelId, ...page })
        : await ctx.bird.listWorkspaceMessages({ workspaceId, ...page });
      const results = result.results.map((message): MessageModel => ({ ...message, workspaceId }));
      await guard.prepare(results);
      return { ...result, results };
    },
  });
}

const MessageConnection = builder.connectionObject(
  { type: Message, name: 'MessageConnection', description: 'A page of messages.' },
  { name: 'MessageEdge', description: 'A message and its cursor.' },
);

const channelMessages = lazyConnection('Channel', 'messages', (channel: { workspaceId: string; id: string }, args: MessagesArgs, ctx: Context) =>
  prepareMessages(ctx, args, { workspaceId: channel.workspaceId, channelId: channel.id }),
);

const workspaceMessages = lazyConnection('Workspace', 'messages', (workspace: { id: string }, args: MessagesArgs, ctx: Context) =>
  prepareMessages(ctx, args, { workspaceId: workspace.id }),
);

builder.objectField(Channel, 'messages', (t) =>
  t.connection(
    {
      type: Message,
      description: "The channel's messages, newest first (`last` walks from the oldest).",
      args: { filter: t.arg({ type: MessageFilter, description: 'Narrows the list.' }) },
      extensions: validatesConnection((args) => toListFilter(args.filter as MessageFilterInput | null | undefined, 'channel')),
      resolve: (channel, args, ctx, info) => channelMessages(channel, args, ctx, info),
    },
    MessageConnection,
  ),
);

builder.objectField(Workspace, 'messages', (t) =>
  t.connection(
    {
      type: Message,
      description: "Messages across all of the workspace's channels, newest first.",
      args: { filter: t.arg({ type: MessageFilter, description: 'Narrows the list.' }) },
      extensions: validatesConnection((args) => toListFilter(args.filter as MessageFilterInput | null | undefined, 'workspace')),
      resolve: (workspace, args, ctx, info) => workspaceMessages(workspace, args, ctx, info),
    },
    MessageConnection,
  ),
);

builder.queryFields((t) => ({
  message: t.field({
    type: Message,
    description: 'A message by its Bird UUIDs; null when it does not exist.',
    args: {
      workspaceId: t.arg({ type: 'UUID', required: true, description: 'The Bird workspace UUID.' }),
      channelId: t.arg({ type: 'UUID', required: true, description: 'The Bird channel UUID.' }),
      messageId: t.arg({ type: 'UUID', required: true, description: 'The Bird message UUID.' }),
    },
    resolve: (_root, args) =>
      keys.message(normalizeUuid(args.workspaceId), normalizeUuid(args.channelId), normalizeUuid(args.messageId)),
  }),
}));

// Federation entity keyed by Bird's natural keys: every path parameter of a message, so one representation is at
// most one GET. Through the message loader: duplicates cost nothing, distinct ones fan out with bounded concurrency.
builder.asEntity(Message, {
  key: builder.selection<{ workspaceId: string; channelId: string; messageId: string }>('workspaceId channelId messageId'),
  resolveReference: async (representation, ctx) => {
    const [workspaceId, channelId, messageId] = representationKey('Message', representation, [
      'workspaceId',
      'channelId',
      'messageId',
    ]);
    return Message.getDataloader(ctx).load(keys.message(workspaceId, channelId, messageId));
  },
});
