// loadConfig: defaults, demo versus real Bird, and one error that lists every bad setting without leaking the key.
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { BIRD_API_URL, BIRD_MEDIA_URL, DEFAULT_LIMITS, DEMO_ACCESS_KEY, describeConfig, loadConfig } from '../../src/config.ts';

describe('loadConfig', () => {
  it('defaults to demo mode with the embedded emulator and the demo key', () => {
    const config = loadConfig({});
    expect(config).toEqual({
      nodeEnv: 'development',
      production: false,
      host: '127.0.0.1',
      port: 4000,
      demo: true,
      emulatorPort: 4010,
      bird: {
        apiUrl: 'http://127.0.0.1:4010',
        mediaUrl: 'http://127.0.0.1:4010',
        accessKey: DEMO_ACCESS_KEY,
        organizationId: null,
        connectTimeoutMs: 3000,
        headersTimeoutMs: 5000,
        bodyTimeoutMs: 5000,
        deadlineMs: 10000,
        connections: 16,
        // Sharing Bird: Bird's own rates per workspace, half the connections per credential, 8 per request.
        pacing: { getPerSecond: 50, postPerSecond: 500 },
        redisUrl: null,
        mediaRedirectOrigins: [],
        maxInFlightPerCredential: 8,
        maxInFlightPerRequest: 8,
      },
      graphiql: true,
      logLevel: 'info',
      shutdownTimeoutMs: 10000,
      relayNodeFields: true,
      // Production hardening (demo: localhost origins, introspection on, the default limits).
      corsOrigins: ['http://localhost:4000', 'http://127.0.0.1:4000'],
      introspection: true,
      limits: DEFAULT_LIMITS,
      logFormat: 'json',
      metrics: true,
      tracing: { enabled: false, endpoint: null, serviceName: 'bird-graphql' },
      persistedOperations: null,
      ready: { timeoutMs: 1000, cacheMs: 2000 },
      jit: { enabled: true, compileAfter: 1 },
      // Media: Bird's 100 MiB, a random link secret for this process, 15-minute links on the request's origin.
      media: {
        maxBytes: 104857600,
        linkSecret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        linkSecretGiven: false,
        linkTtlSeconds: 900,
        // Uploads: spooled to the temp directory, 1 GiB at most, 16 at once and 2 per client, cut off after 15 s idle.
        spoolDir: tmpdir(),
        spoolMaxBytes: 1024 ** 3,
        maxConcurrentUploads: 16,
        maxConcurrentUploadsPerClient: 2,
        uploadIdleTimeoutMs: 15_000,
      },
      publicUrl: null,
      // The front door: loopback names only on a loopback listener, no router trusted, /metrics open on PORT.
      allowedHosts: ['localhost', '127.0.0.1', '[::1]'],
      router: { secret: null, header: 'x-router-secret' },
      metricsToken: null,
      metricsPort: null,
      http: { headersTimeoutMs: 10_000, requestTimeoutMs: 300_000 },
      // Sends: each channel's platform remembered for an hour, at most 10,000 channels.
      sends: { channelCache: { ttlMs: 3600000, max: 10000 } },
      // Live updates (every value: test/unit/live-config.test.ts): demo mode signs with a random key, events in memory.
      live: expect.objectContaining({ signingKey: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), signingKeyGiven: false, redisUrl: null }),
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.bird)).toBe(true);
  });

  it('uses real Bird when a key is set without a URL, and never shows the key', () => {
    const config = loadConfig({ BIRD_ACCESS_KEY: 'live-key-0123456789', NODE_ENV: 'production' });
    expect(config.demo).toBe(false);
    expect(config.bird.apiUrl).toBe(BIRD_API_URL);
    expect(config.bird.mediaUrl).toBe(BIRD_MEDIA_URL);
    expect(config.bird.accessKey).toBe('live-key-0123456789');
    expect(config.graphiql).toBe(false);
    expect(JSON.stringify(describeConfig(config))).not.toContain('live-key-0123456789');
  });

  it('uses a given API URL (media defaults to it) and needs no server key', () => {
    const config = loadConfig({ BIRD_API_URL: 'http://127.0.0.1:9999/', EMULATOR_PORT: '5000' });
    expect(config.demo).toBe(false);
    expect(config.bird).toMatchObject({ apiUrl: 'http://127.0.0.1:9999', mediaUrl: 'http://127.0.0.1:9999', accessKey: null });
  });

  it('reads every setting', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      PORT: '8080',
      HOST: '0.0.0.0',
      BIRD_ACCESS_KEY: 'live-key-0123456789',
      BIRD_API_URL: 'https://api.bird.com',
      BIRD_MEDIA_URL: 'https://media.example.com',
      BIRD_ORGANIZATION_ID: 'A1B2C3D4-0000-4000-8000-000000000001',
      BIRD_CONNECT_TIMEOUT_MS: '100',
      BIRD_HEADERS_TIMEOUT_MS: '200',
      BIRD_BODY_TIMEOUT_MS: '300',
      BIRD_DEADLINE_MS: '400',
      BIRD_CONNECTIONS: '5',
      GRAPHIQL: 'true',
      LOG_LEVEL: 'DEBUG',
      SHUTDOWN_TIMEOUT_MS: '0',
    });
    expect(config).toMatchObject({
      production: true,
      port: 8080,
      host: '0.0.0.0',
      demo: false,
      graphiql: true,
      logLevel: 'debug',
      shutdownTimeoutMs: 0,
      bird: {
        apiUrl: 'https://api.bird.com',
        mediaUrl: 'https://media.example.com',
        organizationId: 'a1b2c3d4-0000-4000-8000-000000000001',
        connectTimeoutMs: 100,
        headersTimeoutMs: 200,
        bodyTimeoutMs: 300,
        deadlineMs: 400,
        connections: 5,
      },
    });
  });

  it('honours DEMO explicitly', () => {
    expect(loadConfig({ DEMO: 'false' })).toMatchObject({ demo: false, bird: { apiUrl: BIRD_API_URL, accessKey: null } });
    expect(loadConfig({ DEMO: 'true', EMULATOR_PORT: '0' })).toMatchObject({ demo: true, emulatorPort: 0 });
    expect(() => loadConfig({ DEMO: 'true', BIRD_API_URL: 'https://api.bird.com' })).toThrow(/DEMO=true cannot be combined/);
  });

  it('refuses demo mode in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/NODE_ENV=production needs a real upstream/);
  });

  it('reads the settings of how Bird is shared: pacing, Redis, caps in flight, media redirect origins', () => {
    const config = loadConfig({
      BIRD_API_URL: 'https://api.bird.com',
      BIRD_RATE_GET_PER_SECOND: '200',
      BIRD_RATE_POST_PER_SECOND: 'off',
      REDIS_URL: 'redis://:r3dis-pa55@127.0.0.1:6380/2',
      BIRD_CONNECTIONS: '32',
      BIRD_MAX_IN_FLIGHT_PER_CREDENTIAL: '4',
      BIRD_MAX_IN_FLIGHT_PER_REQUEST: '2',
      BIRD_MEDIA_REDIRECT_ORIGINS: 'https://objects.example.com, http://127.0.0.1:9000',
    });
    expect(config.bird).toMatchObject({
      pacing: { getPerSecond: 200, postPerSecond: null },
      redisUrl: 'redis://:r3dis-pa55@127.0.0.1:6380/2',
      connections: 32,
      maxInFlightPerCredential: 4,
      maxInFlightPerRequest: 2,
      mediaRedirectOrigins: ['https://objects.example.com', 'http://127.0.0.1:9000'],
    });
    expect(loadConfig({ BIRD_API_URL: 'https://api.bird.com', BIRD_CONNECTIONS: '5' }).bird.maxInFlightPerCredential).toBe(3);
    // The Redis URL may carry a password: only whether one is set is printed.
    expect(JSON.stringify(describeConfig(config))).not.toContain('r3dis-pa55');

    let message = '';
    try {
      loadConfig({
        BIRD_API_URL: 'https://api.bird.com',
        BIRD_RATE_GET_PER_SECOND: '2',
        BIRD_RATE_POST_PER_SECOND: 'fast',
        REDIS_URL: 'http://:hunter2@127.0.0.1',
        BIRD_CONNECTIONS: '4',
        BIRD_MAX_IN_FLIGHT_PER_CREDENTIAL: '5',
        BIRD_MAX_IN_FLIGHT_PER_REQUEST: '0',
        BIRD_MEDIA_REDIRECT_ORIGINS: 'https://objects.example.com/path',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n').slice(1)).toEqual([
      ' - BIRD_RATE_GET_PER_SECOND must be an integer 3..1000000 (got "2")',
      ' - BIRD_RATE_POST_PER_SECOND must be an integer 3..1000000 (got "fast")',
      ' - REDIS_URL must be a redis:// or rediss:// URL (got a value that does not match)',
      ' - BIRD_MEDIA_REDIRECT_ORIGINS must be a comma-separated list of exact origins like https://objects.example.com (got "https://objects.example.com/path")',
      ' - BIRD_MAX_IN_FLIGHT_PER_CREDENTIAL must be an integer 1..4 (got "5")',
      ' - BIRD_MAX_IN_FLIGHT_PER_REQUEST must be an integer 1..10000 (got "0")',
    ]);
    expect(message).not.toContain('hunter2');
  });

  it('throws one error listing every bad setting, without quoting the key', () => {
    const secret = 'bad key with spaces';
    let message = '';
    try {
      loadConfig({
        PORT: 'x',
        HOST: 'not a host',
        EMULATOR_PORT: '70000',
        BIRD_ACCESS_KEY: secret,
        BIRD_API_URL: 'ftp://bird',
        BIRD_MEDIA_URL: 'nope',
        BIRD_ORGANIZATION_ID: '123',
        BIRD_CONNECT_TIMEOUT_MS: '-1',
        BIRD_HEADERS_TIMEOUT_MS: '1.5',
        BIRD_BODY_TIMEOUT_MS: '0',
        BIRD_DEADLINE_MS: 'soon',
        BIRD_CONNECTIONS: '0',
        GRAPHIQL: 'maybe',
        LOG_LEVEL: 'loud',
        SHUTDOWN_TIMEOUT_MS: 'later',
        DEMO: 'perhaps',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      [
        'Invalid configuration:',
        ' - PORT must be an integer 1..65535 (got "x")',
        ' - HOST must be a hostname or IP address (got "not a host")',
        ' - EMULATOR_PORT must be an integer 0..65535 (got "70000")',
        ' - BIRD_ACCESS_KEY must be 8..512 characters of A-Z a-z 0-9 . _ ~ + / - (optionally ending in =) (got a value that does not match)',
        ' - BIRD_API_URL must be an http(s) URL without credentials, query or fragment (got "ftp://bird")',
        ' - BIRD_MEDIA_URL must be an absolute http(s) URL (got "nope")',
        ' - DEMO must be true or false (also 1/0, yes/no, on/off) (got "perhaps")',
        ' - BIRD_ORGANIZATION_ID must be a UUID (got "123")',
        ' - BIRD_CONNECT_TIMEOUT_MS must be an integer 1..600000 (got "-1")',
        ' - BIRD_HEADERS_TIMEOUT_MS must be an integer 1..600000 (got "1.5")',
        ' - BIRD_BODY_TIMEOUT_MS must be an integer 1..600000 (got "0")',
        ' - BIRD_DEADLINE_MS must be an integer 1..600000 (got "soon")',
        ' - BIRD_CONNECTIONS must be an integer 1..10000 (got "0")',
        ' - GRAPHIQL must be true or false (also 1/0, yes/no, on/off) (got "maybe")',
        ' - LOG_LEVEL must be one of debug, info, warn, error, silent (got "loud")',
        ' - SHUTDOWN_TIMEOUT_MS must be an integer 0..600000 (got "later")',
      ].join('\n'),
    );
    expect(message).not.toContain(secret);
  });

  it('treats blank values as unset and does not read process.env when given an env', () => {
    const config = loadConfig({ PORT: '  ', BIRD_ACCESS_KEY: '' });
    expect(config.port).toBe(4000);
    expect(config.demo).toBe(true);
  });
});

describe('loadConfig: production hardening settings', () => {
  const real = { BIRD_ACCESS_KEY: 'live-key-0123456789', NODE_ENV: 'production' };

  it('defaults to no CORS origins, introspection off and JSON logs in production', () => {
    const config = loadConfig(real);
    expect(config.corsOrigins).toEqual([]);
    expect(config.introspection).toBe(false);
    expect(config.limits).toEqual(DEFAULT_LIMITS);
    expect(config.logFormat).toBe('json');
    expect(config.metrics).toBe(true);
    expect(config.tracing.enabled).toBe(false);
    expect(config.persistedOperations).toBeNull();
  });

  it('reads every setting', () => {
    const config = loadConfig({
      ...real,
      CORS_ORIGINS: 'https://app.example.com, http://localhost:3000',
      INTROSPECTION: 'on',
      MAX_DEPTH: '12',
      MAX_ALIASES: '5',
      MAX_TOKENS: '900',
      MAX_COST: '777',
      MAX_UPSTREAM_CALLS: '9',
      MAX_BODY_BYTES: '4096',
      MAX_NESTING: '40',
      MAX_UPLOADS_PER_REQUEST: '2',
      LOG_FORMAT: 'text',
      METRICS: 'off',
      OTEL: 'true',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/v1/traces',
      OTEL_SERVICE_NAME: 'birdql',
      READY_TIMEOUT_MS: '250',
      READY_CACHE_MS: '0',
    });
    expect(config.corsOrigins).toEqual(['https://app.example.com', 'http://localhost:3000']);
    expect(config.introspection).toBe(true);
    expect(config.limits).toEqual({
      maxDepth: 12,
      maxAliases: 5,
      maxTokens: 900,
      maxCost: 777,
      maxUpstreamCalls: 9,
      maxBodyBytes: 4096,
      maxNesting: 40,
      maxUploadsPerRequest: 2,
    });
    expect(config.logFormat).toBe('text');
    expect(config.metrics).toBe(false);
    expect(config.tracing).toEqual({ enabled: true, endpoint: 'http://collector:4318/v1/traces', serviceName: 'birdql' });
    expect(config.ready).toEqual({ timeoutMs: 250, cacheMs: 0 });
  });

  it('lists every bad hardening setting in one error, refusing a wildcard origin', () => {
    let message = '';
    try {
      loadConfig({ ...real, CORS_ORIGINS: '*', MAX_DEPTH: '0', LOG_FORMAT: 'xml', OTEL: 'maybe', PERSISTED_OPERATIONS: '/nonexistent/ops.json' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('CORS_ORIGINS must be a comma-separated list of exact origins');
    expect(message).toContain('MAX_DEPTH must be an integer 1..1000 (got "0")');
    expect(message).toContain('LOG_FORMAT must be one of json, text (got "xml")');
    expect(message).toContain('OTEL must be true or false');
    expect(message).toContain('PERSISTED_OPERATIONS must be off or the path of a JSON object');
  });
});

describe('loadConfig: media settings', () => {
  const SECRET = 'media-link-secret-0123456789-abcdefghij';

  it('reads MEDIA_MAX_BYTES, MEDIA_LINK_SECRET, MEDIA_LINK_TTL_SECONDS and PUBLIC_URL; never shows the secret', () => {
    const config = loadConfig({
      MEDIA_MAX_BYTES: '1048576',
      MEDIA_LINK_SECRET: SECRET,
      MEDIA_LINK_TTL_SECONDS: '60',
      PUBLIC_URL: 'https://api.example.com/bird/',
    });
    expect(config.media).toMatchObject({ maxBytes: 1048576, linkSecret: SECRET, linkSecretGiven: true, linkTtlSeconds: 60 });
    expect(config.publicUrl).toBe('https://api.example.com/bird');
    expect(Object.isFrozen(config.media)).toBe(true);
    const described = JSON.stringify(describeConfig(config));
    expect(described).not.toContain(SECRET);
    expect(describeConfig(config).media).toMatchObject({ linkSecret: 'set' });
  });

  it('makes a different random secret per process (per load) when none is set', () => {
    expect(loadConfig({}).media.linkSecret).not.toBe(loadConfig({}).media.linkSecret);
    expect(describeConfig(loadConfig({})).media).toMatchObject({ linkSecret: 'random' });
  });

  it('lists bad media settings without quoting the secret', () => {
    let message = '';
    try {
      loadConfig({ MEDIA_MAX_BYTES: '0', MEDIA_LINK_SECRET: 'short-secret', MEDIA_LINK_TTL_SECONDS: '5', PUBLIC_URL: 'ftp://x' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/MEDIA_MAX_BYTES must be an integer 1\.\.1073741824/);
    expect(message).toMatch(/MEDIA_LINK_SECRET must be 32\.\.1024 visible ASCII characters/);
    expect(message).toMatch(/MEDIA_LINK_TTL_SECONDS must be an integer 10\.\.604800/);
    expect(message).toMatch(/PUBLIC_URL must be/);
    expect(message).not.toContain('short-secret');
  });
});

describe('loadConfig: the front door (allowed hosts, router proof, /metrics, timeouts, the upload spool)', () => {
  const real = { BIRD_ACCESS_KEY: 'live-key-0123456789', NODE_ENV: 'production' };
  const ROUTER = 'router-secret-0123456789abcdef';

  it('derives ALLOWED_HOSTS from HOST and PUBLIC_URL, and takes an explicit list (plus PUBLIC_URL) or *', () => {
    expect(loadConfig({ ...real }).allowedHosts).toEqual(['localhost', '127.0.0.1', '[::1]']);
    expect(loadConfig({ ...real, PUBLIC_URL: 'https://api.example.com:8443/bird' }).allowedHosts).toEqual(['localhost', '127.0.0.1', '[::1]', 'api.example.com']);
    expect(loadConfig({ ...real, HOST: '0.0.0.0' }).allowedHosts).toBeNull();
    expect(loadConfig({ ...real, HOST: '0.0.0.0', PUBLIC_URL: 'https://api.example.com' }).allowedHosts).toEqual(['localhost', '127.0.0.1', '[::1]', 'api.example.com']);
    expect(loadConfig({ ...real, HOST: '10.1.2.3' }).allowedHosts).toEqual(['10.1.2.3']);
    expect(loadConfig({ ...real, ALLOWED_HOSTS: 'Bird-GraphQL, .svc.cluster.local', PUBLIC_URL: 'https://api.example.com' }).allowedHosts).toEqual([
      'bird-graphql',
      '.svc.cluster.local',
      'api.example.com',
    ]);
    expect(loadConfig({ ...real, ALLOWED_HOSTS: '*' }).allowedHosts).toBeNull();
  });

  it('reads the router secret and header, the metrics token and port, the timeouts and the spool settings', () => {
    const config = loadConfig({
      ...real,
      ROUTER_SECRET: ROUTER,
      ROUTER_SECRET_HEADER: 'X-Gateway-Proof',
      METRICS_TOKEN: 'metrics-token-0123456789',
      METRICS_PORT: '9464',
      HTTP_HEADERS_TIMEOUT_MS: '5000',
      HTTP_REQUEST_TIMEOUT_MS: '60000',
      UPLOAD_SPOOL_DIR: '/var/spool/bird',
      UPLOAD_SPOOL_MAX_BYTES: String(200 * 1024 * 1024),
      UPLOAD_MAX_CONCURRENT: '4',
      UPLOAD_MAX_CONCURRENT_PER_CLIENT: '1',
      UPLOAD_IDLE_TIMEOUT_MS: '2000',
    });
    expect(config.router).toEqual({ secret: ROUTER, header: 'x-gateway-proof' });
    expect(config).toMatchObject({ metricsToken: 'metrics-token-0123456789', metricsPort: 9464, http: { headersTimeoutMs: 5000, requestTimeoutMs: 60000 } });
    expect(config.media).toMatchObject({
      spoolDir: '/var/spool/bird',
      spoolMaxBytes: 200 * 1024 * 1024,
      maxConcurrentUploads: 4,
      maxConcurrentUploadsPerClient: 1,
      uploadIdleTimeoutMs: 2000,
    });
    const described = JSON.stringify(describeConfig(config));
    expect(described).not.toContain(ROUTER);
    expect(described).not.toContain('metrics-token-0123456789');
  });

  it('lists every bad front-door setting in one error, never quoting a secret', () => {
    let message = '';
    try {
      loadConfig({
        ...real,
        ALLOWED_HOSTS: 'https://x.example.com',
        ROUTER_SECRET: 'short',
        ROUTER_SECRET_HEADER: 'authorization',
        METRICS_TOKEN: 'tiny',
        METRICS_PORT: '4000',
        UPLOAD_SPOOL_MAX_BYTES: '1024',
        UPLOAD_MAX_CONCURRENT: '2',
        UPLOAD_MAX_CONCURRENT_PER_CLIENT: '3',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('ALLOWED_HOSTS must be a comma-separated list of host names');
    expect(message).toContain('ROUTER_SECRET must be 16..512 characters');
    expect(message).toContain('ROUTER_SECRET_HEADER must be a custom header name starting with x-');
    expect(message).toContain('METRICS_TOKEN must be 16..512 characters');
    expect(message).toContain('METRICS_PORT must differ from PORT');
    expect(message).toContain('UPLOAD_SPOOL_MAX_BYTES must be at least MEDIA_MAX_BYTES');
    expect(message).toContain('UPLOAD_MAX_CONCURRENT_PER_CLIENT must not exceed UPLOAD_MAX_CONCURRENT');
    expect(message).not.toContain('short');
    expect(message).not.toContain('tiny');
  });
});
