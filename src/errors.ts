// The public error policy: BirdError → allowlisted GraphQL error codes, everything else masked; a query past its call budget fails whole.
import { GraphQLError, getOperationAST } from 'graphql';
import { type Plugin, isAsyncIterable } from 'graphql-yoga';
import { BirdError } from './bird/errors.ts';

/**
 * The only `extensions.code` values a client ever sees from an execution error, besides the ones graphql-js and yoga
 * produce for parsing and validation (GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, BAD_REQUEST). Clients branch
 * on these; the messages are ours and may change.
 */
export const PUBLIC_ERROR_CODES = [
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'CONFLICT',
  'RATE_LIMITED',
  'UPSTREAM_UNAVAILABLE',
  // The same code as the pre-execution estimate's (src/limits.ts): the operation needs more Bird calls than allowed.
  'UPSTREAM_BUDGET_EXCEEDED',
  // Subscriptions (src/live/subscriptions.ts): a cap reached, or the replica is shutting down.
  'SUBSCRIPTION_LIMIT_EXCEEDED',
  'SHUTTING_DOWN',
] as const;
export type PublicErrorCode = (typeof PUBLIC_ERROR_CODES)[number];

const PUBLIC = new Set<string>(PUBLIC_ERROR_CODES);

/** An error we raise on purpose: it reaches the client with its code and message. */
export function publicError(code: PublicErrorCode, message: string, extensions: Record<string, unknown> = {}) {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

export function badUserInput(message: string, extensions: Record<string, unknown> = {}) {
  return publicError('BAD_USER_INPUT', message, extensions);
}

/**
 * Maps a Bird client failure to what the caller may see. Bird's body, the URL and the credential are never echoed:
 * only our message, the code and, for rate limits, when to retry.
 */
export function fromBirdError(error: BirdError): { code: PublicErrorCode; message: string; extensions: Record<string, unknown> } {
  switch (error.code) {
    case 'NOT_FOUND':
      return { code: 'NOT_FOUND', message: 'The requested Bird resource does not exist.', extensions: {} };
    case 'UNAUTHENTICATED':
      return { code: 'UNAUTHENTICATED', message: 'Bird did not accept the access key.', extensions: {} };
    case 'FORBIDDEN':
      return { code: 'FORBIDDEN', message: 'The access key may not access this Bird resource.', extensions: {} };
    case 'RATE_LIMITED': {
      const extensions: Record<string, unknown> = {};
      if (error.retryAfterMs !== undefined) extensions.retryAfter = Math.max(1, Math.ceil(error.retryAfterMs / 1000));
      return { code: 'RATE_LIMITED', message: 'Bird rate limit reached; retry later.', extensions };
    }
    case 'INVALID_ID':
      return { code: 'BAD_USER_INPUT', message: 'Invalid identifier.', extensions: {} };
    case 'INVALID_REQUEST': {
      const fields = error.details ? Object.keys(error.details) : [];
      return {
        code: 'BAD_USER_INPUT',
        message: 'Bird rejected the request as invalid.',
        extensions: fields.length > 0 ? { fields } : {},
      };
    }
    case 'CONFLICT':
      return { code: 'CONFLICT', message: 'Bird refused the request because of a conflicting state.', extensions: {} };
    case 'CALL_BUDGET_EXCEEDED':
      return { code: 'UPSTREAM_BUDGET_EXCEEDED', message: BUDGET_MESSAGE, extensions: {} };
    default:
      return { code: 'UPSTREAM_UNAVAILABLE', message: 'Bird is unavailable or answered unexpectedly.', extensions: {} };
  }
}

/** How loud a failure is in the logs: the caller's own mistake (info), Bird's trouble (warn), or our fault (error). */
export type ErrorSeverity = 'info' | 'warn' | 'error';

/** Codes of failures the operator cannot fix: Bird throttling us or being down. */
const UPSTREAM_TROUBLE = new Set<string>(['RATE_LIMITED', 'UPSTREAM_UNAVAILABLE']);

/**
 * The log level of a failure yoga reports (src/observability/logger.ts): a caller's own mistake (bad input, an invalid
 * cursor, a key Bird refuses, a limit) is info, Bird throttling or failing is warn, and only what no code explains,
 * the server's own faults, is error.
 */
export function errorSeverity(error: unknown): ErrorSeverity {
  const code = failureCode(error);
  if (code === undefined || code === 'INTERNAL_SERVER_ERROR') return 'error';
  return UPSTREAM_TROUBLE.has(code) ? 'warn' : 'info';
}

/**
 * The code a failure is answered with, when it has one of its own: a Bird failure's public code, or a GraphQL error's
 * (its wrapped error's first). Undefined for a resolver that threw anything else: that is masked, and our fault.
 */
export function failureCode(error: unknown): string | undefined {
  const bird = findBirdError(error instanceof GraphQLError ? (error.originalError ?? error) : error);
  if (bird) return fromBirdError(bird).code;
  if (!(error instanceof GraphQLError)) return undefined;
  const original = error.originalError;
  if (original !== undefined && !(original instanceof GraphQLError)) return undefined;
  const code = (original instanceof GraphQLError ? original.extensions.code : undefined) ?? error.extensions.code;
  return typeof code === 'string' ? code : undefined;
}

const BUDGET_MESSAGE =
  'The operation needs more calls to Bird than one request may make (MAX_UPSTREAM_CALLS); request smaller pages or fewer nested lists.';

/**
 * A query that spent its call budget (src/bird/handle.ts) fails as a whole, like one the estimate refuses up front:
 * `data: null` and ONE UPSTREAM_BUDGET_EXCEEDED error, instead of a partial answer with an error for each of the
 * thousands of fields left (a 6,000-receiver fan-out made 1.5 MB of them). Mutations keep their partial result: what
 * they did must stay visible.
 */
export function useCallBudgetOutcome(): Plugin {
  // The same hooks for every query (they read only their payload): made once.
  const queryHooks: ReturnType<NonNullable<Plugin['onExecute']>> = {
    onExecuteDone({ result, setResult }) {
      if (isAsyncIterable(result) || !result.errors?.some(isBudgetError)) return;
      setResult({ data: null, errors: [publicError('UPSTREAM_BUDGET_EXCEEDED', BUDGET_MESSAGE)] });
    },
  };
  return {
    onExecute({ args }) {
      if (getOperationAST(args.document, args.operationName)?.operation !== 'query') return;
      return queryHooks;
    },
  };
}

function isBudgetError(error: GraphQLError): boolean {
  return error.extensions?.code === 'UPSTREAM_BUDGET_EXCEEDED' || findBirdError(error)?.code === 'CALL_BUDGET_EXCEEDED';
}

function findBirdError(error: unknown): BirdError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (current instanceof BirdError) return current;
    current = (current as { originalError?: unknown; cause?: unknown }).originalError ?? undefined;
  }
  return undefined;
}

/**
 * yoga's `maskedErrors.maskError`. Keeps graphql-js/yoga request errors (they describe the caller's own document),
 * our deliberate public errors, and maps Bird failures to coded errors; anything else becomes "Unexpected error."
 * with no stack, cause or original message, whatever NODE_ENV says.
 */
export function maskError(error: unknown, message: string): Error {
  if (error instanceof GraphQLError) {
    const original = error.originalError;
    const bird = findBirdError(original);
    if (bird) {
      const mapped = fromBirdError(bird);
      return new GraphQLError(mapped.message, {
        nodes: error.nodes,
        source: error.source,
        positions: error.positions,
        path: error.path,
        extensions: { ...mapped.extensions, code: mapped.code },
      });
    }
    // No original error: a parse, validation or variable-coercion error about the caller's own request.
    if (!original) return error;
    // A GraphQLError we threw on purpose (possibly wrapped by graphql-js with the path).
    if (original instanceof GraphQLError && PUBLIC.has(String(original.extensions.code))) {
      return new GraphQLError(original.message, {
        nodes: error.nodes,
        source: error.source,
        positions: error.positions,
        path: error.path,
        extensions: original.extensions,
      });
    }
    if (PUBLIC.has(String(error.extensions.code)) && original instanceof GraphQLError) return error;
    // graphql-js's own variable-coercion errors (a bad UUID, a @oneOf with two keys) wrap a GraphQLError and belong
    // to no field: they describe the caller's variables, so they stay as they are.
    if (original instanceof GraphQLError && error.path === undefined && !(original.originalError instanceof Error)) {
      return error;
    }
    return new GraphQLError(message, {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      path: error.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  }
  const bird = findBirdError(error);
  if (bird) {
    const mapped = fromBirdError(bird);
    return new GraphQLError(mapped.message, { extensions: { ...mapped.extensions, code: mapped.code } });
  }
  return new GraphQLError(message, { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}
