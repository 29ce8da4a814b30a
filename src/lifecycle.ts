// startServer(): the node:http listener around the app (and its WebSocket upgrades) and its graceful shutdown (stop accepting, end live streams, drain, close upstreams).
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { App } from './app.ts';
import type { Config } from './config.ts';
import { liveRuntimeOf } from './live/index.ts';
import { createWebSocketEndpoint } from './live/websocket.ts';

export interface StartServerOptions {
  /** The request listener: the yoga app (it is callable as a node:http handler). */
  handler: (req: IncomingMessage, res: ServerResponse) => unknown;
  port: number;
  host: string;
  /** How long shutdown waits for requests in flight before closing their sockets. */
  shutdownTimeoutMs: number;
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

export async function startServer({ handler, port, host, shutdownTimeoutMs, onDrained, onUpgrade, beforeDrain, log = () => {} }: StartServerOptions): Promise<RunningServer> {
  let stopping: Promise<void> | undefined;
  let active = 0;
  const server = createServer((req, res) => {
    active++;
    res.once('close', () => {
      active--;
      // A keep-alive socket that just finished its last request would otherwise hold the drain open.
      if (stopping) setImmediate(() => server.closeIdleConnections());
    });
    if (stopping) res.setHeader('connection', 'close');
    handler(req, res);
  });
  if (onUpgrade) server.on('upgrade', onUpgrade);
  await listen(server, port, host);
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  const drain = async (): Promise<void> => {
    log(`no longer accepting connections; waiting up to ${shutdownTimeoutMs} ms for ${active} request(s) in flight.`);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const force = setTimeout(() => {
      log('grace period over: closing the remaining connections.');
      server.closeAllConnections();
    }, shutdownTimeoutMs);
    force.unref();
    await beforeDrain?.().catch((error: unknown) => log(`ending live streams failed: ${(error as Error).message}`));
    await closed;
    clearTimeout(force);
    await onDrained?.();
    log('stopped.');
  };

  return {
    server,
    url,
    inFlight: () => active,
    shutdown() {
      stopping ??= drain();
      return stopping;
    },
  };
}

export interface ServeAppOptions {
  /** The yoga app (createApp). */
  app: App;
  config: Pick<Config, 'corsOrigins' | 'publicUrl' | 'shutdownTimeoutMs'> & { live: Pick<Config['live'], 'keepAliveMs'>; limits: Pick<Config['limits'], 'maxBodyBytes'> };
  port: number;
  host: string;
  /** The GraphQL path, where graphql-ws is served too. */
  graphqlPath: string;
  onDrained?: () => Promise<void>;
  log?: (message: string) => void;
}

/**
 * The app served as `npm start` serves it: HTTP, graphql-ws on the GraphQL path (src/live/websocket.ts), and a shutdown
 * that first ends every subscription with `complete` and closes WebSockets with 1001 Going Away, then drains.
 */
export function serveApp({ app, config, port, host, graphqlPath, onDrained, log = () => {} }: ServeAppOptions): Promise<RunningServer> {
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
    onUpgrade: (request, socket, head) => websockets.handleUpgrade(request, socket, head),
    beforeDrain: async () => {
      liveRuntimeOf(app)?.closeStreams();
      await websockets.close();
    },
    ...(onDrained ? { onDrained } : {}),
    log,
  });
}
