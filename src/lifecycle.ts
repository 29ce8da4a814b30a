// startServer(): the node:http listener around the app and its graceful shutdown (stop accepting, drain, close upstreams).
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * node:http timeouts: 10 s for a request's headers (Node's 60 s lets slow-header clients hold sockets), and the whole
 * request, body included, within 5 minutes (a 100 MiB upload at 2.8 Mbit/s). Uploads also stop after a silence of
 * UPLOAD_IDLE_TIMEOUT_MS (src/media/upload-parser.ts).
 */
export const SERVER_DEFAULTS = Object.freeze({ headersTimeoutMs: 10_000, requestTimeoutMs: 300_000 });

export interface StartServerOptions {
  /** The request listener: the yoga app (it is callable as a node:http handler). */
  handler: (req: IncomingMessage, res: ServerResponse) => unknown;
  port: number;
  host: string;
  /** How long shutdown waits for requests in flight before closing their sockets. */
  shutdownTimeoutMs: number;
  /** Runs after the last request is answered: dispose the app, close the Bird pool, stop the emulator. */
  onDrained?: () => Promise<void>;
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

export async function startServer({ handler, port, host, shutdownTimeoutMs, onDrained, log = () => {} }: StartServerOptions): Promise<RunningServer> {
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
