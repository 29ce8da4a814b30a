// sendMessage: the send input, every check Bird would make run before calling it, exactly one POST, typed results.
import { randomUUID } from 'node:crypto';
import type { ContactRef, CreateMessageRequest } from '../bird/types.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { type MessageModel, keys } from '../loaders.ts';
import { Channel } from './channel.ts';
import { bodyInputPath } from './body-fields.ts';
import { EmailHeaderInput, EmailSenderInput, MessageContentInput } from './content-input.ts';
import { validateContent } from './content-validate.ts';
import { toWireContent } from './content-wire.ts';
import { normalizeUuid } from './ids.ts';
import { Message, RecipientType } from './message.ts';
import {
  ConflictStateError,
  type FieldErrorShape,
  InputValidationError,
  MUTATION_ERROR_TYPES,
  ResourceNotFoundError,
  mutationErrorFrom,
} from './mutation-errors.ts';

/** Bird: at most 10 tags, each 1–50 characters of letters, digits, `-`, `_` and spaces. */
const MAX_TAGS = 10;
const TAG_PATTERN = /^[a-zA-Z0-9\-_ ]{1,50}$/;
/** Bird refuses a `scheduledFor` more than 35 days ahead. */
const MAX_SCHEDULE_AHEAD_MS = 35 * 24 * 60 * 60 * 1000;
const MAX_REFERENCE_LENGTH = 256;
const MAX_RECEIVERS = 1000;
/** Channel states in which Bird refuses to send (409); checked first so nothing is posted. */
const UNSENDABLE_CHANNEL_STATUSES = new Set(['inactive', 'deleted']);

const ReceiverInput = builder.inputType('ReceiverInput', {
  description: 'One receiver: an existing contact by id, or an identifier (Bird creates the contact if it is new).',
  fields: (t) => ({
    contactId: t.field({ type: 'UUID', description: 'An existing Bird contact.' }),
    identifierKey: t.string({
      description: 'The identifier kind, e.g. `phonenumber` or `emailaddress`; Bird infers it from the channel when omitted.',
    }),
    identifierValue: t.string({ description: 'The identifier, e.g. `+31612345678` or `ada@example.com`.' }),
    type: t.field({ type: RecipientType, description: 'Email only: to (default), cc or bcc.' }),
  }),
});

const SenderInput = builder.inputType('SenderOverrideInput', {
  description: "Overrides the channel's sender for this message (for email: the sender's username and display name).",
  fields: (t) => ({
    identifierValue: t.string({ required: true, description: 'The sender identifier, e.g. the email username.' }),
    name: t.string({ description: 'The display name.' }),
  }),
});

const MessageMetaInput = builder.inputType('MessageMetaInput', {
  description: 'Extra information sent with the message.',
  fields: (t) => ({
    emailSubject: t.string({ description: 'The email subject.' }),
    emailHeaders: t.field({ type: [EmailHeaderInput], description: 'Extra email headers.' }),
    emailFrom: t.field({ type: EmailSenderInput, description: 'The email From: for this message.' }),
    extraInformation: t.field({
      type: 'JSONObject',
      description: 'Free-form information stored with the message (e.g. `{"useCase": "marketing"}`).',
    }),
  }),
});

const ReplyToType = builder.enumType('ReplyToType', {
  description: 'What a message replies to.',
  values: {
    MESSAGE: { value: 'message', description: 'A received message.' },
    CLICK: { value: 'click', description: 'A click on a message.' },
    REFERRALS: { value: 'referrals', description: 'A referral.' },
  },
});

const ReplyToInput = builder.inputType('ReplyToInput', {
  description: 'Makes the message a reply (for example to a received WhatsApp message).',
  fields: (t) => ({
    id: t.string({ required: true, description: 'The Bird id of what is replied to (a received message id).' }),
    type: t.field({ type: ReplyToType, defaultValue: 'message', description: 'What is replied to.' }),
    order: t.int({ description: 'The position within the replied-to item.' }),
  }),
});

export const SendMessageInput = builder.inputType('SendMessageInput', {
  description: 'A message to send on a channel: who to, what (a body or a template) and how.',
  fields: (t) => ({
    workspaceId: t.field({ type: 'UUID', required: true, description: 'The Bird workspace UUID.' }),
    channelId: t.field({ type: 'UUID', required: true, description: 'The channel to send on.' }),
    receivers: t.field({
      type: [ReceiverInput],
      required: true,
      description: 'Who receives it: exactly one, except on email channels (to, cc and bcc).',
    }),
    content: t.field({ type: MessageContentInput, required: true, description: 'A body, or a template.' }),
    sender: t.field({ type: SenderInput, description: "Overrides the channel's sender." }),
    reference: t.string({
      description:
        'Your correlation reference (at most 256 characters). When omitted one is generated; either way it is returned, to look the message up if the outcome is ever unknown.',
    }),
    tags: t.stringList({ description: 'Up to 10 tags of 1–50 letters, digits, `-`, `_` or spaces (Bird lower-cases them).' }),
    scheduledFor: t.field({
      type: 'DateTime',
      description: 'Send later, at most 35 days ahead; a time in the past or under 10 minutes ahead sends now.',
    }),
    validity: t.int({
      description: 'Seconds Bird keeps trying to deliver; defaults by channel type (36 hours; 10 minutes for 2FA).',
    }),
    meta: t.field({ type: MessageMetaInput, description: 'Email subject and headers, extra information.' }),
    replyTo: t.field({ type: ReplyToInput, description: 'Makes the message a reply.' }),
  }),
});

type SendMessageInputShape = typeof SendMessageInput.$inferInput;

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

/** Checks that need no upstream call, with the path of each offending field. */
function checkInput(input: SendMessageInputShape, now: number): FieldErrorShape[] {
  const errors: FieldErrorShape[] = [];
  if (input.receivers.length === 0) errors.push({ path: ['input', 'receivers'], message: 'At least one receiver is required.' });
  if (input.receivers.length > MAX_RECEIVERS) {
    errors.push({ path: ['input', 'receivers'], message: `At most ${MAX_RECEIVERS} receivers.` });
  }
  input.receivers.forEach((receiver, index) => {
    const path = ['input', 'receivers', String(index)];
    const hasId = receiver.contactId !== null && receiver.contactId !== undefined;
    const hasValue = receiver.identifierValue !== null && receiver.identifierValue !== undefined;
    if (hasId === hasValue) {
      errors.push({ path, message: 'Give either `contactId` or `identifierValue` (with an optional `identifierKey`).' });
    }
    if (hasValue && (receiver.identifierValue!.length === 0 || receiver.identifierValue!.length > 500)) {
      errors.push({ path: [...path, 'identifierValue'], message: 'Must be 1 to 500 characters.' });
    }
    if (receiver.identifierKey !== null && receiver.identifierKey !== undefined) {
      if (!hasValue) errors.push({ path: [...path, 'identifierKey'], message: '`identifierKey` goes with `identifierValue`.' });
      if (receiver.identifierKey.length === 0 || receiver.identifierKey.length > 250) {
        errors.push({ path: [...path, 'identifierKey'], message: 'Must be 1 to 250 characters.' });
      }
    }
  });
  const tags = input.tags ?? [];
  if (tags.length > MAX_TAGS) errors.push({ path: ['input', 'tags'], message: `At most ${MAX_TAGS} tags.` });
  tags.forEach((tag, index) => {
    if (!TAG_PATTERN.test(tag)) {
      errors.push({
        path: ['input', 'tags', String(index)],
        message: 'A tag is 1–50 letters, digits, `-`, `_` or spaces.',
      });
    }
  });
  if (input.scheduledFor && input.scheduledFor.getTime() > now + MAX_SCHEDULE_AHEAD_MS) {
    errors.push({ path: ['input', 'scheduledFor'], message: 'Bird schedules at most 35 days ahead.' });
  }
  if (input.validity !== null && input.validity !== undefined && input.validity < 0) {
    errors.push({ path: ['input', 'validity'], message: 'Must be 0 or more seconds.' });
  }
  if (input.reference !== null && input.reference !== undefined) {
    if (input.reference.length === 0 || input.reference.length > MAX_REFERENCE_LENGTH) {
      errors.push({ path: ['input', 'reference'], message: `Must be 1 to ${MAX_REFERENCE_LENGTH} characters.` });
    }
  }
  if (input.replyTo && input.replyTo.id.length === 0) {
    errors.push({ path: ['input', 'replyTo', 'id'], message: 'Must not be empty.' });
  }
  return errors;
}

/** Bird's 422 names its own fields (`receiver.contacts.1.identifierValue`, `body.text.text`); ours differ a little. */
export function inputPathFromBird(birdPath: string[]): string[] {
  const [head, ...rest] = birdPath;
  switch (head) {
    case 'receiver':
      return ['input', 'receivers', ...(rest[0] === 'contacts' ? rest.slice(1) : rest)];
    case 'body':
      // Inside a body our input flattens Bird's wrappers as the output does; the body field table maps them back.
      return ['input', 'content', 'body', ...bodyInputPath(rest)];
    case 'template':
      return ['input', 'content', 'template', ...rest];
    case 'meta':
      if (rest[0] === 'email' && rest[1] === 'subject') return ['input', 'meta', 'emailSubject'];
      if (rest[0] === 'email' && rest[1] === 'headers') return ['input', 'meta', 'emailHeaders'];
      return ['input', 'meta', ...rest];
    case undefined:
      return ['input'];
    default:
      return ['input', head, ...rest];
  }
}

function toWireRequest(input: SendMessageInputShape, reference: string): CreateMessageRequest {
  const contacts: ContactRef[] = input.receivers.map((receiver) => ({
    ...(receiver.contactId ? { id: normalizeUuid(receiver.contactId) } : {}),
    ...(receiver.identifierKey ? { identifierKey: receiver.identifierKey } : {}),
    ...(receiver.identifierValue ? { identifierValue: receiver.identifierValue } : {}),
    ...(receiver.type ? { type: receiver.type } : {}),
  }));
  const request: CreateMessageRequest = { receiver: { contacts }, reference, ...toWireContent(input.content) };
  if (input.sender) {
    request.sender = {
      connector: {
        identifierValue: input.sender.identifierValue,
        ...(input.sender.name ? { annotations: { name: input.sender.name } } : {}),
      },
    };
  }
  if (input.tags && input.tags.length > 0) request.tags = input.tags;
  if (input.scheduledFor) request.scheduledFor = input.scheduledFor.toISOString();
  if (input.validity !== null && input.validity !== undefined) request.validity = input.validity;
  if (input.replyTo) {
    request.replyTo = {
      id: input.replyTo.id,
      type: input.replyTo.type ?? 'message',
      ...(input.replyTo.order !== null && input.replyTo.order !== undefined ? { order: input.replyTo.order } : {}),
    };
  }
  const meta = input.meta;
  if (meta) {
    const email = {
      ...(meta.emailSubject ? { subject: meta.emailSubject } : {}),
      ...(meta.emailHeaders && meta.emailHeaders.length > 0
        ? { headers: Object.fromEntries(meta.emailHeaders.map((header) => [header.name, header.value])) }
        : {}),
      ...(meta.emailFrom
        ? {
            from: {
              ...(meta.emailFrom.username ? { username: meta.emailFrom.username } : {}),
              ...(meta.emailFrom.displayName ? { displayName: meta.emailFrom.displayName } : {}),
            },
          }
        : {}),
    };
    request.meta = {
      ...(Object.keys(email).length > 0 ? { email } : {}),
      ...(meta.extraInformation ? { extraInformation: meta.extraInformation } : {}),
    };
    if (Object.keys(request.meta).length === 0) delete request.meta;
  }
  return request;
}

/** The configured Bird media origin: uploads from `createMediaUpload` live there and may be sent as media URLs. */
function isBirdMediaUrl(ctx: Context, url: string): boolean {
  try {
    return new URL(url).origin === ctx.mediaOrigin;
  } catch {
    return false;
  }
}

async function sendMessage(input: SendMessageInputShape, ctx: Context): Promise<SendMessagePayloadShape> {
  const workspaceId = normalizeUuid(input.workspaceId);
  const channelId = normalizeUuid(input.channelId);
  const errors = checkInput(input, Date.now());

  // The channel (one batched, cached GET) says which platform rules apply; nothing is sent to an unknown channel.
  let channel;
  try {
    channel = await Channel.getDataloader(ctx).load(keys.channel(workspaceId, channelId));
  } catch (error) {
    throw mutationErrorFrom(error, { resource: 'channel' });
  }
  if (!channel) throw new ResourceNotFoundError('channel');
  const isEmail = channel.platformId === 'email';
  if (!isEmail && input.receivers.length > 1) {
    errors.push({
      path: ['input', 'receivers'],
      message: `Only email channels take more than one receiver; this channel is on ${channel.platformId}.`,
    });
  }
  if (!isEmail) {
    input.receivers.forEach((receiver, index) => {
      if (receiver.type && receiver.type !== 'to') {
        errors.push({ path: ['input', 'receivers', String(index), 'type'], message: 'cc and bcc exist on email channels only.' });
      }
    });
  }
  errors.push(
    ...validateContent(input.content, {
      platform: channel.platformId,
      isAllowedMediaUrl: (url) => isBirdMediaUrl(ctx, url),
    }).map((error) => ({ ...error, path: ['input', 'content', ...error.path] })),
  );
  if (errors.length > 0) throw new InputValidationError(errors);
  if (UNSENDABLE_CHANNEL_STATUSES.has(channel.status)) {
    throw new ConflictStateError(`The channel is ${channel.status}; Bird does not send on it.`);
  }

  const reference = input.reference ?? `bird-graphql-${randomUUID()}`;
  try {
    // Exactly one POST: the client retries a send only on 429, which Bird documents as not processed.
    const message = await ctx.bird.sendMessage({ workspaceId, channelId, message: toWireRequest(input, reference) });
    return { message: { ...message, workspaceId }, reference };
  } catch (error) {
    throw mutationErrorFrom(error, { resource: 'channel', reference, mapPath: inputPathFromBird });
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
