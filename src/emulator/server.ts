// The emulator's HTTP face: a node:http server routing Bird's paths to the store and the webhooks hub, with AccessKey auth, per-workspace rate limits, scripted faults and a request log.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONTROL_PREFIX, controlInbound, controlInteraction, controlStatus } from './control.ts';
import { ApiError } from './errors.ts';
import { type Fault, type FaultScript, FaultQueue, faultReply, planOf } from './faults.ts';
import { type Reply, errorReply, json, ok, readJson, tooManyRequests } from './http-io.ts';
import type { TimedLifecycle } from './lifecycle.ts';
import { OBJECT_ROUTE, ObjectStore } from './object-store.ts';
import { OPENAPI_PATH, openApiDocumentFor } from './openapi-document.ts';
import { type Query, checkQueryNames } from './pages.ts';
import { seedStore } from './seed.ts';
import { receiveUpload } from './storage-upload.ts';
import { Store, type Scope } from './store.ts';
import { type DeliveryAttempt, WebhookHub, type WebhookOptions } from './webhooks.ts';

export type { Fault, FaultScript } from './faults.ts';

// ---------------------------------------------------------------------------------------------------------------
// Public API (documented in place; README.md, section "The emulator", describes running it)
// ---------------------------------------------------------------------------------------------------------------

export interface EmulatorOptions {
  /** Default 0 (random); the demo uses 4010. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default true: load the deterministic seed (src/emulator/seed.ts). */
  seed?: boolean;
  /** Default {getPerSecond: 50, postPerSecond: 500}, counted per workspace in fixed 1-second windows; false disables. */
  rateLimits?: { getPerSecond: number; postPerSecond: number } | false;
  faults?: FaultScript;
  /**
   * Status lifecycle: 'manual' (default; tests advance it with `store.advanceMessage` or the control route), ms per
   * step, or `{ stepMs, failureRate }` (demo: a share of messages end in sending_failed / delivery_failed).
   */
  lifecycle?: 'manual' | number | TimedLifecycle;
  /** Webhook deliveries: the loopback-URL exception, retry waits, duplicate rate, timeout (src/emulator/webhooks.ts). */
  webhooks?: WebhookOptions;
  /** Random source in [0, 1) for lifecycle failures and duplicate deliveries (default Math.random). */
  random?: () => number;
  /** Optional access log for `npm run emulator` (never contains credentials). */
  log?: (line: string) => void;
  /** Clock in epoch ms for the rate limiter, timestamps and upload-policy expiry (default Date.now); inject it for deterministic tests. */
  now?: () => number;
  /** Largest file a presigned upload accepts (default 100 MiB, Bird's documented limit); tests lower it. */
  maxUploadBytes?: number;
  /** Default 0: every answer waits this long first, as a network round trip to api.bird.com would (the bench's coalesced scenario). */
  latencyMs?: number;
  /** Default true: append every request to `requests`. Long benchmark or demo runs turn it off so the log cannot grow without bound. */
  recordRequests?: boolean;
  /**
   * Default true: media paths answer 302 to a presigned URL on the emulator's object store (its own port), and
   * `?redirect=false` answers that URL as JSON, as Bird is reported to (bird-api.md §10.5); false serves the bytes
   * directly.
   */
  mediaRedirects?: boolean;
  /** Default false: a query name a read route does not implement is answered 400 (pages.ts, QUERY_NAMES). */
  strictQuery?: boolean;
  /** List filters (query names) to ignore, as a Bird that does not know them would (store.ts). */
  ignoreFilters?: readonly string[];
}

export interface RequestLogEntry {
  method: string;
  /** The route pattern, e.g. 'GET /workspaces/:ws/channels/:ch/messages' ('UNMATCHED' if none). */
  route: string;
  /** Raw path without query. */
  path: string;
  /** Repeated keys become arrays. */
  query: Record<string, string | string[]>;
  /** Status answered (0 for reset, and while the answer is still pending). */
  status: number;
  /** The x-request-id header if sent. */
  requestId?: string;
  /** When the request arrived, in epoch ms by the emulator's clock (per-second counts prove pacing). */
  at: number;
}

/** A request the object store served: whether it carried an Authorization header (it must not: the key stays with Bird). */
export interface ObjectStoreLogEntry extends RequestLogEntry {
  authorization: boolean;
}

export interface Emulator {
  /** 'http://127.0.0.1:PORT' */
  url: string;
  /** In-memory state; tests may read and poke it. */
  store: Store;
  /** Webhook subscriptions and deliveries: `settled()`, `retryNow()`, `redeliver(requestId)` for tests. */
  webhooks: WebhookHub;
  /** Every webhook delivery attempt, in order (the same array as `webhooks.deliveries`). */
  deliveries: DeliveryAttempt[];
  /** Every request received, in arrival order. */
  requests: RequestLogEntry[];
  /** The object store media paths redirect to: its origin, and every request it received (route `GET /objects/:key`). */
  objectStore: { url: string; requests: ObjectStoreLogEntry[] };
  /** Empties both request logs. */
  resetRequests(): void;
  /** Changes `latencyMs` for the requests that arrive from now on. */
  setLatency(ms: number): void;
  /** Replaces the fault script. */
  setFaults(script: FaultScript): void;
  clearFaults(): void;
  /** Closes the server and all sockets (keep-alive too) and stops timers. */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------------
// Routes
// ---------------------------------------------------------------------------------------------------------------

/** Path parameters by name; a handler reads only the ones its own pattern declares. */
interface Params {
  org: string;
  ws: string;
  ch: string;
  msg: string;
  media: string;
  contact: string;
  sub: string;
}

interface RequestContext {
  params: Params;
  query: Query;
  /** The parsed JSON body ('json' routes only). */
  body: unknown;
  scope: Scope;
  store: Store;
  webhooks: WebhookHub;
  req: IncomingMessage;
  /** The answer for the media stored at a path: a redirect to the object store, its URL as JSON, or the bytes. */
  media: (mediaPath: string) => Reply;
}

interface RouteSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  pattern: string;
  /** Default true: needs an access key covering `:ws`. */
  auth?: boolean;
  /** 'json': the body is read and parsed before the handler; 'stream': the handler reads it. */
  body?: 'json' | 'stream';
  handle: (ctx: RequestContext) => Reply | Promise<Reply>;
}

const mediaBytes = (m: { bytes: Buffer; contentType: string }): Reply => ({ status: 200, headers: { 'content-type': m.contentType }, body: m.bytes });

const ROUTES: RouteSpec[] = [
  // This emulator's OpenAPI 3 document (src/emulator/openapi-document.ts), public like Bird's own API reference.
  { method: 'GET', pattern: OPENAPI_PATH, auth: false, handle: (c) => ({ status: 200, body: openApiDocumentFor(c.store.origin) }) },
  { method: 'GET', pattern: '/organizations/:org/workspaces', handle: (c) => ok(c.store.listWorkspaces(c.params.org, c.query, c.scope)) },
  { method: 'GET', pattern: '/organizations/:org/workspaces/:ws', handle: (c) => ok(c.store.getWorkspace(c.params.org, c.params.ws)) },
  { method: 'GET', pattern: '/workspaces/:ws/channels', handle: (c) => ok(c.store.listChannels(c.params.ws, c.query)) },
  { method: 'GET', pattern: '/workspaces/:ws/channels/:ch', handle: (c) => ok(c.store.getChannel(c.params.ws, c.params.ch)) },
  {
    method: 'GET',
    pattern: '/workspaces/:ws/channels/:ch/contacts/:contact',
    handle: (c) => ok(c.store.getChannelContactInformation(c.params.ws, c.params.ch, c.params.contact, c.query)),
  },
  { method: 'POST', pattern: '/workspaces/:ws/channels/:ch/messages', body: 'json', handle: (c) => json(202, c.store.sendMessage(c.params.ws, c.params.ch, c.body)) },
  { method: 'GET', pattern: '/workspaces/:ws/channels/:ch/messages', handle: (c) => ok(c.store.listChannelMessages(c.params.ws, c.params.ch, c.query)) },
  { method: 'GET', pattern: '/workspaces/:ws/channels/:ch/messages/:msg', handle: (c) => ok(c.store.getMessage(c.params.ws, c.params.ch, c.params.msg)) },
  {
    method: 'GET',
    pattern: '/workspaces/:ws/channels/:ch/messages/:msg/interactions',
    handle: (c) => ok(c.store.listInteractions(c.params.ws, c.params.ch, c.params.msg)),
  },
  { method: 'POST', pattern: '/workspaces/:ws/channels/:ch/batch/messages', body: 'json', handle: (c) => json(202, c.store.sendBatch(c.params.ws, c.params.ch, c.body)) },
  { method: 'GET', pattern: '/workspaces/:ws/messages', handle: (c) => ok(c.store.listWorkspaceMessages(c.params.ws, c.query)) },
  {
    method: 'POST',
    pattern: '/workspaces/:ws/channels/:ch/presigned-upload',
    body: 'json',
    handle: (c) => ok(c.store.createPresignedUpload(c.params.ws, c.params.ch, c.body)),
  },
  { method: 'POST', pattern: '/workspaces/:ws/channel-media/presigned-upload', body: 'json', handle: (c) => ok(c.store.createPresignedUpload(c.params.ws, undefined, c.body)) },
  // The fake storage bucket: the policy fields authorize the upload, not an access key (like S3).
  { method: 'POST', pattern: '/media-upload', auth: false, body: 'stream', handle: (c) => receiveUpload(c.req, c.store) },
  {
    method: 'GET',
    pattern: '/workspaces/:ws/channels/:ch/media/:media',
    handle: (c) => c.media(`/workspaces/${c.params.ws}/channels/${c.params.ch}/media/${c.params.media}`),
  },
  // Decision: channel-independent uploads are served here (Bird shows no path for them).
  { method: 'GET', pattern: '/workspaces/:ws/media/:media', handle: (c) => c.media(`/workspaces/${c.params.ws}/media/${c.params.media}`) },
  {
    method: 'GET',
    pattern: '/workspaces/:ws/messages/:msg/media/:media',
    handle: (c) => c.media(`/workspaces/${c.params.ws}/messages/${c.params.msg}/media/${c.params.media}`),
  },
  { method: 'GET', pattern: '/workspaces/:ws/contacts', handle: (c) => ok(c.store.listContacts(c.params.ws, c.query)) },
  { method: 'GET', pattern: '/workspaces/:ws/contacts/:contact', handle: (c) => ok(c.store.getContact(c.params.ws, c.params.contact)) },
  { method: 'POST', pattern: '/workspaces/:ws/contacts/search', body: 'json', handle: (c) => ok(c.store.searchContacts(c.params.ws, c.body)) },
  {
    method: 'GET',
    pattern: '/workspaces/:ws/contacts/:contact/identifiers',
    handle: (c) => ok(c.store.listContactIdentifiers(c.params.ws, c.params.contact, c.query)),
  },
  // Webhook subscriptions (bird-api.md §8.4); deliveries come from src/emulator/webhooks.ts.
  ...webhookRoutes('/organizations/:org/workspaces/:ws/webhook-subscriptions'),
  // Control routes of the emulator (not Bird's): make things happen that Bird would tell webhooks about.
  { method: 'POST', pattern: `${CONTROL_PREFIX}/inbound`, body: 'json', handle: (c) => json(201, controlInbound(c.store, c.scope, c.body)) },
  { method: 'POST', pattern: `${CONTROL_PREFIX}/interactions`, body: 'json', handle: (c) => json(201, controlInteraction(c.store, c.scope, c.body)) },
  {
    method: 'POST',
    pattern: `${CONTROL_PREFIX}/messages/:msg/status`,
    body: 'json',
    handle: (c) => ok(controlStatus(c.store, c.scope, c.params.msg, c.body)),
  },
];

function webhookRoutes(base: string): RouteSpec[] {
  return [
    { method: 'POST', pattern: base, body: 'json', handle: (c) => json(201, c.webhooks.create(c.params.org, c.params.ws, c.body)) },
    { method: 'GET', pattern: base, handle: (c) => ok(c.webhooks.list(c.params.org, c.params.ws, c.query)) },
    { method: 'GET', pattern: `${base}/:sub`, handle: (c) => ok(c.webhooks.get(c.params.org, c.params.ws, c.params.sub)) },
    { method: 'PATCH', pattern: `${base}/:sub`, body: 'json', handle: (c) => ok(c.webhooks.update(c.params.org, c.params.ws, c.params.sub, c.body)) },
    {
      method: 'DELETE',
      pattern: `${base}/:sub`,
      handle: (c) => {
        c.webhooks.remove(c.params.org, c.params.ws, c.params.sub);
        return { status: 204 };
      },
    },
    { method: 'GET', pattern: `${base}/:sub/logs`, handle: (c) => ok(c.webhooks.logs(c.params.org, c.params.ws, c.params.sub)) },
  ];
}

interface CompiledRoute extends RouteSpec {
  /** 'GET /workspaces/:ws/channels': the log and fault key. */
  key: string;
  segments: string[];
}

/** Routes grouped by method and segment count; a literal segment beats a parameter (`contacts/search` vs `contacts/:contact`). */
class Router {
  private readonly table = new Map<string, CompiledRoute[]>();

  constructor(specs: RouteSpec[]) {
    for (const spec of specs) {
      const segments = spec.pattern.split('/').slice(1);
      const route: CompiledRoute = { ...spec, key: `${spec.method} ${spec.pattern}`, segments };
      const bucket = `${spec.method} ${segments.length}`;
      const list = this.table.get(bucket) ?? [];
      list.push(route);
      // More literal segments first, so literals win over parameters at the same position.
      list.sort((a, b) => literalCount(b) - literalCount(a));
      this.table.set(bucket, list);
    }
  }

  match(method: string, path: string): { route: CompiledRoute; params: Params } | undefined {
    const parts = path.split('/').slice(1);
    const candidates = this.table.get(`${method} ${parts.length}`);
    if (!candidates) return undefined;
    outer: for (const route of candidates) {
      const params: Record<string, string> = {};
      for (let i = 0; i < parts.length; i++) {
        const want = route.segments[i] as string;
        const got = parts[i] as string;
        if (want.charCodeAt(0) === 58 /* ':' */) {
          if (got.length === 0) continue outer;
          try {
            params[want.slice(1)] = decodeURIComponent(got);
          } catch {
            continue outer;
          }
        } else if (want !== got) continue outer;
      }
      return { route, params: params as unknown as Params };
    }
    return undefined;
  }
}

function literalCount(route: CompiledRoute): number {
  return route.segments.filter((s) => !s.startsWith(':')).length;
}

// ---------------------------------------------------------------------------------------------------------------
// Request plumbing: query, auth, rate limits (bodies: http-io.ts)
// ---------------------------------------------------------------------------------------------------------------

function parseQuery(search: string): Query {
  const query: Query = {};
  if (search === '') return query;
  for (const [key, value] of new URLSearchParams(search)) {
    if (key === '__proto__') continue; // would set the prototype, not a key
    const prev = Object.hasOwn(query, key) ? query[key] : undefined;
    if (prev === undefined) query[key] = value;
    else if (Array.isArray(prev)) prev.push(value);
    else query[key] = [prev, value];
  }
  return query;
}

const AUTHORIZATION = /^(?:AccessKey|Bearer) +(\S+) *$/i;

/** The token of `Authorization: AccessKey <key>` or `Bearer <key>` (Decision: schemes are case-insensitive). */
function accessKey(header: string | undefined): string | undefined {
  return header === undefined ? undefined : AUTHORIZATION.exec(header)?.[1];
}

/** Fixed 1-second windows per (workspace, GET|POST): simple, and `Retry-After: 1` is always enough. */
class RateLimiter {
  private readonly windows = new Map<string, { second: number; get: number; post: number }>();

  constructor(
    private readonly limits: { getPerSecond: number; postPerSecond: number },
    private readonly now: () => number,
  ) {}

  take(bucket: string, method: string): boolean {
    const second = Math.floor(this.now() / 1000);
    let w = this.windows.get(bucket);
    if (!w || w.second !== second) {
      w = { second, get: 0, post: 0 };
      this.windows.set(bucket, w);
    }
    if (method === 'GET') {
      if (w.get >= this.limits.getPerSecond) return false;
      w.get++;
    } else {
      if (w.post >= this.limits.postPerSecond) return false;
      w.post++;
    }
    return true;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------------------------

/** Keep-alive must outlast undici's 2 s safety margin, or clients would drop every connection after one request. */
const KEEP_ALIVE_TIMEOUT_MS = 5000;
const INVALID_JSON = '{"results": [{"id": "truncated';

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? '127.0.0.1';
  const now = options.now ?? Date.now;
  const router = new Router(ROUTES);
  const faults = new FaultQueue();
  faults.set(options.faults);
  const limiter =
    options.rateLimits === false ? undefined : new RateLimiter(options.rateLimits ?? { getPerSecond: 50, postPerSecond: 500 }, now);
  const requests: RequestLogEntry[] = [];
  const record = options.recordRequests !== false;
  let latencyMs = options.latencyMs ?? 0;
  const timers = new Set<NodeJS.Timeout>();
  const wakers = new Set<() => void>();
  let closed = false;

  const listen = async (listener: http.Server, port: number): Promise<string> => {
    listener.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(port, host, () => {
        listener.off('error', reject);
        resolve();
      });
    });
    return `http://${host.includes(':') ? `[${host}]` : host}:${(listener.address() as AddressInfo).port}`;
  };
  const server = http.createServer();
  const url = await listen(server, options.port ?? 0);
  // The object store is another origin (its own port, always a free one), as S3 is to Bird.
  const objectServer = http.createServer();
  let objectUrl: string;
  try {
    objectUrl = await listen(objectServer, 0);
  } catch (error) {
    server.close();
    throw error;
  }
  const objects = new ObjectStore(objectUrl, now);
  const objectRequests: ObjectStoreLogEntry[] = [];
  const webhooks = new WebhookHub({
    ...options.webhooks,
    now,
    ...(options.random ? { random: options.random } : {}),
    ...(options.log ? { log: options.log } : {}),
    requireWorkspace: (organizationId, workspaceId) => void store.getWorkspace(organizationId, workspaceId),
  });
  const store = new Store({
    origin: url,
    now,
    lifecycle: options.lifecycle ?? 'manual',
    ...(options.random ? { random: options.random } : {}),
    onChange: (change) => webhooks.notify(change),
    ...(options.maxUploadBytes !== undefined ? { maxUploadBytes: options.maxUploadBytes } : {}),
    ...(options.ignoreFilters ? { ignoreFilters: options.ignoreFilters } : {}),
  });
  if (options.seed !== false) seedStore(store);

  /** A delay that close() cuts short. */
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        timers.delete(timer);
        wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      timers.add(timer);
      wakers.add(wake);
    });

  function write(res: ServerResponse, reply: Reply, entry: RequestLogEntry, slowBodyMs: number): void {
    entry.status = reply.status;
    if (res.destroyed) return;
    const body = reply.body === undefined ? undefined : typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
    const headers: Record<string, string | number> = {};
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = body.length;
    }
    Object.assign(headers, reply.headers);
    res.writeHead(reply.status, headers);
    if (body === undefined || slowBodyMs <= 0) {
      res.end(body);
      return;
    }
    const half = body.length >> 1;
    res.write(body.subarray(0, half));
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!res.destroyed) res.end(body.subarray(half));
    }, slowBodyMs);
    timers.add(timer);
  }

  async function serve(route: RouteSpec, params: Params, query: Query, req: IncomingMessage): Promise<Reply> {
    try {
      let scope: Scope = 'all';
      if (route.auth !== false) {
        scope = store.authorize(accessKey(req.headers.authorization), params.ws);
        // Bird limits per workspace; the organization-level workspace list (no :ws) gets a bucket of its own.
        const bucket = params.ws ?? (params.org ? `org:${params.org}` : undefined);
        if (limiter && bucket !== undefined && !limiter.take(bucket, req.method as string)) return tooManyRequests();
      }
      if (options.strictQuery) checkQueryNames(`${route.method} ${route.pattern}`, query);
      const body = route.body === 'json' ? await readJson(req) : undefined;
      return await route.handle({ params, query, body, scope, store, webhooks, req, media: mediaFor(query) });
    } catch (error) {
      if (error instanceof ApiError) return errorReply(error);
      options.log?.(`emulator: internal error on ${req.method} ${route.pattern}: ${String(error)}`);
      return json(500, { code: 'InternalError', message: 'Internal error' });
    }
  }

  /** A media path's answer: Bird's redirect to a presigned object-store URL (or that URL as JSON), or the bytes. */
  const mediaFor = (query: Query) => (mediaPath: string) => {
    const stored = store.getMedia(mediaPath); // 404 when there is none
    return options.mediaRedirects === false ? mediaBytes(stored) : objects.redirect(mediaPath, query);
  };

  /** The request line: method, path and parsed query. */
  function requestLine(req: IncomingMessage): { method: string; path: string; search: string; query: Query } {
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    return {
      method: req.method ?? 'GET',
      path: q === -1 ? rawUrl : rawUrl.slice(0, q),
      search: q === -1 ? '' : rawUrl.slice(q),
      query: parseQuery(q === -1 ? '' : rawUrl.slice(q + 1)),
    };
  }

  /** Logs the request, plays its scripted fault, else produces the normal reply, and writes it. */
  async function respond(req: IncomingMessage, res: ServerResponse, entry: RequestLogEntry, search: string, produce: () => Promise<Reply>): Promise<void> {
    if (options.log) {
      const log = options.log;
      const started = performance.now();
      res.once('close', () => log(`${entry.method} ${entry.path}${search} → ${entry.status || 'reset'} (${(performance.now() - started).toFixed(1)} ms)`));
    }
    const fault = faults.next(entry.route);
    const plan = fault === undefined ? undefined : planOf(fault);
    const wait = latencyMs + (plan?.delayMs ?? 0);
    if (wait > 0) {
      await sleep(wait);
      if (closed || res.destroyed) return;
    }
    if (plan?.reset) {
      entry.status = 0;
      req.socket.destroy();
      return;
    }
    let reply: Reply | undefined;
    if (plan?.invalidJson) reply = { status: plan.status ?? 200, body: INVALID_JSON };
    else if (plan?.status !== undefined) reply = faultReply(plan);
    reply ??= await produce();
    if (plan?.headers) reply.headers = { ...reply.headers, ...plan.headers };
    if (closed) return;
    write(res, reply, entry, plan?.slowBodyMs ?? 0);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { method, path, search, query } = requestLine(req);
    const match = router.match(method, path);
    const requestId = req.headers['x-request-id'];
    const entry: RequestLogEntry = { method, route: match ? match.route.key : 'UNMATCHED', path, query, status: 0, at: now() };
    if (typeof requestId === 'string') entry.requestId = requestId;
    if (record) requests.push(entry);
    await respond(req, res, entry, search, async () =>
      match
        ? serve(match.route, match.params, query, req)
        : json(404, { code: 'NotFound', message: `The requested resource does not exist: no route for ${method} ${path}` }),
    );
  }

  /** The object store's own listener: presigned GETs of stored media, logged with whether a key came along. */
  async function handleObject(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { method, path, search, query } = requestLine(req);
    const authorization = req.headers.authorization;
    const entry: ObjectStoreLogEntry = { method, route: OBJECT_ROUTE, path, query, status: 0, at: now(), authorization: authorization !== undefined };
    if (record) objectRequests.push(entry);
    await respond(req, res, entry, search, async () => objects.serve(method, path, query, authorization, (mediaPath) => store.media.get(mediaPath)));
  }

  const serveWith = (handler: typeof handle) => (req: IncomingMessage, res: ServerResponse) => {
    handler(req, res).catch((error: unknown) => {
      options.log?.(`emulator: ${String(error)}`);
      if (!res.headersSent && !res.destroyed) res.writeHead(500).end();
    });
  };
  server.on('request', serveWith(handle));
  objectServer.on('request', serveWith(handleObject));

  return {
    url,
    store,
    webhooks,
    deliveries: webhooks.deliveries,
    requests,
    objectStore: { url: objects.origin, requests: objectRequests },
    resetRequests: () => {
      requests.length = 0;
      objectRequests.length = 0;
    },
    setLatency: (ms) => {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`latency must be a non-negative number of ms, not ${ms}`);
      latencyMs = ms;
    },
    setFaults: (script) => faults.set(script),
    clearFaults: () => faults.set(undefined),
    close: async () => {
      if (closed) return;
      closed = true;
      for (const wake of [...wakers]) wake();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      webhooks.close();
      store.close();
      const done = [server, objectServer].map((listener) => new Promise<void>((resolve) => listener.close(() => resolve())));
      server.closeAllConnections();
      objectServer.closeAllConnections();
      await Promise.all(done);
    },
  };
}
