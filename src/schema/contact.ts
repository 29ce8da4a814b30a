// Contact: a loadable node (deduplicated, fanned out with bounded concurrency), Workspace.contacts and the contact root fields.
import { builder } from '../builder.ts';
import type { ContactIdentifier as WireContactIdentifier } from '../bird/types.ts';
import { type ContactModel, keys, loadContacts } from '../loaders.ts';
import { representationKey } from './federation.ts';
import { normalizeUuid, parseNodeKey } from './ids.ts';
import { resolveConnection } from './pagination.ts';
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
        resolve: (contact, args, ctx) =>
          resolveConnection(
            args,
            { scope: `Contact.identifiers|${contact.workspaceId}|${contact.id}`, maxLimit: CONTACT_LIST_MAX_LIMIT },
            (page) =>
              ctx.bird.listContactIdentifiers({ workspaceId: contact.workspaceId, contactId: contact.id, ...page }),
          ),
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

builder.objectField(Workspace, 'contacts', (t) =>
  t.connection(
    {
      type: Contact,
      description: "The workspace's contacts, newest first.",
      resolve: (workspace, args, ctx) => {
        const workspaceId = workspace.id;
        return resolveConnection(
          args,
          { scope: `Workspace.contacts|${workspaceId}`, maxLimit: CONTACT_LIST_MAX_LIMIT },
          async (page) => {
            const result = await ctx.bird.listContacts({ workspaceId, ...page });
            return { ...result, results: result.results.map((contact): ContactModel => ({ ...contact, workspaceId })) };
          },
        );
      },
    },
    { name: 'ContactConnection', description: 'A page of contacts.' },
    { name: 'ContactEdge', description: 'A contact and its cursor.' },
  ),
);

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
    resolve: async (_root, args, ctx) => {
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
