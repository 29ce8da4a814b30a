// Subscription: messageReceived, messageUpdated and interactionAdded, Bird's webhooks as typed event streams, each authorized for its workspace when it starts.
import { builder } from '../builder.ts';
import type { BirdHandle } from '../bird/handle.ts';
import type { Context } from '../context.ts';
import { publicError } from '../errors.ts';
import type { LiveEventKind } from '../live/envelope.ts';
import type { StreamItem } from '../live/subscriptions.ts';
import type { InteractionModel, MessageModel } from '../loaders.ts';
import { Interaction } from './interaction.ts';
import { Message } from './message.ts';

builder.subscriptionType({
  description:
    "Live updates from Bird's webhooks, over Server-Sent Events or graphql-ws (WebSocket) on /graphql. A subscription " +
    "starts only if the caller's key can read the workspace (one call to Bird), and sees that workspace's events alone.",
});

interface Filter {
  workspaceId: string;
  channelId?: string | null;
  messageId?: string | null;
}

/** One Bird call proves the credential reads the workspace (and that the channel, when given, is in it). */
async function authorize(bird: BirdHandle, { workspaceId, channelId }: Filter): Promise<void> {
  const page = await bird.listChannels({ workspaceId, limit: 1, ...(channelId ? { channelIds: [channelId] } : {}) });
  if (channelId && page.results.length === 0) throw publicError('NOT_FOUND', 'The channel does not exist in this workspace.');
}

/**
 * Reserves a place under the caps (a refused subscription costs no call), authorizes, then streams the workspace's
 * events of `kind` that pass the channel and message filters.
 */
async function openLive(ctx: Context, field: string, kind: LiveEventKind, args: Filter): Promise<AsyncIterable<StreamItem>> {
  const live = ctx.live;
  if (!live) throw new Error('Live updates are not wired into this app');
  const filter: Filter = {
    workspaceId: args.workspaceId.toLowerCase(),
    channelId: args.channelId?.toLowerCase() ?? null,
    messageId: args.messageId?.toLowerCase() ?? null,
  };
  const slot = live.hub.reserve(live.connection);
  try {
    await authorize(ctx.bird, filter);
  } catch (error) {
    slot.release();
    throw error;
  }
  return slot.open({
    field,
    kind,
    workspaceId: filter.workspaceId,
    accept: (event) => (!filter.channelId || event.channelId === filter.channelId) && (!filter.messageId || event.messageId === filter.messageId),
    reauthorize: () => authorize(live.rebind(ctx.bird), filter),
  });
}

const messageOf = (event: StreamItem): MessageModel => {
  if (event.kind === 'end') throw event.error;
  if (event.kind === 'interactionAdded') throw new Error(`A ${event.kind} event on a message stream`);
  return { ...event.message, workspaceId: event.workspaceId };
};

const WORKSPACE_ARG = "The workspace to watch; the caller's key must be able to read it.";

builder.subscriptionField('messageReceived', (t) =>
  t.field({
    type: Message,
    nullable: false,
    description: "New incoming messages of a workspace, as they arrive (Bird's `<platform>.inbound` webhook).",
    args: {
      workspaceId: t.arg({ type: 'UUID', required: true, description: WORKSPACE_ARG }),
      channelId: t.arg({ type: 'UUID', description: 'Only messages received on this channel.' }),
    },
    subscribe: (_root, args, ctx) => openLive(ctx, 'messageReceived', 'messageReceived', args),
    resolve: messageOf,
  }),
);

builder.subscriptionField('messageUpdated', (t) =>
  t.field({
    type: Message,
    nullable: false,
    description:
      "Status changes of sent messages (Bird's `<platform>.outbound` webhook): accepted, processing, sent, delivered, failed, … " +
      'A status older than one already sent for the same message (a delivery Bird retried after later ones) is left out.',
    args: {
      workspaceId: t.arg({ type: 'UUID', required: true, description: WORKSPACE_ARG }),
      channelId: t.arg({ type: 'UUID', description: 'Only messages of this channel.' }),
      messageId: t.arg({ type: 'UUID', description: 'Only this message.' }),
    },
    subscribe: (_root, args, ctx) => openLive(ctx, 'messageUpdated', 'messageUpdated', args),
    resolve: messageOf,
  }),
);

builder.subscriptionField('interactionAdded', (t) =>
  t.field({
    type: Interaction,
    nullable: false,
    description: "What recipients do with sent messages, as it happens: opened, clicked, read, reacted, … (Bird's `<platform>.interaction` webhook).",
    args: {
      workspaceId: t.arg({ type: 'UUID', required: true, description: WORKSPACE_ARG }),
      channelId: t.arg({ type: 'UUID', description: 'Only interactions with messages of this channel.' }),
      messageId: t.arg({ type: 'UUID', description: 'Only interactions with this message.' }),
    },
    subscribe: (_root, args, ctx) => openLive(ctx, 'interactionAdded', 'interactionAdded', args),
    resolve: (event: StreamItem): InteractionModel => {
      if (event.kind === 'end') throw event.error;
      if (event.kind !== 'interactionAdded') throw new Error(`A ${event.kind} event on the interaction stream`);
      return { ...event.interaction, workspaceId: event.workspaceId };
    },
  }),
);
