// Compiled execution: graphql-jit per document where it answers exactly as graphql-js does, graphql-js elsewhere.
//
// graphql-jit compiles an operation into a JavaScript function once and runs that for every later request with the
// same document (yoga's parse cache hands back the same DocumentNode object). Where graphql-jit differs from graphql-js
// on this schema, this layer fixes it or runs that document on graphql-js (yoga's own executor):
// - variables: graphql-jit reports bad ones without graphql-js's errors (HTTP 400, messages), so a request whose
//   variables do not coerce runs on yoga's executor, which refuses it exactly as without compilation. graphql-jit's
//   own coercion of scalars and enums accepts exactly what graphql-js accepts and is the cheaper one, so it coerces
//   operations whose variables are all scalars or enums (lists of them too) without defaults. Input objects are
//   coerced by graphql-js (getVariableValues): graphql-jit does not enforce `@oneOf`, and compiling its coercion of a
//   deep input type (SendMessageInput) takes ~100 ms; such operations declare their variables with a pass-through
//   scalar and get graphql-js's coerced values;
// - errors: graphql-jit's carry `locations` but no source positions and no `extensions` object, and masking and
//   yoga's serializer rebuild errors from `source`/`positions`; they are turned into graphql-js GraphQLErrors;
// - lists whose items are promises: graphql-jit appends a rejected item's null instead of writing it at its index
//   (`_entities` with a malformed representation), so on its private copy of the schema every list resolver hands it
//   rejected items as Error values, which it places correctly (and graphql-js treats the same way);
// - a custom scalar written as an object or list literal (`_entities(representations: [{…}])`): graphql-jit parses it
//   without the variables inside it and logs to stderr; such documents run on graphql-js;
// - subscriptions, @defer/@stream and traced requests (ftv1, src/observability/inline-trace.ts) are never compiled.
import { type CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';
import {
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLField,
  GraphQLError,
  GraphQLSchema,
  type NamedTypeNode,
  Kind,
  type OperationDefinitionNode,
  GraphQLScalarType,
  type Source,
  type VariableDefinitionNode,
  TypeInfo,
  getNullableType,
  isListType,
  isScalarType,
  lexicographicSortSchema,
  visit,
  visitWithTypeInfo,
  BREAK,
  isObjectType,
  isAbstractType,
  isLeafType,
  typeFromAST,
  getNamedType,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLNamedType,
  type SelectionSetNode,
  type SelectionNode,
  type DefinitionNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { coerceVariables } from './limits.ts';
import { isTracedExecution } from './observability/inline-trace.ts';

/** How one (document, operation) executes: compiled, or on graphql-js and why (for tests and the bench). */
export type ExecutionPlan =
  | {
      kind: 'compiled';
      schema: GraphQLSchema;
      compiled: CompiledQuery;
      operation: OperationDefinitionNode;
      source: Source | undefined;
      /** Who coerces the variables (see above). */
      coercion: 'graphql-jit' | 'graphql-js';
    }
  | { kind: 'graphql-js'; reason: string };

export interface JitSettings {
  compileAfter: number;
  maxFields: number;
  maxDocuments: number;
  compileMsPerSecond: number;
  compileBurstMs: number;
}

export const JIT_DEFAULTS: Readonly<JitSettings> = Object.freeze({
  /** A document is compiled on its n-th execution (1 = at once); until then it runs on graphql-js. */
  compileAfter: 1,
  /**
   * Documents with more fields to compile than this run on graphql-js: graphql-jit writes about 3 KB of code per field
   * and compiles 2-3 fields per ms here (a send's full payload with every content type, 257 fields: 0.7 MB, 100+ ms).
   */
  maxFields: 120,
  /** Compiled documents kept; past it, one not used lately is dropped (and compiled again if it comes back). */
  maxDocuments: 128,
  /** Compilation may take this many ms per second (5 % of a core), in bursts of up to compileBurstMs: a flood of new
   * documents then runs on graphql-js instead of compiling. */
  compileMsPerSecond: 50,
  compileBurstMs: 500,
});

export interface CompiledExecutionOptions extends Partial<JitSettings> {
  /** Told every plan when it is made (tests, the bench's answer check). */
  onPlan?: (plan: ExecutionPlan, operationName: string | undefined) => void;
}

function selectedOperation(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode | undefined {
  let found: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    if (operationName == null) {
      if (found) return undefined; // several operations and no name: graphql-js reports it
      found = definition;
    } else if (definition.name?.value === operationName) {
      return definition;
    }
  }
  return found;
}

/**
 * The type compiled operations declare their variables with: graphql-js has coerced the values already, so graphql-jit
 * takes them as they are. `Boolean` variables keep their type: @skip/@include need it, and coercing a boolean twice is
 * the identity.
 */
const COERCED = new GraphQLScalarType({
  name: 'JitCoercedVariable',
  description: 'A variable value graphql-js has already coerced (src/jit.ts).',
  serialize: (value) => value,
  parseValue: (value) => value,
});

/** Whether graphql-jit coerces this operation's variables itself: scalars and enums only, no defaults. */
function leafVariablesOnly(schema: GraphQLSchema, operation: OperationDefinitionNode): boolean {
  return (operation.variableDefinitions ?? []).every((definition) => {
    if (definition.defaultValue) return false;
    const type = typeFromAST(schema, definition.type);
    return type !== undefined && isLeafType(getNamedType(type));
  });
}

function isBooleanVariable(definition: VariableDefinitionNode): boolean {
  const type = definition.type.kind === Kind.NON_NULL_TYPE ? definition.type.type : definition.type;
  return type.kind === Kind.NAMED_TYPE && type.name.value === 'Boolean';
}

/**
 * graphql-jit collects a selection set's fields first and its fragments after them (a stack, last in first out), so
 * `{ ...F c }` answers `c` before F's fields, where graphql-js keeps document order. Turning each field of a selection
 * set that has fragments into a condition-less inline fragment, in reverse order, makes its stack pop them in
 * document order, depth first: the same response key order as graphql-js.
 */
function inDocumentOrder(selectionSet: SelectionSetNode): SelectionSetNode {
  const selections = selectionSet.selections.map((selection): SelectionNode => {
    if (selection.kind === Kind.FRAGMENT_SPREAD) return selection;
    if (selection.kind === Kind.INLINE_FRAGMENT) return { ...selection, selectionSet: inDocumentOrder(selection.selectionSet) };
    return selection.selectionSet ? { ...selection, selectionSet: inDocumentOrder(selection.selectionSet) } : { ...selection };
  });
  if (!selections.some((selection) => selection.kind !== Kind.FIELD)) return { ...selectionSet, selections };
  const wrapped = selections.map((selection): SelectionNode =>
    selection.kind === Kind.FIELD ? { kind: Kind.INLINE_FRAGMENT, selectionSet: { kind: Kind.SELECTION_SET, selections: [selection] } } : selection,
  );
  return { ...selectionSet, selections: wrapped.reverse() };
}

/**
 * The document graphql-jit compiles: a copy (graphql-jit writes its own properties onto the field nodes, which belong
 * to yoga's parse cache), in graphql-js's field order, and, when graphql-js coerces the variables, with them retyped
 * as COERCED (their defaults are applied by graphql-js already). Locations stay: errors point into the caller's document.
 */
function compilableDocument(document: DocumentNode, operation: OperationDefinitionNode, retype: boolean): DocumentNode {
  const type: NamedTypeNode = { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: COERCED.name } };
  const definitions = document.definitions.map((definition): DefinitionNode => {
    if (definition === operation) {
      const variableDefinitions = (operation.variableDefinitions ?? []).map(
        (variable): VariableDefinitionNode => (!retype || isBooleanVariable(variable) ? variable : { ...variable, type, defaultValue: undefined }),
      );
      return { ...operation, variableDefinitions, selectionSet: inDocumentOrder(operation.selectionSet) };
    }
    if (definition.kind === Kind.FRAGMENT_DEFINITION) return { ...definition, selectionSet: inDocumentOrder(definition.selectionSet) };
    return definition;
  });
  return { ...document, definitions };
}

/**
 * How many fields graphql-jit would generate code for: it inlines every fragment and compiles an abstract type's
 * selection once per possible type, so a fragment on a 20-member union counts 20 times. Stops counting past `limit`
 * (the walk itself must stay cheap on hostile documents).
 */
export function compiledFieldCount(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, limit: number): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  let count = 0;
  const applies = (condition: string | undefined, type: GraphQLObjectType): boolean => {
    if (condition === undefined || condition === type.name) return true;
    const abstract = schema.getType(condition);
    return abstract !== undefined && isAbstractType(abstract) && schema.isSubType(abstract, type);
  };
  const walk = (selectionSet: SelectionSetNode, type: GraphQLObjectType, seen: ReadonlySet<string>): void => {
    for (const selection of selectionSet.selections) {
      if (count > limit) return;
      if (selection.kind === Kind.FIELD) {
        count++;
        if (!selection.selectionSet) continue;
        const field = type.getFields()[selection.name.value];
        if (field) into(selection.selectionSet, getNamedType(field.type), seen);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(selection.typeCondition?.name.value, type)) walk(selection.selectionSet, type, seen);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment && !seen.has(fragment.name.value) && applies(fragment.typeCondition.name.value, type)) {
          walk(fragment.selectionSet, type, new Set([...seen, fragment.name.value]));
        }
      }
    }
  };
  const into = (selectionSet: SelectionSetNode, named: GraphQLNamedType, seen: ReadonlySet<string>): void => {
    if (isObjectType(named)) walk(selectionSet, named, seen);
    else if (isAbstractType(named)) for (const possible of schema.getPossibleTypes(named)) walk(selectionSet, possible, seen);
  };
  const root = schema.getRootType(operation.operation);
  if (root) walk(operation.selectionSet, root, new Set());
  return count;
}

/** Why graphql-jit cannot run this document as graphql-js would, or undefined when it can. */
function unsupported(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): string | undefined {
  if (operation.operation === 'subscription') return 'subscription';
  let reason: string | undefined;
  let conditional = false;
  let fragments = false;
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Directive(node) {
        if (node.name.value === 'defer' || node.name.value === 'stream') {
          reason = `@${node.name.value}`;
          return BREAK;
        }
        if (node.name.value === 'skip' || node.name.value === 'include') conditional = true;
        return undefined;
      },
      FragmentSpread: () => void (fragments = true),
      InlineFragment: () => void (fragments = true),
      ObjectValue: () => {
        const input = typeInfo.getInputType();
        if (input && isScalarType(getNullableType(input))) {
          reason = 'a scalar written as an object literal';
          return BREAK;
        }
        return undefined;
      },
      ListValue: () => {
        const input = typeInfo.getInputType();
        if (input && isScalarType(getNullableType(input))) {
          reason = 'a scalar written as a list literal';
          return BREAK;
        }
        return undefined;
      },
    }),
  );
  // graphql-jit decides @skip/@include once per field node: a fragment's field reached twice, once under a false
  // condition, is dropped everywhere (graphql-js includes it where any path includes it).
  return reason ?? (conditional && fragments ? '@skip/@include with fragments' : undefined);
}

/** graphql-js's rule for a rejected or thrown value that is not an Error (locatedError's wording). */
function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(`Unexpected error value: ${JSON.stringify(reason) ?? String(reason)}`);
}

const isPromiseLike = (value: unknown): value is PromiseLike<unknown> =>
  value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';

/** An array whose promise items settle to their value or, when they reject, to the Error (graphql-jit indexes those right). */
function settleItems(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  let copy: unknown[] | undefined;
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (isPromiseLike(item)) {
      copy ??= value.slice();
      copy[i] = Promise.resolve(item).then(undefined, asError);
    }
  }
  return copy ?? value;
}

/** The schema graphql-jit compiles against: a copy whose list-typed fields settle their promise items (see above). */
function jitSchemaOf(schema: GraphQLSchema): GraphQLSchema {
  const config = schema.toConfig();
  const copy = lexicographicSortSchema(new GraphQLSchema({ ...config, types: [...config.types, COERCED] }));
  for (const type of Object.values(copy.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
      const resolve = field.resolve;
      if (!resolve || !isListType(getNullableType(field.type))) continue;
      field.resolve = (source, args, context, info) => {
        const result = resolve(source, args, context, info);
        return isPromiseLike(result) ? Promise.resolve(result).then(settleItems) : settleItems(result);
      };
    }
  }
  return copy;
}

/** Source offsets of each line's start, so graphql-jit's line/column locations become graphql-js positions. */
function lineStarts(source: Source): number[] {
  const starts = [0];
  const lines = /\r\n|[\n\r]/g;
  for (let match = lines.exec(source.body); match; match = lines.exec(source.body)) starts.push(match.index + match[0].length);
  return starts;
}

/** A graphql-jit error as graphql-js would have made it: source positions, path, original error, extensions. */
function toGraphQLError(error: GraphQLError, source: Source | undefined, starts: () => number[]): GraphQLError {
  const positions =
    source && error.locations ? error.locations.map(({ line, column }) => (starts()[line - 1] ?? 0) + column - 1) : undefined;
  return new GraphQLError(error.message, {
    ...(positions && positions.length > 0 ? { source, positions } : {}),
    ...(error.path ? { path: error.path } : {}),
    ...(error.originalError ? { originalError: error.originalError } : {}),
    ...(error.extensions ? { extensions: error.extensions } : {}),
  });
}

export interface PlannerOptions {
  /** Documents with more fields than this to compile (compiledFieldCount) run on graphql-js. */
  maxFields?: number;
}

/** Plans (compiling when it can), with one jit schema per schema: what useCompiledExecution runs; tools and tests use it. */
export function createPlanner({ maxFields = JIT_DEFAULTS.maxFields }: PlannerOptions = {}) {
  const jitSchemas = new WeakMap<GraphQLSchema, GraphQLSchema>();
  return (schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined): ExecutionPlan => {
    const operation = selectedOperation(document, operationName);
    if (!operation) return { kind: 'graphql-js', reason: 'no single operation' };
    const reason = unsupported(schema, document, operation);
    if (reason) return { kind: 'graphql-js', reason };
    if (compiledFieldCount(schema, document, operation, maxFields) > maxFields) return { kind: 'graphql-js', reason: `more than ${maxFields} fields to compile` };
    let jitSchema = jitSchemas.get(schema);
    if (!jitSchema) jitSchemas.set(schema, (jitSchema = jitSchemaOf(schema)));
    const coercion = leafVariablesOnly(schema, operation) ? 'graphql-jit' : 'graphql-js';
    const compiled = compileQuery(jitSchema, compilableDocument(document, operation, coercion === 'graphql-js'), operationName);
    if (!isCompiledQuery(compiled)) return { kind: 'graphql-js', reason: `not compiled: ${compiled.errors?.[0]?.message ?? 'unknown'}` };
    return { kind: 'compiled', schema, compiled, operation, source: document.loc?.source, coercion };
  };
}

/** Milliseconds of compilation allowed: `perSecond` refills continuously up to `burst`. */
function compileBudget(perSecond: number, burst: number) {
  let tokens = burst;
  let at = performance.now();
  return {
    available(): boolean {
      const now = performance.now();
      tokens = Math.min(burst, tokens + ((now - at) * perSecond) / 1000);
      at = now;
      return tokens > 0;
    },
    spend(ms: number): void {
      tokens -= ms;
    },
  };
}

type CompiledPlan = Extract<ExecutionPlan, { kind: 'compiled' }>;
type GraphqlJsPlan = Extract<ExecutionPlan, { kind: 'graphql-js' }>;

export function useCompiledExecution(options: CompiledExecutionOptions = {}): Plugin {
  const { compileAfter, maxFields, maxDocuments, compileMsPerSecond, compileBurstMs } = { ...JIT_DEFAULTS, ...options };
  const plan = createPlanner({ maxFields });
  // Compiled plans hold generated code (about 3 KB per field), so they are bounded, by a second-chance (CLOCK) order:
  // a hit only marks its entry; making room evicts the oldest entry not used since the last sweep. (lru-cache's get,
  // shared with yoga's parse cache, cost ~7 % of a request here.)
  const compiled = new Map<DocumentNode, { used: boolean; plans: Map<string, CompiledPlan> }>();
  const remember = (document: DocumentNode, operationName: string, made: CompiledPlan) => {
    const entry = compiled.get(document);
    if (entry) {
      entry.plans.set(operationName, made);
      return;
    }
    for (const [oldest, candidate] of compiled) {
      if (compiled.size < maxDocuments) break;
      compiled.delete(oldest);
      if (candidate.used) {
        candidate.used = false;
        compiled.set(oldest, candidate); // to the back: visited again only after every other entry
      }
    }
    compiled.set(document, { used: false, plans: new Map([[operationName, made]]) });
  };
  // Executions so far and graphql-js verdicts are small: they live as long as yoga's parse cache keeps the document.
  const seen = new WeakMap<DocumentNode, Map<string, number | GraphqlJsPlan>>();
  const budget = compileBudget(compileMsPerSecond, compileBurstMs);

  /** The compiled plan for this execution, or undefined when it runs on graphql-js (not hot yet, over budget, or not compilable). */
  const compiledPlanOf = (schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined): CompiledPlan | undefined => {
    const key = operationName ?? '';
    const entry = compiled.get(document);
    const hit = entry?.plans.get(key);
    if (hit && hit.schema === schema) {
      entry!.used = true;
      return hit;
    }
    let byName = seen.get(document);
    if (!byName) seen.set(document, (byName = new Map()));
    const before = byName.get(key);
    if (typeof before === 'object') return undefined;
    const runs = (before ?? 0) + 1;
    byName.set(key, runs);
    if (runs < compileAfter || !budget.available()) return undefined;
    const started = performance.now();
    const made = plan(schema, document, operationName);
    budget.spend(performance.now() - started);
    options.onPlan?.(made, operationName);
    if (made.kind === 'graphql-js') {
      byName.set(key, made);
      return undefined;
    }
    byName.delete(key);
    remember(document, key, made);
    return made;
  };

  const run = (plan: CompiledPlan, args: ExecutionArgs, fallback: (args: ExecutionArgs) => unknown): unknown => {
    const raw = (args.variableValues ?? {}) as Record<string, unknown>;
    let variables = raw;
    if (plan.coercion === 'graphql-js') {
      const coerced = coerceVariables(args.schema, plan.operation, raw);
      if (coerced.errors) return fallback(args);
      variables = coerced.coerced;
    }
    let starts: number[] | undefined;
    const startsOf = () => (starts ??= plan.source ? lineStarts(plan.source) : []);
    const finish = (result: ExecutionResult): unknown => {
      // Only variables that do not coerce answer without `data`: yoga's executor refuses them with its own errors.
      if (!('data' in result)) return fallback(args);
      if (!result.errors || result.errors.length === 0) return result;
      // graphql-js's key order: errors first.
      const errors = result.errors.map((error) => toGraphQLError(error, plan.source, startsOf));
      return result.extensions === undefined ? { errors, data: result.data } : { errors, data: result.data, extensions: result.extensions };
    };
    const result = plan.compiled.query(args.rootValue, args.contextValue, variables);
    return isPromiseLike(result) ? (result as Promise<ExecutionResult>).then(finish) : finish(result);
  };

  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      if (isTracedExecution(args)) return;
      const plan = compiledPlanOf(args.schema, args.document, args.operationName ?? undefined);
      if (!plan) return;
      setExecuteFn((executionArgs) => run(plan, executionArgs as ExecutionArgs, executeFn as (args: ExecutionArgs) => unknown) as ReturnType<typeof executeFn>);
    },
  };
}
