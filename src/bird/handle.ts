// bindBird(client, call): the Bird client bound once per request to its caller's credential, request id, signal, hooks, call budget and in-flight cap.
//
// Resolvers and loaders call `ctx.bird.getMessage(params)`; the credential travels from the request into this handle
// once, in createContext, and never back out through the schema. The handle knows no GraphQL: a request without a
// credential fails at its first call with the error `missingCredential` makes (the app makes it UNAUTHENTICATED), so a
// query that needs no Bird call (`__typename`) still answers.
//
// The handle is also where one request's appetite is bounded, whatever path its resolvers take: it counts the calls
// the request makes and fails every call past `maxCalls` with CALL_BUDGET_EXCEEDED before anything is sent (the
// pre-execution estimate is only an estimate), and it lets at most `maxInFlight` of them be in flight at once, so a
// fan-out (a contact per receiver, identifiers per contact) queues instead of taking every connection.
import type { BirdClient, CallOptions, Credential } from './client.ts';
import { BirdError } from './errors.ts';
import { FairShare } from './fair-share.ts';

/** What one request binds: its credential (null when it brought none and the server holds none) and its hooks. */
export interface BoundCall extends Omit<CallOptions, 'credential' | 'requestSlots'> {
  readonly credential: Credential | null;
}

export interface BindOptions extends BoundCall {
  /** The error a call without a credential fails with, before anything is sent. */
  missingCredential: () => Error;
  /** Calls this request may make (MAX_UPSTREAM_CALLS); default unlimited. A coalesced or failed call counts too. */
  maxCalls?: number;
  /** Calls of this request in flight at once (BIRD_MAX_IN_FLIGHT_PER_REQUEST); default DEFAULT_MAX_IN_FLIGHT_PER_REQUEST. */
  maxInFlight?: number;
}

/** A request's calls in flight at once, unless configured: as many as one loader batch fans out to. */
export const DEFAULT_MAX_IN_FLIGHT_PER_REQUEST = 8;

/** Every endpoint method of the client, minus its `call` argument. */
export type BirdHandle = {
  readonly [K in Exclude<keyof BirdClient, 'close'>]: BirdClient[K] extends (params: infer P, ...rest: never[]) => infer R
    ? (params: P) => R
    : never;
} & {
  /** What this handle is bound to (read by tests and observability; never logged). */
  readonly call: BoundCall;
  /** Calls made so far through this handle (each counted once, before it is sent). */
  readonly callCount: number;
};

/** The endpoint methods a handle forwards (all of BirdClient's but `close`; the compiler checks none is missing). */
const METHODS = Object.keys({
  listWorkspaces: 0,
  getWorkspace: 0,
  listChannels: 0,
  getChannel: 0,
  getChannelContactInformation: 0,
  sendMessage: 0,
  sendBatch: 0,
  listChannelMessages: 0,
  listWorkspaceMessages: 0,
  getMessage: 0,
  listInteractions: 0,
  createPresignedUpload: 0,
  uploadFile: 0,
  downloadMedia: 0,
  listContacts: 0,
  getContact: 0,
  searchContacts: 0,
  listContactIdentifiers: 0,
} satisfies Record<Exclude<keyof BirdClient, 'close'>, 0>) as Exclude<keyof BirdClient, 'close'>[];

/**
 * One per request, so its methods live on the prototype (made once, below) rather than as ~20 closures per request.
 * Each method is async: a refusal (no credential, budget spent) is a rejection, never a synchronous throw.
 */
class BoundHandle {
  #made = 0;
  #options: CallOptions | undefined;
  constructor(
    readonly client: BirdClient,
    readonly call: BoundCall,
    readonly missingCredential: () => Error,
    readonly maxCalls: number,
    readonly maxInFlight: number,
  ) {}

  get callCount(): number {
    return this.#made;
  }

  /** The call options of the next call, counted against the budget; one object per request (calls only read it). */
  withCredential(name: string): CallOptions {
    const { credential } = this.call;
    if (credential === null) throw this.missingCredential();
    if (this.#made >= this.maxCalls) {
      throw new BirdError({
        code: 'CALL_BUDGET_EXCEEDED',
        message: `${name}: this request already made its ${this.maxCalls} calls to Bird`,
        method: 'CALL',
        route: name,
        attempts: 0,
      });
    }
    this.#made++;
    return (this.#options ??= { ...this.call, credential, requestSlots: new FairShare(this.maxInFlight) });
  }
}
for (const name of METHODS) {
  Object.defineProperty(BoundHandle.prototype, name, {
    value: async function (this: BoundHandle, params: never) {
      return (this.client[name] as (params: never, call: CallOptions) => unknown)(params, this.withCredential(name));
    },
    writable: true,
    configurable: true,
  });
}

export function bindBird(client: BirdClient, options: BindOptions): BirdHandle {
  const { missingCredential, maxCalls = Number.POSITIVE_INFINITY, maxInFlight = DEFAULT_MAX_IN_FLIGHT_PER_REQUEST, ...call } = options;
  return new BoundHandle(client, call, missingCredential, maxCalls, maxInFlight) as unknown as BirdHandle;
}
