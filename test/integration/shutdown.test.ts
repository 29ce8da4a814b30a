// Graceful shutdown in process: a real node:http server, requests in flight on a slow upstream, then shutdown().
import { request } from 'undici';
import { expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { createBirdClient } from '../../src/bird/client.ts';
import { loadConfig } from '../../src/config.ts';
import { SEED } from '../../src/emulator/seed.ts';
import { startEmulator } from '../../src/emulator/server.ts';
import { startServer } from '../../src/lifecycle.ts';
import { testSchema } from '../helpers.ts';

const MSG = SEED.messages.emailWithInteractions;
const QUERY = `{ message(workspaceId: "${SEED.workspaces.main.id}", channelId: "${MSG.channelId}", messageId: "${MSG.id}") { messageId } }`;
const N = 5;

it('answers every request in flight, refuses new connections, then closes the upstream pool', async () => {
  const emulator = await startEmulator({ port: 0, rateLimits: false });
  // Every message GET waits 400 ms: the requests are surely in flight when shutdown starts.
  emulator.setFaults({ 'GET /workspaces/:ws/channels/:ch/messages/:msg': Array.from({ length: N }, () => ({ delayMs: 400 })) });
  const config = loadConfig({ NODE_ENV: 'test', BIRD_API_URL: emulator.url, BIRD_ACCESS_KEY: SEED.accessKeys.demo, LOG_LEVEL: 'silent' });
  const bird = createBirdClient({ apiUrl: emulator.url, headersTimeoutMs: 5_000, deadlineMs: 5_000 });
  let poolClosed = false;
  const close = bird.close.bind(bird);
  bird.close = async () => {
    await close();
    poolClosed = true;
  };
  const app = createApp({ config, bird, schema: testSchema(), logger: { debug() {}, info() {}, warn() {}, error() {} } });
  const running = await startServer({ handler: app, port: 0, host: '127.0.0.1', shutdownTimeoutMs: 5_000, onDrained: async () => {
    await app.dispose();
    await bird.close();
  } });

  const inFlight = Array.from({ length: N }, () =>
    request(`${running.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY }) }).then(
      async (response) => ({ status: response.statusCode, body: (await response.body.json()) as { data?: unknown; errors?: unknown } }),
    ),
  );
  // Wait until the N requests are being served: the identical GETs share one upstream call (coalescing).
  while (emulator.requests.length < 1 || running.inFlight() < N) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(running.inFlight()).toBe(N);
  expect(emulator.requests).toHaveLength(1);

  const stopped = running.shutdown();
  // New connections are refused while the old requests drain.
  await expect(request(`${running.url}/health`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  const answers = await Promise.all(inFlight);
  await stopped;

  expect(answers).toEqual(Array.from({ length: N }, () => ({ status: 200, body: { data: { message: { messageId: MSG.id } } } })));
  expect(running.inFlight()).toBe(0);
  expect(running.server.listening).toBe(false);
  expect(poolClosed).toBe(true);
  await expect(bird.getMessage({ workspaceId: SEED.workspaces.main.id, channelId: MSG.channelId, messageId: MSG.id }, { credential: { scheme: 'AccessKey', token: SEED.accessKeys.demo } })).rejects.toThrow();
  await emulator.close();
}, 20_000);
