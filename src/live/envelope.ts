// Decodes Bird's webhook body into the events the graph publishes: the one place that knows the envelope and its payloads.
//
// The envelope `{ service, event, payload }` and the `.inbound` payload (a ChannelMessage) are shown by Bird's docs and
// client code (bird-api.md §8.3, §8.4). INFERRED, not shown anywhere: the `.outbound` payload is the updated
// ChannelMessage and the `.interaction` payload is the Interaction of §8.2. If Bird's real bodies differ, this file
// alone changes.
import type { Interaction, Message } from '../bird/types.ts';

export const LIVE_EVENT_KINDS = ['messageReceived', 'messageUpdated', 'interactionAdded'] as const;
export type LiveEventKind = (typeof LIVE_EVENT_KINDS)[number];

interface EventBase {
  /** Bird's event name, e.g. `sms.outbound`. */
  event: string;
  workspaceId: string;
  channelId: string;
  messageId: string;
  platformId: string;
}

/** `<platform>.inbound` (a new incoming message) or `<platform>.outbound` (a sent message's status changed). */
export interface MessageEvent extends EventBase {
  kind: 'messageReceived' | 'messageUpdated';
  message: Message;
}

/** `<platform>.interaction`: a recipient opened, clicked, read, reacted, … */
export interface InteractionEvent extends EventBase {
  kind: 'interactionAdded';
  interaction: Interaction;
}

export type LiveEvent = MessageEvent | InteractionEvent;

export type DecodeFailure =
  /** Not JSON, not an envelope, or a payload without the ids the graph needs. */
  | 'malformed'
  /** A well-formed event the graph does not publish (another service, `channel.created`, …). */
  | 'unknown-event'
  /** No workspace to publish it under (the subscription URL lacks `?workspaceId=`). */
  | 'unroutable';

export type Decoded = { ok: true; event: LiveEvent } | { ok: false; reason: DecodeFailure; event?: string };

/** The query parameter of the subscription URL that names the workspace (Bird's payloads do not carry it). */
export const WORKSPACE_PARAM = 'workspaceId';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EVENT = /^([a-z0-9][a-z0-9_-]{0,60})\.(inbound|outbound|interaction)$/;
const KIND_OF = { inbound: 'messageReceived', outbound: 'messageUpdated', interaction: 'interactionAdded' } as const;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const uuid = (value: unknown): string | undefined => (typeof value === 'string' && UUID.test(value) ? value.toLowerCase() : undefined);

/** The delivery's body (raw bytes) and the workspace its URL names → the event to publish, or why there is none. */
export function decodeDelivery(body: Uint8Array, workspaceId: string | null): Decoded {
  let envelope: unknown;
  try {
    envelope = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!isObject(envelope) || typeof envelope.service !== 'string' || typeof envelope.event !== 'string') return { ok: false, reason: 'malformed' };
  const name = envelope.event.slice(0, 100);
  const match = envelope.service === 'channels' ? EVENT.exec(envelope.event) : null;
  if (!match) return { ok: false, reason: 'unknown-event', event: name };
  const workspace = uuid(workspaceId);
  if (workspace === undefined) return { ok: false, reason: 'unroutable', event: name };
  const platform = match[1] as string;
  const kind = KIND_OF[match[2] as keyof typeof KIND_OF];
  const payload = envelope.payload;
  if (!isObject(payload)) return { ok: false, reason: 'malformed', event: name };

  if (kind === 'interactionAdded') {
    const [id, messageId, channelId] = [uuid(payload.id), uuid(payload.messageId), uuid(payload.channelId)];
    if (!id || !messageId || !channelId || typeof payload.type !== 'string' || typeof payload.createdAt !== 'string') {
      return { ok: false, reason: 'malformed', event: name };
    }
    const platformId = typeof payload.platformId === 'string' ? payload.platformId : platform;
    const interaction = { ...payload, id, messageId, channelId, platformId } as unknown as Interaction;
    return { ok: true, event: { kind, event: name, workspaceId: workspace, channelId, messageId, platformId, interaction } };
  }
  const [id, channelId] = [uuid(payload.id), uuid(payload.channelId)];
  if (!id || !channelId || typeof payload.status !== 'string' || typeof payload.createdAt !== 'string') {
    return { ok: false, reason: 'malformed', event: name };
  }
  const message = { ...payload, id, channelId } as unknown as Message;
  return { ok: true, event: { kind, event: name, workspaceId: workspace, channelId, messageId: id, platformId: platform, message } };
}
