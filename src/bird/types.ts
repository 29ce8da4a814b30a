// Wire types exactly as Bird's REST API sends and receives them (camelCase JSON); the backing models of the graph.
//
// These mirror Bird's docs (docs.bird.com; the send schema is committed in src/emulator/openapi/). Optional fields are optional because
// Bird omits them; `null` appears where Bird documents a nullable field. Nothing here knows HTTP or GraphQL.

export type Uuid = string;
/** RFC 3339 / ISO-8601 UTC timestamp with milliseconds, e.g. `2025-11-17T17:14:48.436Z`. */
export type DateTimeString = string;

// ---------------------------------------------------------------------------------------------------------------
// Shared envelopes
// ---------------------------------------------------------------------------------------------------------------

/** Every Bird list: `nextPageToken` is omitted on the last page. */
export interface Page<T> {
  results: T[];
  nextPageToken?: string;
}

/** Query options every list endpoint takes. */
export interface PageParams {
  /** 1..100 on most lists, 1..1000 on channels and message lists; Bird's default is 10. */
  limit?: number;
  /** The previous response's `nextPageToken` (opaque, at most 8,000 characters). */
  pageToken?: string;
  /** `false` (default): newest first; `true`: oldest first. */
  reverse?: boolean;
}

/** Bird's `RequestError` (400, 401, 403, 404, 409, 429 and 5xx bodies). */
export interface RequestErrorBody {
  code: string;
  message: string;
}

/** Bird's `ValidationError` (422): `details` maps a field path to its messages. */
export interface ValidationErrorBody extends RequestErrorBody {
  details: Record<string, string[]>;
}

// ---------------------------------------------------------------------------------------------------------------
// Workspaces (Accounts API)
// ---------------------------------------------------------------------------------------------------------------

export interface WorkspaceStatusTransition {
  fromStatus: string;
  toStatus: string;
  reason?: string;
  comment?: string;
  transitionedAt: DateTimeString;
  transitionedBy?: { type: string; id: Uuid };
}

export interface Workspace {
  id: Uuid;
  organizationId: Uuid;
  status: string;
  statusTransitions?: WorkspaceStatusTransition[];
  name: string;
  description?: string;
  dataPolicy?: {
    group?: string;
    regions?: { region: string; priority: number }[];
    piiStrategy?: string;
  };
  configuration?: { domain?: string };
  createdAt: DateTimeString;
  updatedAt: DateTimeString;
}

// ---------------------------------------------------------------------------------------------------------------
// Channels
// ---------------------------------------------------------------------------------------------------------------

export const CHANNEL_STATUSES = ['active', 'pending', 'setting-up', 'failed', 'inactive', 'deleted', 'warning'] as const;
export type ChannelStatus = (typeof CHANNEL_STATUSES)[number];

export interface Channel {
  id: Uuid;
  /** Platform id: `sms`, `whatsapp`, `email`, `telegram`, … */
  platformId: string;
  name: string;
  connectorId: Uuid;
  /** The channel's own address: a phone number, an email address, … */
  identifier?: string;
  status: ChannelStatus;
  contactIdentifierKeyOverride?: string | null;
  contactIdentifierFormatOverride?: { type: string; pattern: string } | null;
  platformServiceUrlOverride?: string | null;
  platformServiceVersionOverride?: string | null;
  platformServiceProtocolOverride?: 'http' | 'https' | null;
  platformMessageJsonSchemaOverride?: Record<string, unknown> | null;
  platformTemplateEngineOverride?: 'default' | 'liquid' | null;
  capabilities?: Record<string, unknown>;
  settings?: Record<string, unknown>[];
  connectionParams?: Record<string, unknown>[];
  preferences?: Record<string, unknown> | null;
  useCaseId?: string | null;
  useCaseType?: 'transactional' | 'marketing' | 'conversation' | null;
  channelMessageType?: string | null;
  createdAt?: DateTimeString;
  updatedAt?: DateTimeString;
}

/** Filters of `GET /workspaces/{ws}/channels` in our own names; the client maps them to wire names. */
export interface ChannelListFilter {
  platform?: string | string[];
  status?: string;
  useCaseType?: 'otp' | 'transactional' | 'marketing' | 'conversation';
  /** Batch fetch by id (the DataLoader path). */
  channelIds?: Uuid[];
}

/** `GET /workspaces/{ws}/channels/{ch}/contacts/{contact}`: the contact's service window on a channel. */
export interface ChannelContactInformation {
  serviceWindowExpireAt: DateTimeString | null;
  isPermanentSession?: boolean | null;
  metadata?: Record<string, string> | null;
}

// ---------------------------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------------------------

export const MESSAGE_STATUSES = [
  'accepted',
  'rejected',
  'processing',
  'scheduled',
  'sent',
  'sending_failed',
  'delivered',
  'delivery_failed',
  'deleted',
  'skipped',
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const MESSAGE_DIRECTIONS = ['incoming', 'outgoing'] as const;
export type MessageDirection = (typeof MESSAGE_DIRECTIONS)[number];

export interface Annotations {
  name?: string;
  [key: string]: unknown;
}

export interface ConnectorParty {
  connector: {
    id: Uuid;
    identifierValue?: string;
    annotations?: Annotations;
    types?: string[];
  };
}

export interface ContactRef {
  id?: Uuid;
  identifierKey?: string;
  identifierValue?: string;
  type?: 'to' | 'cc' | 'bcc';
  countryCode?: string;
  identifiers?: { identifierKey: string; identifierValue: string }[];
  platformAddress?: string;
  platformAddressSelector?: string | null;
  /** Newer receiver forms, on the batch page's schema only (bird-api.md §3.2, DOC:S7); their meaning is a guess [INF]. */
  receiverValue?: string;
  receiverExpression?: string;
  annotations?: Annotations;
}

export interface ContactParty {
  contact: ContactRef & { id: Uuid; identifierKey: string; identifierValue: string };
}

export interface ContactsParty {
  contacts: ContactRef[];
}

export type MessageSender = ConnectorParty | ContactParty;
export type MessageReceiver = ConnectorParty | ContactsParty;

// --- actions -----------------------------------------------------------------------------------------------------

export interface ActionDescriptionMetadata {
  description?: { label?: string };
}

export type Action =
  | { type: 'link'; link: { text: string; url: string } }
  | { type: 'reply'; reply: { text: string; imageUrl?: string; metadata?: ActionDescriptionMetadata } }
  | { type: 'locationRequest'; locationRequest?: { text?: string } }
  | { type: 'buy'; buy: { text: string; amountCents: number; currency: string } }
  | {
      type: 'postback';
      postback: { text: string; payload?: string; imageUrl?: string; metadata?: ActionDescriptionMetadata };
    };

// --- bodies ------------------------------------------------------------------------------------------------------

export interface Attachment {
  mediaUrl?: string;
  filename: string;
  inline?: boolean;
  contentId?: string;
  /** Inline content (html bodies only), base64. */
  content?: string;
  contentType?: string;
}

export interface TextBody {
  text: string;
  attachments?: Attachment[];
  actions?: Action[];
  metadata?: {
    subject?: string;
    headers?: Record<string, string>;
    whatsapp?: { previewUrl?: boolean };
    line?: Record<string, unknown>;
    telegram?: { parseMode?: 'Markdown' | 'MarkdownV2' };
    apple?: { summaryText?: string };
  };
}

export interface HtmlBody {
  text?: string;
  html?: string;
  attachments?: Attachment[];
  actions?: Action[];
  metadata?: {
    subject?: string;
    emailFrom?: { username?: string; displayName?: string };
    headers?: Record<string, string>;
    initialOpenTracking?: boolean;
    clickTracking?: boolean;
    openTracking?: boolean;
  };
}

export interface MediaMetadata {
  subject?: string;
  fallbackText?: string;
  storyType?: string;
  telegram?: Record<string, unknown>;
}

export interface ImageBody {
  text?: string;
  images: { mediaUrl: string; altText?: string }[];
  metadata?: MediaMetadata;
  actions?: Action[];
}

export interface FileBody {
  text?: string;
  files: {
    mediaUrl: string;
    contentType: string;
    filename?: string;
    altText?: string;
    metadata?: { isAnimated?: boolean };
  }[];
  metadata?: MediaMetadata;
  actions?: Action[];
}

export interface GifBody {
  text?: string;
  mediaUrl: string;
  altText?: string;
  actions?: Action[];
  metadata?: { telegram?: Record<string, unknown> };
}

export interface LocationBody {
  coordinates: { latitude: number; longitude: number };
  location?: { address?: string; label?: string };
}

export interface Item {
  title?: string;
  mediaUrl?: string | null;
  description?: string;
  altText?: string;
  actions?: Action[];
}

export interface CarouselBody {
  text?: string;
  items: Item[];
}

export interface ListBody {
  title?: string;
  text: string;
  altText?: string;
  items?: Item[];
  actions?: Action[];
  metadata?: {
    button?: { label?: string };
    replyMessage?: { title?: string; text?: string };
  };
}

export interface SectionBody {
  items: MessageBody[];
  configurations?: Record<string, string>;
}

export interface AuthenticationBody {
  otp: { disclaimer: boolean; expirationTime?: number | null; actions?: Action[] };
}

export interface PermissionRequestBody {
  type?: 'permission_request';
  permission_request?: { resource: 'call' };
  [key: string]: unknown;
}

export type MessageBody =
  | { type: 'text'; text: TextBody }
  | { type: 'html'; html: HtmlBody }
  | { type: 'image'; image: ImageBody }
  | { type: 'file'; file: FileBody }
  | { type: 'gif'; gif: GifBody }
  | { type: 'location'; location: LocationBody }
  | { type: 'carousel'; carousel: CarouselBody }
  | { type: 'list'; list: ListBody }
  | { type: 'section'; section: SectionBody }
  | { type: 'authentication'; authentication: AuthenticationBody }
  | { type: 'action'; action: PermissionRequestBody };

export const BODY_TYPES = [
  'text',
  'html',
  'image',
  'file',
  'gif',
  'location',
  'carousel',
  'list',
  'section',
  'authentication',
  'action',
] as const;
export type BodyType = (typeof BODY_TYPES)[number];

// --- template ----------------------------------------------------------------------------------------------------

export interface TemplateParameter {
  type: string;
  key: string;
  value?: unknown;
  [key: string]: unknown;
}

export interface MessageTemplate {
  name?: string;
  projectId?: Uuid;
  /** A version uuid or `latest`. */
  version?: string;
  locale?: string;
  attachments?: { mediaUrl: string; filename: string; inline?: boolean }[] | null;
  shortLinks?: { enabled?: boolean; domain?: string };
  variables?: Record<string, string>;
  utmParameters?: ({ key: string; value: string } | { key: string; reference: string })[];
  parameters?: TemplateParameter[];
  settings?: Record<string, unknown>;
}

// --- meta --------------------------------------------------------------------------------------------------------

export interface MessageMeta {
  extraInformation?: Record<string, unknown>;
  referral?: Record<string, unknown>;
  order?: Record<string, unknown>;
  referredProduct?: Record<string, unknown>;
  email?: {
    subject?: string;
    headers?: Record<string, string>;
    from?: { username?: string; displayName?: string };
  };
  pushNotifications?: { gatewayTypeOverride?: 'apns' | 'firebase' | 'web' };
  navigatorId?: Uuid;
  navigatorMessageId?: Uuid;
  flow?: Record<string, unknown>;
  journey?: Record<string, unknown>;
  campaign?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface ReplyTo {
  id: string;
  type: 'message' | 'click' | 'referrals';
  order?: number;
}

export interface MessageFailure {
  code: number;
  description: string;
  source: { code: string; name: string };
}

/** The ChannelMessage resource. Either `body` or `template` is present (both may be on template sends read back). */
export interface Message {
  id: Uuid;
  channelId: Uuid;
  sender: MessageSender;
  receiver: MessageReceiver;
  body?: MessageBody;
  template?: MessageTemplate;
  meta?: MessageMeta;
  reference?: string;
  parts?: { platformReference: string }[];
  status: MessageStatus;
  reason?: string;
  direction?: MessageDirection;
  origin?: { type: string; id: string } | null;
  replyTo?: ReplyTo;
  lastStatusAt: DateTimeString;
  createdAt: DateTimeString;
  updatedAt: DateTimeString;
  details?: string;
  failure?: MessageFailure | null;
  tags?: string[];
  shortLinks?: { domain: string } | null;
  scheduledFor?: DateTimeString;
  /** Set on messages created through a batch send (not in Bird's send schema; Bird returns extra fields). */
  batchId?: Uuid;
}

/** Body of `POST /workspaces/{ws}/channels/{ch}/messages` (Bird's `CreateMessage`). */
export interface CreateMessageRequest {
  sender?: { connector: { identifierValue: string; annotations?: { name?: string } } };
  receiver: { contacts: ContactRef[] };
  reference?: string;
  body?: MessageBody | null;
  template?: MessageTemplate | null;
  meta?: MessageMeta;
  replyTo?: ReplyTo;
  notification?: { url: string };
  capFrequency?: boolean;
  enableLinkTracking?: boolean;
  ignoreQuietHours?: boolean;
  ignoreGlobalHoldout?: boolean;
  tags?: string[];
  shortLinks?: { domain: string } | null;
  scheduledFor?: DateTimeString;
  validity?: number;
}

/** Body of `POST /workspaces/{ws}/channels/{ch}/batch/messages`: 1..100 send requests. */
export interface CreateBatchRequest {
  messageRequests: CreateMessageRequest[];
}

export interface BatchResponse {
  batchId: Uuid;
}

/**
 * Filters of both message lists in our own names. The client alone maps them to Bird's query names
 * (see MESSAGE_FILTER_WIRE_NAMES in ./client.ts); the emulator reads the wire names.
 */
export interface MessageListFilter {
  platform?: string;
  direction?: MessageDirection;
  status?: MessageStatus | MessageStatus[];
  /** Only messages created at or after this instant (RFC 3339). */
  startAt?: DateTimeString;
  /** Only messages created at or before this instant (RFC 3339). */
  endAt?: DateTimeString;
  /** The sender's identifier (phone number, email address, …). */
  senderIdentifier?: string;
  /** A receiver's identifier. */
  recipientIdentifier?: string;
  tag?: string;
  /** Full-text search on the email subject. */
  subject?: string;
  batchId?: Uuid;
  /** Workspace list only. */
  channelId?: Uuid;
}

// ---------------------------------------------------------------------------------------------------------------
// Interactions
// ---------------------------------------------------------------------------------------------------------------

export const INTERACTION_TYPES = [
  'clicked',
  'delete-request',
  'invalid',
  'opened',
  'read',
  'reported-as-spam',
  'unsubscribe-request',
  'reaction',
  'conversion',
  'subscribe-request',
  'subscribe-consent',
] as const;
export type InteractionType = (typeof INTERACTION_TYPES)[number];

export interface Interaction {
  id: Uuid;
  messageId: Uuid;
  channelId: Uuid;
  platformId: string;
  messagePartId?: Uuid | null;
  type: InteractionType;
  messageReference?: string;
  messagePartsCount?: number;
  messageTags?: string[] | null;
  receiver?: MessageReceiver;
  createdAt: DateTimeString;
  details?: string;
  context?: { id?: string; type?: string; tags?: string[] };
  metadata?: {
    link?: { name?: string; url?: string };
    button?: { payload?: string };
    reaction?: { emoji?: string; action?: string };
    conversion?: Record<string, unknown>;
    prefetched?: boolean;
    [key: string]: unknown;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Contacts
// ---------------------------------------------------------------------------------------------------------------

export interface Contact {
  id: Uuid;
  computedDisplayName?: string;
  workspaceId?: Uuid;
  featuredIdentifiers?: { key: string; value: string }[];
  identifierCount?: number;
  attributes?: Record<string, unknown>;
  accountIds?: Uuid[];
  listIds?: Uuid[];
  createdAt: DateTimeString;
  updatedAt: DateTimeString;
}

export interface ContactIdentifier {
  contactId: Uuid;
  key: string;
  value: string;
  properties?: Record<string, unknown>;
  createdAt: DateTimeString;
}

export interface ContactSearchRequest {
  identifier: { key: string; value: string };
  platformAddress?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Media
// ---------------------------------------------------------------------------------------------------------------

export interface PresignedUploadRequest {
  contentType: string;
}

export interface PresignedUpload {
  /** Where the file will be served once uploaded; use it in message bodies. Needs the access key to read. */
  mediaUrl: string;
  /** Where to POST the multipart form (a storage bucket, not api.bird.com). */
  uploadUrl: string;
  /** Always `POST`. */
  uploadMethod: 'POST';
  /** Form fields to send, as strings, before the `file` field. */
  uploadFormData: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------------------------
// Webhooks (bird-api.md §8.3, §8.4)
// ---------------------------------------------------------------------------------------------------------------

export const WEBHOOK_SERVICES = ['channels', 'numbers', 'payments', 'conversations'] as const;
export type WebhookService = (typeof WEBHOOK_SERVICES)[number];

/** The filter keys Bird documents; filters of one subscription combine with AND. */
export const WEBHOOK_FILTER_KEYS = ['channelId', 'messageStatus', 'interactionType', 'platformId', 'channelStatus'] as const;
export type WebhookFilterKey = (typeof WEBHOOK_FILTER_KEYS)[number];

export interface WebhookEventFilter {
  key: WebhookFilterKey;
  value: string;
}

/** The events of the channels service a live graph listens to: `<platform>.inbound|outbound|interaction`. */
export const CHANNEL_EVENT_KINDS = ['inbound', 'outbound', 'interaction'] as const;
export type ChannelEventKind = (typeof CHANNEL_EVENT_KINDS)[number];

/** Body of `POST …/webhook-subscriptions` (a closed object). */
export interface CreateWebhookSubscriptionRequest {
  service: WebhookService;
  /** e.g. `sms.outbound`. */
  event: string;
  /** https only (Bird's pattern: a host name with a dot, never an IP or localhost). */
  url: string;
  eventFilters?: WebhookEventFilter[];
  template?: string;
  /** The HMAC key deliveries are signed with. */
  signingKey?: string;
}

/** Body of `PATCH …/webhook-subscriptions/{id}`: any of the create fields. */
export type UpdateWebhookSubscriptionRequest = Partial<CreateWebhookSubscriptionRequest>;

/**
 * A webhook subscription as Bird answers it. Guess (not shown in the docs): the fields beyond the create body
 * (`id`, `organizationId`, `workspaceId`, `status`, timestamps); the signing key is never echoed.
 */
export interface WebhookSubscription {
  id: Uuid;
  organizationId: Uuid;
  workspaceId: Uuid;
  service: WebhookService;
  event: string;
  url: string;
  eventFilters: WebhookEventFilter[];
  template?: string;
  status: 'active';
  createdAt: DateTimeString;
  updatedAt: DateTimeString;
}

/**
 * What a delivery's body is: `{ service, event, payload }`. `.inbound` carries the ChannelMessage (shown); `.outbound`
 * the updated ChannelMessage and `.interaction` the Interaction are inferred (the docs show neither).
 */
export interface WebhookEnvelope<P = unknown> {
  service: string;
  event: string;
  payload: P;
}

/** The three headers of a signed delivery. */
export const WEBHOOK_HEADERS = Object.freeze({
  /** base64 of HMAC-SHA256(signingKey, timestamp + "\n" + full URL + "\n" + SHA-256(raw body) as raw bytes). */
  signature: 'messagebird-signature',
  /** Unix seconds. */
  timestamp: 'messagebird-request-timestamp',
  /** The same on every retry and duplicate of one delivery. */
  requestId: 'messagebird-request-id',
});
