// The front door over real HTTP (issue 15 items 7 and 12): the Host check against DNS rebinding, media links only on
// PUBLIC_URL or an allowed host, no-store and Vary on GraphQL answers, /metrics behind a token or on its own port,
// `connection: close` on requests in flight at shutdown, and the node:http timeouts.
import { type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { metricsHandler } from '../../src/app.ts';
import { SEED } from '../../src/emulator/seed.ts';
import { type RunningServer, serveApp, startServer } from '../../src/lifecycle.ts';
import { createMediaLinkIssuer } from '../../src/media/links.ts';
import { isAllowedHost } from '../../src/security.ts';
import { type TestStack, startTestStack } from '../helpers.ts';

const WS = SEED.workspaces.main.id;
const MSG = SEED.messages.emailWithInteractions;
const IMAGE = SEED.messages.incomingImage;
const KEY = SEED.accessKeys.demo;

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request over a real socket, with exactly the Host header given (what a browser under DNS rebinding sends). */
function send(port: number, options: { path?: string; method?: string; host?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: options.path ?? '/graphql',
        method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
        setHost: false,
        headers: { host: options.host ?? `localhost:${port}`, ...(options.body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const WORKSPACES = JSON.stringify({ query: '{ workspaces(first: 5) { edges { node { workspaceId name } } } }' });

async function serve(stack: TestStack, extra: Partial<Parameters<typeof startServer>[0]> = {}): Promise<RunningServer> {
  return startServer({ handler: stack.app, port: 0, host: '127.0.0.1', shutdownTimeoutMs: 5_000, ...extra });
}
const portOf = (running: RunningServer) => Number(new URL(running.url).port);

describe('item 7: the Host check (DNS rebinding against a loopback server that holds a key)', () => {
  let stack: TestStack;
  let running: RunningServer;
  beforeAll(async () => {
    // The server holds a key and listens on loopback, with no ALLOWED_HOSTS and no PUBLIC_URL: the default.
    stack = await startTestStack();
    running = await serve(stack);
  });
  afterAll(async () => {
    await running?.shutdown();
    await stack?.close();
  });
  beforeEach(() => stack.requests.resetUpstream());

  it('the reproduction: Host rebind.attacker.example with a matching Origin → 421, 0 Bird calls', async () => {
    const answer = await send(portOf(running), {
      host: 'rebind.attacker.example',
      headers: { origin: 'http://rebind.attacker.example' },
      body: WORKSPACES,
    });
    expect(answer.status).toBe(421);
    expect(JSON.parse(answer.body)).toEqual({
      errors: [{ message: expect.stringContaining('ALLOWED_HOSTS'), extensions: { code: 'MISDIRECTED_REQUEST' } }],
    });
    expect(answer.body).not.toContain('workspaceId');
    expect(stack.requests.upstream()).toEqual([]);
    console.log(`item 7: Host rebind.attacker.example → ${answer.status}, ${stack.requests.upstream().length} Bird calls`);
  });

  it.each(['rebind.attacker.example:4000', 'localhost.attacker.example', '127.0.0.1.nip.io', '[::2]', 'LOCALHOSTX'])('refuses Host %s', async (host) => {
    expect((await send(portOf(running), { host, body: WORKSPACES })).status).toBe(421);
  });

  it.each(['localhost', 'LOCALHOST.', '127.0.0.1', '[::1]'])('answers Host %s (with its port)', async (name) => {
    const answer = await send(portOf(running), { host: `${name}:${portOf(running)}`, body: WORKSPACES });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).data.workspaces.edges.length).toBeGreaterThan(0);
  });

  it('WebSocket upgrades (graphql-ws on /graphql) get the same Host check', async () => {
    const served = await serveApp({ app: stack.app, config: stack.config, port: 0, host: '127.0.0.1', graphqlPath: '/graphql' });
    const port = portOf(served);
    const upgrade = (host: string) =>
      new Promise<string>((resolve) => {
        const socket = connect(port, '127.0.0.1');
        let received = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => {
          received += chunk;
          if (received.includes('\r\n\r\n')) socket.destroy();
        });
        socket.on('close', () => resolve(received));
        socket.write(
          `GET /graphql HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n` +
            `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n`,
        );
      });
    try {
      expect(await upgrade('rebind.attacker.example')).toMatch(/^HTTP\/1\.1 421 /);
      expect(await upgrade(`localhost:${port}`)).toMatch(/^HTTP\/1\.1 101 /);
    } finally {
      await served.shutdown();
    }
  });

  it('probes answer whatever the Host (kubelets send the pod address)', async () => {
    expect((await send(portOf(running), { host: '10.244.1.7:4000', path: '/health' })).status).toBe(200);
  });

  it('media links point at an allowed host of the request, never at another', async () => {
    const query = JSON.stringify({
      query: `{ message(workspaceId: "${WS}", channelId: "${IMAGE.channelId}", messageId: "${IMAGE.id}") { content { ... on ImageContent { images { downloadUrl } } } } }`,
    });
    const answer = await send(portOf(running), { host: `127.0.0.1:${portOf(running)}`, body: query });
    const url = JSON.parse(answer.body).data.message.content.images[0].downloadUrl as string;
    expect(url.startsWith(`http://127.0.0.1:${portOf(running)}/media/`)).toBe(true);
  });

  it('the link issuer itself refuses to build a link on a host that is not allowed (defence in depth)', () => {
    const options = { secret: 'x'.repeat(40), ttlSeconds: 60, mediaOrigin: 'https://media.api.bird.com', publicUrl: null };
    const credential = { scheme: 'AccessKey' as const, token: KEY };
    const media = 'https://media.api.bird.com/workspaces/w/messages/m/media/x';
    const issuer = createMediaLinkIssuer({ ...options, isAllowedHost: (host) => isAllowedHost(['localhost'], host) });
    const from = (host: string) => ({ url: `http://${host}/graphql`, headers: new Headers({ host }) });
    expect(issuer.forRequest(from('localhost:4000'), credential).downloadUrl(media)).toMatch(/^http:\/\/localhost:4000\/media\/m1\./);
    expect(issuer.forRequest(from('rebind.attacker.example'), credential).downloadUrl(media)).toBeNull();
    const published = createMediaLinkIssuer({ ...options, publicUrl: 'https://api.example.com/bird', isAllowedHost: () => false });
    expect(published.forRequest(from('rebind.attacker.example'), credential).downloadUrl(media)).toMatch(/^https:\/\/api\.example\.com\/bird\/media\//);
  });

  it('isAllowedHost: exact names, .domain suffixes, IPv6 in brackets, ports and one trailing dot ignored', () => {
    const hosts = ['bird-graphql', '.svc.cluster.local', '[::1]', 'api.example.com'];
    for (const host of ['bird-graphql:4000', 'bird.ns.svc.cluster.local', '[::1]:4000', 'API.example.com.', 'api.example.com']) {
      expect(isAllowedHost(hosts, host), host).toBe(true);
    }
    for (const host of ['svc.cluster.local.attacker.example', 'evilsvc.cluster.local', 'api.example.com.evil', '', 'a b', '[::2]']) {
      expect(isAllowedHost(hosts, host), host).toBe(false);
    }
    expect(isAllowedHost(null, 'anything.example')).toBe(true);
  });
});

describe('item 12: caching headers, /metrics protection, connection: close at shutdown, timeouts', () => {
  it('GraphQL answers carry Cache-Control: no-store and Vary: Origin (data, errors, GET and POST)', async () => {
    const stack = await startTestStack({ env: { CORS_ORIGINS: 'https://app.example.com' } });
    try {
      const answers = [
        await stack.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `AccessKey ${KEY}` }, body: WORKSPACES }),
        await stack.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://app.example.com' }, body: '{"query": "{" }' }),
        await stack.fetch(`/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { 'x-graphql-yoga-csrf': '1', accept: 'application/json' } }),
        await stack.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer abc' }, body: WORKSPACES }),
      ];
      for (const response of answers) {
        expect(response.headers.get('cache-control')).toBe('no-store');
        expect(response.headers.get('vary')?.toLowerCase().split(/\s*,\s*/)).toContain('origin');
      }
    } finally {
      await stack.close();
    }
  });

  it('METRICS_TOKEN: /metrics answers 401 without the token or with another, 200 with it', async () => {
    const token = 'metrics-token-0123456789abcdef';
    const stack = await startTestStack({ env: { METRICS_TOKEN: token } });
    try {
      const none = await stack.fetch('/metrics');
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toBe('Bearer');
      expect((await none.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect((await stack.fetch('/metrics', { headers: { authorization: 'Bearer metrics-token-0123456789abcdeX' } })).status).toBe(401);
      expect((await stack.fetch('/metrics', { headers: { authorization: `AccessKey ${token}` } })).status).toBe(401);
      const ok = await stack.fetch('/metrics', { headers: { authorization: `Bearer ${token}` } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('graphql_operations_total');
    } finally {
      await stack.close();
    }
  });

  it('METRICS_PORT: /metrics is served on its own port only', async () => {
    // METRICS_PORT moves /metrics off the main port; the test binds the metrics listener on a free port (0) itself.
    const stack = await startTestStack({ env: { METRICS_PORT: '1' } });
    const running = await serve(stack, { metrics: { port: 0, host: '127.0.0.1', handler: metricsHandler(stack.app)! } });
    try {
      expect((await send(portOf(running), { path: '/metrics' })).status).toBe(404);
      const metricsPort = Number(new URL(running.metricsUrl!).port);
      const scrape = await send(metricsPort, { path: '/metrics', host: `10.0.0.9:${metricsPort}` });
      expect(scrape.status).toBe(200);
      expect(scrape.body).toContain('graphql_operations_total');
      expect((await send(metricsPort, { path: '/graphql', body: WORKSPACES })).status).toBe(404);
    } finally {
      await running.shutdown();
      await stack.close();
    }
  });

  it('requests in flight when shutdown starts are answered with connection: close', async () => {
    const stack = await startTestStack({ emulator: { rateLimits: false } });
    const N = 3;
    stack.emulator.setFaults({ 'GET /workspaces/:ws/channels/:ch/messages/:msg': Array.from({ length: N }, () => ({ delayMs: 400 })) });
    const running = await serve(stack);
    // Three different messages: identical GETs in flight together would be made once (coalesced).
    const ids = stack.emulator.store.allMessages(WS, MSG.channelId).slice(0, N).map((message) => message.id);
    const query = (id: string) => JSON.stringify({ query: `{ message(workspaceId: "${WS}", channelId: "${MSG.channelId}", messageId: "${id}") { messageId } }` });
    const port = portOf(running);
    // Keep-alive requests, as browsers and proxies send them.
    const inFlight = ids.map((id) => send(port, { body: query(id), headers: { connection: 'keep-alive' } }));
    while (stack.requests.upstream().length < N) await new Promise((resolve) => setTimeout(resolve, 10));
    const stopped = running.shutdown();
    const answers = await Promise.all(inFlight);
    await stopped;
    expect(answers.map((answer) => [answer.status, answer.headers.connection])).toEqual(Array.from({ length: N }, () => [200, 'close']));
    await stack.close();
  }, 20_000);

  it('the server applies HTTP_HEADERS_TIMEOUT_MS and HTTP_REQUEST_TIMEOUT_MS; a client that never finishes its headers is cut off', async () => {
    const stack = await startTestStack({ env: { HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_REQUEST_TIMEOUT_MS: '2000' } });
    const running = await serve(stack, { timeouts: stack.config.http });
    try {
      expect(running.server.headersTimeout).toBe(1000);
      expect(running.server.requestTimeout).toBe(2000);
      const socket = connect(portOf(running), '127.0.0.1');
      let received = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (received += chunk));
      socket.write('POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n');
      await new Promise<void>((resolve) => socket.on('close', () => resolve()));
      expect(received).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      await running.shutdown();
      await stack.close();
    }
  }, 20_000);
});
