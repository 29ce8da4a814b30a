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

export function bindBird(client: BirdClient, options: BindOptions): BirdHandle {
  const { missingCredential, maxCalls = Number.POSITIVE_INFINITY, maxInFlight = DEFAULT_MAX_IN_FLIGHT_PER_REQUEST, ...call } = options;
  const { credential } = call;
  let made = 0;
  let requestSlots: FairShare | undefined;
  const withCredential = (name: string): CallOptions => {
    if (credential === null) throw missingCredential();
    if (made >= maxCalls) {
      throw new BirdError({
        code: 'CALL_BUDGET_EXCEEDED',
        message: `${name}: this request already made its ${maxCalls} calls to Bird`,
        method: 'CALL',
        route: name,
        attempts: 0,
      });
    }
    made++;
    requestSlots ??= new FairShare(maxInFlight);
    return { ...call, credential, requestSlots };
  };
  return {
    call,
    get callCount() {
      return made;
    },
    listWorkspaces: async (params) => client.listWorkspaces(params, withCredential('listWorkspaces')),
    getWorkspace: async (params) => client.getWorkspace(params, withCredential('getWorkspace')),
    listChannels: async (params) => client.listChannels(params, withCredential('listChannels')),
    getChannel: async (params) => client.getChannel(params, withCredential('getChannel')),
    getChannelContactInformation: async (params) => client.getChannelContactInformation(params, withCredential('getChannelContactInformation')),
    sendMessage: async (params) => client.sendMessage(params, withCredential('sendMessage')),
    sendBatch: async (params) => client.sendBatch(params, withCredential('sendBatch')),
    listChannelMessages: async (params) => client.listChannelMessages(params, withCredential('listChannelMessages')),
    listWorkspaceMessages: async (params) => client.listWorkspaceMessages(params, withCredential('listWorkspaceMessages')),
    getMessage: async (params) => client.getMessage(params, withCredential('getMessage')),
    listInteractions: async (params) => client.listInteractions(params, withCredential('listInteractions')),
    createPresignedUpload: async (params) => client.createPresignedUpload(params, withCredential('createPresignedUpload')),
    uploadFile: async (params) => client.uploadFile(params, withCredential('uploadFile')),
    downloadMedia: async (params) => client.downloadMedia(params, withCredential('downloadMedia')),
    listContacts: async (params) => client.listContacts(params, withCredential('listContacts')),
    getContact: async (params) => client.getContact(params, withCredential('getContact')),
    searchContacts: async (params) => client.searchContacts(params, withCredential('searchContacts')),
    listContactIdentifiers: async (params) => client.listContactIdentifiers(params, withCredential('listContactIdentifiers')),
  };
}
