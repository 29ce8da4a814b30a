// The one error model of every mutation: typed error results (validation with field paths, not found, rate limited,
// conflict, outcome unknown, upstream unavailable) returned in a result union, and the mapping from Bird failures.
import { BirdError } from '../bird/errors.ts';
import { builder } from '../builder.ts';

export interface FieldErrorShape {
  /** The path of the offending input field, from the mutation argument, e.g. ['input', 'tags', '3']. */
  path: string[];
  message: string;
}

/** The input was refused, by our own checks before calling Bird or by Bird's 422: nothing was sent. */
export class InputValidationError extends Error {
  override name = 'InputValidationError';
  constructor(readonly fields: FieldErrorShape[]) {
    super(fields.length === 1 ? (fields[0]?.message ?? 'Invalid input.') : `${fields.length} input fields are invalid.`);
  }
}

/** A resource the mutation names (workspace, channel, contact) does not exist or is not visible to the key. */
export class ResourceNotFoundError extends Error {
  override name = 'ResourceNotFoundError';
  constructor(
    readonly resource: string,
    message = `The ${resource} does not exist or is not visible to this access key.`,
  ) {
    super(message);
  }
}

/** Bird's rate limit was reached; Bird documents that a refused (429) request was not processed. */
export class RateLimitError extends Error {
  override name = 'RateLimitError';
  constructor(readonly retryAfter: number | null) {
    super('Bird rate limit reached: nothing was sent; retry later.');
  }
}

/** Bird refused because of the resource's state (for example an inactive channel). */
export class ConflictStateError extends Error {
  override name = 'ConflictStateError';
}

/**
 * The request reached Bird but no answer came back (a 5xx, a timeout, a reset): Bird may or may not have acted on
 * it. Sending again could send twice, so the caller is told to look the message up by `reference` first.
 */
export class UnknownOutcomeError extends Error {
  override name = 'UnknownOutcomeError';
  constructor(readonly reference: string) {
    super(
      'Bird did not confirm the request, and it may have been processed: do not resend blindly; look the message up by its reference first.',
    );
  }
}

/** Bird could not be reached and the request was certainly not processed; it is safe to retry. */
export class UpstreamUnavailableError extends Error {
  override name = 'UpstreamUnavailableError';
  constructor() {
    super('Bird could not be reached; nothing was sent. It is safe to retry.');
  }
}

export const MutationError = builder.interfaceRef<Error>('MutationError').implement({
  description: 'An expected reason a mutation did not do what it was asked; each kind has its own type.',
  fields: (t) => ({
    message: t.exposeString('message', { nullable: false, description: 'What went wrong, for people.' }),
  }),
});

const FieldError = builder.objectRef<FieldErrorShape>('FieldError').implement({
  description: 'One invalid input field.',
  fields: (t) => ({
    path: t.exposeStringList('path', {
      nullable: false,
      description: 'The path of the field from the mutation argument, e.g. `["input", "tags", "3"]`.',
    }),
    message: t.exposeString('message', { nullable: false, description: 'Why the value was refused.' }),
  }),
});

builder.objectType(InputValidationError, {
  name: 'ValidationError',
  description: 'The input was refused (by our checks or by Bird); nothing was sent. `fields` says what to fix.',
  interfaces: [MutationError],
  isTypeOf: (value) => value instanceof InputValidationError,
  fields: (t) => ({
    fields: t.field({
      type: [FieldError],
      nullable: false,
      description: 'Every invalid field, with its path.',
      resolve: (error) => error.fields,
    }),
  }),
});

builder.objectType(ResourceNotFoundError, {
  name: 'NotFoundError',
  description: 'A workspace, channel or contact named in the input does not exist (or the key cannot see it).',
  interfaces: [MutationError],
  isTypeOf: (value) => value instanceof ResourceNotFoundError,
  fields: (t) => ({
    resource: t.exposeString('resource', { nullable: false, description: 'Which kind of resource: `workspace`, `channel`, `contact`, …' }),
  }),
});

builder.objectType(RateLimitError, {
  name: 'RateLimitedError',
  description: "Bird's rate limit was reached and the request was not processed.",
  interfaces: [MutationError],
  isTypeOf: (value) => value instanceof RateLimitError,
  fields: (t) => ({
    retryAfter: t.exposeInt('retryAfter', { description: 'Seconds to wait before retrying, when Bird said.' }),
  }),
});

builder.objectType(ConflictStateError, {
  name: 'ConflictError',
  description: 'Bird refused because of the state of a resource, e.g. the channel is not active; nothing was sent.',
  interfaces: [MutationError],
  isTypeOf: (value) => value instanceof ConflictStateError,
  fields: () => ({}),
});

builder.objectType(UnknownOutcomeError, {
  name: 'OutcomeUnknownError',
  description:
    'Bird received the request but did not confirm it (error or timeout): it may have been processed. Look the message up by `reference` before sending again.',
  interfaces: [MutationError],
  isTypeOf: (value) => value instanceof UnknownOutcomeError,
  fields: (t) => ({
    reference: t.exposeString('reference', {
      nullable: false,
      description: 'The reference the request carried; find the message with it before deciding to resend.',
    }),
  }),
});

builder.objectType(UpstreamUnavailableError, {
  name: 'UpstreamUnavailableError',
  description: 'Bird could not be reached and nothing was sent; retrying is safe.',
  interfaces: [MutationError],
  isTypeOf: (value) => value instanceof UpstreamUnavailableError,
  fields: () => ({}),
});

/** The error result types every mutation declares. */
export const MUTATION_ERROR_TYPES = [
  InputValidationError,
  ResourceNotFoundError,
  RateLimitError,
  ConflictStateError,
  UnknownOutcomeError,
  UpstreamUnavailableError,
];

/**
 * Turns a Bird 422's `details` (keyed by Bird's field path, e.g. `receiver.contacts` or `body.text.text`) into
 * field errors on our input, through `mapPath`. A key Bird uses that we do not know stays under the input root.
 */
export function fieldErrorsFromBird(
  details: Record<string, string[]> | undefined,
  mapPath: (birdPath: string[]) => string[],
): FieldErrorShape[] {
  const fields: FieldErrorShape[] = [];
  for (const [key, messages] of Object.entries(details ?? {})) {
    const path = mapPath(key.split('.').filter((part) => part.length > 0));
    for (const message of messages.length > 0 ? messages : ['Invalid value.']) fields.push({ path, message });
  }
  return fields;
}

/**
 * Maps a failed Bird call of a mutation to its typed result. Authentication failures and anything unexpected are
 * not results: they are rethrown and become coded GraphQL errors (UNAUTHENTICATED, FORBIDDEN, …) via the masking.
 */
export function mutationErrorFrom(
  error: unknown,
  options: { resource: string; reference?: string | null; mapPath?: (birdPath: string[]) => string[] },
): Error {
  if (!(error instanceof BirdError)) return error instanceof Error ? error : new Error(String(error));
  // The outcome first (src/bird/retry.ts, outcomeOf): a send that reached Bird without a definite answer (a redirect,
  // any status but 429 and Bird's refusals, a timeout or reset after connecting) may have been processed.
  if (error.outcomeUnknown && options.reference) return new UnknownOutcomeError(options.reference);
  switch (error.code) {
    case 'INVALID_REQUEST': {
      const fields = fieldErrorsFromBird(error.details, options.mapPath ?? ((path) => ['input', ...path]));
      return new InputValidationError(
        fields.length > 0 ? fields : [{ path: ['input'], message: 'Bird refused the request as invalid.' }],
      );
    }
    case 'INVALID_ID':
      return new InputValidationError([{ path: ['input'], message: 'An id in the input is not a valid UUID.' }]);
    case 'NOT_FOUND':
      return new ResourceNotFoundError(options.resource);
    case 'RATE_LIMITED':
      return new RateLimitError(error.retryAfterMs === undefined ? null : Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
    case 'CONFLICT':
      return new ConflictStateError('Bird refused the request because of the state of the channel or message.');
    case 'UPSTREAM':
    case 'TIMEOUT':
    case 'NETWORK':
    case 'BAD_RESPONSE':
      // Only a request that carries a reference (a send) can be looked up afterwards (above); for anything else (a
      // presigned upload, which has no visible effect until used) asking again is harmless.
      return new UpstreamUnavailableError();
    default:
      return error;
  }
}
