// Registration: registerWebhooks and `npm run webhooks:register` against the emulator — idempotent (run twice → the same subscriptions), no duplicates, key rotation — and demo mode registering itself at boot.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBirdClient } from '../../src/bird/client.ts';
import { createWebhookSubscriptionClient } from '../../src/bird/webhook-subscriptions.ts';
import { SEED } from '../../src/emulator/seed.ts';
import { type Emulator, startEmulator } from '../../src/emulator/server.ts';
import { registerWebhooks } from '../../src/live/registration.ts';
import { ROOT, freePort, startChild } from '../../bench/lib/processes.ts';
import { MessageReceivedDocument, MessageUpdatedDocument, SendSmsDocument } from '../gql/generated.ts';
import { collect, until } from './stack.ts';

const ORG = SEED.organizationId;
const WS = SEED.workspaces.main.id;
const KEY = SEED.accessKeys.demo;
const credential = { scheme: 'AccessKey' as const, token: KEY };
const MAIN_PLATFORMS = [...new Set(Object.values(SEED.channels).filter((c) => c.workspaceId === WS).map((c) => c.platformId))].sort();
const MAIN_EVENTS = MAIN_PLATFORMS.flatMap((p) => ['inbound', 'outbound', 'interaction'].map((k) => `${p}.${k}`));
const run = promisify(execFile);

describe('registerWebhooks', () => {
  let emulator: Emulator;
  const clients = () => ({ bird: createBirdClient({ apiUrl: emulator.url }), subscriptions: createWebhookSubscriptionClient({ apiUrl: emulator.url }) });
  beforeAll(async () => {
    emulator = await startEmulator({ rateLimits: false, webhooks: { allowLoopbackUrls: true } });
  });
  afterAll(() => emulator.close());

  const register = async (signingKey = 'first-signing-key-0123456789') => {
    const { bird, subscriptions } = clients();
    try {
      return await registerWebhooks({ bird, subscriptions, credential, organizationId: ORG, workspaceIds: [WS], receiverUrl: 'http://127.0.0.1:4999/webhooks/bird', signingKey });
    } finally {
      await bird.close();
      await subscriptions.close();
    }
  };
  const mine = () => emulator.webhooks.all().map(({ id, event, url, eventFilters, workspaceId }) => ({ id, event, url, eventFilters, workspaceId }));

  it('subscribes inbound, outbound and interaction of every platform of the workspace; run twice, it leaves the same subscriptions', async () => {
    const first = await register();
    expect(first).toEqual([{ workspaceId: WS, events: expect.any(Object), created: MAIN_EVENTS, updated: [], removed: [], failed: [] }]);
    const after = mine();
    expect(after.map((s) => s.event).sort()).toEqual([...MAIN_EVENTS].sort());
    expect(new Set(after.map((s) => s.url))).toEqual(new Set([`http://127.0.0.1:4999/webhooks/bird?workspaceId=${WS}`]));
    emulator.resetRequests();

    const second = await register();
    expect(second[0]).toMatchObject({ created: [], updated: MAIN_EVENTS, removed: [], failed: [], events: first[0]!.events });
    expect(mine()).toEqual(after);
    // Lists first (channels, subscriptions), then one update per event: nothing created.
    const routes = emulator.requests.map((r) => r.route);
    expect(routes.filter((r) => r.startsWith('POST '))).toEqual([]);
    expect(routes.filter((r) => r.startsWith('PATCH '))).toHaveLength(MAIN_EVENTS.length);
    expect(routes.slice(0, 2)).toEqual(['GET /workspaces/:ws/channels', 'GET /organizations/:org/workspaces/:ws/webhook-subscriptions']);
  });

  it('deletes extra copies of one of its subscriptions, keeping the oldest', async () => {
    const kept = mine().find((s) => s.event === 'sms.outbound')!;
    const res = await fetch(`${emulator.url}/organizations/${ORG}/workspaces/${WS}/webhook-subscriptions`, {
      method: 'POST',
      headers: { authorization: `AccessKey ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ service: 'channels', event: 'sms.outbound', url: kept.url }),
    });
    const copy = (await res.json()) as { id: string };
    const report = await register();
    expect(report[0]!.removed).toEqual([copy.id]);
    expect(mine().filter((s) => s.event === 'sms.outbound').map((s) => s.id)).toEqual([kept.id]);
  });
});

describe('npm run webhooks:register', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ rateLimits: false, webhooks: { allowLoopbackUrls: true } });
  });
  afterAll(() => emulator.close());

  const env = (extra: Record<string, string> = {}) => ({
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    BIRD_API_URL: emulator.url,
    BIRD_ACCESS_KEY: KEY,
    BIRD_ORGANIZATION_ID: ORG,
    PUBLIC_URL: 'http://127.0.0.1:4998',
    WEBHOOK_SIGNING_KEY: 'script-signing-key-0123456789',
    WEBHOOK_WORKSPACE_IDS: `${WS},${SEED.workspaces.second.id}`,
    ...extra,
  });
  const script = (extra?: Record<string, string>) => run(process.execPath, ['--import', 'tsx', 'scripts/webhooks-register.ts'], { cwd: ROOT, env: env(extra) });
  const summary = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!) as { workspaces: { workspaceId: string; events: Record<string, string>; created: string[]; updated: string[] }[] };

  it('creates the subscriptions once; a second run updates them and creates none', async () => {
    const first = summary((await script()).stdout);
    const second = summary((await script()).stdout);
    expect(first.workspaces.map((w) => w.workspaceId)).toEqual([WS, SEED.workspaces.second.id]);
    expect(first.workspaces[0]!.created).toEqual(MAIN_EVENTS);
    expect(second.workspaces.map((w) => w.created)).toEqual([[], []]);
    expect(second.workspaces.map((w) => w.events)).toEqual(first.workspaces.map((w) => w.events));
    expect(emulator.webhooks.all()).toHaveLength(Object.keys(first.workspaces[0]!.events).length + Object.keys(first.workspaces[1]!.events).length);
  }, 60_000);

  it('names every missing setting and exits 1', async () => {
    const failure = await script({ PUBLIC_URL: '', WEBHOOK_SIGNING_KEY: '' }).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toContain('PUBLIC_URL');
    expect((failure as { stderr: string }).stderr).toContain('WEBHOOK_SIGNING_KEY');
  }, 60_000);
});

describe('demo mode', () => {
  it('`npm start` registers its webhooks at boot: a subscription sees a sent message go to delivered, and an inbound message arrive', async () => {
    const [port, emulatorPort] = [await freePort(), await freePort()];
    const server = await startChild({
      name: 'demo',
      script: 'src/server.ts',
      env: { PORT: String(port), EMULATOR_PORT: String(emulatorPort), DEMO_STATUS_STEP_MS: '30', DEMO_FAILURE_RATE: '0', DEMO_DUPLICATE_RATE: '1', LOG_LEVEL: 'warn' },
      ready: { kind: 'poll', url: `http://127.0.0.1:${port}`, path: '/health' },
    });
    const { createClient } = await import('graphql-sse');
    const client = createClient({ url: `http://127.0.0.1:${port}/graphql`, retryAttempts: 0 });
    try {
      // No Authorization header: demo mode's server key applies, as in GraphiQL.
      await until(async () => (await fetch(`http://127.0.0.1:${emulatorPort}/organizations/${ORG}/workspaces/${WS}/webhook-subscriptions`, { headers: { authorization: `AccessKey ${KEY}` } }).then((r) => r.json() as Promise<{ results: unknown[] }>)).results.length > 0);
      const updates = collect<{ data: { messageUpdated: { messageId: string; status: string } } }>(client, { query: print(MessageUpdatedDocument), variables: { workspaceId: WS } });
      const received = collect<{ data: { messageReceived: { text: string } } }>(client, { query: print(MessageReceivedDocument), variables: { workspaceId: WS } });
      const send = async () => {
        const sent = await fetch(`http://127.0.0.1:${port}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            query: print(SendSmsDocument),
            variables: { input: { workspaceId: WS, channelId: SEED.channels.sms.id, receivers: [{ identifierValue: SEED.contacts[1]!.phone }], content: { body: { text: { text: 'Your order shipped' } } } } },
          }),
        }).then((r) => r.json() as Promise<{ data: { sendMessage: { sentMessage: { messageId: string } } } }>);
        return sent.data.sendMessage.sentMessage.messageId;
      };
      const statusesOf = (id: string) => updates.results.filter((r) => r.data.messageUpdated.messageId === id).map((r) => r.data.messageUpdated.status);
      // The subscription listens once a probe message's events reach it.
      await until(async () => {
        const probe = await send();
        await new Promise((resolve) => setTimeout(resolve, 300));
        return statusesOf(probe).length > 0;
      });
      const target = await send();
      await until(() => statusesOf(target).includes('DELIVERED'));
      // Every delivery went out twice (DEMO_DUPLICATE_RATE=1); each status still shows once, in order.
      expect(statusesOf(target)).toEqual(['ACCEPTED', 'PROCESSING', 'SENT', 'DELIVERED']);

      await fetch(`http://127.0.0.1:${emulatorPort}/_emulator/inbound`, {
        method: 'POST',
        headers: { authorization: `AccessKey ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ channelId: SEED.channels.sms.id, text: 'Hello from the curl in the README' }),
      });
      await received.next(1);
      expect(received.results[0]!.data.messageReceived.text).toBe('Hello from the curl in the README');
      updates.stop();
      received.stop();
    } finally {
      await client.dispose();
      await server.stop();
    }
  }, 90_000);
});
