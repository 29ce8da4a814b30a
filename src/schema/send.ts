// sendMessage and sendMessages: every check Bird would make before calling it, the channel's platform (cached), exactly one POST, typed results.
import { randomUUID } from 'node:crypto';
import { BirdError } from '../bird/errors.ts';
import type { CreateMessageRequest } from '../bird/types.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { type MessageModel, keys } from '../loaders.ts';
import { Channel } from './channel.ts';
import { normalizeUuid } from './ids.ts';
import { Message } from './message.ts';
import {
  ConflictStateError,
  type FieldErrorShape,
  InputValidationError,
  MUTATION_ERROR_TYPES,
  MutationError,
  ResourceNotFoundError,
  UnknownOutcomeError,
  mutationErrorFrom,
} from './mutation-errors.ts';
import {
  type OutgoingMessageInputShape,
  OutgoingMessageInput,
  SendMessageInput,
  type SendMessageInputShape,
  batchInputPathFromBird,
  checkMessage,
  inputPathFromBird,
  toWireRequest,
} from './send-input.ts';

export { SendMessageInput, inputPathFromBird } from './send-input.ts';

/** Bird's batch endpoint takes 1 to 100 messages (bird-api.md §9). */
export const MAX_BATCH_MESSAGES = 100;

/**
 * Channel states in which a send is refused (409) before posting; the emulator refuses the same set
 * (SENDABLE_CHANNEL_STATUSES in src/emulator/store.ts, held equal by a test). `warning` is not among them: Bird's
 * channel status enum lists it beside `active` for a connected channel that has something to look at, and nothing in
 * Bird's docs says such a channel stops sending, so refusing it would block sends Bird makes [INF]. The others name a
 * channel that is not (or no longer) connected to its platform.
 */
export const UNSENDABLE_CHANNEL_STATUSES: ReadonlySet<string> = new Set(['pending', 'setting-up', 'failed', 'inactive', 'deleted']);

interface SendMessagePayloadShape {
  message: MessageModel;
  reference: string;
}

const SendMessagePayload = builder.objectRef<SendMessagePayloadShape>('SendMessagePayload').implement({
  description: 'The message Bird accepted (status ACCEPTED or SCHEDULED; follow it through `message.status`).',
  fields: (t) => ({
    // Not `message`: every MutationError has a `message: String!`, and fields of one name in a union must agree.
    sentMessage: t.field({
      type: Message,
      nullable: false,
      description: 'The message as Bird stored it.',
      resolve: (payload) => payload.message,
    }),
    reference: t.exposeString('reference', { nullable: false, description: 'The reference the message carries.' }),
  }),
});

interface SendMessagesPayloadShape {
  batchId: string;
  references: string[];
}

const SendMessagesPayload = builder.objectRef<SendMessagesPayloadShape>('SendMessagesPayload').implement({
  description:
    "The batch Bird accepted. Bird validates its messages afterwards: a message it refuses is stored with status REJECTED and a `reason`; read them all with `Channel.messages(filter: { batchId })`.",
  fields: (t) => ({
    batchId: t.exposeID('batchId', {
      nullable: false,
      description: 'The batch id Bird gave; pass it to `Channel.messages(filter: { batchId })` to follow every message.',
    }),
    references: t.exposeStringList('references', {
      nullable: false,
      description: "Each message's reference, in the order of `input.messages` (generated where none was given).",
    }),
  }),
});

/**
 * A batch reached Bird but no answer came back: Bird may have accepted it (all of it: the batch is one request).
 * Not OutcomeUnknownError, whose one `reference` cannot name a batch's messages.
 */
export class UnknownBatchOutcomeError extends Error {
  override name = 'UnknownBatchOutcomeError';
  constructor(readonly references: string[]) {
    super(
      'Bird did not confirm the batch, and it may have been accepted: do not resend blindly; look its messages up by their references first.',
    );
  }
}

builder.objectType(UnknownBatchOutcomeError, {
  name: 'BatchOutcomeUnknownError',
  description:
    'Bird received the batch but did not confirm it (error or timeout): it may have been accepted. Look its messages up by `references` before sending again.',
  interfaces: [MutationError],
  isTypeOf: (value) => value instanceof UnknownBatchOutcomeError,
  fields: (t) => ({
    references: t.exposeStringList('references', {
      nullable: false,
      description: "The references of the batch's messages, in the order of `input.messages`.",
    }),
  }),
});

/** The configured Bird media origin: uploads from `createMediaUpload` live there and may be sent as media URLs. */
function isBirdMediaUrl(ctx: Context, url: string): boolean {
  try {
    return new URL(url).origin === ctx.mediaOrigin;
  } catch {
    return false;
  }
}

/** What a send needs of its channel: the platform, and the status when the channel was read fresh. */
interface ChannelFacts {
  platform: string;
  status: string | null;
}

/**
 * The channel's platform: from the cache (no call) when this credential used the channel before, else from the
 * channel itself (one batched GET), which is then remembered. Only a channel read fresh carries its status (a cached
 * one's may have changed since): Bird's own 409 then reports a state it refuses. A cold send reads the channel rather
 * than posting and mapping Bird's 422: the platform rules (receiver addresses, one receiver off email, per-platform
 * content) then refuse a bad input with 0 POSTs on the first send too, and Bird's 422 paths for them are unknown.
 */
async function channelFacts(ctx: Context, workspaceId: string, channelId: string): Promise<ChannelFacts> {
  const credential = ctx.bird.call.credential;
  const cached = credential ? ctx.channelPlatforms?.get(credential, workspaceId, channelId) : undefined;
  if (cached !== undefined) return { platform: cached, status: null };
  let channel;
  try {
    channel = await Channel.getDataloader(ctx).load(keys.channel(workspaceId, channelId));
  } catch (error) {
    throw mutationErrorFrom(error, { resource: 'channel' });
  }
  if (!channel) throw new ResourceNotFoundError('channel');
  if (credential) ctx.channelPlatforms?.set(credential, workspaceId, channelId, channel.platformId);
  return { platform: channel.platformId, status: channel.status };
}

/** Refuses, before posting, a channel read fresh whose state Bird refuses to send on. */
function assertSendable(channel: ChannelFacts): void {
  if (channel.status !== null && UNSENDABLE_CHANNEL_STATUSES.has(channel.status)) {
    throw new ConflictStateError(`The channel is ${channel.status}; Bird does not send on it.`);
  }
}

/** Forgets the cached platform when Bird says the channel is gone or no longer this credential's to use. */
function forgetChannelOn(error: unknown, ctx: Context, workspaceId: string, channelId: string): void {
  const credential = ctx.bird.call.credential;
  if (!credential || !(error instanceof BirdError)) return;
  if (error.code === 'NOT_FOUND' || error.code === 'FORBIDDEN' || error.code === 'UNAUTHENTICATED') {
    ctx.channelPlatforms?.delete(credential, workspaceId, channelId);
  }
}

const newReference = () => `bird-graphql-${randomUUID()}`;

async function sendMessage(input: SendMessageInputShape, ctx: Context): Promise<SendMessagePayloadShape> {
  const workspaceId = normalizeUuid(input.workspaceId);
  const channelId = normalizeUuid(input.channelId);
  const channel = await channelFacts(ctx, workspaceId, channelId);
  const rules = { platform: channel.platform, now: Date.now(), isAllowedMediaUrl: (url: string) => isBirdMediaUrl(ctx, url) };
  const errors = checkMessage(input, ['input'], rules);
  if (errors.length > 0) throw new InputValidationError(errors);
  assertSendable(channel);

  const reference = input.reference ?? newReference();
  try {
    // Exactly one POST: the client retries a send only on 429, which Bird documents as not processed.
    const message = await ctx.bird.sendMessage({ workspaceId, channelId, message: toWireRequest(input, reference) });
    return { message: { ...message, workspaceId }, reference };
  } catch (error) {
    forgetChannelOn(error, ctx, workspaceId, channelId);
    throw mutationErrorFrom(error, { resource: 'channel', reference, mapPath: inputPathFromBird });
  }
}

const SendMessagesInput = builder.inputType('SendMessagesInput', {
  description: `Up to ${MAX_BATCH_MESSAGES} messages to send on one channel in one call to Bird (its batch endpoint).`,
  fields: (t) => ({
    workspaceId: t.field({ type: 'UUID', required: true, description: 'The Bird workspace UUID.' }),
    channelId: t.field({ type: 'UUID', required: true, description: 'The channel every message is sent on.' }),
    messages: t.field({
      type: [OutgoingMessageInput],
      required: true,
      description: `The messages: 1 to ${MAX_BATCH_MESSAGES}, each checked before anything is sent.`,
    }),
  }),
});

type SendMessagesInputShape = typeof SendMessagesInput.$inferInput;

async function sendMessages(input: SendMessagesInputShape, ctx: Context): Promise<SendMessagesPayloadShape> {
  const workspaceId = normalizeUuid(input.workspaceId);
  const channelId = normalizeUuid(input.channelId);
  const count = input.messages.length;
  if (count < 1 || count > MAX_BATCH_MESSAGES) {
    throw new InputValidationError([
      { path: ['input', 'messages'], message: `A batch holds 1 to ${MAX_BATCH_MESSAGES} messages (got ${count}).` },
    ]);
  }
  const channel = await channelFacts(ctx, workspaceId, channelId);
  const rules = { platform: channel.platform, now: Date.now(), isAllowedMediaUrl: (url: string) => isBirdMediaUrl(ctx, url) };
  const errors: FieldErrorShape[] = input.messages.flatMap((message: OutgoingMessageInputShape, index: number) =>
    checkMessage(message, ['input', 'messages', String(index)], rules),
  );
  if (errors.length > 0) throw new InputValidationError(errors);
  assertSendable(channel);

  const references = input.messages.map((message) => message.reference ?? newReference());
  const messageRequests: CreateMessageRequest[] = input.messages.map((message, index) => toWireRequest(message, references[index]!));
  try {
    // Exactly one POST for the whole batch, under the same retry rule as a single send (only a 429 is retried).
    const { batchId } = await ctx.bird.sendBatch({ workspaceId, channelId, messageRequests });
    return { batchId, references };
  } catch (error) {
    forgetChannelOn(error, ctx, workspaceId, channelId);
    const mapped = mutationErrorFrom(error, { resource: 'channel', reference: references[0]!, mapPath: batchInputPathFromBird });
    throw mapped instanceof UnknownOutcomeError ? new UnknownBatchOutcomeError(references) : mapped;
  }
}

builder.mutationField('sendMessage', (t) =>
  t.field({
    type: SendMessagePayload,
    nullable: false,
    description:
      'Sends a message on a channel. Every check Bird would make runs first (nothing is sent when one fails), the message is posted exactly once, and the result says what happened: the message, or why not.',
    args: { input: t.arg({ type: SendMessageInput, required: true, description: 'What to send, to whom, and how.' }) },
    errors: { types: MUTATION_ERROR_TYPES, directResult: true, union: { name: 'SendMessageResult', description: 'The sent message, or why it was not sent.' } },
    resolve: (_root, args, ctx) => sendMessage(args.input, ctx),
  }),
);

builder.mutationField('sendMessages', (t) =>
  t.field({
    type: SendMessagesPayload,
    nullable: false,
    description: `Sends 1 to ${MAX_BATCH_MESSAGES} messages on one channel in a single call to Bird's batch endpoint. Every message is checked first (one invalid message and nothing is sent: the error paths name it, e.g. \`["input", "messages", "3", "receivers"]\`); the batch is posted exactly once; Bird then validates and sends each message on its own.`,
    args: { input: t.arg({ type: SendMessagesInput, required: true, description: 'The channel and the messages to send on it.' }) },
    errors: {
      // The mutations' error types, with the batch's own outcome-unknown type for the single send's.
      types: MUTATION_ERROR_TYPES.map((type) => (type === UnknownOutcomeError ? UnknownBatchOutcomeError : type)),
      directResult: true,
      union: { name: 'SendMessagesResult', description: 'The accepted batch, or why it was not sent.' },
    },
    resolve: (_root, args, ctx) => sendMessages(args.input, ctx),
  }),
);
