// The emulator's control routes (/_emulator/…), not Bird's: make an inbound message or an interaction arrive, or move a sent message's status, with a curl.
//
// They need an access key covering the workspace, like Bird's own routes, and they act through the store, so every
// matching webhook subscription gets its delivery exactly as if Bird had seen the event.
import { INTERACTION_TYPES, type Interaction, MESSAGE_STATUSES, type Message, type MessageBody, type MessageStatus } from '../bird/types.ts';
import { ApiError, notFound, validationFailed } from './errors.ts';
import { bodyValidator } from './send-validation.ts';
import type { Scope, Store } from './store.ts';

export const CONTROL_PREFIX = '/_emulator';

const uuid = { type: 'string', format: 'uuid' };

const validateInbound = bodyValidator({
  type: 'object',
  additionalProperties: false,
  required: ['channelId'],
  properties: {
    channelId: uuid,
    text: { type: 'string', minLength: 1, maxLength: 4096 },
    // A full MessageBody (image, file, location, …); the emulator stores it as given.
    body: { type: 'object', required: ['type'], properties: { type: { type: 'string' } } },
    from: {
      type: 'object',
      additionalProperties: false,
      properties: { contactId: uuid, identifierKey: { type: 'string', minLength: 1 }, identifierValue: { type: 'string', minLength: 1, maxLength: 320 } },
    },
  },
});

const validateInteraction = bodyValidator({
  type: 'object',
  additionalProperties: false,
  required: ['messageId', 'type'],
  properties: {
    messageId: uuid,
    type: { type: 'string', enum: [...INTERACTION_TYPES] },
    details: { type: 'string', maxLength: 200 },
    metadata: { type: 'object' },
  },
});

const validateStatus = bodyValidator({
  type: 'object',
  additionalProperties: false,
  properties: { status: { type: 'string', enum: [...MESSAGE_STATUSES] } },
});

function check(validate: (body: unknown) => Record<string, string[]>, body: unknown): void {
  const details = validate(body);
  if (Object.keys(details).length > 0) throw validationFailed(details);
}

function authorizeWorkspace(scope: Scope, workspaceId: string): void {
  if (scope !== 'all' && !scope.has(workspaceId)) throw new ApiError(403, 'Forbidden', 'User has no access to the requested resource');
}

/**
 * `POST /_emulator/inbound` `{ channelId, text | body, from? }` → 201 with the incoming message (status delivered).
 * `from` defaults to the workspace's oldest contact; an unknown `identifierValue` creates a contact, as Bird does.
 */
export function controlInbound(store: Store, scope: Scope, body: unknown): Message {
  check(validateInbound, body);
  const request = body as { channelId: string; text?: string; body?: MessageBody; from?: { contactId?: string; identifierKey?: string; identifierValue?: string } };
  if ((request.text === undefined) === (request.body === undefined)) throw validationFailed({ '': ['must have exactly one of text or body'] });
  const channel = store.channels.get(request.channelId.toLowerCase());
  if (!channel) throw notFound('channel');
  authorizeWorkspace(scope, channel.workspaceId);
  let from = request.from ?? {};
  if (from.contactId === undefined && from.identifierValue === undefined) {
    const oldest = [...store.contacts.values()].find((c) => c.workspaceId === channel.workspaceId);
    if (!oldest) throw validationFailed({ from: ['is required: the workspace has no contacts'] });
    from = { contactId: oldest.id };
  }
  const messageBody: MessageBody = request.body ?? { type: 'text', text: { text: request.text as string } };
  return store.addIncomingMessage(channel.workspaceId, { channelId: channel.id, from, body: messageBody });
}

/** `POST /_emulator/interactions` `{ messageId, type, details?, metadata? }` → 201 with the interaction. */
export function controlInteraction(store: Store, scope: Scope, body: unknown): Interaction {
  check(validateInteraction, body);
  const request = body as { messageId: string; type: Interaction['type']; details?: string; metadata?: Interaction['metadata'] };
  const record = store.messages.get(request.messageId.toLowerCase());
  if (!record) throw notFound('message');
  authorizeWorkspace(scope, record.workspaceId);
  return store.addInteraction(record.workspaceId, record.id, {
    type: request.type,
    ...(request.details !== undefined ? { details: request.details } : {}),
    ...(request.metadata !== undefined ? { metadata: request.metadata } : {}),
  });
}

/**
 * `POST /_emulator/messages/{messageId}/status` `{ status? }` → 200 with the message moved one lifecycle step (or to
 * `status`); 409 when the message is already in a final status and no status is given.
 */
export function controlStatus(store: Store, scope: Scope, messageId: string, body: unknown): Message {
  check(validateStatus, body ?? {});
  const record = store.messages.get(messageId.toLowerCase());
  if (!record) throw notFound('message');
  authorizeWorkspace(scope, record.workspaceId);
  const to = (body as { status?: MessageStatus } | undefined)?.status;
  try {
    return store.advanceMessage(record.workspaceId, record.id, to);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError(409, 'Conflict', `The message is in the final status ${record.message.status}`);
  }
}
