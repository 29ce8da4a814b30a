// Channel: a loadable node batched through the channel list's `channelIds` filter, and its enums and filter input.
import { builder } from '../builder.ts';
import { CHANNEL_STATUSES, type ChannelStatus as WireChannelStatus } from '../bird/types.ts';
import { type ChannelModel, keys, loadChannels } from '../loaders.ts';
import { representationKey } from './federation.ts';
import { parseNodeKey } from './ids.ts';

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
  toKey: (channel: ChannelModel) => keys.channel(channel.workspaceId, channel.id),
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
    status: t.field({
      type: ChannelStatus,
      nullable: false,
      description: 'Whether the channel can send.',
      resolve: (channel) => channel.status,
    }),
    useCaseId: t.exposeString('useCaseId', { description: 'The use case the channel is registered for, if any.' }),
    useCaseType: t.field({
      type: ChannelUseCaseType,
      description: 'What the channel is used for.',
      resolve: (channel) => channel.useCaseType ?? null,
    }),
    channelMessageType: t.exposeString('channelMessageType', {
      description: 'The kind of traffic the channel carries (`promotional`, `transactional`, `2fa`, …); sets the default message validity.',
    }),
    capabilities: t.field({
      type: 'JSONObject',
      description: 'What the channel can send, as Bird reports it (free-form).',
      resolve: (channel) => channel.capabilities ?? null,
    }),
    settings: t.field({
      type: ['JSONObject'],
      description: 'Platform settings of the channel (free-form).',
      resolve: (channel) => channel.settings ?? null,
    }),
    preferences: t.field({
      type: 'JSONObject',
      description: 'Channel preferences (free-form).',
      resolve: (channel) => channel.preferences ?? null,
    }),
    contactIdentifierKeyOverride: t.exposeString('contactIdentifierKeyOverride', {
      description: 'The contact identifier key this channel addresses contacts by, when it overrides the platform default.',
    }),
    platformTemplateEngineOverride: t.exposeString('platformTemplateEngineOverride', {
      description: 'The template engine (`default` or `liquid`) when overridden for this channel.',
    }),
    contactIdentifierFormatOverride: t.field({
      type: 'JSONObject',
      description: 'How contact identifiers must look on this channel (`{ type, pattern }`), when overridden.',
      resolve: (channel) => channel.contactIdentifierFormatOverride ?? null,
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
    platformMessageJsonSchemaOverride: t.field({
      type: 'JSONObject',
      description: 'The JSON schema messages on this channel must follow, when overridden (free-form).',
      resolve: (channel) => channel.platformMessageJsonSchemaOverride ?? null,
    }),
    connectionParams: t.field({
      type: ['JSONObject'],
      description: 'The parameters the channel connects to its platform with (free-form; Bird omits secrets).',
      resolve: (channel) => channel.connectionParams ?? null,
    }),
    createdAt: t.field({
      type: 'DateTime',
      description: 'When the channel was created.',
      resolve: (channel) => channel.createdAt ?? null,
    }),
    updatedAt: t.field({
      type: 'DateTime',
      description: 'When the channel was last changed.',
      resolve: (channel) => channel.updatedAt ?? null,
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

// Federation entity, keyed by Bird's natural keys (the UUIDs other systems store, not our global id). Representations
// go through the channel loader, so a router's `_entities` call with 50 channels of a workspace is one list call.
builder.asEntity(Channel, {
  key: builder.selection<{ workspaceId: string; channelId: string }>('workspaceId channelId'),
  resolveReference: async (representation, ctx) => {
    const [workspaceId, channelId] = representationKey('Channel', representation, ['workspaceId', 'channelId']);
    return Channel.getDataloader(ctx).load(keys.channel(workspaceId, channelId));
  },
});
