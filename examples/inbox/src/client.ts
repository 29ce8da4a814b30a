// The page's one GraphQL client: urql over fetch for queries and mutations, graphql-sse for subscriptions, and whether the live streams are connected.
import { Client, fetchExchange, subscriptionExchange } from '@urql/core';
import { createClient as createSseClient } from 'graphql-sse';

/** The GraphQL endpoint; `npm run example:inbox` sets it, `VITE_GRAPHQL_URL=… npx vite examples/inbox` too. */
export const GRAPHQL_URL: string = import.meta.env.VITE_GRAPHQL_URL ?? 'http://localhost:4000/graphql';

/** 'live': every subscription is streaming; 'connecting': at least one is (re)connecting; 'idle': none is open. */
export type LiveState = 'idle' | 'connecting' | 'live';

export function createInboxClient(onLiveState: (state: LiveState) => void): Client {
  // GraphQL over Server-Sent Events, one HTTP stream per subscription ("distinct connections" mode, plain HTTP/1.1 or
  // HTTP/2, through any proxy). A dropped stream is retried with back-off instead of ending the subscription.
  const sse = createSseClient({ url: GRAPHQL_URL, retryAttempts: 20 });

  const streams = new Map<symbol, 'connecting' | 'live'>();
  const report = () => {
    const states = [...streams.values()];
    onLiveState(states.length === 0 ? 'idle' : states.every((s) => s === 'live') ? 'live' : 'connecting');
  };

  return new Client({
    url: GRAPHQL_URL,
    // urql sends queries as GET by default; the server's CSRF protection wants a header on GET, so POST JSON instead.
    preferGetMethod: false,
    // No cacheExchange: the page keeps its own list state (src/window.ts), and every page or refetch must reach the
    // server. For a normalized cache, add @urql/exchange-graphcache with relayPagination() here.
    // Authentication: the demo server uses its own key for requests without an Authorization header. A real app adds
    // its user's credential here (`fetchOptions: () => ({ headers: { authorization } })`) and to the SSE client.
    exchanges: [
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          return {
            subscribe(sink) {
              const id = Symbol(request.operationName);
              const set = (state: 'connecting' | 'live') => {
                streams.set(id, state);
                report();
              };
              const end = () => {
                streams.delete(id);
                report();
              };
              set('connecting');
              const dispose = sse.subscribe<Record<string, unknown>, Record<string, unknown>>(
                { ...request, query: request.query ?? '' },
                {
                  next: (result) => sink.next(result),
                  error: (error) => {
                    end();
                    sink.error(error);
                  },
                  complete: () => {
                    end();
                    sink.complete();
                  },
                },
                { connecting: () => set('connecting'), connected: () => set('live') },
              );
              return {
                unsubscribe() {
                  end();
                  dispose();
                },
              };
            },
          };
        },
      }),
    ],
  });
}
