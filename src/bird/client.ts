// createBirdClient(options): one typed method per Bird endpoint over the transport; the routes, their UUID-checked paths and query strings.

import { buildPath, checkedUuid, pageQuery, queryString } from './paths.ts';
import type { QueryValue } from './paths.ts';
import { downloadMedia, uploadFile } from './media.ts';
import type { MediaDownload, UploadFileParams } from './media.ts';
import { authorizationHeader, createTransport, readJson, requestIdHeader } from './transport.ts';
import type { BirdClientOptions, CallOptions, RequestSpec, Shape, Transport } from './transport.ts';
import type {
  BatchResponse,
  Channel,
  ChannelContactInformation,
  ChannelListFilter,
  Contact,
  ContactIdentifier,
  CreateMessageRequest,
  Interaction,
  Message,
  MessageListFilter,
  Page,
  PageParams,
  PresignedUpload,
  Workspace,
} from './types.ts';

// The client's public surface, wherever each part is defined.
export { CLIENT_DEFAULTS } from './transport.ts';
export type { BirdClientOptions, CallOptions, Credential, UpstreamEvent } from './transport.ts';
export { RETRY_POLICY } from './retry.ts';
export type { RetryPolicy } from './retry.ts';
export type { MediaDownload, UploadFileParams } from './media.ts';

export interface BirdClient {
  listWorkspaces(params: { organizationId: string } & PageParams, call: CallOptions): Promise<Page<Workspace>>;
  getWorkspace(params: { organizationId: string; workspaceId: string }, call: CallOptions): Promise<Workspace>;
  listChannels(params: { workspaceId: string } & PageParams & ChannelListFilter, call: CallOptions): Promise<Page<Channel>>;
  getChannel(params: { workspaceId: string; channelId: string }, call: CallOptions): Promise<Channel>;
  getChannelContactInformation(
    params: { workspaceId: string; channelId: string; contactId: string; contactIdentifierValue?: string },
    call: CallOptions,
  ): Promise<ChannelContactInformation>;
  sendMessage(
    params: { workspaceId: string; channelId: string; message: CreateMessageRequest },
    call: CallOptions,
  ): Promise<Message>;
  sendBatch(
    params: { workspaceId: string; channelId: string; messageRequests: CreateMessageRequest[] },
    call: CallOptions,
  ): Promise<BatchResponse>;
  listChannelMessages(
    params: { workspaceId: string; channelId: string; filter?: MessageListFilter } & PageParams,
    call: CallOptions,
  ): Promise<Page<Message>>;
  listWorkspaceMessages(
    params: { workspaceId: string; filter?: MessageListFilter } & PageParams,
    call: CallOptions,
  ): Promise<Page<Message>>;
  getMessage(params: { workspaceId: string; channelId: string; messageId: string }, call: CallOptions): Promise<Message>;
  listInteractions(
    params: { workspaceId: string; channelId: string; messageId: string },
    call: CallOptions,
  ): Promise<Page<Interaction>>;
  createPresignedUpload(
    params: { workspaceId: string; channelId?: string; contentType: string },
    call: CallOptions,
  ): Promise<PresignedUpload>;
  /** Streams the multipart form to `upload.uploadUrl` (storage, not Bird): no Authorization header is sent. */
  uploadFile(params: UploadFileParams, call?: Partial<CallOptions>): Promise<void>;
  downloadMedia(params: { mediaUrl: string }, call: CallOptions): Promise<MediaDownload>;
  listContacts(params: { workspaceId: string } & PageParams, call: CallOptions): Promise<Page<Contact>>;
  getContact(params: { workspaceId: string; contactId: string }, call: CallOptions): Promise<Contact>;
  searchContacts(
    params: { workspaceId: string; identifierKey: string; identifierValue: string; platformAddress?: string },
    call: CallOptions,
  ): Promise<Page<Contact>>;
  listContactIdentifiers(
    params: { workspaceId: string; contactId: string } & PageParams,
    call: CallOptions,
  ): Promise<Page<ContactIdentifier>>;
  /** Closes every pool (waits for requests in flight). */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------------
// Routes, filters and response shapes
// ---------------------------------------------------------------------------------------------------------------

const ROUTES = {
  workspaces: '/organizations/{organizationId}/workspaces',
  workspace: '/organizations/{organizationId}/workspaces/{workspaceId}',
  channels: '/workspaces/{workspaceId}/channels',
  channel: '/workspaces/{workspaceId}/channels/{channelId}',
  channelContact: '/workspaces/{workspaceId}/channels/{channelId}/contacts/{contactId}',
  channelMessages: '/workspaces/{workspaceId}/channels/{channelId}/messages',
  channelMessage: '/workspaces/{workspaceId}/channels/{channelId}/messages/{messageId}',
  interactions: '/workspaces/{workspaceId}/channels/{channelId}/messages/{messageId}/interactions',
  batch: '/workspaces/{workspaceId}/channels/{channelId}/batch/messages',
  workspaceMessages: '/workspaces/{workspaceId}/messages',
  channelPresignedUpload: '/workspaces/{workspaceId}/channels/{channelId}/presigned-upload',
  presignedUpload: '/workspaces/{workspaceId}/channel-media/presigned-upload',
  contacts: '/workspaces/{workspaceId}/contacts',
  contact: '/workspaces/{workspaceId}/contacts/{contactId}',
  contactSearch: '/workspaces/{workspaceId}/contacts/search',
  contactIdentifiers: '/workspaces/{workspaceId}/contacts/{contactId}/identifiers',
} as const;

/** How strong the evidence for a wire name or form is: seen in Bird's docs or on its real wire, or inferred. */
export type Evidence = 'confirmed' | 'guess';

/** One query parameter as it goes on the wire. */
export interface WireName {
  /** The query name sent to Bird. */
  readonly wire: string;
  /** How a list of values is sent: comma-separated (`a,b`) or the key repeated (`k=a&k=b`); one value otherwise. */
  readonly form: 'single' | 'csv' | 'repeated';
  /** The evidence for the name, and for the form where it is a list. */
  readonly evidence: Evidence;
  readonly formEvidence?: Evidence;
  /** Where the evidence is written down: the section of bird-api.md and its source tags. */
  readonly ref: string;
}

const name = (wire: string, evidence: Evidence, ref: string): WireName => ({ wire, form: 'single', evidence, ref });
const list = (wire: string, form: 'csv' | 'repeated', evidence: Evidence, formEvidence: Evidence, ref: string): WireName => ({
  wire,
  form,
  evidence,
  formEvidence,
  ref,
});

/**
 * THE wire-name table: every query name (and list form) the client sends to a Bird list, with its evidence. It is the
 * one place to correct a name against a live account: the query builders below read it, `npm run bird:probe`
 * (scripts/bird-probe.ts) checks each row against Bird and reports which are honoured, and the layer's filter guard
 * (src/schema/filter-guard.ts) catches a name Bird ignores. A `guess` stays one until a probe run shows it honoured.
 */
export const WIRE_NAMES = Object.freeze({
  /** Paging on the workspace, channel, contact and identifier lists. */
  lists: Object.freeze({
    limit: name('limit', 'confirmed', '§1.4 [DOC:S5, S3, S13, S15, S17]'),
    pageToken: name('pageToken', 'confirmed', '§1.4 [DOC:S5]'),
    reverse: name('reverse', 'confirmed', '§1.4 [DOC:S5]'),
  }),
  /** Both message lists; `batchId` is sent on the channel list only, `channelId` on the workspace list only. */
  messages: Object.freeze({
    limit: name('limit', 'confirmed', '§5 [CODE:C1]'),
    pageToken: name('pageToken', 'confirmed', '§5 [CODE:C1]'),
    reverse: name('reverse', 'guess', '§5: the DOC:S5 convention, not seen on a message list'),
    platform: name('platform', 'guess', '§2a(i) [INF]'),
    direction: name('direction', 'guess', '§2a(i), §5 [3P]'),
    status: list('status', 'csv', 'confirmed', 'guess', '§5 [CODE:C1]; CSV sent by an older C1 version'),
    startAt: name('startAt', 'confirmed', '§5 [CODE:C1]'),
    endAt: name('endAt', 'confirmed', '§5 [CODE:C1]; window ≤ 7 days on the channel list (§2a(v))'),
    senderIdentifier: name('senderIdentifier', 'guess', '§2a(i) [INF]'),
    recipientIdentifier: name('recipientIdentifier', 'guess', '§2a(i) [INF]'),
    tag: name('tag', 'guess', '§2a(i) [INF]'),
    subject: name('subject', 'guess', '§2a(i) [INF]'),
    batchId: name('batchId', 'guess', '§5: DOC:S7 names the filter, not its wire name'),
    channelId: name('channelId', 'guess', '§2a(i), §7: the workspace list itself is unverified'),
  }),
  /** The channel list (§11.1): documented names; arrays as repeated keys. */
  channels: Object.freeze({
    platform: list('platform', 'repeated', 'confirmed', 'guess', '§11.1 [DOC:S3] (string or string[]); repeated keys [INF]'),
    status: name('status', 'confirmed', '§11.1 [DOC:S3]'),
    useCaseType: name('useCaseType', 'confirmed', '§11.1 [DOC:S3]'),
    channelIds: list('channelIds', 'repeated', 'confirmed', 'guess', '§11.1 [DOC:S3]; repeated keys [INF]'),
  }),
});

const wireNamesOf = <K extends string>(rows: Readonly<Record<K, WireName>>): Readonly<Record<K, string>> =>
  Object.freeze(Object.fromEntries(Object.entries(rows).map(([key, row]) => [key, (row as WireName).wire])) as Record<K, string>);

/** Our message filter names → Bird's query names (from WIRE_NAMES.messages). */
export const MESSAGE_FILTER_WIRE_NAMES: Readonly<Record<keyof MessageListFilter, string>> = wireNamesOf(
  Object.fromEntries(Object.entries(WIRE_NAMES.messages).filter(([key]) => !['limit', 'pageToken', 'reverse'].includes(key))) as Record<
    keyof MessageListFilter,
    WireName
  >,
);

/** Our channel filter names → Bird's query names (from WIRE_NAMES.channels). */
export const CHANNEL_FILTER_WIRE_NAMES: Readonly<Record<keyof ChannelListFilter, string>> = wireNamesOf(WIRE_NAMES.channels);

/** A value in the row's form: a list joined by commas or left for repeated keys; a single value as is. */
function onWire(row: WireName, value: string | readonly string[] | undefined): QueryValue {
  if (value === undefined || !Array.isArray(value)) return value as QueryValue;
  return row.form === 'csv' ? value.join(',') : value;
}

function messageFilterQuery(method: string, route: string, filter: MessageListFilter | undefined): [string, QueryValue][] {
  if (filter === undefined) return [];
  const ids = {
    channelId: filter.channelId === undefined ? undefined : checkedUuid(filter.channelId, method, route, 'filter.channelId'),
    batchId: filter.batchId === undefined ? undefined : checkedUuid(filter.batchId, method, route, 'filter.batchId'),
  };
  const checked: MessageListFilter = { ...filter, ...ids };
  return (Object.keys(MESSAGE_FILTER_WIRE_NAMES) as (keyof MessageListFilter)[]).map((key) => {
    const row = WIRE_NAMES.messages[key];
    return [row.wire, onWire(row, checked[key])];
  });
}

function channelFilterQuery(method: string, route: string, filter: ChannelListFilter): [string, QueryValue][] {
  const channelIds = filter.channelIds?.map((id, index) => checkedUuid(id, method, route, `channelIds[${index}]`));
  const checked: ChannelListFilter = { ...filter, channelIds };
  return (Object.keys(WIRE_NAMES.channels) as (keyof ChannelListFilter)[]).map((key) => {
    const row = WIRE_NAMES.channels[key];
    return [row.wire, onWire(row, checked[key])];
  });
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const withId = <T>(value: unknown): value is T => isRecord(value) && typeof value.id === 'string';
const anObject = <T>(value: unknown): value is T => isRecord(value);
const aPage = <T>(value: unknown): value is Page<T> =>
  isRecord(value) &&
  Array.isArray(value.results) &&
  (value.nextPageToken === undefined || typeof value.nextPageToken === 'string');
const aBatch = (value: unknown): value is BatchResponse => isRecord(value) && typeof value.batchId === 'string';
const aPresignedUpload = (value: unknown): value is PresignedUpload =>
  isRecord(value) &&
  typeof value.mediaUrl === 'string' &&
  typeof value.uploadUrl === 'string' &&
  isRecord(value.uploadFormData) &&
  Object.values(value.uploadFormData).every((field) => typeof field === 'string');

// ---------------------------------------------------------------------------------------------------------------
// The client
// ---------------------------------------------------------------------------------------------------------------

/** JSON requests to Bird's API origin, authorized by the caller's credential. */
function jsonRequests(transport: Transport) {
  const headers = (method: string, route: string, call: CallOptions, extra: Record<string, string> = {}) => ({
    accept: 'application/json',
    'user-agent': transport.userAgent,
    authorization: authorizationHeader(call?.credential, method, route),
    ...requestIdHeader(call?.requestId),
    ...extra,
  });
  return {
    getJson<T>(route: string, path: string, call: CallOptions, isShape: Shape<T>): Promise<T> {
      const spec: RequestSpec = {
        method: 'GET',
        origin: transport.apiOrigin,
        route,
        path,
        headers: headers('GET', route, call),
        secret: call.credential?.token,
      };
      return transport.execute(spec, call, (response) => readJson(response, isShape));
    },
    postJson<T>(route: string, path: string, payload: unknown, call: CallOptions, isShape: Shape<T>): Promise<T> {
      const json = JSON.stringify(payload);
      const spec: RequestSpec = {
        method: 'POST',
        origin: transport.apiOrigin,
        route,
        path,
        headers: headers('POST', route, call, { 'content-type': 'application/json' }),
        secret: call.credential?.token,
        body: { open: () => json, replayable: true },
      };
      return transport.execute(spec, call, (response) => readJson(response, isShape));
    },
  };
}

export function createBirdClient(options: BirdClientOptions): BirdClient {
  const transport = createTransport(options);
  const { getJson, postJson } = jsonRequests(transport);

  return {
    async listWorkspaces({ organizationId, ...page }, call) {
      const path = buildPath('GET', ROUTES.workspaces, { organizationId }) + queryString(pageQuery(page));
      return getJson(ROUTES.workspaces, path, call, aPage<Workspace>);
    },

    async getWorkspace({ organizationId, workspaceId }, call) {
      const path = buildPath('GET', ROUTES.workspace, { organizationId, workspaceId });
      return getJson(ROUTES.workspace, path, call, withId<Workspace>);
    },

    async listChannels({ workspaceId, limit, pageToken, reverse, ...filter }, call) {
      const route = ROUTES.channels;
      const path =
        buildPath('GET', route, { workspaceId }) +
        queryString([...pageQuery({ limit, pageToken, reverse }), ...channelFilterQuery('GET', route, filter)]);
      return getJson(route, path, call, aPage<Channel>);
    },

    async getChannel({ workspaceId, channelId }, call) {
      const path = buildPath('GET', ROUTES.channel, { workspaceId, channelId });
      return getJson(ROUTES.channel, path, call, withId<Channel>);
    },

    async getChannelContactInformation({ workspaceId, channelId, contactId, contactIdentifierValue }, call) {
      const path =
        buildPath('GET', ROUTES.channelContact, { workspaceId, channelId, contactId }) +
        queryString([['contactIdentifierValue', contactIdentifierValue]]);
      return getJson(ROUTES.channelContact, path, call, anObject<ChannelContactInformation>);
    },

    async sendMessage({ workspaceId, channelId, message }, call) {
      const path = buildPath('POST', ROUTES.channelMessages, { workspaceId, channelId });
      return postJson(ROUTES.channelMessages, path, message, call, withId<Message>);
    },

    async sendBatch({ workspaceId, channelId, messageRequests }, call) {
      const path = buildPath('POST', ROUTES.batch, { workspaceId, channelId });
      return postJson(ROUTES.batch, path, { messageRequests }, call, aBatch);
    },

    async listChannelMessages({ workspaceId, channelId, filter, ...page }, call) {
      const route = ROUTES.channelMessages;
      const path =
        buildPath('GET', route, { workspaceId, channelId }) +
        queryString([...pageQuery(page), ...messageFilterQuery('GET', route, filter)]);
      return getJson(route, path, call, aPage<Message>);
    },

    async listWorkspaceMessages({ workspaceId, filter, ...page }, call) {
      const route = ROUTES.workspaceMessages;
      const path =
        buildPath('GET', route, { workspaceId }) + queryString([...pageQuery(page), ...messageFilterQuery('GET', route, filter)]);
      return getJson(route, path, call, aPage<Message>);
    },

    async getMessage({ workspaceId, channelId, messageId }, call) {
      const path = buildPath('GET', ROUTES.channelMessage, { workspaceId, channelId, messageId });
      return getJson(ROUTES.channelMessage, path, call, withId<Message>);
    },

    async listInteractions({ workspaceId, channelId, messageId }, call) {
      const path = buildPath('GET', ROUTES.interactions, { workspaceId, channelId, messageId });
      return getJson(ROUTES.interactions, path, call, aPage<Interaction>);
    },

    async createPresignedUpload({ workspaceId, channelId, contentType }, call) {
      const [route, path] =
        channelId === undefined
          ? [ROUTES.presignedUpload, buildPath('POST', ROUTES.presignedUpload, { workspaceId })]
          : [ROUTES.channelPresignedUpload, buildPath('POST', ROUTES.channelPresignedUpload, { workspaceId, channelId })];
      return postJson(route, path, { contentType }, call, aPresignedUpload);
    },

    async uploadFile(params, call) {
      return uploadFile(transport, params, call);
    },

    async downloadMedia(params, call) {
      return downloadMedia(transport, params, call);
    },

    async listContacts({ workspaceId, ...page }, call) {
      const path = buildPath('GET', ROUTES.contacts, { workspaceId }) + queryString(pageQuery(page));
      return getJson(ROUTES.contacts, path, call, aPage<Contact>);
    },

    async getContact({ workspaceId, contactId }, call) {
      const path = buildPath('GET', ROUTES.contact, { workspaceId, contactId });
      return getJson(ROUTES.contact, path, call, withId<Contact>);
    },

    async searchContacts({ workspaceId, identifierKey, identifierValue, platformAddress }, call) {
      const path = buildPath('POST', ROUTES.contactSearch, { workspaceId });
      const payload = { identifier: { key: identifierKey, value: identifierValue }, ...(platformAddress ? { platformAddress } : {}) };
      return postJson(ROUTES.contactSearch, path, payload, call, aPage<Contact>);
    },

    async listContactIdentifiers({ workspaceId, contactId, ...page }, call) {
      const path = buildPath('GET', ROUTES.contactIdentifiers, { workspaceId, contactId }) + queryString(pageQuery(page));
      return getJson(ROUTES.contactIdentifiers, path, call, aPage<ContactIdentifier>);
    },

    close: () => transport.close(),
  };
}
