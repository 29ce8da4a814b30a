// loadConfig: defaults, demo versus real Bird, and one error that lists every bad setting without leaking the key.
import { describe, expect, it } from 'vitest';
import { BIRD_API_URL, BIRD_MEDIA_URL, DEMO_ACCESS_KEY, describeConfig, loadConfig } from '../../src/config.ts';

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
      },
      graphiql: true,
      logLevel: 'info',
      shutdownTimeoutMs: 10000,
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
