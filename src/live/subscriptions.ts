// Open subscriptions of this replica: caps per connection and in total, one filtered event stream each, periodic re-authorization, and ending them all at shutdown.
import { GraphQLError } from 'graphql';
import { Repeater } from 'graphql-yoga';
import type { LiveBus } from './bus.ts';
import type { LiveEvent, LiveEventKind } from './envelope.ts';
import type { LiveMetrics } from './metrics.ts';

export const SUBSCRIPTION_DEFAULTS = Object.freeze({
  /** A page or app rarely needs more than a few; a WebSocket may multiplex up to this many. */
  maxPerConnection: 25,
  /** Per replica: each open subscription holds a little memory and, for SSE, a socket. */
  maxTotal: 10_000,
  /** WebSocket ping interval (graphql-ws keep-alive); a connection that misses a pong for as long is closed. */
  keepAliveMs: 12_000,
  /** A stream's credential is checked again (one Bird call) before the first event after this long. */
  reauthorizeMs: 5 * 60 * 1000,
});

export const SUBSCRIPTION_LIMIT_CODE = 'SUBSCRIPTION_LIMIT_EXCEEDED';

/**
 * The last item of a stream that ends on an error (the credential no longer reads the workspace): its resolver throws
 * the error, so the subscriber gets one result with that coded error, then `complete`, rather than a broken stream.
 */
export interface StreamEnd {
  kind: 'end';
  error: unknown;
}

export type StreamItem = LiveEvent | StreamEnd;

/** Past a cap: a coded error, raised before any Bird call. */
export function subscriptionLimitError(scope: 'connection' | 'server', limit: number, exposeLimits: boolean): GraphQLError {
  const message =
    scope === 'connection'
      ? `Too many subscriptions on this connection${exposeLimits ? ` (at most ${limit})` : ''}; complete one first.`
      : 'This server holds as many subscriptions as it can; retry later or on another replica.';
  return new GraphQLError(message, { extensions: { code: SUBSCRIPTION_LIMIT_CODE, scope, ...(exposeLimits ? { limit } : {}) } });
}

export interface StreamSpec {
  /** The root field, for metrics. */
  field: string;
  kind: LiveEventKind;
  workspaceId: string;
  /** Only the events this returns true for reach the subscriber (channel and message filters). */
  accept: (event: LiveEvent) => boolean;
  /** Checks the subscriber may still read the workspace; throws (UNAUTHENTICATED, FORBIDDEN) when not. */
  reauthorize: () => Promise<void>;
}

export interface SubscriptionHubOptions {
  bus: LiveBus;
  metrics: LiveMetrics;
  maxPerConnection: number;
  maxTotal: number;
  reauthorizeMs: number;
  exposeLimits: boolean;
  now?: () => number;
}

/** A reserved place under the caps: open() turns it into a stream, release() gives it back (e.g. authorization failed). */
export interface Slot {
  open(spec: StreamSpec): AsyncIterableIterator<StreamItem>;
  release(): void;
}

export class SubscriptionHub {
  private readonly perConnection = new WeakMap<object, number>();
  private readonly stops = new Set<() => void>();
  private reserved = 0;
  private listening = 0;
  private closing = false;

  constructor(private readonly options: SubscriptionHubOptions) {}

  /** Subscriptions open (or being opened) on this replica. */
  get size(): number {
    return this.reserved;
  }

  /** Streams listening to the bus right now (in memory, an event published after this counts is seen by them). */
  get streaming(): number {
    return this.listening;
  }

  /**
   * Reserves a place for one subscription of `connection` (the socket or WebSocket it runs on; undefined when unknown),
   * or throws the cap's coded error. Called before the authorization call, so a refused subscription costs no call.
   */
  reserve(connection: object | undefined): Slot {
    const { maxPerConnection, maxTotal, exposeLimits } = this.options;
    if (this.closing) throw new GraphQLError('The server is shutting down; reconnect to another replica.', { extensions: { code: 'SHUTTING_DOWN' } });
    const onConnection = connection === undefined ? 0 : (this.perConnection.get(connection) ?? 0);
    if (onConnection >= maxPerConnection) throw subscriptionLimitError('connection', maxPerConnection, exposeLimits);
    if (this.reserved >= maxTotal) throw subscriptionLimitError('server', maxTotal, exposeLimits);
    this.reserved++;
    if (connection !== undefined) this.perConnection.set(connection, onConnection + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.reserved--;
      if (connection !== undefined) this.perConnection.set(connection, (this.perConnection.get(connection) ?? 1) - 1);
    };
    return { open: (spec) => this.stream(spec, release), release };
  }

  private stream(spec: StreamSpec, release: () => void): AsyncIterableIterator<StreamItem> {
    const { bus, metrics, reauthorizeMs } = this.options;
    const now = this.options.now ?? Date.now;
    const hub = this;
    let started = false;
    const stream = new Repeater<StreamItem>(async function liveStream(push, stop) {
      started = true;
      const source = bus.subscribe(spec.kind, spec.workspaceId);
      const end = () => stop();
      hub.stops.add(end);
      metrics.subscriptionOpened(spec.field);
      let authorizedAt = now();
      // Ending the stream (client gone, complete, shutdown) ends the source's iteration below.
      void stop.then(() => source.return?.());
      hub.listening++;
      try {
        for await (const event of source) {
          if (!spec.accept(event)) continue;
          if (now() - authorizedAt >= reauthorizeMs) {
            try {
              await spec.reauthorize();
            } catch (error) {
              await push({ kind: 'end', error });
              break;
            }
            authorizedAt = now();
          }
          metrics.eventSent(spec.field);
          await push(event);
        }
        stop();
      } catch (error) {
        stop(error);
      } finally {
        hub.listening--;
        hub.stops.delete(end);
        metrics.subscriptionClosed(spec.field);
        release();
      }
    });
    // A stream ended before its first pull (the client left while it was being authorized) never runs its executor:
    // its place under the caps is given back here instead.
    const end = stream.return.bind(stream);
    stream.return = (value?: unknown) => {
      if (!started) release();
      return end(value as never);
    };
    return stream;
  }

  /** Shutdown: refuses new subscriptions and ends every open stream (SSE sends `complete`, graphql-ws `complete`). */
  closeAll(): void {
    this.closing = true;
    for (const stop of [...this.stops]) stop();
  }
}
