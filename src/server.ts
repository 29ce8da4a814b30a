// Process entry: load config, start the emulator first in demo mode, create the client and app, listen (HTTP and graphql-ws), register demo webhooks, drain on SIGTERM.
import { setFlagsFromString } from 'node:v8';
import { DEFAULT_QUERY, GRAPHQL_PATH, createApp, metricsHandler } from './app.ts';
import { createBirdClient } from './bird/client.ts';
import { type Config, birdClientOptions, loadConfig } from './config.ts';
import type { Emulator } from './emulator/server.ts';
import { createWebhookSubscriptionClient } from './bird/webhook-subscriptions.ts';
import { type RunningServer, serveApp } from './lifecycle.ts';
import { registerWebhooks, registrationOf } from './live/registration.ts';

/** What a human types: `localhost` for wildcard and loopback binds, else the configured host. */
function displayHost(host: string): string {
  return ['0.0.0.0', '::', '127.0.0.1', '::1', 'localhost'].includes(host) ? 'localhost' : host.includes(':') ? `[${host}]` : host;
}

/**
 * Demo mode: subscribes this server to every seeded workspace's events at the embedded emulator (loopback URLs are
 * its opt-in exception), so GraphiQL shows live updates with no setup. A failure is reported, never fatal.
 */
async function registerDemoWebhooks(config: Config, bird: ReturnType<typeof createBirdClient>, listenUrl: string): Promise<void> {
  const local = ['0.0.0.0', '::', '127.0.0.1', '::1', 'localhost'].includes(config.host) ? `http://127.0.0.1:${new URL(listenUrl).port}` : listenUrl;
  const subscriptions = createWebhookSubscriptionClient(birdClientOptions(config.bird));
  try {
    const reports = await registerWebhooks({ bird, subscriptions, ...registrationOf(config, config.publicUrl ?? local) });
    const failed = reports.flatMap((r) => r.failed);
    if (failed.length > 0) console.warn(`Demo webhooks: ${failed.length} subscription(s) could not be registered (${failed[0]!.error}); live updates may be missing.`);
  } catch (error) {
    console.warn(`Demo webhooks could not be registered: ${(error as Error).message}; subscriptions will see no events.`);
  } finally {
    await subscriptions.close();
  }
}

function isAddressInUse(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';
}

/** The default query on one line, for the printed curl example. */
function oneLine(query: string): string {
  return query
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The seeded main workspace and its SMS channel (demo mode), named in the banner's live-update example. */
interface DemoIds {
  workspaceId: string;
  smsChannelId: string;
}

function banner(config: Config, appUrl: string, emulatorUrl: string | null, demo: DemoIds | null): string {
  const body = JSON.stringify({ query: oneLine(DEFAULT_QUERY) }).replaceAll("'", "'\\''");
  const graphiql = config.graphiql ? `${appUrl}${GRAPHQL_PATH}` : `${appUrl}${GRAPHQL_PATH}  (GraphiQL off: GRAPHIQL=false)`;
  const lines = [
    '',
    `Bird GraphQL is listening${config.demo ? ' in demo mode (embedded Bird emulator, seeded data)' : ''}.`,
    '',
    `  GraphQL / GraphiQL  ${graphiql}`,
  ];
  if (emulatorUrl !== null) {
    lines.push(`  Bird emulator       ${emulatorUrl}`);
    lines.push(`  Demo access key     ${config.bird.accessKey}  (the server uses it when a request has no Authorization header)`);
  } else {
    lines.push(`  Bird API            ${config.bird.apiUrl}`);
    lines.push(
      config.bird.accessKey === null
        ? '  Access key          none on the server: each request must send Authorization: AccessKey <key>'
        : '  Access key          server key set (BIRD_ACCESS_KEY); a request may send its own Authorization header',
    );
  }
  if (emulatorUrl !== null && demo !== null) {
    const main = config.live.workspaceIds?.[0] ?? demo.workspaceId;
    lines.push(
      '',
      'Live updates: the emulator delivers its webhooks here, so subscriptions work at once. In one GraphiQL tab run',
      `  subscription { messageUpdated(workspaceId: "${main}") { messageId status } }`,
      'and send a message from another; or make an incoming message arrive (messageReceived):',
      `  curl -s ${emulatorUrl}/_emulator/inbound -H 'authorization: AccessKey ${config.bird.accessKey}' -H 'content-type: application/json' -d '{"channelId":"${demo.smsChannelId}","text":"Hello"}'`,
    );
  }
  lines.push(
    '',
    'Sample query (also the GraphiQL default):',
    ...DEFAULT_QUERY.trimEnd()
      .split('\n')
      .filter((line) => !line.trimStart().startsWith('#'))
      .map((line) => `  ${line}`),
    '',
    'With curl:',
    `  curl -s ${appUrl}${GRAPHQL_PATH} -H 'content-type: application/json'${config.bird.accessKey === null ? " -H 'authorization: AccessKey <key>'" : ''} -d '${body}'`,
    '',
    'Press Ctrl+C to stop.',
    '',
  );
  return lines.join('\n');
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
    return;
  }
  if (config.production) {
    // V8 grows the old generation to several times its live size before collecting it: RSS under sustained load
    // climbed past 400 MiB. Growing it by 30 % at a time keeps it near 160 MiB (bench: RSS section), with no hard heap
    // limit. Set here, so `npm start`, `node dist/server.mjs` and the container image all run alike.
    setFlagsFromString('--heap-growing-percent=30');
  }

  let emulator: Emulator | null = null;
  let demoIds: DemoIds | null = null;
  if (config.demo) {
    // Loaded only in demo mode: a production process never imports the emulator.
    const [{ startEmulator }, { SEED }] = await Promise.all([import('./emulator/server.ts'), import('./emulator/seed.ts')]);
    demoIds = { workspaceId: SEED.workspaces.main.id, smsChannelId: SEED.channels.sms.id };
    try {
      const { stepMs, failureRate, duplicateRate } = config.live.demo;
      // The demo's Bird: statuses move by themselves (a failure now and then) and webhooks reach this server over
      // loopback, the emulator's one opt-in exception to Bird's https-only rule.
      emulator = await startEmulator({
        port: config.emulatorPort,
        lifecycle: { stepMs, failureRate },
        webhooks: { allowLoopbackUrls: true, duplicateRate },
        recordRequests: false,
      });
    } catch (error) {
      console.error(
        isAddressInUse(error)
          ? `Cannot start the Bird emulator: port ${config.emulatorPort} is already in use.\n` +
              'Stop whatever listens there, or pick another port, e.g. EMULATOR_PORT=4011 npm start.'
          : `Cannot start the Bird emulator: ${(error as Error).message}`,
      );
      process.exitCode = 1;
      return;
    }
    // The emulator serves both the API and media origins; EMULATOR_PORT=0 means the port is only known now.
    // Its seeded organization is the default one, so organization-level queries work out of the box.
    config = Object.freeze({
      ...config,
      bird: Object.freeze({
        ...config.bird,
        apiUrl: emulator.url,
        mediaUrl: emulator.url,
        // Media downloads are redirected to the emulator's object store, a plain-http origin of its own.
        mediaRedirectOrigins: [...config.bird.mediaRedirectOrigins, emulator.objectStore.url],
        organizationId: config.bird.organizationId ?? SEED.organizationId,
      }),
    });
  }

  const bird = createBirdClient(birdClientOptions(config.bird));
  const yoga = createApp({ config, bird });

  const closeUpstreams = async () => {
    await bird.close();
    await emulator?.close();
  };

  let running: RunningServer;
  try {
    // HTTP and graphql-ws on /graphql; at shutdown subscriptions end with `complete` before the drain (src/lifecycle.ts).
    running = await serveApp({
      app: yoga,
      config,
      port: config.port,
      host: config.host,
      graphqlPath: GRAPHQL_PATH,
      ...(config.metricsPort !== null && metricsHandler(yoga) ? { metrics: { port: config.metricsPort, host: config.host, handler: metricsHandler(yoga)! } } : {}),
      onDrained: async () => {
        await yoga.dispose();
        await closeUpstreams();
      },
      log: (message) => console.log(message),
    });
  } catch (error) {
    console.error(
      isAddressInUse(error)
        ? `Cannot listen on ${config.host}:${config.port}: the port is already in use. Stop the other process or set PORT.`
        : `Cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`,
    );
    await closeUpstreams();
    process.exitCode = 1;
    return;
  }

  if (emulator) await registerDemoWebhooks(config, bird, running.url);
  const appUrl = `http://${displayHost(config.host)}:${config.port}`;
  const emulatorUrl = emulator ? emulator.url.replace('127.0.0.1', 'localhost') : null;
  console.log(banner(config, appUrl, emulatorUrl, demoIds));

  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`${signal} again: exiting without waiting.`);
      process.exit(1);
    }
    stopping = true;
    console.log(`${signal}: shutting down.`);
    // Stop accepting, close idle keep-alive sockets, let busy ones finish; after the grace period close them too;
    // then dispose the app (tracing flush, readiness pool) and close the Bird pool (src/lifecycle.ts).
    await running.shutdown();
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      shutdown(signal).catch((error: unknown) => {
        console.error('Shutdown failed:', (error as Error).message);
        process.exit(1);
      });
    });
  }
}

await main();
