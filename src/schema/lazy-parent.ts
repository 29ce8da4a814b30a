// Lazy parents: `workspace(id)` and `channel(...)` fetch nothing of their own when only ids and connections are selected.
//
// The root field looks at its own selection. When it asks only for ids (`id`, `channelId`, …) and connections
// (`messages`, `channels`, …), the parent is not loaded: its connections are planned (a bad argument refuses the
// parent before any call), started at once and awaited, and a 404 from any of them answers the parent `null` (no
// error: a missing parent is null, as when it is loaded). The parent then resolves to a stub holding the ids and
// the started reads, which the connection fields pick up. When something below will load the parent anyway
// (`messages { node { channel { name } } }` names the same channel), its load starts in parallel with the lists, so
// they overlap instead of running one after the other. Any other field of the parent loads it as before.
//
// Only ids selected: no call at all, and existence is not checked (select any other field to check it).
import {
  type FieldNode,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type SelectionSetNode,
  getArgumentValues,
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  getNamedType,
  isAbstractType,
  isInterfaceType,
  isObjectType,
  Kind,
} from 'graphql';
import { BirdError } from '../bird/errors.ts';
import type { Context } from '../context.ts';

const PREFETCHED = Symbol('prefetched connections');
const STUB = Symbol('lazy parent');

/** Plans a connection of `parent` now (throwing on bad arguments) and returns the read, to run when wanted. */
export type PrepareConnection<P> = (parent: P, args: Record<string, unknown>, ctx: Context) => () => Promise<unknown>;

interface LazyType {
  /** Fields answered from the ids alone. */
  ids: ReadonlySet<string>;
  connections: Map<string, PrepareConnection<never>>;
}

const lazyTypes = new Map<string, LazyType>();

function lazyType(typeName: string): LazyType {
  let type = lazyTypes.get(typeName);
  if (!type) lazyTypes.set(typeName, (type = { ids: new Set(['__typename', 'id']), connections: new Map() }));
  return type;
}

/** Declares the fields of `typeName` its ids answer (besides `__typename` and `id`). */
export function lazyIds(typeName: string, fields: readonly string[]): void {
  const type = lazyType(typeName);
  type.ids = new Set([...type.ids, ...fields]);
}

type Stub = { [STUB]: true; [PREFETCHED]?: Map<string, Promise<unknown>> };

/** Whether a parent value is a lazy stub (ids only): loader caches must never hold it as the real object. */
export function isLazyStub(value: unknown): boolean {
  return typeof value === 'object' && value !== null && STUB in value;
}

/**
 * Registers connection `fieldName` of `typeName` as one a lazy parent can start, and returns its resolver: the read the
 * parent started (by response key), or a fresh one.
 */
export function lazyConnection<P, A, R>(typeName: string, fieldName: string, prepare: (parent: P, args: A, ctx: Context) => () => Promise<R>) {
  lazyType(typeName).connections.set(fieldName, prepare as unknown as PrepareConnection<never>);
  return (parent: P, args: A, ctx: Context, info: GraphQLResolveInfo): Promise<R> => {
    const started = (parent as Stub)[PREFETCHED]?.get(String(info.path.key));
    return (started as Promise<R> | undefined) ?? prepare(parent, args, ctx)();
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the selection
// ---------------------------------------------------------------------------------------------------------------

function included(node: { directives?: readonly unknown[] }, variables: Record<string, unknown>): boolean {
  const n = node as FieldNode;
  if (getDirectiveValues(GraphQLSkipDirective, n, variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, n, variables)?.if !== false;
}

/** The fields selected on object type `type`, by response key, through fragments, `@skip` and `@include`. */
function collectFields(info: GraphQLResolveInfo, type: GraphQLObjectType, selectionSets: readonly SelectionSetNode[]) {
  const fields = new Map<string, FieldNode[]>();
  const visit = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (!included(selection, info.variableValues)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        fields.set(key, [...(fields.get(key) ?? []), selection]);
        continue;
      }
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : info.fragments[selection.name.value];
      if (!fragment) continue;
      const condition = fragment.typeCondition ? info.schema.getType(fragment.typeCondition.name.value) : type;
      if (condition === type || (condition && isAbstractType(condition) && info.schema.isSubType(condition, type))) visit(fragment.selectionSet);
    }
  };
  for (const set of selectionSets) visit(set);
  return fields;
}

/**
 * Whether anything below `set` (of type `type`) reaches a `target` object through a field: such a field loads it
 * (`Message.channel` is a loadable field), whatever it selects, so the parent is worth loading in parallel.
 */
function reaches(info: GraphQLResolveInfo, set: SelectionSetNode, type: GraphQLNamedType, target: string, seen = new Set<SelectionSetNode>()): boolean {
  if (seen.has(set)) return false;
  seen.add(set);
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (!selection.selectionSet || !(isObjectType(type) || isInterfaceType(type))) continue;
      const field = type.getFields()[selection.name.value];
      if (!field) continue;
      const named = getNamedType(field.type);
      if (named.name === target || reaches(info, selection.selectionSet, named, target, seen)) return true;
      continue;
    }
    const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : info.fragments[selection.name.value];
    if (!fragment) continue;
    const narrowed = fragment.typeCondition ? info.schema.getType(fragment.typeCondition.name.value) : type;
    if (narrowed && reaches(info, fragment.selectionSet, narrowed, target, seen)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------------
// The root field
// ---------------------------------------------------------------------------------------------------------------

export interface LazyParentOptions<P> {
  ctx: Context;
  info: GraphQLResolveInfo;
  /** The ids: what a stub answers. */
  ids: P;
  /** The loader key of the parent (returned when it must be loaded: Pothos's loadable field loads it). */
  key: string;
  /** Starts loading the parent (its loader), for a subtree that needs its data. */
  load: () => Promise<unknown>;
}

const AUTH_CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN']);

/** Resolves a lazily loadable root field: the loader key (load it), the stub, or null for a parent that does not exist. */
export function resolveLazyParent<P extends object>(options: LazyParentOptions<P>): string | P | Promise<P | null> {
  const { ctx, info } = options;
  const type = info.returnType && getNamedType(info.returnType);
  const lazy = type && isObjectType(type) ? lazyTypes.get(type.name) : undefined;
  if (!type || !isObjectType(type) || !lazy) return options.key;
  const selected = collectFields(info, type, info.fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : [])));
  // Every connection is planned first: a bad argument (a cursor of another list) refuses the parent before any call.
  const stub = { ...options.ids, [STUB]: true } as P & Stub;
  const reads = new Map<string, () => Promise<unknown>>();
  let eager = false;
  for (const [responseKey, nodes] of selected) {
    const node = nodes[0] as FieldNode;
    const name = node.name.value;
    const prepare = lazy.connections.get(name);
    if (prepare) {
      const field = type.getFields()[name];
      if (field) reads.set(responseKey, prepare(stub as never, getArgumentValues(field, node, info.variableValues), ctx));
    } else if (!lazy.ids.has(name)) {
      eager = true;
    }
  }
  if (eager) return options.key;
  if (reads.size === 0) return stub;
  const below = [...selected.values()].flat().filter((node) => node.selectionSet && lazy.connections.has(node.name.value));
  const needsParent = below.some((node) => {
    const field = type.getFields()[node.name.value];
    return field !== undefined && reaches(info, node.selectionSet as SelectionSetNode, getNamedType(field.type), type.name);
  });
  if (needsParent) {
    options.load().catch(() => undefined); // its own fields report a failure; the loader caches the result
  }
  const started = new Map([...reads].map(([responseKey, read]) => [responseKey, read()]));
  stub[PREFETCHED] = started;
  return Promise.allSettled(started.values()).then((settled) => {
    const failures = settled.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
    if (failures.some((error) => error instanceof BirdError && error.code === 'NOT_FOUND')) return null;
    const denied = failures.find((error) => error instanceof BirdError && AUTH_CODES.has(error.code));
    if (denied) throw denied;
    return stub;
  });
}
