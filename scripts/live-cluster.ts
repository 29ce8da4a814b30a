// Several replicas against one Redis, as production runs them: a redis-server of its own, the emulator, N server processes and a load balancer in front, webhooks registered through it.
//
// Used by the multi-replica tests (test/live/replicas.test.ts) and meant for the benchmark's live section:
//   const cluster = await startLiveCluster({ replicas: 2 });
//   cluster.replicas[i].url                 — subscribe here (graphql-sse / graphql-ws on /graphql)
//   await cluster.trigger.send()            — a sent message: its statuses arrive as messageUpdated (drive them with
//   cluster.emulator.store.advanceMessage)  — or let the lifecycle run (`lifecycle: { stepMs }`)
//   await cluster.trigger.inbound('text')   — an incoming message: messageReceived
//   cluster.emulator.deliveries             — every signed delivery attempt (timestamps, statuses)
//   await cluster.stop()
// As a command (`npx tsx scripts/live-cluster.ts [replicas]`) it starts one and prints its URLs until Ctrl+C.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Child, OURS_SCRIPT, freePort, startChild } from '../bench/lib/processes.ts';
import { createBirdClient } from '../src/bird/client.ts';
import { createWebhookSubscriptionClient } from '../src/bird/webhook-subscriptions.ts';
import { SEED } from '../src/emulator/seed.ts';
import { type Emulator, type EmulatorOptions, startEmulator } from '../src/emulator/server.ts';
import { WEBHOOK_PATH } from '../src/live/receiver.ts';
import { registerWebhooks } from '../src/live/registration.ts';

// ---------------------------------------------------------------------------------------------------------------
// redis-server
// ---------------------------------------------------------------------------------------------------------------

export interface RedisServer {
  url: string;
  port: number;
  /** SIGKILL: an outage as abrupt as a crash. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: nothing is persisted). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** The redis-server binary on PATH (Debian's `redis-server` package), or null. */
export function redisServerBinary(): string | null {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  return found.status === 0 && found.stdout.trim() ? found.stdout.trim() : null;
}

/** A redis-server of our own on a free 127.0.0.1 port, in a temp dir, persisting nothing. */
export async function startRedisServer(binary = redisServerBinary()): Promise<RedisServer> {
  if (binary === null) throw new Error('redis-server is not installed (Debian: apt-get install -y redis-server)');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'bird-graphql-redis-'));
  let proc: ChildProcess | undefined;
  const start = async () => {
    proc = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'no'], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    while (!(await answersPing(port))) {
      if (Date.now() > deadline) throw new Error(`redis-server did not start on port ${port}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const end = async (signal: NodeJS.Signals) => {
    const running = proc;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(signal);
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill: () => end('SIGKILL'),
    restart: start,
    async stop() {
      await end('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    import('node:net').then(({ connect }) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString().startsWith('+PONG'));
      });
      socket.once('error', () => resolve(false));
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The load balancer in front of the replicas
// ---------------------------------------------------------------------------------------------------------------

export interface LoadBalancer {
  /** The public URL of the cluster (every replica's PUBLIC_URL): Bird signs deliveries over it. */
  url: string;
  /** Sends every following request to replica `index`; null = round robin (the default). */
  pin(index: number | null): void;
  /** Which replica served each request, in order (its index), with the request path and the answer's status. */
  log: { replica: number; path: string; status: number }[];
  close(): Promise<void>;
}

export async function startLoadBalancer(targets: () => string[]): Promise<LoadBalancer> {
  let pinned: number | null = null;
  let next = 0;
  const log: LoadBalancer['log'] = [];
  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    const list = targets();
    const replica = pinned ?? next++ % list.length;
    const target = new URL(req.url ?? '/', list[replica]);
    const upstream = http.request(target, { method: req.method, headers: req.headers }, (answer) => {
      log.push({ replica, path: (req.url ?? '/').split('?')[0]!, status: answer.statusCode ?? 0 });
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.once('error', () => {
      log.push({ replica, path: (req.url ?? '/').split('?')[0]!, status: 502 });
      if (!res.headersSent) res.writeHead(502).end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    pin: (index) => void (pinned = index),
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The cluster
// ---------------------------------------------------------------------------------------------------------------

export const CLUSTER_SIGNING_KEY = 'cluster-signing-key-0123456789abcdef';
/** Every replica signs media links alike (one MEDIA_LINK_SECRET), as production must. */
const CLUSTER_MEDIA_SECRET = 'cluster-media-link-secret-0123456789abcdef';

export interface LiveClusterOptions {
  replicas?: number;
  /** An existing Redis; default: a redis-server of our own. */
  redisUrl?: string;
  /** Emulator options (webhooks always admit loopback URLs; by default 10 retries an hour apart: tests call retryNow). */
  emulator?: Omit<EmulatorOptions, 'port'>;
  /** Extra environment for every replica (e.g. SUBSCRIPTIONS_MAX). */
  env?: Record<string, string>;
  /** The workspaces to register (default: the seeded main workspace). */
  workspaceIds?: string[];
  /**
   * How each replica runs: 'source' (default; src/server.ts through tsx) or 'build' (as production runs it: `npm start`
   * with NODE_ENV=production, the bundle dist/server.mjs; the caller builds it first, as the bench does).
   */
  server?: 'source' | 'build';
}

export interface LiveCluster {
  redis: RedisServer | null;
  redisUrl: string;
  emulator: Emulator;
  balancer: LoadBalancer;
  replicas: Child[];
  trigger: {
    /** A message sent to the seeded SMS channel (202 from the emulator): its id; every status change is a delivery. */
    send(text?: string): Promise<string>;
    /** An incoming message on the seeded SMS channel: its id. */
    inbound(text?: string): Promise<string>;
  };
  stop(): Promise<void>;
}

export async function startLiveCluster(options: LiveClusterOptions = {}): Promise<LiveCluster> {
  const count = options.replicas ?? 2;
  const redis = options.redisUrl ? null : await startRedisServer();
  const redisUrl = options.redisUrl ?? (redis as RedisServer).url;
  const emulator = await startEmulator({
    rateLimits: false,
    ...options.emulator,
    port: 0,
    webhooks: { retryDelaysMs: Array(10).fill(3_600_000), ...options.emulator?.webhooks, allowLoopbackUrls: true },
  });
  const replicas: Child[] = [];
  const balancer = await startLoadBalancer(() => replicas.map((r) => r.url));
  try {
    for (let i = 0; i < count; i++) {
      const port = await freePort();
      replicas.push(
        await startChild({
          name: `replica-${i}`,
          script: options.server === 'build' ? OURS_SCRIPT : 'src/server.ts',
          tsx: options.server !== 'build',
          env: {
            NODE_ENV: 'production',
            HOST: '127.0.0.1',
            PORT: String(port),
            BIRD_API_URL: emulator.url,
            BIRD_ACCESS_KEY: SEED.accessKeys.demo,
            BIRD_ORGANIZATION_ID: SEED.organizationId,
            REDIS_URL: redisUrl,
            WEBHOOK_SIGNING_KEY: CLUSTER_SIGNING_KEY,
            MEDIA_LINK_SECRET: CLUSTER_MEDIA_SECRET,
            PUBLIC_URL: balancer.url,
            LOG_LEVEL: 'warn',
            ...options.env,
          },
          ready: { kind: 'poll', url: `http://127.0.0.1:${port}`, path: '/ready' },
        }),
      );
    }
    const bird = createBirdClient({ apiUrl: emulator.url });
    const subscriptions = createWebhookSubscriptionClient({ apiUrl: emulator.url });
    try {
      await registerWebhooks({
        bird,
        subscriptions,
        credential: { scheme: 'AccessKey', token: SEED.accessKeys.demo },
        organizationId: SEED.organizationId,
        workspaceIds: options.workspaceIds ?? [SEED.workspaces.main.id],
        receiverUrl: `${balancer.url}${WEBHOOK_PATH}`,
        signingKey: CLUSTER_SIGNING_KEY,
      });
    } finally {
      await bird.close();
      await subscriptions.close();
    }
  } catch (error) {
    await Promise.all(replicas.map((r) => r.stop()));
    await balancer.close();
    await emulator.close();
    await redis?.stop();
    throw error;
  }

  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${emulator.url}${path}`, {
      method: 'POST',
      headers: { authorization: `AccessKey ${SEED.accessKeys.demo}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { id: string }).id;
  };
  const { main } = SEED.workspaces;
  return {
    redis,
    redisUrl,
    emulator,
    balancer,
    replicas,
    trigger: {
      send: (text = 'Your order shipped') =>
        post(`/workspaces/${main.id}/channels/${SEED.channels.sms.id}/messages`, {
          receiver: { contacts: [{ identifierValue: SEED.contacts[0]!.phone }] },
          body: { type: 'text', text: { text } },
        }),
      inbound: (text = 'Hello') => post('/_emulator/inbound', { channelId: SEED.channels.sms.id, text }),
    },
    async stop() {
      await Promise.all(replicas.map((r) => r.stop()));
      await balancer.close();
      await emulator.close();
      await redis?.stop();
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const cluster = await startLiveCluster({ replicas: Number(process.argv[2] ?? 2), emulator: { lifecycle: { stepMs: 1500 }, webhooks: { retryDelaysMs: [1_000, 5_000, 30_000] } } });
  console.log(`redis ${cluster.redisUrl}\nemulator ${cluster.emulator.url}\nbalancer (PUBLIC_URL) ${cluster.balancer.url}`);
  for (const replica of cluster.replicas) console.log(`${replica.name} ${replica.url}`);
  const stop = () => void cluster.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
