// The caller's credential from `Authorization`, by Bird's rules (AccessKey or Bearer), refused with a message that says what is wrong.
//
// Bird accepts `Authorization: AccessKey <key>` (its documented scheme) and `Bearer <key>` (what its samples and
// published integrations send), scheme names case-insensitive (bird-api.md §1.2, §2a(iv)). A key (or a JWT, which a
// Bearer may carry) is a token68: letters, digits and `. _ ~ + / -`, optionally ending in `=`. Anything else is refused
// here, before any Bird call, with UNAUTHENTICATED and a `reason` a client can branch on; the header's value is never
// echoed (only a scheme name of plain letters is quoted back).
import { GraphQLError } from 'graphql';
import type { Credential } from './bird/client.ts';

/** The bounds of a key as we accept one (our rule: Bird documents none; real keys and JWTs sit well inside). */
export const MIN_TOKEN_LENGTH = 8;
export const MAX_TOKEN_LENGTH = 512;
/**
 * An access key or bearer token as we accept it, from the environment or an `Authorization` header: the RFC 7235
 * token68 alphabet, MIN_TOKEN_LENGTH to MAX_TOKEN_LENGTH characters.
 */
export const ACCESS_TOKEN_PATTERN = /^[A-Za-z0-9._~+/-]{8,512}=*$/;
const TOKEN68 = /^[A-Za-z0-9._~+/-]+=*$/;
const SCHEMES: Readonly<Record<string, Credential['scheme']>> = { accesskey: 'AccessKey', bearer: 'Bearer' };
/** A scheme name worth quoting back: short and plain (never a key pasted without a scheme). */
const QUOTABLE_SCHEME = /^[A-Za-z][A-Za-z-]{0,19}$/;

/** Why an Authorization header was refused; clients read it from `extensions.reason`. */
export type AuthorizationProblem = 'UNKNOWN_SCHEME' | 'MISSING_TOKEN' | 'EXTRA_TOKENS' | 'TOKEN_TOO_SHORT' | 'TOKEN_TOO_LONG' | 'TOKEN_CHARACTERS';

export class AuthorizationError extends GraphQLError {
  constructor(
    message: string,
    readonly reason: AuthorizationProblem,
  ) {
    super(message, {
      extensions: { code: 'UNAUTHENTICATED', reason, http: { status: 401, headers: { 'www-authenticate': 'AccessKey, Bearer' } } },
    });
  }
}

const EXPECTED = 'Send "Authorization: AccessKey <key>" (or "Bearer <key>") with your Bird access key.';

/** Why `token` (the part after the scheme) cannot be a Bird key, or undefined when it can. */
function tokenProblem(scheme: string, token: string): AuthorizationError | undefined {
  if (!TOKEN68.test(token)) {
    return new AuthorizationError(
      `The ${scheme} key contains characters a Bird key never has: keys are letters, digits and . _ ~ + / - (quotes, spaces and control characters are not part of a key).`,
      'TOKEN_CHARACTERS',
    );
  }
  const length = token.replace(/=+$/, '').length;
  if (length < MIN_TOKEN_LENGTH) {
    return new AuthorizationError(
      `The ${scheme} key is too short (${length} characters): a Bird access key has at least ${MIN_TOKEN_LENGTH}. Copy the whole key from Bird (Settings → Security → Access keys).`,
      'TOKEN_TOO_SHORT',
    );
  }
  if (length > MAX_TOKEN_LENGTH) {
    return new AuthorizationError(`The ${scheme} key is too long (${length} characters): at most ${MAX_TOKEN_LENGTH} are accepted.`, 'TOKEN_TOO_LONG');
  }
  return undefined;
}

/**
 * The caller's credential from `Authorization`, else null when the header is absent or blank. Throws
 * AuthorizationError when it is present but not `AccessKey <key>` / `Bearer <key>` with a key Bird could have issued.
 */
export function parseAuthorization(header: string | null | undefined): Credential | null {
  if (header === null || header === undefined || header.trim() === '') return null;
  const [schemeText = '', ...rest] = header.trim().split(/[ \t]+/);
  const scheme = SCHEMES[schemeText.toLowerCase()];
  if (scheme === undefined) {
    const named = QUOTABLE_SCHEME.test(schemeText) && rest.length > 0 ? `the "${schemeText}" scheme` : 'no scheme Bird knows';
    throw new AuthorizationError(`The Authorization header uses ${named}. ${EXPECTED}`, 'UNKNOWN_SCHEME');
  }
  if (rest.length === 0) throw new AuthorizationError(`The Authorization header has the ${scheme} scheme but no key after it. ${EXPECTED}`, 'MISSING_TOKEN');
  if (rest.length > 1) {
    throw new AuthorizationError(`The Authorization header has more than one value after ${scheme}: a key has no spaces. ${EXPECTED}`, 'EXTRA_TOKENS');
  }
  const token = rest[0]!;
  const problem = tokenProblem(scheme, token);
  if (problem) throw problem;
  return { scheme, token };
}

/** Whether the request brings its own credential header (well-formed or not), without parsing it. */
export function hasAuthorization(request: Request): boolean {
  return (request.headers.get('authorization') ?? '').trim() !== '';
}
