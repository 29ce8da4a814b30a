// In-memory Bird state for the emulator: workspaces, channels, contacts, messages and media, and every operation a route performs on them.
//
// Each operation throws an `ApiError` for Bird's documented error answers; the server only speaks HTTP. Lists page
// through pages.ts, sends are checked by send-validation.ts, batches wait in batches.ts, statuses advance in lifecycle.ts and upload forms come
// from uploads.ts. Where Bird's docs are silent the choice is marked "Decision:" beside the code.
import { randomUUID } from 'node:crypto';
import type {
  Channel,
  ChannelContactInformation,
  Contact,
  ContactIdentifier,
  ContactRef,
  CreateMessageRequest,
  Interaction,
  InteractionType,
  Message,
  MessageBody,
  MessageStatus,
  Page,
  PresignedUpload,
  Workspace,
} from '../bird/types.ts';
import { BatchQueue } from './batches.ts';
import { ApiError, badRequest, notFound, validationFailed } from './errors.ts';
import { Lifecycle, type StatusExtra, type TimedLifecycle } from './lifecycle.ts';
import {
  byCreatedAt,
  filterValue,
  insertSorted,
  keysetPage,
  messageFilter,
  MESSAGE_LIST_MAX_LIMIT,
  multi,
  pageOptions,
  parseInstant,
  type Query,
  UUID,
  withoutIgnored,
} from './pages.ts';
import { type ChannelRecord, type ContactRecord, identifierKey, type MessageRecord, messageRecord, type StoredMedia } from './records.ts';
import { bodyValidator, type Details, isJsonObject, validateSend } from './send-validation.ts';
import { DEFAULT_MAX_UPLOAD_BYTES, UploadPolicies } from './uploads.ts';
import type { StoreChange } from './webhooks.ts';

/** Which workspaces an access key may touch. */
export type Scope = 'all' | ReadonlySet<string>;

export interface StoreOptions {
  /** Origin the emulator serves at (`http://127.0.0.1:PORT`), used in `mediaUrl`/`uploadUrl`. */
  origin?: string;
  /** Clock (epoch ms): timestamps, scheduling, policy expiry. */
  now?: () => number;
  /** 'manual' (tests advance statuses), ms per lifecycle step, or steps with failures now and then (demo). */
  lifecycle?: 'manual' | number | TimedLifecycle;
  /** Random source in [0, 1) for the timed lifecycle's failures. */
  random?: () => number;
  /** Told about every new or changed message and every interaction (webhook deliveries, src/emulator/webhooks.ts). */
  onChange?: (change: StoreChange) => void;
  /** Largest upload accepted by a presigned policy; Bird documents 100 MiB. */
  maxUploadBytes?: number;
  /**
   * Query names of the list filters to ignore, as a Bird that does not know them would (e.g. `['direction']`): the
   * filter then silently does nothing, which is what the layer's filter guard must catch.
   */
  ignoreFilters?: readonly string[];
}

export interface IncomingMessageInput {
  channelId: string;
  /** The sending contact: an existing `contactId`, or an identifier (the contact is found or created). */
  from: { contactId?: string; identifierKey?: string; identifierValue?: string };
  body: MessageBody;
  id?: string;
  createdAt?: string;
  meta?: Message['meta'];
  tags?: string[];
}

/** The contact search body: `{identifier: {key, value}, platformAddress?}`. */
const validateSearch = bodyValidator({
  type: 'object',
  additionalProperties: false,
  required: ['identifier'],
  properties: {
    identifier: {
      type: 'object',
      additionalProperties: false,
      required: ['key', 'value'],
      properties: { key: { type: 'string', minLength: 1 }, value: { type: 'string', minLength: 1 } },
    },
    platformAddress: { type: 'string' },
  },
});

/** The presigned-upload body (bird-api.md: `contentType` string, minLength 1, required, additionalProperties false). */
const validatePresign = bodyValidator({
  type: 'object',
  additionalProperties: false,
  required: ['contentType'],
  properties: { contentType: { type: 'string', minLength: 1 } },
});

/**
 * Decision: the channel states a send is accepted on; any other answers 409 "conflicting conditions" (Bird's
 * documented answer for a send the state forbids). `warning` sends: Bird's channel status enum lists it beside
 * `active` for a connected channel with something to look at, and nothing in Bird's docs says such a channel stops
 * sending [INF]; `pending`, `setting-up`, `failed`, `inactive` and `deleted` name a channel not (or no longer)
 * connected to its platform. The graph refuses the same states before posting (UNSENDABLE_CHANNEL_STATUSES in
 * src/schema/send.ts; a test holds the two equal).
 */
export const SENDABLE_CHANNEL_STATUSES: ReadonlySet<string> = new Set(['active', 'warning']);

// ---------------------------------------------------------------------------------------------------------------
// The store
// ---------------------------------------------------------------------------------------------------------------

export class Store {
  readonly origin: string;
  readonly now: () => number;
  readonly maxUploadBytes: number;
  private readonly lifecycle: Lifecycle;
  private readonly uploads: UploadPolicies;
  private readonly onChange: ((change: StoreChange) => void) | undefined;
  private readonly ignored: ReadonlySet<string>;

  readonly organizations = new Set<string>();
  readonly workspaces = new Map<string, Workspace>();
  readonly channels = new Map<string, ChannelRecord>();
  readonly messages = new Map<string, MessageRecord>();
  readonly contacts = new Map<string, ContactRecord>();
  /** Media bytes keyed by the path they are served at (e.g. `/workspaces/{ws}/channels/{ch}/media/{id}`). */
  readonly media = new Map<string, StoredMedia>();
  readonly accessKeys = new Map<string, Scope>();

  private readonly workspacesByOrg = new Map<string, Workspace[]>();
  private readonly channelsByWorkspace = new Map<string, ChannelRecord[]>();
  private readonly messagesByWorkspace = new Map<string, MessageRecord[]>();
  private readonly messagesByChannel = new Map<string, MessageRecord[]>();
  private readonly contactsByWorkspace = new Map<string, ContactRecord[]>();
  /** `${ws}\0${key}\0${normalized value}` → contact id. */
  private readonly contactIndex = new Map<string, string>();
  /** Batches answered 202 whose items are not validated yet. */
  private readonly batches = new BatchQueue();

  constructor(options: StoreOptions = {}) {
    this.origin = options.origin ?? 'http://127.0.0.1';
    this.now = options.now ?? Date.now;
    this.maxUploadBytes = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
    this.onChange = options.onChange;
    this.lifecycle = new Lifecycle(options.lifecycle ?? 'manual', this.now, {
      ...(options.random ? { random: options.random } : {}),
      onChange: (record) => this.changed('outbound', record),
    });
    this.uploads = new UploadPolicies(this.now, this.maxUploadBytes);
    this.ignored = new Set(options.ignoreFilters ?? []);
  }

  private nowIso(): string {
    return new Date(this.now()).toISOString();
  }

  /** Tells the webhooks hub about a message: a status change of a sent one (outbound) or an incoming one. */
  private changed(kind: 'inbound' | 'outbound', record: MessageRecord): void {
    if (!this.onChange) return;
    const channelStatus = this.channels.get(record.message.channelId)?.channel.status;
    this.onChange({ kind, workspaceId: record.workspaceId, platformId: record.platformId, ...(channelStatus ? { channelStatus } : {}), message: record.message });
  }

  /** Stops lifecycle timers and drops batches not validated yet (called by the server's close()). */
  close(): void {
    this.lifecycle.close();
    this.batches.close();
  }

  // --- auth ---------------------------------------------------------------------------------------------------

  addAccessKey(key: string, scope: Scope): void {
    this.accessKeys.set(key, scope);
  }

  /** 401 for a missing or unknown key, 403 when the key does not cover `workspaceId`. Returns the key's scope. */
  authorize(key: string | undefined, workspaceId?: string): Scope {
    const scope = key === undefined ? undefined : this.accessKeys.get(key);
    if (scope === undefined) throw new ApiError(401, 'Unauthorized', 'unauthorized request: missing or unknown access key');
    if (workspaceId !== undefined && scope !== 'all' && !scope.has(workspaceId)) {
      throw new ApiError(403, 'Forbidden', 'User has no access to the requested resource');
    }
    return scope;
  }

  // --- workspaces ---------------------------------------------------------------------------------------------

  addWorkspace(workspace: Workspace): Workspace {
    this.organizations.add(workspace.organizationId);
    this.workspaces.set(workspace.id, workspace);
    const list = this.workspacesByOrg.get(workspace.organizationId) ?? [];
    insertSorted(list, workspace, byCreatedAt);
    this.workspacesByOrg.set(workspace.organizationId, list);
    this.channelsByWorkspace.set(workspace.id, []);
    this.messagesByWorkspace.set(workspace.id, []);
    this.contactsByWorkspace.set(workspace.id, []);
    return workspace;
  }

  /** Lists the organization's workspaces the key can see (Decision: a scoped key sees only its own workspaces). */
  listWorkspaces(organizationId: string, query: Query, scope: Scope): Page<Workspace> {
    const list = this.workspacesByOrg.get(organizationId);
    if (!list) throw notFound('organization');
    const options = pageOptions(query, 100);
    return keysetPage(list, byCreatedAt, options, (w) => scope === 'all' || scope.has(w.id));
  }

  getWorkspace(organizationId: string, workspaceId: string): Workspace {
    if (!this.organizations.has(organizationId)) throw notFound('organization');
    const workspace = this.workspaces.get(workspaceId);
    if (!workspace || workspace.organizationId !== organizationId) throw notFound('workspace');
    return workspace;
  }

  private requireWorkspace(workspaceId: string): Workspace {
    const workspace = this.workspaces.get(workspaceId);
    if (!workspace) throw notFound('workspace');
    return workspace;
  }

  // --- channels -----------------------------------------------------------------------------------------------

  addChannel(workspaceId: string, channel: Channel): Channel {
    this.requireWorkspace(workspaceId);
    const record: ChannelRecord = { channel, workspaceId, id: channel.id, createdAt: channel.createdAt ?? this.nowIso() };
    this.channels.set(channel.id, record);
    insertSorted(this.channelsByWorkspace.get(workspaceId) as ChannelRecord[], record, byCreatedAt);
    this.messagesByChannel.set(channel.id, []);
    return channel;
  }

  getChannel(workspaceId: string, channelId: string): Channel {
    return this.requireChannel(workspaceId, channelId).channel;
  }

  private requireChannel(workspaceId: string, channelId: string): ChannelRecord {
    this.requireWorkspace(workspaceId);
    const record = this.channels.get(channelId);
    if (!record || record.workspaceId !== workspaceId) throw notFound('channel');
    return record;
  }

  /** `GET /workspaces/{ws}/channels`: limit 1..1000; filters platform, status, useCaseType, channelIds. */
  listChannels(workspaceId: string, rawQuery: Query): Page<Channel> {
    this.requireWorkspace(workspaceId);
    const query = withoutIgnored(rawQuery, this.ignored);
    const options = pageOptions(query, 1000);
    const platforms = multi(query, 'platform');
    for (const p of platforms ?? []) {
      if (!/^[A-Za-z0-9-]{3,60}$/.test(p)) throw badRequest('invalid platform');
    }
    // Decision: any status string is accepted; an unknown one simply matches nothing (docs: default `preview`, odd).
    const status = filterValue(query, 'status');
    const useCaseType = filterValue(query, 'useCaseType');
    if (useCaseType !== undefined && !['otp', 'transactional', 'marketing', 'conversation'].includes(useCaseType)) {
      throw badRequest('invalid useCaseType');
    }
    const ids = multi(query, 'channelIds');
    for (const id of ids ?? []) if (!UUID.test(id)) throw badRequest('channelIds must be UUIDs');
    const idSet = ids ? new Set(ids.map((id) => id.toLowerCase())) : undefined;
    const accept = (r: ChannelRecord) =>
      (!platforms || platforms.includes(r.channel.platformId)) &&
      (status === undefined || r.channel.status === status) &&
      (useCaseType === undefined || r.channel.useCaseType === useCaseType) &&
      (!idSet || idSet.has(r.id));
    return keysetPage(this.channelsByWorkspace.get(workspaceId) as ChannelRecord[], byCreatedAt, options, accept, (r) => r.channel);
  }

  /**
   * Service window of a contact on a channel. Decision: WhatsApp windows end 24 h after the contact's latest
   * incoming message on the channel (null without one, even if that time has passed); other platforms have no
   * window (null) and report a permanent session. `contactIdentifierValue`, when given, must be one of the
   * contact's identifiers (else 404).
   */
  getChannelContactInformation(workspaceId: string, channelId: string, contactId: string, query: Query): ChannelContactInformation {
    const channel = this.requireChannel(workspaceId, channelId).channel;
    const contact = this.requireContact(workspaceId, contactId);
    const value = filterValue(query, 'contactIdentifierValue');
    if (value !== undefined && !contact.identifiers.some((i) => i.value === value)) throw notFound('contact identifier');
    if (channel.platformId !== 'whatsapp') return { serviceWindowExpireAt: null, isPermanentSession: true, metadata: null };
    const list = this.messagesByChannel.get(channelId) ?? [];
    for (let i = list.length - 1; i >= 0; i--) {
      const record = list[i] as MessageRecord;
      const sender = record.message.sender;
      if (record.message.direction === 'incoming' && 'contact' in sender && sender.contact.id === contactId) {
        return { serviceWindowExpireAt: new Date(record.createdMs + 24 * 3600 * 1000).toISOString(), isPermanentSession: false, metadata: null };
      }
    }
    return { serviceWindowExpireAt: null, isPermanentSession: false, metadata: null };
  }

  // --- contacts -----------------------------------------------------------------------------------------------

  private static normalizeIdentifier(key: string, value: string): string {
    return key === 'emailaddress' ? value.toLowerCase() : value;
  }

  private indexKey(workspaceId: string, key: string, value: string): string {
    return `${workspaceId}\0${key}\0${Store.normalizeIdentifier(key, value)}`;
  }

  /** Adds a contact with its identifiers (`featuredIdentifiers` and `identifierCount` are derived when absent). */
  addContact(workspaceId: string, contact: Contact, identifiers: { key: string; value: string; createdAt?: string }[]): Contact {
    this.requireWorkspace(workspaceId);
    const full: ContactIdentifier[] = identifiers.map((i) => ({
      contactId: contact.id,
      key: i.key,
      value: i.value,
      createdAt: i.createdAt ?? contact.createdAt,
    }));
    contact.featuredIdentifiers ??= full.slice(0, 3).map((i) => ({ key: i.key, value: i.value }));
    contact.identifierCount ??= full.length;
    contact.workspaceId ??= workspaceId;
    const record: ContactRecord = { contact, workspaceId, identifiers: [], id: contact.id, createdAt: contact.createdAt };
    for (const identifier of full) {
      insertSorted(record.identifiers, identifier, identifierKey);
      this.contactIndex.set(this.indexKey(workspaceId, identifier.key, identifier.value), contact.id);
    }
    this.contacts.set(contact.id, record);
    insertSorted(this.contactsByWorkspace.get(workspaceId) as ContactRecord[], record, byCreatedAt);
    return contact;
  }

  findContactByIdentifier(workspaceId: string, key: string, value: string): Contact | undefined {
    const id = this.contactIndex.get(this.indexKey(workspaceId, key, value));
    return id === undefined ? undefined : this.contacts.get(id)?.contact;
  }

  private requireContact(workspaceId: string, contactId: string): ContactRecord {
    this.requireWorkspace(workspaceId);
    const record = this.contacts.get(contactId);
    if (!record || record.workspaceId !== workspaceId) throw notFound('contact');
    return record;
  }

  getContact(workspaceId: string, contactId: string): Contact {
    return this.requireContact(workspaceId, contactId).contact;
  }

  listContacts(workspaceId: string, query: Query): Page<Contact> {
    this.requireWorkspace(workspaceId);
    const options = pageOptions(query, 100);
    return keysetPage(this.contactsByWorkspace.get(workspaceId) as ContactRecord[], byCreatedAt, options, undefined, (r) => r.contact);
  }

  listContactIdentifiers(workspaceId: string, contactId: string, query: Query): Page<ContactIdentifier> {
    const record = this.requireContact(workspaceId, contactId);
    const options = pageOptions(query, 100);
    return keysetPage(record.identifiers, identifierKey, options);
  }

  /** `POST /contacts/search` with `{identifier: {key, value}, platformAddress?}` → `{results}` (0 or 1 contact). */
  searchContacts(workspaceId: string, body: unknown): { results: Contact[] } {
    this.requireWorkspace(workspaceId);
    const details = validateSearch(body);
    if (Object.keys(details).length > 0) throw validationFailed(details);
    const { key, value } = (body as { identifier: { key: string; value: string } }).identifier;
    const contact = this.findContactByIdentifier(workspaceId, key, value);
    return { results: contact ? [contact] : [] };
  }

  /** Finds the contact for (key, value) or creates it (Bird auto-creates receivers on send). */
  private upsertContact(workspaceId: string, key: string, value: string, extra: { key: string; value: string }[] = []): Contact {
    const existing = this.findContactByIdentifier(workspaceId, key, value);
    if (existing) return existing;
    const createdAt = this.nowIso();
    return this.addContact(
      workspaceId,
      { id: randomUUID(), computedDisplayName: value, attributes: {}, createdAt, updatedAt: createdAt },
      [{ key, value }, ...extra.filter((i) => !(i.key === key && i.value === value))],
    );
  }

  // --- messages: reading --------------------------------------------------------------------------------------

  /** Adds a message as is (seed and tests); returns it. */
  addMessage(workspaceId: string, message: Message): Message {
    const channel = this.requireChannel(workspaceId, message.channelId);
    this.insertMessage(workspaceId, channel.channel, message);
    return message;
  }

  private insertMessage(workspaceId: string, channel: Channel, message: Message): MessageRecord {
    const record = messageRecord(workspaceId, channel.platformId, message);
    this.messages.set(message.id, record);
    insertSorted(this.messagesByWorkspace.get(workspaceId) as MessageRecord[], record, byCreatedAt);
    insertSorted(this.messagesByChannel.get(channel.id) as MessageRecord[], record, byCreatedAt);
    return record;
  }

  private requireMessage(workspaceId: string, channelId: string, messageId: string): MessageRecord {
    this.requireChannel(workspaceId, channelId);
    const record = this.messages.get(messageId);
    if (!record || record.workspaceId !== workspaceId || record.message.channelId !== channelId) throw notFound('message');
    return record;
  }

  getMessage(workspaceId: string, channelId: string, messageId: string): Message {
    return this.requireMessage(workspaceId, channelId, messageId).message;
  }

  /** All messages of a workspace (or one channel), oldest first: for tests computing expectations independently. */
  allMessages(workspaceId: string, channelId?: string): Message[] {
    const list = channelId ? this.messagesByChannel.get(channelId) : this.messagesByWorkspace.get(workspaceId);
    return (list ?? []).map((r) => r.message);
  }

  /** `GET /workspaces/{ws}/channels/{ch}/messages` (filters incl. batchId; the 7-day window rule applies). */
  listChannelMessages(workspaceId: string, channelId: string, rawQuery: Query): Page<Message> {
    this.requireChannel(workspaceId, channelId);
    const query = withoutIgnored(rawQuery, this.ignored);
    const options = pageOptions(query, MESSAGE_LIST_MAX_LIMIT);
    const accept = messageFilter(query, 'channel');
    return keysetPage(this.messagesByChannel.get(channelId) as MessageRecord[], byCreatedAt, options, accept, (r) => r.message);
  }

  /** `GET /workspaces/{ws}/messages` (filters incl. channelId; no window limit). */
  listWorkspaceMessages(workspaceId: string, rawQuery: Query): Page<Message> {
    this.requireWorkspace(workspaceId);
    const query = withoutIgnored(rawQuery, this.ignored);
    const options = pageOptions(query, MESSAGE_LIST_MAX_LIMIT);
    const accept = messageFilter(query, 'workspace');
    return keysetPage(this.messagesByWorkspace.get(workspaceId) as MessageRecord[], byCreatedAt, options, accept, (r) => r.message);
  }

  /** `{results}` newest first; Bird documents no pagination for interactions. */
  listInteractions(workspaceId: string, channelId: string, messageId: string): { results: Interaction[] } {
    const record = this.requireMessage(workspaceId, channelId, messageId);
    const results: Interaction[] = [];
    for (let i = record.interactions.length - 1; i >= 0; i--) results.push(record.interactions[i] as Interaction);
    return { results };
  }

  /** Test hook: records an interaction (opened, clicked, read, reaction, …) on a message. */
  addInteraction(
    workspaceId: string,
    messageId: string,
    input: { type: InteractionType } & Partial<Omit<Interaction, 'messageId' | 'channelId' | 'platformId'>>,
  ): Interaction {
    const record = this.messages.get(messageId);
    if (!record || record.workspaceId !== workspaceId) throw notFound('message');
    const m = record.message;
    const interaction: Interaction = {
      messagePartsCount: 1,
      messageTags: m.tags ?? null,
      receiver: m.receiver,
      ...(m.reference !== undefined ? { messageReference: m.reference } : {}),
      ...input,
      id: input.id ?? randomUUID(),
      messageId: m.id,
      channelId: m.channelId,
      platformId: record.platformId,
      createdAt: input.createdAt ?? this.nowIso(),
    };
    insertSorted(record.interactions, interaction, byCreatedAt);
    const channelStatus = this.channels.get(m.channelId)?.channel.status;
    this.onChange?.({ kind: 'interaction', workspaceId, platformId: record.platformId, ...(channelStatus ? { channelStatus } : {}), interaction });
    return interaction;
  }

  /** Test hook: a message received from a contact (status delivered, direction incoming). */
  addIncomingMessage(workspaceId: string, input: IncomingMessageInput): Message {
    const channel = this.requireChannel(workspaceId, input.channelId).channel;
    const key = input.from.identifierKey ?? defaultIdentifierKey(channel);
    let contact: Contact;
    let value: string;
    if (input.from.contactId) {
      const record = this.requireContact(workspaceId, input.from.contactId);
      contact = record.contact;
      value = input.from.identifierValue ?? record.identifiers.find((i) => i.key === key)?.value ?? record.identifiers[0]?.value ?? '';
    } else {
      if (!input.from.identifierValue) throw new Error('addIncomingMessage: from needs contactId or identifierValue');
      value = input.from.identifierValue;
      contact = this.upsertContact(workspaceId, key, value);
    }
    const at = input.createdAt ? new Date(input.createdAt).toISOString() : this.nowIso();
    const message: Message = {
      id: input.id ?? randomUUID(),
      channelId: channel.id,
      sender: { contact: { id: contact.id, identifierKey: key, identifierValue: value } },
      receiver: { connector: { id: channel.connectorId, ...(channel.identifier ? { identifierValue: channel.identifier } : {}) } },
      body: input.body,
      status: 'delivered',
      direction: 'incoming',
      lastStatusAt: at,
      createdAt: at,
      updatedAt: at,
      ...(input.meta ? { meta: input.meta } : {}),
      ...(input.tags ? { tags: input.tags } : {}),
    };
    this.changed('inbound', this.insertMessage(workspaceId, channel, message));
    return message;
  }

  // --- messages: sending and the lifecycle --------------------------------------------------------------------

  /** `POST /workspaces/{ws}/channels/{ch}/messages` → the accepted Message (202), or 404 / 409 / 422. */
  sendMessage(workspaceId: string, channelId: string, body: unknown): Message {
    const channel = this.requireChannel(workspaceId, channelId).channel;
    requireSendable(channel);
    const errors = this.sendDetails(workspaceId, channel, body);
    if (Object.keys(errors).length > 0) throw validationFailed(errors);
    return this.acceptMessage(workspaceId, channel, body as CreateMessageRequest).message;
  }

  /**
   * `POST /workspaces/{ws}/channels/{ch}/batch/messages` → `{batchId}` (the field name is a guess: bird-api.md §9,
   * §15.4). As Bird documents ("accepted to be validated asynchronously and then processed"), the 202 comes first and
   * the items are validated afterwards, on the next turn of the event loop: each becomes a message carrying the
   * batchId, accepted (then the normal lifecycle) or `rejected` with a `reason` and a `failure`. Only the item count
   * (400) and the channel (404, 409) are answered at once.
   */
  sendBatch(workspaceId: string, channelId: string, body: unknown): { batchId: string } {
    const channel = this.requireChannel(workspaceId, channelId).channel;
    const requests = isJsonObject(body) ? body.messageRequests : undefined;
    if (!Array.isArray(requests) || requests.length < 1 || requests.length > 100) {
      throw new ApiError(400, 'InvalidRequest', 'The specified amount of messages in the batch is invalid.');
    }
    requireSendable(channel);
    const batchId = randomUUID();
    this.batches.enqueue(() => {
      for (const request of requests) {
        const errors = this.sendDetails(workspaceId, channel, request);
        if (Object.keys(errors).length === 0) this.acceptMessage(workspaceId, channel, request as CreateMessageRequest, batchId);
        else this.rejectMessage(workspaceId, channel, request, errors, batchId);
      }
    });
    return { batchId };
  }

  /** Resolves once every batch answered so far has had its items validated and stored (tests read back after it). */
  batchesSettled(): Promise<void> {
    return this.batches.settled();
  }

  /** Bird's 422 details for one send request to `channel` (empty when it may be sent). */
  private sendDetails(workspaceId: string, channel: Channel, body: unknown): Details {
    return validateSend(body, {
      platformId: channel.platformId,
      now: this.now(),
      contactExists: (id) => this.contacts.get(id)?.workspaceId === workspaceId,
    });
  }

  /** Resolves each receiver to a contact (creating it when needed) and stores the accepted message. */
  private acceptMessage(workspaceId: string, channel: Channel, request: CreateMessageRequest, batchId?: string): MessageRecord {
    const at = this.nowIso();
    const contacts = request.receiver.contacts.map((c) => this.resolveReceiver(workspaceId, channel, c));
    const scheduled = request.scheduledFor !== undefined && (parseInstant(request.scheduledFor) ?? 0) > this.now();
    const message: Message = {
      id: randomUUID(),
      channelId: channel.id,
      sender: outgoingSender(channel, request),
      receiver: { contacts },
      ...(request.body ? { body: request.body } : {}),
      ...(request.template ? { template: request.template } : {}),
      ...(request.meta !== undefined ? { meta: request.meta } : {}),
      ...(request.reference !== undefined ? { reference: request.reference } : {}),
      ...(request.replyTo !== undefined ? { replyTo: request.replyTo } : {}),
      ...(request.shortLinks ? { shortLinks: request.shortLinks } : {}),
      status: scheduled ? 'scheduled' : 'accepted',
      direction: 'outgoing',
      lastStatusAt: at,
      createdAt: at,
      updatedAt: at,
      ...(request.tags ? { tags: request.tags.map((t) => t.toLowerCase()) } : {}),
      ...(request.scheduledFor !== undefined ? { scheduledFor: request.scheduledFor } : {}),
      ...(batchId ? { batchId } : {}),
    };
    const record = this.insertMessage(workspaceId, channel, message);
    this.lifecycle.schedule(record);
    // Decision: a send's first status (accepted or scheduled) is an outbound event too, like each later change.
    this.changed('outbound', record);
    return record;
  }

  private resolveReceiver(workspaceId: string, channel: Channel, ref: ContactRef): ContactRef {
    const fallbackKey = defaultIdentifierKey(channel);
    let contact: Contact;
    let key: string;
    let value: string;
    if (ref.id !== undefined) {
      const record = this.requireContact(workspaceId, ref.id);
      contact = record.contact;
      key = ref.identifierKey ?? fallbackKey;
      value = ref.identifierValue ?? record.identifiers.find((i) => i.key === key)?.value ?? record.identifiers[0]?.value ?? '';
    } else if (ref.identifierValue !== undefined) {
      key = ref.identifierKey ?? fallbackKey;
      value = ref.identifierValue;
      contact = this.upsertContact(workspaceId, key, value);
    } else if (ref.identifiers !== undefined && ref.identifiers.length > 0) {
      const pairs = ref.identifiers.map((i) => ({ key: i.identifierKey, value: i.identifierValue }));
      const first = pairs.find((p) => this.findContactByIdentifier(workspaceId, p.key, p.value)) ?? (pairs[0] as { key: string; value: string });
      key = first.key;
      value = first.value;
      contact = this.upsertContact(workspaceId, key, value, pairs);
    } else {
      // Decision: a receiver named only by `receiverValue` or `platformAddress` is that address under the channel's key [INF].
      key = ref.identifierKey ?? fallbackKey;
      value = (ref.receiverValue ?? ref.platformAddress) as string;
      contact = this.upsertContact(workspaceId, key, value);
    }
    // Decision: `type` is echoed when given and defaults to `to` on email (to/cc/bcc are email concepts).
    const type = ref.type ?? (channel.platformId === 'email' ? 'to' : undefined);
    return {
      id: contact.id,
      identifierKey: key,
      identifierValue: value,
      ...(type ? { type } : {}),
      ...(ref.platformAddress !== undefined ? { platformAddress: ref.platformAddress } : {}),
    };
  }

  /**
   * Stores an invalid batch item as `rejected`. Decision: only the parts that validated are kept (a body or
   * template that failed validation is dropped), receivers are echoed without contact resolution, and the
   * failure lists the validation messages.
   */
  private rejectMessage(workspaceId: string, channel: Channel, request: unknown, errors: Details, batchId: string): void {
    const at = this.nowIso();
    const r = isJsonObject(request) ? request : {};
    const clean = (key: string) => r[key] !== undefined && r[key] !== null && !Object.keys(errors).some((p) => p === key || p.startsWith(`${key}.`));
    const contacts = clean('receiver') ? (r.receiver as { contacts: ContactRef[] }).contacts : [];
    const summary = Object.entries(errors).map(([path, messages]) => `${path || '(body)'}: ${messages.join('; ')}`).join(', ');
    const message: Message = {
      id: randomUUID(),
      channelId: channel.id,
      sender: outgoingSender(channel, clean('sender') ? (r as unknown as CreateMessageRequest) : undefined),
      receiver: { contacts },
      ...(clean('body') ? { body: r.body as MessageBody } : {}),
      ...(clean('template') ? { template: r.template as Message['template'] } : {}),
      ...(clean('reference') ? { reference: r.reference as string } : {}),
      status: 'rejected',
      reason: 'validation failed',
      failure: { code: 422, description: summary, source: { code: 'ValidationError', name: 'pre-processing' } },
      direction: 'outgoing',
      lastStatusAt: at,
      createdAt: at,
      updatedAt: at,
      ...(clean('tags') ? { tags: (r.tags as string[]).map((t) => t.toLowerCase()) } : {}),
      batchId,
    };
    this.changed('outbound', this.insertMessage(workspaceId, channel, message));
  }

  /**
   * Test hook: moves a message one lifecycle step (scheduled → accepted → processing → sent → delivered), or to
   * `to` (any status: failures get a default `failure`/`reason` unless given). Updates lastStatusAt/updatedAt.
   */
  advanceMessage(workspaceId: string, messageId: string, to?: MessageStatus, extra: StatusExtra = {}): Message {
    const record = this.messages.get(messageId);
    if (!record || record.workspaceId !== workspaceId) throw notFound('message');
    return this.lifecycle.advance(record, to, extra);
  }

  // --- media --------------------------------------------------------------------------------------------------

  /** Stores bytes served at `path` (seed: incoming media; uploads land here too). */
  addMedia(path: string, bytes: Buffer, contentType: string): void {
    this.media.set(path, { bytes, contentType });
  }

  getMedia(path: string): StoredMedia {
    const media = this.media.get(path);
    if (!media) throw notFound('media');
    return media;
  }

  /** Both presigned-upload variants: Bird's four fields, the form minted by uploads.ts for a fresh media path. */
  createPresignedUpload(workspaceId: string, channelId: string | undefined, body: unknown): PresignedUpload {
    if (channelId !== undefined) this.requireChannel(workspaceId, channelId);
    else this.requireWorkspace(workspaceId);
    const details = validatePresign(body);
    if (Object.keys(details).length > 0) throw validationFailed(details);
    const { contentType } = body as { contentType: string };
    const mediaId = randomUUID();
    const mediaPath = channelId
      ? `/workspaces/${workspaceId}/channels/${channelId}/media/${mediaId}`
      : `/workspaces/${workspaceId}/media/${mediaId}`;
    const fields = this.uploads.mint({ workspaceId, ...(channelId ? { channelId } : {}), mediaId, mediaPath, contentType });
    return { mediaUrl: `${this.origin}${mediaPath}`, uploadUrl: `${this.origin}/media-upload`, uploadMethod: 'POST', uploadFormData: { ...fields } };
  }

  /** POST /media-upload: the form is checked by uploads.ts, then the file is served at the policy's media path. */
  completeUpload(fields: ReadonlyMap<string, string>, file: Buffer | undefined): void {
    const { mediaPath, bytes, contentType } = this.uploads.accept(fields, file);
    this.addMedia(mediaPath, bytes, contentType);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------------

/** 409 for a channel whose state forbids sending (SENDABLE_CHANNEL_STATUSES). */
function requireSendable(channel: Channel): void {
  if (!SENDABLE_CHANNEL_STATUSES.has(channel.status)) {
    throw new ApiError(409, 'Conflict', `Creating the message was not possible because of conflicting conditions: channel is ${channel.status}`);
  }
}

/** Decision (after Bird's docs): email receivers are keyed `emailaddress`, every other platform `phonenumber`. */
function defaultIdentifierKey(channel: Channel): string {
  return channel.platformId === 'email' ? 'emailaddress' : 'phonenumber';
}

/**
 * Decision: the sender is the channel's connector; `identifierValue` is the request's `sender.connector.identifierValue`
 * when given (Bird uses it to override the email username), else the channel's identifier.
 */
function outgoingSender(channel: Channel, request: Pick<CreateMessageRequest, 'sender'> | undefined): Message['sender'] {
  const override = request?.sender?.connector;
  const identifierValue = override?.identifierValue ?? channel.identifier;
  return {
    connector: {
      id: channel.connectorId,
      ...(identifierValue !== undefined ? { identifierValue } : {}),
      ...(override?.annotations ? { annotations: override.annotations } : {}),
    },
  };
}
