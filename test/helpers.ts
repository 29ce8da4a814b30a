// Shared test harness: emulator on port 0, Bird client and app wired to it, typed execute() over yoga.fetch, upstream log.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { type ExecutionResult, type GraphQLSchema, print } from 'graphql';
import type { YogaLogger } from 'graphql-yoga';
import { type App, createApp } from '../src/app.ts';
import { type BirdClient, type BirdClientOptions, createBirdClient } from '../src/bird/client.ts';
import { type Config, type Env, birdClientOptions, loadConfig } from '../src/config.ts';
import { SEED } from '../src/emulator/seed.ts';
import { type Emulator, type EmulatorOptions, type RequestLogEntry, startEmulator } from '../src/emulator/server.ts';
import { buildSchema } from '../src/schema/index.ts';

export const DEMO_KEY = SEED.accessKeys.demo;
export const TEST_ORIGIN = 'http://yoga';

export interface TestStackOptions {
  /** Passed to startEmulator (port is always 0). */
  emulator?: Omit<EmulatorOptions, 'port'>;
  /** Extra environment for loadConfig (never process.env); BIRD_API_URL, the demo key and the seed organization are set for you. */
  env?: Env;
  /** Overrides of the client options (timeouts, retry, random, ...). */
  bird?: Partial<BirdClientOptions>;
  /** The Authorization header execute() sends by default; null sends none (the server key then applies). */
  authorization?: string | null;
  /** Defaults to a logger that writes into `logs`, so tests can grep every line. */
  logger?: YogaLogger;
  /** Defaults to buildSchema() (built once per test file). */
  schema?: GraphQLSchema;
  /** An in-memory span exporter: tracing runs and its spans can be inspected. */
  spanExporter?: SpanExporter;
}

export interface ExecuteOptions {
  headers?: Record<string, string>;
  operationName?: string;
}

export interface TestStack {
  emulator: Emulator;
  app: App;
  bird: BirdClient;
  config: Config;
  /** Every line the app logged (when no logger was passed). */
  logs: string[];
  /** POSTs the operation to /graphql through yoga.fetch and returns the parsed body. */
  execute<TResult = Record<string, unknown>, TVars = Record<string, unknown>>(
    document: TypedDocumentNode<TResult, TVars> | string,
    variables?: TVars,
    options?: ExecuteOptions,
  ): Promise<ExecutionResult<TResult>>;
  /** A raw request to the app, e.g. fetch('/health'); paths are resolved against http://yoga. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /**
   * Reads the emulator's REST API directly with the demo key (not through our client): the ground truth a test
   * compares the graph with. Fails on any non-2xx answer.
   */
  rest<T>(path: string): Promise<T>;
  /** Every item of a Bird list, page by page at Bird's largest page size: the whole ground truth. */
  restAll<T>(path: string): Promise<T[]>;
  requests: {
    /** The emulator's request log (method, route, path, query, status; never credentials), in order. */
    upstream(): RequestLogEntry[];
    resetUpstream(): void;
  };
  close(): Promise<void>;
}

let schemaCache: GraphQLSchema | undefined;
/** One schema per test file (building it is the slow part of createApp). */
export function testSchema(): GraphQLSchema {
  schemaCache ??= buildSchema();
  return schemaCache;
}

function arrayLogger(lines: string[]): YogaLogger {
  const write =
    (level: string) =>
    (...args: unknown[]) => {
      lines.push(`${level} ${args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`);
    };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const emulator = await startEmulator({ ...options.emulator, port: 0 });
  try {
    const config = loadConfig({
      NODE_ENV: 'test',
      BIRD_API_URL: emulator.url,
      BIRD_ACCESS_KEY: DEMO_KEY,
      BIRD_ORGANIZATION_ID: SEED.organizationId,
      BIRD_CONNECT_TIMEOUT_MS: '1000',
      BIRD_HEADERS_TIMEOUT_MS: '1000',
      BIRD_BODY_TIMEOUT_MS: '1000',
      BIRD_DEADLINE_MS: '3000',
      BIRD_CONNECTIONS: '16',
      // Bird redirects media downloads to its object store; the emulator's is a plain-http origin of its own.
      BIRD_MEDIA_REDIRECT_ORIGINS: emulator.objectStore.url,
      LOG_LEVEL: 'warn',
      // The client paces itself to Bird's limits; against an emulator without limits it need not (tests stay quick).
      ...(options.emulator?.rateLimits === false ? { BIRD_RATE_GET_PER_SECOND: 'off', BIRD_RATE_POST_PER_SECOND: 'off' } : {}),
      ...options.env,
    });
    const bird = createBirdClient({ ...birdClientOptions(config.bird), ...options.bird });
    const logs: string[] = [];
    const app = createApp({
      config,
      bird,
      schema: options.schema ?? testSchema(),
      logger: options.logger ?? arrayLogger(logs),
      ...(options.spanExporter ? { spanExporter: options.spanExporter } : {}),
    });
    const authorization = options.authorization === undefined ? `AccessKey ${DEMO_KEY}` : options.authorization;

    const rest = async <T>(path: string): Promise<T> => {
      const response = await globalThis.fetch(`${emulator.url}${path}`, { headers: { authorization: `AccessKey ${DEMO_KEY}` } });
      if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
      return (await response.json()) as T;
    };
    const fetch = async (path: string, init?: RequestInit): Promise<Response> => app.fetch(new URL(path, TEST_ORIGIN).href, init ?? {});

    return {
      emulator,
      app,
      bird,
      config,
      logs,
      fetch,
      async execute<TResult, TVars>(
        document: TypedDocumentNode<TResult, TVars> | string,
        variables?: TVars,
        opts: ExecuteOptions = {},
      ): Promise<ExecutionResult<TResult>> {
        const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
        if (authorization !== null) headers.authorization = authorization;
        const response = await fetch('/graphql', {
          method: 'POST',
          headers: { ...headers, ...opts.headers },
          body: JSON.stringify({
            query: typeof document === 'string' ? document : print(document),
            ...(variables === undefined ? {} : { variables }),
            ...(opts.operationName === undefined ? {} : { operationName: opts.operationName }),
          }),
        });
        const text = await response.text();
        try {
          return JSON.parse(text) as ExecutionResult<TResult>;
        } catch {
          throw new Error(`Expected a JSON GraphQL response, got HTTP ${response.status}: ${text.slice(0, 200)}`);
        }
      },
      rest,
      async restAll<T>(path: string): Promise<T[]> {
        const items: T[] = [];
        let token: string | undefined;
        do {
          const separator = path.includes('?') ? '&' : '?';
          const tokenQuery = token ? `&pageToken=${encodeURIComponent(token)}` : '';
          const page = await rest<{ results: T[]; nextPageToken?: string }>(`${path}${separator}limit=1000${tokenQuery}`);
          items.push(...page.results);
          token = page.nextPageToken;
        } while (token);
        return items;
      },
      requests: {
        upstream: () => [...emulator.requests],
        resetUpstream: () => emulator.resetRequests(),
      },
      async close() {
        await app.dispose();
        await bird.close();
        await emulator.close();
      },
    };
  } catch (error) {
    await emulator.close();
    throw error;
  }
}
