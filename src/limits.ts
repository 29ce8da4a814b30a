// Operation limits: nesting, tokens, depth, aliases, introspection, cost, upstream-call budget, uploads, body size.
//
// Every limit rejects before execution starts, so a rejected operation makes zero upstream calls. Each error carries a
// stable `extensions.code`; the limit values themselves are only named when `exposeLimits` is on (not in production).
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';
import { complexityFromQuery } from '@pothos/plugin-complexity';
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  getArgumentValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  isInterfaceType,
  isListType,
  isObjectType,
  isUnionType,
} from 'graphql';
import { createGraphQLError, type FetchAPI, type Plugin } from 'graphql-yoga';
import type { LimitsConfig } from './config.ts';
import { documentNestsDeeperThan, valueNestsDeeperThan } from './nesting.ts';
import { INTROSPECTION_LIMIT_CODE, introspectionCost, maxIntrospectionRule, operationRootFields } from './introspection-limits.ts';
import { DEFAULT_PAGE_SIZE } from './schema/pagination.ts';

/** Codes of the limit errors, beside those of src/errors.ts. */
export const LIMIT_ERROR_CODES = {
  depth: 'DEPTH_LIMIT_EXCEEDED',
  aliases: 'ALIAS_LIMIT_EXCEEDED',
  tokens: 'TOKEN_LIMIT_EXCEEDED',
  cost: 'COST_LIMIT_EXCEEDED',
  upstream: 'UPSTREAM_BUDGET_EXCEEDED',
  body: 'PAYLOAD_TOO_LARGE',
  nesting: 'NESTING_LIMIT_EXCEEDED',
  introspection: INTROSPECTION_LIMIT_CODE,
  uploads: 'UPLOAD_LIMIT_EXCEEDED',
} as const;

/** A list of the parent's own data (content items, actions, …) counts this many items: the Pothos default. */
export const LIST_MULTIPLIER = 10;

/**
 * The lists whose items lead to Bird calls, by field name: how many items the estimate counts (`likely`) and the most
 * they can hold (`max`). The estimate refuses up front what will probably pass MAX_UPSTREAM_CALLS, so it counts the
 * likely size; what only might (an email to 1,000 receivers, each one contact call) is stopped by the Bird handle's
 * hard cap at MAX_UPSTREAM_CALLS calls (src/bird/handle.ts), and fails whole. Counting `max` instead would refuse every
 * message's receiver contacts, a one-receiver WhatsApp message's included (1,002 calls for 2). A test checks that every
 * such list of the schema has an entry, so no fan-out is left to the default by accident.
 */
export const FAN_OUT_LISTS: Readonly<Record<string, { likely: number; max: number }>> = {
  // A message's or an interaction's participants: one on every platform but email (bird-api.md §2a(ii)); an email to a
  // handful of people is the common case. Bird documents no maximum; 1,000 is the most one send may name
  // (src/schema/send.ts). Each participant's `contact` is one call.
  receivers: { likely: 10, max: 1_000 },
};

/** Root mutations that make more than one call: uploadMedia asks Bird for a form, then posts the file to storage. */
const MUTATION_CALLS: Readonly<Record<string, number>> = { uploadMedia: 2 };
/** The mutation that sends the request's file to Bird's storage (counted against MAX_UPLOADS_PER_REQUEST and the bytes). */
const UPLOAD_FIELD = 'uploadMedia';

function isConnectionField(field: GraphQLField<unknown, unknown>): boolean {
  return getNamedType(field.type).name.endsWith('Connection') && field.args.some((arg) => arg.name === 'first');
}

function lengthOf(value: unknown): number | undefined {
  return Array.isArray(value) ? value.length : undefined;
}

/**
 * How many times a field's sub-selection runs: a connection's page size (`first`, else `last`, else the default page),
 * the number of ids or representations for `nodes` / `_entities`, 1 for `edges` (the connection already multiplied),
 * the likely size of a fan-out list (FAN_OUT_LISTS), LIST_MULTIPLIER for other lists, 1 otherwise.
 */
export function selectionMultiplier(field: GraphQLField<unknown, unknown>, args: Record<string, unknown>): number {
  if (isConnectionField(field)) {
    const size = typeof args.first === 'number' ? args.first : typeof args.last === 'number' ? args.last : DEFAULT_PAGE_SIZE;
    return Math.max(0, size);
  }
  if (field.name === 'nodes') return lengthOf(args.ids) ?? LIST_MULTIPLIER;
  if (field.name === '_entities') return lengthOf(args.representations) ?? LIST_MULTIPLIER;
  if (isListType(getNullableType(field.type))) return field.name === 'edges' ? 1 : (FAN_OUT_LISTS[field.name]?.likely ?? LIST_MULTIPLIER);
  return 1;
}

/**
 * Pothos complexity's `fieldComplexity` (src/builder.ts): every field costs 1 and multiplies its sub-selection by
 * selectionMultiplier, so `channels(first: 10) { messages(first: 50) { ... } }` costs 10 × 50 × the message fields.
 */
export function fieldComplexity<Ctx>(args: Record<string, unknown>, _ctx: Ctx, field: GraphQLField<unknown, Ctx, Record<string, unknown>>) {
  return { field: 1, multiplier: selectionMultiplier(field as GraphQLField<unknown, unknown>, args) };
}

/**
 * Whether resolving this field costs one upstream call per parent: a connection (one list call), a node reached from
 * a parent that does not embed it (a loader call: `message.channel`, `participant.contact`, `node(id)`), or a root
 * mutation. An edge's `node` comes from the list response and a payload's object from the mutation's own response.
 */
export function callsPerParent(field: GraphQLField<unknown, unknown>, parent: GraphQLNamedType, rootMutation: boolean): number {
  if (rootMutation) return MUTATION_CALLS[field.name] ?? 1;
  if (field.name.startsWith('__') || field.name === '_service') return 0;
  if (parent.name.endsWith('Edge') || parent.name.endsWith('Payload')) return 0;
  if (isConnectionField(field)) return 1;
  const named = getNamedType(field.type);
  if (field.name === '_entities') return 1; // per representation, via the multiplier
  const isNode =
    named.name === 'Node' || ((isObjectType(named) || isInterfaceType(named)) && named.getInterfaces().some((i) => i.name === 'Node'));
  return isNode ? 1 : 0;
}

interface Walk {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  mutation: GraphQLNamedType | null;
  /** uploadMedia fields that will run, and the bytes they will send to storage together. */
  uploads: number;
  uploadBytes: number;
  /** A representation of `_entities` that names no entity type: the operation does not run. */
  invalid?: GraphQLError;
}

/** The size of the File an uploadMedia input carries (0 when there is none yet: execution refuses that itself). */
function uploadSize(args: Record<string, unknown>): number {
  const file = (args.input as { file?: unknown } | undefined)?.file;
  return file instanceof Blob ? file.size : 0;
}

/** Why a representation of `_entities` cannot be resolved, checked before any call (graphql-js would throw inside). */
function representationProblem(schema: GraphQLSchema, representations: unknown): GraphQLError | undefined {
  if (!Array.isArray(representations)) return undefined;
  const entity = schema.getType('_Entity');
  const entityTypes = new Set(isUnionType(entity) ? entity.getTypes().map((t) => t.name) : []);
  const index = representations.findIndex((representation) => {
    const typename = (representation as { __typename?: unknown } | null)?.__typename;
    return typeof representation !== 'object' || representation === null || typeof typename !== 'string' || !entityTypes.has(typename);
  });
  if (index < 0) return undefined;
  return new GraphQLError(`Representation ${index} of _entities is not an object whose __typename names an entity type.`, {
    extensions: { code: 'BAD_USER_INPUT', argument: 'representations' },
  });
}

function fieldArgs(field: GraphQLField<unknown, unknown>, node: FieldNode, variables: Record<string, unknown>) {
  try {
    return getArgumentValues(field, node, variables);
  } catch {
    return {}; // execution reports the bad argument itself, before any call
  }
}

/**
 * An upper bound of the upstream calls of a selection (loaders batch and dedupe, so real runs make fewer). The cost is
 * not counted here: Pothos complexity measures it (estimateOperation), so there is one rule for it.
 */
function walkSelection(walk: Walk, selectionSet: SelectionSetNode, type: GraphQLNamedType, multiplier: number): number {
  let total = 0;
  const add = (inner: number) => {
    total += inner;
  };
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (!(isObjectType(type) || isInterfaceType(type))) continue;
      const field = type.getFields()[selection.name.value];
      if (!field) continue;
      const args = fieldArgs(field, selection, walk.variables);
      const inner = selectionMultiplier(field, args);
      const own = callsPerParent(field, type, type === walk.mutation);
      total += multiplier * own * (field.name === '_entities' || field.name === 'nodes' ? inner : 1);
      if (type === walk.mutation && field.name === UPLOAD_FIELD) {
        walk.uploads += multiplier;
        walk.uploadBytes += multiplier * uploadSize(args);
      }
      if (field.name === '_entities') walk.invalid ??= representationProblem(walk.schema, args.representations);
      if (selection.selectionSet) add(walkSelection(walk, selection.selectionSet, getNamedType(field.type), multiplier * inner));
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const narrowed = selection.typeCondition ? walk.schema.getType(selection.typeCondition.name.value) : type;
      add(walkSelection(walk, selection.selectionSet, narrowed ?? type, multiplier));
    } else {
      const fragment = walk.fragments[selection.name.value];
      const narrowed = fragment ? walk.schema.getType(fragment.typeCondition.name.value) : undefined;
      if (fragment && narrowed) add(walkSelection(walk, fragment.selectionSet, narrowed, multiplier));
    }
  }
  return total;
}

/** One request's coerced variables, by its raw variables object: the estimate coerces them, execution reuses them. */
const coercions = new WeakMap<object, { schema: GraphQLSchema; operation: OperationDefinitionNode; result: ReturnType<typeof getVariableValues> }>();

/**
 * graphql-js's getVariableValues, computed once per (raw variables object, schema, operation): the estimate and
 * compiled execution (src/jit.ts) of the same request share it. Nothing is shared across requests (each request has
 * its own variables object), so no request sees values another one coerced.
 */
export function coerceVariables(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  raw: Record<string, unknown>,
  /** Keep the result for a later step of the same request (the estimate does; execution, the last step, does not). */
  remember = false,
): ReturnType<typeof getVariableValues> {
  const known = coercions.get(raw);
  if (known !== undefined && known.schema === schema && known.operation === operation) return known.result;
  const result = getVariableValues(schema, operation.variableDefinitions ?? [], raw);
  if (remember) coercions.set(raw, { schema, operation, result });
  return result;
}

export type OperationEstimate =
  | { cost: number; upstreamCalls: number; uploads: number; uploadBytes: number }
  /** An argument the schema maps (a global ID) is malformed: Pothos cannot price the operation, so it does not run. */
  | { invalidArgument: GraphQLError }
  /** The variables do not coerce to their declared types (graphql-js's own messages, one per problem). */
  | { invalidVariables: readonly GraphQLError[] };

/**
 * Cost and upstream calls of the operation that will run, from the document and the caller's variables, before any
 * resolver runs. Undefined when no operation can be chosen (execution then says why, before any call).
 */
export function estimateOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  rawVariables: Record<string, unknown> | null | undefined,
): OperationEstimate | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((op) => op.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation) return undefined;
  const coerced = coerceVariables(schema, operation, rawVariables ?? {}, true);
  if (coerced.errors) return { invalidVariables: coerced.errors };
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  const root = schema.getRootType(operation.operation);
  if (!root) return undefined;
  // complexityFromQuery reads the first operation of a document: hand it the selected one with its fragments.
  const single: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION || d === operation),
  };
  const walk: Walk = { schema, fragments, variables: coerced.coerced, mutation: schema.getMutationType() ?? null, uploads: 0, uploadBytes: 0 };
  const upstreamCalls = walkSelection(walk, operation.selectionSet, root, 1);
  if (walk.invalid) return { invalidArgument: walk.invalid };
  // Pothos prices `__schema` / `__type` as one field; what they return is priced over the schema itself.
  const introspection = operationRootFields(operation.selectionSet, fragments).reduce(
    (sum, field) => sum + introspectionCost(schema, field, fragments, coerced.coerced),
    0,
  );
  let cost: number;
  try {
    cost = introspection + complexityFromQuery(single, { schema, variables: rawVariables ?? {} }).complexity;
  } catch (error) {
    // Pothos maps arguments through their input mappings (global IDs are decoded), so a malformed one throws here.
    // Unpriced, the operation does not run: its siblings could cost anything. The mapping's own error (BAD_USER_INPUT
    // "Invalid ID.") is the answer, as for a variable that does not coerce; anything else is masked.
    return { invalidArgument: error instanceof GraphQLError ? error : new GraphQLError('Invalid argument.', { originalError: error as Error }) };
  }
  return { cost, upstreamCalls, uploads: walk.uploads, uploadBytes: walk.uploadBytes };
}

/** A variable-coercion error as the caller sees it: graphql-js's message and location, BAD_USER_INPUT, HTTP 400. */
function badVariable(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
  });
}

function limitError(code: string, message: string, exposed: Record<string, number> | undefined): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...(exposed ? { limit: exposed } : {}) } });
}

export interface LimitsOptions {
  limits: LimitsConfig;
  /** Name the limit and the value found in errors (useful in development; off in production). */
  exposeLimits: boolean;
  /** The most bytes one request may send to Bird's storage in all (MEDIA_MAX_BYTES: one file's worth). */
  maxUploadBytes?: number;
}

/**
 * The nesting pre-scan, on the request's params before anything recursive reads them (parsing, validation, the
 * variables' coercion, JSON.stringify): the document's brackets and the variables' and extensions' JSON depth, each
 * measured by a loop (src/nesting.ts). 400 NESTING_LIMIT_EXCEEDED past MAX_NESTING.
 */
function useNestingLimit({ limits, exposeLimits }: LimitsOptions): Plugin {
  const refuse = (what: string) =>
    createGraphQLError(exposeLimits ? `The ${what} nests deeper than ${limits.maxNesting} levels.` : `The ${what} is nested too deeply.`, {
      extensions: { code: LIMIT_ERROR_CODES.nesting, http: { status: 400 }, ...(exposeLimits ? { limit: { maxNesting: limits.maxNesting } } : {}) },
    });
  // The last document that passed: clients repeat their documents, and comparing text is cheaper than scanning it.
  let lastPassed: string | undefined;
  return {
    onParams({ params }) {
      if (typeof params.query === 'string' && params.query !== lastPassed) {
        if (documentNestsDeeperThan(params.query, limits.maxNesting)) throw refuse('document');
        lastPassed = params.query;
      }
      if (valueNestsDeeperThan(params.variables, limits.maxNesting)) throw refuse('variables value');
      if (valueNestsDeeperThan(params.extensions, limits.maxNesting)) throw refuse('extensions value');
    },
  };
}

/** graphql-armor's token count, on the parser itself, so a 100k-token document is never fully parsed. */
function useMaxTokens({ limits, exposeLimits }: LimitsOptions): Plugin {
  const message = exposeLimits ? `The document has more than ${limits.maxTokens} tokens.` : 'The document is too large.';
  return {
    onParse({ setParseFn }) {
      setParseFn((source, options) => {
        let rejected = false;
        const parser = new MaxTokensParserWLexer(source, {
          ...options,
          n: limits.maxTokens,
          onReject: [() => void (rejected = true)],
          propagateOnRejection: true,
        } as ConstructorParameters<typeof MaxTokensParserWLexer>[1]);
        try {
          return parser.parseDocument();
        } catch (error) {
          if (rejected) throw limitError(LIMIT_ERROR_CODES.tokens, message, exposeLimits ? { maxTokens: limits.maxTokens } : undefined);
          throw error;
        }
      });
    },
  };
}

/** graphql-armor's depth and alias rules (coded errors instead of armor's "Syntax Error: ..."), and one introspection. */
function useDepthAndAliases({ limits, exposeLimits }: LimitsOptions): Plugin {
  const report = (code: string, message: string, exposed: Record<string, number>) => (context: ValidationContext | null) => {
    context?.reportError(limitError(code, message, exposeLimits ? exposed : undefined));
  };
  const depth = maxDepthRule({
    n: limits.maxDepth,
    flattenFragments: true,
    exposeLimits: false,
    propagateOnRejection: false,
    onReject: [report(LIMIT_ERROR_CODES.depth, exposeLimits ? `The operation is deeper than ${limits.maxDepth} levels.` : 'The operation is too deep.', { maxDepth: limits.maxDepth })],
  });
  const aliases = maxAliasesRule({
    n: limits.maxAliases,
    exposeLimits: false,
    propagateOnRejection: false,
    onReject: [report(LIMIT_ERROR_CODES.aliases, exposeLimits ? `The operation uses more than ${limits.maxAliases} aliases.` : 'The operation uses too many aliases.', { maxAliases: limits.maxAliases })],
  });
  const introspection = maxIntrospectionRule('Only one introspection (`__schema` or `__type`) per document.');
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(depth);
      addValidationRule(aliases);
      addValidationRule(introspection);
    },
  };
}

/** Variables longer than this (as JSON) are not worth a cache key: the estimate is computed afresh. */
const MAX_CACHED_VARIABLES_CHARS = 2_000;
/** Distinct (operation, variables) estimates kept per document; past it that document's entries start over. */
const MAX_ESTIMATES_PER_DOCUMENT = 256;

/** A JSON.stringify replacer that refuses anything JSON.parse could not have produced (a File would print as {}). */
function plainJsonOnly(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const prototype = Object.getPrototypeOf(value) as unknown;
    if (prototype !== Object.prototype && prototype !== null) throw new TypeError('not plain JSON');
  }
  return value;
}

/**
 * The variables' JSON, refusing (throwing) anything JSON.parse could not have produced. Variables of strings, numbers,
 * booleans and nulls only (the common case) are plain JSON as they are, so they skip the replacer, which makes
 * JSON.stringify call back into JavaScript for every value.
 */
function variablesKey(variables: Record<string, unknown>): string {
  for (const name in variables) {
    const value = variables[name];
    if (value !== null && typeof value === 'object') return JSON.stringify(variables, plainJsonOnly);
    if (typeof value === 'bigint') return JSON.stringify(variables, plainJsonOnly); // throws, as it must
  }
  return Object.getPrototypeOf(variables) === Object.prototype || Object.getPrototypeOf(variables) === null
    ? JSON.stringify(variables)
    : JSON.stringify(variables, plainJsonOnly);
}

/**
 * estimateOperation is a pure function of (schema, document, operation name, variables), and yoga hands the same
 * DocumentNode object for every request with the same text (its parse cache), so the estimate is kept per document
 * object and keyed by the operation name and the variables' JSON. Exact: any difference in the variables is a miss.
 */
export class EstimateCache {
  private readonly bySchema = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, OperationEstimate | undefined>>>();

  get(
    schema: GraphQLSchema,
    document: DocumentNode,
    operationName: string | null | undefined,
    variables: Record<string, unknown> | null | undefined,
  ): OperationEstimate | undefined {
    let key: string | undefined;
    try {
      key = `${operationName ?? ''}\u0000${variablesKey(variables ?? {})}`;
    } catch {
      key = undefined; // not plain JSON (an upload's File, a BigInt, a cycle): computed afresh, never cached
    }
    if (key === undefined || key.length > MAX_CACHED_VARIABLES_CHARS) return estimateOperation(schema, document, operationName, variables);
    let documents = this.bySchema.get(schema);
    if (!documents) this.bySchema.set(schema, (documents = new WeakMap()));
    let entries = documents.get(document);
    if (!entries) documents.set(document, (entries = new Map()));
    if (entries.has(key)) return entries.get(key);
    const estimate = estimateOperation(schema, document, operationName, variables);
    if (entries.size >= MAX_ESTIMATES_PER_DOCUMENT) entries.clear();
    entries.set(key, estimate);
    return estimate;
  }
}

/**
 * Cost and upstream budget, checked in onExecute: after validation (so the document is sound) and with the caller's
 * variables (so `first: $n` counts), but before the first resolver. Not a validation rule on purpose: yoga caches
 * validation per document, and the same document with other variables can cost a hundred times more.
 */
function useOperationBudget({ limits, exposeLimits, maxUploadBytes = Number.POSITIVE_INFINITY }: LimitsOptions): Plugin {
  const estimates = new EstimateCache();
  const plugin: Plugin = {
    onExecute({ args, setResultAndStopExecution }) {
      const estimate = estimates.get(args.schema, args.document, args.operationName, args.variableValues as Record<string, unknown>);
      if (!estimate) return;
      if ('invalidVariables' in estimate) {
        // graphql-js would answer these without a code; they are the caller's own input, like the inline mistake.
        setResultAndStopExecution({ errors: estimate.invalidVariables.map(badVariable) });
        return;
      }
      let error: GraphQLError | undefined;
      if ('invalidArgument' in estimate) {
        error = estimate.invalidArgument;
      } else if (estimate.cost > limits.maxCost) {
        error = limitError(
          LIMIT_ERROR_CODES.cost,
          exposeLimits ? `The operation's estimated cost ${estimate.cost} exceeds ${limits.maxCost}; request smaller pages.` : 'The operation is too expensive; request smaller pages.',
          exposeLimits ? { maxCost: limits.maxCost, cost: estimate.cost } : undefined,
        );
      } else if (estimate.upstreamCalls > limits.maxUpstreamCalls) {
        error = limitError(
          LIMIT_ERROR_CODES.upstream,
          exposeLimits
            ? `The operation could make ${estimate.upstreamCalls} calls to Bird, more than ${limits.maxUpstreamCalls}; request smaller pages or fewer nested lists.`
            : 'The operation could make too many calls to Bird; request smaller pages or fewer nested lists.',
          exposeLimits ? { maxUpstreamCalls: limits.maxUpstreamCalls, upstreamCalls: estimate.upstreamCalls } : undefined,
        );
      } else if (estimate.uploads > limits.maxUploadsPerRequest || estimate.uploadBytes > maxUploadBytes) {
        // One file per multipart request, sent to storage once: aliasing uploadMedia would post it again and again.
        error = limitError(
          LIMIT_ERROR_CODES.uploads,
          exposeLimits
            ? `The operation runs uploadMedia ${estimate.uploads} times (${estimate.uploadBytes} bytes to storage); at most ${limits.maxUploadsPerRequest} per request.`
            : 'The operation uploads too many times; send one uploadMedia per request.',
          exposeLimits ? { maxUploadsPerRequest: limits.maxUploadsPerRequest, uploads: estimate.uploads } : undefined,
        );
      }
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
  // Subscriptions run through subscribe, not execute: the same budget applies to their documents (same args and stop).
  plugin.onSubscribe = (payload) => {
    void plugin.onExecute?.(payload as unknown as Parameters<NonNullable<Plugin['onExecute']>>[0]);
  };
  return plugin;
}

/** A multipart POST: parsed by src/media/upload-parser.ts, and bounded by the upload limit instead of MAX_BODY_BYTES. */
export function isMultipartUpload(request: Request): boolean {
  return request.method === 'POST' && (request.headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/form-data');
}

/** The most bytes a request body may have, and what the 413 says past it. */
export interface BodyLimit {
  maxBytes: number;
  message: string;
}

/** The one answer of every size limit: the whole body here; a file or a form field in src/media/upload-parser.ts. */
export function payloadTooLarge(message: string): GraphQLError {
  return createGraphQLError(message, { extensions: { code: LIMIT_ERROR_CODES.body, http: { status: 413, headers: { connection: 'close' } } } });
}

/** Only a single non-negative integer is a valid Content-Length (yoga's rule: no lists, signs or blanks). */
const CONTENT_LENGTH = /^\d+$/;

/**
 * Applies `limit` to a request's body. An invalid Content-Length is 400 BAD_REQUEST and one over the limit is 413,
 * before a byte is read; a body within its Content-Length needs no counting (Node's HTTP parser never delivers more
 * than the declared length). A body without one (chunked) comes back wrapped: reading it fails with 413 as soon as it
 * passes the limit. The wrapper reads its source only when it is read itself.
 */
export function capRequestBody(request: Request, limit: BodyLimit, fetchAPI: Pick<FetchAPI, 'Request' | 'ReadableStream'> = globalThis): Request {
  const declared = request.headers.get('content-length');
  if (declared !== null) {
    if (!CONTENT_LENGTH.test(declared)) {
      throw createGraphQLError('Content-Length header is invalid.', { extensions: { http: { status: 400 }, code: 'BAD_REQUEST' } });
    }
    if (Number(declared) > limit.maxBytes) throw payloadTooLarge(limit.message);
    return request;
  }
  const source = request.body;
  if (source === null) return request;
  async function* counted(): AsyncGenerator<Uint8Array> {
    let bytesRead = 0;
    for await (const chunk of source as unknown as AsyncIterable<Uint8Array>) {
      bytesRead += chunk.byteLength;
      if (bytesRead > limit.maxBytes) throw payloadTooLarge(limit.message); // leaving the loop cancels the source
      yield chunk;
    }
  }
  // ReadableStream.from (Node ≥ 20.6 and yoga's ponyfill alike) is not in TypeScript's DOM lib yet.
  const Streams = fetchAPI.ReadableStream as unknown as { from(iterable: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> };
  const body = Streams.from(counted());
  return new fetchAPI.Request(request.url, { method: request.method, headers: request.headers, signal: request.signal, body, duplex: 'half' } as RequestInit);
}

export interface BodySizeOptions extends LimitsOptions {
  /** The limit of multipart uploads: src/media/upload-parser.ts's uploadBodyLimit (MEDIA_MAX_BYTES and the form). */
  upload: BodyLimit;
}

/**
 * The one body-size limit: multipart uploads get `upload`, every other body MAX_BODY_BYTES, and past either the answer
 * is 413 PAYLOAD_TOO_LARGE (capRequestBody). It replaces yoga's `maxRequestBodySize` (createApp passes `false`), which
 * wraps every body in a counting stream pipeline even when Content-Length already bounds it. It must come after the
 * plugins that choose a request parser (the multipart one), since it wraps whichever parser they chose.
 */
export function useBodySizeLimit({ limits, exposeLimits, upload }: BodySizeOptions): Plugin {
  const other: BodyLimit = {
    maxBytes: limits.maxBodyBytes,
    message: exposeLimits ? `The request body is larger than ${limits.maxBodyBytes} bytes.` : 'The request body is too large.',
  };
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const capped = capRequestBody(request, isMultipartUpload(request) ? upload : other, fetchAPI);
      // yoga hands its parser the very request it gave this hook; the parser reads the counted one instead.
      if (capped !== request && requestParser) setRequestParser(() => requestParser(capped));
    },
  };
}

/**
 * The operation limits, in the order they apply: nesting (params, before anything recursive), tokens (parse), depth,
 * aliases and introspection (validate), cost, calls and uploads (execute).
 * The body size (useBodySizeLimit) is separate, as it must follow the plugins that choose a request parser.
 */
export function useLimits(options: LimitsOptions): Plugin[] {
  return [useNestingLimit(options), useMaxTokens(options), useDepthAndAliases(options), useOperationBudget(options)];
}
