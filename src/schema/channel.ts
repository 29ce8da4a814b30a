// Channel: a loadable node batched by `channelIds`, its enums and filter, Workspace.channels, Channel.workspace and the channel root query.
import { builder } from '../builder.ts';
import { CHANNEL_STATUSES, type ChannelStatus as WireChannelStatus } from '../bird/types.ts';
import type { Context } from '../context.ts';
import { CHANNEL_BATCH_SIZE, type ChannelModel, keys, loadChannels } from '../loaders.ts';
import { validatesConnection } from './arguments.ts';
import { representationKey } from './federation.ts';
import { channelGuard } from './filter-guard.ts';
import { normalizeUuid, parseNodeKey } from './ids.ts';
import { isLazyStub, lazyConnection, lazyIds, resolveLazyParent } from './lazy-parent.ts';
import { type ConnectionArgs, prepareConnection } from './pagination.ts';
import { Workspace, organizationFor } from './workspace.ts';

/** The platforms Bird documents channels on; a platform Bird adds later is OTHER (its raw id stays in platformId). */
const PLATFORMS = {
  SMS: { value: 'sms', description: 'SMS (and MMS).' },
  WHATSAPP: { value: 'whatsapp', description: 'WhatsApp Business.' },
  EMAIL: { value: 'email', description: 'Email.' },
  RCS: { value: 'rcs', description: 'RCS business messaging.' },
  TELEGRAM: { value: 'telegram', description: 'Telegram.' },
  LINE: { value: 'line', description: 'LINE.' },
  INSTAGRAM: { value: 'instagram', description: 'Instagram direct messages.' },
  FACEBOOK: { value: 'facebook', description: 'Facebook Messenger.' },
  VIBER: { value: 'viber', description: 'Viber.' },
  LINKEDIN: { value: 'linkedin', description: 'LinkedIn.' },
  TIKTOK: { value: 'tiktok', description: 'TikTok.' },
  APPLE_MESSAGES: { value: 'apple', description: 'Apple Messages for Business.' },
  OTHER: { value: 'other', description: 'A platform this schema does not name yet; see `platformId`.' },
} as const;
const KNOWN_PLATFORMS = new Set<string>(Object.values(PLATFORMS).map((p) => p.value));

export function platformOf(platformId: string): string {
  return KNOWN_PLATFORMS.has(platformId) ? platformId : 'other';
}

export const Platform = builder.enumType('Platform', {
  description: 'The messaging platform a channel sends on.',
  values: PLATFORMS,
});

const CHANNEL_STATUS_DESCRIPTIONS: Record<WireChannelStatus, string> = {
  active: 'Ready to send and receive.',
  pending: 'Created, waiting for approval or activation.',
  'setting-up': 'Being set up with the platform.',
  failed: 'Setting up failed.',
  inactive: 'Switched off; sends are refused.',
  deleted: 'Deleted.',
  warning: 'Working, with a problem that needs attention.',
};

export const ChannelStatus = builder.enumType('ChannelStatus', {
  description: "A channel's lifecycle state in Bird.",
  values: Object.fromEntries(
    CHANNEL_STATUSES.map((status) => [
      status.toUpperCase().replaceAll('-', '_'),
      { value: status, description: CHANNEL_STATUS_DESCRIPTIONS[status] },
    ]),
  ) as Record<string, { value: WireChannelStatus; description: string }>,
});

export const ChannelUseCaseType = builder.enumType('ChannelUseCaseType', {
  description: 'What a channel is used for, as configured in Bird.',
  values: {
    TRANSACTIONAL: { value: 'transactional', description: 'Transactional notifications.' },
    MARKETING: { value: 'marketing', description: 'Marketing messages.' },
    CONVERSATION: { value: 'conversation', description: 'Two-way conversations.' },
  },
});

export const Channel = builder.loadableNode('Channel', {
  description:
    'A configured messaging channel of a workspace: one sender identity (a phone number, an email domain, a WhatsApp number, …) on one platform.',
  id: {
    resolve: (channel) => keys.channel(channel.workspaceId, channel.id),
    parse: (key) => parseNodeKey(key, 2),
  },
  load: (channelKeys: string[], ctx) => loadChannels(ctx, channelKeys),
  loaderOptions: { maxBatchSize: CHANNEL_BATCH_SIZE },
  // A lazy stub (src/schema/lazy-parent.ts: ids only) is kept apart, under a key nothing loads.
  toKey: (channel: ChannelModel) => (isLazyStub(channel) ? `lazy:${channel.id}` : keys.channel(channel.workspaceId, channel.id)),
  // Channels read from a list are cached, so a later lookup by id in the same request costs no call.
  cacheResolved: true,
  fields: (t) => ({
    workspaceId: t.exposeID('workspaceId', { nullable: false, description: 'The Bird workspace UUID.' }),
    channelId: t.exposeID('id', { nullable: false, description: 'The Bird channel UUID.' }),
    name: t.exposeString('name', { nullable: false, description: 'The display name given to the channel.' }),
    platform: t.field({
      type: Platform,
      nullable: false,
      description: 'The platform the channel sends on.',
      resolve: (channel) => platformOf(channel.platformId) as never,
    }),
    platformId: t.exposeString('platformId', {
      nullable: false,
      description: "Bird's raw platform id (`sms`, `whatsapp`, `email`, …).",
    }),
    connectorId: t.exposeID('connectorId', {
      nullable: false,
      description: 'The Bird connector behind the channel; outgoing messages name it as their sender.',
    }),
    identifier: t.exposeString('identifier', {
      description: "The channel's own address on its platform: a phone number, an email address, …",
    }),
    status: t.expose('status', {
      type: ChannelStatus,
      nullable: false,
      description: 'Whether the channel can send.',
    }),
    useCaseId: t.exposeString('useCaseId', { description: 'The use case the channel is registered for, if any.' }),
    useCaseType: t.expose('useCaseType', {
      type: ChannelUseCaseType,
      description: 'What the channel is used for.',
    }),
    channelMessageType: t.exposeString('channelMessageType', {
      description: 'The kind of traffic the channel carries (`promotional`, `transactional`, `2fa`, …); sets the default message validity.',
    }),
    capabilities: t.expose('capabilities', {
      type: 'JSONObject',
      description: 'What the channel can send, as Bird reports it (free-form).',
    }),
    settings: t.expose('settings', {
      type: ['JSONObject'],
      description: 'Platform settings of the channel (free-form).',
    }),
    preferences: t.expose('preferences', {
      type: 'JSONObject',
      description: 'Channel preferences (free-form).',
    }),
    contactIdentifierKeyOverride: t.exposeString('contactIdentifierKeyOverride', {
      description: 'The contact identifier key this channel addresses contacts by, when it overrides the platform default.',
    }),
    platformTemplateEngineOverride: t.exposeString('platformTemplateEngineOverride', {
      description: 'The template engine (`default` or `liquid`) when overridden for this channel.',
    }),
    contactIdentifierFormatOverride: t.expose('contactIdentifierFormatOverride', {
      type: 'JSONObject',
      description: 'How contact identifiers must look on this channel (`{ type, pattern }`), when overridden.',
    }),
    platformServiceUrlOverride: t.exposeString('platformServiceUrlOverride', {
      description: "The platform service URL, when this channel overrides the platform's default.",
    }),
    platformServiceVersionOverride: t.exposeString('platformServiceVersionOverride', {
      description: 'The platform service version (`1.0`), when overridden.',
    }),
    platformServiceProtocolOverride: t.exposeString('platformServiceProtocolOverride', {
      description: 'The platform service protocol (`http` or `https`), when overridden.',
    }),
    platformMessageJsonSchemaOverride: t.expose('platformMessageJsonSchemaOverride', {
      type: 'JSONObject',
      description: 'The JSON schema messages on this channel must follow, when overridden (free-form).',
    }),
    connectionParams: t.expose('connectionParams', {
      type: ['JSONObject'],
      description: 'The parameters the channel connects to its platform with (free-form; Bird omits secrets).',
    }),
    createdAt: t.expose('createdAt', {
      type: 'DateTime',
      description: 'When the channel was created.',
    }),
    updatedAt: t.expose('updatedAt', {
      type: 'DateTime',
      description: 'When the channel was last changed.',
    }),
  }),
});

export const ChannelFilter = builder.inputType('ChannelFilter', {
  description: "Narrows a workspace's channels.",
  fields: (t) => ({
    platforms: t.field({ type: [Platform], description: 'Only channels on these platforms.' }),
    platformIds: t.stringList({
      description: 'Only channels with these raw platform ids (for platforms the Platform enum does not name).',
    }),
    status: t.field({ type: ChannelStatus, description: 'Only channels in this state.' }),
    useCaseType: t.field({ type: ChannelUseCaseType, description: 'Only channels for this use case.' }),
  }),
});

/** Bird allows up to 1,000 channels a page. */
export const CHANNEL_LIST_MAX_LIMIT = 1000;

function channelFilter(filter: typeof ChannelFilter.$inferInput | null | undefined) {
  const platforms = [...(filter?.platforms ?? []), ...(filter?.platformIds ?? [])];
  return {
    ...(platforms.length > 0 ? { platform: platforms } : {}),
    ...(filter?.status ? { status: filter.status } : {}),
    ...(filter?.useCaseType ? { useCaseType: filter.useCaseType } : {}),
  };
}

const workspaceChannels = lazyConnection(
  'Workspace',
  'channels',
  (workspace: { id: string }, args: ConnectionArgs & { filter?: typeof ChannelFilter.$inferInput | null }, ctx: Context) => {
    const filter = channelFilter(args.filter);
    const workspaceId = workspace.id;
    return prepareConnection<ChannelModel>(args, {
      scope: `Workspace.channels|${workspaceId}|${JSON.stringify(filter)}`,
      maxLimit: CHANNEL_LIST_MAX_LIMIT,
      keyOf: (channel: ChannelModel) => [channel.createdAt ?? '', channel.id],
      check: channelGuard(filter, ctx.onFilterMismatch),
      fetch: async (page) => {
        const result = await ctx.bird.listChannels({ workspaceId, limit: page.limit, pageToken: page.pageToken, reverse: page.reverse, ...filter });
        return { ...result, results: result.results.map((channel): ChannelModel => ({ ...channel, workspaceId })) };
      },
    });
  },
);

builder.objectField(Workspace, 'channels', (t) =>
  t.connection(
    {
      type: Channel,
      description: "The workspace's channels, newest first (`last` walks from the oldest).",
      args: { filter: t.arg({ type: ChannelFilter, description: 'Narrows the list.' }) },
      extensions: validatesConnection(),
      resolve: (workspace, args, ctx, info) => workspaceChannels(workspace, args, ctx, info),
    },
    { name: 'ChannelConnection', description: 'A page of channels.' },
    { name: 'ChannelEdge', description: 'A channel and its cursor.' },
  ),
);

builder.objectField(Channel, 'workspace', (t) =>
  t.field({
    type: Workspace,
    description:
      'The workspace the channel belongs to. Needs the organization (BIRD_ORGANIZATION_ID); null with an error otherwise.',
    resolve: (channel, _args, ctx) => keys.workspace(organizationFor(ctx), channel.workspaceId),
  }),
);

builder.queryFields((t) => ({
  channel: t.field({
    type: Channel,
    description: 'A channel by its Bird UUIDs; null when it does not exist.',
    args: {
      workspaceId: t.arg({ type: 'UUID', required: true, description: 'The Bird workspace UUID.' }),
      channelId: t.arg({ type: 'UUID', required: true, description: 'The Bird channel UUID.' }),
    },
    resolve: (_root, args, ctx, info) => {
      const ids = { workspaceId: normalizeUuid(args.workspaceId), id: normalizeUuid(args.channelId) };
      const key = keys.channel(ids.workspaceId, ids.id);
      return resolveLazyParent({ ctx, info, ids: ids as ChannelModel, key, load: () => Channel.getDataloader(ctx).load(key) });
    },
  }),
}));

// What a channel's ids answer without loading it (src/schema/lazy-parent.ts).
lazyIds('Channel', ['workspaceId', 'channelId']);

// Federation entity, keyed by Bird's natural keys (the UUIDs other systems store, not our global id). Representations
// go through the channel loader, so a router's `_entities` call with 50 channels of a workspace is one list call.
builder.asEntity(Channel, {
  key: builder.selection<{ workspaceId: string; channelId: string }>('workspaceId channelId'),
  resolveReference: async (representation, ctx) => {
    const [workspaceId, channelId] = representationKey('Channel', representation, ['workspaceId', 'channelId']);
    return Channel.getDataloader(ctx).load(keys.channel(workspaceId, channelId));
  },
});
