// Apollo Federation inline traces (ftv1) that cost nothing on requests that do not ask for one.
//
// yoga's useApolloInlineTrace wraps EVERY field resolver of the schema (through @envelop/on-resolve) and decides per
// call whether to record: on an untraced request each field still pays a wrapper, a closure, an argument object and a
// WeakMap lookup (a page of 50 messages resolves thousands of fields). Here the plugin is unchanged but its resolver
// wrapping is pointed at a private copy of the schema, and only requests that carry
// `apollo-federation-include-trace: ftv1` (what a router sends) execute against that copy. Everything else executes
// against the plain schema. Parsing and validation use the plain schema for both: the copy has the same types, fields,
// resolvers and extensions (graphql-js's lexicographicSortSchema rebuilds every type; the schema is already sorted).
import { useApolloInlineTrace } from '@graphql-yoga/plugin-apollo-inline-trace';
import { type GraphQLSchema, lexicographicSortSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export const INCLUDE_TRACE_HEADER = 'apollo-federation-include-trace';

/**
 * Whether this execution asked for an inline trace (and so runs on the instrumented copy of the schema). With
 * ROUTER_SECRET configured, only the proven router may ask (`isRouter`): traces time every field.
 */
export function isTracedExecution(args: { contextValue?: unknown }, isRouter?: (request: Request) => boolean): boolean {
  const request = (args.contextValue as { request?: Request } | undefined)?.request;
  return request?.headers.get(INCLUDE_TRACE_HEADER) === 'ftv1' && (isRouter?.(request) ?? true);
}

export function useGatedApolloInlineTrace(isRouter?: (request: Request) => boolean): Plugin {
  const traced = new WeakMap<GraphQLSchema, GraphQLSchema>();
  let current: GraphQLSchema | undefined;
  const tracedOf = (schema: GraphQLSchema): GraphQLSchema => {
    let copy = traced.get(schema);
    if (!copy) {
      copy = lexicographicSortSchema(schema);
      traced.set(schema, copy);
    }
    return copy;
  };

  /** The plugin and every plugin it adds, with schema hooks seeing the traced copy and never replacing yoga's schema. */
  const retarget = (plugin: Plugin): Plugin => {
    const { onPluginInit, onSchemaChange } = plugin;
    return {
      ...plugin,
      ...(onPluginInit && {
        onPluginInit: (context) => onPluginInit({ ...context, addPlugin: (added) => context.addPlugin(retarget(added as Plugin)) }),
      }),
      ...(onSchemaChange && {
        onSchemaChange: ({ schema }) => onSchemaChange({ schema: tracedOf(schema), replaceSchema: () => {} }),
      }),
    } as Plugin;
  };

  return {
    onSchemaChange({ schema }) {
      current = schema;
    },
    onPluginInit({ addPlugin }) {
      const ignoreRequest = (request: Request) => request.headers.get(INCLUDE_TRACE_HEADER) !== 'ftv1' || !(isRouter?.(request) ?? true);
      addPlugin(retarget(useApolloInlineTrace({ ignoreRequest }) as Plugin));
    },
    onExecute({ args }) {
      if (!isTracedExecution(args, isRouter)) return;
      const schema = current ?? args.schema;
      args.schema = tracedOf(schema);
    },
  };
}
