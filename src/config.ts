// Reads the environment once at boot and returns a frozen, typed Config; the only module that reads process.env.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ACCESS_TOKEN_PATTERN } from './auth.ts';
import { CLIENT_DEFAULTS } from './bird/client.ts';
import { SERVER_DEFAULTS } from './lifecycle.ts';
import { UPLOAD_DEFAULTS } from './media/upload-parser.ts';
import type { BirdClientOptions } from './bird/client.ts';
import { DEFAULT_MAX_IN_FLIGHT_PER_REQUEST } from './bird/handle.ts';
import { BIRD_RATE_LIMITS } from './bird/pacing.ts';
import { CHANNEL_PLATFORM_CACHE_DEFAULTS } from './schema/channel-platform-cache.ts';
import { DEFAULT_DEDUPE_TTL_SECONDS } from './live/ledger.ts';
import { DEFAULT_WEBHOOK_MAX_BYTES } from './live/receiver.ts';
import { DEFAULT_TOLERANCE_SECONDS } from './live/signature.ts';
import { SUBSCRIPTION_DEFAULTS } from './live/subscriptions.ts';
import { JIT_DEFAULTS } from './jit.ts';

/** Bird's public endpoints, used when a server key is configured without an explicit URL. */
export const BIRD_API_URL = 'https://api.bird.com';
export const BIRD_MEDIA_URL = 'https://media.api.bird.com';
/** The emulator's seeded demo key (src/emulator/seed.ts); demo mode uses it as the server-held key. */
export const DEMO_ACCESS_KEY = 'demo-access-key';

/** An access key as we accept one (src/auth.ts, Bird's rules): anything else is refused before any Bird call, never echoed. */
export { ACCESS_TOKEN_PATTERN };

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['json', 'text'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Per-operation limits (src/limits.ts); each rejects with a coded error before any upstream call. */
export interface LimitsConfig {
  /** Selection depth (graphql-armor max-depth; fragments flattened). */
  maxDepth: number;
  /** Aliases per operation (graphql-armor max-aliases). */
  maxAliases: number;
  /** Lexical tokens per document (graphql-armor max-tokens). */
  maxTokens: number;
  /** Estimated cost: every field 1, a connection's selection multiplied by its `first`/`last` (Pothos complexity). */
  maxCost: number;
  /** Estimated upstream Bird calls of one operation (an upper bound, before loader batching and dedupe). */
  maxUpstreamCalls: number;
  /** Request bodies above this are refused with 413 (multipart uploads are bounded by the media settings). */
  maxBodyBytes: number;
  /** Brackets of the document, and objects/arrays of the variables, nested deeper than this are refused (no recursion). */
  maxNesting: number;
  /** `uploadMedia` fields one request may run (one file per request: aliases would send it again). */
  maxUploadsPerRequest: number;
}

export interface TracingConfig {
  /** OpenTelemetry tracing (OTEL=true); off by default. */
  enabled: boolean;
  /** OTLP/HTTP traces endpoint (OTEL_EXPORTER_OTLP_ENDPOINT); null = the exporter's default (localhost:4318). */
  endpoint: string | null;
  serviceName: string;
}

/**
 * The client settings the environment sets, in createBirdClient's own names (see BirdClientOptions). The URLs are
 * Bird's (or the emulator's in demo mode), without a trailing slash; the deadline covers one call, retries included.
 */
export type BirdClientSettings = Required<
  Pick<
    BirdClientOptions,
    | 'apiUrl'
    | 'mediaUrl'
    | 'connectTimeoutMs'
    | 'headersTimeoutMs'
    | 'bodyTimeoutMs'
    | 'deadlineMs'
    | 'connections'
    | 'maxInFlightPerCredential'
    | 'pacing'
    | 'redisUrl'
    | 'mediaRedirectOrigins'
  >
>;

export interface BirdConfig extends BirdClientSettings {
  /** Server-held key for requests that bring no `Authorization` header; null = callers must bring their own. */
  accessKey: string | null;
  /** Default organization for workspace lookups; null when not configured. */
  organizationId: string | null;
  /** Calls of one request in flight at once (BIRD_MAX_IN_FLIGHT_PER_REQUEST; src/bird/handle.ts). */
  maxInFlightPerRequest: number;
}

/** What createBirdClient takes from the config: everything but the server's own key, organization and per-request cap. */
export function birdClientOptions(bird: BirdConfig): BirdClientSettings {
  const { accessKey: _key, organizationId: _organization, maxInFlightPerRequest: _perRequest, ...client } = bird;
  return client;
}

export interface Config {
  /** NODE_ENV as given ('development' when unset). Only 'production' changes defaults. */
  nodeEnv: string;
  production: boolean;
  host: string;
  port: number;
  /** Demo mode: an embedded emulator is the upstream and the demo key is the server key. */
  demo: boolean;
  /** Port of the embedded emulator (demo mode only). */
  emulatorPort: number;
  bird: BirdConfig;
  graphiql: boolean;
  logLevel: LogLevel;
  /** How long shutdown waits for in-flight requests before closing their sockets. */
  shutdownTimeoutMs: number;
  /** Uploads and signed download links (src/media). */
  media: MediaConfig;
  /** The server's public base URL (PUBLIC_URL), used in the links it hands out; null = each request's own origin. */
  publicUrl: string | null;
  /** Browser origins allowed by CORS (exact `scheme://host[:port]`); empty = no CORS headers at all. */
  corsOrigins: readonly string[];
  /** `__schema` / `__type` allowed; `_service`, `_entities` and `__typename` always answer. */
  introspection: boolean;
  /** Serve Relay's `Query.node` / `Query.nodes` (RELAY_NODE_FIELDS); off where another subgraph of the supergraph owns them. */
  relayNodeFields: boolean;
  limits: LimitsConfig;
  logFormat: LogFormat;
  /** Prometheus text exposition at /metrics. */
  metrics: boolean;
  tracing: TracingConfig;
  /** Path of the persisted-operations safelist (hash → document JSON); null = arbitrary operations allowed. */
  persistedOperations: string | null;
  /** /ready: timeout of the upstream probe and how long its answer is reused. */
  ready: { timeoutMs: number; cacheMs: number };
  /** Compiled execution (src/jit.ts): on/off (GRAPHQL_JIT) and the execution of a document that compiles it (GRAPHQL_JIT_COMPILE_AFTER). */
  jit: { enabled: boolean; compileAfter: number };
  /** Host names requests may address (the Host header), against DNS rebinding (ALLOWED_HOSTS); null = any host. */
  allowedHosts: readonly string[] | null;
  /** A federation router proves itself with this header carrying ROUTER_SECRET; null = no request is a trusted router. */
  router: { secret: string | null; header: string };
  /** A token /metrics requires as `Authorization: Bearer <token>` (METRICS_TOKEN); null = none. */
  metricsToken: string | null;
  /** A port of its own for /metrics (METRICS_PORT), then not served on PORT; null = served on PORT. */
  metricsPort: number | null;
  /** node:http timeouts (src/lifecycle.ts): for the request's headers, and for the whole request, body included. */
  http: { headersTimeoutMs: number; requestTimeoutMs: number };
  /** Sends (src/schema/send.ts). */
  sends: SendsConfig;
  /** Live updates: the webhook receiver, the event bus and subscriptions (src/live). */
  live: LiveConfig;
}

export interface SendsConfig {
  /** The channel-platform cache: entries live `ttlMs` (SEND_CHANNEL_CACHE_TTL_MS), at most `max` (SEND_CHANNEL_CACHE_SIZE); 0 turns it off. */
  channelCache: { ttlMs: number; max: number };
}

export interface LiveConfig {
  /** WEBHOOK_SIGNING_KEY: the key Bird signs deliveries with; null = the receiver refuses them (503). */
  signingKey: string | null;
  /** False when WEBHOOK_SIGNING_KEY is unset and demo mode made a random one for this process. */
  signingKeyGiven: boolean;
  /** REDIS_URL: events and the delivery ledger shared by every replica; null = in memory (one replica). */
  redisUrl: string | null;
  /** WEBHOOK_MAX_BYTES: deliveries above this are refused with 413. */
  maxBodyBytes: number;
  /** WEBHOOK_TOLERANCE_SECONDS: how far a delivery's timestamp may be from our clock. */
  toleranceSeconds: number;
  /** WEBHOOK_DEDUPE_TTL_SECONDS: how long a delivery id is remembered (Bird retries for about 8 hours). */
  dedupeTtlSeconds: number;
  /** WEBHOOK_WORKSPACE_IDS: the workspaces `npm run webhooks:register` subscribes; null = every workspace the key lists. */
  workspaceIds: readonly string[] | null;
  /** SUBSCRIPTIONS_PER_CONNECTION / SUBSCRIPTIONS_MAX: caps on open subscriptions. */
  maxPerConnection: number;
  maxTotal: number;
  /** SUBSCRIPTION_KEEPALIVE_MS: WebSocket ping interval (SSE streams get yoga's keep-alive comment every 12 s). */
  keepAliveMs: number;
  /** SUBSCRIPTION_REAUTHORIZE_MS: a stream re-checks its credential (one Bird call) before an event after this long. */
  reauthorizeMs: number;
  /** Demo mode's emulator: ms per status step, share of failed messages, share of duplicate deliveries. */
  demo: { stepMs: number; failureRate: number; duplicateRate: number };
}

export interface MediaConfig {
  /** Largest file `uploadMedia` accepts (MEDIA_MAX_BYTES); Bird's documented limit is 100 MiB. */
  maxBytes: number;
  /** The secret signed media links are signed and encrypted with (MEDIA_LINK_SECRET). */
  linkSecret: string;
  /** False when MEDIA_LINK_SECRET is unset and a random one was made for this process. */
  linkSecretGiven: boolean;
  /** How long a signed media link stays valid (MEDIA_LINK_TTL_SECONDS). */
  linkTtlSeconds: number;
  /** Where uploads are spooled (UPLOAD_SPOOL_DIR), and the most bytes they may hold there at once (UPLOAD_SPOOL_MAX_BYTES). */
  spoolDir: string;
  spoolMaxBytes: number;
  /** Uploads in flight at once, in all and per client (UPLOAD_MAX_CONCURRENT, UPLOAD_MAX_CONCURRENT_PER_CLIENT). */
  maxConcurrentUploads: number;
  maxConcurrentUploadsPerClient: number;
  /** An upload that sends no byte for this long is cut off with 408 (UPLOAD_IDLE_TIMEOUT_MS). */
  uploadIdleTimeoutMs: number;
}

/** Bird's documented upload limit, 100 MiB. */
export const BIRD_MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

export type Env = Readonly<Record<string, string | undefined>>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off']);

/** Collects every problem so one error can list them all. Values are quoted only when they are not secret. */
class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  /** The trimmed value, or undefined when unset or blank. */
  raw(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  private bad(name: string, rule: string, value: string, secret = false) {
    this.problems.push(`${name} ${rule} (got ${secret ? 'a value that does not match' : JSON.stringify(value)})`);
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      this.bad(name, `must be an integer ${min}..${max}`, value);
      return fallback;
    }
    return n;
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const lower = value.toLowerCase();
    if (TRUE.has(lower)) return true;
    if (FALSE.has(lower)) return false;
    this.bad(name, 'must be true or false (also 1/0, yes/no, on/off)', value);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const lower = value.toLowerCase() as T;
    if (allowed.includes(lower)) return lower;
    this.bad(name, `must be one of ${allowed.join(', ')}`, value);
    return fallback;
  }

  /** An http(s) origin-or-base URL without query or fragment, returned without a trailing slash. */
  url(name: string): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      this.bad(name, 'must be an absolute http(s) URL', value);
      return undefined;
    }
    if (!['http:', 'https:'].includes(parsed.protocol) || parsed.search || parsed.hash || parsed.username || parsed.password) {
      this.bad(name, 'must be an http(s) URL without credentials, query or fragment', value);
      return undefined;
    }
    return parsed.href.replace(/\/+$/, '');
  }

  uuid(name: string): string | null {
    const value = this.raw(name);
    if (value === undefined) return null;
    if (!UUID.test(value)) {
      this.bad(name, 'must be a UUID', value);
      return null;
    }
    return value.toLowerCase();
  }

  host(name: string, fallback: string): string {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!/^[A-Za-z0-9.:_-]{1,253}$/.test(value)) {
      this.bad(name, 'must be a hostname or IP address', value);
      return fallback;
    }
    return value;
  }

  /** A secret shared with another system (a router, a metrics scraper): 16..512 token characters, never quoted. */
  sharedSecret(name: string): string | null {
    const value = this.raw(name);
    if (value === undefined) return null;
    if (!/^[A-Za-z0-9._~+/-]{16,512}=*$/.test(value)) {
      this.bad(name, 'must be 16..512 characters of A-Z a-z 0-9 . _ ~ + / - (e.g. `openssl rand -hex 32`)', value, true);
      return null;
    }
    return value;
  }

  /** A secret: validated against ACCESS_TOKEN_PATTERN and never quoted in an error. */
  secret(name: string): string | null {
    const value = this.raw(name);
    if (value === undefined) return null;
    if (!ACCESS_TOKEN_PATTERN.test(value)) {
      this.bad(name, 'must be 8..512 characters of A-Z a-z 0-9 . _ ~ + / - (optionally ending in =)', value, true);
      return null;
    }
    return value;
  }
}

/**
 * Validates every setting once and returns a frozen Config, or throws ONE error listing every bad setting.
 * Pass an explicit env object in tests; nothing else in the code base reads process.env.
 */
export function loadConfig(env: Env = process.env): Config {
  const read = new Reader(env);

  const nodeEnv = read.raw('NODE_ENV') ?? 'development';
  const production = nodeEnv === 'production';
  const port = read.int('PORT', 4000, 1, 65535);
  const host = read.host('HOST', '127.0.0.1');
  const emulatorPort = read.int('EMULATOR_PORT', 4010, 0, 65535);

  const accessKey = read.secret('BIRD_ACCESS_KEY');
  const keyGiven = read.raw('BIRD_ACCESS_KEY') !== undefined;
  const apiUrlGiven = read.url('BIRD_API_URL');
  const mediaUrlGiven = read.url('BIRD_MEDIA_URL');
  const urlGiven = read.raw('BIRD_API_URL') !== undefined;
  const demoGiven = read.raw('DEMO') !== undefined;
  const demo = read.bool('DEMO', !keyGiven && !urlGiven);
  if (demo && demoGiven && (keyGiven || urlGiven)) {
    read.problems.push('DEMO=true cannot be combined with BIRD_ACCESS_KEY or BIRD_API_URL (demo mode uses the embedded emulator and its demo key)');
  }
  if (demo && production) {
    read.problems.push('NODE_ENV=production needs a real upstream: set BIRD_API_URL and/or BIRD_ACCESS_KEY (demo mode is for local use)');
  }
  if (demo && emulatorPort === port) {
    read.problems.push(`EMULATOR_PORT must differ from PORT (both ${port})`);
  }

  // In demo mode the emulator serves the API and media on one origin; server.ts replaces the URL with the
  // emulator's actual one (EMULATOR_PORT=0 picks a free port).
  const emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
  const apiUrl = demo ? emulatorUrl : (apiUrlGiven ?? BIRD_API_URL);
  const mediaUrl = demo ? emulatorUrl : (mediaUrlGiven ?? (apiUrl === BIRD_API_URL ? BIRD_MEDIA_URL : apiUrl));

  const client = {
    apiUrl,
    mediaUrl,
    accessKey: demo ? DEMO_ACCESS_KEY : accessKey,
    organizationId: read.uuid('BIRD_ORGANIZATION_ID'),
    connectTimeoutMs: read.int('BIRD_CONNECT_TIMEOUT_MS', CLIENT_DEFAULTS.connectTimeoutMs, 1, 600_000),
    headersTimeoutMs: read.int('BIRD_HEADERS_TIMEOUT_MS', CLIENT_DEFAULTS.headersTimeoutMs, 1, 600_000),
    bodyTimeoutMs: read.int('BIRD_BODY_TIMEOUT_MS', CLIENT_DEFAULTS.bodyTimeoutMs, 1, 600_000),
    deadlineMs: read.int('BIRD_DEADLINE_MS', CLIENT_DEFAULTS.deadlineMs, 1, 600_000),
    connections: read.int('BIRD_CONNECTIONS', CLIENT_DEFAULTS.connections, 1, 10_000),
  };
  const bird: BirdConfig = { ...client, ...readSharing(read, client.connections) };

  const mediaSettings = readMedia(read);
  const config: Config = {
    nodeEnv,
    production,
    host,
    port,
    demo,
    emulatorPort,
    bird: Object.freeze(bird),
    graphiql: read.bool('GRAPHIQL', !production),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    shutdownTimeoutMs: read.int('SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    relayNodeFields: read.bool('RELAY_NODE_FIELDS', true),
    jit: Object.freeze({
      enabled: read.bool('GRAPHQL_JIT', true),
      compileAfter: read.int('GRAPHQL_JIT_COMPILE_AFTER', JIT_DEFAULTS.compileAfter, 1, 1_000_000),
    }),
    ...readHardening(read, { production, demo, port }),
    ...mediaSettings,
    ...readFrontDoor(read, { host, port, publicUrl: mediaSettings.publicUrl }),
    sends: Object.freeze({
      channelCache: Object.freeze({
        ttlMs: read.int('SEND_CHANNEL_CACHE_TTL_MS', CHANNEL_PLATFORM_CACHE_DEFAULTS.ttlMs, 0, 7 * 24 * 3600 * 1000),
        max: read.int('SEND_CHANNEL_CACHE_SIZE', CHANNEL_PLATFORM_CACHE_DEFAULTS.max, 0, 1_000_000),
      }),
    }),
    // REDIS_URL is read once: the pacing bucket and the live events and delivery ledger share one Redis.
    live: readLive(read, demo, bird.redisUrl),
  };

  if (read.problems.length > 0) {
    throw new Error(`Invalid configuration:\n${read.problems.map((p) => ` - ${p}`).join('\n')}`);
  }
  return Object.freeze(config);
}

/**
 * How the Bird client shares Bird: per-workspace pacing (BIRD_RATE_GET_PER_SECOND / BIRD_RATE_POST_PER_SECOND, `off`
 * to disable), Redis for pacing across replicas (REDIS_URL), the caps on calls in flight per credential (of the
 * BIRD_CONNECTIONS, default half) and per request, and where media downloads may be redirected to.
 */
function readSharing(read: Reader, connections: number) {
  const rate = (name: string, fallback: number): number | null =>
    read.raw(name)?.toLowerCase() === 'off' ? null : read.int(name, fallback, 3, 1_000_000);
  const getPerSecond = rate('BIRD_RATE_GET_PER_SECOND', BIRD_RATE_LIMITS.getPerSecond as number);
  const postPerSecond = rate('BIRD_RATE_POST_PER_SECOND', BIRD_RATE_LIMITS.postPerSecond as number);
  const redisUrl = readRedisUrl(read);
  const originsRaw = read.raw('BIRD_MEDIA_REDIRECT_ORIGINS');
  const origins = originsRaw === undefined ? [] : originsRaw.split(',').map((origin) => origin.trim()).filter(Boolean);
  const badOrigins = origins.filter((origin) => !ORIGIN.test(origin));
  if (badOrigins.length > 0) {
    read.problems.push(
      `BIRD_MEDIA_REDIRECT_ORIGINS must be a comma-separated list of exact origins like https://objects.example.com (got ${JSON.stringify(badOrigins.join(','))})`,
    );
  }
  return {
    pacing: Object.freeze({ getPerSecond, postPerSecond }),
    redisUrl,
    mediaRedirectOrigins: Object.freeze(badOrigins.length > 0 ? [] : origins.map((origin) => origin.toLowerCase())),
    maxInFlightPerCredential: read.int('BIRD_MAX_IN_FLIGHT_PER_CREDENTIAL', Math.ceil(connections / 2), 1, connections),
    maxInFlightPerRequest: read.int('BIRD_MAX_IN_FLIGHT_PER_REQUEST', DEFAULT_MAX_IN_FLIGHT_PER_REQUEST, 1, 10_000),
  };
}

/** Default limits, tuned on the canonical operations (workspace → channels → messages → sender → contact). */
export const DEFAULT_LIMITS: Readonly<LimitsConfig> = Object.freeze({
  maxDepth: 16,
  maxAliases: 30,
  maxTokens: 4_000,
  maxCost: 20_000,
  maxUpstreamCalls: 150,
  maxBodyBytes: 256 * 1024,
  // Legit documents nest ~32 deep at most (16 selection levels, the deepest content inputs); 5,000 overflows the stack.
  maxNesting: 64,
  maxUploadsPerRequest: 1,
});

const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?$|^https?:\/\/\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/;

/** The production-hardening settings (CORS, introspection, limits, logs, metrics, tracing, persisted operations, /ready). */
function readHardening(read: Reader, env: { production: boolean; demo: boolean; port: number }) {
  const corsRaw = read.raw('CORS_ORIGINS');
  let corsOrigins: string[] = env.demo ? [`http://localhost:${env.port}`, `http://127.0.0.1:${env.port}`] : [];
  if (corsRaw !== undefined) {
    const list = corsRaw.toLowerCase() === 'none' ? [] : corsRaw.split(',').map((origin) => origin.trim()).filter(Boolean);
    const bad = list.filter((origin) => !ORIGIN.test(origin));
    if (bad.length > 0) {
      // '*' is refused on purpose: with credentials it would let any site act with the caller's key.
      read.problems.push(
        `CORS_ORIGINS must be a comma-separated list of exact origins like https://app.example.com, or none (got ${JSON.stringify(bad.join(','))})`,
      );
    } else {
      corsOrigins = list.map((origin) => origin.toLowerCase());
    }
  }

  const otelEndpoint = read.raw('OTEL_EXPORTER_OTLP_ENDPOINT') === undefined ? null : (read.url('OTEL_EXPORTER_OTLP_ENDPOINT') ?? null);
  const persistedRaw = read.raw('PERSISTED_OPERATIONS');
  let persistedOperations: string | null = null;
  if (persistedRaw !== undefined && persistedRaw.toLowerCase() !== 'off') {
    const problem = persistedOperationsProblem(persistedRaw);
    if (problem) read.problems.push(`PERSISTED_OPERATIONS must be off or the path of a JSON object of sha256 hash → document (${problem})`);
    else persistedOperations = persistedRaw;
  }

  return {
    corsOrigins: Object.freeze(corsOrigins),
    introspection: read.bool('INTROSPECTION', !env.production),
    limits: Object.freeze({
      maxDepth: read.int('MAX_DEPTH', DEFAULT_LIMITS.maxDepth, 1, 1_000),
      maxAliases: read.int('MAX_ALIASES', DEFAULT_LIMITS.maxAliases, 0, 10_000),
      maxTokens: read.int('MAX_TOKENS', DEFAULT_LIMITS.maxTokens, 10, 1_000_000),
      maxCost: read.int('MAX_COST', DEFAULT_LIMITS.maxCost, 1, 100_000_000),
      maxUpstreamCalls: read.int('MAX_UPSTREAM_CALLS', DEFAULT_LIMITS.maxUpstreamCalls, 1, 100_000),
      maxBodyBytes: read.int('MAX_BODY_BYTES', DEFAULT_LIMITS.maxBodyBytes, 1_024, 100 * 1024 * 1024),
      maxNesting: read.int('MAX_NESTING', DEFAULT_LIMITS.maxNesting, 8, 1_000),
      maxUploadsPerRequest: read.int('MAX_UPLOADS_PER_REQUEST', DEFAULT_LIMITS.maxUploadsPerRequest, 1, 100),
    }),
    logFormat: read.oneOf('LOG_FORMAT', LOG_FORMATS, 'json'),
    metrics: read.bool('METRICS', true),
    tracing: Object.freeze({
      enabled: read.bool('OTEL', false),
      endpoint: otelEndpoint,
      serviceName: read.host('OTEL_SERVICE_NAME', 'bird-graphql'),
    }),
    persistedOperations,
    ready: Object.freeze({
      timeoutMs: read.int('READY_TIMEOUT_MS', 1_000, 1, 60_000),
      cacheMs: read.int('READY_CACHE_MS', 2_000, 0, 600_000),
    }),
  };
}

/** Why the safelist file cannot be used, or undefined when it is a JSON object of 64-hex-digit keys → strings. */
function persistedOperationsProblem(path: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? `no file at ${JSON.stringify(path)}` : `${JSON.stringify(path)} is not readable JSON`;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return `${JSON.stringify(path)} is not a JSON object`;
  const bad = Object.entries(parsed).find(([hash, document]) => !/^[0-9a-f]{64}$/.test(hash) || typeof document !== 'string');
  return bad ? `${JSON.stringify(path)} has an entry that is not sha256-hex → document text` : undefined;
}

/** Names of a loopback listener: the defaults of ALLOWED_HOSTS when HOST is loopback. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);
/** An ALLOWED_HOSTS entry: a host name or IPv4 address, `[IPv6]`, or `.example.com` for every subdomain. */
const HOST_ENTRY = /^\.?[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$|^\[[0-9a-f:.]+\]$/;

function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

/** The front door: allowed hosts, the router's proof, /metrics protection, node:http timeouts. */
function readFrontDoor(read: Reader, env: { host: string; port: number; publicUrl: string | null }) {
  const publicHost = env.publicUrl === null ? [] : [new URL(env.publicUrl).host.replace(/:\d+$/, '').toLowerCase()];
  let allowedHosts: string[] | null;
  const hostsRaw = read.raw('ALLOWED_HOSTS');
  if (hostsRaw !== undefined) {
    const list = hostsRaw.split(',').map((entry) => entry.trim().toLowerCase()).filter(Boolean);
    const bad = list.filter((entry) => entry !== '*' && !HOST_ENTRY.test(entry));
    if (bad.length > 0) read.problems.push(`ALLOWED_HOSTS must be a comma-separated list of host names (no scheme or port), .domain suffixes, or * (got ${JSON.stringify(bad.join(','))})`);
    allowedHosts = list.includes('*') ? null : [...new Set([...list, ...publicHost])];
  } else if (isLoopbackHost(env.host)) {
    allowedHosts = [...LOOPBACK_NAMES, ...publicHost];
  } else if (WILDCARD_HOSTS.has(env.host)) {
    // Every interface: the names callers use are unknown, unless PUBLIC_URL says (loopback stays reachable too).
    allowedHosts = publicHost.length > 0 ? [...LOOPBACK_NAMES, ...publicHost] : null;
  } else {
    allowedHosts = [env.host.toLowerCase(), ...publicHost];
  }

  const header = (read.raw('ROUTER_SECRET_HEADER') ?? 'x-router-secret').toLowerCase();
  if (!/^x-[a-z0-9-]{1,62}$/.test(header)) read.problems.push(`ROUTER_SECRET_HEADER must be a custom header name starting with x- (got ${JSON.stringify(header)})`);
  const metricsPort = read.int('METRICS_PORT', 0, 0, 65535);
  if (metricsPort !== 0 && metricsPort === env.port) read.problems.push(`METRICS_PORT must differ from PORT (both ${env.port})`);
  return {
    allowedHosts: allowedHosts === null ? null : Object.freeze(allowedHosts),
    router: Object.freeze({ secret: read.sharedSecret('ROUTER_SECRET'), header }),
    metricsToken: read.sharedSecret('METRICS_TOKEN'),
    metricsPort: metricsPort === 0 ? null : metricsPort,
    http: Object.freeze({
      headersTimeoutMs: read.int('HTTP_HEADERS_TIMEOUT_MS', SERVER_DEFAULTS.headersTimeoutMs, 1_000, 600_000),
      requestTimeoutMs: read.int('HTTP_REQUEST_TIMEOUT_MS', SERVER_DEFAULTS.requestTimeoutMs, 1_000, 3_600_000),
    }),
  };
}

/** Uploads and signed media links; a missing MEDIA_LINK_SECRET gets a random one, valid for this process only. */
function readMedia(read: Reader): { media: MediaConfig; publicUrl: string | null } {
  const secret = read.raw('MEDIA_LINK_SECRET');
  if (secret !== undefined && !/^[\x21-\x7e]{32,1024}$/.test(secret)) {
    read.problems.push('MEDIA_LINK_SECRET must be 32..1024 visible ASCII characters (e.g. `openssl rand -base64 48`) (got a value that does not match)');
  }
  const media: MediaConfig = {
    maxBytes: read.int('MEDIA_MAX_BYTES', BIRD_MAX_UPLOAD_BYTES, 1, 1024 * 1024 * 1024),
    linkSecret: secret ?? randomBytes(32).toString('base64url'),
    linkSecretGiven: secret !== undefined,
    linkTtlSeconds: read.int('MEDIA_LINK_TTL_SECONDS', 900, 10, 7 * 24 * 3600),
    spoolDir: read.raw('UPLOAD_SPOOL_DIR') ?? UPLOAD_DEFAULTS.spoolDir(),
    spoolMaxBytes: read.int('UPLOAD_SPOOL_MAX_BYTES', UPLOAD_DEFAULTS.spoolMaxBytes, 1, 1024 ** 4),
    maxConcurrentUploads: read.int('UPLOAD_MAX_CONCURRENT', UPLOAD_DEFAULTS.maxConcurrent, 1, 10_000),
    maxConcurrentUploadsPerClient: read.int('UPLOAD_MAX_CONCURRENT_PER_CLIENT', UPLOAD_DEFAULTS.maxConcurrentPerClient, 1, 10_000),
    uploadIdleTimeoutMs: read.int('UPLOAD_IDLE_TIMEOUT_MS', UPLOAD_DEFAULTS.idleTimeoutMs, 100, 600_000),
  };
  if (media.spoolMaxBytes < media.maxBytes) {
    read.problems.push(`UPLOAD_SPOOL_MAX_BYTES must be at least MEDIA_MAX_BYTES (${media.maxBytes}), or no file of the largest size could be spooled`);
  }
  if (media.maxConcurrentUploadsPerClient > media.maxConcurrentUploads) {
    read.problems.push('UPLOAD_MAX_CONCURRENT_PER_CLIENT must not exceed UPLOAD_MAX_CONCURRENT');
  }
  return { media: Object.freeze(media), publicUrl: read.url('PUBLIC_URL') ?? null };
}

/** REDIS_URL, shared by every replica (pacing, live events, the webhook delivery ledger); null = in memory. */
function readRedisUrl(read: Reader): string | null {
  const value = read.raw('REDIS_URL');
  if (value === undefined) return null;
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {
    parsed = undefined;
  }
  if (parsed && ['redis:', 'rediss:'].includes(parsed.protocol) && parsed.hostname) return value;
  // Never quoted: the URL may carry a password.
  read.problems.push('REDIS_URL must be a redis:// or rediss:// URL (got a value that does not match)');
  return null;
}

/** A share in [0, 1], e.g. `0.1`. */
function rate(read: Reader, name: string, fallback: number): number {
  const value = read.raw(name);
  if (value === undefined) return fallback;
  const n = /^(0(\.\d+)?|1(\.0+)?)$/.test(value) ? Number(value) : Number.NaN;
  if (Number.isNaN(n)) {
    read.problems.push(`${name} must be a number from 0 to 1 (got ${JSON.stringify(value)})`);
    return fallback;
  }
  return n;
}

/** Live updates: webhook receiver, Redis, subscription caps; demo mode makes a signing key when none is given. */
function readLive(read: Reader, demo: boolean, redisUrl: string | null): LiveConfig {
  const key = read.raw('WEBHOOK_SIGNING_KEY');
  if (key !== undefined && !/^[\x21-\x7e]{16,1024}$/.test(key)) {
    read.problems.push('WEBHOOK_SIGNING_KEY must be 16..1024 visible ASCII characters (e.g. `openssl rand -base64 32`) (got a value that does not match)');
  }
  const ids = read.raw('WEBHOOK_WORKSPACE_IDS');
  let workspaceIds: string[] | null = null;
  if (ids !== undefined) {
    const list = ids.split(',').map((id) => id.trim()).filter(Boolean);
    if (list.length === 0 || list.some((id) => !UUID.test(id))) read.problems.push(`WEBHOOK_WORKSPACE_IDS must be a comma-separated list of workspace UUIDs (got ${JSON.stringify(ids)})`);
    else workspaceIds = [...new Set(list.map((id) => id.toLowerCase()))];
  }
  return Object.freeze({
    signingKey: key ?? (demo ? randomBytes(32).toString('base64url') : null),
    signingKeyGiven: key !== undefined,
    redisUrl,
    maxBodyBytes: read.int('WEBHOOK_MAX_BYTES', DEFAULT_WEBHOOK_MAX_BYTES, 1_024, 64 * 1024 * 1024),
    toleranceSeconds: read.int('WEBHOOK_TOLERANCE_SECONDS', DEFAULT_TOLERANCE_SECONDS, 1, 3_600),
    dedupeTtlSeconds: read.int('WEBHOOK_DEDUPE_TTL_SECONDS', DEFAULT_DEDUPE_TTL_SECONDS, 60, 7 * 24 * 3600),
    workspaceIds: workspaceIds && Object.freeze(workspaceIds),
    maxPerConnection: read.int('SUBSCRIPTIONS_PER_CONNECTION', SUBSCRIPTION_DEFAULTS.maxPerConnection, 1, 10_000),
    maxTotal: read.int('SUBSCRIPTIONS_MAX', SUBSCRIPTION_DEFAULTS.maxTotal, 1, 1_000_000),
    keepAliveMs: read.int('SUBSCRIPTION_KEEPALIVE_MS', SUBSCRIPTION_DEFAULTS.keepAliveMs, 1_000, 600_000),
    reauthorizeMs: read.int('SUBSCRIPTION_REAUTHORIZE_MS', SUBSCRIPTION_DEFAULTS.reauthorizeMs, 1_000, 24 * 3600 * 1000),
    demo: Object.freeze({
      stepMs: read.int('DEMO_STATUS_STEP_MS', 1_500, 10, 600_000),
      failureRate: rate(read, 'DEMO_FAILURE_RATE', 0.1),
      duplicateRate: rate(read, 'DEMO_DUPLICATE_RATE', 0.05),
    }),
  });
}

/** The config as safe to print: the server key, the media link secret, the signing key and Redis's URL are reduced to whether one is set. */
export function describeConfig(config: Config): Record<string, unknown> {
  const { accessKey, redisUrl, ...bird } = config.bird;
  const { linkSecret: _secret, ...media } = config.media;
  const { signingKey, redisUrl: _sameRedisUrl, ...live } = config.live;
  return {
    ...config,
    bird: { ...bird, accessKey: accessKey === null ? 'unset' : 'set', redisUrl: redisUrl === null ? 'unset' : 'set' },
    media: { ...media, linkSecret: media.linkSecretGiven ? 'set' : 'random' },
    router: { ...config.router, secret: config.router.secret === null ? 'unset' : 'set' },
    metricsToken: config.metricsToken === null ? 'unset' : 'set',
    live: { ...live, signingKey: signingKey === null ? 'unset' : live.signingKeyGiven ? 'set' : 'random', redisUrl: redisUrl === null ? 'unset' : 'set' },
  };
}
