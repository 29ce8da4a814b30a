// How subscriptions execute: each operation's context gets the live hub and its connection, and each event runs with a fresh context (own loaders, own Bird handle).
import { type ExecutionArgs, createSourceEventStream, execute } from 'graphql';
import { type Plugin, isAsyncIterable, mapAsyncIterator } from 'graphql-yoga';
import type { BirdHandle } from '../bird/handle.ts';
import type { SubscriptionHub } from './subscriptions.ts';

/** What resolvers of the Subscription type read from the context (`ctx.live`). */
export interface LiveContext {
  hub: SubscriptionHub;
  /** The connection the operation runs on (an SSE request's socket, a WebSocket), for the per-connection cap. */
  connection: object | undefined;
  /** A new handle with the same credential, request id and signal, and fresh per-request state (call budget). */
  rebind(handle: BirdHandle): BirdHandle;
}

/** Pothos keys its per-request caches (loaders) by this symbol's value when present, else by the context object. */
const POTHOS_CONTEXT_CACHE = Symbol.for('Pothos.contextCache');

/** The server context key under which the WebSocket bridge names its connection (src/live/websocket.ts). */
export const LIVE_CONNECTION = 'liveConnection';

/**
 * graphql-js runs every event of a subscription with the operation's one context, so loaders (and their caches) would
 * live as long as the stream and serve hour-old data. Here each event executes with a copy of the context whose loader
 * cache is new and whose Bird handle is rebound: nested fields (channel, sender contact) are read fresh, with the
 * subscriber's own credential, and the subscription's own signal still aborts them.
 */
export function eventContext<C extends { bird: BirdHandle; live?: LiveContext }>(context: C): C {
  return { ...context, bird: context.live ? context.live.rebind(context.bird) : context.bird, [POTHOS_CONTEXT_CACHE]: {} };
}

export function useLiveExecution({ hub, rebind }: Pick<LiveContext, 'hub' | 'rebind'>): Plugin {
  return {
    onContextBuilding({ context, extendContext }) {
      const server = context as { [LIVE_CONNECTION]?: object; req?: { socket?: object } };
      const live: LiveContext = { hub, connection: server[LIVE_CONNECTION] ?? server.req?.socket, rebind };
      extendContext({ live } as never);
    },
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn((async (args: ExecutionArgs) => {
        const stream = await createSourceEventStream(args);
        if (!isAsyncIterable(stream)) return stream;
        return mapAsyncIterator(stream, (payload) =>
          execute({ ...args, rootValue: payload, contextValue: eventContext(args.contextValue as { bird: BirdHandle; live?: LiveContext }) }),
        );
      }) as never);
    },
  };
}
