// The input of one outgoing message, shared by sendMessage and sendMessages: its types, its checks with paths, and its Bird wire form.
//
// `SendMessageInput` (one message plus its workspace and channel) and `OutgoingMessageInput` (one item of a batch)
// are declared from the same field list, so the two cannot drift; `checkMessage` and `toWireRequest` serve both, and
// only the path prefix differs (`["input", …]` or `["input", "messages", "3", …]`).
import type { InputFieldBuilder } from '@pothos/core';
import type { ContactRef, CreateMessageRequest } from '../bird/types.ts';
import { builder } from '../builder.ts';
import { bodyInputPath } from './body-fields.ts';
import { EmailHeaderInput, EmailSenderInput, MessageContentInput } from './content-input.ts';
import { isPlatform, validateContent } from './content-validate.ts';
import { toWireContent } from './content-wire.ts';
import { normalizeUuid } from './ids.ts';
import { RecipientType } from './message.ts';
import type { FieldErrorShape } from './mutation-errors.ts';
import { receiverProblems } from './receiver-rules.ts';

type Types = typeof builder.$inferSchemaTypes;

/** Bird: at most 10 tags, each 1–50 characters of letters, digits, `-`, `_` and spaces. */
const MAX_TAGS = 10;
const TAG_PATTERN = /^[a-zA-Z0-9\-_ ]{1,50}$/;
/** Bird refuses a `scheduledFor` more than 35 days ahead. */
const MAX_SCHEDULE_AHEAD_MS = 35 * 24 * 60 * 60 * 1000;
/**
 * Bounds of our own (Bird documents none): they keep one request's work and size bounded. An address of any known
 * kind is far shorter (E.164 ≤ 16, email ≤ 254 characters); the receiver count bounds an email's to/cc/bcc list.
 */
const MAX_RECEIVERS = 1000;
const MAX_IDENTIFIER_VALUE = 500;
const MAX_IDENTIFIER_KEY = 250;

const ReceiverInput = builder.inputType('ReceiverInput', {
  description:
    'One receiver: an existing contact by id, or an identifier (Bird creates the contact if it is new). On SMS, WhatsApp, RCS and Viber an identifier is a phone number in E.164 form (`+31612345678`); on email, an email address.',
  fields: (t) => ({
    contactId: t.field({ type: 'UUID', description: 'An existing Bird contact.' }),
    identifierKey: t.string({
      description:
        'The identifier kind, e.g. `phonenumber` or `emailaddress`; Bird infers it from the channel when omitted. It must match the channel: `phonenumber` on phone platforms, `emailaddress` on email.',
    }),
    identifierValue: t.string({
      description: 'The identifier, e.g. `+31612345678` (E.164: `+`, country code, number, no spaces) or `ada@example.com`.',
    }),
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

/** The fields of one message, in the order both input types list them. */
function messageFields(t: InputFieldBuilder<Types, 'InputObject'>) {
  return {
    receivers: t.field({
      type: [ReceiverInput],
      required: true,
      description: `Who receives it: exactly one, except on email channels (to, cc and bcc; at most ${MAX_RECEIVERS}).`,
    }),
    content: t.field({ type: MessageContentInput, required: true, description: 'A body, or a template.' }),
    sender: t.field({ type: SenderInput, description: "Overrides the channel's sender." }),
    reference: t.string({
      description:
        'Your correlation reference (any non-empty text; Bird documents no length limit). When omitted one is generated; either way it is returned, to look the message up if the outcome is ever unknown.',
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
  };
}

export const SendMessageInput = builder.inputType('SendMessageInput', {
  description: 'A message to send on a channel: who to, what (a body or a template) and how.',
  fields: (t) => ({
    workspaceId: t.field({ type: 'UUID', required: true, description: 'The Bird workspace UUID.' }),
    channelId: t.field({ type: 'UUID', required: true, description: 'The channel to send on.' }),
    ...messageFields(t),
  }),
});

export const OutgoingMessageInput = builder.inputType('OutgoingMessageInput', {
  description:
    'One message of a batch send: who to, what (a body or a template) and how. The same fields as `SendMessageInput`, whose workspace and channel the batch gives once.',
  fields: (t) => messageFields(t),
});

export type SendMessageInputShape = typeof SendMessageInput.$inferInput;
export type OutgoingMessageInputShape = typeof OutgoingMessageInput.$inferInput;

/** What the checks of a message need to know about where it is sent. */
export interface MessageRules {
  /** The channel's Bird platform id (`sms`, `email`, …). */
  platform: string;
  /** Epoch ms, for the schedule bound. */
  now: number;
  /** True for media URLs on Bird's own media host (uploads), which skip the public-https rule. */
  isAllowedMediaUrl: (url: string) => boolean;
}

const isGiven = <T>(value: T | null | undefined): value is T => value !== null && value !== undefined;

/**
 * Every check Bird would make of one message that needs no call, with paths under `at` (`['input']` for
 * sendMessage, `['input', 'messages', '3']` for a batch item): receivers (who, how many, their addresses on the
 * platform), tags, schedule, validity, reference, reply and content.
 */
export function checkMessage(input: OutgoingMessageInputShape, at: readonly string[], rules: MessageRules): FieldErrorShape[] {
  const errors: FieldErrorShape[] = [];
  const fail = (path: string[], message: string) => errors.push({ path: [...at, ...path], message });
  const isEmail = isPlatform(rules.platform, 'email');
  if (input.receivers.length === 0) fail(['receivers'], 'At least one receiver is required.');
  if (input.receivers.length > MAX_RECEIVERS) fail(['receivers'], `At most ${MAX_RECEIVERS} receivers.`);
  if (!isEmail && input.receivers.length > 1) {
    fail(['receivers'], `Only email channels take more than one receiver; this channel is on ${rules.platform}.`);
  }
  input.receivers.forEach((receiver, index) => {
    const path = ['receivers', String(index)];
    const hasId = isGiven(receiver.contactId);
    const hasValue = isGiven(receiver.identifierValue);
    if (hasId === hasValue) fail(path, 'Give either `contactId` or `identifierValue` (with an optional `identifierKey`).');
    if (hasValue && (receiver.identifierValue!.length === 0 || receiver.identifierValue!.length > MAX_IDENTIFIER_VALUE)) {
      fail([...path, 'identifierValue'], `Must be 1 to ${MAX_IDENTIFIER_VALUE} characters.`);
    } else if (hasValue || isGiven(receiver.identifierKey)) {
      for (const problem of receiverProblems(receiver, rules.platform)) fail([...path, problem.field], problem.message);
    }
    if (isGiven(receiver.identifierKey)) {
      if (!hasValue) fail([...path, 'identifierKey'], '`identifierKey` goes with `identifierValue`.');
      if (receiver.identifierKey.length === 0 || receiver.identifierKey.length > MAX_IDENTIFIER_KEY) {
        fail([...path, 'identifierKey'], `Must be 1 to ${MAX_IDENTIFIER_KEY} characters.`);
      }
    }
    if (!isEmail && receiver.type && receiver.type !== 'to') fail([...path, 'type'], 'cc and bcc exist on email channels only.');
  });
  const tags = input.tags ?? [];
  if (tags.length > MAX_TAGS) fail(['tags'], `At most ${MAX_TAGS} tags.`);
  tags.forEach((tag, index) => {
    if (!TAG_PATTERN.test(tag)) fail(['tags', String(index)], 'A tag is 1–50 letters, digits, `-`, `_` or spaces.');
  });
  if (input.scheduledFor && input.scheduledFor.getTime() > rules.now + MAX_SCHEDULE_AHEAD_MS) {
    fail(['scheduledFor'], 'Bird schedules at most 35 days ahead.');
  }
  if (isGiven(input.validity) && input.validity < 0) fail(['validity'], 'Must be 0 or more seconds.');
  // Ours: an empty reference could never be looked up, which is what a reference is for.
  if (input.reference === '') fail(['reference'], 'Must not be empty (leave it out to have one generated).');
  if (input.replyTo && input.replyTo.id.length === 0) fail(['replyTo', 'id'], 'Must not be empty.');
  for (const error of validateContent(input.content, { platform: rules.platform, isAllowedMediaUrl: rules.isAllowedMediaUrl })) {
    fail(['content', ...error.path], error.message);
  }
  return errors;
}

/**
 * Bird's 422 names its own fields (`receiver.contacts.1.identifierValue`, `body.text.text`); ours differ a little.
 * The result is relative to the message input (no `input` prefix).
 */
export function messagePathFromBird(birdPath: readonly string[]): string[] {
  const [head, ...rest] = birdPath;
  switch (head) {
    case 'receiver':
      return ['receivers', ...(rest[0] === 'contacts' ? rest.slice(1) : rest)];
    case 'body':
      // Inside a body our input flattens Bird's wrappers as the output does; the body field table maps them back.
      return ['content', 'body', ...bodyInputPath(rest)];
    case 'template':
      return ['content', 'template', ...rest];
    case 'meta':
      if (rest[0] === 'email' && rest[1] === 'subject') return ['meta', 'emailSubject'];
      if (rest[0] === 'email' && rest[1] === 'headers') return ['meta', 'emailHeaders'];
      return ['meta', ...rest];
    case undefined:
      return [];
    default:
      return [head, ...rest];
  }
}

/** A sendMessage 422 path → our input path. */
export function inputPathFromBird(birdPath: string[]): string[] {
  return ['input', ...messagePathFromBird(birdPath)];
}

/** A batch 422 path (`messageRequests.3.receiver.contacts.0`) → our input path (`input.messages.3.receivers.0`). */
export function batchInputPathFromBird(birdPath: string[]): string[] {
  const [head, index, ...rest] = birdPath;
  if (head === 'messageRequests' && index !== undefined && /^\d+$/.test(index)) {
    return ['input', 'messages', index, ...messagePathFromBird(rest)];
  }
  return head === 'messageRequests' ? ['input', 'messages'] : ['input', ...messagePathFromBird(birdPath)];
}

/** One message as Bird's `CreateMessage` body, carrying `reference`. */
export function toWireRequest(input: OutgoingMessageInputShape, reference: string): CreateMessageRequest {
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
  if (isGiven(input.validity)) request.validity = input.validity;
  if (input.replyTo) {
    request.replyTo = {
      id: input.replyTo.id,
      type: input.replyTo.type ?? 'message',
      ...(isGiven(input.replyTo.order) ? { order: input.replyTo.order } : {}),
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
