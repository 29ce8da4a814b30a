// Contact: a loadable node (deduplicated, fanned out with bounded concurrency), Workspace.contacts and the contact root fields.
import { builder } from '../builder.ts';
import type { ContactIdentifier as WireContactIdentifier } from '../bird/types.ts';
import type { Context } from '../context.ts';
import { badUserInput } from '../errors.ts';
import { type ContactModel, keys, loadContacts } from '../loaders.ts';
import { validates, validatesConnection } from './arguments.ts';
import { representationKey } from './federation.ts';
import { normalizeUuid, parseNodeKey } from './ids.ts';
import { lazyConnection } from './lazy-parent.ts';
import { type ConnectionArgs, prepareConnection, resolveConnection } from './pagination.ts';
import { Workspace, organizationFor } from './workspace.ts';

/** Bird's Contacts API pages 1..100 at a time. */
const CONTACT_LIST_MAX_LIMIT = 100;

const FeaturedIdentifier = builder.objectRef<{ key: string; value: string }>('ContactFeaturedIdentifier').implement({
  description: "One of the identifiers Bird features on a contact (its main email address, phone number, …).",
  fields: (t) => ({
    key: t.exposeString('key', { nullable: false, description: 'The identifier kind, e.g. `emailaddress` or `phonenumber`.' }),
    value: t.exposeString('value', { nullable: false, description: 'The identifier value, e.g. `+31612345678`.' }),
  }),
});

const ContactIdentifier = builder.objectRef<WireContactIdentifier>('ContactIdentifier').implement({
  description: 'An identifier by which Bird recognises a contact on some platform.',
  fields: (t) => ({
    key: t.exposeString('key', { nullable: false, description: 'The identifier kind, e.g. `emailaddress` or `phonenumber`.' }),
    value: t.exposeString('value', { nullable: false, description: 'The identifier value.' }),
    properties: t.expose('properties', {
      type: 'JSONObject',
      description: 'Extra properties of the identifier (free-form).',
    }),
    createdAt: t.expose('createdAt', {
      type: 'DateTime',
      nullable: false,
      description: 'When the identifier was added.',
    }),
  }),
});

export const Contact = builder.loadableNode('Contact', {
  description: 'A person or organisation a workspace exchanges messages with, known by one or more identifiers.',
  id: {
    resolve: (contact) => keys.contact(contact.workspaceId, contact.id),
    parse: (key) => parseNodeKey(key, 2),
  },
  load: (contactKeys: string[], ctx) => loadContacts(ctx, contactKeys),
  toKey: (contact: ContactModel) => keys.contact(contact.workspaceId, contact.id),
  cacheResolved: true,
  fields: (t) => ({
    workspaceId: t.exposeID('workspaceId', { nullable: false, description: 'The Bird workspace UUID.' }),
    contactId: t.exposeID('id', { nullable: false, description: 'The Bird contact UUID.' }),
    displayName: t.exposeString('computedDisplayName', {
      description: 'The name Bird computes for display (from the name attributes, else an identifier).',
    }),
    featuredIdentifiers: t.expose('featuredIdentifiers', {
      type: [FeaturedIdentifier],
      description: "The contact's featured identifiers; `identifiers` lists them all.",
    }),
    identifierCount: t.exposeInt('identifierCount', { description: 'How many identifiers the contact has.' }),
    attributes: t.expose('attributes', {
      type: 'JSONObject',
      description: "The contact's attributes (firstName, lastName and any custom ones), as Bird stores them.",
    }),
    accountIds: t.exposeIDList('accountIds', { description: 'The Bird accounts the contact is linked to.' }),
    listIds: t.exposeIDList('listIds', { description: 'The Bird lists the contact is on.' }),
    createdAt: t.expose('createdAt', {
      type: 'DateTime',
      nullable: false,
      description: 'When the contact was created.',
    }),
    updatedAt: t.expose('updatedAt', {
      type: 'DateTime',
      nullable: false,
      description: 'When the contact was last changed.',
    }),
    identifiers: t.connection(
      {
        type: ContactIdentifier,
        description: "Every identifier of the contact, newest first.",
        extensions: validatesConnection(),
        resolve: (contact, args, ctx) =>
          resolveConnection(args, {
            scope: `Contact.identifiers|${contact.workspaceId}|${contact.id}`,
            maxLimit: CONTACT_LIST_MAX_LIMIT,
            // Identifiers have no id of their own: a contact's (key, value) pairs are unique.
            keyOf: (identifier: WireContactIdentifier) => [identifier.createdAt, `${identifier.key}:${identifier.value}`],
            fetch: ({ limit, pageToken, reverse }) =>
              ctx.bird.listContactIdentifiers({ workspaceId: contact.workspaceId, contactId: contact.id, limit, pageToken, reverse }),
          }),
      },
      { name: 'ContactIdentifierConnection', description: 'A page of contact identifiers.' },
      { name: 'ContactIdentifierEdge', description: 'A contact identifier and its cursor.' },
    ),
    workspace: t.field({
      type: Workspace,
      description: 'The workspace the contact belongs to. Needs the organization (BIRD_ORGANIZATION_ID).',
      resolve: (contact, _args, ctx) => keys.workspace(organizationFor(ctx), contact.workspaceId),
    }),
  }),
});

const workspaceContacts = lazyConnection('Workspace', 'contacts', (workspace: { id: string }, args: ConnectionArgs, ctx: Context) => {
  const workspaceId = workspace.id;
  return prepareConnection(args, {
    scope: `Workspace.contacts|${workspaceId}`,
    maxLimit: CONTACT_LIST_MAX_LIMIT,
    keyOf: (contact: ContactModel) => [contact.createdAt, contact.id],
    fetch: async ({ limit, pageToken, reverse }) => {
      const result = await ctx.bird.listContacts({ workspaceId, limit, pageToken, reverse });
      return { ...result, results: result.results.map((contact): ContactModel => ({ ...contact, workspaceId })) };
    },
  });
});

builder.objectField(Workspace, 'contacts', (t) =>
  t.connection(
    {
      type: Contact,
      description: "The workspace's contacts, newest first.",
      extensions: validatesConnection(),
      resolve: (workspace, args, ctx, info) => workspaceContacts(workspace, args, ctx, info),
    },
    { name: 'ContactConnection', description: 'A page of contacts.' },
    { name: 'ContactEdge', description: 'A contact and its cursor.' },
  ),
);

/** Bird's limits on an identifier (bird-api.md §13.5: key 1-250 characters, value 1-500). */
const IDENTIFIER_LIMITS = { identifierKey: 250, identifierValue: 500 } as const;

/** Refuses what Bird's search would refuse, before any call: an empty (or blank) or overlong key or value. */
function checkIdentifier(args: Record<string, unknown>): void {
  for (const [name, max] of Object.entries(IDENTIFIER_LIMITS)) {
    const value = args[name];
    if (typeof value !== 'string') continue;
    if (value.trim().length === 0) throw badUserInput(`\`${name}\` must not be empty.`, { argument: name });
    if (value.length > max) throw badUserInput(`\`${name}\` must be at most ${max} characters.`, { argument: name });
  }
}

builder.queryFields((t) => ({
  contact: t.field({
    type: Contact,
    description: 'A contact by its Bird UUIDs; null when it does not exist.',
    args: {
      workspaceId: t.arg({ type: 'UUID', required: true, description: 'The Bird workspace UUID.' }),
      contactId: t.arg({ type: 'UUID', required: true, description: 'The Bird contact UUID.' }),
    },
    resolve: (_root, args) => keys.contact(normalizeUuid(args.workspaceId), normalizeUuid(args.contactId)),
  }),
  contactByIdentifier: t.field({
    type: Contact,
    description: 'The contact Bird knows by this identifier (an email address, a phone number, …); null when none.',
    args: {
      workspaceId: t.arg({ type: 'UUID', required: true, description: 'The Bird workspace UUID.' }),
      identifierKey: t.arg.string({
        required: true,
        description: 'The identifier kind, e.g. `emailaddress` or `phonenumber`.',
      }),
      identifierValue: t.arg.string({ required: true, description: 'The identifier value, e.g. `+31612345678`.' }),
    },
    extensions: validates(checkIdentifier),
    resolve: async (_root, args, ctx) => {
      checkIdentifier(args);
      const workspaceId = normalizeUuid(args.workspaceId);
      const result = await ctx.bird.searchContacts({
        workspaceId,
        identifierKey: args.identifierKey,
        identifierValue: args.identifierValue,
      });
      const contact = result.results[0];
      return contact ? { ...contact, workspaceId } : null;
    },
  }),
}));

// Federation entity keyed by Bird's natural keys, so a CRM subgraph can extend Contact with its own fields.
// Through the contact loader: duplicates cost nothing, distinct ones fan out with bounded concurrency.
builder.asEntity(Contact, {
  key: builder.selection<{ workspaceId: string; contactId: string }>('workspaceId contactId'),
  resolveReference: async (representation, ctx) => {
    const [workspaceId, contactId] = representationKey('Contact', representation, ['workspaceId', 'contactId']);
    return Contact.getDataloader(ctx).load(keys.contact(workspaceId, contactId));
  },
});
