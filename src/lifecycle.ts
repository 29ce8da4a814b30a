// startServer(): the node:http listener around the app (timeouts, a metrics port, WebSocket upgrades) and its graceful shutdown (stop accepting, end live streams, drain, close upstreams).
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { App } from './app.ts';
import type { Config } from './config.ts';
import { liveRuntimeOf } from './live/index.ts';
import { createWebSocketEndpoint } from './live/websocket.ts';
import { isAllowedHost } from './security.ts';

/**
 * node:http timeouts: 10 s for a request's headers (Node's 60 s lets slow-header clients hold sockets), and the whole
 * request, body included, within 5 minutes (a 100 MiB upload at 2.8 Mbit/s). Uploads also stop after a silence of
 * UPLOAD_IDLE_TIMEOUT_MS (src/media/upload-parser.ts).
 */
export const SERVER_DEFAULTS = Object.freeze({ headersTimeoutMs: 10_000, requestTimeoutMs: 300_000 });

type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

export interface StartServerOptions {
  /** The request listener: the yoga app (it is callable as a node:http handler). */
  handler: Handler;
  port: number;
  host: string;
  /** How long shutdown waits for requests in flight before closing their sockets. */
  shutdownTimeoutMs: number;
  /** node:http's headersTimeout and requestTimeout (HTTP_HEADERS_TIMEOUT_MS, HTTP_REQUEST_TIMEOUT_MS). */
  timeouts?: { headersTimeoutMs: number; requestTimeoutMs: number };
  /** A listener of its own for /metrics (METRICS_PORT), stopped with the server. */
  metrics?: { port: number; host: string; handler: Handler };
  /** Runs after the last request is answered: dispose the app, close the Bird pool, stop the emulator. */
  onDrained?: () => Promise<void>;
  /** The 'upgrade' listener (graphql-ws on /graphql), attached before the server listens. */
  onUpgrade?: (request: IncomingMessage, socket: Duplex, head: Buffer) => void;
  /**
   * Runs once shutdown has stopped accepting connections, before the drain waits: ends long-lived responses (SSE
   * subscriptions) and WebSockets cleanly, so they do not hold the drain until the grace period.
   */
  beforeDrain?: () => Promise<void>;
  log?: (message: string) => void;
}

export interface RunningServer {
  server: Server;
  /** `http://host:port` with the port actually bound (port 0 picks one). */
  url: string;
  /** The metrics listener's `http://host:port`, when there is one. */
  metricsUrl?: string;
  /** Requests being served right now. */
  inFlight(): number;
  /**
   * Stops accepting connections, closes idle keep-alive sockets, lets requests in flight finish (each answered with
   * `connection: close`), force-closes what is left after shutdownTimeoutMs, then runs onDrained. Idempotent.
   */
  shutdown(): Promise<void>;
}

export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** How often node:http checks headersTimeout and requestTimeout (its default, 30 s, would let a 10 s limit run 40 s). */
const CONNECTIONS_CHECKING_INTERVAL_MS = 1_000;

function urlOf(server: Server): string {
  const address = server.address() as AddressInfo;
  return `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
}

export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { handler, port, host, shutdownTimeoutMs, onDrained, onUpgrade, beforeDrain, log = () => {} } = options;
  const timeouts = options.timeouts ?? SERVER_DEFAULTS;
  let stopping: Promise<void> | undefined;
  /** Responses being written: those whose headers are not sent yet get `connection: close` when shutdown starts. */
  const active = new Set<ServerResponse>();
  const server = createServer(
    {
      headersTimeout: timeouts.headersTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(CONNECTIONS_CHECKING_INTERVAL_MS, timeouts.headersTimeoutMs),
    },
    (req, res) => {
      active.add(res);
      res.once('close', () => {
        active.delete(res);
        // A keep-alive socket that just finished its last request would otherwise hold the drain open.
        if (stopping) setImmediate(() => server.closeIdleConnections());
      });
      if (stopping) res.setHeader('connection', 'close');
      handler(req, res);
    },
  );
  if (onUpgrade) server.on('upgrade', onUpgrade);
  await listen(server, port, host);
  const url = urlOf(server);

  let metricsServer: Server | undefined;
  if (options.metrics) {
    metricsServer = createServer({ headersTimeout: timeouts.headersTimeoutMs, requestTimeout: timeouts.requestTimeoutMs }, options.metrics.handler);
    try {
      await listen(metricsServer, options.metrics.port, options.metrics.host);
    } catch (error) {
      server.close();
      throw error;
    }
  }

  const drain = async (): Promise<void> => {
    log(`no longer accepting connections; waiting up to ${shutdownTimeoutMs} ms for ${active.size} request(s) in flight.`);
    // What the README promises: a request in flight is answered, then its connection closes (no keep-alive reuse).
    for (const res of active) if (!res.headersSent) res.setHeader('connection', 'close');
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    const metricsClosed = metricsServer ? new Promise<void>((resolve) => metricsServer.close(() => resolve())) : Promise.resolve();
    metricsServer?.closeAllConnections();
    server.closeIdleConnections();
    const force = setTimeout(() => {
      log('grace period over: closing the remaining connections.');
      server.closeAllConnections();
    }, shutdownTimeoutMs);
    force.unref();
    await beforeDrain?.().catch((error: unknown) => log(`ending live streams failed: ${(error as Error).message}`));
    await Promise.all([closed, metricsClosed]);
    clearTimeout(force);
    await onDrained?.();
    log('stopped.');
  };

  return {
    server,
    url,
    ...(metricsServer ? { metricsUrl: urlOf(metricsServer) } : {}),
    inFlight: () => active.size,
    shutdown() {
      stopping ??= drain();
      return stopping;
    },
  };
}

export interface ServeAppOptions {
  /** The yoga app (createApp). */
  app: App;
  config: Pick<Config, 'corsOrigins' | 'publicUrl' | 'shutdownTimeoutMs' | 'allowedHosts' | 'http'> & {
    live: Pick<Config['live'], 'keepAliveMs'>;
    limits: Pick<Config['limits'], 'maxBodyBytes'>;
  };
  port: number;
  host: string;
  /** The GraphQL path, where graphql-ws is served too. */
  graphqlPath: string;
  /** The /metrics listener on a port of its own (METRICS_PORT; app.ts's metricsHandler). */
  metrics?: StartServerOptions['metrics'];
  onDrained?: () => Promise<void>;
  log?: (message: string) => void;
}

/**
 * The app served as `npm start` serves it: HTTP, graphql-ws on the GraphQL path (src/live/websocket.ts), and a shutdown
 * that first ends every subscription with `complete` and closes WebSockets with 1001 Going Away, then drains.
 */
export function serveApp({ app, config, port, host, graphqlPath, metrics, onDrained, log = () => {} }: ServeAppOptions): Promise<RunningServer> {
  const websockets = createWebSocketEndpoint({
    // The bridge names its connection in the server context, which yoga merges into the GraphQL context.
    fetch: (url, init, serverContext) => app.fetch(url, init, serverContext as Record<string, never>),
    path: graphqlPath,
    corsOrigins: config.corsOrigins,
    publicUrl: config.publicUrl,
    keepAliveMs: config.live.keepAliveMs,
    maxMessageBytes: config.limits.maxBodyBytes,
    log,
  });
  return startServer({
    handler: app,
    port,
    host,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    timeouts: config.http,
    ...(metrics ? { metrics } : {}),
    // The Host check of every other request (src/security.ts) holds for WebSocket upgrades too: DNS rebinding.
    onUpgrade: (request, socket, head) => {
      if (request.headers.host !== undefined && !isAllowedHost(config.allowedHosts, request.headers.host)) {
        socket.end('HTTP/1.1 421 Misdirected Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      websockets.handleUpgrade(request, socket, head);
    },
    beforeDrain: async () => {
      liveRuntimeOf(app)?.closeStreams();
      await websockets.close();
    },
    ...(onDrained ? { onDrained } : {}),
    log,
  });
}
