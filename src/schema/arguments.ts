// Argument checks that run before execution: a field carries its validator in its extensions, and builder.ts runs it
// from the cost walk (Pothos complexity) that src/limits.ts makes before the first resolver, so a bad argument anywhere
// in an operation, however deep below a parent, refuses the operation with BAD_USER_INPUT and 0 calls to Bird.
//
// Only checks that need nothing but the field's own arguments belong here (page sizes, cursor integrity, filters,
// empty identifiers). Resolvers check again (a cursor's list needs the parent's ids), so nothing depends on the walk.
import type { GraphQLField } from 'graphql';
import { type ConnectionArgs, checkConnectionArgs } from './pagination.ts';

const VALIDATE = 'birdValidateArguments';

export type ArgumentValidator = (args: Record<string, unknown>) => void;

/** Field `extensions` that make a field check its arguments before execution. */
export function validates(validator: ArgumentValidator): Record<string, ArgumentValidator> {
  return { [VALIDATE]: validator };
}

/** A connection's own checks (sizes, combinations, cursor integrity), plus `more` for its other arguments. */
export function validatesConnection(more?: ArgumentValidator): Record<string, ArgumentValidator> {
  return validates((args) => {
    checkConnectionArgs(args as ConnectionArgs);
    more?.(args);
  });
}

/** Runs the field's validator, if it has one; throws its BAD_USER_INPUT error. */
export function validateArguments(field: Pick<GraphQLField<unknown, unknown>, 'extensions'>, args: Record<string, unknown>): void {
  const validator = field.extensions?.[VALIDATE];
  if (typeof validator === 'function') (validator as ArgumentValidator)(args);
}
