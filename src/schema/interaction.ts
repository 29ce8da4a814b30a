// Interaction: what recipients did with a message (opened, clicked, read, reacted, …) and Message.interactions.
import { builder } from '../builder.ts';
import { INTERACTION_TYPES, type InteractionType as WireInteractionType } from '../bird/types.ts';
import { type InteractionModel, keys, loadInteractions } from '../loaders.ts';
import { normalizeUuid, parseNodeKey } from './ids.ts';
import { validatesConnection } from './arguments.ts';
import { Message, MessageParticipant, participantsOf } from './message.ts';
import { resolveConnection } from './pagination.ts';

const TYPE_DESCRIPTIONS: Record<WireInteractionType, string> = {
  clicked: 'A link or button in the message was clicked.',
  'delete-request': 'The recipient asked for the message to be deleted.',
  invalid: 'The interaction could not be classified.',
  opened: 'The message was opened (email open tracking).',
  read: 'The message was read (read receipts).',
  'reported-as-spam': 'The recipient reported the message as spam.',
  'unsubscribe-request': 'The recipient asked to unsubscribe.',
  reaction: 'The recipient reacted to the message (e.g. an emoji).',
  conversion: 'A conversion was attributed to the message.',
  'subscribe-request': 'The recipient asked to subscribe.',
  'subscribe-consent': 'The recipient gave consent to a subscription.',
};

export const InteractionType = builder.enumType('InteractionType', {
  description: 'What a recipient did with a message.',
  values: Object.fromEntries(
    INTERACTION_TYPES.map((type) => [
      type.toUpperCase().replaceAll('-', '_'),
      { value: type, description: TYPE_DESCRIPTIONS[type] },
    ]),
  ) as Record<string, { value: WireInteractionType; description: string }>,
});

const InteractionLink = builder.objectRef<{ name?: string; url?: string }>('InteractionLink').implement({
  description: 'The link a click interaction was on.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The link name, when tracked links are named.' }),
    url: t.exposeString('url', { description: 'The link target.' }),
  }),
});

const InteractionReaction = builder.objectRef<{ emoji?: string; action?: string }>('InteractionReaction').implement({
  description: 'A reaction to a message.',
  fields: (t) => ({
    emoji: t.exposeString('emoji', { description: 'The emoji.' }),
    action: t.exposeString('action', { description: 'Whether it was added or removed (`react`, `unreact`, …).' }),
  }),
});

export const Interaction = builder.loadableNode('Interaction', {
  description: 'Something a recipient did with a message: opened, clicked, read, reacted, unsubscribed, …',
  id: {
    resolve: (interaction) =>
      keys.interaction(interaction.workspaceId, interaction.channelId, interaction.messageId, interaction.id),
    parse: (key) => parseNodeKey(key, 4),
  },
  load: (interactionKeys: string[], ctx) => loadInteractions(ctx, interactionKeys),
  toKey: (interaction: InteractionModel) =>
    keys.interaction(interaction.workspaceId, interaction.channelId, interaction.messageId, interaction.id),
  cacheResolved: true,
  fields: (t) => ({
    interactionId: t.exposeID('id', { nullable: false, description: 'The Bird interaction UUID.' }),
    workspaceId: t.exposeID('workspaceId', { nullable: false, description: 'The Bird workspace UUID.' }),
    channelId: t.exposeID('channelId', { nullable: false, description: 'The Bird channel UUID.' }),
    messageId: t.exposeID('messageId', { nullable: false, description: 'The Bird message UUID.' }),
    type: t.expose('type', {
      type: InteractionType,
      nullable: false,
      description: 'What happened.',
    }),
    details: t.exposeString('details', {
      description: 'The sub-kind, e.g. `initial_open`, `amp_click`, `spam_complaint` or `list_unsubscribe`.',
    }),
    platformId: t.exposeString('platformId', { nullable: false, description: 'The platform it happened on.' }),
    messageReference: t.exposeString('messageReference', { description: "The message's correlation reference." }),
    messagePartsCount: t.exposeInt('messagePartsCount', { description: 'How many parts the message had.' }),
    messageTags: t.exposeStringList('messageTags', { description: "The message's tags." }),
    messagePartId: t.exposeID('messagePartId', {
      description: 'The message part interacted with (deprecated by Bird; kept for old data).',
    }),
    contextId: t.string({
      description: 'The id of the context the interaction happened in (e.g. a campaign or flow run).',
      resolve: (interaction) => interaction.context?.id ?? null,
    }),
    contextType: t.string({
      description: 'The kind of context the interaction happened in.',
      resolve: (interaction) => interaction.context?.type ?? null,
    }),
    contextTags: t.stringList({
      description: 'Tags of the context the interaction happened in.',
      resolve: (interaction) => interaction.context?.tags ?? null,
    }),
    receivers: t.field({
      type: [MessageParticipant],
      description: 'Who interacted: the receivers Bird names on the interaction (contacts, or the connector).',
      resolve: (interaction) => (interaction.receiver ? participantsOf(interaction.receiver, interaction.workspaceId) : null),
    }),
    link: t.field({
      type: InteractionLink,
      description: 'For clicks: the link clicked.',
      resolve: (interaction) => interaction.metadata?.link ?? null,
    }),
    buttonPayload: t.string({
      description: 'For button clicks: the payload of the button.',
      resolve: (interaction) => interaction.metadata?.button?.payload ?? null,
    }),
    reaction: t.field({
      type: InteractionReaction,
      description: 'For reactions: the emoji and whether it was added or removed.',
      resolve: (interaction) => interaction.metadata?.reaction ?? null,
    }),
    metadata: t.field({
      type: 'JSONObject',
      description: 'Everything Bird recorded about the interaction (free-form), including what the typed fields show.',
      resolve: (interaction) => (interaction.metadata as Record<string, unknown> | undefined) ?? null,
    }),
    createdAt: t.expose('createdAt', {
      type: 'DateTime',
      nullable: false,
      description: 'When it happened.',
    }),
    message: t.field({
      type: Message,
      description: 'The message interacted with.',
      resolve: (interaction) =>
        keys.message(interaction.workspaceId, normalizeUuid(interaction.channelId), normalizeUuid(interaction.messageId)),
    }),
  }),
});

/** Bird returns a message's interactions in one response; pages are cut from it, each costing that one call. */
const INTERACTIONS_MAX = 100_000;

builder.objectField(Message, 'interactions', (t) =>
  t.connection(
    {
      type: Interaction,
      description: 'What recipients did with the message, newest first.',
      extensions: validatesConnection(),
      resolve: (message, args, ctx) => {
        const { workspaceId, channelId, id: messageId } = message;
        return resolveConnection(args, {
          scope: `Message.interactions|${workspaceId}|${channelId}|${messageId}`,
          maxLimit: INTERACTIONS_MAX,
          keyOf: (interaction: InteractionModel) => [interaction.createdAt, interaction.id],
          fetch: async (page) => {
            const result = await ctx.bird.listInteractions({ workspaceId, channelId, messageId });
            const all = result.results.map((interaction): InteractionModel => ({ ...interaction, workspaceId }));
            // The list is newest first; a backward walk reads it from the oldest.
            return { results: page.reverse ? all.reverse() : all };
          },
        });
      },
    },
    { name: 'InteractionConnection', description: 'A page of interactions.' },
    { name: 'InteractionEdge', description: 'An interaction and its cursor.' },
  ),
);
