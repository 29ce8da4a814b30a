// Federation helpers: reading entity representations (Bird's natural-key UUIDs) and the switch that drops Relay's node/nodes.
import { printSubgraphSchema } from '@apollo/subgraph';
import { GraphQLObjectType, GraphQLSchema } from 'graphql';
import { badUserInput } from '../errors.ts';
import { isUuid, normalizeUuid } from './ids.ts';

/**
 * The key fields of a representation sent to `_entities`, checked and lower-cased, in the order asked for.
 *
 * Our entity keys are Bird's raw path UUIDs (not our base64 global ids) because those are what other systems store:
 * a CRM row or a ticket holds `channelId`, never our encoding. A router forwards whatever another subgraph stored, so
 * every part is checked as a UUID before any loader key (and so any URL) is built; a bad one is BAD_USER_INPUT.
 * Lower-casing makes two spellings of one resource share a loader key, and so one upstream call.
 * Entities call this from an `async` resolveReference, so a bad representation fails only its own `_entities` item:
 * a synchronous throw would fail the whole batch.
 */
export function representationKey<const F extends readonly string[]>(
  typename: string,
  representation: { readonly [K in F[number]]: unknown },
  fields: F,
): { -readonly [K in keyof F]: string } {
  return fields.map((field: F[number]) => {
    const value = representation[field];
    if (!isUuid(value)) {
      throw badUserInput(`Invalid ${typename} representation: \`${field}\` must be a Bird UUID.`, { typename, field });
    }
    return normalizeUuid(value);
  }) as { -readonly [K in keyof F]: string };
}

/** The Relay root fields that a supergraph can only route to one subgraph. */
export const RELAY_NODE_FIELDS = ['node', 'nodes'] as const;

/**
 * The same subgraph without `Query.node` / `Query.nodes`, for supergraphs where another subgraph owns them
 * (RELAY_NODE_FIELDS=false). Two subgraphs cannot both resolve them: non-shareable they fail composition, and
 * marked shareable they compose but the router sends every id to one subgraph (federation #1067).
 *
 * The relay plugin fixes `nodeQueryOptions` when the builder is created, at import time, before any config is read;
 * so the fields are removed from the built schema instead. `_service { sdl }` is re-pointed at the SDL of the schema
 * actually served, or a router would plan queries against fields we no longer have.
 */
export function withoutRelayNodeFields(schema: GraphQLSchema): GraphQLSchema {
  const query = schema.getQueryType();
  if (!query) return schema;
  const kept = (name: string) => !(RELAY_NODE_FIELDS as readonly string[]).includes(name);
  const queryConfig = query.toConfig();
  const fields = Object.fromEntries(Object.entries(queryConfig.fields).filter(([name]) => kept(name)));
  let sdl = '';
  const service = fields._service;
  if (service) fields._service = { ...service, resolve: () => ({ sdl }) };
  // printSubgraphSchema reads the type's AST node (where plugin-directives puts the directives), so trim it too.
  const astNode = queryConfig.astNode && {
    ...queryConfig.astNode,
    fields: queryConfig.astNode.fields?.filter((field) => kept(field.name.value)),
  };
  const newQuery = new GraphQLObjectType({ ...queryConfig, fields, astNode });
  const schemaConfig = schema.toConfig();
  const trimmed = new GraphQLSchema({
    ...schemaConfig,
    query: newQuery,
    types: schemaConfig.types.map((type) => (type === query ? newQuery : type)),
  });
  sdl = printSubgraphSchema(trimmed);
  return trimmed;
}
