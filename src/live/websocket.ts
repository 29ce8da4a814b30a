// graphql-ws over WebSocket on /graphql: the upgrade's origin checked like CORS, then every operation run through the app's own HTTP pipeline, so each HTTP rule applies unchanged.
//
// Why a bridge and not yoga's getEnveloped recipe: run as a POST to /graphql (as SSE), an operation on a WebSocket
// meets exactly what an HTTP one meets (persisted operations, limits, masking, request ids, the request log, host
// checks) with no second copy of any of it. The cost is one JSON round trip per event.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type DocumentNode, type ExecutionResult, GraphQLError, Kind, OperationTypeNode } from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { LIVE_CONNECTION } from './execution.ts';

export interface WebSocketEndpointOptions {
  /** The app's fetch (yoga.fetch): every operation is one request to it. */
  fetch: (url: string, init: RequestInit, serverContext: Record<string, unknown>) => Response | Promise<Response>;
  /** The GraphQL path (/graphql): upgrades elsewhere are refused. */
  path: string;
  /** CORS_ORIGINS: browser origins allowed besides the server's own. */
  corsOrigins: readonly string[];
  /** PUBLIC_URL: its origin counts as the server's own. */
  publicUrl: string | null;
  /** Ping interval; a connection that misses a pong for as long is closed. */
  keepAliveMs: number;
  /** Largest message a client may send (MAX_BODY_BYTES). */
  maxMessageBytes: number;
  log: (message: string) => void;
}

export interface WebSocketEndpoint {
  /** The http server's 'upgrade' listener. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /**
   * Waits (up to `graceMs`) for the operations still running to finish and send their `complete`, then closes every
   * WebSocket with 1001 Going Away and the endpoint. Shutdown ends the live streams first, so this is quick.
   */
  close(graceMs?: number): Promise<void>;
}

/** Headers of the upgrade request that every bridged operation carries (the credential may come from connection_init). */
const FORWARDED = ['host', 'user-agent', 'authorization', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'forwarded'];

/** graphql-ws only reads the operation's type from the document; the bridge hands the real one to yoga as text. */
const PLACEHOLDER: DocumentNode = {
  kind: Kind.DOCUMENT,
  definitions: [{ kind: Kind.OPERATION_DEFINITION, operation: OperationTypeNode.SUBSCRIPTION, selectionSet: { kind: Kind.SELECTION_SET, selections: [] } }],
};

type Runner = () => AsyncIterableIterator<ExecutionResult>;

/** The credential a client gives in connection_init: `{ authorization }`, `{ Authorization }` or `{ headers: { … } }`. */
function credentialOf(params: Record<string, unknown> | undefined): string | undefined {
  const pick = (value: unknown) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined);
  for (const source of [params, pick(params?.headers)]) {
    const value = source?.authorization ?? source?.Authorization;
    if (typeof value === 'string') return value;
  }
  return undefined;
}

/** No Origin (not a browser), the server's own origin, or an origin CORS_ORIGINS lists. */
export function originAllowed(request: IncomingMessage, corsOrigins: readonly string[], publicUrl: string | null): boolean {
  const origin = request.headers.origin?.toLowerCase();
  if (origin === undefined) return true;
  if (corsOrigins.includes(origin)) return true;
  try {
    const parsed = new URL(origin);
    if (parsed.host === (request.headers.host ?? '').toLowerCase()) return true;
    return publicUrl !== null && new URL(publicUrl).origin === parsed.origin;
  } catch {
    return false;
  }
}

/** The results of a response from /graphql: each SSE `next` event, or the one JSON body. `return()` cancels it. */
function resultsOf(response: Response, abort: () => void): AsyncIterableIterator<ExecutionResult> {
  const type = response.headers.get('content-type') ?? '';
  let finished = false;
  if (!type.startsWith('text/event-stream') || response.body === null) {
    let sent = false;
    return {
      async next() {
        if (sent || finished) return { done: true, value: undefined };
        sent = true;
        return { done: false, value: (await response.json()) as ExecutionResult };
      },
      async return() {
        finished = true;
        abort();
        return { done: true, value: undefined };
      },
      async throw(error: unknown) {
        throw error;
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const ready: ExecutionResult[] = [];
  let buffer = '';
  const parse = (block: string) => {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (event === 'next' && data.length > 0) ready.push(JSON.parse(data.join('\n')) as ExecutionResult);
    else if (event === 'complete') finished = true;
  };
  return {
    async next() {
      for (;;) {
        const value = ready.shift();
        if (value !== undefined) return { done: false, value };
        if (finished) return { done: true, value: undefined };
        const chunk = await reader.read();
        if (chunk.done) {
          finished = true;
          continue;
        }
        buffer += decoder.decode(chunk.value, { stream: true }).replaceAll('\r\n', '\n');
        for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
          parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    },
    async return() {
      finished = true;
      abort();
      await reader.cancel().catch(() => {});
      return { done: true, value: undefined };
    },
    async throw(error: unknown) {
      await this.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

export function createWebSocketEndpoint(options: WebSocketEndpointOptions): WebSocketEndpoint {
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes });
  /** graphql-ws's per-connection state; an operation stays in `subscriptions` until its `complete` has been sent. */
  const connections = new Set<{ subscriptions: Record<string, unknown> }>();

  /** One operation of one connection, as a POST to /graphql asking for an event stream. */
  const bridge = (connection: object, upgrade: IncomingMessage, params: Record<string, unknown> | undefined, payload: SubscribePayload): Runner => () => {
    const controller = new AbortController();
    const headers = new Headers({ 'content-type': 'application/json', accept: 'text/event-stream' });
    for (const name of FORWARDED) {
      const value = upgrade.headers[name];
      if (typeof value === 'string') headers.set(name, value);
    }
    const credential = credentialOf(params);
    if (credential !== undefined) headers.set('authorization', credential);
    const body = JSON.stringify({
      // An empty query with a persisted-operation hash in extensions is a persisted operation, not an empty document.
      ...(payload.query ? { query: payload.query } : {}),
      ...(payload.variables ? { variables: payload.variables } : {}),
      ...(payload.operationName ? { operationName: payload.operationName } : {}),
      ...(payload.extensions ? { extensions: payload.extensions } : {}),
    });
    const url = `http://${upgrade.headers.host ?? 'localhost'}${options.path}`;
    let inner: AsyncIterableIterator<ExecutionResult> | undefined;
    let ended = false;
    const started = Promise.resolve(options.fetch(url, { method: 'POST', headers, body, signal: controller.signal }, { [LIVE_CONNECTION]: connection })).then(
      (response) => (inner = resultsOf(response, () => controller.abort())),
    );
    return {
      async next() {
        const results = await started;
        return ended ? { done: true, value: undefined } : results.next();
      },
      async return() {
        ended = true;
        controller.abort();
        await (inner ?? (await started.catch(() => undefined)))?.return?.();
        return { done: true, value: undefined };
      },
      async throw(error: unknown) {
        await this.return?.();
        throw error;
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  };

  const server = useServer(
    {
      onConnect: (ctx) => {
        connections.add(ctx);
        return true;
      },
      onClose: (ctx) => {
        connections.delete(ctx);
      },
      onSubscribe: (ctx, _id, payload) => {
        if (!payload.query && payload.extensions === undefined) {
          return [new GraphQLError('A subscribe message needs a query (or a persisted operation in extensions).', { extensions: { code: 'BAD_REQUEST' } })];
        }
        const run = bridge(ctx, ctx.extra.request, ctx.connectionParams, payload);
        return { schema: undefined as never, document: PLACEHOLDER, rootValue: run };
      },
      execute: (args) => (args.rootValue as Runner)(),
      subscribe: (args) => (args.rootValue as Runner)(),
      // The results are already JSON as yoga wrote them (errors masked and formatted): sent as they are.
      onNext: (_ctx, _id, _payload, _args, result) => result as never,
    },
    wss,
    options.keepAliveMs,
  );

  return {
    handleUpgrade(request, socket, head) {
      const path = (request.url ?? '/').split('?')[0];
      const refuse = (status: string) => {
        socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      };
      if (path !== options.path) return refuse('404 Not Found');
      if (!originAllowed(request, options.corsOrigins, options.publicUrl)) {
        options.log('websocket refused: origin not allowed');
        return refuse('403 Forbidden');
      }
      wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
    },
    async close(graceMs = 5_000) {
      const deadline = Date.now() + graceMs;
      const busy = () => [...connections].some((ctx) => Object.keys(ctx.subscriptions).length > 0);
      while (busy() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      await server.dispose();
    },
  };
}
