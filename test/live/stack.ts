// Live-update test harness: the test stack served on a real port (HTTP and graphql-ws), the emulator's webhooks registered to it, and graphql-sse / graphql-ws clients.
import { type Client as SseClient, createClient as createSseClient } from 'graphql-sse';
import { type Client as WsClient, createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { createWebhookSubscriptionClient } from '../../src/bird/webhook-subscriptions.ts';
import { SEED } from '../../src/emulator/seed.ts';
import { type RunningServer, serveApp } from '../../src/lifecycle.ts';
import { registerWebhooks } from '../../src/live/registration.ts';
import { WEBHOOK_PATH } from '../../src/live/receiver.ts';
import { DEMO_KEY, type TestStack, type TestStackOptions, startTestStack } from '../helpers.ts';

export const SIGNING_KEY = 'test-signing-key-0123456789abcdef';
export const WS = SEED.workspaces.main.id;
export const SMS = SEED.channels.sms;

export interface LiveStack extends TestStack {
  server: RunningServer;
  /** What the server's lifecycle logged (shutdown steps, refused upgrades). */
  serverLogs: string[];
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** Registers the server's webhooks with the emulator for these workspaces (the registration module itself). */
  register(workspaceIds?: string[]): Promise<void>;
  /** A graphql-sse client (distinct connections mode) with this key (default the demo key). */
  sse(key?: string): SseClient;
  /** A graphql-ws client over `ws`, the key in connection_init (default the demo key). */
  ws(key?: string): WsClient;
}

export async function startLiveStack(options: TestStackOptions = {}): Promise<LiveStack> {
  const stack = await startTestStack({
    ...options,
    env: { WEBHOOK_SIGNING_KEY: SIGNING_KEY, ...options.env },
    emulator: { rateLimits: false, ...options.emulator, webhooks: { allowLoopbackUrls: true, retryDelaysMs: [25, 50, 100], ...options.emulator?.webhooks } },
  });
  const serverLogs: string[] = [];
  const server = await serveApp({ app: stack.app, config: stack.config, port: 0, host: '127.0.0.1', graphqlPath: '/graphql', log: (line) => serverLogs.push(line) });
  const clients: { dispose(): unknown }[] = [];
  const credential = { scheme: 'AccessKey' as const, token: DEMO_KEY };
  return {
    ...stack,
    server,
    serverLogs,
    url: server.url,
    async register(workspaceIds = [WS]) {
      const subscriptions = createWebhookSubscriptionClient({ apiUrl: stack.emulator.url });
      try {
        const reports = await registerWebhooks({
          bird: stack.bird,
          subscriptions,
          credential,
          organizationId: SEED.organizationId,
          workspaceIds,
          receiverUrl: `${server.url}${WEBHOOK_PATH}`,
          signingKey: SIGNING_KEY,
        });
        const failed = reports.flatMap((r) => r.failed);
        if (failed.length > 0) throw new Error(`registration failed: ${JSON.stringify(failed)}`);
      } finally {
        await subscriptions.close();
      }
    },
    sse(key = DEMO_KEY) {
      const client = createSseClient({ url: `${server.url}/graphql`, headers: { authorization: `AccessKey ${key}` }, retryAttempts: 0 });
      clients.push(client);
      return client;
    },
    ws(key = DEMO_KEY) {
      const client = createWsClient({ url: `${server.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `AccessKey ${key}` }, retryAttempts: 0, lazy: true });
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) await client.dispose();
      await server.shutdown();
      await stack.close();
    },
  };
}

/** Collects a subscription's results, from a graphql-sse or graphql-ws client, until told to stop. */
export interface Collected<T> {
  results: T[];
  errors: unknown[];
  /** Resolves once `count` results have arrived. */
  next(count: number): Promise<T[]>;
  completed: Promise<void>;
  stop(): void;
}

export function collect<T>(client: SseClient | WsClient, payload: { query: string; variables?: Record<string, unknown> }): Collected<T> {
  const results: T[] = [];
  const errors: unknown[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let done!: () => void;
  const completed = new Promise<void>((resolve) => (done = resolve));
  const wake = () => {
    for (const waiter of waiters.filter((w) => results.length >= w.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  const stop = (client as { subscribe: (p: unknown, sink: unknown) => () => void }).subscribe(payload, {
    next: (value: T) => {
      results.push(value);
      wake();
    },
    error: (error: unknown) => {
      errors.push(error);
      done();
    },
    complete: () => done(),
  });
  return {
    results,
    errors,
    next: (count) => (results.length >= count ? Promise.resolve(results) : new Promise((resolve) => waiters.push({ count, resolve: () => resolve(results) }))),
    completed,
    stop,
  };
}

/** Waits until `condition` holds, checking every few ms (bounded by the test's own timeout, never a threshold). */
export async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 10));
}
