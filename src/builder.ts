// The Pothos SchemaBuilder: plugins, Context and Scalars generics, relay options and graphql-scalars; no domain types.
import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import DirectivePlugin from '@pothos/plugin-directives';
import ErrorsPlugin from '@pothos/plugin-errors';
import FederationPlugin from '@pothos/plugin-federation';
import RelayPlugin from '@pothos/plugin-relay';
import { DateTimeResolver, JSONObjectResolver, JSONResolver, URLResolver, UUIDResolver } from 'graphql-scalars';
import type { Context } from './context.ts';
import { badUserInput } from './errors.ts';
import { fieldComplexity } from './limits.ts';
import { validateArguments } from './schema/arguments.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './schema/pagination.ts';

/** Bounds a global ID before decoding it: ours are well under this, and a huge one is someone probing. */
const MAX_GLOBAL_ID_LENGTH = 400;

/**
 * Global IDs are base64url of `<Type>:<key>`, where the key holds every REST path parameter of the resource joined
 * by `:` (a message's is `<workspaceId>:<channelId>:<messageId>`), so `node(id)` is always one upstream call. The
 * type prefix keeps ids from colliding across subgraphs. Anything malformed is BAD_USER_INPUT, never a call to Bird;
 * each type's `parse` then checks the part count and that every part is a UUID.
 */
export function encodeGlobalId(typename: string, key: string | number | bigint): string {
  return Buffer.from(`${typename}:${key}`, 'utf8').toString('base64url');
}

/**
 * The types that implement Node. An id naming any other type is refused here, as BAD_USER_INPUT, rather than deep
 * in the relay plugin as an unexpected error; a test checks this list against the schema.
 */
export const NODE_TYPENAMES: ReadonlySet<string> = new Set(['Channel', 'Contact', 'Interaction', 'Message', 'Workspace']);

/**
 * Type prefixes of ids minted before a type was renamed, and the type they now name. Saved links keep working:
 * `MessageInteraction:<key>` (the type's name before it became Interaction) decodes as an Interaction; new ids always carry the current name.
 */
export const LEGACY_NODE_TYPENAMES: ReadonlyMap<string, string> = new Map([['MessageInteraction', 'Interaction']]);

export function decodeGlobalId(globalId: string): { typename: string; id: string } {
  if (typeof globalId !== 'string' || globalId.length === 0 || globalId.length > MAX_GLOBAL_ID_LENGTH) {
    throw badUserInput('Invalid ID.', { argument: 'id' });
  }
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(globalId)) throw badUserInput('Invalid ID.', { argument: 'id' });
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const separator = decoded.indexOf(':');
  const prefix = decoded.slice(0, separator);
  const typename = LEGACY_NODE_TYPENAMES.get(prefix) ?? prefix;
  const id = decoded.slice(separator + 1);
  if (separator <= 0 || !NODE_TYPENAMES.has(typename) || id.length === 0) {
    throw badUserInput('Invalid ID.', { argument: 'id' });
  }
  return { typename, id };
}

export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: true;
  // The frontend contract: a connection's `edges: [XEdge!]!` and each edge's `node: X!` (Relay's guidance), so
  // typed clients need no null checks on them; a node that fails to resolve nulls the connection, with its error.
  DefaultEdgesNullability: { list: false; items: false };
  DefaultNodeNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    UUID: { Input: string; Output: string };
    URL: { Input: URL; Output: URL | string };
    JSON: { Input: unknown; Output: unknown };
    JSONObject: { Input: Record<string, unknown>; Output: Record<string, unknown> };
    /** An uploaded file (GraphQL multipart request); input only. Defined in src/schema/media.ts. */
    File: { Input: File; Output: never };
  };
}>({
  // Directives first and Relay after Federation, as in Pothos's federation example; Errors wraps mutation payloads.
  plugins: [DirectivePlugin, FederationPlugin, RelayPlugin, DataloaderPlugin, ErrorsPlugin, ComplexityPlugin],
  // Field costs only (connection pages multiply their selection). src/limits.ts enforces MAX_COST with this plugin's
  // complexityFromQuery before execution, not with its `limit`: that one runs inside each root resolver (one error per
  // root field, masked), never sees `_entities`, and would let a root field call Bird before a sibling is refused.
  // The same walk checks every field's own arguments first (src/schema/arguments.ts): a bad one, at any depth, refuses
  // the operation before the first call to Bird.
  complexity: {
    fieldComplexity: (args, ctx, field) => {
      validateArguments(field, args);
      return fieldComplexity(args, ctx, field);
    },
  },
  // Mutations list their error result types themselves (src/schema/mutation-errors.ts); nothing is implicit.
  errors: { defaultTypes: [] },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    // Every Relay subgraph declares PageInfo; it only composes when each declaration is shareable.
    pageInfoTypeOptions: { shareable: true, description: 'Where a page of a connection sits in the whole list.' },
    encodeGlobalID: encodeGlobalId,
    nodeTypeOptions: { description: 'An object with a global ID, refetchable with `node(id:)`.' },
    idFieldOptions: { description: 'The global ID: pass it to `node(id:)` to refetch this object in one call to Bird.' },
    nodeQueryOptions: {
      description: 'Fetches any object by its global ID (one call to Bird); null when it does not exist.',
      args: { id: { description: 'A global ID, as returned in any `id` field.' } },
    },
    nodesQueryOptions: {
      description: 'Fetches several objects by their global IDs, batched; null for each one that does not exist.',
      args: { ids: { description: 'Global IDs, as returned in `id` fields.' } },
    },
    firstArgOptions: { description: `Returns the first n items after \`after\` (default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}).` },
    afterArgOptions: { description: 'The cursor of any edge of this list (from a forward or a backward page): returns the items after it.' },
    lastArgOptions: { description: `Returns the last n items before \`before\` (default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}).` },
    beforeArgOptions: { description: 'The cursor of any edge of this list (from a forward or a backward page): returns the items before it.' },
    cursorFieldOptions: { description: 'An opaque cursor of this edge: pass it as `after` for the items after it, or as `before` for those before it.' },
    nodeFieldOptions: { nullable: false, description: 'The item at this edge.' },
    edgesFieldOptions: { nullable: { list: false, items: false }, description: 'The items of this page with their cursors.' },
    pageInfoFieldOptions: { description: 'Where this page sits in the whole list.' },
    hasNextPageFieldOptions: { description: 'Whether more items follow this page.' },
    hasPreviousPageFieldOptions: { description: 'Whether items come before this page.' },
    startCursorFieldOptions: { description: 'The cursor of the first edge of this page.' },
    endCursorFieldOptions: { description: 'The cursor of the last edge of this page.' },
    decodeGlobalID: decodeGlobalId,
  },
});

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('UUID', UUIDResolver);
builder.addScalarType('URL', URLResolver);
builder.addScalarType('JSON', JSONResolver);
builder.addScalarType('JSONObject', JSONObjectResolver);

builder.queryType({ description: 'The root of every read: Bird workspaces, channels, messages and contacts.' });
builder.mutationType({ description: 'Sending messages and uploading media through Bird.' });
