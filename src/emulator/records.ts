// The records the emulator's store keeps per entity, and the derived fields a message record carries for cheap list filters.
import type { Channel, Contact, ContactIdentifier, Interaction, Message } from '../bird/types.ts';
import type { SortKey } from './pages.ts';

/** A channel and the workspace it belongs to. */
export interface ChannelRecord {
  channel: Channel;
  workspaceId: string;
  createdAt: string;
  id: string;
}

/** A message plus the derived fields its filters need, computed once at insert so lists stay cheap. */
export interface MessageRecord {
  message: Message;
  workspaceId: string;
  platformId: string;
  id: string;
  createdAt: string;
  createdMs: number;
  senderIds: string[];
  recipientIds: string[];
  subjects: string;
  interactions: Interaction[];
  timer?: NodeJS.Timeout;
}

/** A contact with all its identifiers (the Contact object itself carries only the featured ones). */
export interface ContactRecord {
  contact: Contact;
  workspaceId: string;
  identifiers: ContactIdentifier[];
  id: string;
  createdAt: string;
}

/** Bytes served at a media path. */
export interface StoredMedia {
  bytes: Buffer;
  contentType: string;
}

/** A message's record, its filter fields derived once here. */
export function messageRecord(workspaceId: string, platformId: string, message: Message): MessageRecord {
  return {
    message,
    workspaceId,
    platformId,
    id: message.id,
    createdAt: message.createdAt,
    createdMs: Date.parse(message.createdAt),
    senderIds: partyIdentifiers(message.sender),
    recipientIds: partyIdentifiers(message.receiver),
    subjects: messageSubjects(message),
    interactions: [],
  };
}

/** A contact identifier's keyset position: its createdAt, ties broken by `key:value`. */
export const identifierKey = (i: ContactIdentifier): SortKey => [i.createdAt, `${i.key}:${i.value}`];

/** Lower-cased identifier values of a sender or receiver: contact(s) and connector alike. */
function partyIdentifiers(party: Message['sender'] | Message['receiver']): string[] {
  if ('connector' in party) return party.connector.identifierValue ? [party.connector.identifierValue.toLowerCase()] : [];
  if ('contact' in party) return [party.contact.identifierValue.toLowerCase()];
  return party.contacts.flatMap((c) => [
    ...(c.identifierValue ? [c.identifierValue.toLowerCase()] : []),
    ...(c.identifiers ?? []).map((i) => i.identifierValue.toLowerCase()),
  ]);
}

/** Lower-cased subjects: meta.email.subject and the html/text body metadata subject, newline-joined. */
function messageSubjects(message: Message): string {
  const subjects: string[] = [];
  if (message.meta?.email?.subject) subjects.push(message.meta.email.subject);
  const body = message.body;
  if (body?.type === 'html' && body.html.metadata?.subject) subjects.push(body.html.metadata.subject);
  if (body?.type === 'text' && body.text.metadata?.subject) subjects.push(body.text.metadata.subject);
  return subjects.join('\n').toLowerCase();
}
