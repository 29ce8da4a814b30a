// bindBird(client, call): the Bird client bound once per request to its caller's credential, request id, signal and hooks.
//
// Resolvers and loaders call `ctx.bird.getMessage(params)`; the credential travels from the request into this handle
// once, in createContext, and never back out through the schema. The handle knows no GraphQL: a request without a
// credential fails at its first call with the error `missingCredential` makes (the app makes it UNAUTHENTICATED), so a
// query that needs no Bird call (`__typename`) still answers.
import type { BirdClient, CallOptions, Credential } from './client.ts';

/** What one request binds: its credential (null when it brought none and the server holds none) and its hooks. */
export interface BoundCall extends Omit<CallOptions, 'credential'> {
  readonly credential: Credential | null;
}

export interface BindOptions extends BoundCall {
  /** The error a call without a credential fails with, before anything is sent. */
  missingCredential: () => Error;
}

/** Every endpoint method of the client, minus its `call` argument. */
export type BirdHandle = {
  readonly [K in Exclude<keyof BirdClient, 'close'>]: BirdClient[K] extends (params: infer P, ...rest: never[]) => infer R
    ? (params: P) => R
    : never;
} & {
  /** What this handle is bound to (read by tests and observability; never logged). */
  readonly call: BoundCall;
};

export function bindBird(client: BirdClient, options: BindOptions): BirdHandle {
  const { missingCredential, ...call } = options;
  const { credential } = call;
  const withCredential = (): CallOptions => {
    if (credential === null) throw missingCredential();
    return { ...call, credential };
  };
  return {
    call,
    listWorkspaces: async (params) => client.listWorkspaces(params, withCredential()),
    getWorkspace: async (params) => client.getWorkspace(params, withCredential()),
    listChannels: async (params) => client.listChannels(params, withCredential()),
    getChannel: async (params) => client.getChannel(params, withCredential()),
    getChannelContactInformation: async (params) => client.getChannelContactInformation(params, withCredential()),
    sendMessage: async (params) => client.sendMessage(params, withCredential()),
    sendBatch: async (params) => client.sendBatch(params, withCredential()),
    listChannelMessages: async (params) => client.listChannelMessages(params, withCredential()),
    listWorkspaceMessages: async (params) => client.listWorkspaceMessages(params, withCredential()),
    getMessage: async (params) => client.getMessage(params, withCredential()),
    listInteractions: async (params) => client.listInteractions(params, withCredential()),
    createPresignedUpload: async (params) => client.createPresignedUpload(params, withCredential()),
    uploadFile: async (params) => client.uploadFile(params, withCredential()),
    downloadMedia: async (params) => client.downloadMedia(params, withCredential()),
    listContacts: async (params) => client.listContacts(params, withCredential()),
    getContact: async (params) => client.getContact(params, withCredential()),
    searchContacts: async (params) => client.searchContacts(params, withCredential()),
    listContactIdentifiers: async (params) => client.listContactIdentifiers(params, withCredential()),
  };
}
