// Reads the environment once at boot and returns a frozen, typed Config; the only module that reads process.env.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CLIENT_DEFAULTS } from './bird/client.ts';
import type { BirdClientOptions } from './bird/client.ts';
import { JIT_DEFAULTS } from './jit.ts';

/** Bird's public endpoints, used when a server key is configured without an explicit URL. */
export const BIRD_API_URL = 'https://api.bird.com';
export const BIRD_MEDIA_URL = 'https://media.api.bird.com';
/** The emulator's seeded demo key (src/emulator/seed.ts); demo mode uses it as the server-held key. */
export const DEMO_ACCESS_KEY = 'demo-access-key';

/**
 * An access key or bearer token as we accept it, from the environment or an `Authorization` header: the RFC 7235
 * token68 alphabet, 8 to 512 characters. Anything else is refused before any Bird call, and never echoed.
 */
export const ACCESS_TOKEN_PATTERN = /^[A-Za-z0-9._~+/-]{8,512}=*$/;

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
  Pick<BirdClientOptions, 'apiUrl' | 'mediaUrl' | 'connectTimeoutMs' | 'headersTimeoutMs' | 'bodyTimeoutMs' | 'deadlineMs' | 'connections'>
>;

export interface BirdConfig extends BirdClientSettings {
  /** Server-held key for requests that bring no `Authorization` header; null = callers must bring their own. */
  accessKey: string | null;
  /** Default organization for workspace lookups; null when not configured. */
  organizationId: string | null;
}

/** What createBirdClient takes from the config: everything but the server's own key and organization. */
export function birdClientOptions(bird: BirdConfig): BirdClientSettings {
  const { accessKey: _key, organizationId: _organization, ...client } = bird;
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

  const bird: BirdConfig = {
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
    ...readMedia(read),
  };

  if (read.problems.length > 0) {
    throw new Error(`Invalid configuration:\n${read.problems.map((p) => ` - ${p}`).join('\n')}`);
  }
  return Object.freeze(config);
}

/** Default limits, tuned on the canonical operations (workspace → channels → messages → sender → contact). */
export const DEFAULT_LIMITS: Readonly<LimitsConfig> = Object.freeze({
  maxDepth: 16,
  maxAliases: 30,
  maxTokens: 4_000,
  maxCost: 20_000,
  maxUpstreamCalls: 150,
  maxBodyBytes: 256 * 1024,
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
  };
  return { media: Object.freeze(media), publicUrl: read.url('PUBLIC_URL') ?? null };
}

/** The config as safe to print: the server key and the media link secret are reduced to whether one is set. */
export function describeConfig(config: Config): Record<string, unknown> {
  const { accessKey, ...bird } = config.bird;
  const { linkSecret: _secret, ...media } = config.media;
  return { ...config, bird: { ...bird, accessKey: accessKey === null ? 'unset' : 'set' }, media: { ...media, linkSecret: media.linkSecretGiven ? 'set' : 'random' } };
}
